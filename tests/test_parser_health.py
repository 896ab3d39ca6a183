"""Parser health: a redesign that no selector set matches hands the pages to the generic
extractor (articles keep coming) and raises one operator alert a day naming the source, each
failing set and the fields it lacked; a selector set for the new design, then `reparse`,
heals the archive without refetching."""

from __future__ import annotations

import yaml
from cli_runner import tw
from crawl_helpers import article_requests, edit_source, pages_by_path
from sqlalchemy import func, select

from demo.site import SampleSite
from storage import Store
from storage.models import AlertRow, ArticleRow
from territory_watch.config.settings import Settings

REDESIGN_SET = {"name": "2017-redesign", "title": ".story__headline",
                "published": 'meta[property="article:published_time"]',
                "body": ".story__content"}


def test_redesign_falls_back_to_generic_alerts_once_and_a_new_set_heals(
        site: SampleSite, tw_settings: Settings) -> None:
    site.set_fault(r"^/en/News/\d+/", "redesign")
    result = tw("crawl")
    assert result.returncode == 0, result.stderr
    assert "parser health: alwaght" in result.stdout and "operator alert raised" in result.stdout
    assert "generic extraction took over" in result.stdout
    pages = pages_by_path(tw_settings, site).values()
    assert {p.selector_set for p in pages} == {"generic"}
    assert {p.selector_misses for p in pages} == {"news-detail:title,body;text-date:title,published,body"}
    store = Store(tw_settings.db_url)
    with store.session() as session:  # the generic extractor read every article
        assert session.scalar(select(func.count(ArticleRow.id))) == len(site.articles)
        alerts = session.scalars(select(AlertRow).where(AlertRow.kind == "operator")).all()
        assert len(alerts) == 1 and alerts[0].rule == "operator:parser_health"
        assert "set 'news-detail' found no title on" in alerts[0].subject
        details = alerts[0].payload["operator"]
        assert details["failing_sets"]["news-detail"] == {"title": len(pages), "body": len(pages)}
        assert details["generic_fallbacks"] == len(pages) and details["broken"] == []
        assert alerts[0].deliveries  # pending on the operator channels

    again = tw("reparse")  # same day, still failing: reported, not alerted twice
    assert "operator alert already raised today" in again.stdout

    fetched = len(article_requests(site))
    config = tw_settings.sources_path.read_text()
    sets = yaml.safe_load(config)["sources"][0]["selectors"]
    edit_source(tw_settings, selectors=[REDESIGN_SET, *sets])
    healed = tw("reparse")
    assert healed.returncode == 0, healed.stderr
    assert "parser health" not in healed.stdout
    assert len(article_requests(site)) == fetched  # parsed from the archive
    pages = pages_by_path(tw_settings, site).values()
    assert {p.selector_set for p in pages} == {"2017-redesign"}
    assert {p.selector_misses for p in pages} == {None}
    with store.session() as session:
        assert session.scalar(select(func.count(AlertRow.id)).where(AlertRow.kind == "operator")) == 1
