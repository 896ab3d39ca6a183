"""Running the crawl in a child process: Twisted's reactor cannot restart inside one process."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime


class CrawlFailed(RuntimeError):
    """The crawl process reported bad configuration or that every source failed."""


def crawl_in_subprocess(sources: list[str] | None, since: datetime | None,
                        until: datetime | None, *, timeout: float = 3600) -> str:
    """Run `territory-watch crawl --fetch-only` for `sources`; returns its summary."""
    command = [sys.executable, "-m", "territory_watch", "crawl", "--fetch-only"]
    for name in sources or []:
        command += ["--source", name]
    if since is not None:
        command += ["--since", since.isoformat()]
    if until is not None:
        command += ["--until", until.isoformat()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-20:])
        raise CrawlFailed(f"crawl exited {result.returncode}:\n{result.stdout}\n{tail}")
    return result.stdout
