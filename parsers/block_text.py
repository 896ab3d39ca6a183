"""An element's visible text as paragraphs: block elements start new paragraphs.

Paragraphs are separated by a blank line; runs of spaces and tabs inside one are collapsed.
Table cells that share a paragraph (a row) are separated by " | ", so that neighbouring
numbers never run together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.etree import _Element

HTML_BLOCKS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br", "section",
    "article", "td", "th", "pre", "table", "ul", "ol", "dl", "dt", "dd", "figcaption", "header",
    "footer", "main", "aside", "nav", "hr",
})
INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title"})
CELL_SEPARATOR = " | "
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\xa0]*\n\s*")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_EMPTY_CELLS = re.compile(r"(?: ?\| ?){2,}")


def _clean(chunk: str, cells: bool) -> str:
    chunk = _SPACES.sub(" ", chunk).strip()
    if cells and "|" in chunk:  # a row's empty cells leave separators with nothing between them
        chunk = _EMPTY_CELLS.sub(CELL_SEPARATOR, chunk).strip(" |")
    return chunk


def paragraphs(pieces: Iterable[str], *, cells: bool = False) -> str:
    """Join text pieces ("\\n\\n" marks a block boundary) into clean paragraphs."""
    chunks = (_clean(chunk, cells) for chunk in _PARAGRAPH_BREAK.split("".join(pieces)))
    return "\n\n".join(chunk for chunk in chunks if chunk)


def block_text(element: _Element, blocks: frozenset[str] = HTML_BLOCKS,
               invisible: frozenset[str] = INVISIBLE, cells: frozenset[str] = frozenset()) -> str:
    """The text of `element`, a paragraph per block element, skipping `invisible` ones;
    elements in `cells` are separated from their neighbours by CELL_SEPARATOR."""
    pieces: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event in ("comment", "pi"):
            if node.tail:
                pieces.append(node.tail)
            continue
        tag = node.tag
        if event == "start":
            if tag in invisible:
                walker.skip_subtree()
            else:
                if tag in blocks:
                    pieces.append("\n\n")
                elif tag in cells and pieces and not pieces[-1].endswith("\n"):
                    pieces.append(CELL_SEPARATOR)
                if node.text:
                    pieces.append(node.text)
            continue
        if tag in blocks:
            pieces.append("\n\n")
        if node is not element and node.tail:
            pieces.append(node.tail)
    return paragraphs(pieces, cells=bool(cells))
