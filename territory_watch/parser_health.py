"""Parser health: noticing when a source's pages stop yielding a title, date or body
(a redesign), and raising an operator alert instead of failing silently."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select

from storage import Store
from storage.models import Page, SourceRow
from territory_watch.extraction import ExtractReport

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
            select(Page.parse_missing).join(SourceRow)
            .where(SourceRow.name == source, Page.state == "ok", Page.raw.is_not(None),
                   Page.parsed_hash.is_not(None) | Page.parse_missing.is_not(None))
            .order_by(Page.fetched_at.desc(), Page.id.desc()).limit(RECENT_PAGES)).all()
    missing: Counter[str] = Counter()
    for row in rows:
        missing.update(p for p in (row or "").split(",") if p)
    return Health(source, len(rows), dict(missing))


def alert_if_broken(store: Store, rules_path: object, health: Health, today: date) -> int | None:
    """Raise (once per source and day) an operator alert for a broken parser; its id or None."""
    if not health.broken:
        return None
    from alerting.operator import raise_operator_alert
    from alerting.rules import load_rules

    parts = ", ".join(health.broken)
    worst = max(health.missing.get(p, 0) for p in health.broken)
    return raise_operator_alert(
        store, load_rules(rules_path), kind="parser_health",  # type: ignore[arg-type]
        key=f"{health.source}|{today.isoformat()}",
        subject=f"Parser health: {health.source} pages without {parts} "
                f"({worst} of the last {health.pages})",
        details={"source": health.source, "pages": health.pages, "missing": health.missing,
                 "broken": health.broken,
                 "hint": "the site's markup probably changed: check the source's selectors"})


def check_parser_health(store: Store, rules_path: object, report: ExtractReport) -> None:
    """Judge every source parsed in this run; note broken ones (and alerts) in `report`."""
    from territory_watch.errors import ConfigError

    today = datetime.now(timezone.utc).date()
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
