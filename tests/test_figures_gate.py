"""Quality gate: the figure engine against the labelled corpus (tests/corpus/).

- The corpus is what the baseline says it is: tests/corpus/baseline.json holds a sha256 of
  the corpus files; an edited, added or removed case trips the gate until the baseline is
  refreshed (`python tests/eval_gate.py --write-baseline`, then commit baseline.json).
- No score falls below the baseline (overall, per split, per region), beyond rounding.
- The targets: F1 >= 0.95 overall and per split, >= 0.85 for every region with at least
  MIN_REGION_CASES cases.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

_spec = importlib.util.spec_from_file_location("eval_gate", Path(__file__).with_name("eval_gate.py"))
assert _spec is not None and _spec.loader is not None
eval_gate = importlib.util.module_from_spec(_spec)
sys.modules["eval_gate"] = eval_gate
_spec.loader.exec_module(eval_gate)

TARGET_F1 = 0.95
TARGET_REGION_F1 = 0.85
#: regions with fewer cases are reported but not gated (too few to judge)
MIN_REGION_CASES = 10
#: slack for a score against its baseline (a rounding step, not a tolerance for regressions)
SLACK = 0.0005
#: whether the engine has reached the targets on this corpus; while False the target test
#: reports the gap as an expected failure (the no-regression test still holds the line)
TARGETS_REACHED = False

REFRESH = ("the corpus changed: if the change is intended, refresh the baseline with "
           "`python tests/eval_gate.py --write-baseline` and commit tests/corpus/baseline.json "
           "(say in the commit which cases changed and why)")


def _baseline() -> dict:
    return json.loads(eval_gate.BASELINE.read_text(encoding="utf-8"))


def test_corpus_is_large_real_and_has_negatives() -> None:
    cases = eval_gate.load_cases("all")
    assert len(cases) >= 600
    negatives = sum(1 for c in cases if not c.get("expected"))
    assert negatives >= 0.25 * len(cases), negatives
    assert len({c["id"] for c in cases}) == len(cases), "case ids must be unique"
    for path in eval_gate.corpus_files():
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing = [c["id"] for c in doc["cases"] if not (c.get("region") or doc.get("region"))]
        assert not missing, f"{path.name}: cases without a region: {missing[:5]}"
    train = eval_gate.load_cases("train")
    assert all(c.get("source") and c.get("patterns") for c in train), "train cases keep source and patterns"


def test_baseline_matches_the_corpus() -> None:
    assert eval_gate.BASELINE.exists(), REFRESH
    assert _baseline()["digest"] == eval_gate.corpus_digest(), REFRESH


def test_blind_split_names_are_understood(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "blind3.yaml").write_text(
        "split: blind3\ncases:\n- id: b3-x\n  region: syria\n  text: Nothing here.\n  expected: []\n",
        encoding="utf-8")
    (tmp_path / "actor_names.yaml").write_text("Islamic State: [ISIS]\n", encoding="utf-8")
    monkeypatch.setattr(eval_gate, "CORPUS", tmp_path)
    monkeypatch.setattr(eval_gate, "ACTOR_NAMES", tmp_path / "actor_names.yaml")
    assert eval_gate.split_names() == ["blind3"]
    assert [c["id"] for c in eval_gate.load_cases("blind3")] == ["b3-x"]


def test_scores_do_not_regress() -> None:
    base = _baseline()["scores"]
    now = eval_gate.scores()
    lines = []
    for group in ("splits", "regions"):
        for name, row in base[group].items():
            have = now[group].get(name, {}).get("f1", 0.0)
            if have + SLACK < row["f1"]:
                lines.append(f"{group[:-1]} {name}: F1 {have:.4f} < baseline {row['f1']:.4f}")
    if now["all"]["f1"] + SLACK < base["all"]["f1"]:
        lines.append(f"all: F1 {now['all']['f1']:.4f} < baseline {base['all']['f1']:.4f}")
    assert not lines, "\n".join(lines)


def test_targets() -> None:
    now = eval_gate.scores()
    gaps = []
    if now["all"]["f1"] < TARGET_F1:
        gaps.append(f"all: F1 {now['all']['f1']:.3f} < {TARGET_F1}")
    for name, row in now["splits"].items():
        if row["f1"] < TARGET_F1:
            gaps.append(f"split {name}: F1 {row['f1']:.3f} < {TARGET_F1}")
    for name, row in now["regions"].items():
        if row["cases"] >= MIN_REGION_CASES and row["f1"] < TARGET_REGION_F1:
            gaps.append(f"region {name}: F1 {row['f1']:.3f} < {TARGET_REGION_F1} ({row['cases']} cases)")
    if gaps and not TARGETS_REACHED:
        pytest.xfail("targets not reached yet:\n" + "\n".join(gaps))
    assert not gaps, "\n".join(gaps)


def test_attributes_of_matched_figures() -> None:
    total, _, _, lines = eval_gate.evaluate("all")
    for name in ("qualifier",):
        assert total.attribute_accuracy(name) >= 0.9, (name, "\n".join(lines))


def test_old_negatives_give_nothing() -> None:
    for case in eval_gate.load_cases("all"):
        if not case.get("expected") and case["split"] in ("dev", "heldout", "heldout2"):
            _, fps, _ = eval_gate.run_case(case)
            assert not fps, (case["id"], fps)
