"""Judging a crawl of one source from its counters (shared by the CLI and operator alerts)."""

from __future__ import annotations

from collections.abc import Mapping


def crawl_problem(counts: Mapping[str, object]) -> str | None:
    """Why a crawl of one source failed, or None when it did not."""
    lost = int(counts.get("archive_write_errors", 0))  # type: ignore[call-overload]
    if lost:
        return f"{lost} fetched pages could not be stored (fetched again next run)"
    if counts.get("index_ok", 0) == 0 and counts.get("articles_fetched", 0) == 0 and (
            counts.get("index_failed", 0) > 0 or counts.get("index_requests", 0) == 0):  # type: ignore[operator]
        if counts.get("retry_after_backoffs", 0):
            return "the site asked for a long pause (Retry-After); left for the next run"
        return "no feed, sitemap or listing usable"
    return None
