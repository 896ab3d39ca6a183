"""Evaluating rules over the figures of a window into stored alerts (idempotently)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerting.rules import Rule, RulesFile
from alerting.wording import describe
from storage import Store
from storage.articles import figure_json, figures_query
from storage.models import Alert, Delivery, Figure
from storage.pages import now


@dataclass
class EvaluationReport:
    """Alerts created and claims that matched an alert already stored."""

    created: list[int] = field(default_factory=list)
    already_known: int = 0


def dedup_key(rule: Rule, figure: Figure) -> str:
    """One alert per rule and claim, whichever article, source or run reports it."""
    return hashlib.sha256(f"{rule.name}|{figure.claim_key}".encode()).hexdigest()


def _report_of(figure: Figure) -> dict[str, object]:
    article = figure.article
    return {"source": article.source.title, "url": article.url, "title": article.title,
            "published": article.published.isoformat() if article.published else None}


def evaluate(
    store: Store, rules: RulesFile, *, since: datetime | None = None,
    until: datetime | None = None, sources: list[str] | None = None, run_id: str | None = None,
) -> EvaluationReport:
    """Raise an alert for every figure in `[since, until)` that crosses a rule, once per claim."""
    report = EvaluationReport()
    metrics = sorted({m for rule in rules.rules for m in rule.metric})
    if not metrics:
        return report
    with store.session() as session:
        query = figures_query(since=since, until=until, metrics=metrics, sources=sources)
        for figure in session.scalars(query).all():
            for rule in rules.rules:
                if not rule.matches(figure.actor, figure.metric, figure.value, figure.modality):
                    continue
                alert_id = _store_alert(session, rule, figure, run_id)
                if alert_id is None:
                    report.already_known += 1
                else:
                    report.created.append(alert_id)
    return report


def _store_alert(session: Session, rule: Rule, figure: Figure, run_id: str | None) -> int | None:
    """Insert the alert with one pending delivery per channel; None if it exists already."""
    key = dedup_key(rule, figure)
    existing = session.scalar(select(Alert).where(Alert.dedup_key == key))
    if existing is not None:
        _add_report(existing, figure)
        return None
    data = figure_json(figure)
    payload = {"figure": data, "rule": rule.model_dump(), "reports": [_report_of(figure)]}
    alert = Alert(dedup_key=key, kind="figure", rule=rule.name, figure_id=figure.id,
                  subject=describe(data), payload=payload, created_at=now(), run_id=run_id,
                  deliveries=[Delivery(channel=c, state="pending", attempts=0)
                              for c in rule.channels])
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:  # a concurrent run stored the same alert first
        return None
    return alert.id


def _add_report(alert: Alert, figure: Figure) -> None:
    """Remember another article reporting the same claim (no new delivery)."""
    report = _report_of(figure)
    reports = list(alert.payload.get("reports", []))
    if report["url"] not in {r["url"] for r in reports}:
        alert.payload = {**alert.payload, "reports": [*reports, report]}
