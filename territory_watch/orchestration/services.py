"""Long-running processes started and stopped as one: the Airflow components of `make up` and of
the scale-out test.

Each service runs in its own process group (with SIGINT at its default, whatever the parent
ignores), so a signal reaches the children it forked too (log servers, executor workers).
Stopping is bounded: SIGTERM to the group, a grace period, then SIGKILL to the group and to
every descendant seen before (task processes run in process groups of their own).
"""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import psutil

STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class Service:
    """One started process (and its process group)."""

    name: str
    process: subprocess.Popen[bytes]
    log: IO[bytes] | None = None
    stop_last: bool = False

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def tree(self) -> list[psutil.Process]:
        """The main process and all its descendants, also those in process groups of their own
        (Airflow runs each task in one)."""
        try:
            leader = psutil.Process(self.process.pid)
            return [leader, *leader.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []


class ServiceGroup:
    """Services started one after another, stopped together (``with`` stops them on exit)."""

    def __init__(self, log_dir: Path | None = None) -> None:
        self.log_dir = log_dir
        self.services: dict[str, Service] = {}

    def start(self, name: str, command: list[str], env: dict[str, str], *,
              stop_last: bool = False) -> Service:
        """Start ``command`` as service ``name``; its output goes to ``log_dir/name.log``, or to
        this process's own output when there is no log folder."""
        log = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT if log else None,
                                   preexec_fn=_default_sigint, start_new_session=True)
        service = Service(name, process, log, stop_last)
        self.services[name] = service
        return service

    def exited(self) -> list[Service]:
        """Services whose main process has ended."""
        return [s for s in self.services.values() if not s.running]

    def kill(self, name: str) -> None:
        """SIGKILL one service with every process it started, as if its machine died."""
        service = self.services.pop(name)
        _kill(service, service.tree())

    def stop(self, grace: float = STOP_GRACE) -> list[str]:
        """Stop every service in two waves, each SIGTERM to its groups and SIGKILL to what is
        left after ``grace`` seconds: first those started with ``stop_last=False``, then the
        others (the API server, which the first wave's tasks still report to). Returns the
        names of the services that had to be killed."""
        services = list(self.services.values())
        self.services.clear()
        killed = _stop_wave([s for s in services if not s.stop_last], grace)
        killed += _stop_wave([s for s in services if s.stop_last], grace)
        return killed

    def __enter__(self) -> ServiceGroup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _stop_wave(services: list[Service], grace: float) -> list[str]:
    trees = {service.name: service.tree() for service in services}
    for service in services:
        service.signal_group(signal.SIGTERM)
    _, alive = psutil.wait_procs([p for tree in trees.values() for p in tree], timeout=grace)
    left = {p.pid for p in alive}
    killed = [name for name, tree in trees.items() if any(p.pid in left for p in tree)]
    for service in services:
        _kill(service, trees[service.name])
    return killed


def _kill(service: Service, tree: list[psutil.Process]) -> None:
    """SIGKILL the service's group and every process of ``tree``; reap the main process."""
    service.signal_group(signal.SIGKILL)
    for process in tree:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    try:
        service.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    if service.log is not None:
        service.log.close()
