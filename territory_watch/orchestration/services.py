"""Long-running processes started and stopped as one: the Airflow components of `make up` and of
the scale-out test.

Each service runs in its own process group (with SIGINT at its default, whatever the parent
ignores), so stopping or killing it reaches the children it forked too (task processes, crawls,
log servers). Stopping is bounded: SIGTERM, a grace period, then SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

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

    def group_alive(self) -> bool:
        """Whether any process of the service's group is left (the leader may be gone)."""
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class ServiceGroup:
    """Services started one after another, stopped together (``with`` stops them on exit)."""

    def __init__(self, log_dir: Path | None = None) -> None:
        self.log_dir = log_dir
        self.services: dict[str, Service] = {}

    def start(self, name: str, command: list[str], env: dict[str, str], *,
              cwd: Path | None = None, stop_last: bool = False) -> Service:
        """Start ``command`` as service ``name``; its output goes to ``log_dir/name.log``, or to
        this process's own output when there is no log folder."""
        log = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT if log else None,
                                   preexec_fn=_default_sigint, start_new_session=True)
        service = Service(name, process, log, stop_last)
        self.services[name] = service
        return service

    def exited(self) -> list[Service]:
        """Services whose main process has ended."""
        return [s for s in self.services.values() if not s.running]

    def kill(self, name: str) -> None:
        """SIGKILL one service's whole process group (a crash, for the tests) and reap it."""
        service = self.services.pop(name)
        service.signal_group(signal.SIGKILL)
        service.process.wait(timeout=30)
        if service.log is not None:
            service.log.close()

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
    for service in services:
        service.signal_group(signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(s.group_alive() for s in services):
        for service in services:
            service.process.poll()  # reap the leaders as they exit
        time.sleep(0.1)
    killed = [s.name for s in services if s.group_alive()]
    for service in services:
        service.signal_group(signal.SIGKILL)
        try:
            service.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        if service.log is not None:
            service.log.close()
    return killed
