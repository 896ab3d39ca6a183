"""``python -m demo.site --port 8000 [--fault REGEX=SPEC ...]``: serve until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading

from .faults import Fault, FaultKind, FaultPlan
from .server import serve_sample_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.site", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument(
        "--fault", action="append", default=[], metavar="REGEX=SPEC",
        help="inject a fault, e.g. '^/en/rss$=status:503*2' or '/en/News/\\d+/=redesign'; "
             f"fault names: {', '.join(k.value for k in FaultKind)}",
    )
    args = parser.parse_args(argv)
    plan = FaultPlan()
    for item in args.fault:
        pattern, separator, spec = item.rpartition("=")
        if not separator:
            parser.error(f"--fault needs REGEX=SPEC, got {item!r}")
        try:
            plan.set(pattern, Fault.parse(spec))
        except ValueError as error:
            parser.error(f"--fault {item!r}: {error}")
    with serve_sample_site(port=args.port, faults=plan) as site:
        print(f"Sample site on {site.base_url}  (Ctrl-C to stop)")
        print(f"  robots   {site.url('/robots.txt')}")
        print(f"  rss      {site.url('/en/rss')}")
        print(f"  sitemap  {site.url('/sitemap.xml')}  news: {site.url('/news-sitemap.xml')}")
        print(f"  listing  {site.url('/en/News')}")
        for article in site.articles:
            print(f"  {article.published.isoformat()}  {article.url}")
        sys.stdout.flush()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
