"""Plain-language wording of a figure for alert subjects and bodies."""

from __future__ import annotations

from typing import Any

from alerting.numbers import format_number, honest_amount

VERBS = {"controlled": "controls", "gained": "gained", "lost": "lost"}
MODALITY_NOTES = {"claimed": " (claimed)", "future": " (expected)", "conditional": " (conditional)",
                  "negated": " (denied)", "historical": " (historical)", "asserted": ""}
format_amount = honest_amount


def describe(figure: dict[str, Any]) -> str:
    """One line: 'Islamic State lost 5,841 km² in Syria during the last month'."""
    kind, direction = figure["metric"].split("_", 1)
    verb = VERBS.get(direction, direction)
    text = f"{figure['actor']} {verb} {honest_amount(figure)}"
    if kind == "share" and figure.get("place"):
        text += f" of {figure['place']}"
    elif figure.get("place"):
        text += f" in {figure['place']}"
    period = figure.get("period") or {}
    if period.get("text"):
        text += f" {period['text']}"
    return text + MODALITY_NOTES.get(figure.get("modality", "asserted"), "")


def describe_move(previous: float, value: float, unit: str) -> str:
    """'down 23% from 14,800 km²' / 'up 50% from 8%'."""
    amount = honest_amount({"value": previous, "unit": unit, "qualifier": "exact"})
    if previous == 0:
        return f"previously {amount}"
    change = (value - previous) / previous * 100.0
    direction = "down" if change < 0 else "up"
    return f"{direction} {abs(change):.0f}% from {amount}"


__all__ = ["describe", "describe_move", "format_amount", "format_number"]
