"""Linear models over sparse string features, with weights shipped as JSON in this package.

`scripts/train_figure_model.py` fits them (scikit-learn logistic regression) on the labelled
corpus and writes `weights.json`; reading them needs only the standard library.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

WEIGHTS = Path(__file__).with_name("weights.json")


class Linear:
    """One multinomial (or binary: one class) logistic model."""

    def __init__(self, classes: list[str], bias: list[float], weights: dict[str, list[float]]):
        self.classes = classes
        self.bias = bias
        self.weights = weights

    def scores(self, features: list[str]) -> list[float]:
        """Raw scores per class (features counted once each)."""
        out = list(self.bias)
        for f in set(features):
            w = self.weights.get(f)
            if w:
                for i, v in enumerate(w):
                    out[i] += v
        return out

    def proba(self, features: list[str]) -> dict[str, float]:
        """Class probabilities (sigmoid for a binary model, softmax otherwise)."""
        s = self.scores(features)
        if len(self.classes) == 1:
            return {self.classes[0]: 1.0 / (1.0 + math.exp(-max(min(s[0], 50.0), -50.0)))}
        top = max(s)
        exp = [math.exp(v - top) for v in s]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}


@lru_cache(maxsize=1)
def load(path: str | None = None) -> dict[str, Linear] | None:
    """The shipped models by name ("direction", "actor"), or None when no weights are shipped."""
    p = Path(path) if path else WEIGHTS
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    return {name: Linear(m["classes"], m["bias"], m["weights"]) for name, m in data["models"].items()}
