"""The publication window `[since, until)` of a crawl, and what an index entry says about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from crawlers.discovery import Link


class Verdict(Enum):
    """Whether a discovered article belongs to the window."""

    IN = "in"
    OUT = "out"
    UNKNOWN = "unknown"  # no publication date yet: decided when discovery has finished


@dataclass(frozen=True)
class Window:
    """`[since, until)`; either end may be open. Without both ends every article is in."""

    since: datetime | None = None
    until: datetime | None = None

    @property
    def open(self) -> bool:
        """No window given: an ordinary incremental crawl."""
        return self.since is None and self.until is None

    def contains(self, moment: datetime) -> bool:
        """Whether `moment` falls inside the window."""
        return not ((self.since and moment < self.since) or (self.until and moment >= self.until))

    def verdict(self, link: Link) -> Verdict:
        """IN or OUT when the entry's dates decide it, else UNKNOWN.

        An article is never published after it was last modified, so a `lastmod` before
        `since` rules it out; a later `lastmod` says nothing about the publication date.
        """
        if self.open:
            return Verdict.IN
        if link.published is not None:
            return Verdict.IN if self.contains(link.published) else Verdict.OUT
        if self.since and link.lastmod and link.lastmod < self.since:
            return Verdict.OUT
        return Verdict.UNKNOWN

    def skips_sitemap(self, lastmod: datetime | None) -> bool:
        """A child sitemap last modified before `since` lists no article of the window."""
        return bool(self.since and lastmod and lastmod < self.since)

    def reaches_before(self, dates: list[datetime]) -> bool:
        """A newest-first listing page that already reaches back before `since`: its next
        pages hold older articles only, so paging stops."""
        return bool(self.since and dates and min(dates) < self.since)
