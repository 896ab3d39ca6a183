"""HTML page -> normalised article (title, publication time, body text).

A source's selector sets (parsers.selector_chain) are tried in turn, each with BeautifulSoup
and soupsieve (parsers.selectors); the first that yields a title, a date and a body gives the
article. A field a set has no selector for is read generically: the title and publication
time from the page's metadata (parsers.page_metadata, with htmldate), the body by trafilatura
(parsers.generic_body). When no set yields every field, the generic extractor takes over (a
field it cannot find is taken from the first set that found it), and `Article.selector_misses`
says what each set lacked, which is how a site redesign shows. Input that is not an HTML page
(empty, binary) raises ArticleParseError, and so does a page without selectors where generic
extraction finds no article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lxml.etree import _Element

from parsers.dates import parse_date
from parsers.generic_body import generic_body
from parsers.html_input import ArticleParseError, html_text, html_tree, parse_document
from parsers.page_metadata import page_published, page_title
from parsers.selector_chain import GENERIC, SelectorChain, SelectorsConfig
from parsers.selectors import FIELDS, InvalidSelector, SelectorSet, apply_selectors, make_soup
from parsers.url_date import date_from_url

__all__ = ["Article", "ArticleParseError", "parse_article", "parse_date", "parse_document"]

SetMiss = tuple[str, tuple[str, ...]]  # a selector set's name and the fields it did not yield


@dataclass(frozen=True)
class Article:
    """What a page says, normalised: text only, publication time in UTC when known.

    `selector_set` names the selector set that gave the article ("generic" when none did or
    the source has none); `selector_misses` lists the sets tried before, with what each lacked.
    """

    title: str | None
    published: datetime | None
    body: str
    url: str | None = None
    missing: tuple[str, ...] = ()
    selector_set: str = GENERIC
    selector_misses: tuple[SetMiss, ...] = ()

    @property
    def text(self) -> str:
        """Title and body, as given to figure extraction."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    def to_json(self) -> dict[str, Any]:
        """The article as a JSON object (what `territory-watch article` prints)."""
        return {"title": self.title,
                "published": self.published.isoformat() if self.published else None,
                "body": self.body, "url": self.url, "missing": list(self.missing),
                "selector_set": self.selector_set,
                "selector_misses": {name: list(fields) for name, fields in self.selector_misses}}


def strip_dateline(body: str, dateline: str | None) -> str:
    """`body` without a leading dateline such as "Alwaght- " or "Alwaght: "."""
    if not dateline:
        return body
    return re.sub(rf"^\s*{re.escape(dateline)}\s*[-–—:]\s*", "", body)


def strip_headline(body: str, title: str | None) -> str:
    """`body` without a first paragraph that only repeats the title (a headline the page
    marks up as text, which generic extraction then keeps)."""
    first, _, rest = body.lstrip().partition("\n\n")
    if title and rest and " ".join(first.split()) == " ".join(title.split()):
        return rest.lstrip()
    return body


Fields = dict[str, Any]  # title, published, body


class _Page:
    """One page's text, with its generic readings computed once, on demand."""

    def __init__(self, text: str, url: str | None) -> None:
        self.text, self.url = text, url
        self._doc: _Element | None = None
        self._generic: Fields = {}

    @property
    def doc(self) -> _Element:
        if self._doc is None:
            self._doc = html_tree(self.text)
        return self._doc

    def generic(self, field: str, doc: _Element | None = None) -> Any:
        """The generic reading of `field` on the whole page, or on `doc` (a set's page
        without its excluded elements)."""
        if doc is not None:
            return _read_generic(field, doc, self.url)
        if field not in self._generic:
            self._generic[field] = _read_generic(field, self.doc, self.url)
        return self._generic[field]


def _read_generic(field: str, doc: _Element, url: str | None) -> Any:
    if field == "title":
        return page_title(doc)
    if field == "published":
        return page_published(doc, url)
    return generic_body(doc)


def _read_with(page: _Page, selectors: SelectorSet) -> Fields:
    """The fields `selectors` yields on the page, generic readings for those without one."""
    soup = make_soup(page.text)
    try:
        selected = apply_selectors(soup, selectors)
    except InvalidSelector as exc:
        raise ArticleParseError(str(exc)) from None
    values: Fields = {f: getattr(selected, f) for f in selectors.fields}
    unselected = [f for f in FIELDS if f not in selectors.fields]
    doc = html_tree(str(soup)) if unselected and selectors.exclude else None
    for field in unselected:
        values[field] = page.generic(field, doc)
    return values


def _page_day(page: _Page, chain: SelectorChain, published: date | datetime | None,
              fetched: date | datetime | None) -> date | datetime | None:
    """The day that picks the dated sets: the publication day given, else the URL's, else the
    page metadata's, else the fetch day."""
    if published is not None or not chain.dated:
        return published
    return ((date_from_url(page.url) if page.url else None) or page.generic("published")
            or fetched)


def _article(fields: Fields, url: str | None, dateline: str | None, **extra: Any) -> Article:
    title, published = fields.get("title"), fields.get("published")
    body = strip_dateline(strip_headline(fields.get("body") or "", title), dateline)
    missing = tuple(name for name, value in (("title", title), ("published", published),
                                              ("body", body)) if not value)
    return Article(title=title, published=published, body=body, url=url, missing=missing,
                   **extra)


def parse_article(
    html: str | bytes,
    url: str | None = None,
    selectors: SelectorChain | SelectorsConfig | None = None,
    *,
    dateline: str | None = None,
    published: date | datetime | None = None,
    fetched: date | datetime | None = None,
) -> Article:
    """Extract the article; `dateline` (e.g. "Alwaght") is stripped from the body's start.

    `selectors` is one selector set or a list of them. The sets whose date range covers the
    page's day are tried first: `published` (what a feed or sitemap said), else the day in
    the URL, else the page's own metadata, else `fetched`.
    """
    page = _Page(html_text(html), url)
    chain = SelectorChain.from_config(selectors)
    misses: list[SetMiss] = []
    tried: list[Fields] = []
    for selector_set in chain.ordered(_page_day(page, chain, published, fetched)):
        fields = _read_with(page, selector_set)
        lacking = tuple(f for f in FIELDS if not fields[f])
        if not lacking:
            return _article(fields, url, dateline, selector_set=selector_set.name,
                            selector_misses=tuple(misses))
        misses.append((selector_set.name, lacking))
        tried.append(fields)
    fields = {f: page.generic(f) for f in FIELDS}
    if not fields["body"] and not any(t["body"] for t in tried):
        if not chain.sets:
            raise ArticleParseError("no article text found: the page holds no block of "
                                    "running text (a listing, a media page or an error page?)")
    for field in FIELDS:
        fields[field] = fields[field] or next((t[field] for t in tried if t[field]), None)
    return _article(fields, url, dateline, selector_misses=tuple(misses))
