"""Splitting plain article text into paragraphs and sentences."""

from __future__ import annotations

import re
from typing import NamedTuple

_PARA_RE = re.compile(r"\n\s*\n")
#: end punctuation, then (group "b") the break: an optional closing quote and the spaces before
#: a capital or digit, or the spaces after a closing quote (matching the punctuation first
#: lets the regex engine skip quickly to candidates)
_BOUNDARY_RE = re.compile(
    r"[.!?](?:(?P<b>[\"”’']?\s+(?=[\"“‘']?[A-Z0-9]))|[\"”’](?P<c>\s+))")
_ABBREV_RE = re.compile(
    r"(?:\b(?:Gen|Lt|Col|Maj|Capt|Sgt|Brig|Adm|Mr|Mrs|Ms|Dr|Prof|St|No|sq|approx|vs|Jan|Feb|Mar"
    r"|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Op|Ops|Lt.-Gen|Gov|Sen|Rep)|\b[A-Z]|\b(?:U\.S|U\.N|e\.g|i\.e))\.[\"”’]?$"
)
#: an abbreviation is at most 8 characters; one more keeps the word boundary before it exact
_ABBREV_TAIL = 12
#: a wire-service dateline opening the text: "MOSCOW (Reuters) - ", "BEIRUT, Oct 13 (AP) — ",
#: "DEIR EZ-ZOR, Syria — "; the place in it is where the story was filed, not who holds what
_WIRE_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}"
    r"(?:(?:, [A-Z][\w.]*(?: [\w.]+){0,3})? \([^()]{1,40}\)|, [A-Z][\w.]*(?: [\w.]+){0,3})"
    r" ?[-–—] +")


class Sentence(NamedTuple):
    """One sentence with its position: paragraph index, order in the text, char offset."""

    text: str
    paragraph: int
    order: int
    offset: int
    is_title: bool = False


def split_sentences(paragraph: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of one paragraph; abbreviations do not end a sentence."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(paragraph):
        cut = m.start("b") if m.group("b") is not None else m.start("c")
        chunk = paragraph[start: cut]
        if _ABBREV_RE.search(chunk.rstrip()[-_ABBREV_TAIL:]):
            continue
        if chunk.strip():
            pieces.append((start, chunk.strip()))
        start = m.end()
    if paragraph[start:].strip():
        pieces.append((start, paragraph[start:].strip()))
    return pieces


def split_text(text: str, title: str | None = None) -> list[Sentence]:
    """All sentences of a title (first, flagged) and a body of blank-line separated paragraphs;
    a wire-service dateline opening the body is left out."""
    out: list[Sentence] = []
    if title and title.strip():
        out.append(Sentence(" ".join(title.split()), -1, -1, 0, True))
    offset = 0
    order = 0
    for p_index, para in enumerate(_PARA_RE.split(text)):
        base = text.find(para, offset)
        offset = base + len(para)
        flat = " ".join(para.split()) if "\n" in para else para
        skip = 0
        if order == 0 and (dateline := _WIRE_DATELINE_RE.match(flat.lstrip())):
            skip = len(flat) - len(flat.lstrip()) + dateline.end()
        for rel, sent in split_sentences(flat[skip:]):
            out.append(Sentence(sent, p_index, order, base + skip + rel))
            order += 1
    return out
