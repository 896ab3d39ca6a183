"""HTML page -> normalised article (title, publication time, body text).

With CSS selectors from the source config, those decide; otherwise a generic extractor picks
the title from metadata, the date from metadata or `<time>`, and the body from the block with
the most paragraph text, after dropping navigation, sidebars, footers and scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import lxml.html
from dateutil import parser as dateparser
from lxml.cssselect import CSSSelector
from lxml.etree import ParserError, _Element

BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "aside", "footer", "header", "form",
                    "iframe", "svg", "button", "select", "template")
BOILERPLATE_HINT = re.compile(
    r"sidebar|side-bar|widget|most[-_ ]?viewed|editors?[-_ ]?choice|related|popular|comment|"
    r"footer|menu|navbar|breadcrumb|share|social|newsletter|advert|promo|cookie|tags?\b",
    re.I,
)
DATE_META = (
    'meta[property="article:published_time"]', 'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]', 'meta[name="pubdate"]', 'meta[name="publishdate"]',
    'meta[name="date"]', 'meta[name="dc.date"]', 'meta[name="DC.date.issued"]',
)
TITLE_META = ('meta[property="og:title"]', 'meta[name="twitter:title"]')
BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br",
              "section", "article", "td", "pre", "table", "ul", "ol"}


class ArticleParseError(ValueError):
    """The page is not parseable as HTML or holds no article text."""


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


def parse_document(html: str | bytes) -> _Element:
    """Parse HTML leniently (malformed markup is repaired), raising ArticleParseError if empty."""
    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as exc:
        raise ArticleParseError(f"not an HTML document: {exc}") from None


def parse_article(
    html: str | bytes,
    url: str | None = None,
    selectors: dict[str, object] | None = None,
    *,
    dateline: str | None = None,
) -> Article:
    """Extract the article; `dateline` (e.g. "Alwaght") is stripped from the body's start."""
    doc = parse_document(html)
    sel = selectors or {}
    published = _published(doc, sel.get("published"))  # type: ignore[arg-type]
    title = _title(doc, sel.get("title"))  # type: ignore[arg-type]
    for selector in sel.get("exclude", []) or []:  # type: ignore[union-attr]
        for element in _css(str(selector))(doc):
            element.drop_tree()
    body = _body(doc, sel.get("body"))  # type: ignore[arg-type]
    if dateline:
        body = re.sub(rf"^\s*{re.escape(dateline)}\s*[-–—:]\s*", "", body)
    missing = tuple(name for name, value in (("title", title), ("published", published),
                                              ("body", body)) if not value)
    return Article(title=title, published=published, body=body, url=url, missing=missing)


_SPACES_RE = re.compile(r"[ \t\r\f\v\xa0]+")


_UNCLEAN_RE = re.compile(r"[\t\r\f\v\xa0]| {2}")


def _clean(text: str) -> str:
    if _UNCLEAN_RE.search(text):  # most paragraphs need only the strip
        text = _SPACES_RE.sub(" ", text)
    return text.strip()


@lru_cache(maxsize=256)
def _css(selector: str) -> CSSSelector:
    """A compiled CSS selector (translating CSS to XPath costs more than running it)."""
    return CSSSelector(selector, translator="html")


def element_text(element: _Element) -> str:
    """Visible text of an element with block elements separated by blank lines."""
    parts: list[str] = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            if node.tail:
                parts.append(node.tail)
            continue
        if node.tag in BLOCK_TAGS:
            parts.append("\n\n")
        if node.text and node.tag not in ("script", "style"):
            parts.append(node.text)
        if node is not element and node.tail:
            if node.tag in BLOCK_TAGS:
                parts.append("\n\n")
            parts.append(node.tail)
    paragraphs = [_clean(p) for p in re.split(r"\n\s*\n", "".join(parts))]
    return "\n\n".join(p for p in paragraphs if p)


def _first(doc: _Element, selector: str | None) -> _Element | None:
    if not selector:
        return None
    for part in selector.split(","):
        found = _css(part.strip())(doc)
        if found:
            return found[0]
    return None


def _value(element: _Element) -> str:
    for attr in ("content", "datetime"):
        if element.get(attr):
            return element.get(attr).strip()
    return _clean(element.text_content())


def _title(doc: _Element, selector: str | None) -> str | None:
    element = _first(doc, selector)
    if element is None and not selector:
        element = _first(doc, ",".join((*TITLE_META, "h1", "title")))
    title = _value(element) if element is not None else ""
    return title or None


def parse_date(text: str) -> datetime | None:
    """A timezone-aware UTC datetime from free text (naive values are taken as UTC)."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())  # the usual metadata form, fast
    except ValueError:
        try:
            value = dateparser.parse(text, fuzzy=True)
        except (ValueError, OverflowError):
            return None
    if value is None or not (1990 <= value.year <= 2100):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _published(doc: _Element, selector: str | None) -> datetime | None:
    element = _first(doc, selector)
    if element is None and not selector:
        element = _first(doc, ",".join((*DATE_META, "time[datetime]")))
        if element is None:
            return _json_ld_date(doc)
    return parse_date(_value(element)) if element is not None else None


def _json_ld_date(doc: _Element) -> datetime | None:
    for script in _css('script[type="application/ld+json"]')(doc):
        match = re.search(r'"datePublished"\s*:\s*"([^"]+)"', script.text or "")
        if match:
            return parse_date(match.group(1))
    return None


def _body(doc: _Element, selector: str | None) -> str:
    if selector:
        element = _first(doc, selector)
        return element_text(element) if element is not None else ""
    return _generic_body(doc)


def _generic_body(doc: _Element) -> str:
    body = doc.find("body")
    root = body if body is not None else doc
    for element in list(root.iter(*BOILERPLATE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(root.iter("div", "section", "ul", "aside")):
        hint = f"{element.get('class', '')} {element.get('id', '')}"
        if hint.strip() and BOILERPLATE_HINT.search(hint) and element.getparent() is not None:
            if next(element.iter("h1"), None) is None:
                element.drop_tree()
    scores: dict[_Element, int] = {}
    cleaned: dict[_Element, str] = {}
    for paragraph in root.iter("p"):
        text = cleaned[paragraph] = _clean(paragraph.text_content())
        if len(text) < 25:
            continue
        parent = paragraph.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(text)
    if not scores:
        return element_text(root)
    best = max(scores, key=scores.__getitem__)
    texts = (cleaned[p] for p in best.iter("p"))
    return "\n\n".join(t for t in texts if t)
