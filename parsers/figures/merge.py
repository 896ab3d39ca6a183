"""Merging figures that are the same claim (headline and body, repeated sentences)."""

from __future__ import annotations

from dataclasses import replace

from ..figure import Figure

_FLIP = {"gained": "lost", "lost": "gained"}


def _mirror(a: Figure, b: Figure) -> bool:
    """One side's gain reported as the other side's loss ("the army freed 92 %" in a title,
    "92 % was freed from the militants, by the army" in the body)."""
    kind_a, _, dir_a = a.metric.partition("_")
    kind_b, _, dir_b = b.metric.partition("_")
    if kind_a != kind_b or _FLIP.get(dir_a) != dir_b:
        return False
    return a.counterpart == b.actor and b.counterpart in (None, a.actor) \
        or b.counterpart == a.actor and a.counterpart in (None, b.actor)


_STATED = {"asserted", "claimed"}


def _same(a: Figure, b: Figure) -> bool:
    if a.place and b.place and a.place != b.place and a.extra.get("pos", (0,))[0] == b.extra.get("pos", (1,))[0]:
        return False  # one sentence's figure for two places ("25 to 30 percent of both Donetsk and Zaporizhzhia")
    if (a.extra.get("distinct") or b.extra.get("distinct")) \
            and a.extra.get("pos", (0,))[0] != b.extra.get("pos", (1,))[0]:
        return False  # "captured two villages ... after two other villages": two claims
    if a.metric.startswith("settlements") and "pos" in a.extra and "pos" in b.extra \
            and a.extra["pos"][0] == b.extra["pos"][0] and a.extra["pos"][1] != b.extra["pos"][1] \
            and a.extra.get("noun") and b.extra.get("noun") and a.extra["noun"].lower() != b.extra["noun"].lower():
        return False  # "three district centres, three townships and 130 villages": one count per kind of place
    same_modality = a.modality == b.modality or {a.modality, b.modality} <= _STATED
    if not same_modality or (a.actor, a.metric) != (b.actor, b.metric) and not _mirror(a, b):
        return False
    if abs(a.value - b.value) > 0.005 * max(abs(a.value), abs(b.value), 1e-9):
        return False
    if a.value != b.value and float(a.value).is_integer() and float(b.value).is_integer() \
            and a.extra.get("unit_text") == b.extra.get("unit_text"):
        return False  # "478 km2 in October ... 477 in August": two whole numbers in one unit differ

    if a.value_max != b.value_max:
        return False
    return a.qualifier == b.qualifier or "exact" in (a.qualifier, b.qualifier)


def merge_figures(figures: list[Figure]) -> list[Figure]:
    """Collapse same-claim figures into the first body occurrence, filling its missing
    counterpart/place/period/speaker (and a hedge) from the others."""
    out: list[Figure] = []
    for fig in figures:
        for i, kept in enumerate(out):
            if not _same(kept, fig):
                continue
            base, other = kept, fig
            if kept.extra.get("title") and not fig.extra.get("title"):
                base, other = fig, kept
            if base.metric != other.metric:  # a mirror: keep the loser's view (it names both)
                base, other = (base, other) if base.counterpart else (other, base)
                out[i] = replace(base, place=base.place or other.place, period=base.period or other.period,
                                 speaker=base.speaker or other.speaker)
                break
            out[i] = replace(
                base,
                counterpart=base.counterpart or other.counterpart,
                place=base.place or other.place,
                period=base.period or other.period,
                speaker=base.speaker or other.speaker,
                qualifier=base.qualifier if base.qualifier != "exact" else other.qualifier,
                modality="claimed" if "claimed" in (base.modality, other.modality) else base.modality,
                extra={**{k: v for k, v in other.extra.items() if k != "title"}, **base.extra},
            )
            break
        else:
            out.append(fig)
    return _collapse(out)


def _close(a: Figure, b: Figure) -> bool:
    return abs(a.value - b.value) <= 0.005 * max(abs(a.value), abs(b.value), 1e-9) and a.value_max == b.value_max


def _collapse(figs: list[Figure]) -> list[Figure]:
    """One article telling one figure twice in different words:
    * a generic party ("militants") and a named one with the same metric and value: the named;
    * one side's gain and another side's loss of the same value (no counterpart named, or
      each other's): the loser's view, naming the taker;
    * one sentence's stock and change of the same party and value ("advanced 2.5 km2 ...,
      occupying roughly 250 hectares"): the change;
    * the same figure asserted and historical: asserted (the present wins)."""
    drop: set[int] = set()
    for i, a in enumerate(figs):
        if i in drop:
            continue
        for j, b in enumerate(figs):
            if j <= i or j in drop or not _close(a, b):
                continue
            kind_a, _, dir_a = a.metric.partition("_")
            kind_b, _, dir_b = b.metric.partition("_")
            if kind_a != kind_b:
                continue
            stated = {a.modality, b.modality} <= _STATED
            if a.metric == b.metric and stated and (a.actor == a.actor.lower()) != (b.actor == b.actor.lower()):
                drop.add(i if a.actor == a.actor.lower() else j)
            elif _FLIP.get(dir_a) == dir_b and stated and a.actor != b.actor \
                    and a.counterpart in (None, b.actor) and b.counterpart in (None, a.actor):
                loser, taker = (a, b) if dir_a == "lost" else (b, a)
                k = i if loser is a else j
                figs[k] = replace(loser, counterpart=taker.actor)
                drop.add(j if k == i else i)
            elif a.actor == b.actor and stated and a.extra.get("pos", (None,))[0] == b.extra.get("pos", (None,))[0] \
                    and "controlled" in (dir_a, dir_b) and dir_a != dir_b:
                drop.add(i if dir_a == "controlled" else j)
            elif a.metric == b.metric and a.actor == b.actor and {a.modality, b.modality} == {"asserted", "historical"}:
                drop.add(i if a.modality == "historical" else j)
            if i in drop:
                break
    return [f for k, f in enumerate(figs) if k not in drop]
