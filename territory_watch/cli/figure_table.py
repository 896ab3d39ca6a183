"""Stored figures as a fixed-width text table."""

from __future__ import annotations

from typing import Any

from alerting.wording import format_amount

COLUMNS = ("published", "source", "actor", "metric", "amount", "place", "modality")


def format_table(rows: list[dict[str, Any]]) -> str:
    """A table with one line per figure (or a note when there are none)."""
    if not rows:
        return "no figures"
    cells = [[(r.get("published") or "")[:10], r.get("source") or "", r["actor"], r["metric"],
              format_amount(r), r.get("place") or "", r["modality"]] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(COLUMNS)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(COLUMNS, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)) for c in cells]
    return "\n".join(line.rstrip() for line in lines)
