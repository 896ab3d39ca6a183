"""Parser health: a redesign that hides title and body raises one operator alert a day instead
of storing empty articles; fixing the selectors re-parses the archive without refetching."""

from __future__ import annotations

from cli_runner import tw
from crawl_helpers import article_requests, edit_source, pages_by_path
from sqlalchemy import func, select

from demo.site import SampleSite
from storage import Store
from storage.models import AlertRow, ArticleRow
from territory_watch.config.settings import Settings


def test_redesign_raises_an_operator_alert_and_fixed_selectors_heal(
        site: SampleSite, tw_settings: Settings) -> None:
    site.set_fault(r"^/en/News/\d+/", "redesign")
    result = tw("crawl")
    assert result.returncode == 0, result.stderr
    assert "parser health: alwaght" in result.stdout and "operator alert raised" in result.stdout
    page = next(iter(pages_by_path(tw_settings, site).values()))
    assert page.parse_missing == "title,body"
    store = Store(tw_settings.db_url)
    with store.session() as session:
        assert session.scalar(select(func.count(ArticleRow.id))) == 0  # nothing empty stored
        alerts = session.scalars(select(AlertRow).where(AlertRow.kind == "operator")).all()
        assert len(alerts) == 1 and alerts[0].rule == "operator:parser_health"
        assert alerts[0].payload["operator"]["broken"] == ["title", "body"]
        assert alerts[0].deliveries  # pending on the operator channels

    again = tw("reparse")  # same day, still broken: reported, not alerted twice
    assert "operator alert already raised today" in again.stdout

    fetched = len(article_requests(site))
    edit_source(tw_settings, selectors={"title": ".story__headline",
                                        "published": 'meta[property="article:published_time"]',
                                        "body": ".story__content"})
    healed = tw("crawl")
    assert healed.returncode == 0, healed.stderr
    assert "parser health" not in healed.stdout
    assert len(article_requests(site)) == fetched  # parsed from the archive
    with store.session() as session:
        assert session.scalar(select(func.count(ArticleRow.id))) == len(site.articles)
        assert session.scalar(select(func.count(AlertRow.id)).where(AlertRow.kind == "operator")) == 1
