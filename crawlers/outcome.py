"""Judging a crawl of one source from its counters (shared by the CLI and operator alerts)."""

from __future__ import annotations

from collections.abc import Mapping


def crawl_failed(counts: Mapping[str, object]) -> bool:
    """Nothing usable came from the source: no index was readable and no page arrived."""
    return counts.get("index_ok", 0) == 0 and counts.get("articles_fetched", 0) == 0 and (
        counts.get("index_failed", 0) > 0 or counts.get("index_requests", 0) == 0)  # type: ignore[operator]
