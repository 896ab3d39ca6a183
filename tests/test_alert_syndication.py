"""The same claim from several sources is one alert that lists every source, sent once."""

from __future__ import annotations

import dataclasses

import pytest
from cli_runner import SEED_WINDOW, tw
from crawl_helpers import mirror_source
from sqlalchemy import select

from demo.sinks import SmtpSink, WebhookSink
from demo.site import SampleSite
from storage import Store
from storage.models import AlertRow
from territory_watch.config.settings import Settings


def test_syndicated_copy_joins_the_alert_without_a_new_delivery(
    site: SampleSite, tw_settings: Settings, smtp_sink: SmtpSink, webhook_sink: WebhookSink,
    channels: tuple[SmtpSink, WebhookSink],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = tw("run", *SEED_WINDOW)
    assert first.returncode == 0, first.stderr
    assert "Skipping masking" not in first.stdout + first.stderr  # no Airflow noise for users
    emails, posts = len(smtp_sink.messages), len(webhook_sink.delivered)
    assert emails == 2 and posts == 3

    seed = site.article(11402)
    copy = dataclasses.replace(seed, id=77, slug="Syndicated-Copy", url=None, tags=())
    with mirror_source(tw_settings, [copy]):
        result = tw("run", *SEED_WINDOW)
        assert result.returncode == 0, result.stderr
    assert (len(smtp_sink.messages), len(webhook_sink.delivered)) == (emails, posts)
    store = Store(tw_settings.db_url)
    with store.session() as session:
        alerts = session.scalars(select(AlertRow).where(AlertRow.kind == "figure")).all()
        assert len(alerts) == 3
        for alert in alerts:
            assert [r["source"] for r in alert.payload["reports"]] == ["Alwaght", "Mirror News"]
