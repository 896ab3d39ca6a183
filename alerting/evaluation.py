"""Evaluating rules over the figures of a window into stored alerts (idempotently).

One alert per rule and figure: a re-run, a backfill or another source reporting the same figure
adds the article to the alert's reports instead of alerting again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerting.rules import Rule, RulesFile
from alerting.wording import describe, describe_move
from storage import Store
from storage.articles import figure_json, figures_query, syndicated_copies
from storage.figure_history import (
    alerts_of_article,
    previous_figure,
    recent_alert,
    reporting_articles,
    series,
    source_count,
)
from storage.models import AlertRow, ArticleRow, DeliveryRow, FigureRow
from storage.pages import now


@dataclass
class EvaluationReport:
    """What one evaluation did."""

    created: list[int] = field(default_factory=list)
    already_known: int = 0
    awaiting_confirmation: int = 0
    repeats_suppressed: int = 0
    silenced: int = 0


def dedup_key(rule: Rule, figure: FigureRow) -> str:
    """One alert per rule and figure (its `figure_key`), whichever article, source or run reports it."""
    return hashlib.sha256(f"{rule.name}|{figure.figure_key}".encode()).hexdigest()


def group_key(rule: Rule, figure: FigureRow) -> str:
    """What a repeat interval treats as the same alert again: rule, actor and place."""
    return hashlib.sha256(f"{rule.name}|{figure.actor}|{figure.place or ''}".encode()).hexdigest()


def report_of(article: ArticleRow) -> dict[str, Any]:
    """How an alert cites an article."""
    return {"source": article.source.title, "url": article.url, "title": article.title,
            "published": article.published.isoformat() if article.published else None}


def evaluate(
    store: Store, rules: RulesFile, *, since: datetime | None = None,
    until: datetime | None = None, sources: list[str] | None = None, run_id: str | None = None,
    digest: bool | None = None, parsed_since: datetime | None = None,
) -> EvaluationReport:
    """Raise an alert for every figure in `[since, until)` that meets a rule, once per figure.

    `digest` (default: the rules file's `digest`) marks the new alerts to be delivered grouped,
    one message per channel for the run.
    """
    report = EvaluationReport()
    metrics = sorted({m for rule in rules.rules for m in rule.metric})
    if not metrics:
        return report
    with store.session() as session:
        query = figures_query(since=since, until=until, metrics=metrics, sources=sources,
                              parsed_since=parsed_since)
        for figure in session.scalars(query).all():
            _evaluate_figure(session, rules, figure, run_id, digest, report)
        for copy in session.scalars(syndicated_copies(since=since, until=until,
                                                      sources=sources)).all():
            assert copy.duplicate_of_id is not None  # syndicated_copies() selects copies only
            for alert in alerts_of_article(session, copy.duplicate_of_id):
                _add_report(alert, copy)
    return report


def _evaluate_figure(session: Session, rules: RulesFile, figure: FigureRow, run_id: str | None,
                     digest: bool | None, report: EvaluationReport) -> None:
    previous: FigureRow | None = None
    looked_back = False
    for rule in rules.rules:
        if not rule.applies_to(figure.actor, figure.metric, figure.modality):
            continue
        if not looked_back:
            previous, looked_back = previous_figure(session, figure), True
        if not rule.fires(figure.value, previous.value if previous else None):
            continue
        key = dedup_key(rule, figure)
        existing = session.scalar(select(AlertRow).where(AlertRow.dedup_key == key))
        if existing is not None:
            _add_report(existing, figure.article)
            report.already_known += 1
            continue
        if rule.confirmations > 1 and source_count(session, figure.figure_key) < rule.confirmations:
            report.awaiting_confirmation += 1
            continue
        group = group_key(rule, figure)
        occurred = figure.article.published
        if rule.repeat_after and occurred and recent_alert(session, group, occurred,
                                                           rule.repeat_after):
            report.repeats_suppressed += 1
            continue
        use_digest = digest if digest is not None else (
            rule.digest if rule.digest is not None else rules.digest)
        alert_id, silenced = _store_alert(session, rules, rule, figure, previous, key, group,
                                          run_id, use_digest)
        if alert_id is not None:
            report.created.append(alert_id)
            report.silenced += silenced


def _payload(session: Session, rule: Rule, figure: FigureRow, previous: FigureRow | None,
             digest: bool) -> dict[str, Any]:
    data = figure_json(figure)
    payload: dict[str, Any] = {
        "figure": data,
        "rule": rule.model_dump(mode="json"),
        "reports": [report_of(a) for a in reporting_articles(session, figure.figure_key)],
        "history": [[when.isoformat(), value] for when, value in series(session, figure)],
        "digest": digest,
    }
    if previous is not None:
        payload["previous"] = {**report_of(previous.article), "value": previous.value,
                               "qualifier": previous.qualifier, "unit": previous.unit}
        payload["move"] = describe_move(previous.value, figure.value, figure.unit)
    return payload


def _store_alert(session: Session, rules: RulesFile, rule: Rule, figure: FigureRow,
                 previous: FigureRow | None, key: str, group: str, run_id: str | None,
                 digest: bool) -> tuple[int | None, int]:
    """Insert the alert with one delivery per channel; (None, 0) if a concurrent run won."""
    payload = _payload(session, rule, figure, previous, digest)
    subject = describe(payload["figure"])
    if rule.needs_previous and "move" in payload:
        subject += f" ({payload['move']})"
    silence = rules.silence_for(rule.name, figure.actor, now())
    state, note = ("silenced", f"silenced until {silence.until.isoformat()}: {silence.reason}"
                   ) if silence else ("pending", None)
    alert = AlertRow(dedup_key=key, kind="figure", rule=rule.name, figure_id=figure.id,
                  subject=subject, payload=payload, created_at=now(), run_id=run_id,
                  group_key=group, occurred_at=figure.article.published,
                  deliveries=[DeliveryRow(channel=c, state=state, attempts=0, last_error=note)
                              for c in rule.channels])
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:  # a concurrent run stored the same alert first
        return None, 0
    return alert.id, int(silence is not None)


def _add_report(alert: AlertRow, article: ArticleRow) -> None:
    """Remember another article reporting the same figure (no new delivery)."""
    report = report_of(article)
    reports = list(alert.payload.get("reports", []))
    if report["url"] not in {r["url"] for r in reports}:
        alert.payload = {**alert.payload, "reports": [*reports, report]}
