"""The publication day many news sites put in their article URLs (/2017/10/13/slug)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

_URL_DATE_RE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)(?P<sep>[/-]?)(?P<m>0[1-9]|1[0-2]|(?<=[/-])[1-9])(?P=sep)"
    r"(?P<d>0[1-9]|[12]\d|3[01]|(?<=[/-])[1-9])(?=[/._-]|$)")


def date_from_url(url: str) -> datetime | None:
    """Midnight UTC of the day a URL's path names (/2017/10/13/, /2017-10-13-, /20171013/)."""
    match = _URL_DATE_RE.search(urlsplit(url).path)
    if match is None:
        return None
    try:
        return datetime(int(match["y"]), int(match["m"]), int(match["d"]), tzinfo=UTC)
    except ValueError:  # 2017/02/30
        return None
