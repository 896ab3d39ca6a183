"""Looking back from a figure: the previous value, the series for a chart, who else reported it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Alert, Article, Figure, SourceRow

CURRENT_MODALITIES = ("asserted", "claimed")


def _same_series(figure: Figure) -> Select[tuple[Figure]]:
    place = Figure.place.is_(None) if figure.place is None else Figure.place == figure.place
    return (select(Figure).join(Article)
            .where(Figure.actor == figure.actor, Figure.metric == figure.metric, place,
                   Figure.modality.in_(CURRENT_MODALITIES), Article.published.is_not(None)))


def previous_figure(session: Session, figure: Figure) -> Figure | None:
    """The latest other claim of the same actor, metric and place published before this one."""
    published = figure.article.published
    if published is None:
        return None
    stmt = (_same_series(figure)
            .where(Article.published < published, Figure.claim_key != figure.claim_key)
            .order_by(Article.published.desc(), Figure.id.desc()).limit(1))
    return session.scalar(stmt)


def series(session: Session, figure: Figure, limit: int = 24) -> list[tuple[datetime, float]]:
    """(published, value) of the same actor, metric and place up to this figure, oldest first."""
    published = figure.article.published
    if published is None:
        return []
    stmt = (_same_series(figure).where(Article.published <= published)
            .order_by(Article.published.desc(), Figure.id.desc()).limit(limit))
    points = {(f.article.published, f.value) for f in session.scalars(stmt)}
    return sorted(points)


def reporting_articles(session: Session, claim_key: str) -> list[Article]:
    """Every article reporting a claim, syndicated copies included, oldest first."""
    originals = select(Figure.article_id).where(Figure.claim_key == claim_key)
    stmt = (select(Article).where(or_(Article.id.in_(originals),
                                      Article.duplicate_of_id.in_(originals)))
            .order_by(Article.published, Article.id))
    return list(session.scalars(stmt))


def alerts_of_article(session: Session, article_id: int) -> list[Alert]:
    """Figure alerts raised for claims that an article reports."""
    keys = select(Figure.claim_key).where(Figure.article_id == article_id)
    stmt = (select(Alert).join(Figure, Alert.figure_id == Figure.id)
            .where(Figure.claim_key.in_(keys)))
    return list(session.scalars(stmt))


def source_count(session: Session, claim_key: str) -> int:
    """How many distinct sources reported a claim."""
    stmt = (select(func.count(func.distinct(SourceRow.id))).select_from(Figure)
            .join(Article).join(SourceRow, Article.source_id == SourceRow.id)
            .where(Figure.claim_key == claim_key))
    return session.scalar(stmt) or 0


def recent_alert(session: Session, group_key: str, at: datetime, window: object) -> Alert | None:
    """An alert of the same group whose event lies within `window` of `at`."""
    stmt = (select(Alert).where(Alert.group_key == group_key,
                                Alert.occurred_at > at - window,  # type: ignore[operator]
                                Alert.occurred_at < at + window)  # type: ignore[operator]
            .limit(1))
    return session.scalar(stmt)
