"""Scale-out on the real engine: Airflow's CeleryExecutor with PostgreSQL and Redis, two Celery
workers, four sources (the sample site served four times, article pages slowed down so that
crawls overlap), real SMTP and Slack-webhook sinks (tests/airflow_celery.py starts it all).

* two overlapping runs over the same window: the mapped crawls run on both workers, never more
  at once than the crawl pool's slots (start/end of every crawl try, from the metadata DB), and
  every alert of the window reaches each of its channels exactly once;
* a worker killed (with all its processes) while it crawls: its task is retried on the other
  worker, and the next window's alerts are neither lost nor sent twice.

"Every alert" is what one plain `territory-watch run` over the same sources finds (a reference
run into a scratch SQLite store), compared by the alerts' dedup keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from airflow_celery import REDIS_SERVER, CeleryDeployment
from airflow_rest import DAG_ID, TERMINAL_RUN_STATES, poll
from cli_runner import tw
from conftest import FAST_CRAWL
from delivered_alerts import emailed_alert_ids, slack_sections, slack_sections_naming
from postgres_server import unavailable
from sqlalchemy import select

from demo.run import connection_env, demo_sources
from demo.sinks import SmtpSink, WebhookSink
from demo.site import Fault, SampleSite, serve_sample_site
from storage import Store
from storage.models import AlertRow, DeliveryRow
from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.orchestration.postgres_cluster import find_bindir

pytestmark = [pytest.mark.airflow, pytest.mark.celery, pytest.mark.timeout(1200)]

SOURCES = 4
ARTICLE_PAGES = r"^/en/News/\d+/"
SLOW_ARTICLE = 0.5  # seconds each article page takes to answer
# two windows of the sample site, each with alerting articles
FIRST = (datetime(2017, 8, 1, tzinfo=UTC), datetime(2017, 10, 1, tzinfo=UTC))
SECOND = (datetime(2017, 10, 1, tzinfo=UTC), datetime(2017, 12, 1, tzinfo=UTC))
POOL_SLOTS = Settings.from_env({}).crawl_pool_slots


@dataclass
class ScaleOut:
    deployment: CeleryDeployment
    sites: list[SampleSite]
    smtp: SmtpSink
    webhook: WebhookSink
    reference: dict[str, datetime]  # dedup key -> published, of every alert a plain run finds
    first_runs: list[dict[str, Any]]


def window_conf(window: tuple[datetime, datetime]) -> dict[str, str]:
    return {"since": window[0].isoformat(), "until": window[1].isoformat()}


def figure_alerts(db_url: str) -> dict[str, dict[str, Any]]:
    """Figure alerts of a store: dedup key -> id, published, delivery states by channel."""
    store = Store(db_url)
    try:
        with store.session() as session:
            alerts = {a.id: {"key": a.dedup_key, "id": a.id, "channels": {},
                             "published": (a.payload or {}).get("figure", {}).get("published"),
                             "subject": a.subject, "url": (a.payload or {}).get("figure", {}).get("url")}
                      for a in session.scalars(select(AlertRow).where(AlertRow.kind == "figure"))}
            for delivery in session.scalars(select(DeliveryRow)):
                if delivery.alert_id in alerts:
                    alerts[delivery.alert_id]["channels"][delivery.channel] = delivery.state
    finally:
        store.close()
    for alert in alerts.values():
        alert["published"] = datetime.fromisoformat(alert["published"].replace("Z", "+00:00"))
    return {a["key"]: a for a in alerts.values()}


def in_window(published: datetime, window: tuple[datetime, datetime]) -> bool:
    return window[0] <= published < window[1]


def reference_alerts(settings: Settings, scratch: Path) -> dict[str, datetime]:
    """The alerts one `territory-watch run` over both windows stores (nothing sent)."""
    db_url = f"sqlite:///{scratch / 'reference.db'}"
    env = {"TERRITORY_WATCH_HOME": str(scratch), "TERRITORY_WATCH_DB": db_url,
           "TERRITORY_WATCH_SOURCES": str(settings.sources_path),
           "TERRITORY_WATCH_RULES": str(settings.rules_path),
           "TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(FAST_CRAWL)}
    result = tw("run", "--since", FIRST[0].isoformat(), "--until", SECOND[1].isoformat(),
                "--no-notify", env=env, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {key: alert["published"] for key, alert in figure_alerts(db_url).items()}


def trigger(deployment: CeleryDeployment, logical_date: str,
            window: tuple[datetime, datetime]) -> dict[str, Any]:
    return deployment.request("POST", f"/dags/{DAG_ID}/dagRuns",
                              json={"logical_date": logical_date, "conf": window_conf(window)})


def wait_for_runs(deployment: CeleryDeployment, run_ids: list[str],
                  timeout: float = 600) -> list[dict[str, Any]]:
    def finished() -> list[dict[str, Any]] | None:
        runs = [deployment.request("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}") for run_id in run_ids]
        return runs if all(r["state"] in TERMINAL_RUN_STATES for r in runs) else None

    return poll(finished, timeout=timeout, interval=3, what=f"runs {run_ids} finished",
                describe=deployment.log_tail)


@pytest.fixture(scope="module")
def scale_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaleOut]:
    if find_bindir() is None:
        unavailable("PostgreSQL server binaries not found")
    if REDIS_SERVER is None:
        unavailable("redis-server not found (Debian's redis-server)")
    root = tmp_path_factory.mktemp("celery")
    with ExitStack() as stack:
        sites = [stack.enter_context(serve_sample_site()) for _ in range(SOURCES)]
        smtp = stack.enter_context(SmtpSink(folder=root / "mail"))
        webhook = stack.enter_context(WebhookSink(file=root / "slack.jsonl"))
        sources = []
        for number, site in enumerate(sites, start=1):
            source = demo_sources(site.base_url)["sources"][0]
            source["name"] = f"site-{number}"
            sources.append(source)
        home = root / "home"
        home.mkdir()
        (home / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}, sort_keys=False))
        settings = Settings(home=home, db_url="", sources_path=home / "sources.yaml",
                            rules_path=BUNDLED / "rules.yaml")
        reference = reference_alerts(settings, root)
        for site in sites:  # from now on, crawls take long enough to overlap
            site.set_fault(ARTICLE_PAGES, Fault.slow(SLOW_ARTICLE))
        deployment = stack.enter_context(CeleryDeployment(root / "deployment", settings, {
            "TERRITORY_WATCH_TASK_RETRIES": "2",
            "TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(FAST_CRAWL),
            **connection_env(smtp, webhook)}))
        deployment.wait_for_dag(DAG_ID)
        # two runs over the first window, at once
        runs = [trigger(deployment, date, FIRST)
                for date in ("2017-09-30T00:00:00Z", "2017-09-30T06:00:00Z")]
        first_runs = wait_for_runs(deployment, [r["dag_run_id"] for r in runs])
        yield ScaleOut(deployment, sites, smtp, webhook, reference, first_runs)


def assert_delivered_once(scale_out: ScaleOut, window: tuple[datetime, datetime]) -> None:
    """The window's alerts in the deployment's store are the reference's, every delivery is
    sent, and each alert is named exactly once by the emails and by the Slack posts."""
    stored = {k: a for k, a in figure_alerts(scale_out.deployment.env["TERRITORY_WATCH_DB"]).items()
              if in_window(a["published"], window)}
    expected = {k for k, published in scale_out.reference.items() if in_window(published, window)}
    assert expected, f"the reference run found no alert in {window}: the window is wrong"
    assert set(stored) == expected, (f"lost: {expected - set(stored)}, "
                                     f"unexpected: {set(stored) - expected}")
    for alert in stored.values():
        assert alert["channels"] and set(alert["channels"].values()) == {"sent"}, alert

    emailed = emailed_alert_ids(scale_out.smtp.messages)
    want_email = {a["id"] for a in stored.values() if "email" in a["channels"]}
    assert want_email, "no email alert in the window"
    assert {i: emailed[i] for i in want_email} == {i: 1 for i in want_email}, dict(emailed)

    posts = scale_out.webhook.posts
    assert all(p.status == 200 for p in posts), [(p.status, p.text) for p in posts]
    blocks = slack_sections(posts)
    for alert in stored.values():
        if "slack" not in alert["channels"]:
            continue
        hits = slack_sections_naming(alert["subject"], alert["url"], blocks)
        assert len(hits) == 1, f"alert {alert['id']} ({alert['subject']}) in {len(hits)} Slack blocks"


def max_overlap(tries: list[dict[str, Any]]) -> int:
    """The most tries running at one moment (an end at the same instant as a start frees the
    slot first)."""
    events = sorted([(t["start_date"], 1) for t in tries] + [(t["end_date"], -1) for t in tries],
                    key=lambda e: (e[0], e[1]))
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak


def test_overlapping_runs_crawl_on_both_workers_within_the_pool(scale_out: ScaleOut) -> None:
    deployment = scale_out.deployment
    assert all(r["state"] == "success" for r in scale_out.first_runs), \
        deployment.failure_report(DAG_ID, scale_out.first_runs)
    run_ids = {r["dag_run_id"] for r in scale_out.first_runs}
    crawls = [t for t in deployment.task_tries("crawl") if t["run_id"] in run_ids]
    assert len({(t["run_id"], t["map_index"]) for t in crawls}) == 2 * SOURCES
    assert {t["hostname"] for t in crawls} == set(deployment.workers), crawls
    # every crawl try that ran, whatever run it belongs to (a scheduled run crawls too)
    ran = [t for t in deployment.task_tries("crawl") if t["start_date"] and t["end_date"]]
    assert max_overlap(ran) == POOL_SLOTS, [(t["hostname"], t["start_date"], t["end_date"])
                                            for t in ran]
    worker_slots = len(deployment.workers) * int(deployment.env["AIRFLOW__CELERY__WORKER_CONCURRENCY"])
    assert worker_slots > POOL_SLOTS  # the pool, not the workers, is what bounded the crawls


def test_overlapping_runs_send_every_alert_once(scale_out: ScaleOut) -> None:
    assert_delivered_once(scale_out, FIRST)


def test_a_killed_worker_loses_and_doubles_no_alert(scale_out: ScaleOut) -> None:
    deployment = scale_out.deployment
    run_id = trigger(deployment, "2017-11-30T00:00:00Z", SECOND)["dag_run_id"]

    def crawling() -> dict[str, Any] | None:
        return next((ti for ti in deployment.task_instances(DAG_ID, run_id)
                     if ti["task_id"] == "crawl" and ti["state"] == "running"
                     and ti["hostname"] in deployment.workers), None)

    victim = poll(crawling, timeout=300, interval=0.5, what="a crawl running on a worker",
                  describe=deployment.log_tail)
    killed = victim["hostname"]
    deployment.kill_worker(killed)
    survivor = next(name for name in deployment.workers if name != killed)

    (run,) = wait_for_runs(deployment, [run_id])
    assert run["state"] == "success", deployment.failure_report(DAG_ID, [run])
    tries = [t for t in deployment.task_tries("crawl")
             if t["run_id"] == run_id and t["map_index"] == victim["map_index"]]
    by_try = {t["try_number"]: t for t in tries}
    assert by_try[victim["try_number"]]["hostname"] == killed
    assert by_try[victim["try_number"]]["state"] != "success"
    last = by_try[max(by_try)]
    assert (last["state"], last["hostname"]) == ("success", survivor), tries
    assert_delivered_once(scale_out, SECOND)
