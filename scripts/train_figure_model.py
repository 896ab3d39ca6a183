#!/usr/bin/env python3
"""Fit the figure engine's learned layer (parsers/figures/learned) on the labelled corpus.

    python scripts/train_figure_model.py                # fit on every case, write weights.json
    python scripts/train_figure_model.py --cv 5         # cross-validate: rules vs rules + model
    python scripts/train_figure_model.py --exclude blind18,blind19   # keep splits out of training

Needs scikit-learn (`pip install -e '.[train]'`); the engine itself reads the weights with the
standard library. Every quantity the rules see is a training row for the direction model
(label: the direction of the expected figure with its kind and value, else "none"); every
candidate party of a quantity with an expected figure is a row for the actor model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import eval_gate  # noqa: E402

from parsers.figures import extract_figures, learned  # noqa: E402
from parsers.figures.learned import model as learned_model  # noqa: E402
from parsers.figures.learned.features import actor_features, quantity_features  # noqa: E402

DIRECTIONS = ["none", "controlled", "gained", "lost"]


def _gold_of(q, expected: list[dict]) -> dict | None:
    for e in expected:
        if e["metric"].split("_", 1)[0] != q.kind:
            continue
        if eval_gate._close(float(e["value"]), q.value) or (
                q.value_max is not None and e.get("value_max") is not None
                and eval_gate._close(float(e["value_max"]), q.value_max)):
            return e
    return None


def rows_of(case: dict) -> tuple[list, list]:
    """(direction rows, actor rows) of one case: (features, label)."""
    learned.RECORDER = records = []
    try:
        extract_figures(case["text"], title=case.get("title"),
                        published=eval_gate._published(case.get("published")), id=case["id"])
    finally:
        learned.RECORDER = None
    expected = list(case.get("expected") or [])
    drows, arows = [], []
    for sentence, quantities, _uncovered, mentions, context in records:
        named = [m for m in mentions if m.name]
        for q in quantities:
            gold = _gold_of(q, expected)
            if gold is not None and gold.get("optional"):
                continue
            direction = gold["metric"].split("_", 1)[1] if gold else "none"
            drows.append((quantity_features(sentence, q, quantities, named), direction))
            if gold is None:
                continue
            want = eval_gate.party(gold["actor"])
            seen = set()
            for m in named:
                seen.add(m.name)
                arows.append((actor_features(sentence, q, m, named, direction),
                              "yes" if eval_gate.party(m.name) == want else "no"))
            for rank, (name, src, metrics) in enumerate(context):
                if name not in seen:
                    arows.append((learned.source_features(src, metrics, direction, q.kind, not named, rank),
                                  "yes" if eval_gate.party(name) == want else "no"))
    return drows, arows


def fit(rows: list, classes: list[str], c: float) -> dict:
    """A logistic model over binary features, as the JSON `learned.model.Linear` reads."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in feats} for feats, _ in rows])
    y = [label for _, label in rows]
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    if len(clf.classes_) == 2:  # binary: one score, for the positive class ("yes")
        coef, bias, out_classes = clf.coef_, clf.intercept_, [classes[0]]
    else:
        order = [list(clf.classes_).index(k) for k in classes]
        coef, bias, out_classes = clf.coef_[order], clf.intercept_[order], classes
    weights = {}
    for j, name in enumerate(names):
        w = [round(float(coef[i][j]), 4) for i in range(len(out_classes))]
        if any(abs(v) >= 1e-3 for v in w):
            weights[name] = w
    return {"classes": out_classes, "bias": [round(float(b), 4) for b in bias], "weights": weights}


def train(cases: list[dict], c: float) -> dict:
    drows, arows = [], []
    for case in cases:
        d, a = rows_of(case)
        drows += d
        arows += a
    return {"models": {"direction": fit(drows, DIRECTIONS, c), "actor": fit(arows, ["yes"], c)},
            "rows": {"direction": len(drows), "actor": len(arows)}}


def _fold(case: dict, k: int) -> int:
    return int(hashlib.md5(case["id"].encode()).hexdigest(), 16) % k


def _score(cases: list[dict]) -> tuple[float, float, float, int, int, int]:
    tp = fp = fn = 0
    for case in cases:
        pairs, fps, misses = eval_gate.run_case(case)
        tp, fp, fn = tp + len(pairs), fp + len(fps), fn + len(misses)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0, tp, fp, fn


def _use(weights: dict | None, path: Path) -> None:
    if weights is None:
        learned_model.WEIGHTS = path / "none.json"
    else:
        (path / "w.json").write_text(json.dumps(weights))
        learned_model.WEIGHTS = path / "w.json"
    learned_model.load.cache_clear()
    eval_gate._extract.cache_clear()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", type=int, default=0, help="k-fold cross-validation instead of fitting")
    ap.add_argument("--by-split", action="store_true", help="cross-validate leaving one blind split out")
    ap.add_argument("--exclude", default="", help="comma-separated splits to keep out of training")
    ap.add_argument("-C", type=float, default=0.3, help="inverse regularisation strength")
    ap.add_argument("--out", default=str(learned_model.WEIGHTS))
    args = ap.parse_args()
    excluded = {s for s in args.exclude.split(",") if s}
    cases = [c for c in eval_gate.load_cases("all") if c["split"] not in excluded]
    if not args.cv and not args.by_split:
        data = train(cases, args.C)
        data["trained_on"] = {"cases": len(cases), "corpus_digest": eval_gate.corpus_digest(),
                              "excluded": sorted(excluded), "C": args.C}
        Path(args.out).write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
        print(f"wrote {args.out}: {data['rows']} rows, "
              f"{len(data['models']['direction']['weights'])}+{len(data['models']['actor']['weights'])} features")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="tw-cv-"))
    if args.by_split:
        folds = [[c for c in cases if c["split"] == s] for s in sorted({c["split"] for c in cases})
                 if s.startswith("blind")]
    else:
        folds = [[c for c in cases if _fold(c, args.cv) == k] for k in range(args.cv)]
    base = [0, 0, 0]
    both = [0, 0, 0]
    for held in folds:
        ids = {c["id"] for c in held}
        _use(train([c for c in cases if c["id"] not in ids], args.C), tmp)
        *_, tp, fp, fn = _score(held)
        both = [both[0] + tp, both[1] + fp, both[2] + fn]
        _use(None, tmp)
        *_, tp0, fp0, fn0 = _score(held)
        base = [base[0] + tp0, base[1] + fp0, base[2] + fn0]
        print(f"fold {held[0]['split'] if args.by_split else ''} {len(held)} cases: rules tp/fp/fn "
              f"{tp0}/{fp0}/{fn0}, with model {tp}/{fp}/{fn}", flush=True)
    for name, (tp, fp, fn) in (("rules", base), ("rules+model", both)):
        p, r = tp / (tp + fp), tp / (tp + fn)
        print(f"{name}: P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
