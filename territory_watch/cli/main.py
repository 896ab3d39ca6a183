"""The `territory-watch` command line (SPEC "Commands")."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence

from parsers.config_file import ConfigError
from territory_watch.config.datetimes import parse_when
from territory_watch.config.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="territory-watch", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="HTML or text in, figures out (JSON lines)")
    extract.add_argument("files", nargs="*", metavar="FILE|-")
    extract.add_argument("--published", help="publication date of the input (ISO)")
    extract.add_argument("--url", help="URL the input came from")
    extract.add_argument("--jsonl", metavar="FILE|-",
                         help='batch input: one {"id", "text"|"html", "published"?, "url"?} a line')

    def window(command: argparse.ArgumentParser) -> None:
        command.add_argument("--source", action="append", dest="sources", metavar="NAME")
        command.add_argument("--since", type=parse_when, metavar="DT")
        command.add_argument("--until", type=parse_when, metavar="DT")

    crawl = commands.add_parser("crawl", help="discover, fetch, archive, parse, extract, store")
    window(crawl)
    crawl.add_argument("--fetch-only", action="store_true",
                       help="only discover, fetch and archive (the DAG extracts separately)")

    figures = commands.add_parser("figures", help="stored figures")
    figures.add_argument("--since", type=parse_when, metavar="DT")
    figures.add_argument("--until", type=parse_when, metavar="DT")
    figures.add_argument("--actor")
    figures.add_argument("--metric", action="append", dest="metrics")
    figures.add_argument("--format", choices=("table", "jsonl"), default="table")

    run = commands.add_parser("run", help="one full cycle: crawl, evaluate rules, send alerts")
    window(run)
    run.add_argument("--no-notify", action="store_true", help="store alerts but send nothing")

    report = commands.add_parser("report", help="the analyst view (figures over time, alerts) "
                                                "as static HTML")
    report.add_argument("--out", required=True, metavar="DIR", help="folder for index.html")
    report.add_argument("--actor")
    report.add_argument("--metric")
    report.add_argument("--since", type=parse_when, metavar="DT")
    report.add_argument("--until", type=parse_when, metavar="DT")

    check = commands.add_parser(
        "check-source", help="source doctor: fetch a source's indexes and newest articles "
                             "(nothing stored) and say what its selectors yield and what to fix")
    check.add_argument("name", metavar="NAME")
    check.add_argument("--pages", type=int, default=5, metavar="N",
                       help="newest articles to fetch (default 5)")

    article = commands.add_parser(
        "article", help="one page (a file, or a URL fetched once, politely) as the normalised "
                        "article, JSON")
    article.add_argument("target", metavar="FILE|URL")
    article.add_argument("--source", metavar="NAME", help="read it with this source's selectors")

    commands.add_parser("reparse", help="re-run extraction over every archived page")
    commands.add_parser("notify", help="deliver every stored alert not delivered yet")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.root.handlers:  # Scrapy resets the root logger's level
        handler.setLevel(level)
    try:
        return COMMANDS[args.command](args, Settings.from_env())
    except ConfigError as exc:
        print(f"territory-watch: {exc}", file=sys.stderr)
        return 2


def _extract(args: argparse.Namespace, settings: Settings) -> int:
    from territory_watch.cli.extract_command import run_extract

    if not args.files and args.jsonl is None:
        raise ConfigError("extract: give FILE|- or --jsonl FILE|-")
    run_extract(args.files, jsonl=args.jsonl, published=args.published, url=args.url,
                out=sys.stdout)
    return 0


def _crawl(args: argparse.Namespace, settings: Settings) -> int:
    from territory_watch.cli.summaries import crawl_summary, extract_summary
    from territory_watch.pipeline.cycle import crawl_step, extract_step

    reports = crawl_step(settings, sources=args.sources, since=args.since, until=args.until)
    print(crawl_summary(reports))
    if not args.fetch_only:
        print(extract_summary(extract_step(settings, sources=args.sources)))
    return 1 if reports and all(r.failed for r in reports) else 0


def _figures(args: argparse.Namespace, settings: Settings) -> int:
    from parsers.figures.actors import canonical
    from storage import Store
    from storage.articles import figure_json, figures_query
    from territory_watch.cli.figure_table import format_table

    actor = (canonical(args.actor) or args.actor) if args.actor else None
    store = Store(settings.db_url)
    with store.session() as session:
        query = figures_query(since=args.since, until=args.until, actor=actor,
                              metrics=args.metrics)
        rows = [figure_json(f) for f in session.scalars(query)]
    if args.format == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        print(format_table(rows))
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from territory_watch.cli.summaries import (
        crawl_summary,
        delivery_summary,
        evaluation_summary,
        extract_summary,
    )
    from territory_watch.pipeline.cycle import run_cycle

    report = run_cycle(settings, sources=args.sources, since=args.since, until=args.until,
                       notify=not args.no_notify)
    print(crawl_summary(report.crawl))
    if report.extract:
        print(extract_summary(report.extract))
    if report.evaluation:
        print(evaluation_summary(report.evaluation))
    if report.delivery:
        print(delivery_summary(report.delivery))
    return 1 if report.crawl and all(r.failed for r in report.crawl) else 0


def _reparse(args: argparse.Namespace, settings: Settings) -> int:
    from territory_watch.cli.summaries import extract_summary
    from territory_watch.pipeline.cycle import extract_step

    print(extract_summary(extract_step(settings, reparse=True)))
    return 0


def _notify(args: argparse.Namespace, settings: Settings) -> int:
    from territory_watch.cli.summaries import delivery_summary
    from territory_watch.pipeline.cycle import notify_step

    print(delivery_summary(notify_step(settings)))
    return 0


def _check_source(args: argparse.Namespace, settings: Settings) -> int:
    from territory_watch.cli.source_commands import print_check
    from territory_watch.pipeline.source_check import check_source

    if args.pages < 1:
        raise ConfigError("check-source: --pages must be at least 1")
    check = check_source(settings, args.name, args.pages)
    print_check(check, sys.stdout)
    return 0 if check.healthy else 1


def _article(args: argparse.Namespace, settings: Settings) -> int:
    from territory_watch.cli.source_commands import print_article
    from territory_watch.pipeline.source_check import ArticleUnavailable, read_article

    try:
        article = read_article(settings, args.target, args.source)
    except ArticleUnavailable as exc:
        print(f"territory-watch: {exc}", file=sys.stderr)
        return 1
    print_article(article, sys.stdout)
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from parsers.figures.actors import canonical
    from storage import Store
    from territory_watch.analyst_view.data import ViewFilters
    from territory_watch.analyst_view.static_report import write_report

    actor = (canonical(args.actor) or args.actor) if args.actor else None
    store = Store(settings.db_url)
    try:
        path = write_report(store, Path(args.out),
                            ViewFilters(actor, args.metric, args.since, args.until))
    finally:
        store.close()
    print(f"report: {path}")
    return 0


COMMANDS = {"extract": _extract, "crawl": _crawl, "figures": _figures, "run": _run,
            "check-source": _check_source, "article": _article,
            "reparse": _reparse, "notify": _notify, "report": _report}

if __name__ == "__main__":
    sys.exit(main())
