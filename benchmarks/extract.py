"""Benchmark: HTML -> figures (parsers.article.parse_article + parsers.figures.extract_figures)
against trafilatura's extract() alone, on the same pages in the same run.

    python benchmarks/extract.py [--pages 1000] [--seed 7] [--pages-from generated|site]
    python benchmarks/extract.py --pages DIR       # real pages: DIR/*.html or *.html.gz

With `--pages DIR` (e.g. the 181 real pages of the article-extraction benchmark in
shared/benchmarks/article-extraction-benchmark/html) every page of the folder is read once;
the run also times the figure engine alone (text -> figures) on the pages' article texts, as
given by parse_article and by trafilatura.

`generated` builds news pages (nav, sidebar, footer, related links, 6-14 paragraphs of varied
sentences, about 30 % of them carrying a figure: denser than real news, which is the costly
case for the figure engine); `site` renders the sample site's real articles with its own
templates, repeated up to --pages. Both pipelines run on the same pages in interleaved chunks
(so a load change on a shared machine hits both alike); CPU and wall seconds are reported.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ACTORS = ["ISIS", "Daesh", "the SDF", "Syrian government forces", "Russian forces",
          "Ukrainian troops", "the Taliban", "al-Shabaab fighters", "Iraqi forces", "the Houthis"]
PLACES = ["Syria", "Iraq", "Deir ez-Zor", "Raqqa", "the Donetsk region", "Helmand province",
          "Idlib", "Mosul", "Marib", "Lower Shabelle"]
UNITS = ["square kilometres", "square kilometers", "sq km", "km2", "square miles", "hectares"]
HEDGES = ["", "about ", "nearly ", "more than ", "less than ", "some ", "at least "]
FIGURE_SENTENCES = [
    "{a} captured {h}{n} {u} near {p} over the past week, officials said.",
    "{a} currently controls {h}{pc} percent of {p}, according to the monitor.",
    "{a} lost {h}{n} {u} of territory during the last month, with {v} villages liberated.",
    "The army liberated {v} villages from {a} in {p} since January.",
    "\u201c{a} holds {h}{n} {u},\u201d said General Ivan Petrov, a military spokesman.",
    "Analysts expect {a} will recapture {h}{n} {u} before winter.",
    "At its peak, {a} controlled {pc} percent of {p}.",
]
FILLER = [
    "Residents described heavy shelling through the night and long queues at checkpoints.",
    "The ministry said {k} fighters were killed and {m} wounded in the clashes.",
    "Aid agencies warned that {k} families had fled toward the border in recent days.",
    "Warplanes carried out {k} sorties, hitting {m} targets, the statement added.",
    "The city was overrun by militants in March 2013 and remains largely in ruins.",
    "Diplomats are due to meet in Geneva next week to discuss a ceasefire.",
    "Roads into {p} remain closed, and electricity is available for only a few hours a day.",
    "Local officials said reconstruction would cost more than ${k} million.",
]


def make_page(rng: random.Random, i: int) -> str:
    """One news page with chrome around an article of 6-14 paragraphs."""
    def fill(t: str) -> str:
        return t.format(a=rng.choice(ACTORS), p=rng.choice(PLACES), u=rng.choice(UNITS),
                        h=rng.choice(HEDGES), n=f"{rng.randint(10, 20000):,}", pc=rng.randint(2, 90),
                        v=rng.randint(2, 150), k=rng.randint(2, 900), m=rng.randint(2, 900))
    paras = []
    for _ in range(rng.randint(6, 14)):
        sents = [fill(rng.choice(FIGURE_SENTENCES if rng.random() < 0.3 else FILLER))
                 for _ in range(rng.randint(1, 4))]
        paras.append("<p>" + " ".join(sents) + "</p>")
    nav = "".join(f'<li><a href="/section/{s}">{s.title()}</a></li>' for s in
                  ["world", "middle-east", "europe", "politics", "economy", "opinion", "video"])
    related = "".join(f'<li><a href="/en/News/{i * 10 + k}/">Related story number {k} about the war</a></li>'
                      for k in range(8))
    title = fill("{a} advances near {p} as fighting intensifies")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Example News</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2017-10-{rng.randint(1, 28):02d}T09:30:00Z">
<link rel="stylesheet" href="/static/site.css"><script>var analytics = {{id: {i}}};</script>
</head><body>
<header><div class="logo"><a href="/">Example News</a></div><nav><ul>{nav}</ul></nav>
<form class="search"><input name="q" placeholder="Search"></form></header>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/section/world">World</a></div>
<main><article class="story"><h1 class="headline">{title}</h1>
<div class="byline">By Staff Writer &middot; <time datetime="2017-10-13">13 October 2017</time></div>
<div class="story-body">{''.join(paras)}</div>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div></article>
<aside class="sidebar"><h3>Most read</h3><ul>{related}</ul>
<div class="ad">Advertisement</div><div class="newsletter">Sign up for our newsletter</div></aside></main>
<footer><p>&copy; 2017 Example News. All rights reserved.</p><ul><li><a href="/about">About</a></li>
<li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy</a></li></ul></footer>
</body></html>"""


