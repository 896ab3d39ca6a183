"""A fetched page as HTML text and as an lxml tree, refusing what is not an HTML page.

Bytes are decoded with parsers.charset (declared charset, `<meta>`, detection); empty pages and
binary bodies (images, PDFs, archives, compressed data) raise ArticleParseError saying which.
"""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError, _Element

from parsers.charset import decode_html


class ArticleParseError(ValueError):
    """The page is not parseable as HTML or holds no article text."""


SIGNATURES = (  # what a binary body usually is, by its first bytes
    (b"%PDF-", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"RIFF", "a RIFF media file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"), (b"BZh", "bzip2-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"), (b"\x00\x00\x01\x00", "an icon"),
)
SNIFF_BYTES = 2048
MAX_CONTROL_SHARE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


def binary_kind(html: str | bytes) -> str | None:
    """What the body is when it is binary data rather than text, else None."""
    head = html[:SNIFF_BYTES]
    raw = head if isinstance(head, bytes) else head.encode("latin-1", errors="replace")
    for signature, kind in SIGNATURES:
        if raw.startswith(signature):
            return kind
    text = head.decode("latin-1") if isinstance(head, bytes) else head
    if text.startswith(("\ufeff", "\xff\xfe", "\xfe\xff")):  # a byte-order mark: text
        return None
    if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        return "binary data"
    return None


def html_text(html: str | bytes, declared: str | None = None) -> str:
    """The page as text, or ArticleParseError when it is empty or binary."""
    kind = binary_kind(html)
    if kind:
        raise ArticleParseError(f"not an HTML page: the body is {kind}")
    text = decode_html(html, declared) if isinstance(html, bytes) else html
    if not text.strip():
        raise ArticleParseError("empty page: the body holds no text")
    return text


def html_tree(text: str) -> _Element:
    """The lxml tree of HTML text (malformed markup is repaired; comments are dropped)."""
    try:
        text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses it in a str
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (ParserError, ValueError) as exc:
        raise ArticleParseError(f"not an HTML document: {exc}") from None


def parse_document(html: str | bytes) -> _Element:
    """Parse HTML leniently (malformed markup is repaired), raising ArticleParseError if empty
    or binary."""
    return html_tree(html_text(html))
