"""Score parsers.figures against the labelled corpus in tests/corpus/.

Run as a script: prints precision, recall and F1 on actor + metric + value (0.5 % relative
tolerance), a per-category breakdown, attribute accuracy on matched figures (qualifier,
value_max, modality, place, speaker) and the misses / false positives.

    python tests/eval_gate.py [--split dev|heldout|heldout2|all] [--quiet]

Each corpus file names its split (`split:`, default `heldout` when `held_out` is true, else
`dev`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
ATTRIBUTES = ("qualifier", "value_max", "modality", "place", "speaker")
SPLITS = ("dev", "heldout", "heldout2")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Score:
    """Counts for one split or category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    attr_ok: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    attr_all: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def attribute_accuracy(self, name: str) -> float:
        total = self.attr_all.get(name, 0)
        return self.attr_ok.get(name, 0) / total if total else 1.0


def load_cases(split: str = "all") -> list[dict]:
    """Cases of a split (one of SPLITS, or 'all'), each tagged with `held_out` and `split`."""
    cases = []
    for path in sorted(CORPUS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        held = bool(doc.get("held_out"))
        name = doc.get("split") or ("heldout" if held else "dev")
        if split != "all" and name != split:
            continue
        for case in doc["cases"]:
            case["held_out"] = held
            case["split"] = name
            cases.append(case)
    return cases


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.005 * max(abs(a), abs(b)), 0.01)


def _published(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def run_case(case: dict):
    """(matched pairs, false positives, misses) of one case."""
    from parsers.figures import extract_figures

    got = extract_figures(case["text"], title=case.get("title"),
                          published=_published(case.get("published")), id=case["id"])
    expected = list(case.get("expected") or [])
    pairs, fps = [], []
    free = list(range(len(expected)))
    for fig in got:
        for i in free:
            exp = expected[i]
            if exp["actor"] == fig.actor and exp["metric"] == fig.metric and _close(float(exp["value"]), fig.value):
                pairs.append((exp, fig))
                free.remove(i)
                break
        else:
            fps.append(fig)
    return pairs, fps, [expected[i] for i in free]


def evaluate(split: str = "all") -> tuple[Score, dict[str, Score], list[str]]:
    """Overall score, per-category scores and report lines for misses and false positives."""
    total, per_cat, lines = Score(), defaultdict(Score), []
    for case in load_cases(split):
        pairs, fps, misses = run_case(case)
        for score in (total, per_cat[case.get("category", "other")]):
            score.tp += len(pairs)
            score.fp += len(fps)
            score.fn += len(misses)
            for exp, fig in pairs:
                for name in ATTRIBUTES:
                    if name in exp:
                        score.attr_all[name] += 1
                        want, have = exp[name], getattr(fig, name)
                        ok = _close(float(want), have) if name == "value_max" and want is not None and have is not None else want == have
                        score.attr_ok[name] += ok
                        if not ok and score is total:
                            lines.append(f"ATTR  {case['id']}: {name} expected {want!r} got {have!r}")
        for exp in misses:
            lines.append(f"MISS  {case['id']}: {exp['actor']} {exp['metric']} {exp['value']}")
        for fig in fps:
            lines.append(f"FP    {case['id']}: {fig.actor} {fig.metric} {fig.value} [{fig.qualifier}, {fig.modality}]")
    return total, dict(per_cat), lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=[*SPLITS, "all"])
    parser.add_argument("--quiet", action="store_true", help="scores only")
    args = parser.parse_args(argv)
    splits = [*SPLITS, "all"] if args.split == "all" else [args.split]
    for split in splits:
        total, per_cat, lines = evaluate(split)
        n = len(load_cases(split))
        print(f"== {split}: {n} cases  P={total.precision:.3f}  R={total.recall:.3f}  F1={total.f1:.3f}"
              f"  (tp={total.tp} fp={total.fp} fn={total.fn})")
        print("   attributes: " + "  ".join(
            f"{a}={total.attribute_accuracy(a):.3f}/{total.attr_all.get(a, 0)}" for a in ATTRIBUTES))
        if not args.quiet:
            for cat in sorted(per_cat):
                s = per_cat[cat]
                print(f"   {cat:14s} P={s.precision:.2f} R={s.recall:.2f} F1={s.f1:.2f} (tp={s.tp} fp={s.fp} fn={s.fn})")
            for line in lines:
                print("   " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
