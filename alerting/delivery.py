"""Delivering stored alerts: every pending or failed delivery is sent and its state recorded.

A notifier first takes a lease on deliveries atomically (pending/failed -> sending, with its
own token), so two runs notifying at the same moment (parallel backfill runs) never send the
same alert twice. Each outcome is committed as soon as it is known, so a run that dies mid-way
loses nothing: a lease older than the lease timeout is taken over by the next run. A channel that
fails on a connection-level error is not tried again in the same run.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update

from alerting.message import AlertMessage
from alerting.redaction import connection_secrets, redact
from alerting.rules import ChannelConfig, RulesFile
from storage import Store
from storage.models import AlertRow, DeliveryRow
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


@dataclass(frozen=True)
class Batch:
    """Deliveries sent as one message: one alert, or a run's digest on one channel."""

    channel: str
    delivery_ids: tuple[int, ...]
    alert_ids: tuple[int, ...]


#: how long a lease protects deliveries being sent, unless the caller says otherwise
LEASE_TIMEOUT = timedelta(seconds=900)


def _deliverable(timeout: timedelta) -> ColumnElement[bool]:
    """Pending or failed, or leased by a notifier that has not finished in time (died)."""
    return or_(DeliveryRow.state.in_(("pending", "failed")),
               and_(DeliveryRow.state == "sending", DeliveryRow.leased_at < now() - timeout))


def pending_batches(store: Store, lease_timeout: timedelta = LEASE_TIMEOUT) -> list[Batch]:
    """Everything not yet delivered, oldest first; digest alerts grouped per run and channel."""
    with store.session() as session:
        rows = session.execute(
            select(DeliveryRow.id, DeliveryRow.channel, AlertRow.id, AlertRow.run_id, AlertRow.payload)
            .join(AlertRow).where(_deliverable(lease_timeout))
            .order_by(DeliveryRow.id)
        ).all()
    groups: dict[tuple[str, str | int], list[tuple[int, int]]] = {}
    for delivery_id, channel, alert_id, run_id, payload in rows:
        digest = bool((payload or {}).get("digest")) and run_id is not None
        key = (channel, f"run:{run_id}") if digest else (channel, delivery_id)
        groups.setdefault(key, []).append((delivery_id, alert_id))
    return [Batch(channel, tuple(d for d, _ in items), tuple(a for _, a in items))
            for (channel, _), items in groups.items()]


def deliver_pending(store: Store, rules: RulesFile, *,
                    lease_timeout: timedelta = LEASE_TIMEOUT) -> DeliveryReport:
    """Send every undelivered alert on its channel and record the outcome."""
    report = DeliveryReport()
    down: set[str] = set()
    secrets = {name: connection_secrets(c.connection) for name, c in rules.channels.items()}
    for batch in pending_batches(store, lease_timeout):
        if batch.channel in down:
            continue
        config = rules.channels.get(batch.channel)
        token = take_lease(store, batch.delivery_ids, lease_timeout)
        with store.session() as session:
            deliveries = list(session.scalars(select(DeliveryRow).where(
                DeliveryRow.lease_owner == token, DeliveryRow.state == "sending").order_by(DeliveryRow.id)))
            if not deliveries:
                continue  # a concurrent run leased them first
            messages = [AlertMessage.from_alert(d.alert) for d in deliveries]
            key = f"alerts-{'-'.join(str(m.alert_id) for m in messages)}-{batch.channel}"
            try:
                if config is None:
                    raise LookupError(f"channel {batch.channel!r} is not in the rules file")
                sender_for(config.type or batch.channel)(config, messages, key)
            except Exception as exc:  # every failure is recorded; the next run retries
                error = redact(f"{type(exc).__name__}: {exc}", secrets.get(batch.channel, []))
                for delivery in deliveries:
                    delivery.state, delivery.last_error = "failed", error[:2000]
                    report.failed.append((delivery.alert_id, batch.channel, error))
                log.warning("alerts %s not delivered to %s: %s",
                            [m.alert_id for m in messages], batch.channel, error)
                if not isinstance(exc, LookupError):
                    down.add(batch.channel)
                continue
            sent_at = now()
            for delivery in deliveries:
                delivery.state, delivery.sent_at, delivery.last_error = "sent", sent_at, None
                report.sent.append((delivery.alert_id, batch.channel))
    return report


def take_lease(store: Store, delivery_ids: tuple[int, ...], lease_timeout: timedelta) -> str:
    """Atomically mark still-deliverable deliveries as being sent by us; returns our token."""
    token = uuid.uuid4().hex
    with store.session() as session:
        session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(delivery_ids), _deliverable(lease_timeout))
            .values(state="sending", lease_owner=token, leased_at=now(),
                    attempts=DeliveryRow.attempts + 1)
            .execution_options(synchronize_session=False))
    return token
