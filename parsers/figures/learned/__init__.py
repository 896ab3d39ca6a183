"""A learned second opinion for quantities the rules leave without a figure.

For each such quantity, a direction model (none / controlled / gained / lost) reads the words
around it; when it is confident, an actor model ranks the parties named in the sentence (and
the parties of the figures just read) as its holder or taker. Both are logistic models over
`features`, trained on the labelled corpus by `scripts/train_figure_model.py`.
"""

from __future__ import annotations

from typing import NamedTuple

from ..actors import Mention
from ..quantities import Quantity
from .features import actor_features, quantity_features
from .model import load

#: a quantity becomes a figure only when the direction model is at least this sure
DIRECTION_MIN = 0.7
#: and the best actor candidate scores at least this
ACTOR_MIN = 0.5
#: a rule figure's actor is replaced only when the model gives it at most OVERRIDE_MAX and
#: another party at least OVERRIDE_MIN
OVERRIDE_MIN = 0.9
OVERRIDE_MAX = 0.3

#: when set to a list, `propose` appends its inputs there (training) and proposes nothing
RECORDER: list | None = None


class Proposal(NamedTuple):
    """A figure the models propose: the quantity, its direction, its actor, their confidences."""

    quantity: Quantity
    direction: str
    actor: str
    p_direction: float
    p_actor: float


def context_candidates(same: list[tuple[str, str]], prev: list[tuple[str, str]],
                       dominant: str | None) -> list[tuple[str, str, frozenset[str]]]:
    """Parties not named in the sentence that may still be the actor: (name, source, the
    metrics of their figures there), from this sentence's rule figures, the sentence before's
    and the article's dominant party; `same` and `prev` are (actor, metric) pairs."""
    out: list[tuple[str, str, frozenset[str]]] = []
    for src, pairs in (("same", same), ("prev", prev), ("dom", [(dominant, "")] if dominant else [])):
        for name in dict.fromkeys(n for n, _ in pairs):
            if name and all(name != o for o, _, _ in out):
                out.append((name, src, frozenset(m for n, m in pairs if n == name and m)))
    return out


def source_features(src: str, metrics: frozenset[str], direction: str, kind: str, alone: bool,
                    rank: int) -> list[str]:
    """Features of a candidate actor taken from the context, not the sentence."""
    metric = f"{kind}_{direction}"
    same_kind = any(m.startswith(kind) for m in metrics)
    same_dir = any(m.endswith(direction) for m in metrics)
    return [f"src:{src}", f"dsrc:{direction}:{src}", f"ksrc:{kind}:{src}", f"alone:{src}:{alone}",
            f"smetric:{src}:{metric in metrics}", f"skind:{src}:{same_kind}", f"sdir:{src}:{same_dir}",
            f"sall:{src}:{alone}:{same_kind}:{same_dir}", f"rank:{src}:{min(rank, 2)}"]


def rank_actors(sentence: str, q: Quantity, direction: str, named: list[Mention],
                context: list[tuple[str, str, frozenset[str]]]) -> dict[str, float]:
    """Each candidate party's probability of being the actor of `q` read as `direction`."""
    models = load()
    best: dict[str, float] = {}
    if not models:
        return best
    for m in named:
        p = models["actor"].proba(actor_features(sentence, q, m, named, direction))["yes"]
        best[m.name] = max(best.get(m.name, 0.0), p)
    for rank, (name, src, metrics) in enumerate(context):
        if name not in best:
            feats = source_features(src, metrics, direction, q.kind, not named, rank)
            best[name] = models["actor"].proba(feats)["yes"]
    return best


def second_actor(sentence: str, q: Quantity, direction: str, actor: str, mentions: list[Mention],
                 context: list[tuple[str, str, frozenset[str]]]) -> str | None:
    """Another party for a rule figure when the actor model all but rules out the rules' one
    and is sure of another; None to keep the rules' actor."""
    if RECORDER is not None:
        return None
    ranked = rank_actors(sentence, q, direction, [m for m in mentions if m.name], context)
    if not ranked:
        return None
    best = max(ranked, key=lambda n: ranked[n])
    if best != actor and ranked[best] >= OVERRIDE_MIN and ranked.get(actor, 0.0) <= OVERRIDE_MAX:
        return best
    return None


def propose(sentence: str, quantities: list[Quantity], uncovered: list[Quantity], mentions: list[Mention],
            context: list[tuple[str, str, frozenset[str]]]) -> list[Proposal]:
    """Figures for `uncovered` quantities that the models are confident about."""
    if RECORDER is not None:
        RECORDER.append((sentence, quantities, uncovered, mentions, context))
        return []
    models = load()
    if not models or not uncovered:
        return []
    named = [m for m in mentions if m.name]
    out: list[Proposal] = []
    for q in uncovered:
        probs = models["direction"].proba(quantity_features(sentence, q, quantities, named))
        direction = max(probs, key=lambda c: probs[c])
        if direction == "none" or probs[direction] < DIRECTION_MIN:
            continue
        best = rank_actors(sentence, q, direction, named, context)
        if not best:
            continue
        actor = max(best, key=lambda n: best[n])
        if best[actor] >= ACTOR_MIN:
            out.append(Proposal(q, direction, actor, probs[direction], best[actor]))
    return out
