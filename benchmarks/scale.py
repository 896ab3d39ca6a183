"""Scale-out benchmark: one run of the DAG over N local sources of M article pages each, on the
CeleryExecutor deployment of the scale-out test (PostgreSQL, Redis, tests/airflow_celery.py),
with one Celery worker and then with two.

    python benchmarks/scale.py [--sources 40] [--pages 50] [--pool 8]

The crawl pool gets ``--pool`` slots (the default 2 would bound both set-ups alike) and each
worker 4 task slots (docker/airflow-celery.env), so one worker runs at most 4 crawls at once and
two run 8. Alerts are stored, not sent (``notify`` off). Prints, per set-up: article pages
archived per second of the run, the run's wall time, and the scheduler's latency per task
(queued -> running, from the metadata DB); then the ratio two workers / one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

import sqlalchemy  # noqa: E402
import yaml  # noqa: E402
from airflow_celery import CeleryDeployment  # noqa: E402
from airflow_rest import DAG_ID, poll  # noqa: E402
from crawl import generated_articles  # noqa: E402

from demo.run import demo_sources  # noqa: E402
from demo.site import SampleSite, serve_sample_site  # noqa: E402
from territory_watch.config.settings import BUNDLED, Settings  # noqa: E402

WINDOW_START = datetime(2017, 1, 1, tzinfo=UTC)  # generated articles: one every 6 hours from here
FAST_CRAWL = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "ERROR"}


def measure(workers: list[str], sites: list[SampleSite], pages: int, pool: int,
            root: Path) -> dict[str, float]:
    """Start the deployment with ``workers``, run the DAG once over every page, stop it."""
    home = root / "home"
    home.mkdir(parents=True)
    sources = []
    for number, site in enumerate(sites, start=1):
        source = demo_sources(site.base_url)["sources"][0]
        source.update(name=f"site-{number}", listings=[])
        sources.append(source)
    (home / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}, sort_keys=False))
    settings = Settings(home=home, db_url="", sources_path=home / "sources.yaml",
                        rules_path=BUNDLED / "rules.yaml")
    until = WINDOW_START + timedelta(hours=6 * pages)
    with CeleryDeployment(root / "deployment", settings, {
            "TERRITORY_WATCH_CRAWL_POOL_SLOTS": str(pool), "TERRITORY_WATCH_TASK_RETRIES": "0",
            "TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(FAST_CRAWL)},
            workers=workers) as deployment:
        deployment.wait_for_dag(DAG_ID)
        # the latest interval's run crawls every source too: let it finish first
        deployment.settle_scheduled_runs(DAG_ID, timeout=1200)
        run = deployment.request("POST", f"/dags/{DAG_ID}/dagRuns", json={
            "logical_date": None, "conf": {"since": WINDOW_START.isoformat(),
                                           "until": until.isoformat(), "notify": False}})
        run_id = run["dag_run_id"]

        def finished() -> dict | None:
            current = deployment.request("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}")
            return current if current["state"] in ("success", "failed") else None

        done = poll(finished, timeout=3600, interval=3, what="the benchmark run",
                    describe=deployment.log_tail)
        assert done["state"] == "success", deployment.failure_report(DAG_ID, [done])
        return _figures(deployment, run_id, done)


def _figures(deployment: CeleryDeployment, run_id: str, run: dict) -> dict[str, float]:
    engine = sqlalchemy.create_engine(deployment.metadata_url)
    try:
        with engine.connect() as connection:
            latencies = [row[0] for row in connection.execute(sqlalchemy.text(
                "SELECT EXTRACT(EPOCH FROM start_date - queued_dttm) FROM task_instance "
                "WHERE run_id = :run AND queued_dttm IS NOT NULL AND start_date IS NOT NULL"),
                {"run": run_id})]
    finally:
        engine.dispose()
    store = sqlalchemy.create_engine(deployment.env["TERRITORY_WATCH_DB"])
    try:
        with store.connect() as connection:
            archived = connection.execute(sqlalchemy.text(
                "SELECT count(*) FROM pages WHERE url LIKE '%/en/News/%'")).scalar_one()
    finally:
        store.dispose()
    started = datetime.fromisoformat(run["start_date"].replace("Z", "+00:00"))
    ended = datetime.fromisoformat(run["end_date"].replace("Z", "+00:00"))
    seconds = (ended - started).total_seconds()
    latency = sorted(float(x) for x in latencies)
    return {"pages": archived, "seconds": seconds, "pages_per_s": archived / seconds,
            "tasks": len(latency), "latency_median": statistics.median(latency),
            "latency_p90": latency[int(0.9 * (len(latency) - 1))], "latency_max": latency[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=40)
    parser.add_argument("--pages", type=int, default=50, help="article pages per source")
    parser.add_argument("--pool", type=int, default=8, help="slots of the crawl pool")
    args = parser.parse_args()
    results = {}
    with ExitStack() as stack:
        articles = generated_articles(args.pages)
        sites = [stack.enter_context(serve_sample_site(articles=articles))
                 for _ in range(args.sources)]
        for workers in (["worker-1"], ["worker-1", "worker-2"]):
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tw-scale-")))
            results[len(workers)] = measure(workers, sites, args.pages, args.pool, root)
    print(f"scale-out benchmark: {args.sources} sources x {args.pages} pages, crawl pool "
          f"{args.pool}, 4 task slots per worker, CeleryExecutor + PostgreSQL + Redis")
    print(f"{'workers':>7}{'pages':>7}{'run s':>8}{'pages/s':>9}{'tasks':>7}"
          f"{'queued->running median / p90 / max s':>40}")
    for count, r in results.items():
        print(f"{count:>7}{int(r['pages']):>7}{r['seconds']:>8.1f}{r['pages_per_s']:>9.1f}"
              f"{int(r['tasks']):>7}{r['latency_median']:>20.2f} / {r['latency_p90']:.2f} / "
              f"{r['latency_max']:.2f}")
    print(f"ratio two workers / one: {results[2]['pages_per_s'] / results[1]['pages_per_s']:.2f} "
          f"(pages/s), {results[1]['seconds'] / results[2]['seconds']:.2f} (run wall time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
