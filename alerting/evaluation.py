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

from alerting.numbers import original_of
from alerting.rules import Rule, RulesFile
from alerting.wording import describe, describe_move
from storage import Store
from storage.articles import figure_json, figures_query, syndicated_copies
from storage.comparable import comparable_previous
from storage.figure_history import alerts_of_article, recent_alert, reporting_articles, source_count
from storage.models import AlertRow, ArticleRow, DeliveryRow, FigureRow
from storage.pages import now
from storage.situation import situation


@dataclass
class EvaluationReport:
    """What one evaluation did."""

    created: list[int] = field(default_factory=list)
    already_known: int = 0
    awaiting_confirmation: int = 0
    repeats_suppressed: int = 0


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
    digest: bool | None = None, parsed_since: datetime | None = None, backfill: bool = False,
) -> EvaluationReport:
    """Raise an alert for every figure in `[since, until)` that meets a rule, once per figure.

    Alerts marked digest are delivered grouped, one message per channel for the run `run_id`
    (see :func:`digest_for` for who decides).
    """
    report = EvaluationReport()
    metrics = sorted({m for rule in rules.rules for m in rule.metric})
    if not metrics:
        return report
    with store.session() as session:
        query = figures_query(since=since, until=until, metrics=metrics, sources=sources,
                              parsed_since=parsed_since)
        for figure in session.scalars(query).all():
            _evaluate_figure(session, rules, figure, run_id, digest, backfill, report)
        for copy in session.scalars(syndicated_copies(since=since, until=until,
                                                      sources=sources)).all():
            assert copy.duplicate_of_id is not None  # syndicated_copies() selects copies only
            for alert in alerts_of_article(session, copy.duplicate_of_id):
                _add_report(alert, copy)
    return report


def digest_for(rule: Rule, rules: RulesFile, run_digest: bool | None, backfill: bool) -> bool:
    """Whether an alert goes in its run's digest: the run's `digest` Param when set; else on for
    a backfill; else the rule's `digest`; else the rules file's."""
    if run_digest is not None:
        return run_digest
    if backfill:
        return True
    return rule.digest if rule.digest is not None else rules.digest


def _evaluate_figure(session: Session, rules: RulesFile, figure: FigureRow, run_id: str | None,
                     digest: bool | None, backfill: bool, report: EvaluationReport) -> None:
    previous: FigureRow | None = None
    no_previous: str | None = None
    looked_back = False
    for rule in rules.rules:
        if not rule.applies_to(figure.actor, figure.metric, figure.modality):
            continue
        if not looked_back:
            (previous, no_previous), looked_back = comparable_previous(session, figure), True
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
        alert_id = _store_alert(session, rule, figure, previous, no_previous, key, group, run_id,
                                digest_for(rule, rules, digest, backfill))
        if alert_id is not None:
            report.created.append(alert_id)


def _payload(session: Session, rule: Rule, figure: FigureRow, previous: FigureRow | None,
             no_previous: str | None, digest: bool) -> dict[str, Any]:
    data = figure_json(figure)
    data["original"] = original_of(data)  # as written ("40,000 square miles"), when converted
    kind = figure.metric.split("_", 1)[0]
    payload: dict[str, Any] = {
        "figure": data,
        "rule": rule.model_dump(mode="json"),
        "reports": [report_of(a) for a in reporting_articles(session, figure.figure_key)],
        "situation": situation(session, figure.actor, figure.place, kind,
                               until=figure.article.published, limit=40,
                               stock_anywhere=figure.place is None).to_json(),
        "digest": digest,
    }
    if previous is not None:
        earlier = figure_json(previous)
        payload["previous"] = {**report_of(previous.article), "value": previous.value,
                               "value_max": previous.value_max, "qualifier": previous.qualifier,
                               "unit": previous.unit, "period": earlier["period"],
                               "sentence": previous.sentence, "original": original_of(earlier)}
        payload["move"] = describe_move(previous.value, figure.value, figure.unit)
    else:
        payload["no_previous"] = no_previous
    return payload


def _store_alert(session: Session, rule: Rule, figure: FigureRow, previous: FigureRow | None,
                 no_previous: str | None, key: str, group: str, run_id: str | None,
                 digest: bool) -> int | None:
    """Insert the alert with one pending delivery per channel; None if a concurrent run won.

    Silences and inhibitions are applied when sending (`alerting.holding`), not here.
    """
    payload = _payload(session, rule, figure, previous, no_previous, digest)
    subject = describe(payload["figure"])
    if rule.needs_previous and "move" in payload:
        subject += f" ({payload['move']})"
    alert = AlertRow(dedup_key=key, kind="figure", rule=rule.name, figure_id=figure.id,
                  subject=subject, payload=payload, created_at=now(), run_id=run_id,
                  group_key=group, occurred_at=figure.article.published,
                  deliveries=[DeliveryRow(channel=c, state="pending", attempts=0)
                              for c in rule.channels])
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:  # a concurrent run stored the same alert first
        return None
    return alert.id


def _add_report(alert: AlertRow, article: ArticleRow) -> None:
    """Remember another article reporting the same figure (no new delivery)."""
    report = report_of(article)
    reports = list(alert.payload.get("reports", []))
    if report["url"] not in {r["url"] for r in reports}:
        alert.payload = {**alert.payload, "reports": [*reports, report]}
