"""Score parsers.figures against the labelled corpus in tests/corpus/.

Run as a script: prints precision, recall and F1 overall, per split and per region, the
attribute accuracy on matched figures (qualifier, value_max, modality, place, speaker) and
the misses / false positives.

    python tests/eval_gate.py [--split NAME|all] [--region NAME] [--quiet]
    python tests/eval_gate.py --write-baseline     # refresh tests/corpus/baseline.json

A figure matches an expected one when the actors are the same party, the metrics equal and
the values agree within 0.5 %. Parties are compared through `tests/corpus/actor_names.yaml`
(canonical name -> accepted surface names; case-insensitive, without a leading "the" or a
trailing "'s"), which is independent of the engine; a name it does not list is compared as
a cleaned string. A gain of one side also matches the loss of the other when the case names
that other side as `counterpart` (the same change seen from the loser's side), as the
outside scorers do.

Each corpus file names its split (`split:`): dev, heldout, heldout2 (the team's own cases,
all tuned on), train (cases grounded in real articles), blind1, blind2, ... (sealed cases
scored once). Each case names its `region` (files may set a default).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
ACTOR_NAMES = CORPUS / "actor_names.yaml"
BASELINE = CORPUS / "baseline.json"
ATTRIBUTES = ("qualifier", "value_max", "modality", "place", "speaker")
KNOWN_SPLITS = ("dev", "heldout", "heldout2", "train")
_BLIND_RE = re.compile(r"^blind\d+$")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Score:
    """Counts for one split, region or category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    cases: int = 0
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

    def line(self) -> str:
        return (f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"
                f" (cases={self.cases} tp={self.tp} fp={self.fp} fn={self.fn})")


def corpus_files() -> list[Path]:
    """The case files of the corpus (every YAML file but the actor-name table)."""
    return sorted(p for p in CORPUS.glob("*.yaml") if p != ACTOR_NAMES)


