"""The pipeline watching itself, per source: a crawl that failed, no new articles for too long,
and parser health (pages that stop yielding a title, date or body after a redesign). Each
problem raises an operator alert (once per source, problem and day) instead of failing
silently."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from alerting.operator import raise_operator_alert
from alerting.rules import RulesFile, load_rules
from crawlers.stats import crawl_problem
from parsers.config_file import ConfigError
from storage import Store
from storage.models import ArticleRow, CrawlRunRow, PageRow, SourceRow
from storage.pages import now
from territory_watch.pipeline.extract_step import ExtractReport

log = logging.getLogger(__name__)

PARTS = ("title", "published", "body")
RECENT_PAGES = 20  # the health of a source is judged on its most recently fetched pages
MIN_PAGES = 3
MAX_MISSING_SHARE = 0.5


@dataclass(frozen=True)
class Health:
    """How many of a source's recent pages lacked each part."""

    source: str
    pages: int
    missing: dict[str, int]

    @property
    def broken(self) -> list[str]:
        """Parts missing on too many recent pages."""
        if self.pages < MIN_PAGES:
            return []
        return [p for p in PARTS if self.missing.get(p, 0) > self.pages * MAX_MISSING_SHARE]


def source_health(store: Store, source: str) -> Health:
    """Parse results of the source's RECENT_PAGES most recently fetched, parsed pages."""
    with store.session() as session:
        rows = session.scalars(
            select(PageRow.parse_missing).join(SourceRow)
            .where(SourceRow.name == source, PageRow.state == "ok", PageRow.raw.is_not(None),
                   PageRow.parsed_hash.is_not(None) | PageRow.parse_missing.is_not(None))
            .order_by(PageRow.fetched_at.desc(), PageRow.id.desc()).limit(RECENT_PAGES)).all()
    missing: Counter[str] = Counter()
    for row in rows:
        missing.update(p for p in (row or "").split(",") if p)
    return Health(source, len(rows), dict(missing))


def alert_if_broken(store: Store, rules_path: Path, health: Health, today: date) -> int | None:
    """Raise (once per source and day) an operator alert for a broken parser; its id or None."""
    if not health.broken:
        return None
    parts = ", ".join(health.broken)
    worst = max(health.missing.get(p, 0) for p in health.broken)
    return raise_operator_alert(
        store, load_rules(rules_path), kind="parser_health",
        key=f"{health.source}|{today.isoformat()}",
        subject=f"Parser health: {health.source} pages without {parts} "
                f"({worst} of the last {health.pages})",
        details={"source": health.source, "pages": health.pages, "missing": health.missing,
                 "broken": health.broken,
                 "hint": "the site's markup probably changed: check the source's selectors"})


def check_parser_health(store: Store, rules_path: Path, report: ExtractReport) -> None:
    """Judge every source parsed in this run; note broken ones (and alerts) in `report`."""
    today = datetime.now(UTC).date()
    for source in sorted(report.parsed_by_source):
        health = source_health(store, source)
        if not health.broken:
            continue
        counts = ", ".join(f"{part} on {health.missing[part]}" for part in health.broken)
        note = f"{source}: of the last {health.pages} pages, missing {counts}"
        log.warning("parser health: %s", note)
        try:
            alert = alert_if_broken(store, rules_path, health, today)
        except ConfigError as exc:
            note += f"; no operator alert: {exc}"
        else:
            note += "; operator alert raised" if alert else "; operator alert already raised today"
        report.health_alerts.append(note)


def check_sources(store: Store, rules: RulesFile, sources: list[str], *,
                  at: datetime | None = None, run_id: str | None = None) -> list[int]:
    """Raise (once a day per source and problem) operator alerts; returns the new alert ids."""
    at = at or now()
    day = at.date().isoformat()
    raised: list[int | None] = []
    stale_after = rules.operator.no_articles_after
    with store.session() as session:
        for name in sources:
            source = session.scalar(select(SourceRow).where(SourceRow.name == name))
            if source is None:
                continue
            last_run = session.scalar(select(CrawlRunRow).where(CrawlRunRow.source_id == source.id)
                                      .order_by(CrawlRunRow.id.desc()).limit(1))
            problem = crawl_problem(last_run.stats or {}) if last_run is not None else None
            if last_run is not None and problem is not None:
                errors = (last_run.stats or {}).get("index_errors", [])
                raised.append(raise_operator_alert(
                    store, rules, kind="crawl_failed", key=f"{name}|{day}", run_id=run_id,
                    subject=f"Crawl of {source.title} failed: {problem}",
                    details={"source": name, "errors": "; ".join(errors[:5])}))
            if stale_after is None:
                continue
            latest = session.scalar(select(func.max(ArticleRow.parsed_at))
                                    .where(ArticleRow.source_id == source.id))
            if latest is not None and at - latest > stale_after:
                raised.append(raise_operator_alert(
                    store, rules, kind="no_new_articles", key=f"{name}|{day}", run_id=run_id,
                    subject=f"No new articles from {source.title} since {latest.date()}",
                    details={"source": name, "last_new_article": latest.isoformat()}))
    return [i for i in raised if i is not None]
