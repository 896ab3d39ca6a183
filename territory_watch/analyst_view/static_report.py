"""`territory-watch report --out DIR`: the analyst view written as static HTML."""

from __future__ import annotations

from pathlib import Path

from storage import Store
from storage.pages import now
from territory_watch.analyst_view.data import ViewFilters, load_view
from territory_watch.analyst_view.page import render_view


def write_report(store: Store, out: Path, filters: ViewFilters | None = None) -> Path:
    """Write `out/index.html` (the folder is created); returns its path."""
    out.mkdir(parents=True, exist_ok=True)
    page = render_view(load_view(store, filters or ViewFilters(), now=now()), live=False)
    target = out / "index.html"
    partial = target.with_suffix(".html.part")
    partial.write_text(page, encoding="utf-8")
    partial.replace(target)
    return target
