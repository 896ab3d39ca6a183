"""HTML page -> normalised article (title, publication time, body text).

A source's CSS selectors decide the fields they are given for (parsers.selectors, with
BeautifulSoup and soupsieve); a field without one is read generically: the title and
publication time from the page's metadata (parsers.page_metadata, with htmldate), the body by
trafilatura (parsers.generic_body). Input that is not an HTML page (empty, binary) and a page
where generic extraction finds no article text raise ArticleParseError; a configured selector
that matches nothing leaves its field empty and named in `Article.missing` instead, which is
how a site redesign shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from parsers.dates import parse_date
from parsers.generic_body import generic_body
from parsers.html_input import ArticleParseError, html_text, html_tree, parse_document
from parsers.page_metadata import page_published, page_title
from parsers.selectors import InvalidSelector, Selected, SelectorSet, apply_selectors, make_soup

__all__ = ["Article", "ArticleParseError", "parse_article", "parse_date", "parse_document"]


@dataclass(frozen=True)
class Article:
    """What a page says, normalised: text only, publication time in UTC when known."""

    title: str | None
    published: datetime | None
    body: str
    url: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Title and body, as given to figure extraction."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body


def strip_dateline(body: str, dateline: str | None) -> str:
    """`body` without a leading dateline such as "Alwaght- " or "Alwaght: "."""
    if not dateline:
        return body
    return re.sub(rf"^\s*{re.escape(dateline)}\s*[-–—:]\s*", "", body)


def _select(text: str, selectors: SelectorSet, generic: bool) -> tuple[Selected, str]:
    """The selected fields, and the page left for the `generic` fields (without the excluded
    elements)."""
    soup = make_soup(text)
    try:
        selected = apply_selectors(soup, selectors)
    except InvalidSelector as exc:
        raise ArticleParseError(str(exc)) from None
    return selected, str(soup) if generic and selectors.exclude else text


def parse_article(
    html: str | bytes,
    url: str | None = None,
    selectors: Mapping[str, object] | SelectorSet | None = None,
    *,
    dateline: str | None = None,
) -> Article:
    """Extract the article; `dateline` (e.g. "Alwaght") is stripped from the body's start."""
    text = html_text(html)
    chosen = selectors if isinstance(selectors, SelectorSet) else SelectorSet.from_config(selectors)
    generic = [field for field in ("title", "published", "body") if field not in chosen.fields]
    selected = Selected()
    if chosen.fields or chosen.exclude:
        selected, text = _select(text, chosen, bool(generic))
    title, published, body = selected.title, selected.published, selected.body or ""
    if generic:
        doc = html_tree(text)
        if "title" in generic:
            title = page_title(doc)
        if "published" in generic:
            published = page_published(doc, url)
        if "body" in generic:
            body = generic_body(doc)
            if not body:
                raise ArticleParseError("no article text found: the page holds no block of "
                                        "running text (a listing, a media page or an error page?)")
    body = strip_dateline(body, dateline)
    missing = tuple(name for name, value in (("title", title), ("published", published),
                                              ("body", body)) if not value)
    return Article(title=title, published=published, body=body, url=url, missing=missing)
