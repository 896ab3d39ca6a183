"""Area units as written, and their factors to km2 (computed once with pint)."""

from __future__ import annotations

from functools import cache, lru_cache

#: canonical unit -> regex of its spellings (hyphens allowed: "four-square-kilometre")
AREA_UNITS: dict[str, str] = {
    "km2": (
        r"square[\s-]+kilomet(?:er|re)s?|sq\.?[\s-]*(?:km|kilomet(?:er|re)s?)\b"
        r"|square[\s-]+kms?\b|km(?:2|²|\^2)(?![\d])|kilomet(?:er|re)s?\s+squared"
    ),
    "mi2": r"square[\s-]+miles?|sq\.?[\s-]*mi(?:les?)?\b|mi(?:2|²)(?![\d])",
    "hectare": r"hectares?|(?:\b|(?<=\d))ha\b",
    "m2": r"square[\s-]+met(?:er|re)s?|sq\.?[\s-]*m\b|(?<![k])m(?:2|²)(?![\d])",
    "acre": r"acres?",
    "dunam": r"dunams?|dunums?|donums?|dönüms?|decares?",
}

_PINT_NAMES = {
    "km2": "kilometer**2",
    "mi2": "mile**2",
    "hectare": "hectare",
    "m2": "meter**2",
    "acre": "international_acre",
    "dunam": "dunam",
}

#: one regex alternation with a named group per canonical unit
AREA_UNIT_RE = "(?:" + "|".join(f"(?P<u_{k}>{v})" for k, v in AREA_UNITS.items()) + ")"


@cache
def km2_factor(unit: str) -> float:
    """How many km2 one `unit` (a key of AREA_UNITS) is, via pint (dunam = 1000 m2)."""

    ureg = _registry()
    return float(ureg.Quantity(1, _PINT_NAMES[unit]).to("kilometer**2").magnitude)


@lru_cache(maxsize=1)
def _registry():
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("dunam = 1000 * meter**2 = dunum = donum")
    # pint's plain "acre" is the US survey acre; news acres are international ones
    ureg.define("international_acre = 4046.8564224 * meter**2")
    return ureg


#: factors resolved at import so extraction never calls pint
KM2_FACTORS: dict[str, float] = {u: km2_factor(u) for u in AREA_UNITS}


def unit_of_match(groupdict: dict[str, str | None]) -> str | None:
    """The canonical unit whose named group matched in an AREA_UNIT_RE match."""
    for key in AREA_UNITS:
        if groupdict.get(f"u_{key}"):
            return key
    return None


def to_km2(value: float, unit: str) -> float:
    """Convert `value` in `unit` to km2."""
    return value * KM2_FACTORS[unit]
