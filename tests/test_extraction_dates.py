"""An article whose page carries no date: the date its feed or sitemap entry gave, else the day
its URL names, else its first fetch time."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_runner import tw
from crawl_helpers import edit_source
from sqlalchemy import select

from crawlers.sources import Source
from demo.site import SampleSite
from parsers.url_date import date_from_url
from storage import Store
from storage.models import ArticleRow, PageRow
from storage.pages import ensure_source
from territory_watch.config.settings import Settings
from territory_watch.pipeline.extract_step import extract_pages

PATIENT = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 60}
UNDATED = (b"<html><body><article><h1>ISIS loses ground</h1><p>ISIS lost 5,841 square "
           b"kilometers of territory during the last month, the army said.</p></article>"
           b"</body></html>")


def test_undated_page_takes_the_date_its_feed_or_sitemap_gave_even_after_the_fetch(
        site: SampleSite, tw_settings: Settings) -> None:
    in_feed, in_news_sitemap = site.article(11402), site.article(11197)
    assert in_feed.url in site.pages.rss().text and in_news_sitemap.url not in site.pages.rss().text
    for article in (in_feed, in_news_sitemap):
        site.set_fault(article.path, "undated")  # no date anywhere on the page, none in its URL
    # the monthly sitemaps list every article without a date (lastmod only), at once; the
    # dating indexes (the feed's pubDate, the news sitemap's publication_date) come late
    for index in ("/en/rss", "/news-sitemap.xml"):
        site.set_fault(index, "slow:3")
    edit_source(tw_settings, feeds=[site.url("/en/rss")], listings=[],
                sitemaps=[site.url("/sitemap.xml"), site.url("/news-sitemap.xml")])
    result = tw("crawl", env={"TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(PATIENT)})
    assert result.returncode == 0, result.stderr
    store = Store(tw_settings.db_url)
    with store.session() as session:
        stored = {a.url: a for a in session.scalars(select(ArticleRow))}
        for article in (in_feed, in_news_sitemap):
            page = session.scalar(select(PageRow).where(PageRow.url == article.url))
            assert "published" in (page.parse_missing or ""), page.parse_missing
            assert stored[article.url].published == article.published, article.url


def test_undated_article_takes_its_fetch_time(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'tw.db'}")
    fetched = datetime(2017, 10, 13, 9, 0, tzinfo=UTC)
    source = Source(name="plain", title="Plain", allowed_domains=["example.org"],
                    listings=["http://example.org/"])
    with store.session() as session:
        row = ensure_source(session, "plain", "Plain")
        session.add(PageRow(url="http://example.org/a", source_id=row.id, state="ok", failures=0,
                         raw=zlib.compress(UNDATED), content_hash="h", encoding="utf-8",
                         fetched_at=fetched))
    report = extract_pages(store, [source])
    assert report.articles == 1 and report.missing["published"] == 1
    with store.session() as session:
        article = session.scalars(select(ArticleRow)).one()
        assert article.published == fetched
        assert [(f.metric, f.value) for f in article.figures] == [("area_lost", 5841.0)]


def test_undated_article_takes_the_day_its_url_names(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'tw.db'}")
    source = Source(name="plain", title="Plain", allowed_domains=["example.org"],
                    listings=["http://example.org/"])
    with store.session() as session:
        row = ensure_source(session, "plain", "Plain")
        session.add(PageRow(url="http://example.org/2017/09/19/isis-loses-ground", source_id=row.id,
                         state="ok", failures=0, raw=zlib.compress(UNDATED), content_hash="h",
                         encoding="utf-8", fetched_at=datetime(2026, 11, 25, tzinfo=UTC)))
    extract_pages(store, [source])
    with store.session() as session:
        article = session.scalars(select(ArticleRow)).one()
        assert article.published == datetime(2017, 9, 19, tzinfo=UTC)
        assert [(f.period_start, f.period_end) for f in article.figures] == [
            ("2017-08-19", "2017-09-19")]  # "during the last month", from the URL's day


@pytest.mark.parametrize(("url", "day"), [
    ("https://example.org/2017/10/13/isis-loses", (2017, 10, 13)),
    ("https://example.org/news/2017-10-13-isis-loses", (2017, 10, 13)),
    ("https://example.org/20171013/isis.html", (2017, 10, 13)),
    ("https://example.org/2017/2/3/isis", (2017, 2, 3)),
    ("https://example.org/en/News/11402/ISIS-Controls", None),  # an id, not a date
    ("https://example.org/2017/02/30/isis", None),  # no such day
    ("https://example.org/story/2017/10/isis", None),  # no day
    ("https://example.org/search?from=2017/10/13", None),  # the query is not the path
])
def test_date_from_url(url: str, day: tuple[int, int, int] | None) -> None:
    expected = datetime(*day, tzinfo=UTC) if day else None
    assert date_from_url(url) == expected
