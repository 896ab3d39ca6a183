"""The geometry of a situation's SVG chart: the stock held as a line of points and the reported
gains and losses as marked dates, each linking to its article; the template draws it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerting.numbers import honest_amount
from storage.situation import Point, Situation

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 18, 34
UNIT_LABEL = {"area": "km² held", "share": "% held", "settlements": "towns and villages held"}


@dataclass(frozen=True)
class Mark:
    """A point or an event on the chart, with what a person reads and where it links."""

    x: float
    y: float
    label: str
    url: str
    source: str
    title: str | None
    when: str
    loss: bool = False


@dataclass(frozen=True)
class ChartLayout:
    """Everything the template needs to draw one chart."""

    width: int
    height: int
    path: str
    stock: list[Mark]
    events: list[Mark]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    y_label: str
    plot: tuple[float, float, float, float]  # left, top, right, bottom


def _nice_step(top: float) -> float:
    raw = top / 4 if top > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _date_label(when: datetime, span: timedelta) -> str:
    if span > timedelta(days=3 * 365):
        return when.strftime("%Y")
    if span > timedelta(days=90):
        return when.strftime("%b %Y")
    return when.strftime("%d %b %Y")


def calendar_ticks(start: datetime, end: datetime, most: int = 7) -> list[datetime]:
    """Tick dates on calendar boundaries: years, months, or days, at most `most` of them."""
    span = end - start
    if span > timedelta(days=3 * 365):
        candidates = [start.replace(year=y, month=1, day=1, hour=0, minute=0, second=0,
                                    microsecond=0) for y in range(start.year + 1, end.year + 1)]
    elif span > timedelta(days=90):
        candidates, year, month = [], start.year, start.month
        while True:
            month, year = (1, year + 1) if month == 12 else (month + 1, year)
            tick = start.replace(year=year, month=month, day=1, hour=0, minute=0, second=0,
                                 microsecond=0)
            if tick > end:
                break
            candidates.append(tick)
    else:
        first = start.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        candidates = [first + timedelta(days=d) for d in range((end - first).days + 1)]
    step = max(1, math.ceil(len(candidates) / most))
    return candidates[::step]


def _figure_dict(point: Point) -> dict[str, object]:
    return {"value": point.value, "value_max": point.value_max, "unit": point.unit,
            "qualifier": point.qualifier, "original": point.original, "sentence": point.sentence}


def layout(situation: Situation) -> ChartLayout | None:
    """The chart of a situation; None when it has no point."""
    points = situation.stock + situation.events
    if not points:
        return None
    first, last = min(p.when for p in points), max(p.when for p in points)
    margin = max((last - first) * 0.06, timedelta(days=10))
    start, end = first - margin, last + margin
    span = end - start
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    top_value = max((p.value for p in situation.stock), default=1.0) * 1.15 or 1.0
    step = _nice_step(top_value)
    top_value = math.ceil(top_value / step) * step

    def x_of(when: datetime) -> float:
        return round(LEFT + (when - start) / span * (right - LEFT), 1)

    def y_of(value: float) -> float:
        return round(bottom - value / top_value * (bottom - TOP), 1)

    stock = [Mark(x_of(p.when), y_of(p.value), honest_amount(_figure_dict(p)), p.url, p.source,
                  p.title, p.when.date().isoformat()) for p in situation.stock]
    events = [Mark(x_of(p.when), TOP, ("−" if p.metric.endswith("_lost") else "+")
                   + honest_amount(_figure_dict(p)) + (f" {p.period}" if p.period else ""),
                   p.url, p.source, p.title, p.when.date().isoformat(),
                   loss=p.metric.endswith("_lost")) for p in situation.events]
    path = " ".join(f"{'M' if i == 0 else 'L'}{m.x},{m.y}" for i, m in enumerate(stock))
    x_ticks = [(x_of(when), _date_label(when, span)) for when in calendar_ticks(start, end)]
    digits = len(f"{step:g}".partition(".")[2])  # 2.5 -> 1, 0.25 -> 2, 1000 -> 0
    y_ticks = [(y_of(step * i), f"{step * i:,.{digits}f}")
               for i in range(int(round(top_value / step)) + 1)] if situation.stock else []
    return ChartLayout(WIDTH, HEIGHT, path, stock, events, x_ticks, y_ticks,
                       UNIT_LABEL.get(situation.kind, ""), (LEFT, TOP, right, bottom))
