"""Numbers as written in news text: digits with either separator convention, scale words,
number words and fractions, parsed to floats."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "tenth": 10, "tenths": 10,
}

#: every word that is (part of) a number or a fraction, lower case
NUMBER_WORDS: frozenset[str] = frozenset({*_UNITS, *_SCALES, *_FRACTIONS})

_WORD = r"(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")"
_SCALE = r"(?:hundred|thousand|million|billion)"
DIGITS = (r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?=\s*(?:sq\b|sq\.|square|km|kilomet|hectare|ha\b|acre|dun|%|per\s*cent"
    r"|percent))"
          r"|\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")
#: a number in digits, optionally with a scale word ("14.8 thousand", "1.2 million", "15k")
DIGIT_NUMBER = rf"(?:{DIGITS})(?:\s*(?:{_SCALE}|k\b))?"
#: a number in words ("four", "twenty-five", "a hundred", "three thousand")
WORD_NUMBER = (
    rf"(?:(?:an?\s+(?={_SCALE}|dozen))?(?:{_WORD}|{_SCALE})"
    rf"(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}|{_SCALE})\b)*)"
)
_FRAC_NAME = r"(?:" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + ")"
#: a fraction ("a third", "two-thirds", "half", "one and a half", "three quarters")
FRACTION = (
    rf"(?:(?:{_WORD}\s+and\s+a\s+half)|(?:(?:an?|one|two|three|four|five|six|seven|eight|nine)[\s-]+{_FRAC_NAME})|half)"
)
#: any number this module can parse
NUMBER = rf"(?:{DIGIT_NUMBER}|{FRACTION}|{WORD_NUMBER})"

_THOUSANDS_RE = re.compile(r"^(\d{1,3})([,.])(\d{3})((?:\2\d{3})*)(?:[.,](\d+))?$")
_SCALE_RE = re.compile(rf"\s*({_SCALE}|k)$", re.I)
_SPLIT_RE = re.compile(r"[\s-]+")


def parse_digits(text: str) -> float:
    """Parse '14,800', '8.000', '14.8', '1,5' ('.'/',' followed by exactly three digits is a
    thousands separator unless the integer part is 0)."""
    text = text.strip()
    m = _THOUSANDS_RE.match(text)
    if m and m.group(1) != "0":
        sep = m.group(2)
        integer = text
        decimal = ""
        other = "." if sep == "," else ","
        if other in text:
            integer, decimal = text.rsplit(other, 1)
        value = float(integer.replace(sep, ""))
        return value + (float("0." + decimal) if decimal else 0.0)
    return float(text.replace(",", "."))


def parse_words(text: str) -> float | None:
    """Parse number words ('twenty-five', 'a hundred', 'three thousand')."""
    total, current, seen = 0.0, 0.0, False
    for tok in _SPLIT_RE.split(text.lower()):
        if tok in ("and", "a", "an", ""):
            if tok in ("a", "an"):
                current = current or 1.0
            continue
        if tok == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif tok in _UNITS:
            current += _UNITS[tok]
            seen = True
        elif tok == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif tok in _SCALES:
            total += (current or 1.0) * _SCALES[tok]
            current, seen = 0.0, True
        else:
            return None
    return total + current if seen else None


def parse_fraction(text: str) -> float | None:
    """Parse a fraction word group to its value ('two-thirds' -> 0.667, 'half' -> 0.5)."""
    low = text.lower()
    m = re.match(rf"^({_WORD})\s+and\s+a\s+half$", low)
    if m:
        return _UNITS[m.group(1)] + 0.5
    toks = [t for t in _SPLIT_RE.split(low) if t]
    if toks == ["half"]:
        return 0.5
    if len(toks) == 2 and toks[1] in _FRACTIONS:
        num = 1.0 if toks[0] in ("a", "an") else float(_UNITS.get(toks[0], 0))
        return num / _FRACTIONS[toks[1]] if num else None
    return None


def parse_number(text: str) -> float | None:
    """Parse any NUMBER match to a float (fractions as fractions: 'a third' -> 0.333)."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        text = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", text)  # "17 010"
        scale = 1.0
        m = _SCALE_RE.search(text)
        if m:
            word = m.group(1).lower()
            scale = 1_000.0 if word == "k" else float(_SCALES[word])
            text = text[: m.start()]
        return parse_digits(text) * scale
    frac = parse_fraction(text)
    if frac is not None:
        return frac
    return parse_words(text)


def is_fraction(text: str) -> bool:
    """True for fraction words ('a third'), false for numbers ('three')."""
    return not text.strip()[:1].isdigit() and parse_fraction(text) is not None
