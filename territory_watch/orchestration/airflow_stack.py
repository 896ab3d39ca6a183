"""Starting Airflow's components in the order of territory_watch.orchestration.deployment: the
API server first (and healthy), then the scheduler, the dag-processor and any Celery workers."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from territory_watch.orchestration.deployment import AFTER_API_SERVER, API_SERVER, WORKER
from territory_watch.orchestration.services import ServiceGroup

AIRFLOW = str(Path(sys.executable).parent / "airflow")


class ComponentExited(RuntimeError):
    """An Airflow component ended while the stack was starting or running."""


def start_airflow(group: ServiceGroup, env: dict[str, str], api_url: str, *,
                  workers: Mapping[str, Mapping[str, str]] | None = None,
                  timeout: float = 300) -> None:
    """Start the components into ``group``; ``workers`` maps a Celery worker's name to the
    settings of its own (log server port, hostname)."""
    group.start("api-server", [AIRFLOW, *API_SERVER], env, stop_last=True)
    wait_for_api(group, api_url, timeout)
    for command in AFTER_API_SERVER:
        group.start(command[-1], [AIRFLOW, *command], env)
    for name, own in (workers or {}).items():
        group.start(name, [AIRFLOW, *WORKER, "--celery-hostname", name], {**env, **own})


def wait_for_api(group: ServiceGroup, api_url: str, timeout: float) -> None:
    """Poll the API server's health endpoint until it answers 200 (bounded)."""
    deadline = time.monotonic() + timeout
    with httpx.Client(trust_env=False, timeout=10) as client:
        while True:
            check_running(group)
            try:
                if client.get(f"{api_url}/api/v2/monitor/health").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the Airflow API server on {api_url} did not answer within "
                                   f"{timeout:.0f} s")
            time.sleep(1)


def check_running(group: ServiceGroup) -> None:
    """Raise :class:`ComponentExited` when a component's process has ended."""
    exited = group.exited()
    if exited:
        names = ", ".join(f"{s.name} (exit {s.process.returncode})" for s in exited)
        raise ComponentExited(f"Airflow component ended: {names}")
