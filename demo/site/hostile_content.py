"""Bodies that a robust crawler must survive: broken markup, XML attacks, huge and bomb payloads."""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterator

GZIP_BOMB_INFLATED_SIZE = 110 * 1024 * 1024

_FIRST_TEXT_ELEMENT = re.compile(r"<(title|loc)>")
_XML_DECLARATION = re.compile(r"\A<\?xml[^>]*\?>\s*")
_ROOT_ELEMENT = re.compile(r"<([A-Za-z][\w:.-]*)[\s>]")


def malformed_html(html: str) -> str:
    """The same page with unclosed and stray tags, bad entities and junk; the text stays readable."""
    broken = html.replace("</p>", "").replace("</div>", "").replace("</li>", "")
    broken = broken.replace("</body>", "").replace("</html>", "")
    junk = (
        '\n<div class="ad"><table><tr><td><font color=red size=+2>ADVERT <<<>>> &bogus; &#xZZZZ; '
        "</span></td></b></i>\n<center><marquee>breaking\n"
    )
    broken = broken.replace("<body>", "<body>" + junk, 1)
    return broken + '\n<div class="tracker"><img src="/t.gif" alt="" <br>\n<!-- unterminated comment\n'


def malformed_xml(xml: str) -> str:
    """The document cut in the middle of an element, then unescaped garbage."""
    cut = xml[: max(1, len(xml) * 6 // 10)]
    return cut + "\n<item><title>Broken & unescaped <b>feed</title></channel>\n\x01garbage"


def xml_bomb(xml: str) -> str:
    """Billion laughs: nested entities that expand to ~3 GB if a parser resolves them."""
    entities = ['  <!ENTITY lol0 "lol">']
    entities += [f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return _with_doctype(xml, "\n".join(entities), "&lol9;")


def xml_external_entity(xml: str, canary_url: str) -> str:
    """External entities: a local file and a URL whose fetching the site's request log records."""
    entities = f'  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n  <!ENTITY xxe_net SYSTEM "{canary_url}">'
    return _with_doctype(xml, entities, "&xxe;&xxe_net;")


def _with_doctype(xml: str, entities: str, reference: str) -> str:
    declaration = _XML_DECLARATION.match(xml)
    head = declaration.group(0) if declaration else '<?xml version="1.0" encoding="utf-8"?>\n'
    rest = xml[declaration.end():] if declaration else xml
    root = _ROOT_ELEMENT.search(rest)
    doctype = f"<!DOCTYPE {root.group(1) if root else 'root'} [\n{entities}\n]>\n"
    rest = _FIRST_TEXT_ELEMENT.sub(lambda m: m.group(0) + reference, rest, count=1)
    return head + doctype + rest


def oversized_html(prefix: str, size: int, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """Exactly ``size`` bytes: the start of a real page, then filler paragraphs, then the end tags."""
    head = prefix.encode("utf-8")[: max(0, size - 16)]
    tail = b"</body></html>\n"[: max(0, size - len(head))]
    remaining = size - len(head) - len(tail)
    unit = b"<p>Filler paragraph of an oversized page, repeated many times.</p>\n"
    block = unit * (chunk_size // len(unit) + 1)
    yield head
    while remaining > 0:
        piece = block[: min(remaining, len(block))]
        remaining -= len(piece)
        yield piece
    yield tail


@functools.cache
def gzip_bomb() -> bytes:
    """About 110 KB of gzip that inflates to 110 MB of spaces (computed once, ~0.5 s)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(GZIP_BOMB_INFLATED_SIZE // len(chunk))]
    parts.append(compressor.flush())
    return b"".join(parts)
