"""Every fault the sample site can inject, survived by a real crawl through the console script:
recorded per page with a reason, never fatal, retried (and healed) by the next run."""

from __future__ import annotations

import json
import sqlite3
from typing import cast

from cli_runner import tw
from crawl_helpers import article_requests, edit_source, last_run_stats, pages_by_path
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request
from sqlalchemy import select

from crawlers.middlewares import PrivateAddressMiddleware, RetryAfterMiddleware
from crawlers.sources import Source
from demo.sinks import SmtpSink, WebhookSink
from demo.site import SampleSite
from demo.site.pages import XXE_CANARY_PATH
from storage import Store
from storage.models import ArticleRow
from territory_watch.config.settings import Settings

SEED = 11402  # carries Arabic text and curly quotes
# article index -> (fault, expected reason); each article gets its own fault in one crawl
FAILING = {
    0: ("status:500", "HTTP 500"),
    1: ("status:503", "HTTP 503"),  # Retry-After: 1, waited twice, then given up
    3: ("slow:120", "timeout"),  # far beyond DOWNLOAD_TIMEOUT
    4: ("reset", "connection lost"),
    5: ("truncated", "truncated response"),
    6: ("oversized:3000000", "too large"),
    8: ("gzip_bomb", "too large"),
    9: ("redirect_loop", "redirect loop"),
}
INDEX_FAULTS = {
    "/en/rss": "malformed_xml",
    "/sitemap-2017-08.xml": "xml_bomb",
    "/sitemap-2017-10.xml": "xml_external_entity",
    "/sitemap-2017-09.xml": "private_links",
    "^/en/News$": "offsite_links",
}
# a timeout generous enough for any healthy page on a loaded machine; no immediate retries, so
# the slow page costs one timeout (failed pages are retried by the next run)
SMALL = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 10,
         "RETRY_TIMES": 0, "DOWNLOAD_MAXSIZE": 1_000_000, "DOWNLOAD_WARNSIZE": 500_000}


