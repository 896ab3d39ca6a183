"""The content of an alert message, independent of the channel that carries it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alerting.numbers import format_number
from storage.models import AlertRow


@dataclass(frozen=True)
class AlertMessage:
    """What a person needs to act on one alert."""

    alert_id: int
    subject: str
    rule: str
    threshold: str
    figure: dict[str, Any]
    reports: list[dict[str, Any]]
    kind: str = "figure"
    previous: dict[str, Any] | None = None
    move: str | None = None
    no_previous: str | None = None
    situation: dict[str, Any] | None = None
    details: dict[str, Any] | None = None

    @classmethod
    def from_alert(cls, alert: AlertRow) -> AlertMessage:
        payload = alert.payload or {}
        rule = payload.get("rule", {})
        limits = []
        if rule.get("above") is not None:
            limits.append(f"above {format_number(rule['above'])}")
        if rule.get("below") is not None:
            limits.append(f"below {format_number(rule['below'])}")
        if rule.get("change"):
            change = rule["change"]
            unit = "%" if change.get("relative", True) else ""
            for word, bound in (("above", "above"), ("below", "below")):
                if change.get(bound) is not None:
                    limits.append(f"change {word} {format_number(change[bound])}{unit}")
        if rule.get("crosses") is not None:
            limits.append(f"crossing {format_number(rule['crosses'])}")
        return cls(alert_id=alert.id, subject=alert.subject, rule=alert.rule,
                   threshold=" and ".join(limits), figure=payload.get("figure", {}),
                   reports=payload.get("reports", []), kind=alert.kind,
                   previous=payload.get("previous"), move=payload.get("move"),
                   no_previous=payload.get("no_previous"), situation=payload.get("situation"),
                   details=payload.get("operator"))

    @property
    def situation_key(self) -> tuple[str, str, str] | None:
        """Which chart this alert shows (actor, place, kind); alerts of a digest share charts."""
        if not self.situation:
            return None
        return (str(self.situation.get("actor")), str(self.situation.get("place") or ""),
                str(self.situation.get("kind")))
