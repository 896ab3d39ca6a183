"""Airflow's REST API for the tests (/api/v2 with a JWT from /auth/token), whichever way the
Airflow under test was started (tests/airflow_make_up.py, tests/airflow_celery.py).

Every wait is a poll with a deadline that raises :class:`TimeoutError` with the last state seen
and the tail of the Airflow logs; HTTP clients ignore proxy settings from the environment.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx

from territory_watch.orchestration.postgres_cluster import free_port

HOST = "127.0.0.1"
DAG_ID = "territory_watch"
USERNAME = "admin"
TERMINAL_RUN_STATES = {"success", "failed"}

T = TypeVar("T")


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


class AirflowRest:
    """The REST calls the tests make; ``base_url``, ``username`` and ``password`` name the
    server and its admin, ``log_tail()`` what to show when a wait times out."""

    base_url: str
    username: str
    if TYPE_CHECKING:  # only read here: a subclass sets it or computes it (a property)
        @property
        def password(self) -> str: ...
    _token: str | None = None
    _client: httpx.Client | None = None

    def log_tail(self, chars: int = 6000) -> str:
        return ""

    def close_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

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
        """One API call; raises with the server's answer on a non-2xx status."""
        answer = self.api.request(method, path, **kwargs)
        if answer.status_code == 401:  # token expired: log in again once
            self._token = None
            self._client = None
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
        return self.request("POST", "/backfills", json=body)

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


__all__ = ["DAG_ID", "HOST", "TERMINAL_RUN_STATES", "USERNAME", "AirflowRest", "free_port", "iso",
           "poll"]
