"""Hedges before (or after) a number -> SPEC qualifier."""

from __future__ import annotations

import re

#: qualifier -> phrases that precede a number
QUALIFIER_PHRASES: dict[str, list[str]] = {
    "less_than": ["less than", "fewer than", "under", "below", "just under", "just below", "not even"],
    "more_than": ["more than", "over", "above", "in excess of", "upwards of", "greater than",
                  "just over", "exceeding", "exceeds", "exceeded", "well over", "surpassing", "surpasses",
                  "surpassed", "tops", "topped"],
    "nearly": ["nearly", "almost", "close to", "approaching", "virtually", "all but"],
    "approx": ["about", "some", "roughly", "around", "approximately", "approx.", "approx",
               "an estimated", "estimated", "circa", "~", "an approximate", "a reported"],
    "at_most": ["up to", "at most", "as much as", "as many as", "no more than", "a maximum of"],
    "at_least": ["at least", "no less than", "no fewer than", "a minimum of", "not less than"],
}
_PHRASE_TO_QUAL = {p: q for q, ps in QUALIFIER_PHRASES.items() for p in ps}
#: regex of a qualifier phrase (longest first)
QUALIFIER = "(?:" + "|".join(
    re.escape(p) for p in sorted(_PHRASE_TO_QUAL, key=len, reverse=True)) + ")"
_SUFFIX_RE = re.compile(r"^\s*(?P<s>or more|or so|or less|and more|plus)\b", re.I)
_SUFFIX_QUAL = {"or more": "at_least", "and more": "at_least", "plus": "at_least",
                "or so": "approx", "or less": "at_most"}


def qualifier_of(phrase: str | None) -> str:
    """SPEC qualifier for a hedge phrase ('less than' -> 'less_than'); 'exact' for none."""
    if not phrase:
        return "exact"
    return _PHRASE_TO_QUAL.get(" ".join(phrase.lower().split()), "exact")


def suffix_qualifier(after: str) -> tuple[str | None, int]:
    """A hedge right after the unit ('or more') and its length, else (None, 0)."""
    m = _SUFFIX_RE.match(after)
    if not m:
        return None, 0
    return _SUFFIX_QUAL[m.group("s").lower()], m.end()
