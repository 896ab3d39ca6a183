"""Operator alerts: problems of the pipeline itself (crawl failures, parser health, silence),
stored and delivered like figure alerts, to the rules file's `operator_channels`."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from alerting.rules import RulesFile
from storage import Store
from storage.models import AlertRow, DeliveryRow
from storage.pages import now


def operator_dedup_key(kind: str, key: str) -> str:
    """The alert key of an operator problem: one alert per kind and key."""
    return hashlib.sha256(f"operator|{kind}|{key}".encode()).hexdigest()


def raise_operator_alert(
    store: Store, rules: RulesFile, *, kind: str, key: str, subject: str,
    details: dict[str, Any] | None = None, run_id: str | None = None,
    exclude_channels: tuple[str, ...] = (),
) -> int | None:
    """Store an operator alert once per (`kind`, `key`); returns its id, None if already raised.

    `key` decides what counts as the same problem, e.g. "alwaght|2026-11-25" for a daily
    parser-health alert of one source. `exclude_channels` are left out (a channel that is
    itself the problem).
    """
    dedup = operator_dedup_key(kind, key)
    channels = rules.operator_channels if rules.operator_channels is not None else list(rules.channels)
    channels = [c for c in channels if c not in exclude_channels]
    with store.session() as session:
        if session.scalar(select(AlertRow.id).where(AlertRow.dedup_key == dedup)) is not None:
            return None
        alert = AlertRow(dedup_key=dedup, kind="operator", rule=f"operator:{kind}", figure_id=None,
                      subject=subject, payload={"operator": {"kind": kind, "key": key,
                                                             **(details or {})}},
                      created_at=now(), run_id=run_id,
                      deliveries=[DeliveryRow(channel=c, state="pending", attempts=0)
                                  for c in channels])
        try:
            with session.begin_nested():
                session.add(alert)
        except IntegrityError:
            return None
        return alert.id
