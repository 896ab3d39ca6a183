"""Running the crawl in a child process: Twisted's reactor cannot restart inside one process."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

from crawlers.run import SourceReport
from territory_watch.config.settings import Settings


class CrawlFailed(RuntimeError):
    """The crawl process reported bad configuration or that every source failed."""


def crawl_in_subprocess(settings: Settings, sources: list[str] | None,
                        since: datetime | None, until: datetime | None, *,
                        timeout: float = 3600) -> list[SourceReport]:
    """Run `python -m crawlers` for `sources`; returns its per-source reports."""
    command = [sys.executable, "-m", "crawlers", "--sources-file", str(settings.sources_path),
               "--db", "-",
               "--scrapy-settings", json.dumps(dict(settings.scrapy_overrides))]
    for name in sources or []:
        command += ["--source", name]
    if since is not None:
        command += ["--since", since.isoformat()]
    if until is not None:
        command += ["--until", until.isoformat()]
    result = subprocess.run(command, input=settings.db_url + "\n", capture_output=True,
                            text=True, timeout=timeout)
    reports = [SourceReport.from_json(json.loads(line))
               for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-20:])
        problems = "; ".join(f"{r.source}: {r.problem}" for r in reports if r.failed)
        raise CrawlFailed(f"crawl exited {result.returncode}: {problems or 'no report'}\n{tail}")
    return reports
