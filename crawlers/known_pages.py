"""What the store already knows about a source's pages, so unchanged pages are not refetched."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

MAX_FAILURES = 5


@dataclass(frozen=True)
class KnownPage:
    """The remembered state of one page."""

    state: str
    fetched_at: datetime | None
    etag: str | None
    last_modified: str | None
    failures: int


@dataclass
class KnownPages:
    """Remembered pages of one source, by URL."""

    pages: dict[str, KnownPage] = field(default_factory=dict)

    def is_fresh(self, url: str, lastmod: datetime | None) -> bool:
        """Stored and not changed since, as far as the index (`lastmod`) tells."""
        page = self.pages.get(url)
        if page is None or page.state != "ok":
            return False
        return lastmod is None or page.fetched_at is None or lastmod <= page.fetched_at

    def retryable(self) -> list[str]:
        """Pages whose last fetch failed and that are worth another try."""
        return [url for url, p in self.pages.items()
                if p.state == "failed" and p.failures < MAX_FAILURES]

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since for a page stored before."""
        page = self.pages.get(url)
        if page is None or page.state != "ok":
            return {}
        headers = {}
        if page.etag:
            headers["If-None-Match"] = page.etag
        if page.last_modified:
            headers["If-Modified-Since"] = page.last_modified
        return headers
