"""The config-driven news spider: one instance per source, discovering through feeds,
sitemaps and listings, fetching only article pages that are new or changed.

Within a publication window (`--since/--until`) an article is fetched as soon as an index
dates it inside the window. Entries no index has dated yet wait until discovery is over
(`spider_idle`): by then another index may have dated them. An entry nothing dates is still
fetched, unless the dated indexes reach back before the window (then they would have listed
it with a date had it been in the window).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawlers.discovery import DiscoveryError, Link, parse_feed, parse_listing, parse_sitemap
from crawlers.encoding import page_encoding
from crawlers.failures import describe_failure
from crawlers.items import FailedPage, FetchedPage, PageDate
from crawlers.known_pages import KnownPages
from crawlers.middlewares import HostBackedOff, on_site
from crawlers.publication_window import Verdict, Window
from crawlers.sources import Source
from crawlers.stats import Stat, count, set_count

MAX_INDEX_ERRORS = 50


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
        self.window = Window(since, until)
        self.index_errors: list[str] = []
        # index URL -> [page links, article links, child sitemaps]
        self.index_links: dict[str, list[int]] = {}
        self._requested: set[str] = set()
        self._undecided: dict[str, Link] = {}
        self._dates: dict[str, datetime] = {}
        self._fetched_undated: set[str] = set()  # fetched before any index dated them
        self._dated_before_window = False
        self._discovered: set[str] = set()
        self._outside: set[str] = set()
        self._known: set[str] = set()
        self._offsite: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    # -- entry points -------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.feeds:
            yield self._index_request(url, self.parse_feed)
        for url in self.source.sitemaps:
            yield self._index_request(url, self.parse_sitemap)
        for url in self.source.listings:
            yield self._index_request(url, self.parse_listing, page_no=1)
        for url in self.known.retryable():
            if self._on_site(url):
                count(self.crawler, Stat.ARTICLES_RETRIED)
                for request in self._fetch(Link(url), retry=True):
                    yield request

    def _index_request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        count(self.crawler, Stat.INDEX_REQUESTS)
        return scrapy.Request(url, callback=callback, errback=self.on_index_error,
                              meta={"tw_index": True, **meta}, dont_filter=True)

    # -- discovery ----------------------------------------------------------------------

    def _read_index(self, response: Response,
                    parse: Callable[[bytes, str], list[Link]]) -> list[Link] | None:
        """The links of a feed or sitemap; None (recorded as an index failure) if unreadable."""
        try:
            links = parse(response.body, response.url)
        except DiscoveryError as exc:
            self._index_failed(response.url, str(exc))
            return None
        count(self.crawler, Stat.INDEX_OK)
        self._note_links(response.url, links)
        return links

    def _note_links(self, index_url: str, links: list[Link]) -> None:
        """Remember how many links an index gave, how many of them were articles, and how
        many child sitemaps it named."""
        pages = [link for link in links if not link.is_sitemap]
        self.index_links[index_url] = [
            len(pages), sum(1 for link in pages if self.source.is_article_url(link.url)),
            len(links) - len(pages)]

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request | PageDate]:
        links = self._read_index(response, parse_feed)
        if links is not None:
            yield from self._follow_articles(links)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request | PageDate]:
        links = self._read_index(response, parse_sitemap)
        if links is None:
            return
        for link in links:
            if not link.is_sitemap:
                continue
            if not self._on_site(link.url):
                self._offsite.add(link.url)
            elif self.window.skips_sitemap(link.lastmod):
                self._dated_before_window = True
                count(self.crawler, Stat.SITEMAPS_SKIPPED_BY_LASTMOD)
            else:
                yield self._index_request(link.url, self.parse_sitemap)
        yield from self._follow_articles([link for link in links if not link.is_sitemap])

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request | PageDate]:
        if not isinstance(response, TextResponse):
            self._index_failed(response.url, "listing is not an HTML page")
            return
        try:
            links, next_url = parse_listing(response.text, response.url)
        except ValueError as exc:
            self._index_failed(response.url, str(exc))
            return
        count(self.crawler, Stat.INDEX_OK)
        self._note_links(response.url, links)
        articles = [link for link in links if self.source.is_article_url(link.url)]
        new = [link for link in articles if not self.known.is_fresh(link.url, None)]
        yield from self._follow_articles(articles)
        page_no = response.meta.get("page_no", 1)
        if self.window.open:
            keep_paging = bool(new) and page_no < self.source.max_listing_pages
        else:
            dates = [link.published for link in articles if link.published]
            keep_paging = (page_no < self.source.max_backfill_listing_pages
                           and not self.window.reaches_before(dates))
        if next_url and articles and keep_paging and self._on_site(next_url):
            yield self._index_request(next_url, self.parse_listing, page_no=page_no + 1)

    def _follow_articles(self, links: Iterable[Link]) -> Iterator[scrapy.Request | PageDate]:
        for link in links:
            url = link.url
            if not self.source.is_article_url(url):
                continue
            if not self._on_site(url):
                self._offsite.add(url)
                continue
            self._discovered.add(url)
            if link.published is not None:
                self._dates.setdefault(url, link.published)
                if url in self._fetched_undated:  # fetched first, dated now: store the date
                    self._fetched_undated.discard(url)
                    yield PageDate(self.source.name, url, self._dates[url])
            since = self.window.since
            if since and ((link.published or link.lastmod or since) < since):
                self._dated_before_window = True
            verdict = self.window.verdict(link)
            if verdict is Verdict.OUT:
                self._outside.add(url)
            elif verdict is Verdict.UNKNOWN:
                earlier = self._undecided.get(url)
                if earlier is None or (link.lastmod and (earlier.lastmod is None
                                                         or link.lastmod > earlier.lastmod)):
                    self._undecided[url] = link
            else:
                yield from self._fetch(link)

    def _on_idle(self) -> None:
        """Discovery is over: decide the entries no index had dated when they were found."""
        if not self._undecided:
            return
        undecided, self._undecided = self._undecided, {}
        requests: list[scrapy.Request] = []
        for url, link in undecided.items():
            published = self._dates.get(url)
            if published is not None:
                if not self.window.contains(published):
                    self._outside.add(url)
                    continue
            elif link.lastmod is None and self._dated_before_window:
                count(self.crawler, Stat.ARTICLES_UNDATED_SKIPPED)
                continue
            requests += self._fetch(Link(url, published=published, lastmod=link.lastmod))
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _on_site(self, url: str) -> bool:
        return on_site(url, self.allowed_domains)

    # -- articles -----------------------------------------------------------------------

    def _fetch(self, link: Link, retry: bool = False) -> Iterator[scrapy.Request]:
        """The request for an article, unless already requested or known and unchanged."""
        url = link.url
        if url in self._requested:
            return
        if not retry and self.known.is_fresh(url, link.lastmod):
            self._known.add(url)
            return
        self._requested.add(url)
        yield scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_article_error,
            headers=self.known.conditional_headers(url),
            dont_filter=True,  # deduplicated here; a redirect back to it must reach the limit
            meta={"tw_published": link.published or self._dates.get(url), "tw_retry": retry,
                  "handle_httpstatus_list": [304]},
        )

    def parse_article(self, response: Response) -> Iterator[FetchedPage | FailedPage]:
        url = _discovered_url(response.request) if response.request else response.url
        if response.status == 304:
            count(self.crawler, Stat.ARTICLES_NOT_MODIFIED)
        elif not isinstance(response, TextResponse):
            count(self.crawler, Stat.ARTICLES_REFUSED)
            yield FailedPage(self.source.name, url, "not an HTML page "
                             f"({(response.headers.get('Content-Type') or b'?').decode('latin-1')})",
                             response.status, retryable=False)
            return
        else:
            count(self.crawler, Stat.ARTICLES_FETCHED)
        # the date its index gave; another index may have dated it while it was downloading
        published = response.meta.get("tw_published") or self._dates.get(url)
        if published is None:
            self._fetched_undated.add(url)
        encoding = None
        if isinstance(response, TextResponse):
            encoding = page_encoding(response.body, response.encoding)
            if encoding != response.encoding:
                count(self.crawler, Stat.CHARSET_CORRECTED)
        yield FetchedPage(
            source=self.source.name,
            url=url,
            final_url=response.url,
            status=response.status,
            body=response.body if response.status != 304 else b"",
            encoding=encoding,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
            discovered_published=published,
        )

    # -- failures -----------------------------------------------------------------------

    def on_article_error(self, failure: Failure) -> Iterator[FailedPage]:
        url = _discovered_url(_failed_request(failure))
        if failure.check(HostBackedOff):  # not this page's fault: nothing to record
            count(self.crawler, Stat.ARTICLES_DEFERRED)
            return
        reason, status, retry = describe_failure(failure)
        count(self.crawler, Stat.ARTICLES_FAILED if retry else Stat.ARTICLES_REFUSED)
        self.logger.warning("article %s not fetched: %s", url, reason)
        yield FailedPage(self.source.name, url, reason, status, retryable=retry)

    def on_index_error(self, failure: Failure) -> None:
        if failure.check(HostBackedOff):
            count(self.crawler, Stat.INDEX_DEFERRED)
            return
        reason, _, _ = describe_failure(failure)
        self._index_failed(_discovered_url(_failed_request(failure)), reason)

    def _index_failed(self, url: str, reason: str) -> None:
        count(self.crawler, Stat.INDEX_FAILED)
        if len(self.index_errors) < MAX_INDEX_ERRORS:
            self.index_errors.append(f"{url}: {reason}")
        self.logger.warning("index %s unusable: %s", url, reason)

    def closed(self, reason: str) -> None:
        """Per-URL counters (an article listed by several indexes counts once)."""
        set_count(self.crawler, Stat.ARTICLES_DISCOVERED, len(self._discovered))
        set_count(self.crawler, Stat.ARTICLES_OUTSIDE_WINDOW, len(self._outside - self._requested))
        set_count(self.crawler, Stat.ARTICLES_KNOWN, len(self._known - self._requested))
        set_count(self.crawler, Stat.LINKS_OFFSITE, len(self._offsite))


def _failed_request(failure: Failure) -> scrapy.Request:
    """The request of a failure handed to an errback (Scrapy sets it on Twisted's Failure)."""
    return failure.request  # type: ignore[attr-defined]


def _discovered_url(request: scrapy.Request) -> str:
    """The URL an article was discovered under, before any redirect."""
    return request.meta.get("redirect_urls", [request.url])[0]


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
