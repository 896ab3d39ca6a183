"""A small PNG chart of an actor's figure over time, for alert emails (matplotlib, no display)."""

from __future__ import annotations

import io
from datetime import datetime

import matplotlib

matplotlib.use("Agg")

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num  # noqa: E402
from matplotlib.figure import Figure as PlotFigure  # noqa: E402  (after choosing the backend)

UNIT_LABEL = {"km2": "km²", "percent": "%", "count": "towns and villages"}


def render_chart(history: list[list[object]], title: str, unit: str) -> bytes | None:
    """PNG bytes of the series `[[iso_time, value], ...]`; None with fewer than two points."""
    points = sorted((datetime.fromisoformat(str(t)), float(v)) for t, v in history)  # type: ignore[arg-type]
    if len(points) < 2:
        return None
    figure = PlotFigure(figsize=(5.2, 2.2), dpi=100)
    axes = figure.add_subplot()
    axes.plot(date2num([p[0] for p in points]), [p[1] for p in points], marker="o", color="#b00020",
              linewidth=1.5, markersize=3)
    axes.set_title(title, fontsize=9, loc="left")
    axes.set_ylabel(UNIT_LABEL.get(unit, unit), fontsize=8)
    axes.tick_params(labelsize=7)
    axes.grid(alpha=0.3)
    locator = AutoDateLocator(maxticks=6)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
