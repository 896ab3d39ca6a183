"""A real `airflow standalone` on 127.0.0.1 for the tests: start it, log in, drive its REST API.

One instance serves a whole test session (starting Airflow takes 15-60 s on a small machine).
Everything here is bounded in time and talks to 127.0.0.1 only:

* the API server binds to 127.0.0.1 on a free port; the task log servers get free ports too;
* HTTP clients ignore proxy settings from the environment (``trust_env=False``);
* every wait is a poll with a deadline that raises :class:`TimeoutError` with the last state seen
  and the tail of the Airflow log.

>>> with AirflowStandalone(env, home) as airflow:           # doctest: +SKIP
...     airflow.wait_for_dag("territory_watch")
...     backfill = airflow.create_backfill("territory_watch", "2017-10-13T00:00Z",
...                                        "2017-10-13T18:00Z")
...     runs = airflow.wait_for_backfill(backfill, expected_runs=4)
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
import pytest
import yaml

from demo.run import connection_env, demo_sources
from demo.sinks import SmtpSink, WebhookSink
from demo.site import SampleSite, serve_sample_site
from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.orchestration.airflow_env import airflow_env, prepare_metadata

HOST = "127.0.0.1"
DAG_ID = "territory_watch"
USERNAME = "admin"
TERMINAL_RUN_STATES = {"success", "failed"}

T = TypeVar("T")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def poll(check: Callable[[], T | None], *, timeout: float, interval: float = 1.0,
         what: str = "condition", describe: Callable[[], str] | None = None) -> T:
    """Call ``check`` until it returns something other than None/False; bounded by ``timeout``."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            result = check()
            if result is not None and result is not False:
                return result
        except (httpx.HTTPError, OSError) as exc:  # the server may be (re)starting
            last_error = exc
        if time.monotonic() >= deadline:
            detail = describe() if describe else ""
            raise TimeoutError(f"{what}: not reached after {timeout:.0f}s"
                               + (f" (last error: {last_error!r})" if last_error else "")
                               + (f"\n{detail}" if detail else ""))
        time.sleep(interval)


