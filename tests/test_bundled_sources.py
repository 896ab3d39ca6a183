"""Every bundled source has saved pages of its real shape (tests/sources/<name>/: NAME.html,
its expected article NAME.json, NOTE.md saying where the shape comes from), and reads them
as expected with its configured selector chain; generic extraction, its fallback, reads the
same body."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawlers.middlewares import on_site
from crawlers.sources import Source, load_sources
from parsers.article import parse_article
from territory_watch.config.settings import BUNDLED

SAVED = Path(__file__).parent / "sources"
SOURCES = {s.name: s for s in load_sources(BUNDLED / "sources.yaml")}
PAGES = sorted((name, page) for name in SOURCES
               for page in (SAVED / name).glob("*.html"))


def test_every_bundled_source_has_saved_pages_and_a_note() -> None:
    assert {name for name, _ in PAGES} == set(SOURCES)
    for name in SOURCES:
        assert (SAVED / name / "NOTE.md").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(("name", "page"), PAGES, ids=[f"{n}/{p.stem}" for n, p in PAGES])
def test_a_saved_page_reads_as_its_expected_article(name: str, page: Path) -> None:
    source: Source = SOURCES[name]
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    url = expected["url"]
    assert source.is_article_url(url) and on_site(url, source.allowed_domains)
    html = page.read_bytes()
    article = parse_article(html, url, source.selector_chain, dateline=source.title)
    assert article.to_json() == expected
    generic = parse_article(html, url, None, dateline=source.title)
    assert generic.body == expected["body"]
