"""Title and publication time of a page from its metadata, for fields no selector covers.

Title: `og:title` or `twitter:title`, else the `<h1>`, else `<title>`.
Published: the published-time metadata (`article:published_time` and kin, JSON-LD
`datePublished`), which carry the time of day; else htmldate's reading of the page (the
original publication day from its metadata, markup and URL); else the first `<time datetime>`.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from functools import lru_cache

from htmldate import find_date
from lxml.cssselect import CSSSelector
from lxml.etree import _Element

from parsers.dates import parse_date

TITLE_SOURCES = ('meta[property="og:title"]', 'meta[name="twitter:title"]', "h1", "title")
DATE_META = (
    'meta[property="article:published_time"]', 'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]', 'meta[name="pubdate"]', 'meta[name="publishdate"]',
    'meta[name="date"]', 'meta[name="dc.date"]', 'meta[name="DC.date.issued"]',
)
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_SPACES = re.compile(r"\s+")

logging.getLogger("htmldate").setLevel(logging.WARNING)


@lru_cache(maxsize=256)
def css(selector: str) -> CSSSelector:
    """A compiled CSS selector for lxml trees (compiling costs more than running it)."""
    return CSSSelector(selector, translator="html")


def first_match(doc: _Element, selectors: tuple[str, ...]) -> _Element | None:
    """The first element matched by the first of `selectors` that matches any."""
    for selector in selectors:
        found = css(selector)(doc)
        if found:
            return found[0]
    return None


def element_value(element: _Element) -> str:
    """A metadata element's value: its `content` or `datetime` attribute, else its text."""
    for attr in ("content", "datetime"):
        value = element.get(attr)
        if value and value.strip():
            return value.strip()
    return _SPACES.sub(" ", element.text_content()).strip()


def page_title(doc: _Element) -> str | None:
    """The page's title from its metadata, headline or `<title>`."""
    element = first_match(doc, TITLE_SOURCES)
    return (element_value(element) or None) if element is not None else None


def _json_ld_date(doc: _Element) -> datetime | None:
    for script in css('script[type="application/ld+json"]')(doc):
        match = _JSON_LD_DATE.search(script.text or "")
        if match:
            return parse_date(match.group(1))
    return None


def _htmldate(doc: _Element, url: str | None) -> datetime | None:
    try:
        day = find_date(doc, url=url, original_date=True, extensive_search=False)
    except (ValueError, TypeError):
        return None
    return parse_date(day) if day else None


def page_published(doc: _Element, url: str | None = None) -> datetime | None:
    """When the page says it was published, in UTC; a day alone reads as its midnight UTC."""
    element = first_match(doc, DATE_META)
    published = parse_date(element_value(element)) if element is not None else None
    if published is None:
        published = _json_ld_date(doc) or _htmldate(doc, url)
    if published is None:
        element = first_match(doc, ("time[datetime]",))
        published = parse_date(element_value(element)) if element is not None else None
    return published
