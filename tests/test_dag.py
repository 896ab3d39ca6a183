"""The `territory_watch` DAG: it imports cleanly, and one `dag.test()` run goes end to end."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dag_helpers import dagbag

from demo.sinks import SmtpSink, WebhookSink
from territory_watch.config.settings import Settings


def test_dagbag_imports_without_errors() -> None:
    from airflow.sdk import CronDataIntervalTimetable

    bag = dagbag()
    assert bag.import_errors == {}
    dag = bag.dags["territory_watch"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    assert {t.task_id for t in dag.tasks} == {"list_sources", "crawl", "extract", "evaluate",
                                              "publish_figures", "notify"}
    assert dag.get_task("notify").upstream_task_ids == {"evaluate"}
    assert dag.get_task("crawl").pool == "territory_watch_crawl"
    assert [a.name for a in dag.get_task("publish_figures").outlets] == ["territory_watch_figures"]
    assert dag.default_args["retries"] == 0  # TERRITORY_WATCH_TASK_RETRIES (conftest); default 2
    assert dag.default_args["on_failure_callback"]
    assert {"sources", "notify", "digest", "since", "until"} <= set(dag.params)


def test_dag_run_alerts_exactly_the_articles_of_its_interval(
    airflow_db: None, tw_settings: Settings, smtp_sink: SmtpSink, webhook_sink: WebhookSink,
    channels: tuple[SmtpSink, WebhookSink],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dag = dagbag().dags["territory_watch"]
    # the seed article was published 2017-10-13T08:22Z: the run [06:00, 12:00) owns it
    run = dag.test(logical_date=datetime(2017, 10, 13, 12, tzinfo=UTC))
    assert run.state == "success"
    assert run.data_interval_start == datetime(2017, 10, 13, 6, tzinfo=UTC)
    subjects = sorted(m.subject for m in smtp_sink.messages)
    assert subjects == ["[territory-watch] Islamic State lost 142 towns and villages "
                        "during the last month",
                        "[territory-watch] Islamic State lost 5,841 km² during the last month"]
    assert len(webhook_sink.delivered) == 3
