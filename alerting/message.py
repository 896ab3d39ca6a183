"""The content of an alert message, independent of the channel that carries it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alerting.wording import format_number
from storage.models import Alert


@dataclass(frozen=True)
class AlertMessage:
    """What a person needs to act on one alert."""

    alert_id: int
    subject: str
    rule: str
    threshold: str
    figure: dict[str, Any]
    reports: list[dict[str, Any]]

    @classmethod
    def from_alert(cls, alert: Alert) -> AlertMessage:
        payload = alert.payload or {}
        rule = payload.get("rule", {})
        limits = []
        if rule.get("above") is not None:
            limits.append(f"above {format_number(rule['above'])}")
        if rule.get("below") is not None:
            limits.append(f"below {format_number(rule['below'])}")
        return cls(alert_id=alert.id, subject=alert.subject, rule=alert.rule,
                   threshold=" and ".join(limits), figure=payload.get("figure", {}),
                   reports=payload.get("reports", []))
