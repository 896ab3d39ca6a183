"""Choosing the encoding of a fetched page when its declared charset is wrong.

Scrapy trusts the Content-Type charset; a server that labels cp1256 bytes "utf-8" would leave
replacement characters everywhere. When the declared encoding does not decode the body
cleanly, the candidates that do are scored by how much mojibake they produce (words mixing
scripts, runs of accented Latin letters) and the least garbled wins.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

FALLBACKS = ("utf-8", "cp1252", "cp1256", "cp1251", "iso-8859-7", "latin-1")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _script(char: str) -> str:
    if char.isascii():
        return "ascii"
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "?"


def mojibake_score(text: str) -> int:
    """How garbled `text` looks: words mixing scripts or made mostly of accented Latin letters."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        scripts = {_script(c) for c in word}
        if len(scripts - {"ascii", "LATIN"}) > 1 or (scripts - {"ascii", "LATIN"} and
                                                     scripts & {"ascii", "LATIN"}):
            score += 2
        elif "LATIN" in scripts and sum(not c.isascii() for c in word) * 2 > len(word):
            score += 1
    return score


def page_encoding(body: bytes, declared: str | None) -> str:
    """The encoding to read `body` with: `declared` when it decodes cleanly, else the best guess."""
    first = _canonical(declared)
    if first and _decodes(body, first):
        return first
    meta = _META_CHARSET.search(body[:4096])
    candidates = [c for c in (_canonical(meta.group(1).decode("ascii")) if meta else None,
                              *map(_canonical, FALLBACKS)) if c]
    clean = [c for c in dict.fromkeys(candidates) if _decodes(body, c)]
    if not clean:
        return first or "utf-8"
    return min(clean, key=lambda c: (mojibake_score(body.decode(c)), clean.index(c)))
