"""Like with like: the earlier figure a new one may be compared with, or why there is none.

An as-of stock (`*_controlled`) is compared with the previous stock of the same actor, metric and
place. A change (`*_gained`, `*_lost`) is compared only with an earlier change of the same actor,
metric and place over a period of about the same length (a loss "during the last month" with the
loss of an earlier month, never with a loss "since 2014"); a change over an unknown period has
nothing comparable. Historical, future, conditional and negated figures never count.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from storage.models import ArticleRow, FigureRow

CURRENT_MODALITIES = ("asserted", "claimed")
#: periods are comparable when their lengths differ by at most this share (and at least MIN_DAYS)
PERIOD_TOLERANCE = 0.25
MIN_TOLERANCE_DAYS = 3
CANDIDATES = 200


def is_stock(metric: str) -> bool:
    """Whether a metric is an as-of stock (held) rather than a change (gained or lost)."""
    return metric.endswith("_controlled")


def period_days(figure: FigureRow) -> int | None:
    """Length of a figure's period in days, when its ISO start and end are known."""
    if not figure.period_start or not figure.period_end:
        return None
    try:
        days = (date.fromisoformat(figure.period_end[:10])
                - date.fromisoformat(figure.period_start[:10])).days
    except ValueError:
        return None
    return days if days > 0 else None


def comparable_periods(a: int, b: int) -> bool:
    """Whether two period lengths (days) are about the same."""
    return abs(a - b) <= max(MIN_TOLERANCE_DAYS, PERIOD_TOLERANCE * max(a, b))


def _earlier_of_same_series(figure: FigureRow) -> Select[FigureRow]:
    published = figure.article.published
    place = FigureRow.place.is_(None) if figure.place is None else FigureRow.place == figure.place
    return (select(FigureRow).join(ArticleRow)
            .where(FigureRow.actor == figure.actor, FigureRow.metric == figure.metric, place,
                   FigureRow.modality.in_(CURRENT_MODALITIES), ArticleRow.published.is_not(None),
                   ArticleRow.published < published, FigureRow.figure_key != figure.figure_key)
            .order_by(ArticleRow.published.desc(), FigureRow.id.desc()))


def _where(figure: FigureRow) -> str:
    return f"{figure.actor}" + (f" in {figure.place}" if figure.place else "")


def comparable_previous(session: Session, figure: FigureRow) -> tuple[FigureRow | None, str | None]:
    """(the latest earlier comparable figure, None), or (None, why nothing is comparable)."""
    kind = figure.metric.split("_", 1)[0]
    what = {"area": "area", "share": "share", "settlements": "number of towns and villages"}[kind]
    if figure.article.published is None:
        return None, "No comparable earlier figure: the article has no date."
    if is_stock(figure.metric):
        previous = session.scalar(_earlier_of_same_series(figure).limit(1))
        return (previous, None) if previous else (
            None, f"No earlier figure of the {what} held by {_where(figure)}.")
    days = period_days(figure)
    direction = figure.metric.split("_", 1)[1]
    if days is None:
        period = f' ("{figure.period_text}")' if figure.period_text else ""
        return None, (f"Not compared: the period of this change{period} is not known, so no "
                      f"earlier figure is comparable.")
    for candidate in session.scalars(_earlier_of_same_series(figure).limit(CANDIDATES)):
        other = period_days(candidate)
        if other is not None and comparable_periods(days, other):
            return candidate, None
    return None, (f"No earlier {what} {direction} by {_where(figure)} over a comparable period "
                  f"({period_words(days)}) to compare with.")


def period_words(days: int) -> str:
    """A period length as people say it: '12 days', 'about a month', 'about 4 years'."""
    if days < 21:
        return f"{days} days"
    if days < 75:
        return "about a month" if 25 <= days <= 35 else f"about {round(days / 7)} weeks"
    if days < 700:
        return f"about {round(days / 30.4)} months"
    return f"about {round(days / 365.25)} years"
