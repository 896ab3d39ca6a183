"""The chart of an alert: what an actor holds in a place over time (the stock analysts track),
with the gains and losses reported along the way marked as events (matplotlib, no display).

One series per unit: an area alert charts km² held, a share alert the percent held, a towns
alert the number held. Dates are written out ("13 Oct 2017"), whatever the span.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.dates import AutoDateLocator, DateFormatter, date2num  # noqa: E402
from matplotlib.figure import Figure as PlotFigure  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import FuncFormatter  # noqa: E402

from alerting.numbers import format_number, round_significant  # noqa: E402

UNIT_LABEL = {"area": "km² held", "share": "% held", "settlements": "towns and villages held"}
UNIT_SHORT = {"area": " km²", "share": "%", "settlements": ""}
KIND_WORDS = {"area": "area held", "share": "share held", "settlements": "towns and villages held"}
STOCK_COLOURS = ("#1f4e79", "#6a3d9a", "#b15928", "#33a02c")
LOSS_COLOUR, GAIN_COLOUR = "#b00020", "#2e7d32"


def chart_title(situation: dict[str, Any]) -> str:
    """'Islamic State: area held in Syria'."""
    place = f" in {situation['place']}" if situation.get("place") else " (places as reported)"
    return f"{situation.get('actor', '')}: {KIND_WORDS.get(situation.get('kind', ''), '')}{place}"


def _by_place(stock: list[dict[str, Any]], place: str | None) -> dict[str | None, list[dict[str, Any]]]:
    """Stock points per place, oldest first: one line each (a figure naming no place is
    charted against what the actor holds wherever it was reported)."""
    series: dict[str | None, list[dict[str, Any]]] = {}
    for point in stock:
        series.setdefault(point.get("place", place), []).append(point)
    return series


def _short(value: float) -> str:
    """A label: four significant digits at most (103,599.52 -> '103,600')."""
    return format_number(round_significant(value, 4) if abs(value) >= 1000 else round(value, 1))


def _date_format(span: timedelta) -> str:
    if span > timedelta(days=3 * 365):
        return "%Y"
    if span > timedelta(days=90):
        return "%b %Y"
    return "%d %b %Y"


def _when(point: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(point["when"]))


def render_chart(situation: dict[str, Any] | None) -> bytes | None:
    """PNG bytes of the situation's chart; None when it has no point at all."""
    figure = draw_chart(situation)
    if figure is None:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def draw_chart(situation: dict[str, Any] | None) -> PlotFigure | None:
    """The chart as a matplotlib figure: the stock held as a line, gains and losses as marked
    dates; None when the situation has no point at all."""
    if not situation:
        return None
    stock = sorted(situation.get("stock") or [], key=_when)
    events = sorted(situation.get("events") or [], key=_when)
    if not stock and not events:
        return None
    kind = str(situation.get("kind", ""))
    figure = PlotFigure(figsize=(5.6, 2.6), dpi=100)
    axes = figure.add_subplot()
    times = [_when(p) for p in stock + events]
    first, last = min(times), max(times)
    margin = max((last - first) * 0.08, timedelta(days=10))
    series = _by_place(stock, situation.get("place"))
    for number, (place, points) in enumerate(series.items()):
        xs = date2num([_when(p) for p in points])
        colour = STOCK_COLOURS[number % len(STOCK_COLOURS)]
        label = ("held (reported)" if place == situation.get("place")
                 else f"held in {place or 'unnamed place'}")
        axes.plot(xs, [p["value"] for p in points], marker="o", color=colour, linewidth=1.6,
                  markersize=4, label=label)
        latest = points[-1]
        axes.annotate(f"{_short(float(latest['value']))}{UNIT_SHORT.get(kind, '')}",
                      (xs[-1], latest["value"]), xytext=(4, 4), textcoords="offset points",
                      fontsize=7, color=colour)
    if stock:
        axes.set_ylim(bottom=0, top=max(p["value"] for p in stock) * 1.2)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: _short(y)))
    else:
        axes.text(0.5, 0.55, "no figure of what is held yet", transform=axes.transAxes,
                  ha="center", fontsize=8, color="#666")
    for event in events:
        loss = str(event["metric"]).endswith("_lost")
        colour = LOSS_COLOUR if loss else GAIN_COLOUR
        x = date2num(_when(event))
        axes.axvline(x, color=colour, linewidth=0.9, linestyle="--", alpha=0.8)
        label = f"{'−' if loss else '+'}{_short(float(event['value']))}{UNIT_SHORT.get(kind, '')}"
        axes.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -10),
                      textcoords="offset points", fontsize=7, color=colour, rotation=90,
                      va="top")
    axes.set_xlim(date2num(first - margin), date2num(last + margin))
    if not stock:
        axes.set_yticks([])
    axes.set_title(chart_title(situation), fontsize=9, loc="left")
    axes.set_ylabel(UNIT_LABEL.get(kind, ""), fontsize=8)
    axes.tick_params(labelsize=7)
    axes.grid(alpha=0.3)
    locator = AutoDateLocator(minticks=2, maxticks=5)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(DateFormatter(_date_format(last - first + 2 * margin)))
    metrics = {str(e["metric"]).rsplit("_", 1)[-1] for e in events}
    if "lost" in metrics:
        axes.plot([], [], color=LOSS_COLOUR, linestyle="--", linewidth=0.9, label="reported loss")
    if "gained" in metrics:
        axes.plot([], [], color=GAIN_COLOUR, linestyle="--", linewidth=0.9, label="reported gain")
    if stock or events:
        axes.legend(fontsize=6, loc="lower left", frameon=False)
    figure.tight_layout()
    return figure
