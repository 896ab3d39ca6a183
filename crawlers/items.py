"""What the spider hands to the pipeline: a fetched page, a page that could not be fetched, or
the date an index gave a page fetched before that index was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FetchedPage:
    """An article page as downloaded (status 200) or confirmed unchanged (304)."""

    source: str
    url: str
    final_url: str
    status: int
    body: bytes = field(repr=False)
    encoding: str | None
    etag: str | None
    last_modified: str | None
    discovered_published: datetime | None


@dataclass
class PageDate:
    """The publication date an index gave an article already fetched without one."""

    source: str
    url: str
    published: datetime


@dataclass
class FailedPage:
    """An article page that could not be fetched, with a reason for the operator."""

    source: str
    url: str
    reason: str
    status: int | None = None
    retryable: bool = True
