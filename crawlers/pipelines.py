"""Item pipeline: archive every fetched page (or its failure) in the store, in batches.

Pages are written ARCHIVE_BATCH_SIZE at a time (or once ARCHIVE_BATCH_BYTES of bodies wait)
in one transaction, and at the end of the crawl: fewer commits keep the reactor free. A crash loses at most one batch, which the next
run simply fetches again.
"""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler

from crawlers.items import FailedPage, FetchedPage
from storage import Store
from storage.pages import ensure_source, record_failure, record_fetch

BATCH_BYTES = 8 * 1024 * 1024  # bodies held before a write, whatever the batch size


class ArchivePipeline:
    """Write pages to the store given by the `TERRITORY_WATCH_DB` Scrapy setting."""

    def __init__(self, crawler: Crawler, db_url: str, batch_size: int) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.batch_size = max(1, batch_size)
        self.store: Store | None = None
        self.batch: list[FetchedPage | FailedPage] = []
        self.batch_bytes = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler, crawler.settings.get("TERRITORY_WATCH_DB"),
                   crawler.settings.getint("ARCHIVE_BATCH_SIZE", 25))

    def open_spider(self, spider: Spider | None = None) -> None:
        self.store = Store(self.db_url, migrate=False)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.store is not None:
            self.flush()
            self.store.close()

    def process_item(self, item: object, spider: Spider | None = None) -> object:
        if isinstance(item, (FetchedPage, FailedPage)):
            self.batch.append(item)
            self.batch_bytes += len(item.body) if isinstance(item, FetchedPage) else 0
            if len(self.batch) >= self.batch_size or self.batch_bytes >= BATCH_BYTES:
                self.flush()
        return item

    def flush(self) -> None:
        """Write the pending pages in one transaction."""
        if not self.batch:
            return
        batch, self.batch, self.batch_bytes = self.batch, [], 0
        assert self.store is not None
        stats = self.crawler.stats
        source = self.crawler.spider.source  # type: ignore[union-attr]
        with self.store.session() as session:
            row = ensure_source(session, source.name, source.title)
            for item in batch:
                if isinstance(item, FetchedPage):
                    _, changed = record_fetch(
                        session, row, url=item.url, final_url=item.final_url,
                        status=item.status, body=item.body, encoding=item.encoding,
                        etag=item.etag, last_modified=item.last_modified,
                        discovered_published=item.discovered_published)
                    stats.inc_value("tw/pages_changed" if changed else "tw/pages_unchanged")
                else:
                    record_failure(session, row, url=item.url, reason=item.reason,
                                   status=item.status, retryable=item.retryable)
