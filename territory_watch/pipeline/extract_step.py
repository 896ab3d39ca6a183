"""The extract step: archived pages -> articles -> figures, stored. Re-runnable offline.

Each page is read with its source's selector chain (the sets whose date range covers the
page's day first; the generic extractor when no set yields title, date and body). Which set
gave the article and what the others lacked go to `pages.selector_set` and
`pages.selector_misses`, what the article still lacks to `pages.parse_missing`, for the
parser-health check. A page whose parse finds no body at all keeps its former article, if
any, and stays unparsed, so it is parsed again once the source's selectors are fixed.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crawlers.sources import Source
from parsers.article import ArticleParseError, parse_article
from parsers.figures import extract_figures
from parsers.url_date import date_from_url
from storage import Store
from storage.articles import save_parse
from storage.duplicates import mark_duplicate
from storage.models import ArticleRow, PageRow
from storage.pages import misses_text, pages_to_parse, raw_html

log = logging.getLogger(__name__)


@dataclass
class ExtractReport:
    """What the extract step did; `missing_by_source` counts pages lacking each part."""

    pages: int = 0
    articles: int = 0
    figures: int = 0
    duplicates: int = 0
    unparseable: list[str] = field(default_factory=list)
    missing: Counter[str] = field(default_factory=Counter)
    parsed_by_source: Counter[str] = field(default_factory=Counter)
    missing_by_source: dict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter))
    health_alerts: list[str] = field(default_factory=list)


def decode_page(page: PageRow) -> str:
    """The archived HTML as text, in the encoding detected at fetch time."""
    raw = raw_html(page)
    try:
        return raw.decode(page.encoding or "utf-8", errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def extract_pages(store: Store, sources: list[Source], *, reparse: bool = False) -> ExtractReport:
    """Parse every archived page of `sources` not yet parsed in its current version."""
    by_name = {s.name: s for s in sources}
    report = ExtractReport()
    with store.session() as session:
        queue = pages_to_parse(session, list(by_name), reparse=reparse)
    done: set[int] = set()
    while queue:
        page_id = queue.pop(0)
        if page_id in done:
            continue
        done.add(page_id)
        try:
            with store.session() as session:
                page = session.get(PageRow, page_id)
                assert page is not None
                queue += _extract_page(session, page, by_name[page.source.name], report)
        except IntegrityError:  # a concurrent run (e.g. a parallel backfill) parsed it first
            report.pages -= 1
            log.info("page %s parsed concurrently by another run", page_id)
    return report


def _extract_page(session: Session, page: PageRow, source: Source, report: ExtractReport) -> list[int]:
    """Parse one page into its article and figures; returns pages to parse again."""
    report.pages += 1
    report.parsed_by_source[source.name] += 1
    try:
        article = parse_article(
            decode_page(page), page.url, source.selector_chain, dateline=source.title,
            published=page.discovered_published, fetched=page.fetched_at)
    except ArticleParseError as exc:
        report.unparseable.append(f"{page.url}: {exc}")
        page.parsed_hash, page.parse_missing = page.content_hash, "body"
        page.selector_set = page.selector_misses = None
        report.missing_by_source[source.name]["body"] += 1
        return []
    report.missing.update(article.missing)
    report.missing_by_source[source.name].update(article.missing)
    page.parse_missing = ",".join(article.missing) or None
    page.selector_set = article.selector_set
    page.selector_misses = misses_text(article.selector_misses)
    if "body" in article.missing:
        log.warning("%s: no article body found (selectors outdated?)", page.url)
        return []
    # undated: the date its feed or sitemap gave, the day its URL names, or else when it was
    # first fetched (its alerts are not dropped from every window)
    published = (article.published or page.discovered_published or date_from_url(page.url)
                 or page.fetched_at)
    figures = extract_figures(article.body, title=article.title,
                              published=published.date() if published else None, url=page.url)
    previous = session.scalar(
        select(ArticleRow.body_hash).where(ArticleRow.page_id == page.id))
    stored = save_parse(session, page, article, published, figures)
    released = mark_duplicate(session, stored, previous)
    report.articles += 1
    if stored.duplicate_of_id is not None:
        report.duplicates += 1
    else:
        report.figures += len(figures)
    return released
