"""The generic extractor (no selectors): the article's paragraphs without the page around them,
the title and publication time from metadata, and the sample site read alike with and without
its source's selectors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from demo.site.content import Article as SiteArticle
from demo.site.content import load_articles
from demo.site.pages import SitePages
from parsers.article import parse_article
from parsers.generic_body import reads_like_a_menu

BUNDLED = Path(__file__).resolve().parents[1] / "territory_watch" / "bundled" / "sources.yaml"
SELECTORS = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["sources"][0]["selectors"]
ARTICLES = load_articles()
SITE = SitePages(ARTICLES, [], "http://127.0.0.1:8000")

LEAD = ("Kurdish-led forces said on Sunday they had taken 41 villages north of the city in two "
        "weeks, pushing the front line some 30 kilometres from the outskirts.")
MORE = ("Commanders said the next phase would target the road to the border crossing, which "
        "the militants have used to bring in supplies and fighters.")


def news_page(body: str, head: str = "") -> str:
    """A news page with the usual furniture around `body`."""
    menu = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(25))
    popular = "".join(f'<li><a href="/story/{n}">Most read story {n} of the week</a></li>'
                      for n in range(8))
    return f"""<!DOCTYPE html><html><head><title>Front line | Example News</title>{head}</head>
<body><header><a href="/">Example News</a><nav><ul>{menu}</ul></nav></header>
<main><article>{body}</article>
<aside class="sidebar"><h3>Most read</h3><ul>{popular}</ul></aside></main>
<section id="comments"><h3>Comments</h3>
<div class="comment"><p>Reader: I heard they lost 500 villages, and the rest is propaganda from
all sides as usual, nobody should believe a word of it.</p></div></section>
<footer><p>&copy; 2017 Example News. All rights reserved.</p></footer></body></html>"""


def _expected_body(article: SiteArticle) -> str:
    return "\n\n".join(article.paragraphs).removeprefix("Alwaght- ")


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: str(a.id))
@pytest.mark.parametrize("selectors", [None, SELECTORS], ids=["generic", "selectors"])
def test_sample_site_articles_read_alike_with_and_without_selectors(
        article: SiteArticle, selectors: dict | None) -> None:
    parsed = parse_article(SITE.article(article).text, article.url, selectors, dateline="Alwaght")
    assert parsed.title == article.title
    assert parsed.published == article.published
    assert parsed.body == _expected_body(article)
    assert parsed.missing == ()


def test_headline_and_standfirst_are_not_the_body_nor_is_the_page_around_it() -> None:
    page = news_page(f"<h1>Front line moves north</h1><h2>Villages change hands</h2>"
                     f"<p>{LEAD}</p><p>{MORE}</p>")
    article = parse_article(page)
    assert article.title == "Front line moves north"
    assert article.body == f"{LEAD}\n\n{MORE}"


def test_table_cells_stay_apart() -> None:
    table = ("<table><tr><th>Province</th><th>Villages</th><th>Area (km2)</th></tr>"
             "<tr><td>Raqqa</td><td>41</td><td>1,250</td></tr>"
             "<tr><td>Deir ez-Zor</td><td>17</td><td>630</td></tr></table>")
    article = parse_article(news_page(f"<h1>Front line</h1><p>{LEAD}</p>{table}<p>{MORE}</p>"))
    assert "Raqqa | 41 | 1,250" in article.body and "Deir ez-Zor | 17 | 630" in article.body


@pytest.mark.parametrize(("head", "url", "published"), [
    ('<meta property="article:published_time" content="2017-10-15T08:20:00+02:00">', None,
     datetime(2017, 10, 15, 6, 20, tzinfo=UTC)),
    ('<script type="application/ld+json">{"@type": "NewsArticle", '
     '"datePublished": "2017-10-15T08:20:00Z"}</script>', None,
     datetime(2017, 10, 15, 8, 20, tzinfo=UTC)),
    ("", "https://example.org/world/2017/10/15/front-line",  # htmldate reads the URL
     datetime(2017, 10, 15, tzinfo=UTC)),
    ("", None, None),
])
def test_publication_time_from_metadata_then_htmldate(
        head: str, url: str | None, published: datetime | None) -> None:
    article = parse_article(news_page(f"<h1>Front line</h1><p>{LEAD}</p>", head), url)
    assert article.published == published
    assert ("published" in article.missing) is (published is None)


def test_menu_shaped_text() -> None:
    menu = "\n".join(f"Section {n}" for n in range(30))
    assert reads_like_a_menu(menu)
    assert not reads_like_a_menu(f"{LEAD}\n\n{MORE}\n\nPhoto: Reuters")
    assert not reads_like_a_menu("")
