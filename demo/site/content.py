"""Articles of the sample site: records loaded from the YAML files bundled with the package."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

DATA_DIR: Traversable = resources.files(__package__) / "data"

_SEED_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Article:
    """One news article of the sample site."""

    id: int
    slug: str
    title: str
    published: datetime  # timezone-aware
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()
    modified: datetime | None = None
    editors_choice: bool = False
    most_viewed: bool = False
    private: bool = False  # served under /en/private/, which robots.txt disallows
    reported_figures: tuple[Mapping[str, Any], ...] = ()  # informative: what the body reports
    url: str | None = None  # absolute URL, filled in by the running site

    @property
    def path(self) -> str:
        section = "/en/private/News" if self.private else "/en/News"
        return f"{section}/{self.id}/{self.slug}"

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published

    @property
    def text(self) -> str:
        """The body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    def served_at(self, base_url: str) -> Article:
        return dataclasses.replace(self, url=base_url.rstrip("/") + self.path)

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, private: bool = False) -> Article:
        """Build an article from a YAML/JSON record (``body`` text, ``paragraphs`` or ``body_file``)."""
        published = _datetime(record["published"])
        if "paragraphs" in record:
            paragraphs = tuple(str(p).strip() for p in record["paragraphs"])
        elif "body_file" in record:
            seed_date, paragraphs = parse_seed_text((DATA_DIR / record["body_file"]).read_text("utf-8"))
            if seed_date is not None and seed_date != published.date():
                raise ValueError(f"article {record['id']}: seed date {seed_date} != published {published}")
        else:
            paragraphs = split_paragraphs(str(record["body"]))
        return cls(
            id=int(record["id"]),
            slug=str(record["slug"]),
            title=str(record["title"]),
            published=published,
            paragraphs=paragraphs,
            tags=tuple(record.get("tags") or ()),
            modified=_datetime(record["modified"]) if record.get("modified") else None,
            editors_choice=bool(record.get("editors_choice", False)),
            most_viewed=bool(record.get("most_viewed", False)),
            private=bool(record.get("private", private)),
            reported_figures=tuple(record.get("reported_figures") or ()),
        )


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs separated by blank lines; line breaks inside a paragraph become spaces."""
    parts = (" ".join(p.split()) for p in _BLANK_LINES.split(text.replace("\r\n", "\n")))
    return tuple(p for p in parts if p)


def parse_seed_text(text: str) -> tuple[date | None, tuple[str, ...]]:
    """Split a seed file (`` date YYYY-MM-DD Alwaght- ...``) into its date and paragraphs."""
    match = _SEED_DATE.match(text)
    if match is None:
        return None, split_paragraphs(text)
    return date.fromisoformat(match.group(1)), split_paragraphs(text[match.end():])


def load_articles() -> list[Article]:
    """The bundled public articles, newest first."""
    return _load_folder("articles", private=False)


def load_private_articles() -> list[Article]:
    """The bundled drafts served under ``/en/private/`` (forbidden by robots.txt)."""
    return _load_folder("drafts", private=True)


def coerce_articles(items: Iterable[Article | Mapping[str, Any]]) -> list[Article]:
    """Articles from records or ``Article`` objects, newest first, ids unique."""
    articles = [a if isinstance(a, Article) else Article.from_record(a) for a in items]
    ids = [a.id for a in articles]
    if len(ids) != len(set(ids)):
        raise ValueError("article ids must be unique")
    return sorted(articles, key=lambda a: (a.published, a.id), reverse=True)


def _load_folder(name: str, *, private: bool) -> list[Article]:
    folder = DATA_DIR / name
    records = [
        yaml.safe_load(entry.read_text("utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith((".yaml", ".yml"))
    ]
    return coerce_articles(Article.from_record(r, private=private) for r in records)


def _datetime(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"published/modified needs a timezone: {value!r}")
    return moment