def iso(value: datetime | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _restore_sigint() -> None:
    # pytest's process may ignore SIGINT in children; standalone must see it to shut down
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class AirflowStandalone:
    """`airflow standalone` in its own process group, with a known admin password.

    ``env`` is the environment of an Airflow process serving the project's DAGs
    (:func:`territory_watch.orchestration.airflow_env.airflow_env`); ``home`` a throw-away folder that becomes
    ``AIRFLOW_HOME``. The log of all components goes to ``home/standalone.log``.
    """

    def __init__(self, env: dict[str, str], home: Path, *, port: int | None = None) -> None:
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.username = USERNAME
        self.password = secrets.token_urlsafe(12)
        self.log_path = self.home / "standalone.log"
        passwords = self.home / "simple_auth_manager_passwords.json"
        passwords.write_text(json.dumps({self.username: self.password}))
        self.env = dict(env)
        self.env.update({
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": self.env.get("AIRFLOW__CORE__PARALLELISM", "4"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{self.username}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__API__HOST": HOST,
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__BASE_URL": self.base_url,
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            # the task log servers listen on fixed ports by default: avoid clashing with any
            # other Airflow on this machine
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            # writers wait for the lock up to 60 s instead of pysqlite's 5 s
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN":
                f"sqlite:///{self.home / 'airflow.db'}?timeout=60",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            # a database error names its cause in the answer (the tests' own throwaway DB)
            "AIRFLOW__API__EXPOSE_STACKTRACE": "True",
            "NO_COLOR": "1",
            "PYTHONUNBUFFERED": "1",
        })
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                      "all_proxy"):
            self.env.pop(proxy, None)
        self.env["NO_PROXY"] = self.env["no_proxy"] = "127.0.0.1,localhost"
        self.process: subprocess.Popen[bytes] | None = None
        self._log = None
        self._token: str | None = None
        self._client: httpx.Client | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 240) -> Self:
        """Start standalone and wait (bounded) until the API answers and the admin can log in."""
        executable = str(Path(sys.executable).parent / "airflow")
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [executable, "standalone"], env=self.env, cwd=self.home, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_restore_sigint,
            start_new_session=True)  # its own process group: stop() can reach every component
        try:
            poll(self._ready, timeout=timeout, interval=2, what="airflow standalone API server",
                 describe=self.log_tail)
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"airflow standalone exited with {self.process.returncode}\n"
                               + self.log_tail())
        with httpx.Client(trust_env=False, timeout=10) as client:
            health = client.get(f"{self.base_url}/api/v2/monitor/health")
            if health.status_code != 200:
                return False
        self._token = None
        return bool(self.token())

    def stop(self, timeout: float = 60) -> int | None:
        """SIGINT (standalone stops its components), bounded wait, then kill the process group."""
        if self._client is not None:
            self._client.close()
            self._client = None
        process, self.process = self.process, None
        if process is None:
            return None
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self._signal_group(process.pid, signal.SIGKILL)
                    process.wait(timeout=30)
            # components that outlived their parent (they share its process group)
            self._signal_group(process.pid, signal.SIGTERM)
            return process.returncode
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None

    @staticmethod
    def _signal_group(pgid: int, sig: int) -> None:
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    def log_tail(self, chars: int = 6000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return f"--- tail of {self.log_path} ---\n{text[-chars:]}"

    # -- REST API -------------------------------------------------------------------------------

    def token(self) -> str:
        """A JWT for the admin (``POST /auth/token``)."""
        if self._token is None:
            with httpx.Client(trust_env=False, timeout=30) as client:
                answer = client.post(f"{self.base_url}/auth/token",
                                     json={"username": self.username, "password": self.password})
                answer.raise_for_status()
                self._token = answer.json()["access_token"]
        return self._token

    @property
    def api(self) -> httpx.Client:
        """An authenticated client for ``/api/v2`` (proxies from the environment ignored)."""
        if self._client is None:
            self._client = httpx.Client(base_url=f"{self.base_url}/api/v2", trust_env=False,
                                        timeout=30,
                                        headers={"Authorization": f"Bearer {self.token()}"})
        return self._client

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One API call; raises with the server's answer on a non-2xx status.

        "database is locked" (Airflow's SQLite metadata DB busy with the scheduler) is retried a
        few times with a growing pause: the metadata DB, not the project, is at fault. Airflow
        answers it with a 503 where the endpoint expects it (creating a backfill, which it then
        cleans up) and with a 500 where it does not (its audit-log write before the endpoint
        runs): both leave nothing behind, so the request can simply be repeated.
        """
        answer = self.api.request(method, path, **kwargs)
        if answer.status_code == 401:  # token expired: log in again once
            self._token = None
            self._client = None
            answer = self.api.request(method, path, **kwargs)
        for pause in (1, 2, 4, 8, 15):
            if not _database_locked(answer):
                break
            time.sleep(pause)
            answer = self.api.request(method, path, **kwargs)
        if answer.is_error:
            raise AssertionError(f"{method} {path} -> {answer.status_code}: {answer.text[:4000]}\n"
                                 + (self.log_tail() if answer.status_code >= 500 else ""))
        return answer.json() if answer.content else None

    def wait_for_dag(self, dag_id: str, timeout: float = 180) -> dict[str, Any]:
        """The DAG once the dag-processor has parsed it; unpaused if it was paused."""
        def parsed() -> dict[str, Any] | None:
            answer = self.api.get(f"/dags/{dag_id}")
            return answer.json() if answer.status_code == 200 else None

        dag = poll(parsed, timeout=timeout, interval=2, what=f"DAG {dag_id} parsed",
                   describe=lambda: self._import_errors() + "\n" + self.log_tail())
        if dag.get("is_paused"):
            dag = self.request("PATCH", f"/dags/{dag_id}", json={"is_paused": False})
        return dag

    def settle_scheduled_runs(self, dag_id: str, timeout: float = 180) -> list[dict[str, Any]]:
        """Let the scheduled run an unpaused DAG gets at once (catchup off: the latest interval)
        finish, so that it does not run alongside what a test starts. Bounded; a scheduler that
        creates no such run within the first minute is fine too."""
        started = time.monotonic()

        def settled() -> list[dict[str, Any]] | None:
            runs = [r for r in self.dag_runs(dag_id) if r["run_type"] != "backfill"]
            if not runs:
                return [] if time.monotonic() - started > 60 else None
            return runs if all(r["state"] in TERMINAL_RUN_STATES for r in runs) else None

        return poll(settled, timeout=timeout, interval=3, what=f"first scheduled run of {dag_id}",
                    describe=self.log_tail)

    def _import_errors(self) -> str:
        try:
            return json.dumps(self.request("GET", "/importErrors"))[:3000]
        except Exception as exc:  # noqa: BLE001 - only for a diagnostic message
            return f"(import errors unavailable: {exc})"

    def dry_run_backfill(self, dag_id: str, from_date: datetime | str, to_date: datetime | str,
                         **options: Any) -> list[str]:
        """The logical dates a backfill over the range would run."""
        body = {"dag_id": dag_id, "from_date": iso(from_date), "to_date": iso(to_date), **options}
        answer = self.request("POST", "/backfills/dry_run", json=body)
        return [item["logical_date"] for item in answer["backfills"]]

    def create_backfill(self, dag_id: str, from_date: datetime | str, to_date: datetime | str,
                        *, reprocess_behavior: str = "none", max_active_runs: int = 2,
                        run_backwards: bool = False,
                        dag_run_conf: dict[str, Any] | None = None) -> dict[str, Any]:
        """``POST /backfills``; the created backfill."""
        body = {"dag_id": dag_id, "from_date": iso(from_date), "to_date": iso(to_date),
                "run_backwards": run_backwards, "dag_run_conf": dag_run_conf or {},
                "reprocess_behavior": reprocess_behavior, "max_active_runs": max_active_runs}
        with self.paused(dag_id):
            return self.request("POST", "/backfills", json=body)

    @contextmanager
    def paused(self, dag_id: str) -> Iterator[None]:
        """The DAG paused for the block: the scheduler starts none of its runs meanwhile.

        On SQLite, creating a backfill can fail half way with "database is locked"; Airflow then
        deletes the runs it had already created, and a scheduler working on them crashes
        (ObjectDeletedError). Paused, new backfill runs wait queued until the block ends.
        """
        self.request("PATCH", f"/dags/{dag_id}", json={"is_paused": True})
        try:
            yield
        finally:
            self.request("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def backfills(self, dag_id: str) -> list[dict[str, Any]]:
        return self.request("GET", "/backfills", params={"dag_id": dag_id, "limit": 100})["backfills"]

    def dag_runs(self, dag_id: str, *, logical_from: str | None = None,
                 logical_to: str | None = None, run_type: str | None = None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": 100, "order_by": "logical_date"}
        if logical_from:
            params["logical_date_gte"] = logical_from
        if logical_to:
            params["logical_date_lte"] = logical_to
        if run_type:
            params["run_type"] = run_type
        return self.request("GET", f"/dags/{dag_id}/dagRuns", params=params)["dag_runs"]

    def backfill_runs(self, backfill: dict[str, Any]) -> list[dict[str, Any]]:
        """The backfill runs of the DAG whose logical date lies in the backfill's range."""
        return self.dag_runs(backfill["dag_id"], logical_from=iso(backfill["from_date"]),
                             logical_to=iso(backfill["to_date"]), run_type="backfill")

    def wait_for_backfill(self, backfill: dict[str, Any], *, expected_runs: int,
                          timeout: float = 300) -> list[dict[str, Any]]:
        """The backfill's runs once the backfill completed and all its runs are success/failed."""
        seen: dict[str, Any] = {}

        def finished() -> list[dict[str, Any]] | None:
            current = self.request("GET", f"/backfills/{backfill['id']}")
            runs = self.backfill_runs(backfill)
            seen.update(backfill=current, runs=[(r["dag_run_id"], r["state"]) for r in runs])
            if current["completed_at"] is None or len(runs) < expected_runs:
                return None
            if any(r["state"] not in TERMINAL_RUN_STATES for r in runs):
                return None
            return runs

        return poll(finished, timeout=timeout, interval=3,
                    what=f"backfill {backfill['id']} of {backfill['dag_id']} finished",
                    describe=lambda: json.dumps(seen, default=str)[:3000] + "\n" + self.log_tail())

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        return self.request("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances",
                            params={"limit": 100})["task_instances"]

    def failure_report(self, dag_id: str, runs: list[dict[str, Any]]) -> str:
        """States of the task instances of runs that did not succeed (for assertion messages)."""
        lines = []
        for run in runs:
            if run["state"] == "success":
                continue
            lines.append(f"run {run['dag_run_id']}: {run['state']}")
            for ti in self.task_instances(dag_id, run["dag_run_id"]):
                lines.append(f"  {ti['task_id']}[{ti.get('map_index', -1)}]: {ti['state']}")
                if ti["state"] == "failed":
                    lines.append(self.task_errors(dag_id, run["dag_run_id"], ti))
        return "\n".join(lines)

    def task_errors(self, dag_id: str, run_id: str, ti: dict[str, Any], chars: int = 3000) -> str:
        """The error events of a task instance's log (the log files live in a temporary folder
        that may be gone by the time someone reads the test report)."""
        path = (f"/dags/{dag_id}/dagRuns/{quote(run_id, safe='')}/taskInstances/{ti['task_id']}"
                f"/logs/{max(ti.get('try_number') or 1, 1)}")
        try:
            answer = self.api.get(path, params={"map_index": ti.get("map_index", -1),
                                                "full_content": True},
                                  headers={"Accept": "application/json"})
            content = answer.json().get("content", [])
        except (httpx.HTTPError, ValueError) as exc:
            return f"    (log unavailable: {exc})"
        errors = [json.dumps(event, default=str) for event in content
                  if isinstance(event, dict) and event.get("level") in ("error", "critical")]
        return "    " + "\n    ".join(errors)[-chars:] if errors else "    (no error in the log)"


def _database_locked(answer: httpx.Response) -> bool:
    return answer.status_code in (500, 503) and "database is locked" in answer.text.lower()


# -- the session-scoped stack of the tests ------------------------------------------------------


@dataclass
class AirflowStack:
    """A running standalone serving the project's DAGs, and the real services its runs talk to."""

    airflow: AirflowStandalone
    site: SampleSite
    smtp: SmtpSink
    webhook: WebhookSink
    settings: Settings
    root: Path


@pytest.fixture(scope="session")
def airflow_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowStack]:
    """One `airflow standalone` per test session, with the sample site as the only source and
    real SMTP / Slack-webhook sinks as the two connections; the DAG parsed and unpaused."""
    root = tmp_path_factory.mktemp("airflow-standalone")
    home = root / "territory-watch"
    home.mkdir()
    with serve_sample_site() as site, SmtpSink(folder=root / "mail") as smtp, \
            WebhookSink(file=root / "slack.jsonl") as webhook:
        sources = home / "sources.yaml"
        sources.write_text(yaml.safe_dump(demo_sources(site.base_url), sort_keys=False))
        settings = Settings(home=home, db_url=f"sqlite:///{home / 'territory-watch.db'}",
                            sources_path=sources, rules_path=BUNDLED / "rules.yaml")
        airflow_home = root / "airflow"
        env = airflow_env(settings, {"TERRITORY_WATCH_TASK_RETRIES": "0",
                                     "AIRFLOW_HOME": str(airflow_home), **connection_env(smtp, webhook)})
        airflow = AirflowStandalone(env, airflow_home)
        prepared = prepare_metadata(airflow.env)  # metadata DB and the crawl pool
        assert prepared.returncode == 0, \
            (prepared.stdout or "")[-3000:] + (prepared.stderr or "")[-3000:]
        with airflow:
            airflow.wait_for_dag(DAG_ID)
            airflow.settle_scheduled_runs(DAG_ID)
            yield AirflowStack(airflow, site, smtp, webhook, settings, root)


__all__ = ["AirflowStack", "AirflowStandalone", "airflow_stack", "free_port", "poll"]
