"""Incremental crawls: unchanged pages are not fetched again, changed ones are (conditionally)
and re-extracted, and a story syndicated by two sources is one claim."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from cli_runner import tw
from crawl_helpers import add_source, article_requests
from storage import Store
from storage.models import Article, Figure
from territory_watch.demo.run import demo_sources
from territory_watch.demo.site import SampleSite, serve_sample_site
from territory_watch.demo.site.pages import SitePages
from territory_watch.settings import Settings

SEED = 11402
UPDATE = ("Update: the army said ISIS has lost 3,200 square kilometers in the past week.")


def test_unchanged_site_fetches_no_article_again(site: SampleSite, tw_settings: Settings) -> None:
    assert tw("crawl").returncode == 0
    first = len(article_requests(site))
    second = tw("crawl")
    assert second.returncode == 0 and "0 fetched" in second.stdout
    assert len(article_requests(site)) == first


def test_changed_article_is_refetched_conditionally_and_reextracted(
        site: SampleSite, tw_settings: Settings) -> None:
    assert tw("crawl").returncode == 0
    seen = len(site.requests)
    seed = site.article(SEED)
    edited = dataclasses.replace(seed, url=None, paragraphs=(*seed.paragraphs, UPDATE),
                                 modified=datetime.now(timezone.utc) + timedelta(seconds=1))
    articles = [edited if a.id == SEED else dataclasses.replace(a, url=None)
                for a in site.articles]
    site.pages = SitePages(articles, site.pages.private_articles, site.base_url)

    second = tw("crawl")
    assert second.returncode == 0, second.stderr
    assert "1 fetched" in second.stdout
    fetched = [r for r in site.requests.snapshot()[seen:] if r.path == seed.path]
    assert len(fetched) == 1 and "If-None-Match" in fetched[0].headers  # conditional request
    store = Store(tw_settings.db_url)
    with store.session() as session:
        article = session.scalar(select(Article).where(Article.url.endswith(seed.path)))
        assert article.body.endswith(UPDATE)
        values = {f.value for f in article.figures if f.metric == "area_lost"}
        assert {5841.0, 3200.0} <= values


def test_same_story_from_two_sources_is_one_claim(site: SampleSite,
                                                  tw_settings: Settings) -> None:
    seed = site.article(SEED)
    copy = dataclasses.replace(seed, id=77, slug="Syndicated-Copy", url=None, tags=())
    with serve_sample_site(articles=[copy]) as mirror:
        source = demo_sources(mirror.base_url)["sources"][0]
        source.update(name="mirror", title="Mirror News", sitemaps=[], listings=[])
        add_source(tw_settings, source)
        result = tw("crawl")
        assert result.returncode == 0, result.stderr
        assert "mirror: ok: 1 fetched" in result.stdout
        assert "1 articles are copies" in result.stdout
    store = Store(tw_settings.db_url)
    with store.session() as session:
        both = session.scalars(select(Article).where(
            Article.url.endswith(seed.path) | Article.url.endswith(copy.path))).all()
        assert len(both) == 2 and both[0].body_hash == both[1].body_hash
        original, duplicate = sorted(both, key=lambda a: a.id)
        assert duplicate.duplicate_of_id == original.id and duplicate.figures == []
        keys = session.scalars(select(Figure.claim_key).where(
            Figure.article_id.in_([a.id for a in both]))).all()
        assert keys and len(keys) == len(set(keys))
    figures = tw("figures", "--format", "jsonl", "--since", "2017-10-13", "--until", "2017-10-14",
                 "--metric", "area_lost")
    assert figures.stdout.count('"value": 5841.0') == 1
