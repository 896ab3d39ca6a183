"""`territory-watch check-source` and `territory-watch article`, run as users run them, against
the sample site over HTTP on 127.0.0.1: what each page yields, the verdict and its exit
status, and clear errors (exit 1: no article to be had; 2: bad configuration or arguments)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from cli_runner import tw
from crawl_helpers import article_requests, edit_source

from demo.site import SampleSite
from territory_watch.config.settings import Settings


def test_a_healthy_source_reads_its_newest_pages_and_stores_nothing(
        site: SampleSite, tw_settings: Settings) -> None:
    result = tw("check-source", "alwaght", "--pages", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    newest = [a.path for a in site.articles[:3]]
    assert sorted(article_requests(site)) == sorted(newest)  # only the 3 newest fetched
    assert site.requests.paths()[0] == "/robots.txt"
    assert out.count("selector set: news-detail") == 3
    assert f"title:     {site.articles[0].title}" in out
    assert "share_lost Islamic State approx 95 percent" in out  # the first figures shown
    assert re.search(r"verdict: healthy: 3/3 pages read \(3 by 'news-detail'\), \d+ figures", out)
    assert "/en/rss: 10 links, 10 match the article pattern" in out
    assert not Path(tw_settings.db_url.removeprefix("sqlite:///")).exists()  # user store untouched


def test_a_redesign_is_diagnosed_with_what_generic_extraction_found(
        site: SampleSite, tw_settings: Settings) -> None:
    site.set_fault(r"^/en/News/\d+/", "redesign")
    result = tw("check-source", "alwaght", "--pages", "2")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert out.count("selector set: generic ('news-detail' lacked title, body; "
                     "'text-date' lacked title, published, body)") == 2
    assert ("problem: set 'news-detail': body selector 'article .news-body' matched nothing "
            "on 2/2 pages") in out
    assert re.search(r"no selector set yielded title, date and body on 2/2 pages; generic "
                     r"extraction found \d{3} words on average", out)
    assert f"title:     {site.articles[0].title}" in out  # read all the same
    assert "verdict: 6 problem(s) found" in out


def test_selectors_that_match_nothing_and_a_date_selector_that_finds_no_date(
        site: SampleSite, tw_settings: Settings) -> None:
    edit_source(tw_settings, selectors={"name": "wrong", "title": "h1.news-title",
                                        "published": "h1.news-title", "body": ".article-text"})
    result = tw("check-source", "alwaght", "--pages", "2")
    assert result.returncode == 1
    assert ("set 'wrong': body selector '.article-text' matched nothing on 2/2 pages"
            in result.stdout)
    assert ("set 'wrong': published selector 'h1.news-title' matched <h1> without a date on "
            "2/2 pages") in result.stdout


def test_index_and_article_pattern_problems(site: SampleSite, tw_settings: Settings) -> None:
    site.set_fault("/en/rss", "status:500")
    edit_source(tw_settings, article_pattern=r"/en/articles/\d+/")
    result = tw("check-source", "alwaght")
    assert result.returncode == 1
    assert re.search(r"problem: index not readable: http://127\.0\.0\.1:\d+/en/rss: HTTP 500",
                     result.stdout)
    assert "links but none matches article_pattern '/en/articles/\\\\d+/'" in result.stdout
    assert article_requests(site) == []


@pytest.mark.parametrize("args", [("check-source", "nope"), ("check-source", "alwaght",
                                                              "--pages", "0")])
def test_check_source_bad_arguments_exit_2(tw_settings: Settings, args: tuple[str, ...]) -> None:
    result = tw(*args)
    assert result.returncode == 2
    assert "unknown source(s) nope" in result.stderr or "--pages" in result.stderr


def test_article_from_a_url_with_one_request(site: SampleSite, tw_settings: Settings) -> None:
    article = site.articles[1]
    result = tw("article", site.url(article.path), "--source", "alwaght")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == article.title and data["url"] == site.url(article.path)
    assert data["published"] == article.published.isoformat().replace("Z", "+00:00")
    assert data["body"] == article.text.removeprefix("Alwaght- ")
    assert (data["selector_set"], data["selector_misses"], data["missing"]) == (
        "news-detail", {}, [])
    assert site.requests.paths() == ["/robots.txt", article.path]


def test_article_from_a_redesigned_page_names_the_sets_that_failed(
        site: SampleSite, tw_settings: Settings, tmp_path: Path) -> None:
    site.set_fault(r"^/en/News/\d+/", "redesign")
    article = site.articles[0]
    result = tw("article", site.url(article.path), "--source", "alwaght")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["selector_set"] == "generic"
    assert data["selector_misses"] == {"news-detail": ["title", "body"],
                                       "text-date": ["title", "published", "body"]}
    assert data["title"] == article.title and data["body"].startswith(article.paragraphs[0][9:])


def test_article_from_a_file_with_or_without_a_source(
        site: SampleSite, tw_settings: Settings, tmp_path: Path) -> None:
    article = site.articles[2]
    page = tmp_path / "page.html"
    page.write_text(site.pages.article(article).text)
    with_source = json.loads(tw("article", str(page), "--source", "alwaght").stdout)
    generic = json.loads(tw("article", str(page)).stdout)
    assert with_source["selector_set"] == "news-detail" and generic["selector_set"] == "generic"
    assert with_source["url"] is None
    assert with_source["body"] == article.text.removeprefix("Alwaght- ")
    assert generic["body"].endswith(article.paragraphs[-1])  # no dateline known without source
    assert site.requests.paths() == []


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("target", "source", "status", "message"), [
    ("{site}/en/rss", "alwaght", 1, r"not an HTML page \(application/rss\+xml"),
    ("{site}/static/site.css", "alwaght", 1, r"not an HTML page \(text/css"),
    ("http://127.0.0.1:{closed}/en/News/1/x", "alwaght", 1, "connection refused"),
    ("{site}/en/private/News/90001/Draft-ISIS-Lost-9999-Square-Kilometers", "alwaght", 1,
     "robots.txt"),
    ("{site}/en/News/11623/x", None, 1, "loopback or private network"),
    ("{site}/en/News/404/none", "alwaght", 1, "HTTP 404"),
    ("http://evil.example/en/News/1/x", "alwaght", 2, "not on alwaght's allowed domains"),
    ("{site}/en/News/11623/x", "nope", 2, "unknown source"),
    ("/no/such/page.html", None, 2, "cannot read"),
])
def test_article_errors_are_clear(site: SampleSite, tw_settings: Settings, target: str,
                                  source: str | None, status: int, message: str) -> None:
    target = target.format(site=site.base_url, closed=closed_port())
    result = tw("article", target, *(["--source", source] if source else []))
    assert result.returncode == status, result.stdout + result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert result.stdout == ""
    if source is None and status == 1:  # refused before any request reached the site
        assert site.requests.paths() == []
