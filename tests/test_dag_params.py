"""What a manual run's Params change (`sources`, `notify`, `since`/`until`), the schedule from
TERRITORY_WATCH_SCHEDULE and the default retries, and the figures Asset: real `dag.test()` runs
of the DAG parsed from its file."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from crawl_helpers import article_requests, mirror_source
from dag_helpers import asset_events, load_dag, task_states
from sqlalchemy import select

from demo.sinks import SmtpSink, WebhookSink
from demo.site import SampleSite
from storage import Store
from storage.models import AlertRow, DeliveryRow
from territory_watch.config.settings import Settings

SEED, OLDER = 11402, 11197  # published 2017-10-13 and 2017-09-19
WINDOW = {"since": "2017-10-13T00:00:00+00:00", "until": "2017-10-14T00:00:00+00:00"}


def figure_alerts(settings: Settings) -> dict[str, tuple[str, set[str]]]:
    """subject -> (article URL, delivery states) of every stored figure alert."""
    store = Store(settings.db_url)
    try:
        with store.session() as session:
            return {a.subject: (a.payload["figure"]["url"], {d.state for d in a.deliveries})
                    for a in session.scalars(select(AlertRow).where(AlertRow.kind == "figure"))}
    finally:
        store.close()


def test_task_retries_default_to_two_and_follow_the_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERRITORY_WATCH_TASK_RETRIES", raising=False)  # conftest sets 0
    assert {t.task_id: t.retries for t in load_dag().tasks} == {
        "list_sources": 2, "crawl": 2, "extract": 2, "publish_figures": 2, "evaluate": 2,
        "notify": 2}
    monkeypatch.setenv("TERRITORY_WATCH_TASK_RETRIES", "5")
    assert {t.retries for t in load_dag().tasks} == {5}


def test_params_pick_sources_window_and_notification_and_the_asset_follows_new_figures(
        airflow_db: None, site: SampleSite, tw_settings: Settings,
        channels: tuple[SmtpSink, WebhookSink], monkeypatch: pytest.MonkeyPatch) -> None:
    smtp, webhook = channels
    copy = dataclasses.replace(site.article(SEED), id=77, slug="Mirror-Copy", url=None, tags=())
    older = dataclasses.replace(site.article(OLDER), id=78, slug="Mirror-Older", url=None, tags=())
    monkeypatch.setenv("TERRITORY_WATCH_SCHEDULE", "0 0 * * *")  # daily intervals
    with mirror_source(tw_settings, [copy, older]) as mirror:
        dag = load_dag()
        conf = {"sources": ["mirror"], "notify": False, **WINDOW}
        first = dag.test(logical_date=datetime(2020, 1, 1, tzinfo=UTC), run_conf=conf)
        assert first.state == "success", task_states(first.run_id)

        # TERRITORY_WATCH_SCHEDULE: the run owns one day, which holds no article at all
        assert (first.data_interval_start, first.data_interval_end) == (
            datetime(2019, 12, 31, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC))
        # sources: only the mirror was crawled, the other source not even asked
        assert site.requests.paths() == []
        assert task_states(first.run_id)["crawl"] == ["success"]
        # since/until: the window's article was fetched and alerted, the older one neither
        mirrored = article_requests(mirror)
        assert copy.path in mirrored and older.path not in mirrored
        alerts = figure_alerts(tw_settings)
        assert len(alerts) == 3 and {url for url, _ in alerts.values()} == {mirror.url(copy.path)}
        # notify off: the alerts are stored, pending, and nothing was sent
        assert {state for _, states in alerts.values() for state in states} == {"pending"}
        assert smtp.messages == [] and webhook.posts == []
        # new figures stored: the Asset is emitted, by publish_figures
        assert asset_events(first.run_id) == ["publish_figures"]

        second = dag.test(logical_date=datetime(2020, 1, 2, tzinfo=UTC),
                          run_conf={**conf, "notify": True})
        assert second.state == "success", task_states(second.run_id)
        assert site.requests.paths() == []
    # nothing new stored: no Asset event, publish_figures skipped
    assert task_states(second.run_id)["publish_figures"] == ["skipped"]
    assert asset_events(second.run_id) == []
    # notify on: the pending alerts went out now, once each
    assert len(smtp.messages) == 2 and len(webhook.delivered) == 3
    store = Store(tw_settings.db_url)
    with store.session() as session:
        assert set(session.scalars(select(DeliveryRow.state))) == {"sent"}
