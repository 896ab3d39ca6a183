"""Benchmark: article-body extraction on real news pages, ours against trafilatura.extract.

    python benchmarks/article_extraction.py [--benchmark DIR] [--pages shared|newspaper4k]
                                            [--rounds 3] [--chunk 20]

DIR is the public article-extraction benchmark (181 news pages with hand-checked bodies;
default ../shared/benchmarks/article-extraction-benchmark beside the repository). Bodies are
scored by the benchmark's own evaluate.py, run on a temporary copy, for parsers.article's
generic extractor and for trafilatura.extract (default settings) alike.

`--pages newspaper4k` scores a further set of real news pages instead: the saved pages and
expected article texts that newspaper4k's source distribution ships for its own tests
(tests/data/html/*.html with tests/data/txt/*.txt; 23 pages, several languages). The sdist is
downloaded from PyPI by pip at run time into a temporary folder, checked against its pinned
SHA-256 and deleted afterwards; nothing of it is kept in this repository. Its expected texts
are that project's reference outputs (maintained as test expectations), not an independent
hand annotation: read the scores as agreement with them, and mind that two of its pages
(cleveland.com1, video_article_01) are the same page. Throughput is timed on
the same pages, the pipelines taking turns chunk by chunk (a load change on a shared machine
hits them alike), for: trafilatura.extract alone, parse_article, parse_article +
extract_figures, and what BeautifulSoup adds (bytes in, decoded through bs4's encoding
detector; selectors applied through soupsieve).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEFAULT_DIR = REPO.parent / "shared" / "benchmarks" / "article-extraction-benchmark"
# a source configured like the bundled one: every field by selector, page furniture excluded
SELECTORS = {"title": "article h1, h1",
             "published": 'meta[property="article:published_time"], time[datetime]',
             "body": "article, main, body", "exclude": ["nav", "aside", "footer", "form"]}


def load_pages(folder: Path) -> tuple[dict[str, bytes], dict[str, dict[str, str]]]:
    """The raw pages and the ground truth, keyed alike."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
             for key in truth}
    return pages, truth


NEWSPAPER4K = "newspaper4k==0.9.6"
NEWSPAPER4K_SHA256 = "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e"


def newspaper4k_pages() -> tuple[dict[str, bytes], dict[str, dict[str, str]]]:
    """The pages and expected texts shipped in newspaper4k's sdist (downloaded by pip into a
    temporary folder, checked against its pinned hash), keyed by file stem."""
    with tempfile.TemporaryDirectory(prefix="newspaper4k-") as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", "--dest", tmp, NEWSPAPER4K], check=True)
        (archive,) = Path(tmp).glob("newspaper4k-*.tar.gz")
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        if digest != NEWSPAPER4K_SHA256:
            raise SystemExit(f"{archive.name}: SHA-256 {digest} is not the pinned one")
        pages: dict[str, bytes] = {}
        truth: dict[str, dict[str, str]] = {}
        with tarfile.open(archive) as sdist:
            members = {Path(m.name).relative_to(Path(m.name).parts[0]).as_posix(): m
                       for m in sdist.getmembers() if m.isfile()}

            def read(name: str) -> bytes:
                handle = sdist.extractfile(members[name])
                assert handle is not None
                return handle.read()

            for name in sorted(members):
                stem = Path(name).stem
                text = f"tests/data/txt/{stem}.txt"
                if name.startswith("tests/data/html/") and text in members:
                    meta = f"tests/data/metadata/{stem}.json"
                    url = json.loads(read(meta)).get("url", "") if meta in members else ""
                    pages[stem] = read(name)
                    truth[stem] = {"articleBody": read(text).decode("utf-8"), "url": url}
    return pages, truth


