"""Operator alerts: a source whose crawl failed, a silent source; delivered once a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_runner import tw
from sqlalchemy import update
from store_builder import add_article

from alerting.rules import load_rules
from demo.sinks import SmtpSink, WebhookSink
from demo.site import SampleSite
from storage import Store
from storage.models import ArticleRow
from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.pipeline.health import check_sources


def test_failed_crawl_raises_one_operator_alert(site: SampleSite, tw_settings: Settings,
                                                 smtp_sink: SmtpSink, webhook_sink: WebhookSink,
                                                 channels: tuple[SmtpSink, WebhookSink],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for path in (r"^/en/rss", r"^/sitemap", r"^/en/News", r"^/news-sitemap"):
        site.set_fault(path, "status:500")
    first = tw("run")
    assert first.returncode == 1  # every source failed
    subjects = [m.subject.strip() for m in smtp_sink.messages]  # long subjects are folded
    assert subjects == ["[territory-watch] Crawl of Alwaght failed: no feed, sitemap or "
                        "listing usable"]
    assert "HTTP 500" in smtp_sink.messages[0].text
    assert any("Crawl of Alwaght failed" in p.text for p in webhook_sink.delivered)
    again = tw("run")
    assert again.returncode == 1, again.stdout  # still failing ...
    assert "FAILED" in again.stdout
    assert len(smtp_sink.messages) == 1  # ... but alerted once a day, not once a run


def test_silent_source_raises_an_alert(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'tw.db'}")
    add_article(store, "alwaght", "u1", "2017-10-13", [])
    rules = load_rules(BUNDLED / "rules.yaml")
    with store.session() as session:
        session.execute(update(ArticleRow).values(
            parsed_at=datetime.now(UTC) - timedelta(days=4)))
    first = check_sources(store, rules, ["alwaght"])
    assert len(first) == 1
    assert check_sources(store, rules, ["alwaght"]) == []  # already raised today
    with store.session() as session:
        session.execute(update(ArticleRow).values(parsed_at=datetime.now(UTC)))
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert check_sources(store, rules, ["alwaght"], at=tomorrow) == []  # fresh again
