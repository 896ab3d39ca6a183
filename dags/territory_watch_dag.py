"""DAG `territory_watch`: each run owns its data interval [start, end) and processes the articles
published in it: crawl (one mapped task per source, in a subprocess, in a pool for politeness)
-> extract -> evaluate -> notify. Runs are idempotent (alerts are keyed by rule and claim), so
re-runs and backfills never send an alert twice. Digests (one message per channel for the run,
split where Slack's limits need): the `digest` param when set, else on for backfills, else the
rule's `digest`, else the rules file's. All logic lives in the packages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airflow.sdk import Asset, CronDataIntervalTimetable, Param, dag, get_current_context, task

from territory_watch.config.settings import Settings
from territory_watch.orchestration.failure_notifier import OperatorAlertNotifier

SETTINGS = Settings.from_env()
FIGURES = Asset("territory_watch_figures", uri="territory-watch://store/figures")


def _window() -> tuple[datetime | None, datetime | None]:
    """The run's data interval, unless the `since`/`until` params override it."""
    context = get_current_context()
    params = context["params"]
    since = params.get("since") or context.get("data_interval_start")
    until = params.get("until") or context.get("data_interval_end")
    return _aware(since), _aware(until)


def _aware(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        from territory_watch.config.datetimes import parse_when

        return parse_when(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _is_backfill() -> bool:
    dag_run = get_current_context().get("dag_run")
    return str(getattr(dag_run, "run_type", "")).lower().endswith("backfill")


@dag(
    dag_id="territory_watch",
    schedule=CronDataIntervalTimetable(SETTINGS.schedule, timezone="UTC"),
    start_date=datetime(2010, 1, 1, tzinfo=UTC),  # backfills reach old news
    catchup=False,
    max_active_runs=4,
    default_args={"retries": SETTINGS.task_retries, "retry_delay": SETTINGS.retry_delay,
                  "on_failure_callback": OperatorAlertNotifier()},
    params={
        "sources": Param([], type="array", description="Sources to crawl (empty: all)"),
        "notify": Param(True, type="boolean", description="Send alerts (off: store only)"),
        "digest": Param(None, type=["null", "boolean"],
                        description="One message per channel for the run (default: on "
                                    "for backfills, else the rule's or rules file's digest)"),
        "since": Param(None, type=["null", "string"], description="Override window start (ISO)"),
        "until": Param(None, type=["null", "string"], description="Override window end (ISO)"),
    },
    tags=["territory-watch"],
    doc_md=__doc__,
)
def territory_watch() -> None:
    @task
    def list_sources() -> list[str]:
        from crawlers.sources import load_sources

        chosen = get_current_context()["params"].get("sources") or None
        return [s.name for s in load_sources(Settings.from_env().sources_path, chosen)]

    # one run crawls as many sources at once as the pool allows all runs together
    @task(pool=SETTINGS.crawl_pool, max_active_tis_per_dagrun=SETTINGS.crawl_pool_slots)
    def crawl(source: str) -> dict[str, Any]:
        """Crawl one source in a child process; returns its report (counters, index errors)."""
        from territory_watch.cli.summaries import crawl_summary
        from territory_watch.orchestration.crawl_subprocess import crawl_in_subprocess

        since, until = _window()
        reports = crawl_in_subprocess(Settings.from_env(), [source], since, until)
        print(crawl_summary(reports))
        return reports[0].to_json() if reports else {"source": source, "counts": {}}

    @task(trigger_rule="all_done")  # one failing source must not stop the others
    def extract(sources: list[str]) -> dict[str, int]:
        from territory_watch.pipeline.cycle import extract_step

        report = extract_step(Settings.from_env(), sources=sources)
        return {"pages": report.pages, "articles": report.articles, "figures": report.figures}

    @task(outlets=[FIGURES])
    def publish_figures(extracted: dict[str, int]) -> int:
        """Emit the figures Asset only when new figures were stored."""
        from airflow.sdk.exceptions import AirflowSkipException

        if not extracted.get("figures"):
            raise AirflowSkipException("no new figures")
        return extracted["figures"]

    @task
    def evaluate(sources: list[str]) -> list[int]:
        from territory_watch.pipeline.cycle import evaluate_step

        context = get_current_context()
        since, until = _window()
        backfill = _is_backfill()
        report = evaluate_step(
            Settings.from_env(), since=since, until=until, sources=sources,
            run_id=context["run_id"], digest=context["params"].get("digest"), backfill=backfill,
            # late arrivals: a scheduled run also evaluates older articles parsed just now
            parsed_since=None if backfill or context["params"].get("since") else since)
        return report.created

    @task
    def notify(created: list[int]) -> dict[str, int]:
        from territory_watch.pipeline.cycle import notify_step

        if not get_current_context()["params"].get("notify", True):
            print(f"notifications off: {len(created)} alerts stored, none sent")
            return {"sent": 0, "failed": 0}
        report = notify_step(Settings.from_env())
        for alert_id, channel, error in report.failed:
            print(f"alert {alert_id} -> {channel} failed: {error}")
        if report.failed and not report.sent:
            raise RuntimeError(f"{len(report.failed)} deliveries failed; retried next attempt")
        return {"sent": len(report.sent), "failed": len(report.failed)}

    sources = list_sources()
    crawled = crawl.expand(source=sources)
    extracted = extract(sources)
    crawled >> extracted
    publish_figures(extracted)
    created = evaluate(sources)
    extracted >> created
    notify(created)


territory_watch()