def score(folder: Path, outputs: dict[str, dict[str, str]],
          truth: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, float]]:
    """F1, precision and recall of each named output, by the benchmark's evaluate.py (against
    `truth` when given, else the benchmark's ground truth)."""
    with tempfile.TemporaryDirectory(prefix="article-benchmark-") as tmp:
        work = Path(tmp)
        shutil.copy(folder / "evaluate.py", work / "evaluate.py")
        if truth is None:
            shutil.copy(folder / "ground-truth.json", work / "ground-truth.json")
        else:
            (work / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
        (work / "output").mkdir()
        for name, bodies in outputs.items():
            prediction = {key: {"articleBody": body} for key, body in bodies.items()}
            (work / "output" / f"{name}.json").write_text(json.dumps(prediction), encoding="utf-8")
        subprocess.run([sys.executable, "evaluate.py", "--output", "results.json"], cwd=work,
                       check=True, stdout=subprocess.DEVNULL)
        return json.loads((work / "results.json").read_text(encoding="utf-8"))


def timed(pipelines: dict[str, Callable[[str], object]], keys: list[str], rounds: int,
          chunk: int) -> tuple[dict[str, float], dict[str, float]]:
    """Wall and CPU seconds each pipeline spent on `rounds` passes over the pages `keys`."""
    wall, cpu = dict.fromkeys(pipelines, 0.0), dict.fromkeys(pipelines, 0.0)
    for _ in range(rounds):
        for lo in range(0, len(keys), chunk):
            batch = keys[lo: lo + chunk]
            for name, run in pipelines.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                for key in batch:
                    run(key)
                wall[name] += time.perf_counter() - start
                cpu[name] += time.process_time() - start_cpu
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_DIR,
                        help=f"the benchmark folder (default: {DEFAULT_DIR})")
    parser.add_argument("--pages", choices=("shared", "newspaper4k"), default="shared",
                        help="the benchmark's pages, or newspaper4k's test pages (see above)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the pages")
    parser.add_argument("--chunk", type=int, default=20, help="pages per turn of each pipeline")
    args = parser.parse_args(argv)
    folder: Path = args.benchmark.resolve()
    needed = [folder / "ground-truth.json", folder / "evaluate.py", folder / "html"]
    if not all(path.exists() for path in needed):
        print(f"benchmark folder not found or incomplete: {folder}\n"
              "  (it needs ground-truth.json, evaluate.py and html/; pass --benchmark DIR)",
              file=sys.stderr)
        return 2

    import trafilatura

    from parsers.article import ArticleParseError, parse_article
    from parsers.charset import decode_html
    from parsers.figures import extract_figures
    from parsers.selectors import make_soup

    logging.disable(logging.WARNING)  # trafilatura's "discarding data" on pages it gives up
    if args.pages == "newspaper4k":
        raw, truth = newspaper4k_pages()
        own_truth: dict[str, dict[str, str]] | None = truth
        label = f"{NEWSPAPER4K} test pages"
    else:
        raw, truth = load_pages(folder)
        own_truth, label = None, str(folder)
    keys = list(truth)
    html = {key: decode_html(body) for key, body in raw.items()}
    url = {key: truth[key].get("url") for key in keys}

    def ours(key: str, page: str | bytes | None = None, selectors: dict | None = None):
        try:
            return parse_article(html[key] if page is None else page, url[key], selectors)
        except ArticleParseError:
            return None

    def ours_and_figures(key: str) -> object:
        article = ours(key)
        if article is None:
            return []
        day = article.published.date() if article.published else None
        return extract_figures(article.body, title=article.title, published=day, url=url[key])

    bodies = {"territory_watch": {}, "trafilatura": {}}
    for key in keys:
        article = ours(key)
        bodies["territory_watch"][key] = article.body if article else ""
        bodies["trafilatura"][key] = trafilatura.extract(html[key], url=url[key]) or ""
    scores = score(folder, bodies, own_truth)
    extract_figures("warm-up: ISIS lost 10 villages.")

    pipelines: dict[str, Callable[[str], object]] = {
        "trafilatura.extract (default settings)":
            lambda k: trafilatura.extract(html[k], url=url[k]),
        "ours: parse_article": ours,
        "ours: parse_article + extract_figures": ours_and_figures,
        "ours: parse_article, bytes in (bs4 detector)": lambda k: ours(k, page=raw[k]),
        "ours: parse_article, all fields by selectors": lambda k: ours(k, selectors=SELECTORS),
        "  bs4: BeautifulSoup(page, 'lxml') alone": lambda k: make_soup(html[k]),
    }
    wall, cpu = timed(pipelines, keys, args.rounds, args.chunk)

    n = len(keys)
    print(f"article-extraction benchmark: {n} pages ({label})")
    print(f"{'extractor':24s} {'F1':>14s} {'precision':>9s} {'recall':>9s}")
    for name, result in scores.items():
        print(f"{name:24s} {result['f1']:.3f} ± {result['f1_std']:.3f} "
              f"{result['precision']:9.3f} {result['recall']:9.3f}")
    reference = "trafilatura.extract (default settings)"
    pages = n * args.rounds
    print(f"\nthroughput, {args.rounds} rounds of {n} pages, pipelines interleaved by {args.chunk}"
          " (wall clock; CPU time in brackets)")
    print(f"{'pipeline':48s} {'pages/s':>16s} {'ms/page':>8s} {'x trafilatura':>15s}")
    for name in pipelines:
        rate = f"{pages / wall[name]:.1f} ({pages / cpu[name]:.1f})"
        ratio = f"{wall[reference] / wall[name]:.2f}x ({cpu[reference] / cpu[name]:.2f}x)"
        print(f"{name:48s} {rate:>16s} {1000 * wall[name] / pages:8.2f} {ratio:>15s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
