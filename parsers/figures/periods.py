"""Time expressions of a change ("during the last month", "since January", "in 2016") with ISO
start/end derived from the publication date.

Conventions: "during/over/in the last/past N <unit>" is a rolling window ending on the
publication date (a month is one calendar month back, same day); a bare "last week/month/year"
is the previous calendar week (Mon-Sun)/month/year; "this month/year" runs from its first day to
the publication date; "since X" runs from X to the publication date; "in <month>" is the latest
such month not after publication; "in <year>" is that calendar year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..figure import Period
from .numbers import WORD_NUMBER, parse_number

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH_RE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_UNIT = r"(?:day|week|fortnight|month|year|24 hours|48 hours)"
_N = rf"(?:\d+|{WORD_NUMBER}|few|several|couple of)"

_ROLLING_RE = re.compile(
    rf"\b(?:during|over|in|within|for|throughout)\s+(?:the\s+)?(?:last|past|previous)\s+"
    rf"(?:(?P<n>{_N})\s+)?(?P<unit>{_UNIT})s?\b", re.I)
_CAL_RE = re.compile(r"(?<!the )\b(?P<rel>last|this|previous)\s+(?P<unit>week|month|year)\b", re.I)
_SINCE_RE = re.compile(
    rf"\bsince\s+(?:(?:early|mid-|late)\s*)?(?:(?P<month>{_MONTH_RE})(?:\s+(?P<my>(?:19|20)\d\d))?"
    rf"|(?P<year>(?:19|20)\d\d)|the\s+(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?(?P<su>year|month)"
    rf"|the\s+(?:start|beginning|launch)\s+of\s+the\s+(?:operation|offensive|campaign|war|invasion))",
    re.I)
_IN_MONTH_RE = re.compile(
    rf"\b(?:in|during|throughout)\s+(?:(?:early|mid-|late)\s*)?(?P<month>{_MONTH_RE})"
    rf"(?:\s+(?P<year>(?:19|20)\d\d))?\b")
#: substrings each expression needs (cheap gates before the regexes)
_ROLLING_KEYS = ("last", "past", "previous")
_CAL_KEYS = ("last", "this", "previous")
_MONTH_NAMES = tuple(m for m in calendar.month_name if m)
_IN_YEAR_RE = re.compile(
    r"\b(?:[Ii]n|[Dd]uring|[Tt]hroughout|[Bb]y|[Uu]ntil|[Bb]efore|[Aa]t\s+the\s+(?:start|end|beginning|height"
        r"|peak)\s+of)"
    r"\s+(?:(?:early|mid|late|the\s+(?:spring|summer|autumn|fall|winter|end|start)\s+of"
        r"|[A-Z][a-z]+(?:\s+\d{1,2},?)?)[\s-]+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?!\s*(?:sq|square|km))")


def _minus_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _iso(a: dt.date | None, b: dt.date | None) -> tuple[str | None, str | None]:
    return (a.isoformat() if a else None, b.isoformat() if b else None)


def _rolling(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    if pub is None:
        return None, None
    raw = (m.group("n") or "1").lower()
    n = 3 if raw in ("few", "several") else 2 if raw == "couple of" else int(parse_number(raw) or 1)
    unit = m.group("unit").lower()
    if unit.startswith("24"):
        return pub - dt.timedelta(days=1), pub
    if unit.startswith("48"):
        return pub - dt.timedelta(days=2), pub
    days = {"day": 1, "week": 7, "fortnight": 14}.get(unit)
    if days:
        return pub - dt.timedelta(days=days * n), pub
    if unit == "month":
        return _minus_months(pub, n), pub
    return _minus_months(pub, 12 * n), pub


def _calendar(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    if pub is None:
        return None, None
    rel, unit = m.group("rel").lower(), m.group("unit").lower()
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday())
        if rel == "this":
            return monday, pub
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)
    if unit == "month":
        if rel == "this":
            return pub.replace(day=1), pub
        prev = _minus_months(pub.replace(day=1), 1)
        return _month_span(prev.year, prev.month)
    if rel == "this":
        return dt.date(pub.year, 1, 1), pub
    return dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31)


def _latest_month(month: int, year: int | None, pub: dt.date | None) -> int | None:
    if year is not None:
        return year
    if pub is None:
        return None
    return pub.year if month <= pub.month else pub.year - 1


def _since(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    if m.group("year"):
        return dt.date(int(m.group("year")), 1, 1), pub
    if m.group("month"):
        month = _MONTHS[m.group("month").lower()]
        year = _latest_month(month, int(m.group("my")) if m.group("my") else None, pub)
        return (dt.date(year, month, 1) if year else None), pub
    if m.group("su") and pub:
        return (pub.replace(month=1, day=1) if m.group("su").lower() == "year" else pub.replace(day=1)), pub
    return None, pub


def find_period(sentence: str, published: dt.date | None) -> Period | None:
    """The first period expression in `sentence`, or None."""
    best: tuple[int, Period] | None = None
    low = sentence.lower()
    for regex, fn, keys in ((_ROLLING_RE, _rolling, _ROLLING_KEYS), (_SINCE_RE, _since, ("since",)),
                            (_CAL_RE, _calendar, _CAL_KEYS)):
        m = regex.search(sentence) if any(k in low for k in keys) else None
        if m and (best is None or m.start() < best[0]):
            start, end = fn(m, published)
            best = (m.start(), Period(m.group(0), *_iso(start, end)))
    if best:
        return best[1]
    m = _IN_MONTH_RE.search(sentence) if any(k in sentence for k in _MONTH_NAMES) else None
    if m:
        month = _MONTHS[m.group("month").lower()]
        year = _latest_month(month, int(m.group("year")) if m.group("year") else None, published)
        span = _month_span(year, month) if year else (None, None)
        return Period(m.group(0), *_iso(*span))
    m = _IN_YEAR_RE.search(sentence) if "19" in sentence or "20" in sentence else None
    if m:
        year = int(m.group("year"))
        return Period(m.group(0), *_iso(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return None


def years_back(sentence: str, published: dt.date | None) -> int:
    """How many years before publication the sentence dates itself at most ("in 2014" in a 2019
    article: 5; 0 when it names no earlier year or the publication date is unknown)."""
    if published is None or "19" not in sentence and "20" not in sentence:
        return 0
    years = [int(m.group("year")) for m in _IN_YEAR_RE.finditer(sentence)]
    years += [int(y) for y in re.findall(r"\b(?:in|of|since|from)\s+((?:19|20)\d\d)\b", sentence)]
    return max([published.year - y for y in years if y < published.year], default=0)


def past_year_in(sentence: str, published: dt.date | None) -> bool:
    """True when the sentence dates itself to a year before publication ("in 2014")."""
    if "19" not in sentence and "20" not in sentence:
        return False
    for m in _IN_YEAR_RE.finditer(sentence):
        if published is None or int(m.group("year")) < published.year:
            return True
    return False
