"""Plain-language wording of a figure for alert subjects and bodies."""

from __future__ import annotations

from typing import Any

VERBS = {"controlled": "controls", "gained": "gained", "lost": "lost"}
QUALIFIER_WORDS = {"approx": "about ", "nearly": "nearly ", "more_than": "more than ",
                   "less_than": "less than ", "at_least": "at least ", "at_most": "up to ",
                   "exact": "", "range": ""}
MODALITY_NOTES = {"claimed": " (claimed)", "future": " (expected)", "conditional": " (conditional)",
                  "negated": " (denied)", "historical": " (historical)", "asserted": ""}


def format_number(value: float) -> str:
    """14800.0 -> '14,800'; 7.5 -> '7.5'."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def format_amount(figure: dict[str, Any]) -> str:
    """The value with its unit: '5,841 km²', 'less than 8%', '142 towns and villages'."""
    value = format_number(figure["value"])
    if figure.get("value_max") is not None:
        value = f"{value}–{format_number(figure['value_max'])}"
    unit = figure["unit"]
    text = {"km2": f"{value} km²", "percent": f"{value}%",
            "count": f"{value} towns and villages"}.get(unit, f"{value} {unit}")
    return QUALIFIER_WORDS.get(figure.get("qualifier", "exact"), "") + text


def describe(figure: dict[str, Any]) -> str:
    """One line: 'Islamic State lost 5,841 km² in Syria during the last month'."""
    kind, direction = figure["metric"].split("_", 1)
    verb = VERBS.get(direction, direction)
    text = f"{figure['actor']} {verb} {format_amount(figure)}"
    if kind == "share" and figure.get("place"):
        text += f" of {figure['place']}"
    elif figure.get("place"):
        text += f" in {figure['place']}"
    period = figure.get("period") or {}
    if period.get("text"):
        text += f" {period['text']}"
    return text + MODALITY_NOTES.get(figure.get("modality", "asserted"), "")


def describe_move(previous: float, value: float, unit: str) -> str:
    """'down 23% from 14,800 km²' / 'up from 8% to 12%'."""
    amount = format_amount({"value": previous, "unit": unit, "qualifier": "exact"})
    if previous == 0:
        return f"previously {amount}"
    change = (value - previous) / previous * 100.0
    direction = "down" if change < 0 else "up"
    return f"{direction} {abs(change):.0f}% from {amount}"
