"""Item pipeline: archive every fetched page (or its failure) in the store, in batches.

Pages are written ARCHIVE_BATCH_SIZE at a time (or once BATCH_BYTES of bodies wait) in one
transaction, on a single writer thread, and at the end of the crawl: the reactor keeps
downloading while a batch is compressed and committed. A crash loses at most the batches not
yet written, which the next run simply fetches again.
"""

from __future__ import annotations

import logging
from collections import Counter

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred, DeferredList
from twisted.python.failure import Failure
from twisted.python.threadpool import ThreadPool

from crawlers.items import FailedPage, FetchedPage, PageDate
from crawlers.spiders.news import NewsSpider
from crawlers.stats import Stat, count
from storage import Store
from storage.pages import ensure_source, record_discovered_date, record_failure, record_fetch

logger = logging.getLogger(__name__)
BATCH_BYTES = 8 * 1024 * 1024  # bodies held before a write, whatever the batch size


class ArchivePipeline:
    """Write pages to the store given by the `TERRITORY_WATCH_DB` Scrapy setting."""

    def __init__(self, crawler: Crawler, db_url: str, batch_size: int) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.batch_size = max(1, batch_size)
        self.store: Store | None = None
        self.batch: list[FetchedPage | FailedPage | PageDate] = []
        self.batch_bytes = 0
        self.writer = ThreadPool(1, 1, name="archive-writer")  # one writer: batches in order
        self.pending: list[Deferred] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler, crawler.settings.get("TERRITORY_WATCH_DB"),
                   crawler.settings.getint("ARCHIVE_BATCH_SIZE", 25))

    def open_spider(self, spider: Spider | None = None) -> None:
        self.store = Store(self.db_url, migrate=False)
        self.writer.start()

    async def close_spider(self, spider: Spider | None = None) -> None:
        """Write what is left, wait for every batch, then release the store."""
        self.flush()
        try:
            await maybe_deferred_to_future(DeferredList(self.pending, consumeErrors=True))
        finally:
            self.writer.stop()
            if self.store is not None:
                self.store.close()

    def process_item(self, item: object, spider: Spider | None = None) -> object:
        if isinstance(item, (FetchedPage, FailedPage, PageDate)):
            self.batch.append(item)
            self.batch_bytes += len(item.body) if isinstance(item, FetchedPage) else 0
            if len(self.batch) >= self.batch_size or self.batch_bytes >= BATCH_BYTES:
                self.flush()
        return item

    def flush(self) -> None:
        """Hand the pending pages to the writer thread (one transaction per batch)."""
        if not self.batch:
            return
        from twisted.internet import reactor, threads

        batch, self.batch, self.batch_bytes = self.batch, [], 0
        spider = self.crawler.spider
        assert isinstance(spider, NewsSpider), "items only come from a running news spider"
        source = spider.source
        written = threads.deferToThreadPool(reactor, self.writer, self.write, batch,
                                            source.name, source.title)
        written.addCallbacks(self._count, self._write_failed, errbackArgs=(len(batch),))
        self.pending = [d for d in self.pending if not d.called] + [written]

    def _count(self, counts: Counter[Stat]) -> None:
        for stat, value in counts.items():
            count(self.crawler, stat, value)

    def _write_failed(self, failure: Failure, size: int) -> None:
        """A batch that could not be written is fetched again next run; say so loudly."""
        count(self.crawler, Stat.ARCHIVE_WRITE_ERRORS, size)
        logger.error("archiving %d pages failed: %s", size, failure.getErrorMessage(),
                     exc_info=(failure.type, failure.value, failure.getTracebackObject()))

    def write(self, batch: list[FetchedPage | FailedPage | PageDate], name: str,
              title: str) -> Counter[Stat]:
        """Archive one batch in one transaction (on the writer thread); returns stat counts."""
        assert self.store is not None
        stats: Counter[Stat] = Counter()
        with self.store.session() as session:
            row = ensure_source(session, name, title)
            for item in batch:
                if isinstance(item, FetchedPage):
                    _, changed = record_fetch(
                        session, row, url=item.url, final_url=item.final_url,
                        status=item.status, body=item.body, encoding=item.encoding,
                        etag=item.etag, last_modified=item.last_modified,
                        discovered_published=item.discovered_published)
                    stats[Stat.PAGES_CHANGED if changed else Stat.PAGES_UNCHANGED] += 1
                elif isinstance(item, PageDate):
                    record_discovered_date(session, row, url=item.url, published=item.published)
                else:
                    record_failure(session, row, url=item.url, reason=item.reason,
                                   status=item.status, retryable=item.retryable)
        return stats
