"""The Figure record: one territorial-change figure reported by an article (SPEC "Figure")."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

Metric = Literal[
    "area_controlled",
    "area_gained",
    "area_lost",
    "share_controlled",
    "share_gained",
    "share_lost",
    "settlements_controlled",
    "settlements_gained",
    "settlements_lost",
]
Unit = Literal["km2", "percent", "count"]
Qualifier = Literal[
    "exact", "approx", "nearly", "more_than", "less_than", "at_least", "at_most", "range"
]
Modality = Literal["asserted", "claimed", "future", "conditional", "negated", "historical"]

METRICS: tuple[str, ...] = get_args(Metric)
MODALITIES: tuple[str, ...] = get_args(Modality)
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)

UNIT_OF_METRIC_KIND = {"area": "km2", "share": "percent", "settlements": "count"}


def unit_for(metric: str) -> str:
    """The normalised unit of a metric (`area_lost` -> `km2`)."""
    return UNIT_OF_METRIC_KIND[metric.split("_", 1)[0]]


@dataclass(frozen=True)
class Period:
    """The period of a change as written, plus ISO dates when derivable."""

    text: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Figure:
    """One figure, serialised to the SPEC's JSON by :meth:`to_json`."""

    actor: str
    metric: str
    value: float
    unit: str
    qualifier: str = "exact"
    value_max: float | None = None
    counterpart: str | None = None
    place: str | None = None
    period: Period | None = None
    modality: str = "asserted"
    sentence: str = ""
    speaker: str | None = None
    id: str | None = None
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The SPEC figure object (plain JSON types)."""
        data = asdict(self)
        data.pop("extra")
        return data
