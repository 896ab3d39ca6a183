"""Renders the sample site's pages (HTML, RSS, sitemaps, robots.txt) from its articles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2

from .content import Article

PageKind = Literal["article", "listing", "feed", "sitemap", "robots", "text", "not_found"]

HTML = "text/html"
XML = "application/xml"
RSS = "application/rss+xml"
TEXT = "text/plain"

XXE_CANARY_PATH = "/en/private/xxe-canary"
"""Target of the network external entity in hostile XML: a request here means a parser resolved it."""

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader(__package__, "templates"),
    autoescape=jinja2.select_autoescape(["html", "xml"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.filters["rfc822"] = lambda moment: format_datetime(moment)
_ENV.filters["display_date"] = lambda moment: moment.strftime("%A %d %B %Y - %H:%M")


@dataclass(frozen=True)
class Page:
    """A rendered resource, before encoding."""

    text: str
    content_type: str  # without charset
    kind: PageKind
    status: int = 200
    last_modified: datetime | None = None


@dataclass(frozen=True)
class RenderOptions:
    """How the current request's fault changes the markup."""

    redesign: bool = False
    redesign_keeps_meta: bool = True
    undated: bool = False  # the article page names no date anywhere
    extra_links: tuple[str, ...] = ()  # absolute URLs added to listings, feeds and sitemaps


@dataclass(frozen=True)
class _Entry:
    """A line of a listing, feed or sitemap."""

    href: str
    title: str
    published: datetime | None = None
    lead: str = ""

    @property
    def loc(self) -> str:
        return self.href

    @property
    def lastmod(self) -> datetime | None:
        return self.published


@dataclass(frozen=True)
class _SidebarItem:
    path: str
    title: str
    views: int


