"""The pipeline watching itself, per source: a crawl that failed, no new articles for too long,
and parser health (pages that stop yielding a title, date or body after a redesign, or whose
selector sets stop matching so that the generic extractor has to take over). Each problem
raises an operator alert (once per source, problem and day) instead of failing silently."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from alerting.operator import raise_operator_alert
from alerting.rules import RulesFile, load_rules
from crawlers.stats import crawl_problem
from parsers.config_file import ConfigError
from parsers.selector_chain import GENERIC
from storage import Store
from storage.models import ArticleRow, CrawlRunRow, PageRow, SourceRow
from storage.pages import now, read_misses
from territory_watch.pipeline.extract_step import ExtractReport

log = logging.getLogger(__name__)

PARTS = ("title", "published", "body")
RECENT_PAGES = 20  # the health of a source is judged on its most recently fetched pages
MIN_PAGES = 3
MAX_MISSING_SHARE = 0.5


@dataclass(frozen=True)
class Health:
    """How many of a source's recent pages lacked each part; how many fell back to generic
    extraction although the source has selector sets, and what each set lacked on them."""

    source: str
    pages: int
    missing: dict[str, int]
    fallbacks: int = 0
    set_misses: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def broken(self) -> list[str]:
        """Parts missing on too many recent pages."""
        if self.pages < MIN_PAGES:
            return []
        return [p for p in PARTS if self.missing.get(p, 0) > self.pages * MAX_MISSING_SHARE]

    @property
    def selectors_failing(self) -> bool:
        """Whether no selector set yielded the article on too many recent pages."""
        return self.pages >= MIN_PAGES and self.fallbacks > self.pages * MAX_MISSING_SHARE

    @property
    def unhealthy(self) -> bool:
        """Whether an operator alert is due."""
        return bool(self.broken) or self.selectors_failing

    def failing_sets(self) -> list[str]:
        """Per selector set, the fields it did not yield on the pages that fell back:
        "set 'v2' found no body on 5"."""
        return [f"set {name!r} found no "
                + ", ".join(f"{part} on {n}" for part, n in fields.items())
                for name, fields in self.set_misses.items()]

    def summary(self) -> str:
        """What is wrong, in one line."""
        problems = [f"{part} missing on {self.missing[part]}" for part in self.broken]
        if self.selectors_failing:
            problems.append(f"no selector set matched on {self.fallbacks} ("
                            + "; ".join(self.failing_sets()) + "), generic extraction took over")
        return f"{self.source}: of the last {self.pages} pages, " + "; ".join(problems)


def source_health(store: Store, source: str) -> Health:
    """Parse results of the source's RECENT_PAGES most recently fetched, parsed pages."""
    with store.session() as session:
        rows = session.execute(
            select(PageRow.parse_missing, PageRow.selector_set, PageRow.selector_misses)
            .join(SourceRow)
            .where(SourceRow.name == source, PageRow.state == "ok", PageRow.raw.is_not(None),
                   PageRow.parsed_hash.is_not(None) | PageRow.parse_missing.is_not(None))
            .order_by(PageRow.fetched_at.desc(), PageRow.id.desc()).limit(RECENT_PAGES)).all()
    missing: Counter[str] = Counter()
    fallbacks = 0
    set_misses: dict[str, Counter[str]] = {}
    for parse_missing, selector_set, misses in rows:
        missing.update(p for p in (parse_missing or "").split(",") if p)
        if selector_set == GENERIC and misses:
            fallbacks += 1
            for name, fields in read_misses(misses):
                set_misses.setdefault(name, Counter()).update(fields)
    return Health(source, len(rows), dict(missing), fallbacks,
                  {name: dict(fields) for name, fields in set_misses.items()})


def alert_if_broken(store: Store, rules_path: Path, health: Health, today: date) -> int | None:
    """Raise (once per source and day) an operator alert for a broken parser; its id or None."""
    if not health.unhealthy:
        return None
    return raise_operator_alert(
        store, load_rules(rules_path), kind="parser_health",
        key=f"{health.source}|{today.isoformat()}",
        subject=f"Parser health: {health.summary()}",
        details={"source": health.source, "pages": health.pages, "missing": health.missing,
                 "broken": health.broken, "generic_fallbacks": health.fallbacks,
                 "failing_sets": health.set_misses,
                 "hint": "the site's markup probably changed: add a selector set for the new "
                         "design (check it with `territory-watch check-source`), then "
                         "`territory-watch reparse`"})


def check_parser_health(store: Store, rules_path: Path, report: ExtractReport) -> None:
    """Judge every source parsed in this run; note broken ones (and alerts) in `report`."""
    today = datetime.now(UTC).date()
    for source in sorted(report.parsed_by_source):
        health = source_health(store, source)
        if not health.unhealthy:
            continue
        note = health.summary()
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
