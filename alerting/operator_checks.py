"""The pipeline watching itself: sources whose crawl failed, sources with no new articles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from alerting.operator import raise_operator_alert
from alerting.rules import RulesFile
from crawlers.outcome import crawl_problem
from storage import Store
from storage.models import Article, CrawlRun, SourceRow
from storage.pages import now


def check_sources(store: Store, rules: RulesFile, sources: list[str], *,
                  at: datetime | None = None, run_id: str | None = None) -> list[int]:
    """Raise (once a day per source and problem) operator alerts; returns the new alert ids."""
    at = at or now()
    day = at.date().isoformat()
    raised: list[int] = []
    stale_after = rules.operator.no_articles_after
    with store.session() as session:
        for name in sources:
            source = session.scalar(select(SourceRow).where(SourceRow.name == name))
            if source is None:
                continue
            last_run = session.scalar(select(CrawlRun).where(CrawlRun.source_id == source.id)
                                      .order_by(CrawlRun.id.desc()).limit(1))
            problem = crawl_problem(last_run.stats or {}) if last_run is not None else None
            if last_run is not None and problem is not None:
                errors = (last_run.stats or {}).get("index_errors", [])
                raised.append(raise_operator_alert(
                    store, rules, kind="crawl_failed", key=f"{name}|{day}", run_id=run_id,
                    subject=f"Crawl of {source.title} failed: {problem}",
                    details={"source": name, "errors": "; ".join(errors[:5])}))
            if stale_after is None:
                continue
            latest = session.scalar(select(func.max(Article.parsed_at))
                                    .where(Article.source_id == source.id))
            if latest is not None and at - latest > stale_after:
                raised.append(raise_operator_alert(
                    store, rules, kind="no_new_articles", key=f"{name}|{day}", run_id=run_id,
                    subject=f"No new articles from {source.title} since {latest.date()}",
                    details={"source": name, "last_new_article": latest.isoformat()}))
    return [i for i in raised if i is not None]
