"""The rules file (SPEC "Rules file"): channels and the thresholds that raise alerts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from parsers.config_file import load_model
from parsers.figure import METRICS, MODALITIES

ChannelType = Literal["email", "slack"]


class ChannelConfig(BaseModel):
    """A delivery channel: an Airflow connection id plus, for email, the recipients."""

    model_config = ConfigDict(extra="forbid")

    type: ChannelType | None = None
    connection: str = Field(min_length=1)
    to: list[str] = Field(default_factory=list)
    max_attempts: int = Field(
        default=20, ge=1,
        description="sends of one alert that may fail temporarily before it is given up")


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$")
_UNIT = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def canonical_actor(actor: str | None) -> str | None:
    """The canonical name of an actor alias ("Daesh" -> "Islamic State")."""
    if actor is None:
        return None
    from parsers.figures.actors import canonical

    return canonical(actor) or actor


def parse_duration(value: object) -> object:
    """'7d', '12h', '30m', '2w' -> timedelta (other values are left to pydantic)."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"not a duration like 30m, 12h, 7d or 2w: {value!r}")
        return timedelta(**{_UNIT[match.group(2)]: float(match.group(1))})
    return value


class Change(BaseModel):
    """A change against the previous figure of the same actor, metric and place."""

    model_config = ConfigDict(extra="forbid")

    above: float | None = None
    below: float | None = None
    relative: bool = Field(default=True, description="percent change (else absolute)")

    @model_validator(mode="after")
    def _has_bound(self) -> Change:
        if self.above is None and self.below is None:
            raise ValueError("`change` needs `above` or `below`")
        return self

    def amount(self, previous: float, value: float) -> float | None:
        """The change from `previous` to `value` in this rule's terms (None if undefined)."""
        if not self.relative:
            return value - previous
        return None if previous == 0 else (value - previous) / previous * 100.0

    def fires(self, previous: float, value: float) -> bool:
        """Whether the change crosses a bound."""
        amount = self.amount(previous, value)
        if amount is None:
            return False
        if self.above is not None and not amount > self.above:
            return False
        return self.below is None or amount < self.below


class Rule(BaseModel):
    """Fire when a matching figure crosses every condition given (all conditions must hold).

    `above`/`below` compare the value; `change` compares it with the previous figure of the
    same actor, metric and place; `crosses` fires when a value lands on the other side of a
    level than the previous one.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    metric: list[str]
    actor: str | None = None
    above: float | None = None
    below: float | None = None
    change: Change | None = None
    crosses: float | None = None
    channels: list[str] = Field(min_length=1)
    modality: list[str] = Field(default_factory=lambda: ["asserted", "claimed"])
    confirmations: int = Field(default=1, ge=1, description="distinct sources needed")
    repeat_after: timedelta | None = Field(
        default=None, description="at most one alert per actor and place within this interval")
    digest: bool | None = None

    _parse_repeat = field_validator("repeat_after", mode="before")(parse_duration)

    @property
    def needs_previous(self) -> bool:
        """Whether firing depends on the previous figure."""
        return self.change is not None or self.crosses is not None

    @field_validator("metric", "modality", mode="before")
    @classmethod
    def _one_or_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("metric", "modality")
    @classmethod
    def _known_words(cls, words: list[str], info: ValidationInfo) -> list[str]:
        known = METRICS if info.field_name == "metric" else MODALITIES
        unknown = [w for w in words if w not in known]
        if unknown:
            raise ValueError(f"unknown {info.field_name} {unknown}; known: {', '.join(known)}")
        return words

    _actor = field_validator("actor")(lambda actor: canonical_actor(actor))

    @model_validator(mode="after")
    def _has_threshold(self) -> Rule:
        if self.above is None and self.below is None and not self.needs_previous:
            raise ValueError(f"rule {self.name!r} needs `above`, `below`, `change` or `crosses`")
        return self

    def applies_to(self, actor: str, metric: str, modality: str) -> bool:
        """Whether a figure is in this rule's scope (metric, actor, modality)."""
        if metric not in self.metric or modality not in self.modality:
            return False
        return self.actor is None or actor == self.actor

    def fires(self, value: float, previous: float | None) -> bool:
        """Whether `value` (and the move from `previous`) meets every condition."""
        if self.above is not None and not value > self.above:
            return False
        if self.below is not None and not value < self.below:
            return False
        if not self.needs_previous:
            return True
        if previous is None:
            return False
        if self.change is not None and not self.change.fires(previous, value):
            return False
        if self.crosses is not None:
            level = self.crosses
            crossed = (previous >= level > value) or (previous < level <= value)
            if not crossed:
                return False
        return True

    def matches(self, actor: str, metric: str, value: float, modality: str,
                previous: float | None = None) -> bool:
        """Scope and conditions together."""
        return self.applies_to(actor, metric, modality) and self.fires(value, previous)


