"""Articles and their figures: replacing a page's parse, querying stored figures."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from parsers.article import Article as ParsedArticle
from parsers.figure import Figure as ParsedFigure
from storage.models import ArticleRow, FigureRow, PageRow, SourceRow
from storage.pages import now


def figure_key(figure: ParsedFigure) -> str:
    """Identity of a figure across articles and sources (same actor, metric, value, place, period)."""
    period = figure.period
    parts = (figure.actor, figure.metric, f"{figure.value:.6g}",
             f"{figure.value_max:.6g}" if figure.value_max is not None else "",
             figure.qualifier, (figure.place or "").lower(), figure.modality,
             (period.start or "") if period else "", (period.end or "") if period else "")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def save_parse(
    session: Session, page: PageRow, parsed: ParsedArticle, published: datetime | None,
    figures: Sequence[ParsedFigure],
) -> ArticleRow:
    """Store (or replace) the article of `page` with its figures; marks the page parsed."""
    article = session.scalar(select(ArticleRow).where(ArticleRow.page_id == page.id))
    if article is None:
        article = ArticleRow(page_id=page.id, source_id=page.source_id)
        session.add(article)
    article.url = page.url
    article.title = parsed.title
    article.published = published
    article.body = parsed.body
    article.body_hash = hashlib.sha256(parsed.body.encode()).hexdigest()
    article.parsed_at = now()
    article.figures = [figure_row(f) for f in figures]
    page.parsed_hash = page.content_hash
    return article


def figure_row(figure: ParsedFigure) -> FigureRow:
    """The stored row of an extracted figure."""
    return FigureRow(
        actor=figure.actor, counterpart=figure.counterpart, metric=figure.metric,
        value=figure.value, value_max=figure.value_max, unit=figure.unit,
        qualifier=figure.qualifier, place=figure.place,
        period_text=figure.period.text if figure.period else None,
        period_start=figure.period.start if figure.period else None,
        period_end=figure.period.end if figure.period else None,
        modality=figure.modality, sentence=figure.sentence, speaker=figure.speaker,
        original=written_quantity(figure), figure_key=figure_key(figure),
    )


def written_quantity(figure: ParsedFigure) -> str | None:
    """The quantity as the text wrote it, when the figure engine provides it (an `original`
    attribute or `extra["original"]`, text or {"text": ...}); else None."""
    given = getattr(figure, "original", None) or figure.extra.get("original")
    if isinstance(given, dict):
        given = given.get("text")
    return str(given)[:200] if given else None


def figures_query(
    *, since: datetime | None = None, until: datetime | None = None,
    actor: str | None = None, metrics: Sequence[str] | None = None,
    sources: Sequence[str] | None = None, parsed_since: datetime | None = None,
) -> Select[FigureRow]:
    """Stored figures of articles published in `[since, until)`, oldest first.

    With `parsed_since`, articles parsed since then and published before `until` count too
    (late arrivals of earlier windows).
    """
    stmt = _in_window(select(FigureRow).join(ArticleRow), since, until, sources, parsed_since)
    if actor:
        stmt = stmt.where(FigureRow.actor == actor)
    if metrics:
        stmt = stmt.where(FigureRow.metric.in_(list(metrics)))
    return stmt.order_by(ArticleRow.published, FigureRow.id)


def _in_window(stmt: Select, since: datetime | None, until: datetime | None,
               sources: Sequence[str] | None, parsed_since: datetime | None = None) -> Select:
    """`stmt` (over ArticleRow) limited to articles of `sources` published in `[since, until)`,
    or parsed since `parsed_since` and published before `until`."""
    stmt = stmt.join(SourceRow, ArticleRow.source_id == SourceRow.id)
    if since is not None:
        recent = ArticleRow.published >= since
        if parsed_since is not None:
            recent = or_(recent, ArticleRow.parsed_at >= parsed_since)
        stmt = stmt.where(recent)
    if until is not None:
        stmt = stmt.where(ArticleRow.published < until)
    if sources:
        stmt = stmt.where(SourceRow.name.in_(list(sources)))
    return stmt


def syndicated_copies(
    *, since: datetime | None = None, until: datetime | None = None,
    sources: Sequence[str] | None = None,
) -> Select[ArticleRow]:
    """Articles published in `[since, until)` that are copies of an earlier article."""
    stmt = _in_window(select(ArticleRow).where(ArticleRow.duplicate_of_id.is_not(None)),
                      since, until, sources)
    return stmt.order_by(ArticleRow.published, ArticleRow.id)


def figure_json(figure: FigureRow) -> dict[str, object]:
    """A stored figure as the SPEC's figure JSON (plus article and source for context)."""
    article = figure.article
    period = None
    if figure.period_text or figure.period_start:
        period = {"text": figure.period_text, "start": figure.period_start,
                  "end": figure.period_end}
    return {
        "actor": figure.actor, "counterpart": figure.counterpart, "metric": figure.metric,
        "value": figure.value, "value_max": figure.value_max, "unit": figure.unit,
        "qualifier": figure.qualifier, "place": figure.place, "period": period,
        "modality": figure.modality, "sentence": figure.sentence, "speaker": figure.speaker,
        "original": figure.original, "id": str(article.id), "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source.name, "title": article.title,
    }
