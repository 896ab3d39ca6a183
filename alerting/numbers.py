"""Honest numbers: a figure shown with the precision it was written with, and in its own words.

"roughly 40,000 square miles" is stored as 103,599.52 km²; an alert says "about 103,600 km²
(40,000 square miles)". A converted value keeps at most as many significant digits as the
written number had (never fewer than four, so conversions stay readable), ranges stay ranges
and qualifiers are words.
"""

from __future__ import annotations

import math
import re
from typing import Any

QUALIFIER_WORDS = {"approx": "about ", "nearly": "nearly ", "more_than": "more than ",
                   "less_than": "less than ", "at_least": "at least ", "at_most": "up to ",
                   "exact": "", "range": ""}
UNIT_TEXT = {"km2": "{} km²", "percent": "{}%", "count": "{} towns and villages"}
MIN_SIGNIFICANT = 4

#: km² per unit, for the units a text may use; spellings map to the key (see `_UNIT_WORDS`)
KM2_PER_UNIT = {"km2": 1.0, "sq mi": 2.589988110336, "ha": 0.01, "acre": 0.0040468564224,
                "dunam": 0.001}
_UNIT_WORDS = [
    (r"square\s+kilomet(?:er|re)s?|sq\.?\s*km|km2|km²|square\s+km", "km2"),
    (r"square\s+miles?|sq\.?\s*mi(?:les?)?|mi²|mi2", "sq mi"),
    (r"hectares?|ha\b", "ha"),
    (r"acres?", "acre"),
    (r"dunams?|donums?|dunums?", "dunam"),
]
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(million|thousand))?"
_QUANTITY = re.compile(
    _NUMBER + r"\s*(?:-\s*)?(" + "|".join(f"(?:{words})" for words, _ in _UNIT_WORDS) + r")",
    re.IGNORECASE)
_SCALE = {"million": 1e6, "thousand": 1e3}


def format_number(value: float) -> str:
    """14800.0 -> '14,800'; 7.5 -> '7.5'."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def significant_digits(written: str) -> int:
    """Significant digits of a number as written: '40,000' -> 1, '5,841' -> 4, '14.8' -> 3."""
    digits = written.replace(",", "").lstrip("0.")
    if "." in written:
        return len(digits.replace(".", ""))
    return max(len(digits.rstrip("0")), 1)


def round_significant(value: float, digits: int) -> float:
    """`value` rounded to `digits` significant digits (103599.52, 4 -> 103600.0)."""
    if value == 0:
        return 0.0
    places = digits - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, places)
    return float(int(rounded)) if places <= 0 else rounded


def _unit_key(word: str) -> str:
    for pattern, key in _UNIT_WORDS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return key
    return word


def original_quantity(sentence: str, value: float) -> dict[str, Any] | None:
    """The quantity in `sentence` that `value` (km²) was converted from, when it used another
    unit: {"text": "40,000 square miles", "number": "40,000", "unit": "sq mi"}; else None."""
    for match in _QUANTITY.finditer(sentence or ""):
        number, scale, word = match.group(1), match.group(2), match.group(3)
        unit = _unit_key(word)
        amount = float(number.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)
        converted = amount * KM2_PER_UNIT.get(unit, 0.0)
        if unit != "km2" and converted and abs(converted - value) <= 0.005 * max(value, 1e-9):
            return {"text": " ".join(match.group(0).split()), "number": number, "unit": unit}
    return None


def original_of(figure: dict[str, Any]) -> dict[str, Any] | None:
    """The written quantity of an area figure: given by the engine (`original`), else derived
    from its sentence; None for km² as written, shares and counts."""
    given = figure.get("original")
    if isinstance(given, dict) and given.get("text"):
        return given
    if isinstance(given, str) and given:
        found = original_quantity(given, figure.get("value", 0.0))
        return found or {"text": given, "number": given.split()[0], "unit": ""}
    if figure.get("unit") != "km2":
        return None
    return original_quantity(str(figure.get("sentence") or ""), float(figure.get("value", 0.0)))


def _shown(value: float, digits: int | None) -> float:
    return round_significant(value, digits) if digits is not None else value


def honest_amount(figure: dict[str, Any]) -> str:
    """'about 103,600 km² (40,000 square miles)', '5,000–6,000 km²', 'less than 8%'."""
    value = float(figure["value"])
    value_max = figure.get("value_max")
    qualifier = figure.get("qualifier", "exact")
    original = original_of(figure)
    digits: int | None = None
    if original is not None:
        digits = max(significant_digits(str(original.get("number", ""))), MIN_SIGNIFICANT)
    elif figure.get("unit") == "km2" and not value.is_integer() and abs(value) >= 100:
        digits = MIN_SIGNIFICANT  # a fraction of a km² nobody measured
    shown = _shown(value, digits)
    text = format_number(shown)
    if value_max is not None:
        text = f"{text}–{format_number(_shown(float(value_max), digits))}"
    words = QUALIFIER_WORDS.get(qualifier, "")
    if not words and value_max is None and shown != value:
        words = "about "
    amount = words + UNIT_TEXT.get(figure.get("unit", ""), "{} " + str(figure.get("unit", ""))
                                   ).format(text)
    if original is not None:
        amount += f" ({original['text']})"
    return amount
