"""Delivering stored alerts, in the order of Alertmanager's notify pipeline:
inhibit -> silence -> dedup -> send -> retry verdict.

Inhibition and silences are applied at send time (`alerting.holding`). Dedup is the lease: a
notifier first takes deliveries atomically (pending/failed -> sending, with its own token), so
two runs notifying at once (parallel backfill runs) never send the same alert twice; a lease
older than the lease timeout (a notifier that died) is taken over by the next run. A batch (one
alert, or a run's digest on one channel) goes out as one or more messages (a Slack digest is
split to fit Slack's limits, an email digest is one message); each message's deliveries are
recorded sent as soon as it is accepted. A failure gets a verdict: temporary (retried by the
next run; the channel is not tried again in this one) or permanent (the delivery becomes
`undeliverable` and one operator alert names the channel and the reason).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update

from alerting.holding import HoldReport, hold_back
from alerting.message import AlertMessage
from alerting.operator import raise_operator_alert
from alerting.outgoing import Outgoing
from alerting.redaction import connection_secrets, redact
from alerting.rules import ChannelConfig, RulesFile
from alerting.verdict import Verdict, after_attempts, verdict_of
from storage import Store
from storage.models import AlertRow, DeliveryRow
from storage.pages import now

log = logging.getLogger(__name__)


Planner = Callable[[ChannelConfig, list[AlertMessage], str], list[Outgoing]]
PLANNERS = {"email": "alerting.channels.email:plan_email",
            "slack": "alerting.channels.slack:plan_slack"}
#: a failure of one message only (not of the channel): the channel's other messages still go
MESSAGE_ONLY_FAILURES = ("slack_http_400",)
CHANNEL_FAILED = "channel_failed"


def planner_for(channel_type: str) -> Planner:
    """The message planner of a channel type (imported on first use: it loads Airflow)."""
    module, _, name = PLANNERS[channel_type].partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class DeliveryReport:
    """What one notify step did: sent, failed for now, failed for good, held back."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)
    undeliverable: list[tuple[int, str, str]] = field(default_factory=list)
    messages: int = 0
    held: HoldReport = field(default_factory=HoldReport)


@dataclass(frozen=True)
class Batch:
    """Deliveries sent together: one alert, or a run's digest on one channel."""

    channel: str
    delivery_ids: tuple[int, ...]
    alert_ids: tuple[int, ...]


@dataclass(frozen=True)
class PermanentFailure:
    """A channel that failed for good, for the operator alert."""

    channel: str
    verdict: Verdict
    error: str
    alert_ids: tuple[int, ...]
    operator_only: bool


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
    """Send every undelivered alert on its channel and record the outcome.

    Operator alerts raised here (a channel failing for good) are delivered in the same call.
    """
    report = DeliveryReport()
    down: set[str] = set()
    secrets = {name: connection_secrets(c.connection) for name, c in rules.channels.items()}
    for _round in range(2):
        held = hold_back(store, rules, now())
        report.held.inhibited += held.inhibited
        report.held.silenced += held.silenced
        report.held.released += held.released
        permanent: list[PermanentFailure] = []
        for batch in pending_batches(store, lease_timeout):
            if batch.channel not in down:
                _deliver_batch(store, rules, batch, secrets.get(batch.channel, []), report, down,
                               permanent, lease_timeout)
        raised = [raise_channel_alert(store, rules, f) for f in permanent if not f.operator_only]
        if not any(alert_id is not None for alert_id in raised):
            break
    return report


