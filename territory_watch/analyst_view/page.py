"""The analyst view as one HTML page (Jinja2, autoescaped: article text is never markup)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from alerting.numbers import honest_amount
from parsers.figure import METRICS
from storage.situation import Point, Situation
from territory_watch.analyst_view.data import ViewData
from territory_watch.analyst_view.svg_chart import ChartLayout, layout

KIND_WORDS = {"area": "area held", "share": "share held", "settlements": "towns and villages held"}
VERBS = {"controlled": "holds", "gained": "gained", "lost": "lost"}


def safe_url(url: object) -> str:
    """An http(s) URL as given; anything else (javascript:, data:) becomes '#'."""
    text = str(url or "")
    return text if urlsplit(text).scheme in ("http", "https") else "#"


_env = Environment(loader=PackageLoader("territory_watch.analyst_view", "templates"),
                   autoescape=select_autoescape(enabled_extensions=("html.j2",), default=True),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["safe_url"] = safe_url


@dataclass(frozen=True)
class FigureLine:
    """A row of a situation's table."""

    when: str
    text: str
    url: str
    source: str
    title: str | None
    sentence: str


@dataclass(frozen=True)
class SituationChart:
    situation: Situation
    chart: ChartLayout
    rows: list[FigureLine]


def _line(point: Point) -> FigureLine:
    verb = VERBS[point.metric.rsplit("_", 1)[1]]
    amount = honest_amount({"value": point.value, "value_max": point.value_max,
                            "unit": point.unit, "qualifier": point.qualifier,
                            "original": point.original, "sentence": point.sentence})
    period = f" {point.period}" if point.period else ""
    return FigureLine(point.when.date().isoformat(), f"{verb} {amount}{period}", point.url,
                      point.source, point.title, point.sentence)


def render_view(data: ViewData, *, live: bool) -> str:
    """The page; `live` adds the filter form (the plugin), the static report has none."""
    charts = []
    for situation in data.situations:
        chart = layout(situation)
        if chart is not None:
            rows = sorted(situation.stock + situation.events, key=lambda p: p.when, reverse=True)
            charts.append(SituationChart(situation, chart, [_line(p) for p in rows]))
    return _env.get_template("view.html.j2").render(
        data=data, charts=charts, live=live, metrics=METRICS, kind_words=KIND_WORDS)
