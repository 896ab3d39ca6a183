"""Where a quantity can start: at a number, or at a hedge or "between"/"from" shortly before one.

Quantity regexes are costly to try at every position of a sentence. Every quantity contains
a number (digits, a number word or a fraction word) and starts at that number, at a word
that can open it (a hedge such as "more than", "between", "a" of "a third") or at a "~",
at most BEFORE characters ahead of the number. Trying the regexes only at those positions
finds the same matches as `finditer`, several times faster.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .numbers import NUMBER_WORDS
from .qualifiers import QUALIFIER_PHRASES

#: how far before one of its numbers a quantity can start ("between an estimated 5")
BEFORE = 48
#: lower-case first words of what can open a quantity besides the number itself
LEAD_WORDS: frozenset[str] = frozenset(
    {p.split()[0].rstrip(".") for ps in QUALIFIER_PHRASES.values() for p in ps if p[0].isalpha()}
    | {"between", "from", "a", "an", "the", "another", "further", "only", "just"})
_TOKEN_RE = re.compile(r"\b\w+|~")


def quantity_starts(sentence: str) -> list[int]:
    """Sorted positions where a quantity may start ([] when the sentence has no number)."""
    leads: list[int] = []
    out: list[int] = []
    for m in _TOKEN_RE.finditer(sentence):
        word = m.group().lower()
        if word[0].isdigit() or word in NUMBER_WORDS or word == "both":  # "both villages": two
            p = m.start()
            out.extend(q for q in leads if q >= p - BEFORE)
            leads.clear()
            if not (p and sentence[p - 1] in ".,/-" and word[0].isdigit()):
                out.append(p)  # (the "000" of "5,000" never starts a number)
        elif word in LEAD_WORDS or word == "~":
            leads.append(m.start())
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
