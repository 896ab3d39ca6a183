"""Putting articles and figures straight into a real store, for rule-evaluation tests."""

from __future__ import annotations

from datetime import UTC, datetime

from parsers.article import Article as ParsedArticle
from parsers.figure import Figure as ParsedFigure
from parsers.figure import Period, unit_for
from storage import Store
from storage.articles import save_parse
from storage.models import PageRow
from storage.pages import ensure_source


def add_article(store: Store, source: str, url: str, published: str,
                figures: list[tuple[str, str, float]], place: str | None = None,
                modality: str = "asserted", period: Period | None = None,
                sentence: str | None = None, title: str | None = None,
                qualifier: str = "exact") -> None:
    """One article of `source` published at `published` (ISO) with (actor, metric, value) figures
    (all with the same place, modality, period, sentence and qualifier when given)."""
    when = datetime.fromisoformat(published).replace(tzinfo=UTC)
    with store.session() as session:
        row = ensure_source(session, source, source.title())
        page = PageRow(url=url, source_id=row.id, failures=0, state="ok", content_hash=url)
        session.add(page)
        session.flush()
        parsed = ParsedArticle(title=title or f"Article {url}", published=when, body="...",
                               url=url)
        found = [ParsedFigure(actor=a, metric=m, value=v, unit=unit_for(m), place=place,
                              modality=modality, period=period, qualifier=qualifier,
                              sentence=sentence or f"{a} {m} {v}")
                 for a, m, v in figures]
        save_parse(session, page, parsed, when, found)
