"""The article body of a page no selector describes, found by trafilatura.

trafilatura runs in its fast mode (its first candidate, no comparison with its fallback
extractors) without reader comments, which are not the article. Its result then gets two
checks of our own:
- headings before the first paragraph go: the headline, kicker and standfirst that
  trafilatura keeps at the top (the title is reported apart, and a dateline must lead);
- a result that reads like a menu (most of its text in short lines) means the fast mode took
  the wrong block: the page is extracted again in trafilatura's full mode, which compares its
  candidates. If that still reads like a menu, the page has no article (a section front, a
  media page) and the body is empty.
"""

from __future__ import annotations

import logging

from lxml.etree import _Element
from trafilatura import bare_extraction
from trafilatura.settings import Document, Extractor

from parsers.block_text import block_text

# "txt": bare_extraction then leaves the body tree unrendered (block_text renders it)
FAST = Extractor(output_format="txt", fast=True, comments=False)
FULL = Extractor(output_format="txt", fast=False, comments=False)
# trafilatura's output elements that make paragraphs of their own (`cell`s stay on their row)
OUTPUT_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "lb", "code",
                           "div", "section", "figure"})
CELLS = frozenset({"cell"})
SHORT_LINE = 40  # characters: a menu entry, not a sentence
MAX_SHORT_SHARE = 0.5

logging.getLogger("trafilatura").setLevel(logging.ERROR)  # "discarding data": ours to report


def _text(element: _Element) -> str:
    return "".join(element.itertext()).strip()


def drop_leading_headings(body: _Element) -> None:
    """Remove the headings (and empty elements) that come before the first paragraph."""
    for element in list(body):
        if element.tag != "head" and _text(element):
            return
        body.remove(element)


def reads_like_a_menu(text: str) -> bool:
    """Whether most of `text` is in short lines, as in a navigation menu."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    short = sum(len(line) for line in lines if len(line) < SHORT_LINE)
    return short > MAX_SHORT_SHARE * max(1, sum(map(len, lines)))


def _extract(doc: _Element, options: Extractor) -> str:
    document = bare_extraction(doc, options=options)
    if not isinstance(document, Document) or document.body is None:
        return ""
    drop_leading_headings(document.body)
    return block_text(document.body, blocks=OUTPUT_BLOCKS, invisible=frozenset(), cells=CELLS)


def generic_body(doc: _Element) -> str:
    """The article text of the page `doc`, paragraphs separated by blank lines ("" if none)."""
    text = _extract(doc, FAST)
    if text and reads_like_a_menu(text):
        text = _extract(doc, FULL)
    return "" if reads_like_a_menu(text) else text
