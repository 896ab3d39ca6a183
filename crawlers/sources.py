"""The sources file (SPEC "Sources file"): which sites to crawl and how to find their articles."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from parsers.config_file import ConfigError, load_model
from parsers.selector_chain import GENERIC, SelectorChain, default_name
from parsers.selectors import InvalidSelector, SelectorSet, alternatives, compiled


def _valid_css(selector: str) -> str:
    for alternative in alternatives(selector):
        try:
            compiled(alternative)
        except InvalidSelector as exc:
            raise ValueError(str(exc)) from None
    return selector


class Selectors(BaseModel):
    """One selector set: CSS selectors for a source's article pages, optionally named and
    limited to the publication days `[since, until)` of one design of the site."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+$")
    since: date | None = None
    until: date | None = None
    title: str | None = None
    published: str | None = None
    body: str | None = None
    exclude: list[str] = Field(default_factory=list, description="elements dropped from the body")

    @field_validator("title", "published", "body")
    @classmethod
    def _css(cls, value: str | None) -> str | None:
        return None if value is None else _valid_css(value)

    @field_validator("exclude")
    @classmethod
    def _css_list(cls, values: list[str]) -> list[str]:
        return [_valid_css(value) for value in values]

    @model_validator(mode="after")
    def _range(self) -> Selectors:
        if self.since and self.until and self.since >= self.until:
            raise ValueError(f"since ({self.since}) must come before until ({self.until})")
        if self.name == GENERIC:
            raise ValueError(f"{GENERIC!r} names the generic extractor; pick another name")
        return self

    def selector_set(self) -> SelectorSet:
        """The parser's form of this set (named by the source when unnamed)."""
        return SelectorSet.from_config(self.model_dump(), name=self.name or "default")


class Source(BaseModel):
    """One news source: discovery entry points, the article URL shape and extraction hints."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_-]+$")
    title: str
    allowed_domains: list[str] = Field(min_length=1)
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    listings: list[str] = Field(default_factory=list)
    article_pattern: str | None = None
    language: str | None = None
    allow_private_addresses: bool = False
    selectors: list[Selectors] = Field(
        default_factory=list, description="one set, or a list of sets tried newest first")
    max_listing_pages: int = Field(default=5, ge=1, description="listing pages followed per run")
    max_backfill_listing_pages: int = Field(default=50, ge=1)

    @field_validator("article_pattern")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @field_validator("feeds", "sitemaps", "listings")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f"not an http(s) URL: {url!r}")
        return urls

    @field_validator("selectors", mode="before")
    @classmethod
    def _one_set_or_many(cls, value: Any) -> Any:
        if value is None:
            return []
        return [value] if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _has_entry_point(self) -> Source:
        if not (self.feeds or self.sitemaps or self.listings):
            raise ValueError("a source needs at least one of feeds, sitemaps, listings")
        return self

    @model_validator(mode="after")
    def _named_selector_sets(self) -> Source:
        names = []
        for position, selectors in enumerate(self.selectors):
            if selectors.name is None:
                selectors.name = default_name(position, len(self.selectors))
            if selectors.name in names:
                raise ValueError(f"two selector sets named {selectors.name!r}")
            names.append(selectors.name)
        return self

    @property
    def selector_chain(self) -> SelectorChain:
        """The source's selector sets, as the parser tries them."""
        return SelectorChain(tuple(s.selector_set() for s in self.selectors))

    def is_article_url(self, url: str) -> bool:
        """Whether `url` matches the source's article pattern (any URL when none is set)."""
        return self.article_pattern is None or re.search(self.article_pattern, url) is not None


class SourcesFile(BaseModel):
    """The whole sources file."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        seen: set[str] = set()
        for source in self.sources:
            if source.name in seen:
                raise ValueError(f"duplicate source name {source.name!r}")
            seen.add(source.name)
        return self


def load_sources(path: Path, only: list[str] | None = None) -> list[Source]:
    """Load and validate the sources file; `only` keeps the named sources (unknown names are an error)."""
    sources = load_model(path, SourcesFile).sources
    if not only:
        return sources
    by_name = {s.name: s for s in sources}
    unknown = [n for n in only if n not in by_name]
    if unknown:
        raise ConfigError(f"{path}: unknown source(s) {', '.join(unknown)}; known: {', '.join(by_name)}")
    return [by_name[n] for n in only]