def site_pages(n: int) -> list[str]:
    """The sample site's articles rendered by its templates, repeated to `n` pages."""
    from demo.site.content import load_articles
    from demo.site.pages import SitePages

    articles = load_articles()
    site = SitePages(articles, [], "http://127.0.0.1:8000")
    rendered = [site.article(a).text for a in articles]
    return [rendered[i % len(rendered)] for i in range(n)]


def folder_pages(folder: Path) -> list[str]:
    """The HTML pages of a folder (*.html, *.htm, *.html.gz), sorted by name."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith((".html.gz", ".htm.gz")):
            out.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        elif path.suffix in (".html", ".htm"):
            out.append(path.read_text(encoding="utf-8", errors="replace"))
    return out


def _count_or_folder(value: str) -> int | Path:
    return Path(value) if not value.isdigit() else int(value)


def time_engine_alone(texts: list[tuple[str, str]], repeat: int = 3) -> tuple[float, float, int]:
    """(best wall s, cpu s of that round, figures) of extract_figures over (title, body) texts."""
    from parsers.figures import extract_figures

    best, best_cpu, n = float("inf"), 0.0, 0
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        n = sum(len(extract_figures(body, title=title)) for title, body in texts)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        if wall < best:
            best, best_cpu = wall, cpu
    return best, best_cpu, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=_count_or_folder, default=1000,
                        help="how many pages to generate, or a folder of real HTML pages")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pages-from", choices=["generated", "site"], default="generated")
    parser.add_argument("--chunk", type=int, default=50, help="pages per interleaved chunk")
    args = parser.parse_args(argv)
    if isinstance(args.pages, Path):
        pages = folder_pages(args.pages)
        args.pages_from = f"folder {args.pages}"
    elif args.pages_from == "site":
        pages = site_pages(args.pages)
    else:
        rng = random.Random(args.seed)
        pages = [make_page(rng, i) for i in range(args.pages)]

    import trafilatura

    from parsers.article import parse_article
    from parsers.figures import extract_figures
    from parsers.figures.sentences import split_text

    extract_figures("warm-up: ISIS lost 10 villages.")
    trafilatura.extract(pages[0])

    wall = {"ours": 0.0, "parse": 0.0, "theirs": 0.0}
    cpu = {"ours": 0.0, "theirs": 0.0}
    n_figures = n_sentences = n_words = 0
    with_figures = 0
    for lo in range(0, len(pages), args.chunk):
        chunk = pages[lo: lo + args.chunk]
        w0, c0 = time.perf_counter(), time.process_time()
        for html in chunk:
            p0 = time.perf_counter()
            art = parse_article(html)
            wall["parse"] += time.perf_counter() - p0
            figs = extract_figures(art.body, title=art.title,
                                   published=art.published.date() if art.published else None)
            n_figures += len(figs)
            with_figures += bool(figs)
        wall["ours"] += time.perf_counter() - w0
        cpu["ours"] += time.process_time() - c0
        w0, c0 = time.perf_counter(), time.process_time()
        for html in chunk:
            trafilatura.extract(html)
        wall["theirs"] += time.perf_counter() - w0
        cpu["theirs"] += time.process_time() - c0

    for html in pages[:200]:  # page statistics (outside the timings)
        art = parse_article(html)
        n_sentences += len(split_text(art.body))
        n_words += len(art.body.split())
    sample = min(len(pages), 200)
    n = len(pages)
    print(f"pages: {n} ({args.pages_from}), mean HTML {sum(map(len, pages)) / n / 1024:.1f} KiB, "
          f"body {n_words / sample:.0f} words / {n_sentences / sample:.1f} sentences; "
          f"figures {n_figures / n:.2f} per page, {with_figures / n:.0%} of pages with any")
    print(f"{'pipeline':40s} {'wall s':>7s} {'cpu s':>7s} {'articles/s (wall)':>18s} {'(cpu)':>7s}")
    rows = [("ours: parse_article + extract_figures", wall["ours"], cpu["ours"]),
            ("  of which parse_article", wall["parse"], None),
            ("  of which extract_figures", wall["ours"] - wall["parse"], None),
            ("trafilatura.extract()", wall["theirs"], cpu["theirs"])]
    for label, w, c in rows:
        cpu_s = f"{c:7.2f}" if c is not None else " " * 7
        cpu_rate = f"{n / c:7.1f}" if c else " " * 7
        print(f"{label:40s} {w:7.2f} {cpu_s} {n / w:18.1f} {cpu_rate}")
    print(f"ratio ours/trafilatura (articles/s): wall {wall['theirs'] / wall['ours']:.2f}x, "
          f"cpu {cpu['theirs'] / cpu['ours']:.2f}x")
    if isinstance(args.pages, Path):
        ours = [(a.title or "", a.body) for a in map(parse_article, pages)]
        theirs = [("", trafilatura.extract(html) or "") for html in pages]
        for label, texts in (("parse_article texts", ours), ("trafilatura texts", theirs)):
            w, c, nf = time_engine_alone(texts)
            words = sum(len(b.split()) for _, b in texts)
            print(f"figure engine alone (text -> figures) on {label}: {n / w:.1f} pages/s wall, "
                  f"{n / c if c else float('inf'):.1f} cpu, {words / w / 1000:.0f}k words/s; {nf} figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
