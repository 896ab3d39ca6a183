"""Delivering stored alerts: every pending or failed delivery is sent and its state recorded.

Each delivery is committed as soon as it is sent, so a run that dies mid-way loses nothing:
what was not marked sent is sent by the next run. A channel that fails on a connection-level
error is not tried again in the same run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

import importlib
from alerting.message import AlertMessage
from alerting.redaction import connection_secrets, redact
from alerting.rules import ChannelConfig, RulesFile
from storage import Store
from storage.models import Alert, Delivery
from storage.pages import now

log = logging.getLogger(__name__)

Sender = Callable[[ChannelConfig, list[AlertMessage], str], None]
SENDERS = {"email": "alerting.channels.email:send_email",
           "slack": "alerting.channels.slack:send_slack"}


def sender_for(channel_type: str) -> Sender:
    """The send function of a channel type (imported on first use: it loads Airflow)."""
    module, _, name = SENDERS[channel_type].partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class DeliveryReport:
    """Deliveries sent and failed in one notify step."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)


def pending_deliveries(store: Store) -> list[tuple[int, int, str]]:
    """(delivery id, alert id, channel) of everything not yet delivered, oldest first."""
    with store.session() as session:
        rows = session.execute(
            select(Delivery.id, Delivery.alert_id, Delivery.channel)
            .where(Delivery.state.in_(("pending", "failed")))
            .order_by(Delivery.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def deliver_pending(store: Store, rules: RulesFile) -> DeliveryReport:
    """Send every undelivered alert on its channel and record the outcome."""
    report = DeliveryReport()
    down: set[str] = set()
    secrets = {name: connection_secrets(c.connection) for name, c in rules.channels.items()}
    for delivery_id, alert_id, channel in pending_deliveries(store):
        if channel in down:
            continue
        config = rules.channels.get(channel)
        with store.session() as session:
            delivery = session.get(Delivery, delivery_id)
            alert = session.get(Alert, alert_id)
            if delivery is None or alert is None or delivery.state == "sent":
                continue  # delivered meanwhile by a concurrent run
            delivery.attempts += 1
            try:
                if config is None:
                    raise LookupError(f"channel {channel!r} is not in the rules file")
                sender_for(config.type or channel)(config, [AlertMessage.from_alert(alert)],
                                                f"alert-{alert.id}-{channel}")
            except Exception as exc:  # every failure is recorded; the next run retries
                error = redact(f"{type(exc).__name__}: {exc}", secrets.get(channel, []))
                delivery.state, delivery.last_error = "failed", error[:2000]
                report.failed.append((alert_id, channel, error))
                log.warning("alert %s not delivered to %s: %s", alert_id, channel, error)
                if not isinstance(exc, LookupError):
                    down.add(channel)
                continue
            delivery.state, delivery.sent_at, delivery.last_error = "sent", now(), None
            report.sent.append((alert_id, channel))
    return report
