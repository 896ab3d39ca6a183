"""Backfills: `--since/--until` reach the articles published in a past window through dated
indexes and listing pagination, without fetching the rest of the site; re-runs are idempotent."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import yaml
from cli_runner import tw
from crawl_helpers import article_requests, last_run_stats

from demo.run import demo_sources
from demo.site import SampleSite, serve_sample_site
from territory_watch.config.settings import Settings

SINCE, UNTIL = datetime(2017, 9, 1, tzinfo=UTC), datetime(2017, 10, 1, tzinfo=UTC)


def test_backfill_fetches_only_the_window_and_reruns_fetch_nothing(
        site: SampleSite, tw_settings: Settings) -> None:
    window = {a.path for a in site.articles if SINCE <= a.published < UNTIL}
    assert 0 < len(window) < len(site.articles)
    result = tw("crawl", "--since", SINCE.isoformat(), "--until", UNTIL.isoformat())
    assert result.returncode == 0, result.stderr
    assert set(article_requests(site)) == window
    assert f"{len(window)} fetched" in result.stdout
    stats = last_run_stats(tw_settings)
    assert stats["articles_outside_window"] == len(site.articles) - len(window)
    assert "/sitemap-2017-11.xml" in site.requests.paths()  # lastmod after since: read
    before = len(article_requests(site))
    again = tw("crawl", "--since", SINCE.isoformat(), "--until", UNTIL.isoformat())
    assert again.returncode == 0 and "0 fetched" in again.stdout
    assert len(article_requests(site)) == before
    listed = tw("figures", "--format", "jsonl")  # everything stored, whatever its date
    assert listed.returncode == 0, listed.stderr
    figures = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {urlsplit(f["url"]).path for f in figures} <= window  # nothing from outside it
    assert all(SINCE <= datetime.fromisoformat(f["published"]) < UNTIL for f in figures)
    # the window's figures are there, e.g. article 11197 (2017-09-19): ISIS lost 2,000 km²
    assert ("Islamic State", "area_lost", 2000.0) in {(f["actor"], f["metric"], f["value"])
                                                       for f in figures}


def _articles(count: int) -> list[dict[str, object]]:
    start = datetime(2018, 1, 1, 12, tzinfo=UTC)
    return [{"id": 1000 + i, "slug": f"Story-{i}", "title": f"Story {i}",
             "published": (start + timedelta(days=3 * i)).isoformat(),
             "body": f"Alwaght- Story number {i} about the front line near the river."}
            for i in range(count)]


def test_listing_backfill_stops_paging_past_the_window(tw_settings: Settings) -> None:
    with serve_sample_site(articles=_articles(40)) as site:  # 4 listing pages, newest first
        source = demo_sources(site.base_url)["sources"][0]
        source.update(feeds=[], sitemaps=[])
        tw_settings.sources_path.write_text(yaml.safe_dump({"sources": [source]}))
        newest = site.articles[0].published
        since = newest - timedelta(days=12)
        result = tw("crawl", "--since", since.isoformat())
        assert result.returncode == 0, result.stderr
        listings = [p for p in site.requests.paths() if p.startswith("/en/News?") or p == "/en/News"]
        assert listings == ["/en/News"]  # page 1 already reaches back before `since`
        expected = {a.path for a in site.articles if a.published >= since}
        assert set(article_requests(site)) == expected and len(expected) == 5
        older = tw("crawl", "--since", (newest - timedelta(days=40)).isoformat(),
                   "--until", (newest - timedelta(days=20)).isoformat())
        assert older.returncode == 0, older.stderr
        assert "/en/News?page=2" in site.requests.paths()
        assert "/en/News?page=4" not in site.requests.paths()
