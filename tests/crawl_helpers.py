"""Helpers of the crawl tests: reading the store, rewriting the sources file, counting requests."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from demo.run import demo_sources
from demo.site import SampleSite, serve_sample_site
from demo.site.content import Article as SiteArticle
from storage import Store
from storage.models import CrawlRunRow, PageRow
from territory_watch.config.settings import Settings

ARTICLE_PATH = re.compile(r"^/en/(private/)?News/\d+/")


def article_requests(site: SampleSite) -> list[str]:
    """Paths of the article pages the site served, in order."""
    return [p for p in site.requests.paths() if ARTICLE_PATH.match(p)]


def pages_by_path(settings: Settings, site: SampleSite) -> dict[str, PageRow]:
    """Stored pages of `site`, by path."""
    store = Store(settings.db_url)
    try:
        with store.session() as session:
            pages = session.scalars(select(PageRow)).all()
    finally:
        store.close()
    return {p.url.removeprefix(site.base_url): p for p in pages if p.url.startswith(site.base_url)}


def last_run_stats(settings: Settings) -> dict[str, Any]:
    """CrawlRun.stats of the latest crawl."""
    store = Store(settings.db_url)
    try:
        with store.session() as session:
            return session.scalars(select(CrawlRunRow).order_by(CrawlRunRow.id.desc())).first().stats
    finally:
        store.close()


def edit_source(settings: Settings, index: int = 0, **changes: Any) -> None:
    """Change keys of one source in the sources file."""
    path: Path = settings.sources_path
    config = yaml.safe_load(path.read_text())
    config["sources"][index].update(changes)
    path.write_text(yaml.safe_dump(config))


def add_source(settings: Settings, source: dict[str, Any]) -> None:
    """Append a source to the sources file."""
    config = yaml.safe_load(settings.sources_path.read_text())
    config["sources"].append(source)
    settings.sources_path.write_text(yaml.safe_dump(config))


@contextmanager
def mirror_source(settings: Settings, articles: Sequence[SiteArticle]) -> Iterator[SampleSite]:
    """A second source, "Mirror News" (name `mirror`, feeds only), serving `articles`."""
    with serve_sample_site(articles=list(articles)) as mirror:
        source = demo_sources(mirror.base_url)["sources"][0]
        source.update(name="mirror", title="Mirror News", sitemaps=[], listings=[])
        add_source(settings, source)
        yield mirror


def edited_copy(seed: SiteArticle, article_id: int = 78) -> SiteArticle:
    """A lightly edited copy of `seed`: new headline and dateline, two paragraphs cut, a footer."""
    lead, *middle, _, _ = seed.paragraphs
    return dataclasses.replace(
        seed, id=article_id, slug="Russia-ISIS-Holds-Under-8-Percent", url=None, tags=(),
        title="Russia: ISIS Holds Under 8 Percent of Syria",
        paragraphs=(lead.replace("Alwaght- ", "MOSCOW (Mirror) - "), *middle,
                    "Mirror News contributed to this report."))


def own_words(seed: SiteArticle, article_id: int = 80) -> SiteArticle:
    """The seed's 5,841 km² loss reported independently, in other words, the same day."""
    return dataclasses.replace(
        seed, id=article_id, slug="Moscow-Reports-Gains-Against-ISIS", url=None, tags=(),
        title="Moscow Reports Gains Against ISIS",
        paragraphs=("ISIS lost 5,841 square kilometers of territory during the last month, "
                    "the Russian military said on Friday.",
                    "Its briefing in Moscow described heavy fighting along the Euphrates and "
                    "said government troops were preparing new operations in the east."))
