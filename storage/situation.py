"""The situation of an actor in a place: the stock it holds over time (area, share or towns)
and the gains and losses reported along the way, for charts and the analyst view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from storage.comparable import CURRENT_MODALITIES
from storage.models import ArticleRow, FigureRow, SourceRow

KINDS = ("area", "share", "settlements")


@dataclass(frozen=True)
class Point:
    """One reported figure on the time line, with the article that reported it."""

    when: datetime
    metric: str
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    period: str | None
    sentence: str
    original: str | None
    url: str
    title: str | None
    source: str
    place: str | None = None

    @property
    def signed(self) -> float:
        """The value, negative for a loss."""
        return -self.value if self.metric.endswith("_lost") else self.value

    def to_json(self) -> dict[str, object]:
        """Plain JSON (ISO time) for alert payloads (the sentence stays in the store)."""
        return {"when": self.when.isoformat(), "metric": self.metric, "value": self.value,
                "value_max": self.value_max, "unit": self.unit, "qualifier": self.qualifier,
                "period": self.period, "original": self.original, "url": self.url,
                "title": self.title, "source": self.source, "place": self.place}


@dataclass(frozen=True)
class Situation:
    """Stock points and change events of one actor, place and kind, oldest first."""

    actor: str
    place: str | None
    kind: str
    stock: list[Point]
    events: list[Point]

    def to_json(self) -> dict[str, object]:
        return {"actor": self.actor, "place": self.place, "kind": self.kind,
                "stock": [p.to_json() for p in self.stock],
                "events": [p.to_json() for p in self.events]}


def _point(figure: FigureRow) -> Point:
    article = figure.article
    assert article.published is not None
    return Point(article.published, figure.metric, figure.value, figure.value_max, figure.unit,
                 figure.qualifier, figure.period_text, figure.sentence, figure.original,
                 article.url, article.title, article.source.title, figure.place)


def situation(session: Session, actor: str, place: str | None, kind: str, *,
              since: datetime | None = None, until: datetime | None = None,
              limit: int = 200, metric: str | None = None,
              stock_anywhere: bool = False) -> Situation:
    """The latest `limit` stock points and events up to `until` (inclusive), oldest first; a
    figure reported by several articles counts once (its first report). `metric` keeps only
    the figures of that metric. `stock_anywhere` (for a figure naming no place) takes the
    stock the actor holds in every place, each point naming its place."""
    same_place = FigureRow.place.is_(None) if place is None else FigureRow.place == place
    stock_metric = f"{kind}_controlled"
    metrics = [metric] if metric else [stock_metric, f"{kind}_gained", f"{kind}_lost"]
    where_place = or_(same_place, FigureRow.metric == stock_metric) if stock_anywhere else same_place
    stmt = (select(FigureRow).join(ArticleRow)
            .options(joinedload(FigureRow.article).joinedload(ArticleRow.source))
            .where(FigureRow.actor == actor, where_place, FigureRow.metric.in_(metrics),
                   FigureRow.modality.in_(CURRENT_MODALITIES), ArticleRow.published.is_not(None)))
    if since is not None:
        stmt = stmt.where(ArticleRow.published >= since)
    if until is not None:
        stmt = stmt.where(ArticleRow.published <= until)
    rows = session.scalars(stmt.order_by(ArticleRow.published.desc(), FigureRow.id.desc())
                           .limit(limit * 2)).all()
    first: dict[str, FigureRow] = {}
    for row in reversed(rows):  # oldest first: the first report of a figure wins
        first.setdefault(row.figure_key, row)
    points = sorted((_point(f) for f in first.values()), key=lambda p: p.when)
    stock = [p for p in points if p.metric.endswith("_controlled")][-limit:]
    events = [p for p in points if not p.metric.endswith("_controlled")][-limit:]
    return Situation(actor, place, kind, stock, events)


def tracked(session: Session, *, actor: str | None = None, metric: str | None = None,
            since: datetime | None = None, until: datetime | None = None,
            ) -> list[tuple[str, str | None, str]]:
    """(actor, place, kind) of every situation with figures matching the filters, sorted."""
    stmt = (select(FigureRow.actor, FigureRow.place, FigureRow.metric).join(ArticleRow)
            .join(SourceRow, ArticleRow.source_id == SourceRow.id)
            .where(FigureRow.modality.in_(CURRENT_MODALITIES), ArticleRow.published.is_not(None))
            .distinct())
    if actor:
        stmt = stmt.where(FigureRow.actor == actor)
    if metric:
        stmt = stmt.where(FigureRow.metric == metric)
    if since is not None:
        stmt = stmt.where(ArticleRow.published >= since)
    if until is not None:
        stmt = stmt.where(ArticleRow.published < until)
    found = {(a, p, m.split("_", 1)[0]) for a, p, m in session.execute(stmt)}
    return sorted(found, key=lambda t: (t[0], t[1] or "", KINDS.index(t[2])))
