"""Looking back from a figure: who else reported it, how many sources, recent alerts of its group.

The comparable earlier figure is in `storage.comparable`, the chart's series in `storage.situation`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.models import AlertRow, ArticleRow, FigureRow, SourceRow


def reporting_articles(session: Session, figure_key: str) -> list[ArticleRow]:
    """Every article reporting a figure, syndicated copies included, oldest first."""
    originals = select(FigureRow.article_id).where(FigureRow.figure_key == figure_key)
    stmt = (select(ArticleRow).where(or_(ArticleRow.id.in_(originals),
                                      ArticleRow.duplicate_of_id.in_(originals)))
            .order_by(ArticleRow.published, ArticleRow.id))
    return list(session.scalars(stmt))


def alerts_of_article(session: Session, article_id: int) -> list[AlertRow]:
    """Figure alerts raised for figures that an article reports."""
    keys = select(FigureRow.figure_key).where(FigureRow.article_id == article_id)
    stmt = (select(AlertRow).join(FigureRow, AlertRow.figure_id == FigureRow.id)
            .where(FigureRow.figure_key.in_(keys)))
    return list(session.scalars(stmt))


def source_count(session: Session, figure_key: str) -> int:
    """How many distinct sources reported a figure."""
    stmt = (select(func.count(func.distinct(SourceRow.id))).select_from(FigureRow)
            .join(ArticleRow).join(SourceRow, ArticleRow.source_id == SourceRow.id)
            .where(FigureRow.figure_key == figure_key))
    return session.scalar(stmt) or 0


def recent_alert(session: Session, group_key: str, at: datetime, window: timedelta) -> AlertRow | None:
    """An alert of the same group whose event lies within `window` of `at`."""
    stmt = (select(AlertRow).where(AlertRow.group_key == group_key,
                                AlertRow.occurred_at > at - window,
                                AlertRow.occurred_at < at + window)
            .limit(1))
    return session.scalar(stmt)