def split_names() -> list[str]:
    """Splits present in the corpus, known ones first, then blind1, blind2, ..."""
    names = {_split_of(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in corpus_files()}
    known = [s for s in KNOWN_SPLITS if s in names]
    blind = sorted((s for s in names if _BLIND_RE.match(s)), key=lambda s: int(s[5:]))
    return known + blind + sorted(names - set(known) - set(blind))


def _split_of(doc: dict) -> str:
    return str(doc.get("split") or ("heldout" if doc.get("held_out") else "dev"))


def load_cases(split: str = "all") -> list[dict]:
    """Cases of a split ('all' for every split), each tagged with `split`, `held_out` (its
    split is not dev) and `region` (the case's, else the file's, else 'other')."""
    cases = []
    for path in corpus_files():
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = _split_of(doc)
        if split != "all" and name != split:
            continue
        for case in doc["cases"]:
            case["split"] = name
            case["held_out"] = name != "dev"
            case["region"] = case.get("region") or doc.get("region") or "other"
            case["file"] = path.name
            cases.append(case)
    return cases


def corpus_digest() -> str:
    """sha256 over the corpus files and the actor-name table (names and bytes)."""
    h = hashlib.sha256()
    for path in [*corpus_files(), ACTOR_NAMES]:
        h.update(path.name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


# ------------------------------------------------------------------ actor equivalence
_STRIP_RE = re.compile(r"^(?:the|a|an)\s+|['’]s$")


def norm_name(name: str | None) -> str:
    """A name compared case-insensitively, without a leading article or trailing "'s",
    with hyphens, dots and repeated spaces folded."""
    if not name:
        return ""
    s = re.sub(r"\s+", " ", str(name).strip().lower()).replace("’", "'")
    s = _STRIP_RE.sub("", s)
    s = s.replace("u.s.", "us").replace(".", "")
    return re.sub(r"[\s-]+", " ", s).strip()


@lru_cache(maxsize=1)
def _actor_index() -> dict[str, str]:
    table = yaml.safe_load(ACTOR_NAMES.read_text(encoding="utf-8")) or {}
    index: dict[str, str] = {}
    for canon, names in table.items():
        for n in [canon, *(names or [])]:
            index.setdefault(norm_name(n), norm_name(canon))
    return index


def party(name: str | None) -> str:
    """The party a name denotes: its canonical key in the table, else the cleaned name."""
    n = norm_name(name)
    return _actor_index().get(n, n)


# ------------------------------------------------------------------ matching
_FLIP = {"gained": "lost", "lost": "gained"}


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.005 * max(abs(a), abs(b)), 0.01)


def _value_ok(exp: dict, fig) -> bool:
    return _close(float(exp["value"]), fig.value)


def matches(exp: dict, fig) -> bool:
    """Same party, metric and value; or the same change seen from the other side."""
    if not _value_ok(exp, fig):
        return False
    kind, _, direction = exp["metric"].partition("_")
    fkind, _, fdirection = fig.metric.partition("_")
    if kind != fkind:
        return False
    if direction == fdirection and party(exp["actor"]) == party(fig.actor):
        return True
    if direction in _FLIP and fdirection == _FLIP[direction] and exp.get("counterpart"):
        if party(exp["counterpart"]) == party(fig.actor):
            return not fig.counterpart or party(fig.counterpart) == party(exp["actor"])
    return False


def _published(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@cache
def _extract(id: str, text: str, title: str | None, published: dt.date | None) -> tuple:
    from parsers.figures import extract_figures

    return tuple(extract_figures(text, title=title, published=published, id=id))


def run_case(case: dict):
    """(matched pairs, false positives, misses) of one case. Expected figures marked
    `optional` are neither required nor false positives."""
    got = _extract(case["id"], case["text"], case.get("title"), _published(case.get("published")))
    expected = list(case.get("expected") or [])
    pairs, fps = [], []
    free = list(range(len(expected)))
    for fig in got:
        hit = next((i for i in free if matches(expected[i], fig)), None)
        if hit is None:
            if not any(e.get("optional") and matches(e, fig) for e in expected):
                fps.append(fig)
            continue
        pairs.append((expected[hit], fig))
        free.remove(hit)
    misses = [expected[i] for i in free if not expected[i].get("optional")]
    return pairs, fps, misses


def _place_ok(want: str | None, have: str | None) -> bool:
    """Places agree when one names the other ("Mosul" in "eastern Mosul")."""
    w, h = norm_name(want), norm_name(have)
    if not w or not h:
        return w == h
    return w == h or re.search(rf"\b{re.escape(h)}\b", w) is not None \
        or re.search(rf"\b{re.escape(w)}\b", h) is not None


def _attribute_ok(name: str, want, have) -> bool:
    if name == "value_max":
        return want is None and have is None or (want is not None and have is not None and _close(float(want), have))
    if name == "place":
        return _place_ok(want, have)
    if name == "qualifier":
        return (want or "exact") == (have or "exact")
    if name == "modality":
        return (want or "asserted") == (have or "asserted")
    return want == have


def evaluate(split: str = "all", region: str | None = None):
    """Overall score, per-region scores, per-category scores and report lines."""
    total: Score = Score()
    per_region: dict[str, Score] = defaultdict(Score)
    per_cat: dict[str, Score] = defaultdict(Score)
    lines: list[str] = []
    for case in load_cases(split):
        if region and case["region"] != region:
            continue
        pairs, fps, misses = run_case(case)
        for score in (total, per_region[case["region"]], per_cat[case.get("category", "other")]):
            score.cases += 1
            score.tp += len(pairs)
            score.fp += len(fps)
            score.fn += len(misses)
            for exp, fig in pairs:
                for name in ATTRIBUTES:
                    if name in exp:
                        score.attr_all[name] += 1
                        ok = _attribute_ok(name, exp[name], getattr(fig, name))
                        score.attr_ok[name] += ok
                        if not ok and score is total:
                            got = getattr(fig, name)
                            lines.append(f"ATTR  {case['id']}: {name} expected {exp[name]!r} got {got!r}")
        for exp in misses:
            lines.append(f"MISS  {case['id']}: {exp['actor']} {exp['metric']} {exp['value']}")
        for fig in fps:
            lines.append(f"FP    {case['id']}: {fig.actor} {fig.metric} {fig.value} [{fig.qualifier}, {fig.modality}]")
    return total, dict(per_region), dict(per_cat), lines


def scores() -> dict:
    """Every score the baseline keeps: overall, per split, per region (F1, P, R, cases)."""
    out: dict = {"splits": {}, "regions": {}}
    total, regions, _, _ = evaluate("all")
    out["all"] = _row(total)
    for name in split_names():
        out["splits"][name] = _row(evaluate(name)[0])
    for name, s in sorted(regions.items()):
        out["regions"][name] = _row(s)
    return out


def _row(s: Score) -> dict:
    return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
            "cases": s.cases, "tp": s.tp, "fp": s.fp, "fn": s.fn}


def write_baseline() -> dict:
    """Write tests/corpus/baseline.json: the corpus digest and every current score."""
    data = {"digest": corpus_digest(), "scores": scores()}
    BASELINE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all")
    parser.add_argument("--region")
    parser.add_argument("--quiet", action="store_true", help="scores only")
    parser.add_argument("--write-baseline", action="store_true",
                        help="refresh tests/corpus/baseline.json (digest and scores)")
    args = parser.parse_args(argv)
    if args.write_baseline:
        data = write_baseline()
        print(f"wrote {BASELINE.relative_to(ROOT)}: digest {data['digest'][:12]}..., "
              f"all F1={data['scores']['all']['f1']:.3f}")
        return 0
    total, regions, per_cat, lines = evaluate(args.split, args.region)
    print(f"== {args.split}{' / ' + args.region if args.region else ''}: {total.line()}")
    print("   attributes: " + "  ".join(
        f"{a}={total.attribute_accuracy(a):.3f}/{total.attr_all.get(a, 0)}" for a in ATTRIBUTES))
    if args.split == "all" and not args.region:
        for name in split_names():
            print(f"   split  {name:12s} {evaluate(name)[0].line()}")
    for name, s in sorted(regions.items()):
        print(f"   region {name:18s} {s.line()}")
    if not args.quiet:
        for cat in sorted(per_cat):
            print(f"   category {cat:26s} {per_cat[cat].line()}")
        for line in lines:
            print("   " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
