"""The source doctor (`territory-watch check-source`) and one page as an article
(`territory-watch article`).

The doctor fetches a source's indexes and its newest articles into a throw-away store
(pipeline.probe), reads each page with the source's selector chain and with each selector set
alone, and says what to fix: indexes that fail, article links the article pattern misses,
pages that could not be fetched, selectors that match nothing (and what the generic extractor
found instead), fields nothing on the page gives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crawlers.middlewares import on_site
from crawlers.run import SourceReport
from crawlers.sources import Source, load_sources
from parsers.article import Article, ArticleParseError, parse_article
from parsers.config_file import ConfigError
from parsers.figure import Figure
from parsers.figures import extract_figures
from parsers.selector_chain import GENERIC, SelectorChain, SelectorsConfig
from parsers.selectors import SelectorSet, drop_excluded, first_match, make_soup
from territory_watch.config.settings import Settings
from territory_watch.pipeline.probe import ProbedPage, probe_source

DEFAULT_PAGES = 5


class ArticleUnavailable(RuntimeError):
    """The page could not be fetched, is not HTML, or holds no article."""


@dataclass(frozen=True)
class SetOnPage:
    """One selector set tried alone on a page: the fields it did not yield, and why."""

    name: str
    lacking: dict[str, str]  # field -> "matched nothing" / "matched <div> without a date" ...


@dataclass(frozen=True)
class PageCheck:
    """One probed page read as the extract step would read it."""

    url: str
    error: str | None = None
    article: Article | None = None
    sets: tuple[SetOnPage, ...] = ()
    generic_words: int = 0
    figures: tuple[Figure, ...] = ()


@dataclass
class SourceCheck:
    """The doctor's findings for one source."""

    source: Source
    report: SourceReport
    pages: list[PageCheck]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems


def why_lacking(html: str, selectors: SelectorSet, name: str) -> str:
    """Why a set did not yield field `name` on the page."""
    selector = getattr(selectors, name)
    if not selector:
        return "no selector, and the page metadata gives none"
    soup = make_soup(html)
    drop_excluded(soup, selectors)
    element = first_match(soup, selector)
    if element is None:
        return f"{name} selector {selector!r} matched nothing"
    what = "a date" if name == "published" else "text"
    return f"{name} selector {selector!r} matched <{element.name}> without {what}"


def check_page(source: Source, page: ProbedPage) -> PageCheck:
    """Read one probed page with the source's chain, each set alone, and generically."""
    if page.html is None:
        return PageCheck(page.url, error=page.error or page.state)
    def read(selectors: SelectorChain | SelectorsConfig) -> Article:
        return parse_article(page.html or "", page.url, selectors, dateline=source.title,
                             published=page.discovered_published)

    try:
        article = read(source.selector_chain)
    except ArticleParseError as exc:
        return PageCheck(page.url, error=str(exc))
    sets = []
    for selectors in source.selector_chain.sets:
        alone = read([selectors])
        lacking = alone.selector_misses[0][1] if alone.selector_set == GENERIC else ()
        sets.append(SetOnPage(selectors.name,
                              {f: why_lacking(page.html, selectors, f) for f in lacking}))
    try:
        generic = parse_article(page.html, page.url, None, dateline=source.title)
        words = len(generic.body.split())
    except ArticleParseError:
        words = 0
    day = (article.published or page.discovered_published)
    figures = extract_figures(article.body, title=article.title, url=page.url,
                              published=day.date() if day else None)
    return PageCheck(page.url, article=article, sets=tuple(sets), generic_words=words,
                     figures=tuple(figures))


def index_findings(check: SourceCheck) -> None:
    """Problems of the feeds, sitemaps and listings."""
    report, source = check.report, check.source
    check.problems += [f"index not readable: {error}" for error in report.index_errors]
    links = sum(counts[0] for counts in report.index_links.values())
    articles = sum(counts[1] for counts in report.index_links.values())
    if report.index_links and not articles:
        check.problems.append(
            f"the indexes list {links} links but none matches article_pattern "
            f"{source.article_pattern!r}: fix the pattern" if links else
            "the indexes list no links at all: check the feed, sitemap and listing URLs")


