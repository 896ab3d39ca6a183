"""Benchmark: HTML -> figures (parsers.article.parse_article + parsers.figures.extract_figures)
against trafilatura's extract() alone, on the same generated pages in the same run.

    python benchmarks/extract.py [--pages 1000] [--seed 7]

Builds realistic news pages (nav, sidebar, footer, related links, varied sentences with and
without figures) and prints pages, seconds and articles per second for both, and the ratio.
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    pages = [make_page(rng, i) for i in range(args.pages)]

    import trafilatura
    from parsers.article import parse_article
    from parsers.figures import extract_figures

    extract_figures("warm-up: ISIS lost 10 villages.")
    trafilatura.extract(pages[0])

    t0 = time.perf_counter()
    n_figures = 0
    parse_seconds = 0.0
    for html in pages:
        p0 = time.perf_counter()
        art = parse_article(html)
        parse_seconds += time.perf_counter() - p0
        n_figures += len(extract_figures(art.body, title=art.title,
                                         published=art.published.date() if art.published else None))
    ours = time.perf_counter() - t0

    t0 = time.perf_counter()
    for html in pages:
        trafilatura.extract(html)
    theirs = time.perf_counter() - t0

    n = len(pages)
    print(f"{'pipeline':44s} {'pages':>6s} {'seconds':>8s} {'articles/s':>11s}")
    print(f"{'ours: parse_article + extract_figures':44s} {n:6d} {ours:8.2f} {n / ours:11.1f}")
    print(f"{'  of which parse_article':44s} {n:6d} {parse_seconds:8.2f} {n / parse_seconds:11.1f}")
    print(f"{'  of which extract_figures':44s} {n:6d} {ours - parse_seconds:8.2f} {n / (ours - parse_seconds):11.1f}")
    print(f"{'trafilatura.extract()':44s} {n:6d} {theirs:8.2f} {n / theirs:11.1f}")
    print(f"ratio ours/trafilatura (articles/s): {theirs / ours:.2f}x   figures extracted: {n_figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
