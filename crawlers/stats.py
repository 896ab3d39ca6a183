"""The crawl's counters, defined once, and the verdict on a source's crawl read off them.

The spider, its middlewares and the archive pipeline count with `count(crawler, Stat.X)`;
`run_crawl` reads every `Stat` back into a `SourceReport`; summaries, operator alerts and
the stored `crawl_runs.stats` all use the same names.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from scrapy.crawler import Crawler

PREFIX = "tw/"  # keeps ours apart from Scrapy's own stats


class Stat(StrEnum):
    """One counter of a source's crawl (its value is the name stored and reported)."""

    INDEX_REQUESTS = "index_requests"  # feeds, sitemaps and listing pages requested
    INDEX_OK = "index_ok"
    INDEX_FAILED = "index_failed"
    INDEX_DEFERRED = "index_deferred"  # left for the next run (the site asked for a pause)
    SITEMAPS_SKIPPED_BY_LASTMOD = "sitemaps_skipped_by_lastmod"
    ARTICLES_DISCOVERED = "articles_discovered"
    ARTICLES_OUTSIDE_WINDOW = "articles_outside_window"
    ARTICLES_UNDATED_SKIPPED = "articles_undated_skipped"
    ARTICLES_KNOWN = "articles_known"  # archived before, not fetched again
    ARTICLES_RETRIED = "articles_retried"  # failed in an earlier run, asked again
    ARTICLES_FETCHED = "articles_fetched"
    ARTICLES_NOT_MODIFIED = "articles_not_modified"  # 304 to a conditional request
    ARTICLES_FAILED = "articles_failed"
    ARTICLES_REFUSED = "articles_refused"  # robots.txt or a private address
    ARTICLES_DEFERRED = "articles_deferred"  # left for the next run (the site asked for a pause)
    LINKS_OFFSITE = "links_offsite"
    CHARSET_CORRECTED = "charset_corrected"
    RETRY_AFTER_WAITS = "retry_after_waits"
    RETRY_AFTER_PAUSES = "retry_after_pauses"
    RETRY_AFTER_BACKOFFS = "retry_after_backoffs"
    PAGES_CHANGED = "pages_changed"
    PAGES_UNCHANGED = "pages_unchanged"
    ARCHIVE_WRITE_ERRORS = "archive_write_errors"

    @property
    def key(self) -> str:
        """The name in Scrapy's stats collector."""
        return PREFIX + self.value


def count(crawler: Crawler, stat: Stat, n: int = 1) -> None:
    """Add `n` to a counter of this crawl."""
    if crawler.stats is not None:
        crawler.stats.inc_value(stat.key, n)


def set_count(crawler: Crawler, stat: Stat, value: int) -> None:
    """Set a counter of this crawl."""
    if crawler.stats is not None:
        crawler.stats.set_value(stat.key, value)


def read_counts(crawler: Crawler) -> dict[str, int]:
    """Every counter of a finished crawl, by name (0 when never counted)."""
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return {stat.value: int(stats.get(stat.key, 0)) for stat in Stat}


def crawl_problem(counts: Mapping[str, object]) -> str | None:
    """Why a crawl of one source failed, or None when it did not."""

    def n(stat: Stat) -> int:
        value = counts.get(stat.value, 0)
        return int(value) if isinstance(value, (int, float, str)) else 0

    lost = n(Stat.ARCHIVE_WRITE_ERRORS)
    if lost:
        return f"{lost} fetched pages could not be stored (fetched again next run)"
    nothing_came = n(Stat.INDEX_OK) == 0 and n(Stat.ARTICLES_FETCHED) == 0
    if nothing_came and (n(Stat.INDEX_FAILED) > 0 or n(Stat.INDEX_REQUESTS) == 0):
        if n(Stat.RETRY_AFTER_BACKOFFS):
            return "the site asked for a long pause (Retry-After); left for the next run"
        return "no feed, sitemap or listing usable"
    return None
