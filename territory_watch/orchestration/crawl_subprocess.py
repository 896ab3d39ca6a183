"""Running the crawl in a child process: Twisted's reactor cannot restart inside one process."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

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


def probe_in_subprocess(settings: Settings, sources_file: Path, source: str, db_url: str, *,
                        sample: int | None = None, urls: Sequence[str] = (),
                        overrides: Mapping[str, object] | None = None,
                        timeout: float = 600) -> SourceReport:
    """Run `python -m crawlers --probe-sample N` (or `--probe-url URL`) for one source of
    `sources_file` into the store `db_url`; returns its report."""
    command = [sys.executable, "-m", "crawlers", "--sources-file", str(sources_file),
               "--db", "-", "--source", source, "--scrapy-settings",
               json.dumps({**settings.scrapy_overrides, **(overrides or {})})]
    command += ["--probe-sample", str(sample)] if sample is not None else []
    for url in urls:
        command += ["--probe-url", url]
    result = subprocess.run(command, input=db_url + "\n", capture_output=True, text=True,
                            timeout=timeout)
    reports = [SourceReport.from_json(json.loads(line))
               for line in result.stdout.splitlines() if line.startswith("{")]
    if not reports:
        tail = "\n".join(result.stderr.strip().splitlines()[-20:])
        raise CrawlFailed(f"probe exited {result.returncode} without a report\n{tail}")
    return reports[0]
