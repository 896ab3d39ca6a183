"""Benchmark: a full crawl (discover through sitemaps and feed, fetch, archive in the store)
of a generated local site, next to a bare Scrapy spider that only downloads the same article
pages, in the same run; peak memory of each crawl process at two site sizes.

    python benchmarks/crawl.py [--articles 2000] [--small 500] [--concurrency 8]

Both crawls run in their own process (Twisted's reactor cannot restart) with the same
settings: no DOWNLOAD_DELAY, no AutoThrottle, the same concurrency, robots.txt obeyed. The
site runs in this process on 127.0.0.1. Pages per second count article pages over the
crawl's wall time (discovery included for the full crawl); peak RSS is the child's
`ru_maxrss`.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARAGRAPH = ("Alwaght- Government forces said on {day} that they had retaken {n} villages "
             "near the river after weeks of fighting, and that the militants had lost about "
             "{km} square kilometers of territory in the province during the past month. "
             "Residents described heavy shelling through the night and long queues at "
             "checkpoints as families tried to return to their homes.")


def generated_articles(count: int) -> list[dict[str, object]]:
    """`count` articles, one every six hours, five paragraphs each (about 7 KB pages)."""
    start = datetime(2017, 1, 1, tzinfo=UTC)
    articles = []
    for i in range(count):
        published = start + timedelta(hours=6 * i)
        paragraphs = [PARAGRAPH.format(day=published.strftime("%A"), n=3 + (i + k) % 40,
                                       km=100 + 37 * ((i * 7 + k) % 90)) for k in range(5)]
        articles.append({"id": 100000 + i, "slug": f"Front-Line-Report-{i}",
                         "title": f"Front line report {i}", "published": published.isoformat(),
                         "paragraphs": paragraphs})
    return articles


def bench_settings(concurrency: int) -> dict[str, object]:
    """The settings both crawls share."""
    return {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "LOG_LEVEL": "ERROR"}


# -- children -------------------------------------------------------------------------


def child_full(base_url: str, db_url: str, concurrency: int) -> dict[str, float]:
    """The project's crawl of one source (sitemaps + feed), archived in a fresh store."""
    from crawlers.run import run_crawl
    from crawlers.sources import Source
    from storage import Store

    source = Source(name="bench", title="Alwaght", allowed_domains=["127.0.0.1"],
                    feeds=[f"{base_url}/en/rss"], sitemaps=[f"{base_url}/sitemap.xml"],
                    article_pattern=r"/en/News/\d+/", allow_private_addresses=True)
    store = Store(db_url)
    started = time.perf_counter()
    (report,) = run_crawl(store, [source], settings_overrides=bench_settings(concurrency))
    seconds = time.perf_counter() - started
    return {"pages": report.counts["articles_fetched"], "seconds": seconds}


def child_bare(urls_file: str, concurrency: int) -> dict[str, float]:
    """A bare Scrapy spider downloading the given URLs and doing nothing with them."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from crawlers.settings import USER_AGENT

    urls = Path(urls_file).read_text().split()
    count = {"pages": 0}

    class Bare(scrapy.Spider):
        name = "bare"
        start_urls = urls

        def parse(self, response: scrapy.http.Response) -> None:
            count["pages"] += 1

    process = CrawlerProcess({**bench_settings(concurrency), "USER_AGENT": USER_AGENT,
                              "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False})
    process.crawl(Bare)
    started = time.perf_counter()
    process.start()
    return {"pages": count["pages"], "seconds": time.perf_counter() - started}


def run_child(*args: str) -> dict[str, float]:
    """Run this file in child mode; its result plus its peak RSS in MiB."""
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- parent ---------------------------------------------------------------------------


def measure(count: int, concurrency: int, folder: Path) -> dict[str, dict[str, float]]:
    """Full and bare crawls of a fresh `count`-article site."""
    from demo.site import serve_sample_site

    with serve_sample_site(articles=generated_articles(count)) as site:
        urls = folder / f"urls-{count}.txt"
        urls.write_text("\n".join(a.url for a in site.articles if a.url))
        full = run_child("full", site.base_url, f"sqlite:///{folder / f'bench-{count}.db'}",
                         str(concurrency))
        bare = run_child("bare", str(urls), str(concurrency))
    return {"full": full, "bare": bare}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = (child_full(rest[0], rest[1], int(rest[2])) if kind == "full"
                  else child_bare(rest[0], int(rest[1])))
        result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="tw-bench-") as tmp:
        runs = {n: measure(n, args.concurrency, Path(tmp)) for n in (args.small, args.articles)}
    print(f"crawl benchmark: concurrency {args.concurrency}, no delay, no AutoThrottle, "
          "robots.txt obeyed; site on 127.0.0.1 in the parent process")
    print(f"{'site':>6}  {'crawler':<28}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'peak RSS':>11}")
    for count, pair in runs.items():
        for kind, label in (("full", "territory-watch (full crawl)"), ("bare", "bare Scrapy spider")):
            r = pair[kind]
            print(f"{count:>6}  {label:<28}{int(r['pages']):>7}{r['seconds']:>9.1f}"
                  f"{r['pages'] / r['seconds']:>9.1f}{r['rss_mib']:>8.0f} MiB")
    big = runs[args.articles]
    ratio = (big["full"]["pages"] / big["full"]["seconds"]) / (
        big["bare"]["pages"] / big["bare"]["seconds"])
    growth = runs[args.articles]["full"]["rss_mib"] - runs[args.small]["full"]["rss_mib"]
    print(f"throughput ratio full/bare at {args.articles}: {ratio:.2f} (target >= 0.8); "
          f"full-crawl peak RSS {args.small} -> {args.articles} pages: {growth:+.0f} MiB")


if __name__ == "__main__":
    main()
