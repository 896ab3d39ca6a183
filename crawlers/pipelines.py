"""Item pipeline: archive every fetched page (or its failure) in the store."""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler

from crawlers.items import FailedPage, FetchedPage
from storage import Store
from storage.pages import ensure_source, record_failure, record_fetch


class ArchivePipeline:
    """Write pages to the store given by the `TERRITORY_WATCH_DB` Scrapy setting."""

    def __init__(self, crawler: Crawler, db_url: str) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler, crawler.settings.get("TERRITORY_WATCH_DB"))

    def open_spider(self, spider: Spider | None = None) -> None:
        self.store = Store(self.db_url, migrate=False)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: object, spider: Spider | None = None) -> object:
        spider = spider or self.crawler.spider
        assert self.store is not None
        stats = self.crawler.stats
        source = spider.source  # type: ignore[union-attr]
        with self.store.session() as session:
            row = ensure_source(session, source.name, source.title)
            if isinstance(item, FetchedPage):
                _, changed = record_fetch(
                    session, row, url=item.url, final_url=item.final_url, status=item.status,
                    body=item.body, encoding=item.encoding, etag=item.etag,
                    last_modified=item.last_modified,
                    discovered_published=item.discovered_published)
                stats.inc_value("tw/pages_changed" if changed else "tw/pages_unchanged")
            elif isinstance(item, FailedPage):
                record_failure(session, row, url=item.url, reason=item.reason,
                               status=item.status, retryable=item.retryable)
        return item
