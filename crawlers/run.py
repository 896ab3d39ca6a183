"""Running the news spider for a set of sources in this process and reporting what happened."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from crawlers.known_pages import KnownPage, KnownPages
from crawlers.sources import Source
from crawlers.spiders.news import NewsSpider
from crawlers.stats import crawl_problem, read_counts
from storage import Store
from storage.models import CrawlRunRow
from storage.pages import ensure_source, now, pages_of


@dataclass
class SourceReport:
    """Counters and index errors of one source's crawl."""

    source: str
    counts: dict[str, int] = field(default_factory=dict)
    index_errors: list[str] = field(default_factory=list)
    # index URL -> [page links, article links, child sitemaps]
    index_links: dict[str, list[int]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """Nothing usable came from this source, or fetched pages could not be stored."""
        return self.problem is not None

    @property
    def problem(self) -> str | None:
        """Why the crawl of this source failed (see `crawlers.stats.crawl_problem`)."""
        return crawl_problem(self.counts)

    def to_json(self) -> dict[str, Any]:
        """A plain-data form (what the crawl subprocess prints and a DAG task returns)."""
        return {**asdict(self), "failed": self.failed, "problem": self.problem}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceReport:
        """The report `to_json` gave."""
        return cls(source=str(data["source"]), counts=dict(data.get("counts") or {}),
                   index_errors=list(data.get("index_errors") or []),
                   index_links=dict(data.get("index_links") or {}))


def scrapy_settings(db_url: str, overrides: Mapping[str, Any] | None = None) -> ScrapySettings:
    """The project's Scrapy settings plus the store URL and these overrides."""
    settings = ScrapySettings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.set("TERRITORY_WATCH_DB", db_url, priority="cmdline")
    for key, value in (overrides or {}).items():
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
    settings_overrides: Mapping[str, Any] | None = None,
    spider: type[NewsSpider] = NewsSpider,
    spider_options: Mapping[str, Any] | None = None,
) -> list[SourceReport]:
    """Crawl `sources` (blocking; starts the Twisted reactor, so once per process) with the
    news spider, or `spider` (a variant of it) given `spider_options`."""
    # logging is the caller's: the CLI shows warnings, Airflow captures everything
    overrides = {"LOG_INSTALL_ROOT_HANDLER": False, **(settings_overrides or {})}
    process = CrawlerProcess(scrapy_settings(store.url, overrides))
    crawlers = []
    started = now()
    for source in sources:
        crawler = process.create_crawler(spider)
        process.crawl(crawler, source=source, known=load_known(store, source),
                      since=since, until=until, **(spider_options or {}))
        crawlers.append((source, crawler))
    process.start()
    reports = []
    with store.session() as session:
        for source, crawler in crawlers:
            report = SourceReport(
                source=source.name,
                counts=read_counts(crawler),
                index_errors=list(getattr(crawler.spider, "index_errors", [])),
                index_links=dict(getattr(crawler.spider, "index_links", {})),
            )
            reports.append(report)
            row = ensure_source(session, source.name, source.title)
            session.add(CrawlRunRow(source_id=row.id, started_at=started, finished_at=now(),
                                 since=since, until=until,
                                 stats={**report.counts, "index_errors": report.index_errors}))
    return reports
