"""`territory-watch check-source` and `territory-watch article`: printing what the source
doctor found, and one page as its normalised article."""

from __future__ import annotations

import json
from typing import IO

from parsers.article import Article
from parsers.figure import Figure
from territory_watch.pipeline.source_check import PageCheck, SourceCheck, verdict

PREVIEW = 100  # characters of the body shown per page
FIGURES_SHOWN = 3


def _figure(figure: Figure) -> str:
    data = figure.to_json()
    value = f"{data['value']:g}" + (f"-{data['value_max']:g}" if data.get("value_max") else "")
    return (f"{data['metric']} {data['actor']} {data['qualifier']} {value} {data['unit']}"
            + (f" in {data['place']}" if data.get("place") else "") + f" ({data['modality']})")


def page_lines(number: int, check: PageCheck) -> list[str]:
    """What one sampled page gave."""
    lines = [f"  {number}. {check.url}"]
    if check.article is None:
        return lines + [f"     not read: {check.error}"]
    article = check.article
    tried = "; ".join(f"{s.name!r} lacked {', '.join(s.lacking)}" for s in check.sets
                      if s.lacking)
    lines.append(f"     selector set: {article.selector_set}" + (f" ({tried})" if tried else ""))
    lines.append(f"     title:     {article.title or '(none)'}")
    lines.append(f"     published: {article.published.isoformat() if article.published else '(none)'}")
    preview = " ".join(article.body.split())[:PREVIEW]
    lines.append(f"     body:      {len(article.body.split())} words: {preview}"
                 + ("..." if len(article.body) > PREVIEW else ""))
    shown = "; ".join(_figure(f) for f in check.figures[:FIGURES_SHOWN])
    more = len(check.figures) - FIGURES_SHOWN
    lines.append(f"     figures:   {shown or '(none)'}" + (f" and {more} more" if more > 0 else ""))
    return lines


def print_check(check: SourceCheck, out: IO[str]) -> None:
    """The doctor's report: indexes, pages, problems and notes, verdict."""
    report = check.report
    listed = report.counts.get("articles_discovered", 0)
    print(f"check-source {check.source.name}: the {len(check.pages)} newest of {listed} "
          "articles listed", file=out)
    print("indexes:", file=out)
    for url, (links, articles, sitemaps) in report.index_links.items():
        found = (f"a sitemap index of {sitemaps} sitemaps (the newest read)" if sitemaps and not links
                 else f"{links} links, {articles} match the article pattern")
        print(f"  ok      {url}: {found}", file=out)
    for error in report.index_errors:
        print(f"  FAILED  {error}", file=out)
    print("pages:", file=out)
    for number, page in enumerate(check.pages, 1):
        print("\n".join(page_lines(number, page)), file=out)
    for problem in check.problems:
        print(f"problem: {problem}", file=out)
    for note in check.notes:
        print(f"note: {note}", file=out)
    print(f"verdict: {verdict(check)}", file=out)


def print_article(article: Article, out: IO[str]) -> None:
    """The article as one JSON object."""
    print(json.dumps(article.to_json(), ensure_ascii=False, indent=2), file=out)