def page_findings(check: SourceCheck) -> None:
    """Problems of fetching and reading the sampled article pages."""
    pages, chain = check.pages, check.source.selector_chain
    total = len(pages)
    failed = Counter(p.error for p in pages if p.article is None and p.error)
    for error, n in failed.items():
        refused = "robots.txt" in (error or "")
        line = f"{n}/{total} pages not read: {error}"
        if refused and n < total:
            check.notes.append(line)
        else:
            check.problems.append(line)
    read = [p for p in pages if p.article is not None]
    if not read:
        return
    fallbacks = [p for p in read if p.article and p.article.selector_set == GENERIC]
    if chain.sets and fallbacks:
        reasons = Counter((s.name, why) for p in fallbacks for s in p.sets
                          for why in s.lacking.values())
        for (name, why), n in reasons.items():
            check.problems.append(f"set {name!r}: {why} on {n}/{len(read)} pages")
        words = sum(p.generic_words for p in fallbacks) // len(fallbacks)
        check.problems.append(
            f"no selector set yielded title, date and body on {len(fallbacks)}/{len(read)} "
            f"pages; generic extraction found {words} words on average: add a selector set "
            "for this design (newest first)")
    missing = Counter(f for p in read if p.article for f in p.article.missing)
    for name, n in missing.items():
        check.problems.append(f"no {name} found on {n}/{len(read)} pages (neither the "
                              "selectors nor the page metadata give one)")
    used = Counter(p.article.selector_set for p in read if p.article)
    for selectors in chain.sets:
        if selectors.name not in used and not fallbacks:
            check.notes.append(f"set {selectors.name!r} read none of these pages (fine if it "
                               "is for another design or period)")


def verdict(check: SourceCheck) -> str:
    """One line: healthy, or how many problems."""
    if check.problems:
        return f"{len(check.problems)} problem(s) found"
    read = [p for p in check.pages if p.article is not None]
    used = Counter(p.article.selector_set for p in read if p.article)
    sets = ", ".join(f"{n} by {name!r}" for name, n in used.most_common())
    figures = sum(len(p.figures) for p in read)
    return f"healthy: {len(read)}/{len(check.pages)} pages read ({sets}), {figures} figures"


def check_source(settings: Settings, name: str, pages: int = DEFAULT_PAGES) -> SourceCheck:
    """Probe source `name` (its `pages` newest articles) and judge what came back."""
    source = load_sources(settings.sources_path, [name])[0]
    probe = probe_source(settings, source, sample=pages)
    check = SourceCheck(source, probe.report, [check_page(source, p) for p in probe.pages])
    index_findings(check)
    if not check.pages and not check.problems:
        check.problems.append("no article page was fetched")
    page_findings(check)
    return check


def read_article(settings: Settings, target: str, source_name: str | None = None) -> Article:
    """The article of a file or of a URL (fetched politely, once) as `source_name` reads it."""
    source = load_sources(settings.sources_path, [source_name])[0] if source_name else None
    if urlsplit(target).scheme not in ("http", "https"):
        try:
            html: str | bytes = Path(target).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{target}: cannot read: {exc.strerror}") from None
        url = None
    else:
        html, url = fetch_page(settings, target, source), target
    try:
        return parse_article(html, url, source.selector_chain if source else None,
                             dateline=source.title if source else None)
    except ArticleParseError as exc:
        raise ArticleUnavailable(f"{target}: {exc}") from None


def fetch_page(settings: Settings, url: str, source: Source | None) -> str:
    """The HTML of `url`: one request (robots.txt asked first), as `source` would fetch it; a
    page elsewhere than on the source's domains is refused before any request."""
    host = urlsplit(url).hostname or ""
    if not host:
        raise ConfigError(f"{url}: not a URL with a host")
    if source is None:
        source = Source(name="page", title=host, allowed_domains=[host], listings=[url])
    elif not on_site(url, source.allowed_domains):
        raise ConfigError(f"{url} is not on {source.name}'s allowed domains "
                          f"({', '.join(source.allowed_domains)})")
    probe = probe_source(settings, source, urls=[url], overrides={"RETRY_ENABLED": False})
    page = next((p for p in probe.pages if p.url == url), None)
    if page is None:
        raise ArticleUnavailable(f"{url}: not fetched")
    if page.html is None:
        raise ArticleUnavailable(f"{url}: {page.error or page.state}")
    return page.html
