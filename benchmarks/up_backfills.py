"""Load test of `make up`: backfills created through the REST API as a user's clicks create them
(default body), one after another, while the DAG is unpaused and its scheduled runs go on;
the sample site on 127.0.0.1 as the only source, real SMTP / Slack-webhook sinks.

    python benchmarks/up_backfills.py --engine postgres   # `make up` (embedded PostgreSQL)
    python benchmarks/up_backfills.py --engine sqlite     # the former `make up`: airflow
                                                          # standalone on SQLite

Prints, per backfill: the answers to its creation (a 5xx is clicked again, up to 5 times), its
runs by final state, its wall time; then whether the scheduler survived, how many alerts were
stored and how many times each reached the sinks.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx  # noqa: E402
import psutil  # noqa: E402
import yaml  # noqa: E402
from airflow_rest import DAG_ID, HOST, AirflowRest, free_port, poll  # noqa: E402
from delivered_alerts import emailed_alert_ids  # noqa: E402

from demo.run import connection_env, demo_sources  # noqa: E402
from demo.sinks import SmtpSink, WebhookSink  # noqa: E402
from demo.site import serve_sample_site  # noqa: E402
from storage import Store  # noqa: E402
from storage.models import AlertRow  # noqa: E402

FIRST_DAY = datetime(2017, 8, 28, tzinfo=UTC)  # windows with alerting sample articles
STALL = 120  # seconds of an unhealthy scheduler after which a backfill is given up
FAST_CRAWL = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 5}


class Airflow(AirflowRest):
    def __init__(self, port: int, password_file: Path, log: Path) -> None:
        self.base_url = f"http://{HOST}:{port}"
        self.username = "admin"
        self.password_file = password_file
        self.log = log

    @property
    def password(self) -> str:
        return json.loads(self.password_file.read_text())["admin"]

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def start(engine: str, home: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    log = (home / "airflow.out").open("wb")
    if engine == "postgres":
        command = [sys.executable, "-m", "territory_watch.orchestration.airflow_env", "up"]
    else:  # what `make up` ran before: airflow standalone, metadata in SQLite
        from territory_watch.config.settings import Settings
        from territory_watch.orchestration.airflow_env import airflow_env, prepare_metadata

        env = airflow_env(Settings.from_env(env), {
            "AIRFLOW__API__HOST": HOST, "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__BASE_URL": f"http://{HOST}:{port}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://{HOST}:{port}/execution/"},
            base=env)
        prepared = prepare_metadata(env)
        assert prepared.returncode == 0, prepared.stderr[-2000:]
        command = [str(Path(sys.executable).parent / "airflow"), "standalone"]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def scheduler_alive(process: subprocess.Popen[bytes]) -> bool:
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "scheduler" in " ".join(child.cmdline()):
                return True
        except psutil.NoSuchProcess:
            pass
    return False


def create_backfill(airflow: Airflow, start: datetime, days: int) -> tuple[dict | None, list[int]]:
    """POST /backfills with the default body; a 5xx is clicked again (5 times at most)."""
    body = {"dag_id": DAG_ID, "from_date": start.isoformat(),
            "to_date": (start + timedelta(days=days) - timedelta(hours=6)).isoformat()}
    statuses = []
    with httpx.Client(trust_env=False, timeout=60) as client:
        for _ in range(5):
            answer = client.post(f"{airflow.base_url}/api/v2/backfills", json=body,
                                 headers={"Authorization": f"Bearer {airflow.token()}"})
            statuses.append(answer.status_code)
            if answer.status_code < 500:
                return (answer.json() if answer.is_success else None), statuses
            time.sleep(2)
    return None, statuses


def wait_for_backfill(airflow: Airflow, backfill: dict) -> tuple[list[dict], str]:
    """The backfill's runs once it completed; or, when the scheduler's health stays
    "unhealthy" for STALL seconds or the backfill takes longer than an hour, the runs as they
    are and why the wait ended."""
    deadline = time.monotonic() + 3600
    unhealthy_since: float | None = None
    while True:
        current = airflow.request("GET", f"/backfills/{backfill['id']}")
        runs = airflow.backfill_runs(backfill)
        if current["completed_at"] and all(r["state"] in ("success", "failed") for r in runs):
            return runs, ""
        health = airflow.request("GET", "/monitor/health")["scheduler"]
        if health["status"] == "healthy":
            unhealthy_since = None
        elif unhealthy_since is None:
            unhealthy_since = time.monotonic()
        elif time.monotonic() - unhealthy_since > STALL:
            return runs, f"scheduler unhealthy for {STALL} s (last heartbeat " \
                         f"{health['latest_scheduler_heartbeat']})"
        if time.monotonic() > deadline:
            return runs, "not finished after an hour"
        time.sleep(5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], required=True)
    parser.add_argument("--backfills", type=int, default=3)
    parser.add_argument("--days", type=int, default=8, help="days per backfill (4 runs a day)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix=f"tw-load-{args.engine}-"))
    home.chmod(0o755)  # PostgreSQL may run as the `postgres` user
    with serve_sample_site() as site, SmtpSink() as smtp, WebhookSink() as webhook:
        (home / "sources.yaml").write_text(yaml.safe_dump(demo_sources(site.base_url)))
        port = free_port()
        env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
        env.update({"TERRITORY_WATCH_HOME": str(home),
                    "TERRITORY_WATCH_SOURCES": str(home / "sources.yaml"),
                    "TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(FAST_CRAWL),
                    "TERRITORY_WATCH_TASK_RETRIES": "0",
                    "AIRFLOW__API__PORT": str(port),
                    "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
                    "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
                    "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(16),
                    **connection_env(smtp, webhook)})
        env.pop("AIRFLOW_HOME", None)
        process = start(args.engine, home, env, port)
        airflow = Airflow(port, home / "airflow" / "simple_auth_manager_passwords.json.generated",
                          home / "airflow.out")
        try:
            def ready() -> bool:
                if process.poll() is not None:
                    raise RuntimeError(f"Airflow exited {process.returncode}\n{airflow.log_tail()}")
                return bool(airflow.password and airflow.token())

            poll(ready, timeout=300, interval=2, what="Airflow up", describe=airflow.log_tail)
            airflow.wait_for_dag(DAG_ID)
            print(f"engine {args.engine}: {args.backfills} backfills of {args.days * 4} runs",
                  flush=True)
            for number in range(args.backfills):
                begun = time.monotonic()
                backfill, statuses = create_backfill(
                    airflow, FIRST_DAY + timedelta(days=number * args.days), args.days)
                if backfill is None:
                    print(f"backfill {number + 1}: not created, answers {statuses}", flush=True)
                    continue
                runs, stalled = wait_for_backfill(airflow, backfill)
                states = Counter(r["state"] for r in runs)
                print(f"backfill {number + 1}: answers {statuses}, runs {dict(states)}, "
                      f"{time.monotonic() - begun:.0f} s"
                      + (f"; STALLED: {stalled}" if stalled else ""), flush=True)
                if stalled:
                    break
            health = airflow.request("GET", "/monitor/health")["scheduler"]
            print(f"scheduler process alive at the end: {scheduler_alive(process)}; "
                  f"health: {health}")
            locked = airflow.log_tail(10**9).lower().count("database is locked")
            print(f"'database is locked' in the Airflow log: {locked}")
            print_alerts(_store_url(args.engine, home), smtp, webhook)
        finally:
            os.killpg(process.pid, signal.SIGINT)
            stopping = time.monotonic()
            try:
                print(f"Ctrl-C: stopped with exit {process.wait(timeout=120)} after "
                      f"{time.monotonic() - stopping:.1f} s")
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                print("did not stop within 120 s: killed")
    shutil.rmtree(home, ignore_errors=True)
    return 0


def _store_url(engine: str, home: Path) -> str:
    if engine == "sqlite":
        return f"sqlite:///{home / 'territory-watch.db'}"
    first = (home / "airflow.out").read_text().splitlines()[0]  # `make up` prints the store URL
    return first.split("store ", 1)[1].strip()


def print_alerts(db_url: str, smtp: SmtpSink, webhook: WebhookSink) -> None:
    """How many figure alerts the store holds and how often each reached the SMTP sink."""
    store = Store(db_url)
    try:
        with store.session() as session:
            alerts = [a.id for a in session.query(AlertRow).filter(AlertRow.kind == "figure")]
    finally:
        store.close()
    emailed = emailed_alert_ids(smtp.messages)
    print(f"figure alerts stored: {len(alerts)}; emailed once: "
          f"{sum(emailed[a] == 1 for a in alerts)}, more than once: "
          f"{sum(emailed[a] > 1 for a in alerts)}, never: "
          f"{sum(emailed[a] == 0 for a in alerts)}; Slack posts: {len(webhook.posts)}")


if __name__ == "__main__":
    sys.exit(main())
