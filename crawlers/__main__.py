"""`python -m crawlers`: crawl sources of a sources file into a store, in this process.

`--probe-sample N` (the source doctor) reads every index but fetches only the N newest
articles; `--probe-url URL` fetches just that page.

Prints one JSON object per source (`SourceReport.to_json`) on stdout. Exit status 0 when the
crawl ran (failed pages are reported, not fatal), 1 when every source failed, 2 on bad
arguments or configuration. The application runs this in a child process, because Twisted's
reactor cannot be started twice in one process.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from crawlers.run import run_crawl
from crawlers.sources import load_sources
from crawlers.spiders.news import NewsSpider
from crawlers.spiders.probe import ProbeSpider
from parsers.config_file import ConfigError
from storage import Store


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or date-time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _settings(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"--scrapy-settings: not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("--scrapy-settings: expected a JSON object")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Arguments of `python -m crawlers`."""
    parser = argparse.ArgumentParser(prog="python -m crawlers", description=__doc__)
    parser.add_argument("--sources-file", type=Path, required=True, metavar="YAML")
    parser.add_argument("--db", required=True, metavar="URL|-",
                        help="SQLAlchemy URL of the store; - reads it from standard input "
                             "(keeps a password out of the process list)")
    parser.add_argument("--source", action="append", dest="sources", metavar="NAME")
    parser.add_argument("--since", type=_moment, metavar="DT")
    parser.add_argument("--until", type=_moment, metavar="DT")
    parser.add_argument("--scrapy-settings", type=_settings, default={}, metavar="JSON",
                        help="Scrapy setting overrides (a JSON object)")
    probe = parser.add_mutually_exclusive_group()
    probe.add_argument("--probe-sample", type=int, metavar="N",
                       help="read every index but fetch only the N newest articles")
    probe.add_argument("--probe-url", action="append", dest="probe_urls", metavar="URL",
                       help="fetch only this page (repeatable), no index")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        sources = load_sources(args.sources_file, args.sources)
    except ConfigError as exc:
        print(f"crawlers: {exc}", file=sys.stderr)
        return 2
    store = Store(sys.stdin.readline().strip() if args.db == "-" else args.db)
    probing = args.probe_sample is not None or args.probe_urls
    try:
        reports = run_crawl(
            store, sources, since=args.since, until=args.until,
            settings_overrides=args.scrapy_settings,
            spider=ProbeSpider if probing else NewsSpider,
            spider_options={"sample": args.probe_sample or 0, "urls": args.probe_urls or []}
            if probing else None)
    finally:
        store.close()
    for report in reports:
        print(json.dumps(report.to_json()))
    return 1 if reports and all(r.failed for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
