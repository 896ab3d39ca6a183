"""A real scale-out Airflow on 127.0.0.1 for the tests, started as territory_watch.orchestration.
deployment says (what docker/ runs, without Docker): PostgreSQL (metadata and store), Redis (the
broker), `airflow db migrate` + crawl pool + store tables, the API server, the scheduler, the
dag-processor and Celery workers with names of their own.

Every process is started through territory_watch.orchestration.services, so :meth:`stop` (also
on a failed start) ends each one and its descendants, bounded in time. Only the settings in
``TEST_TIMING`` differ from a production deployment: they shorten the waits after a worker dies.
"""

from __future__ import annotations

import atexit
import json
import secrets
import shutil
import socket
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlalchemy
from airflow_rest import HOST, USERNAME, AirflowRest, free_port, poll

from territory_watch.config.settings import Settings
from territory_watch.orchestration.airflow_env import airflow_env, prepare_metadata
from territory_watch.orchestration.airflow_stack import check_running, start_airflow
from territory_watch.orchestration.deployment import endpoints, settings_for
from territory_watch.orchestration.postgres_cluster import PostgresCluster
from territory_watch.orchestration.services import ServiceGroup

REDIS_SERVER = shutil.which("redis-server")

#: test-only timing (Airflow's defaults: 300 s heartbeat timeout, checked every 10 s; the
#: project's retry delay: 300 s), so that a task of a killed worker is retried within a minute
TEST_TIMING = {
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "30",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
    "TERRITORY_WATCH_RETRY_DELAY": "2",
}


class CeleryDeployment(AirflowRest):
    """PostgreSQL, Redis and Airflow with the CeleryExecutor in ``root``; ``workers`` names the
    Celery workers (each records its name as the hostname of the task instances it runs)."""

    password: str

    def __init__(self, root: Path, settings: Settings, extra_env: dict[str, str], *,
                 workers: Sequence[str] = ("worker-1", "worker-2")) -> None:
        self.root = root
        self.settings = settings
        self.extra_env = extra_env
        self.workers = list(workers)
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.username = USERNAME
        self.password = secrets.token_urlsafe(12)
        # outside pytest's private temp folder: the cluster may run as the `postgres` user
        self.cluster = PostgresCluster.in_folder(Path(tempfile.mkdtemp(prefix="tw-postgres-")),
                                                 durable=False, max_connections=200)
        self.services = ServiceGroup(root / "logs")
        self.metadata_url = ""
        self.env: dict[str, str] = {}

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Self:
        atexit.register(self.stop)  # even if the session ends abruptly
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        assert REDIS_SERVER, "redis-server is missing"
        self.cluster.ensure_initialised()
        self.cluster.start()
        self.metadata_url = self.cluster.ensure_database("airflow")
        store_url = self.cluster.ensure_database("territory_watch")
        redis_port = free_port()
        self.services.start("redis", [REDIS_SERVER, "--bind", HOST, "--port", str(redis_port),
                                      "--save", "", "--appendonly", "no", "--dir", str(self.root)],
                            {}, stop_last=True)
        poll(lambda: _redis_answers(redis_port), timeout=60, interval=0.5, what="redis-server")
        passwords = self.root / "passwords.json"
        passwords.write_text(json.dumps({self.username: self.password}))
        self.env = airflow_env(replace(self.settings, db_url=store_url), {
            **settings_for("celery"),
            **endpoints(metadata_url=self.metadata_url, store_url=store_url,
                        api_url=self.base_url, broker_url=f"redis://{HOST}:{redis_port}/0"),
            "AIRFLOW_HOME": str(self.root / "airflow"),
            "AIRFLOW__API__HOST": HOST,
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__CORE__PARALLELISM": "16",
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
            **TEST_TIMING,
            **self.extra_env,
        })
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                      "all_proxy"):
            self.env.pop(proxy, None)
        prepared = prepare_metadata(self.env)  # what docker's airflow-init runs
        assert prepared.returncode == 0, prepared.stdout[-3000:] + prepared.stderr[-3000:]
        start_airflow(self.services, self.env, self.base_url, workers={
            name: {"TERRITORY_WATCH_HOSTNAME": name,
                   "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())}
            for name in self.workers})
        poll(self._workers_ready, timeout=180, interval=2, what="Celery workers ready",
             describe=self.log_tail)

    def _workers_ready(self) -> bool:
        check_running(self.services)
        logs = [(self.root / "logs" / f"{name}.log").read_text(errors="replace")
                for name in self.workers]
        return all(f"{name} ready" in log for name, log in zip(self.workers, logs, strict=True))

    def stop(self) -> None:
        atexit.unregister(self.stop)
        self.close_client()
        self.services.stop()
        self.cluster.remove()

    def kill_worker(self, name: str) -> None:
        """SIGKILL a worker with every process it started (its tasks and their crawls)."""
        self.services.kill(name)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    def log_tail(self, chars: int = 3000) -> str:
        tails = []
        for log in sorted((self.root / "logs").glob("*.log")):
            tails.append(f"--- tail of {log.name} ---\n"
                         + log.read_text(errors="replace")[-chars:])
        return "\n".join(tails)

    # -- the metadata database ------------------------------------------------------------------

    def task_tries(self, task_id: str) -> list[dict[str, Any]]:
        """Every try of every instance of ``task_id`` (the current ones and the earlier ones
        Airflow moved to task_instance_history): run, map index, try, state, hostname, times."""
        columns = "run_id, map_index, try_number, state, hostname, start_date, end_date"
        query = sqlalchemy.text(
            f"SELECT {columns} FROM task_instance WHERE task_id = :task "
            f"UNION ALL SELECT {columns} FROM task_instance_history WHERE task_id = :task")
        engine = sqlalchemy.create_engine(self.metadata_url)
        try:
            with engine.connect() as connection:
                return [dict(row._mapping) for row in connection.execute(query, {"task": task_id})]
        finally:
            engine.dispose()


def _redis_answers(port: int) -> bool:
    with socket.create_connection((HOST, port), timeout=5) as connection:
        connection.sendall(b"PING\r\n")
        return connection.recv(64).startswith(b"+PONG")
