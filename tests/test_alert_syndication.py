"""The same claim from several sources is one alert that lists every source, sent once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from cli_runner import SEED_WINDOW, tw
from crawl_helpers import edited_copy, mirror_source, own_words
from sqlalchemy import select

from demo.sinks import SmtpSink, WebhookSink
from demo.site import SampleSite
from demo.site.pages import SitePages
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


def test_an_edited_copy_confirms_nothing_but_the_figure_in_own_words_does(
    site: SampleSite, tw_settings: Settings, smtp_sink: SmtpSink,
    channels: tuple[SmtpSink, WebhookSink], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "channels:\n  email: {connection: territory_watch_email, to: [alerts@example.org]}\n"
        "rules:\n  - {name: confirmed-loss, metric: area_lost, above: 1000, confirmations: 2,"
        " channels: [email]}\n")
    monkeypatch.setenv("TERRITORY_WATCH_RULES", str(rules))
    seed = site.article(11402)
    edited, independent = edited_copy(seed), own_words(seed)
    first = tw("run", *SEED_WINDOW)  # the story at its publisher, stored first
    assert first.returncode == 0, first.stderr
    assert "0 new alerts" in first.stdout and smtp_sink.messages == []  # one source only
    with mirror_source(tw_settings, [edited]) as mirror:
        copied = tw("run", *SEED_WINDOW)  # a lightly edited copy of it at another source
        assert copied.returncode == 0, copied.stderr
        assert "1 articles are copies" in copied.stdout
        assert "0 new alerts" in copied.stdout and smtp_sink.messages == []  # still one source

        mirror.pages = SitePages([edited, independent], [], mirror.base_url)
        confirmed = tw("run", *SEED_WINDOW)  # the same figure, in the mirror's own words
        assert confirmed.returncode == 0, confirmed.stderr
        assert "1 new alerts" in confirmed.stdout
    [mail] = smtp_sink.messages
    assert "5,841" in mail.subject
    store = Store(tw_settings.db_url)
    with store.session() as session:
        alert = session.scalars(select(AlertRow).where(AlertRow.rule == "confirmed-loss")).one()
        reports = {r["url"].removeprefix(mirror.base_url).removeprefix(site.base_url)
                   for r in alert.payload["reports"]}
    assert reports == {seed.path, edited.path, independent.path}
