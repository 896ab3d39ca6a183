"""What the analyst view shows, read from the store with the view's filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storage import Store
from storage.models import AlertRow
from storage.situation import Situation, situation, tracked

RECENT_ALERTS = 100
POINTS_PER_CHART = 200


@dataclass(frozen=True)
class ViewFilters:
    """Filters of the view: an actor (canonical name), a metric, a publication window."""

    actor: str | None = None
    metric: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AlertLine:
    """One alert as the view lists it."""

    id: int
    created_at: datetime
    kind: str
    rule: str
    subject: str
    actor: str | None
    metric: str | None
    deliveries: list[tuple[str, str, str | None]]  # channel, state, last error (redacted)
    reports: list[dict[str, object]]


@dataclass
class ViewData:
    """Everything one page shows."""

    filters: ViewFilters
    alerts: list[AlertLine] = field(default_factory=list)
    situations: list[Situation] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    generated_at: datetime | None = None


def _alert_line(alert: AlertRow) -> AlertLine:
    figure = (alert.payload or {}).get("figure") or {}
    return AlertLine(alert.id, alert.created_at, alert.kind, alert.rule, alert.subject,
                     figure.get("actor"), figure.get("metric"),
                     [(d.channel, d.state, d.last_error) for d in alert.deliveries],
                     list((alert.payload or {}).get("reports") or []))


def _matches(line: AlertLine, filters: ViewFilters) -> bool:
    if filters.actor and line.actor != filters.actor:
        return False
    return not filters.metric or line.metric == filters.metric


def load_view(store: Store, filters: ViewFilters, *, now: datetime) -> ViewData:
    """The page's data: the latest alerts and the situations matching `filters`."""
    data = ViewData(filters, generated_at=now)
    with store.session() as session:
        stmt = (select(AlertRow).options(selectinload(AlertRow.deliveries))
                .order_by(AlertRow.created_at.desc(), AlertRow.id.desc()))
        if filters.since is not None:
            stmt = stmt.where(AlertRow.occurred_at >= filters.since)
        if filters.until is not None:
            stmt = stmt.where(AlertRow.occurred_at < filters.until)
        lines = (_alert_line(a) for a in session.scalars(stmt.limit(RECENT_ALERTS * 5)))
        data.alerts = [line for line in lines if _matches(line, filters)][:RECENT_ALERTS]
        data.actors = sorted({actor for actor, _, _ in tracked(session)})
        for actor, place, kind in tracked(session, actor=filters.actor, metric=filters.metric,
                                          since=filters.since, until=filters.until):
            data.situations.append(situation(session, actor, place, kind, since=filters.since,
                                             until=filters.until, limit=POINTS_PER_CHART,
                                             metric=filters.metric))
    data.situations.sort(key=_interest)
    return data


def _interest(item: Situation) -> tuple[bool, float]:
    """Charts of what is held first, then the most recently reported."""
    latest = max((p.when for p in item.stock + item.events), default=datetime.min.replace(tzinfo=UTC))
    return (not item.stock, -latest.timestamp())
