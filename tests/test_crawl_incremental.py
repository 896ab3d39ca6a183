"""Incremental crawls: unchanged pages are not fetched again, changed ones are (conditionally)
and re-extracted, and a story syndicated by two sources is one claim."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from cli_runner import tw
from crawl_helpers import article_requests, edited_copy, mirror_source, own_words, pages_by_path
from sqlalchemy import select

from demo.site import SampleSite
from demo.site.pages import SitePages
from storage import Store
from storage.models import ArticleRow, FigureRow
from territory_watch.config.settings import Settings

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
                                 modified=datetime.now(UTC) + timedelta(seconds=1))
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
        article = session.scalar(select(ArticleRow).where(ArticleRow.url.endswith(seed.path)))
        assert article.body.endswith(UPDATE)
        values = {f.value for f in article.figures if f.metric == "area_lost"}
        assert {5841.0, 3200.0} <= values


def test_without_etags_refetches_are_conditional_on_last_modified(
        site: SampleSite, tw_settings: Settings) -> None:
    site.set_fault(r"^/en/News/\d+/", "no_etag")  # article pages: Last-Modified only
    # a page the site dates an hour ahead: its sitemap lastmod stays later than our fetch
    ahead_id = site.articles[2].id
    stamp = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    served = [dataclasses.replace(a, url=None, modified=stamp) if a.id == ahead_id
              else dataclasses.replace(a, url=None) for a in site.articles]
    site.pages = SitePages(served, site.pages.private_articles, site.base_url)
    assert tw("crawl").returncode == 0
    stored = pages_by_path(tw_settings, site)
    seed, ahead = site.article(SEED), site.article(ahead_id)
    assert stored[seed.path].etag is None and stored[seed.path].last_modified
    seen = len(site.requests)

    edited = dataclasses.replace(seed, url=None, paragraphs=(*seed.paragraphs, UPDATE),
                                 modified=datetime.now(UTC) + timedelta(seconds=1))
    site.pages = SitePages([edited if a.id == SEED else a for a in served],
                           site.pages.private_articles, site.base_url)
    second = tw("crawl")
    assert second.returncode == 0, second.stderr
    assert "1 fetched, 1 not modified" in second.stdout, second.stdout
    asked = {r.path: r.headers for r in site.requests.snapshot()[seen:]
             if r.path in (seed.path, ahead.path)}
    for path in (seed.path, ahead.path):  # conditional on the Last-Modified we were given
        assert asked[path].get("If-Modified-Since") == stored[path].last_modified, asked
        assert "If-None-Match" not in asked[path]
    assert len(article_requests(site)) == len(site.articles) + 2  # no other page again
    store = Store(tw_settings.db_url)
    with store.session() as session:  # the changed page was re-extracted (its 200)
        article = session.scalar(select(ArticleRow).where(ArticleRow.url.endswith(seed.path)))
        assert article.body.endswith(UPDATE)


def test_same_story_from_two_sources_is_one_claim(site: SampleSite,
                                                  tw_settings: Settings) -> None:
    seed = site.article(SEED)
    copy = dataclasses.replace(seed, id=77, slug="Syndicated-Copy", url=None, tags=())
    with mirror_source(tw_settings, [copy]):
        result = tw("crawl")
        assert result.returncode == 0, result.stderr
        assert "mirror: ok: 1 fetched" in result.stdout
        assert "1 articles are copies" in result.stdout
    store = Store(tw_settings.db_url)
    with store.session() as session:
        both = session.scalars(select(ArticleRow).where(
            ArticleRow.url.endswith(seed.path) | ArticleRow.url.endswith(copy.path))).all()
        assert len(both) == 2 and both[0].body_hash == both[1].body_hash
        original, duplicate = sorted(both, key=lambda a: a.id)
        assert duplicate.duplicate_of_id == original.id and duplicate.figures == []
        keys = session.scalars(select(FigureRow.figure_key).where(
            FigureRow.article_id.in_([a.id for a in both]))).all()
        assert keys and len(keys) == len(set(keys))
    figures = tw("figures", "--format", "jsonl", "--since", "2017-10-13", "--until", "2017-10-14",
                 "--metric", "area_lost")
    assert figures.stdout.count('"value": 5841.0') == 1


def test_edited_copy_is_the_same_story_but_new_figures_or_own_words_are_not(
        site: SampleSite, tw_settings: Settings) -> None:
    seed = site.article(SEED)
    edited = edited_copy(seed, 78)
    updated = dataclasses.replace(  # the same wording, but a figure the seed does not report
        edited, id=79, slug="ISIS-Lost-6120-Square-Kilometers",
        paragraphs=tuple(p.replace("5,841", "6,120") for p in edited.paragraphs))
    independent = own_words(seed, 80)
    late = dataclasses.replace(  # the edited copy, but published 8 days after the story
        edited, id=81, slug="Late-Copy", published=seed.published + timedelta(days=8),
        paragraphs=(*edited.paragraphs[:-1], "Mirror News archive."))
    assert tw("crawl").returncode == 0  # the story, first seen at its publisher
    with mirror_source(tw_settings, [edited, updated, independent, late]):
        result = tw("crawl")
        assert result.returncode == 0, result.stderr
        assert "1 articles are copies" in result.stdout
    store = Store(tw_settings.db_url)
    with store.session() as session:
        by_id = {int(a.url.split("/News/")[1].split("/")[0]): a
                 for a in session.scalars(select(ArticleRow))}
        assert by_id[78].duplicate_of_id == by_id[SEED].id and by_id[78].figures == []
        assert by_id[79].duplicate_of_id is None
        assert 6120 in {f.value for f in by_id[79].figures}
        assert by_id[80].duplicate_of_id is None
        assert [(f.actor, f.value) for f in by_id[80].figures if f.metric == "area_lost"] == [
            ("Islamic State", 5841)]
        assert by_id[81].duplicate_of_id is None  # more than a week later: its own report
        assert 5841 in {f.value for f in by_id[81].figures}
