"""Where a quantity can start: word starts shortly before a number.

Quantity regexes are costly to try at every position of a sentence. Every quantity contains
a number (digits, a number word or a fraction word) and starts at a word (a hedge, "between",
the number itself) or a "~" at most BEFORE characters ahead of that number, so trying the
regexes only at those positions finds the same matches as `finditer`, several times faster.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from .numbers import NUMBER_WORDS

#: how far before one of its numbers a quantity can start ("between an estimated 5")
BEFORE = 48

_ANCHOR_RE = re.compile(
    r"\d+|\b(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")")
_START_RE = re.compile(r"\b\w|~")


def quantity_starts(sentence: str) -> list[int]:
    """Sorted positions where a quantity may start ([] when the sentence has no number)."""
    low = sentence.lower()
    if len(low) != len(sentence):  # rare case-folding that changes offsets: lower per char
        low = "".join(c.lower()[:1] or c for c in sentence)
    anchors = [m.start() for m in _ANCHOR_RE.finditer(low)]
    if not anchors:
        return []
    words = [m.start() for m in _START_RE.finditer(sentence)]
    out: list[int] = []
    last = -1
    for a in anchors:
        for p in words[bisect_left(words, max(a - BEFORE, last + 1)): bisect_left(words, a + 1)]:
            out.append(p)
            last = p
    return out


def matches_at(regex: re.Pattern[str], sentence: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What `regex.finditer(sentence)` yields, trying only the positions in `starts`."""
    pos = 0
    for p in starts:
        if p < pos:
            continue
        m = regex.match(sentence, p)
        if m:
            yield m
            pos = max(m.end(), p + 1)