class Silence(BaseModel):
    """Alerts matching a silence are stored but not sent until it ends."""

    model_config = ConfigDict(extra="forbid")

    rule: str | None = None
    actor: str | None = None
    until: datetime
    reason: str = ""

    @field_validator("until")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    _actor = field_validator("actor")(lambda actor: canonical_actor(actor))

    def covers(self, rule: str, actor: str | None, at: datetime) -> bool:
        """Whether this silence holds for an alert of `rule` about `actor` at time `at`."""
        if at >= self.until:
            return False
        if self.rule is not None and self.rule != rule:
            return False
        return self.actor is None or self.actor == actor


class OperatorChecks(BaseModel):
    """Thresholds of the pipeline's own health checks."""

    model_config = ConfigDict(extra="forbid")

    no_articles_after: timedelta | None = Field(default=timedelta(days=3))

    _parse = field_validator("no_articles_after", mode="before")(parse_duration)


class RulesFile(BaseModel):
    """The whole rules file."""

    model_config = ConfigDict(extra="forbid")

    channels: dict[str, ChannelConfig]
    rules: list[Rule] = Field(default_factory=list)
    operator_channels: list[str] | None = Field(
        default=None, description="channels for operator alerts (default: every channel)")
    operator: OperatorChecks = Field(default_factory=OperatorChecks)
    silences: list[Silence] = Field(default_factory=list)
    digest: bool = Field(default=False, description="group the alerts of one run per channel")

    @model_validator(mode="after")
    def _consistent(self) -> RulesFile:
        for name, channel in self.channels.items():
            if channel.type is None:
                if name not in ("email", "slack"):
                    raise ValueError(f"channel {name!r} needs `type: email` or `type: slack`")
                channel.type = cast(ChannelType, name)  # one of its values, checked above
            if channel.type == "email" and not channel.to:
                raise ValueError(f"email channel {name!r} needs at least one `to` address")
        unknown = [c for c in self.operator_channels or [] if c not in self.channels]
        if unknown:
            raise ValueError(f"operator_channels names undefined channel(s) {unknown}")
        names: set[str] = set()
        for rule in self.rules:
            if rule.name in names:
                raise ValueError(f"duplicate rule name {rule.name!r}")
            names.add(rule.name)
            missing = [c for c in rule.channels if c not in self.channels]
            if missing:
                raise ValueError(f"rule {rule.name!r} uses undefined channel(s) {missing}")
        for silence in self.silences:
            if silence.rule is not None and silence.rule not in names:
                raise ValueError(f"silence names unknown rule {silence.rule!r}")
        return self

    def silence_for(self, rule: str, actor: str | None, at: datetime) -> Silence | None:
        """The silence holding for an alert, if any."""
        return next((s for s in self.silences if s.covers(rule, actor, at)), None)


def load_rules(path: Path) -> RulesFile:
    """Load and validate the rules file (ConfigError on any problem)."""
    return load_model(path, RulesFile)