def _deliver_batch(store: Store, rules: RulesFile, batch: Batch, secrets: list[str],
                   report: DeliveryReport, down: set[str], permanent: list[PermanentFailure],
                   lease_timeout: timedelta) -> None:
    """Lease the batch, send its messages in order, record each outcome as it is known.

    A message refused on its own (Slack 400) does not stop the batch's other messages; any
    other failure is the channel's, so the messages not sent yet share its verdict.
    """
    config = rules.channels.get(batch.channel)
    token = take_lease(store, batch.delivery_ids, lease_timeout)
    with store.session() as session:
        deliveries = list(session.scalars(select(DeliveryRow).where(
            DeliveryRow.lease_owner == token, DeliveryRow.state == "sending").order_by(DeliveryRow.id)))
        if not deliveries:
            return  # a concurrent run leased them first
        by_alert = {d.alert_id: d for d in deliveries}
        messages = [AlertMessage.from_alert(d.alert) for d in deliveries]
        key = batch_key([m.alert_id for m in messages], batch.channel)
        failed = _Failures(batch.channel, by_alert, config, secrets, report, permanent)
        try:
            if config is None:
                raise LookupError(f"channel {batch.channel!r} is not in the rules file")
            outgoing = planner_for(config.type or batch.channel)(config, messages, key)
        except Exception as exc:  # the batch could not even be prepared
            failed.record(exc, list(by_alert))
            return
        for number, message in enumerate(outgoing, start=1):
            try:
                message.send()
            except Exception as exc:  # every failure is recorded, with its verdict
                verdict = failed.record(exc, list(message.alert_ids))
                session.commit()
                if isinstance(exc, LookupError) or verdict.reason in MESSAGE_ONLY_FAILURES:
                    continue
                down.add(batch.channel)
                unsent = [a for later in outgoing[number:] for a in later.alert_ids]
                if unsent:
                    failed.record(exc, unsent)
                return
            label = f"{key} message {number} of {len(outgoing)}"
            _record_sent(by_alert, message.alert_ids, label, batch.channel, report)
            session.commit()  # recorded as soon as it is accepted


def _record_sent(by_alert: dict[int, DeliveryRow], alert_ids: tuple[int, ...], label: str,
                 channel: str, report: DeliveryReport) -> None:
    sent_at = now()
    for alert_id in alert_ids:
        delivery = by_alert[alert_id]
        delivery.state, delivery.sent_at, delivery.last_error = "sent", sent_at, None
        delivery.message = label[:250]
        report.sent.append((alert_id, channel))
    report.messages += 1


@dataclass
class _Failures:
    """Records failed sends of one batch with their verdict (redacted, attempts counted)."""

    channel: str
    by_alert: dict[int, DeliveryRow]
    config: ChannelConfig | None
    secrets: list[str]
    report: DeliveryReport
    permanent: list[PermanentFailure]

    def record(self, exc: Exception, alert_ids: list[int]) -> Verdict:
        error = redact(f"{type(exc).__name__}: {exc}", self.secrets)[:2000]
        attempts = max(self.by_alert[a].attempts for a in alert_ids)
        max_attempts = self.config.max_attempts if self.config is not None else 1
        verdict = after_attempts(verdict_of(exc), attempts, max_attempts)
        if verdict.reason == "max_attempts":
            error = f"gave up after {attempts} attempts; last error: {error}"[:2000]
        state = "undeliverable" if verdict.permanent else "failed"
        for alert_id in alert_ids:
            self.by_alert[alert_id].state, self.by_alert[alert_id].last_error = state, error
            (self.report.undeliverable if verdict.permanent else self.report.failed).append(
                (alert_id, self.channel, error))
        log.warning("alerts %s not delivered to %s (%s): %s", alert_ids, self.channel,
                    "permanent" if verdict.permanent else "will retry", error)
        if verdict.permanent:
            operator_only = all(self.by_alert[a].alert.rule == f"operator:{CHANNEL_FAILED}"
                                for a in alert_ids)
            self.permanent.append(PermanentFailure(self.channel, verdict, error,
                                                   tuple(alert_ids), operator_only))
        return verdict


def batch_key(alert_ids: list[int], channel: str) -> str:
    """A short stable name of a batch: 'alert-7-email', 'digest-200-3f9c2a1b7d4e-slack'."""
    if len(alert_ids) == 1:
        return f"alert-{alert_ids[0]}-{channel}"
    digest = hashlib.sha256(",".join(map(str, alert_ids)).encode()).hexdigest()[:12]
    return f"digest-{len(alert_ids)}-{digest}-{channel}"


def raise_channel_alert(store: Store, rules: RulesFile, failure: PermanentFailure) -> int | None:
    """One operator alert a day per channel and reason, sent on the other operator channels."""
    reason = failure.verdict.reason.replace("_", " ")
    return raise_operator_alert(
        store, rules, kind=CHANNEL_FAILED,
        key=f"{failure.channel}|{failure.verdict.reason}|{date.today().isoformat()}",
        subject=f"Alerts undeliverable on channel {failure.channel}: {reason}",
        details={"channel": failure.channel, "reason": reason, "error": failure.error[:500],
                 "alerts": ", ".join(str(a) for a in failure.alert_ids),
                 "hint": "check the channel's Airflow connection; these alerts are not retried"},
        exclude_channels=(failure.channel,))


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
