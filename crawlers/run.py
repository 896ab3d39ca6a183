"""Running the news spider for a set of sources in this process and reporting what happened."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from crawlers.known_pages import KnownPage, KnownPages
from crawlers.outcome import crawl_problem
from crawlers.spiders.news import NewsSpider
from storage import Store
from storage.models import CrawlRun
from storage.pages import ensure_source, now, pages_of
from territory_watch.errors import ConfigError
from territory_watch.sources import Source

STAT_KEYS = ("index_requests", "index_ok", "index_failed", "sitemaps_skipped_by_lastmod",
             "articles_discovered", "articles_outside_window", "articles_undated_skipped",
             "articles_known", "articles_retried", "articles_fetched", "articles_not_modified",
             "articles_failed", "articles_refused", "links_offsite", "charset_corrected",
             "retry_after_waits", "retry_after_pauses", "pages_changed", "pages_unchanged",
             "archive_write_errors", "retry_after_backoffs", "articles_deferred",
             "index_deferred")
SETTINGS_ENV = "TERRITORY_WATCH_SCRAPY_SETTINGS"


@dataclass
class SourceReport:
    """Counters and index errors of one source's crawl."""

    source: str
    counts: dict[str, int] = field(default_factory=dict)
    index_errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Nothing usable came from this source, or fetched pages could not be stored."""
        return self.problem is not None

    @property
    def problem(self) -> str | None:
        """Why the crawl of this source failed (see `crawlers.outcome`)."""
        return crawl_problem(self.counts)


def env_overrides() -> dict[str, Any]:
    """Scrapy settings from `TERRITORY_WATCH_SCRAPY_SETTINGS` (a JSON object), for operators
    and tests, e.g. '{"DOWNLOAD_TIMEOUT": 5, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}'."""
    text = os.environ.get(SETTINGS_ENV, "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{SETTINGS_ENV}: not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ConfigError(f"{SETTINGS_ENV}: expected a JSON object of Scrapy settings")
    return value


def scrapy_settings(db_url: str, overrides: dict[str, Any] | None = None) -> ScrapySettings:
    """The project's Scrapy settings plus the store URL, the environment's and these overrides."""
    settings = ScrapySettings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.set("TERRITORY_WATCH_DB", db_url, priority="cmdline")
    for key, value in {**env_overrides(), **(overrides or {})}.items():
        settings.set(key, value, priority="cmdline")
    return settings


def load_known(store: Store, source: Source) -> KnownPages:
    """The crawler's memory of a source, read from the store."""
    with store.session() as session:
        ensure_source(session, source.name, source.title)
        return KnownPages({
            url: KnownPage(state, fetched_at, etag, last_modified, failures or 0)
            for url, state, fetched_at, etag, last_modified, failures in pages_of(session,
                                                                                  source.name)
        })


def run_crawl(
    store: Store,
    sources: list[Source],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    settings_overrides: dict[str, Any] | None = None,
) -> list[SourceReport]:
    """Crawl `sources` (blocking; starts the Twisted reactor, so once per process)."""
    # logging is the caller's: the CLI shows warnings, Airflow captures everything
    overrides = {"LOG_INSTALL_ROOT_HANDLER": False, **(settings_overrides or {})}
    process = CrawlerProcess(scrapy_settings(store.url, overrides))
    crawlers = []
    started = now()
    for source in sources:
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler, source=source, known=load_known(store, source),
                      since=since, until=until)
        crawlers.append((source, crawler))
    process.start()
    reports = []
    with store.session() as session:
        for source, crawler in crawlers:
            stats = crawler.stats.get_stats() if crawler.stats else {}
            spider = crawler.spider
            report = SourceReport(
                source=source.name,
                counts={key: int(stats.get(f"tw/{key}", 0)) for key in STAT_KEYS},
                index_errors=list(getattr(spider, "index_errors", [])),
            )
            reports.append(report)
            row = ensure_source(session, source.name, source.title)
            session.add(CrawlRun(source_id=row.id, started_at=started, finished_at=now(),
                                 since=since, until=until,
                                 stats={**report.counts, "index_errors": report.index_errors}))
    return reports
