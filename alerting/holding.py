"""Holding alerts back at send time: inhibition, then silences (Alertmanager's order).

Both are decided each time the notifier runs, not when the alert was created: a silence added
later holds alerts still waiting, and one that has ended releases them (they are sent once, like
any pending delivery). An inhibited delivery stays unsent: a source that is down explains why it
has no new articles, so that second alert would only repeat the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerting.operator import operator_dedup_key
from alerting.rules import RulesFile
from storage import Store
from storage.models import AlertRow, DeliveryRow

#: operator alert kind -> the kinds that suppress it for the same key (source and day)
INHIBITED_BY = {"no_new_articles": ("crawl_failed",)}
WAITING = ("pending", "failed", "silenced")


@dataclass
class HoldReport:
    """Deliveries held back or released by one notifier run: (alert id, channel, why)."""

    inhibited: list[tuple[int, str, str]] = field(default_factory=list)
    silenced: list[tuple[int, str, str]] = field(default_factory=list)
    released: list[tuple[int, str]] = field(default_factory=list)


def inhibiting_alert(session: Session, alert: AlertRow) -> AlertRow | None:
    """The operator alert that suppresses `alert`, if any (same key, inhibiting kind)."""
    details = (alert.payload or {}).get("operator") or {}
    kinds = INHIBITED_BY.get(str(details.get("kind", "")), ())
    if not kinds:
        return None
    keys = [operator_dedup_key(kind, str(details.get("key", ""))) for kind in kinds]
    return session.scalar(select(AlertRow).where(AlertRow.dedup_key.in_(keys)).limit(1))


def _actor(alert: AlertRow) -> str | None:
    return ((alert.payload or {}).get("figure") or {}).get("actor")


def hold_back(store: Store, rules: RulesFile, at: datetime) -> HoldReport:
    """Mark waiting deliveries inhibited or silenced as of `at`; release ended silences."""
    report = HoldReport()
    with store.session() as session:
        waiting = session.scalars(select(DeliveryRow).join(AlertRow)
                                  .where(DeliveryRow.state.in_(WAITING))
                                  .order_by(DeliveryRow.id).with_for_update()).all()
        for delivery in waiting:
            alert = delivery.alert
            cause = inhibiting_alert(session, alert)
            if cause is not None:
                why = f"inhibited by alert {cause.id}: {cause.subject}"
                delivery.state, delivery.last_error = "inhibited", why[:2000]
                report.inhibited.append((alert.id, delivery.channel, why))
                continue
            silence = rules.silence_for(alert.rule, _actor(alert), at)
            if silence is not None:
                why = f"silenced until {silence.until.isoformat()}: {silence.reason}"
                if delivery.state != "silenced":
                    delivery.state, delivery.last_error = "silenced", why[:2000]
                report.silenced.append((alert.id, delivery.channel, why))
            elif delivery.state == "silenced":
                delivery.state, delivery.last_error = "pending", None
                report.released.append((alert.id, delivery.channel))
    return report
