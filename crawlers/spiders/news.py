"""The config-driven news spider: one instance per source, discovering through feeds,
sitemaps and listings, fetching only article pages that are new or changed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawlers.discovery import DiscoveryError, Link, parse_feed, parse_listing, parse_sitemap
from crawlers.failures import describe_failure
from crawlers.items import FailedPage, FetchedPage
from crawlers.known_pages import KnownPages
from territory_watch.sources import Source


class NewsSpider(scrapy.Spider):
    """Crawl one source within an optional publication window `[since, until)`."""

    name = "news"

    def __init__(
        self,
        source: Source,
        known: KnownPages | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=f"news-{source.name}", **kwargs)
        self.source = source
        self.allowed_domains = list(source.allowed_domains)
        self.known = known or KnownPages()
        self.since = since
        self.until = until
        self.index_errors: list[str] = []

    # -- entry points -------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for item in self.start_requests():
            yield item

    def start_requests(self) -> Iterator[scrapy.Request]:
        for url in self.source.feeds:
            yield self._index_request(url, self.parse_feed)
        for url in self.source.sitemaps:
            yield self._index_request(url, self.parse_sitemap)
        for url in self.source.listings:
            yield self._index_request(url, self.parse_listing, page_no=1)
        for url in self.known.retryable():
            yield self._article_request(Link(url), retry=True)

    def _index_request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        self.crawler.stats.inc_value("tw/index_requests")
        return scrapy.Request(url, callback=callback, errback=self.on_index_error,
                              meta={"tw_index": True, **meta}, dont_filter=True)

    # -- discovery ----------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            links = parse_feed(response.body, response.url)
        except DiscoveryError as exc:
            self._index_failed(response.url, str(exc))
            return
        self.crawler.stats.inc_value("tw/index_ok")
        yield from self._follow_articles(links)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            links = parse_sitemap(response.body, response.url)
        except DiscoveryError as exc:
            self._index_failed(response.url, str(exc))
            return
        self.crawler.stats.inc_value("tw/index_ok")
        for link in links:
            if link.is_sitemap:
                if self.since and link.lastmod and link.lastmod < self.since:
                    self.crawler.stats.inc_value("tw/sitemaps_skipped_by_lastmod")
                    continue
                yield self._index_request(link.url, self.parse_sitemap)
        yield from self._follow_articles([link for link in links if not link.is_sitemap])

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self._index_failed(response.url, "listing is not an HTML page")
            return
        try:
            urls, next_url = parse_listing(response.text, response.url)
        except ValueError as exc:
            self._index_failed(response.url, str(exc))
            return
        self.crawler.stats.inc_value("tw/index_ok")
        articles = [u for u in urls if self.source.is_article_url(u)]
        new = [u for u in articles if not self.known.is_fresh(u, None)]
        yield from self._follow_articles([Link(u) for u in articles])
        page_no = response.meta.get("page_no", 1)
        limit = (self.source.max_backfill_listing_pages if self.since
                 else self.source.max_listing_pages)
        keep_paging = bool(new) or self.since is not None
        if next_url and page_no < limit and keep_paging and articles:
            yield self._index_request(next_url, self.parse_listing, page_no=page_no + 1)

    def _follow_articles(self, links: list[Link]) -> Iterator[scrapy.Request]:
        for link in links:
            if not self.source.is_article_url(link.url):
                continue
            self.crawler.stats.inc_value("tw/articles_discovered")
            if not self._in_window(link):
                self.crawler.stats.inc_value("tw/articles_outside_window")
                continue
            if self.known.is_fresh(link.url, link.lastmod):
                self.crawler.stats.inc_value("tw/articles_known")
                continue
            yield self._article_request(link)

    def _in_window(self, link: Link) -> bool:
        published = link.published
        if published is not None:
            if self.since and published < self.since:
                return False
            return not (self.until and published >= self.until)
        if self.since and link.lastmod and link.lastmod < self.since:
            return False
        return True

    # -- articles -----------------------------------------------------------------------

    def _article_request(self, link: Link, retry: bool = False) -> scrapy.Request:
        headers = self.known.conditional_headers(link.url)
        return scrapy.Request(
            link.url,
            callback=self.parse_article,
            errback=self.on_article_error,
            headers=headers,
            meta={"tw_published": link.published, "tw_retry": retry,
                  "handle_httpstatus_list": [304]},
        )

    def parse_article(self, response: Response) -> Iterator[FetchedPage | FailedPage]:
        url = response.request.url if response.request else response.url
        if response.status == 304:
            self.crawler.stats.inc_value("tw/articles_not_modified")
        elif not isinstance(response, TextResponse):
            yield FailedPage(self.source.name, url, "not an HTML page "
                             f"({response.headers.get('Content-Type', b'?').decode('latin-1')})",
                             response.status)
            return
        else:
            self.crawler.stats.inc_value("tw/articles_fetched")
        encoding = response.encoding if isinstance(response, TextResponse) else None
        yield FetchedPage(
            source=self.source.name,
            url=url,
            final_url=response.url,
            status=response.status,
            body=response.body if response.status != 304 else b"",
            encoding=encoding,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
            discovered_published=response.meta.get("tw_published"),
        )

    # -- failures -----------------------------------------------------------------------

    def on_article_error(self, failure: Failure) -> Iterator[FailedPage]:
        reason, status, retry = describe_failure(failure)
        request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("tw/articles_failed" if retry else "tw/articles_refused")
        self.logger.warning("article %s not fetched: %s", request.url, reason)
        yield FailedPage(self.source.name, request.url, reason, status, retryable=retry)

    def on_index_error(self, failure: Failure) -> None:
        reason, _, _ = describe_failure(failure)
        self._index_failed(failure.request.url, reason)  # type: ignore[attr-defined]

    def _index_failed(self, url: str, reason: str) -> None:
        self.crawler.stats.inc_value("tw/index_failed")
        self.index_errors.append(f"{url}: {reason}")
        self.logger.warning("index %s unusable: %s", url, reason)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
