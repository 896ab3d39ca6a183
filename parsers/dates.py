"""Free-text dates (metadata values, listing labels) -> timezone-aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

from dateutil import parser as dateparser

EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


def parse_date(text: str) -> datetime | None:
    """A timezone-aware UTC datetime from free text (naive values are taken as UTC)."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())  # the usual metadata form, fast
    except ValueError:
        try:
            value = dateparser.parse(text, fuzzy=True)
        except (ValueError, OverflowError):
            return None
    if value is None or not (EARLIEST_YEAR <= value.year <= LATEST_YEAR):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
