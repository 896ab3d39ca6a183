"""The news spider as the source doctor and `territory-watch article` use it.

With `sample=N` it reads every feed, sitemap and listing of the source (the first page of
each listing, the two newest children of a sitemap index), then fetches the N newest articles
they list (dated by the indexes; undated ones last). With `urls` it fetches just those pages.
Everything else is the news spider's: robots.txt, politeness, size caps, private-address
refusal, the archive pipeline.
A page that is not HTML (a feed, an image, a PDF) is recorded as refused, saying its type.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from crawlers.discovery import Link
from crawlers.discovery import parse_sitemap as read_sitemap
from crawlers.items import FailedPage, FetchedPage
from crawlers.sources import Source
from crawlers.spiders.news import NewsSpider
from crawlers.stats import Stat, count

HTML_TYPES = ("text/html", "application/xhtml+xml")
CHILD_SITEMAPS = 2  # of a sitemap index, only the most recently modified are read
OLDEST = datetime.min.replace(tzinfo=UTC)


class ProbeSpider(NewsSpider):
    """Fetch a source's `sample` newest articles, or the given `urls`."""

    name = "probe"

    def __init__(self, source: Source, sample: int = 5, urls: Iterable[str] = (),
                 **kwargs: Any) -> None:
        super().__init__(source.model_copy(update={"max_listing_pages": 1}), **kwargs)
        self.sample = max(0, sample)
        self.urls = list(urls)
        self._candidates: dict[str, Link] = {}
        self._sampled = False

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.urls:
            for url in self.urls:
                for request in self._fetch(Link(url), retry=True):
                    yield request
            return
        async for request in super().start():
            yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Like the news spider's, but of a sitemap index only the newest children."""
        links = self._read_index(response, read_sitemap)
        if links is None:
            return
        children = sorted((link for link in links if link.is_sitemap and self._on_site(link.url)),
                          key=_day, reverse=True)
        for link in children[:CHILD_SITEMAPS]:
            yield self._index_request(link.url, self.parse_sitemap)
        yield from self._follow_articles([link for link in links if not link.is_sitemap])

    def _follow_articles(self, links: Iterable[Link]) -> Iterator[scrapy.Request]:
        """Collect the article links (fetched once discovery is over); nothing yet."""
        for link in links:
            if not self.source.is_article_url(link.url):
                continue
            if not self._on_site(link.url):
                self._offsite.add(link.url)
                continue
            self._discovered.add(link.url)
            known = self._candidates.get(link.url)
            if known is None or _day(link) > _day(known):
                self._candidates[link.url] = link
        return iter(())

    def newest(self) -> list[Link]:
        """The `sample` newest candidates (dated ones by date, then the undated in order)."""
        ranked = sorted(self._candidates.values(), key=_day, reverse=True)
        return ranked[: self.sample]

    def _on_idle(self) -> None:
        """Discovery is over: fetch the newest articles, once."""
        if self._sampled or self.urls:
            return
        self._sampled = True
        requests = [r for link in self.newest() for r in self._fetch(link)]
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def parse_article(self, response: Response) -> Iterator[FetchedPage | FailedPage]:
        kind = (response.headers.get("Content-Type") or b"").decode("latin-1")
        if response.status != 304 and kind.split(";")[0].strip().lower() not in HTML_TYPES:
            count(self.crawler, Stat.ARTICLES_REFUSED)
            url = response.request.meta.get("redirect_urls", [response.url])[0] \
                if response.request else response.url
            yield FailedPage(self.source.name, url, f"not an HTML page ({kind or 'no type'})",
                             response.status, retryable=False)
            return
        yield from super().parse_article(response)


def _day(link: Link) -> datetime:
    return link.published or link.lastmod or OLDEST