def test_faults_are_recorded_per_page_and_retried_next_run(site: SampleSite,
                                                           tw_settings: Settings) -> None:
    articles = [a for a in site.articles if a.id != SEED]
    for path, fault in INDEX_FAULTS.items():
        site.set_fault(path, fault)
    for index, (fault, _) in FAILING.items():
        site.set_fault(articles[index].path, fault)
    site.set_fault(articles[10].path, "status:429:1*1")  # honoured Retry-After, then success
    site.set_fault(articles[11].path, "malformed_html")
    site.set_fault(site.article(SEED).path, "wrong_charset:cp1256:utf-8")
    env = {"TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(SMALL)}

    first = tw("crawl", env=env)
    assert first.returncode == 0, first.stderr
    pages = pages_by_path(tw_settings, site)
    for index, (fault, reason) in FAILING.items():
        page = pages[articles[index].path]
        assert (page.state, page.failures) == ("failed", 1), fault
        assert page.error.startswith(reason), (fault, page.error)
    assert site.requests.count(articles[1].path) == 3  # Retry-After honoured twice
    assert pages[articles[10].path].state == "ok"
    assert site.requests.count(articles[10].path) == 2
    stats = last_run_stats(tw_settings)
    assert stats["retry_after_waits"] >= 3
    # the index faults: reported, never fatal, nothing hostile followed
    assert "index error: " + site.url("/en/rss") + ": malformed XML" in first.stdout
    assert any("/en/rss" in e for e in stats["index_errors"])
    assert XXE_CANARY_PATH not in site.requests.paths()
    assert stats["links_offsite"] == 4 and "off-site links ignored" in first.stdout
    assert not any(url.startswith(("http://10.", "http://192.168.", "http://169.254.", "http://evil"))
                   for url in pages_by_path_all(tw_settings))
    # repaired on the way in: the charset, the broken markup
    store = Store(tw_settings.db_url)
    with store.session() as session:
        seed = session.scalar(select(ArticleRow).where(ArticleRow.url.endswith(site.article(SEED).path)))
        assert "\ufffd" not in seed.body and "“The city is in full blockade" in seed.body
        broken = session.scalar(select(ArticleRow).where(ArticleRow.url.endswith(articles[11].path)))
        assert broken.body.startswith(articles[11].paragraphs[0][:40].split("- ", 1)[-1][:20])
    assert stats["charset_corrected"] == 1

    site.clear_faults()
    second = tw("crawl", env=env)
    assert second.returncode == 0, second.stderr
    pages = pages_by_path(tw_settings, site)
    assert all(pages[a.path].state == "ok" for a in site.articles)
    assert f"{len(FAILING)} fetched" in second.stdout
    with store.session() as session:
        assert len(session.scalars(select(ArticleRow)).all()) == len(site.articles)


def pages_by_path_all(settings: Settings) -> list[str]:
    store = Store(settings.db_url)
    with store.session() as session:
        from storage.models import PageRow
        return list(session.scalars(select(PageRow.url)))


def test_robots_txt_user_agent_and_refusals(site: SampleSite, tw_settings: Settings) -> None:
    edit_source(tw_settings, article_pattern=r"/News/\d+/")  # the draft now looks like an article
    result = tw("crawl")
    assert result.returncode == 0, result.stderr
    assert not [p for p in site.requests.paths() if p.startswith("/en/private/")]
    draft = pages_by_path(tw_settings, site)[site.private_articles[0].path]
    assert (draft.state, draft.failures) == ("refused", 1) and "robots.txt" in draft.error
    agents = {r.headers["user-agent"] for r in site.requests}
    assert len(agents) == 1 and agents.pop().startswith("territory-watch/")
    again = tw("crawl")  # robots.txt is read again each run; the draft stays refused
    assert again.returncode == 0
    draft = pages_by_path(tw_settings, site)[site.private_articles[0].path]
    assert (draft.state, draft.failures) == ("refused", 1)  # refused again, not failed again
    assert len(article_requests(site)) == len(site.articles)


def test_politeness_settings() -> None:
    from crawlers.run import scrapy_settings

    settings = scrapy_settings("sqlite://")
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 4
    assert settings.getfloat("DOWNLOAD_DELAY") > 0 and settings.getint("DOWNLOAD_MAXSIZE") > 0
    assert "honours robots.txt" in settings.get("USER_AGENT")


class _Crawler:
    class stats:  # noqa: N801 - a stand-in
        values: dict[str, int] = {}

        @classmethod
        def inc_value(cls, key: str, count: int = 1) -> None:
            cls.values[key] = cls.values.get(key, 0) + count


def test_retry_after_pauses_the_whole_site_then_retries(site: SampleSite,
                                                       tw_settings: Settings) -> None:
    site.set_fault("/en/rss", "status:429:2*1")  # "come back in 2 s", once
    one_at_a_time = {**SMALL, "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "CONCURRENT_REQUESTS": 1}
    result = tw("crawl", env={"TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(one_at_a_time)})
    assert result.returncode == 0, result.stderr
    requests = site.requests.snapshot()
    refused_at = next(r.at for r in requests if r.path == "/en/rss")
    later = [r for r in requests if r.at > refused_at]
    # nothing at all reached the site during the pause: not the feed, not any other page
    assert min(r.at for r in later) - refused_at >= 1.9, [(r.path, r.at - refused_at) for r in later]
    assert [r.path for r in later].count("/en/rss") == 1 and len(later) > len(site.articles)
    assert pages_by_path(tw_settings, site)[site.articles[0].path].state == "ok"
    stats = last_run_stats(tw_settings)
    assert (stats["retry_after_pauses"], stats["retry_after_waits"]) == (1, 1)
    assert not stats["index_errors"]


def test_a_long_retry_after_ends_the_visit_and_the_next_run_fetches_the_rest(
        site: SampleSite, tw_settings: Settings) -> None:
    site.set_fault("/en/rss", "status:429:300*1")  # "come back in 5 minutes"
    one_at_a_time = {**SMALL, "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "CONCURRENT_REQUESTS": 1}
    env = {"TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(one_at_a_time)}
    first = tw("crawl", env=env)
    requests = site.requests.snapshot()
    told_at = next(r.at for r in requests if r.path == "/en/rss")
    assert [r.path for r in requests if r.at > told_at] == []  # nothing more this run
    assert "left for the next run (the site asked for a long pause)" in first.stdout
    assert first.returncode == 1 and "failed: the site asked for a long pause" in first.stdout
    stats = last_run_stats(tw_settings)
    assert stats["retry_after_backoffs"] == 1 and stats["index_deferred"] >= 1
    assert pages_by_path_all(tw_settings) == []  # no page blamed for the site's pause

    second = tw("crawl", env=env)
    assert second.returncode == 0, second.stderr
    pages = pages_by_path(tw_settings, site)
    assert all(pages[a.path].state == "ok" for a in site.articles)


def test_retry_after_beyond_the_longest_wait_gives_the_page_up_for_this_run() -> None:
    middleware = RetryAfterMiddleware(cast(Crawler, _Crawler()), max_wait=5, max_times=2)
    request = Request("http://127.0.0.1/a")
    busy = HtmlResponse(request.url, status=429, headers={"Retry-After": "1"}, request=request)
    retry = middleware.process_response(request, busy)
    assert isinstance(retry, Request) and retry.meta["tw_retry_after"] == 1 and retry.dont_filter
    later = HtmlResponse(request.url, status=503, headers={"Retry-After": "3600"}, request=request)
    assert middleware.process_response(request, later) is later
    assert request.meta["dont_retry"]  # no immediate RetryMiddleware hammering either
    exhausted = retry.replace()
    exhausted.meta["tw_retry_after"] = 2
    exhausted_busy = busy.replace(request=exhausted)
    assert middleware.process_response(exhausted, exhausted_busy) is exhausted_busy  # no retry
    assert exhausted.meta["dont_retry"]


def test_private_address_middleware_refuses_without_resolving_offsite_hosts() -> None:
    import pytest
    from scrapy.exceptions import IgnoreRequest

    private = Source(name="s", title="S", allowed_domains=["10.0.0.1", "example.org"],
                     feeds=["http://10.0.0.1/rss"])

    class Spider:
        source = private
        allowed_domains = private.allowed_domains

    middleware = PrivateAddressMiddleware(cast(Crawler, None))  # unused: each call names its spider
    with pytest.raises(IgnoreRequest, match="private network"):
        middleware.process_request(Request("http://10.0.0.1/en/News/1/x"), Spider())
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("http://169.254.169.254/latest/"), Spider())
    # an off-site name is left to OffsiteMiddleware: no DNS lookup leaves this machine
    assert middleware.process_request(Request("http://evil.invalid/x"), Spider()) is None


def test_pages_the_store_refuses_are_reported_and_fetched_again(
        site: SampleSite, tw_settings: Settings, channels: tuple[SmtpSink, WebhookSink]) -> None:
    Store(tw_settings.db_url).close()  # the schema, then a store that refuses every new page
    db = tw_settings.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TRIGGER refuse_pages BEFORE INSERT ON pages "
                           "BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END")
    refused = tw("run")  # a whole cycle: crawl, evaluate (operator checks), notify
    assert refused.returncode == 1, refused.stdout  # its only source failed
    assert "alwaght: FAILED" in refused.stdout
    assert "failed: " in refused.stdout
    assert "fetched pages could not be stored (fetched again next run)" in refused.stdout
    assert "disk quota exceeded" in refused.stderr  # the cause, in the log
    assert pages_by_path_all(tw_settings) == []
    lost = last_run_stats(tw_settings)["archive_write_errors"]
    assert lost >= len(site.articles)
    # an operator alert names the reason and how many pages, on every channel (the default)
    smtp, webhook = channels
    reason = f"Crawl of Alwaght failed: {lost} fetched pages could not be stored"
    assert [" ".join(m.subject.split()) for m in smtp.messages] == [f"[territory-watch] {reason} "
                                                                    "(fetched again next run)"]
    assert len(webhook.delivered) == 1 and reason in webhook.delivered[0].text

    with sqlite3.connect(db) as connection:
        connection.execute("DROP TRIGGER refuse_pages")
    healed = tw("crawl")
    assert healed.returncode == 0, healed.stderr
    pages = pages_by_path(tw_settings, site)
    assert all(pages[a.path].state == "ok" for a in site.articles)
