"""An article whose page carries no date counts as published when first fetched."""

from __future__ import annotations

import zlib
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from storage import Store
from storage.models import Article, Page
from storage.pages import ensure_source
from territory_watch.extraction import extract_pages
from territory_watch.sources import Source

UNDATED = (b"<html><body><article><h1>ISIS loses ground</h1><p>ISIS lost 5,841 square "
           b"kilometers of territory during the last month, the army said.</p></article>"
           b"</body></html>")


def test_undated_article_takes_its_fetch_time(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'tw.db'}")
    fetched = datetime(2017, 10, 13, 9, 0, tzinfo=timezone.utc)
    source = Source(name="plain", title="Plain", allowed_domains=["example.org"],
                    listings=["http://example.org/"])
    with store.session() as session:
        row = ensure_source(session, "plain", "Plain")
        session.add(Page(url="http://example.org/a", source_id=row.id, state="ok", failures=0,
                         raw=zlib.compress(UNDATED), content_hash="h", encoding="utf-8",
                         fetched_at=fetched))
    report = extract_pages(store, [source])
    assert report.articles == 1 and report.missing["published"] == 1
    with store.session() as session:
        article = session.scalars(select(Article)).one()
        assert article.published == fetched
        assert [(f.metric, f.value) for f in article.figures] == [("area_lost", 5841.0)]
