"""Parsing the `--since/--until` arguments into timezone-aware UTC datetimes."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime


def parse_when(text: str) -> datetime:
    """'2017-10-01' or '2017-10-01T06:00:00+03:30' -> aware UTC datetime (naive = UTC)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO date or date-time: {text!r} (e.g. 2017-10-01 or 2017-10-01T06:00Z)"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
