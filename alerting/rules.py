"""The rules file (SPEC "Rules file"): channels and the thresholds that raise alerts."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from parsers.figure import METRICS, MODALITIES
from territory_watch.yaml_file import load_model


class ChannelConfig(BaseModel):
    """A delivery channel: an Airflow connection id plus, for email, the recipients."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["email", "slack"] | None = None
    connection: str = Field(min_length=1)
    to: list[str] = Field(default_factory=list)


class Rule(BaseModel):
    """Fire when a matching figure's value is above `above` or below `below`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    metric: list[str]
    actor: str | None = None
    above: float | None = None
    below: float | None = None
    channels: list[str] = Field(min_length=1)
    modality: list[str] = Field(default_factory=lambda: ["asserted", "claimed"])

    @field_validator("metric", mode="before")
    @classmethod
    def _metric_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("metric")
    @classmethod
    def _known_metrics(cls, metrics: list[str]) -> list[str]:
        unknown = [m for m in metrics if m not in METRICS]
        if unknown:
            raise ValueError(f"unknown metric(s) {unknown}; known: {', '.join(METRICS)}")
        return metrics

    @field_validator("modality", mode="before")
    @classmethod
    def _modality_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("modality")
    @classmethod
    def _known_modalities(cls, modalities: list[str]) -> list[str]:
        unknown = [m for m in modalities if m not in MODALITIES]
        if unknown:
            raise ValueError(f"unknown modality {unknown}; known: {', '.join(MODALITIES)}")
        return modalities

    @field_validator("actor")
    @classmethod
    def _canonical_actor(cls, actor: str | None) -> str | None:
        if actor is None:
            return None
        from parsers.figures.actors import canonical

        return canonical(actor) or actor

    @model_validator(mode="after")
    def _has_threshold(self) -> Rule:
        if self.above is None and self.below is None:
            raise ValueError(f"rule {self.name!r} needs `above` or `below`")
        return self

    def matches(self, actor: str, metric: str, value: float, modality: str) -> bool:
        """Whether a figure with these properties crosses this rule's threshold."""
        if metric not in self.metric or modality not in self.modality:
            return False
        if self.actor is not None and actor != self.actor:
            return False
        if self.above is not None and not value > self.above:
            return False
        return self.below is None or value < self.below


class RulesFile(BaseModel):
    """The whole rules file."""

    model_config = ConfigDict(extra="forbid")

    channels: dict[str, ChannelConfig]
    rules: list[Rule] = Field(default_factory=list)
    operator_channels: list[str] | None = Field(
        default=None, description="channels for operator alerts (default: every channel)")

    @model_validator(mode="after")
    def _consistent(self) -> RulesFile:
        for name, channel in self.channels.items():
            if channel.type is None:
                if name not in ("email", "slack"):
                    raise ValueError(f"channel {name!r} needs `type: email` or `type: slack`")
                channel.type = name  # type: ignore[assignment]
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
        return self


def load_rules(path: Path) -> RulesFile:
    """Load and validate the rules file (ConfigError on any problem)."""
    return load_model(path, RulesFile)
