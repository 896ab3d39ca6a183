"""A source's CSS selectors applied to one of its pages, with BeautifulSoup and soupsieve.

Selectors are full CSS as soupsieve reads it (`:has()`, `:is()`, `:not()`,
`:-soup-contains()`). A comma-separated selector is a list of alternatives tried in order: the
first that matches gives the field (`"article h1, h1"` prefers the article's headline).
`exclude` selectors remove their elements from the page before any field is read.
`apply_selectors` takes one selector set and reports which of its fields it found, so that a
source may try several sets in turn (parsers.selector_chain). A set may be named and may say
the publication days it applies to (`since` inclusive, `until` exclusive).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import soupsieve
from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Script, Stylesheet, Tag, TemplateString

from parsers.block_text import HTML_BLOCKS, INVISIBLE, paragraphs
from parsers.dates import parse_date

FIELDS = ("title", "published", "body")
_NOT_TEXT = (PreformattedString, Script, Stylesheet, TemplateString)  # comments, doctype, code


class InvalidSelector(ValueError):
    """A configured selector is not valid CSS."""


@dataclass(frozen=True)
class SelectorSet:
    """CSS selectors for a page's title, publication time and body, and elements to drop;
    `name`, and the days `[since, until)` it applies to, for a source with several sets."""

    title: str | None = None
    published: str | None = None
    body: str | None = None
    exclude: tuple[str, ...] = ()
    name: str = "default"
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, object] | None, name: str = "default") -> SelectorSet:
        """From a source's `selectors` mapping (missing keys and empty values: no selector)."""
        config = config or {}
        exclude = config.get("exclude") or ()
        if isinstance(exclude, str) or not isinstance(exclude, Iterable):
            exclude = (exclude,)

        def selector(field: str) -> str | None:
            return str(config[field]) if config.get(field) else None

        def day(key: str) -> date | None:
            value = config.get(key)
            if value is None or isinstance(value, date):
                return value.date() if isinstance(value, datetime) else value
            return date.fromisoformat(str(value))

        return cls(title=selector("title"), published=selector("published"),
                   body=selector("body"), exclude=tuple(str(s) for s in exclude),
                   name=str(config.get("name") or name), since=day("since"), until=day("until"))

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields this set has a selector for."""
        return tuple(f for f in FIELDS if getattr(self, f))

    @property
    def dated(self) -> bool:
        """Whether the set says which days it applies to."""
        return self.since is not None or self.until is not None

    def covers(self, day: date) -> bool:
        """Whether a page published on `day` is in the set's range (any day when undated)."""
        return (self.since is None or day >= self.since) and (self.until is None or day < self.until)

    def check(self) -> None:
        """Raise InvalidSelector naming the first selector that is not valid CSS."""
        for field in self.fields:
            for alternative in alternatives(getattr(self, field)):
                compiled(alternative)
        for selector in self.exclude:
            compiled(selector)


@dataclass(frozen=True)
class Selected:
    """What one selector set found on a page; `found` names the fields it found a value for."""

    title: str | None = None
    published: datetime | None = None
    body: str | None = None
    found: frozenset[str] = frozenset()


def make_soup(html: str) -> BeautifulSoup:
    """The page as a BeautifulSoup tree, built by lxml."""
    return BeautifulSoup(html, "lxml")


def alternatives(selector: str) -> list[str]:
    """The comma-separated alternatives of `selector` (commas inside `()`, `[]` or quotes kept)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(selector):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(selector[start:i])
            start = i + 1
    parts.append(selector[start:])
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=512)
def compiled(selector: str) -> soupsieve.SoupSieve:
    """A compiled selector, or InvalidSelector naming it."""
    try:
        return soupsieve.compile(selector)
    except (soupsieve.SelectorSyntaxError, ValueError) as exc:
        raise InvalidSelector(f"invalid CSS selector {selector!r}: {exc}".splitlines()[0]) from None


def first_match(soup: Tag, selector: str) -> Tag | None:
    """The first element matched by the first alternative of `selector` that matches any
    (every alternative is compiled first, so a broken one is reported wherever it stands)."""
    for pattern in [compiled(alternative) for alternative in alternatives(selector)]:
        element = pattern.select_one(soup)
        if element is not None:
            return element
    return None


def _pieces(tag: Tag) -> Iterator[str]:
    stack: list[tuple[Iterator[object], bool]] = [(iter(tag.contents), False)]
    while stack:
        children, is_block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                yield "\n\n"
        elif isinstance(child, Tag):
            if child.name not in INVISIBLE:
                block = child.name in HTML_BLOCKS
                if block:
                    yield "\n\n"
                stack.append((iter(child.contents), block))
        elif isinstance(child, NavigableString) and not isinstance(child, _NOT_TEXT):
            yield str(child)


def tag_text(tag: Tag) -> str:
    """The visible text of `tag`, a paragraph per block element."""
    return paragraphs(_pieces(tag))


def tag_value(tag: Tag) -> str:
    """A metadata element's value: its `content` or `datetime` attribute, else its text."""
    for attr in ("content", "datetime"):
        value = tag.get(attr)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return " ".join(tag.get_text(" ").split())


def drop_excluded(soup: Tag, selectors: SelectorSet) -> None:
    """Remove every element an `exclude` selector matches (one pass: the selectors as a group)."""
    if not selectors.exclude:
        return
    for selector in selectors.exclude:
        compiled(selector)  # each reported on its own when invalid
    for element in compiled(", ".join(selectors.exclude)).select(soup):
        if not element.decomposed:  # not already gone with an excluded ancestor
            element.decompose()


def apply_selectors(soup: Tag, selectors: SelectorSet) -> Selected:
    """Read the fields `selectors` has selectors for, after dropping its `exclude` elements
    (from `soup` itself)."""
    drop_excluded(soup, selectors)
    title: str | None = None
    published: datetime | None = None
    body: str | None = None
    for field in selectors.fields:
        element = first_match(soup, getattr(selectors, field))
        if element is None:
            continue
        if field == "body":
            body = tag_text(element) or None
        elif field == "published":
            published = parse_date(tag_value(element))
        else:
            title = tag_value(element) or None
    found = frozenset(f for f, v in (("title", title), ("published", published), ("body", body)) if v)
    return Selected(title=title, published=published, body=body, found=found)
