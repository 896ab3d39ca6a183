"""Choosing the encoding of a fetched page when its declared charset is wrong.

Scrapy trusts the Content-Type charset; a server that labels cp1256 bytes "utf-8" would leave
replacement characters everywhere. The declared encoding is kept when it decodes the body
cleanly; otherwise parsers.charset decides (byte-order mark, `<meta charset>`, UTF-8, then
charset-normalizer's verdict on the page's non-ASCII words).
"""

from __future__ import annotations

from parsers.charset import canonical, decodes, detect_encoding


def page_encoding(body: bytes, declared: str | None) -> str:
    """The encoding to read `body` with: `declared` when it decodes cleanly, else the best guess."""
    first = canonical(declared)
    if first and decodes(body, first):
        return first
    return detect_encoding(body, declared)
