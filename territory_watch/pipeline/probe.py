"""Fetching a source's pages for a look, never into the user's store: a fetch-only crawl of
the news spider's probe variant, in a child process, into a throw-away SQLite store that is
read back and deleted."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import select

from crawlers.run import SourceReport
from crawlers.sources import Source
from storage import Store
from storage.models import PageRow
from territory_watch.config.settings import Settings
from territory_watch.orchestration.crawl_subprocess import probe_in_subprocess
from territory_watch.pipeline.extract_step import decode_page

OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ProbedPage:
    """One article page as the probe found it: fetched (`html`) or not (`error`)."""

    url: str
    state: str  # ok | failed | refused
    error: str | None
    html: str | None
    discovered_published: datetime | None


@dataclass(frozen=True)
class Probe:
    """What a probe crawl reported and the pages it fetched (newest first, or as asked)."""

    report: SourceReport
    pages: list[ProbedPage]


def probe_source(settings: Settings, source: Source, *, sample: int | None = None,
                 urls: Sequence[str] = (), overrides: Mapping[str, object] | None = None) -> Probe:
    """Fetch the `sample` newest articles of `source` (every index read), or just `urls`."""
    with tempfile.TemporaryDirectory(prefix="territory-watch-probe-") as folder:
        sources_file = Path(folder) / "sources.yaml"
        sources_file.write_text(yaml.safe_dump({"sources": [source.model_dump(mode="json")]}))
        db_url = f"sqlite:///{Path(folder) / 'probe.db'}"
        report = probe_in_subprocess(settings, sources_file, source.name, db_url,
                                     sample=sample, urls=urls, overrides=overrides)
        store = Store(db_url)
        try:
            with store.session() as session:
                rows = session.scalars(select(PageRow)).all()
                pages = [ProbedPage(row.url, row.state, row.error,
                                    decode_page(row) if row.raw else None,
                                    row.discovered_published) for row in rows]
        finally:
            store.close()
    if urls:
        order = {url: i for i, url in enumerate(urls)}
        pages.sort(key=lambda p: order.get(p.url, len(order)))
    else:
        pages.sort(key=lambda p: p.discovered_published or OLDEST, reverse=True)
    return Probe(report, pages)
