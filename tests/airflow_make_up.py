"""A real `make up` on 127.0.0.1 for the tests: its entry point (embedded PostgreSQL, the API
server, the scheduler, the dag-processor) started as a user starts it, logged into, driven
through its REST API, stopped with Ctrl-C.

One instance serves a whole test session (starting it takes 20-60 s on a small machine).
Everything here is bounded in time and talks to 127.0.0.1 only: the API server and the task log
server get free ports, HTTP clients ignore proxy settings, every wait is a poll with a deadline.

>>> with MakeUp(env, home) as airflow:                      # doctest: +SKIP
...     airflow.wait_for_dag("territory_watch")
...     backfill = airflow.create_backfill("territory_watch", "2017-10-13T00:00Z",
...                                        "2017-10-13T18:00Z")
...     runs = airflow.wait_for_backfill(backfill, expected_runs=4)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import pytest
import yaml
from airflow_rest import DAG_ID, HOST, USERNAME, AirflowRest, free_port, poll

from demo.run import connection_env, demo_sources
from demo.sinks import SmtpSink, WebhookSink
from demo.site import SampleSite, serve_sample_site
from territory_watch.config.settings import BUNDLED, Settings

UP = [sys.executable, "-m", "territory_watch.orchestration.airflow_env", "up"]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # pytest's children may ignore it


class MakeUp(AirflowRest):
    """`make up` with data folder ``home`` (a folder the ``postgres`` user can reach when the
    tests run as root) and ``env`` (its environment, ``TERRITORY_WATCH_*`` included)."""

    def __init__(self, env: dict[str, str], home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.username = USERNAME
        self.output = home / "make-up.out"
        self.env = {key: value for key, value in env.items() if "proxy" not in key.lower()}
        self.env.update({
            "TERRITORY_WATCH_HOME": str(home),
            "AIRFLOW__API__PORT": str(self.port),
            # the task log server listens on a fixed port by default: avoid any other Airflow's
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            # a database error names its cause in the answer (the tests' own throwaway DB)
            "AIRFLOW__API__EXPOSE_STACKTRACE": "True",
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
            "NO_COLOR": "1", "PYTHONUNBUFFERED": "1",
        })
        self.env.pop("AIRFLOW_HOME", None)  # `make up` keeps Airflow's home in the data folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def password(self) -> str:
        """The admin's password, as the API server generated it."""
        path = self.home / "airflow" / "simple_auth_manager_passwords.json.generated"
        return str(json.loads(path.read_text())[self.username])

    @property
    def store_url(self) -> str:
        """The store `make up` chose (its first line of output names it)."""
        first = self.output.read_text().splitlines()[0]
        return first.split(" store ", 1)[1].strip()

    def start(self, timeout: float = 300) -> Self:
        """Start `make up` and wait (bounded) until it is up and the admin can log in."""
        with self.output.open("wb") as out:
            self.process = subprocess.Popen(UP, env=self.env, stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True, preexec_fn=_default_sigint)
        try:
            poll(self._ready, timeout=timeout, interval=2, what="make up", describe=self.log_tail)
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"make up exited with {self.process.returncode}\n"
                               + self.log_tail())
        if "Airflow is up" not in self.output.read_text(errors="replace"):
            return False
        self._token = None
        return bool(self.token())

    def stop(self, timeout: float = 120) -> int | None:
        """Ctrl-C (SIGINT to the process group), bounded wait, then SIGKILL to the group."""
        self.close_client()
        process, self.process = self.process, None
        if process is None:
            return None
        try:
            os.killpg(process.pid, signal.SIGINT)
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return process.wait(timeout=30)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    def log_tail(self, chars: int = 3000) -> str:
        logs = [self.output, *sorted((self.home / "airflow" / "components").glob("*.log"))]
        return "\n".join(f"--- tail of {log.name} ---\n{log.read_text(errors='replace')[-chars:]}"
                         for log in logs if log.exists())


# -- the session-scoped stack of the tests ------------------------------------------------------


@dataclass
class AirflowStack:
    """A running `make up` serving the project's DAGs, and the real services its runs talk to."""

    airflow: MakeUp
    site: SampleSite
    smtp: SmtpSink
    webhook: WebhookSink
    settings: Settings
    root: Path


@pytest.fixture(scope="session")
def airflow_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowStack]:
    """One `make up` per test session, with the sample site as the only source and real SMTP /
    Slack-webhook sinks as the two connections; the DAG parsed and unpaused."""
    root = tmp_path_factory.mktemp("make-up")
    home = Path(tempfile.mkdtemp(prefix="tw-make-up-"))  # PostgreSQL may run as `postgres`
    home.chmod(0o755)
    try:
        with serve_sample_site() as site, SmtpSink(folder=root / "mail") as smtp, \
                WebhookSink(file=root / "slack.jsonl") as webhook:
            sources = home / "sources.yaml"
            sources.write_text(yaml.safe_dump(demo_sources(site.base_url), sort_keys=False))
            env = {**os.environ, "TERRITORY_WATCH_SOURCES": str(sources),
                   "TERRITORY_WATCH_RULES": str(BUNDLED / "rules.yaml"),
                   "TERRITORY_WATCH_TASK_RETRIES": "0", **connection_env(smtp, webhook)}
            env.pop("TERRITORY_WATCH_DB", None)  # the store in `make up`'s PostgreSQL
            with MakeUp(env, home) as airflow:
                settings = Settings(home=home, db_url=airflow.store_url, sources_path=sources,
                                    rules_path=BUNDLED / "rules.yaml")
                airflow.wait_for_dag(DAG_ID)
                airflow.settle_scheduled_runs(DAG_ID)
                yield AirflowStack(airflow, site, smtp, webhook, settings, root)
    finally:
        shutil.rmtree(home, ignore_errors=True)


__all__ = ["DAG_ID", "HOST", "AirflowStack", "MakeUp", "airflow_stack"]
