"""Merging figures that are the same claim (headline and body, repeated sentences)."""

from __future__ import annotations

from dataclasses import replace

from ..figure import Figure


def _same(a: Figure, b: Figure) -> bool:
    if (a.actor, a.metric, a.modality) != (b.actor, b.metric, b.modality):
        return False
    if abs(a.value - b.value) > 0.005 * max(abs(a.value), abs(b.value), 1e-9):
        return False
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
            out[i] = replace(
                base,
                counterpart=base.counterpart or other.counterpart,
                place=base.place or other.place,
                period=base.period or other.period,
                speaker=base.speaker or other.speaker,
                qualifier=base.qualifier if base.qualifier != "exact" else other.qualifier,
                extra={**{k: v for k, v in other.extra.items() if k != "title"}, **base.extra},
            )
            break
        else:
            out.append(fig)
    return out
