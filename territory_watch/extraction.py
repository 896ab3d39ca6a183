"""The extract step: archived pages -> articles -> figures, stored. Re-runnable offline."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from parsers.article import ArticleParseError, parse_article
from parsers.figures import extract_figures
from storage import Store
from storage.articles import save_parse
from storage.models import Page
from storage.pages import pages_to_parse, raw_html
from territory_watch.sources import Source

log = logging.getLogger(__name__)


@dataclass
class ExtractReport:
    """What the extract step did."""

    pages: int = 0
    articles: int = 0
    figures: int = 0
    unparseable: list[str] = field(default_factory=list)
    missing: Counter[str] = field(default_factory=Counter)


def decode_page(page: Page) -> str:
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
        ids = pages_to_parse(session, list(by_name), reparse=reparse)
    for page_id in ids:
        with store.session() as session:
            page = session.get(Page, page_id)
            assert page is not None
            source = by_name[page.source.name]
            report.pages += 1
            try:
                article = parse_article(
                    decode_page(page), page.url,
                    source.selectors.model_dump() if source.selectors else None,
                    dateline=source.title)
            except ArticleParseError as exc:
                report.unparseable.append(f"{page.url}: {exc}")
                page.parsed_hash = page.content_hash
                continue
            report.missing.update(article.missing)
            published = article.published or page.discovered_published
            figures = extract_figures(
                article.body, title=article.title,
                published=published.date() if published else None, url=page.url)
            save_parse(session, page, article, published, figures)
            report.articles += 1
            report.figures += len(figures)
    return report