class SitePages:
    """Maps request targets to rendered pages for one set of articles."""

    def __init__(
        self,
        articles: Sequence[Article],
        private_articles: Sequence[Article],
        base_url: str,
        *,
        per_page: int = 10,
        feed_size: int = 10,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.articles = sorted(articles, key=lambda a: (a.published, a.id), reverse=True)
        self.private_articles = list(private_articles)
        self.per_page = per_page
        self.feed_size = feed_size
        self._by_path = {a.path: a for a in [*self.articles, *self.private_articles]}

    # -- routing --------------------------------------------------------------------------

    def resolve(self, target: str, options: RenderOptions = RenderOptions()) -> Page:
        """The page for a request target (path and query); a 404 page when there is none."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        page: Page | None
        if path in ("/", "/en", "/en/"):
            page = self.listing(1, options)
        elif path in ("/en/News", "/en/News/"):
            page = self.listing(_int(query.get("page", ["1"])[0]), options)
        elif path == "/en/rss":
            page = self.rss(options)
        elif path == "/robots.txt":
            page = self.robots()
        elif path == "/sitemap.xml":
            page = self.sitemap_index(options)
        elif path == "/news-sitemap.xml":
            page = self.news_sitemap(options)
        elif path.startswith("/sitemap-") and path.endswith(".xml"):
            page = self.monthly_sitemap(path.removeprefix("/sitemap-").removesuffix(".xml"), options)
        elif path.startswith("/en/tag/"):
            page = self.tag_listing(path.removeprefix("/en/tag/"), options)
        elif path == XXE_CANARY_PATH:
            page = Page("XXE-CANARY: an XML parser resolved an external entity\n", TEXT, "text")
        elif path == "/static/site.css":
            page = Page("body{font-family:sans-serif}\n", "text/css", "text")
        else:
            page = self._article_page(path, options)
        return page or self.not_found()

    def _article_page(self, path: str, options: RenderOptions) -> Page | None:
        article = self._by_path.get(path.rstrip("/"))
        return None if article is None else self.article(article, options)

    # -- pages ----------------------------------------------------------------------------

    def article(self, article: Article, options: RenderOptions = RenderOptions()) -> Page:
        served = article.served_at(self.base_url)
        template = "article_redesign.html" if options.redesign else "article.html"
        text = _ENV.get_template(template).render(
            article=served, keep_meta=options.redesign_keeps_meta, undated=options.undated,
            **self._sidebar(exclude=article.id)
        )
        return Page(text, HTML, "article", last_modified=article.last_modified)

    def listing(self, page_no: int, options: RenderOptions = RenderOptions()) -> Page | None:
        page_count = max(1, math.ceil(len(self.articles) / self.per_page))
        if not 1 <= page_no <= page_count:
            return None
        chunk = self.articles[(page_no - 1) * self.per_page : page_no * self.per_page]
        items = [_Entry(a.path, a.title, a.published, a.paragraphs[0]) for a in chunk]
        if page_no == 1:
            items += [_Entry(url, "Sponsored: more news", None, "") for url in options.extra_links]
        text = _ENV.get_template("listing.html").render(
            heading="Latest News",
            items=items,
            page_no=page_no,
            page_count=page_count,
            prev_url=f"/en/News?page={page_no - 1}" if page_no > 1 else None,
            next_url=f"/en/News?page={page_no + 1}" if page_no < page_count else None,
            **self._sidebar(),
        )
        return Page(text, HTML, "listing", last_modified=_newest(chunk))

    def tag_listing(self, tag: str, options: RenderOptions = RenderOptions()) -> Page | None:
        tagged = [a for a in self.articles if tag in a.tags]
        if not tagged:
            return None
        items = [_Entry(a.path, a.title, a.published, a.paragraphs[0]) for a in tagged]
        text = _ENV.get_template("listing.html").render(
            heading=f"Tag: {tag}", items=items, page_no=1, page_count=1, prev_url=None, next_url=None,
            **self._sidebar(),
        )
        return Page(text, HTML, "listing", last_modified=_newest(tagged))

    def rss(self, options: RenderOptions = RenderOptions()) -> Page:
        newest = self.articles[: self.feed_size]
        items = [_Entry(self._url(a), a.title, a.published, a.paragraphs[0]) for a in newest]
        items += [_Entry(url, "Sponsored", None, "") for url in options.extra_links]
        text = _ENV.get_template("rss.xml").render(base_url=self.base_url, items=items)
        return Page(text, RSS, "feed", last_modified=_newest(newest))

    def sitemap_index(self, options: RenderOptions = RenderOptions()) -> Page:
        months: dict[str, datetime] = {}
        for article in [*self.articles, *self.private_articles]:
            month = _utc_month(article)
            months[month] = max(months.get(month, article.last_modified), article.last_modified)
        entries = [_Entry(f"{self.base_url}/sitemap-{m}.xml", m, months[m]) for m in sorted(months, reverse=True)]
        entries += [_Entry(url, "", None) for url in options.extra_links]
        text = _ENV.get_template("sitemap_index.xml").render(entries=entries)
        return Page(text, XML, "sitemap", last_modified=max(months.values(), default=None))

    def monthly_sitemap(self, month: str, options: RenderOptions = RenderOptions()) -> Page | None:
        """Articles of one UTC month (``YYYY-MM``), drafts included: robots.txt must stop a crawler."""
        chosen = [a for a in [*self.articles, *self.private_articles] if _utc_month(a) == month]
        if not chosen:
            return None
        chosen.sort(key=lambda a: a.published, reverse=True)
        entries = [_Entry(self._url(a), a.title, a.last_modified) for a in chosen]
        entries += [_Entry(url, "", None) for url in options.extra_links]
        text = _ENV.get_template("sitemap.xml").render(entries=entries)
        return Page(text, XML, "sitemap", last_modified=max(a.last_modified for a in chosen))

    def news_sitemap(self, options: RenderOptions = RenderOptions()) -> Page:
        entries = [_Entry(self._url(a), a.title, a.published) for a in self.articles]
        entries += [_Entry(url, "Sponsored", None) for url in options.extra_links]
        text = _ENV.get_template("news_sitemap.xml").render(entries=entries)
        return Page(text, XML, "sitemap", last_modified=_newest(self.articles))

    def robots(self) -> Page:
        return Page(_ENV.get_template("robots.txt").render(base_url=self.base_url), TEXT, "robots")

    def not_found(self) -> Page:
        return Page(_ENV.get_template("not_found.html").render(**self._sidebar()), HTML, "not_found", status=404)

    # -- helpers --------------------------------------------------------------------------

    def _url(self, article: Article) -> str:
        return self.base_url + article.path

    def _sidebar(self, exclude: int | None = None) -> dict[str, list[_SidebarItem]]:
        """Headlines of other articles, shown before the article body."""
        others = [a for a in self.articles if a.id != exclude]

        def pick(flag: str) -> list[_SidebarItem]:
            chosen = [a for a in others if getattr(a, flag)] or others
            return [_SidebarItem(a.path, a.title, 1000 + (a.id * 37) % 9000) for a in chosen[:5]]

        return {"editors_choice": pick("editors_choice"), "most_viewed": pick("most_viewed")}


def _utc_month(article: Article) -> str:
    return article.published.astimezone(UTC).strftime("%Y-%m")


def _newest(articles: Sequence[Article]) -> datetime | None:
    return max((a.last_modified for a in articles), default=None)


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0
