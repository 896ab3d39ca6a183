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
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx
import pytest
import yaml
from airflow_rest import DAG_ID, HOST, USERNAME, AirflowRest, free_port, poll

from demo.run import connection_env, demo_sources
from demo.sinks import SmtpSink, WebhookSink
from demo.site import SampleSite, serve_sample_site
from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.orchestration.airflow_env import airflow_env, prepare_metadata


def _restore_sigint() -> None:
    # pytest's process may ignore SIGINT in children; standalone must see it to shut down
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class AirflowStandalone(AirflowRest):
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
        self.close_client()
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


__all__ = ["DAG_ID", "HOST", "AirflowStack", "AirflowStandalone", "airflow_stack", "free_port",
           "poll"]
