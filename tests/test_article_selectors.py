"""Source selectors through soupsieve: full CSS, alternatives in order, `exclude`, a report of
the fields found, and the generic extractor for the fields without a selector."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers.article import ArticleParseError, parse_article
from parsers.selectors import SelectorSet, alternatives, apply_selectors, make_soup

CLAIM = ("The army said it had regained 320 square kilometres around the dam since the "
         "offensive began, and that demining teams were following the advancing units.")
PAGE = f"""<html><head><title>Dam front | Example News</title>
<meta property="og:title" content="Army regains ground around the dam">
<meta property="article:published_time" content="2017-10-13T09:30:00+03:00"></head>
<body><header><h1 class="brand">Example News</h1></header>
<div class="card promo"><h2>Subscribe</h2><p>Get our newsletter every morning.</p></div>
<div class="card"><h2>Dam front</h2><p class="standfirst">Fighting moves north.</p>
  <div class="text"><p>Example News - {CLAIM}</p>
  <div class="related"><p>Read also: ISIS lost 999 villages in another story.</p></div>
  <p>Residents returned to two villages on Monday.</p></div>
  <span class="when">13 October 2017</span></div>
<article><h1>Army regains ground around the dam</h1><p>{CLAIM}</p></article>
</body></html>"""


def test_soupsieve_css_picks_elements_plain_css_cannot() -> None:
    selectors = {
        "title": "div.card:has(> div.text) > h2",
        "published": "div.card:-soup-contains('Fighting') > span.when",
        "body": ":is(section, div).card:not(.promo) > .text",
        "exclude": [".text > div:-soup-contains('Read also')"],
    }
    article = parse_article(PAGE, selectors=selectors, dateline="Example News")
    assert article.title == "Dam front"
    assert article.published == datetime(2017, 10, 13, tzinfo=UTC)
    assert article.body == f"{CLAIM}\n\nResidents returned to two villages on Monday."
    assert article.missing == ()


def test_alternatives_are_tried_in_order_not_in_document_order() -> None:
    article = parse_article(PAGE, selectors={"title": "article h1, h1", "body": "article"})
    assert article.title == "Army regains ground around the dam"  # not the masthead's <h1>
    assert parse_article(PAGE, selectors={"title": "h1", "body": "article"}).title == "Example News"


@pytest.mark.parametrize(("selector", "parts"), [
    ("article h1, h1", ["article h1", "h1"]),
    ("div:is(.a, .b) > p, p", ["div:is(.a, .b) > p", "p"]),
    ("a[title='x, y'], b:-soup-contains(\"1, 2\")",
     ["a[title='x, y']", 'b:-soup-contains("1, 2")']),
    ("  p  ", ["p"]),
])
def test_selector_alternatives_split_on_top_level_commas(selector: str, parts: list[str]) -> None:
    assert alternatives(selector) == parts


def test_a_selector_set_reports_the_fields_it_found() -> None:
    selectors = SelectorSet(title="article h1", published=".nothing-here", body="article")
    selected = apply_selectors(make_soup(PAGE), selectors)
    assert selected.found == {"title", "body"}
    assert selected.published is None and selected.title == "Army regains ground around the dam"
    config = {"title": "h1", "body": None, "exclude": ["nav"]}
    assert SelectorSet.from_config(config) == SelectorSet(title="h1", exclude=("nav",))


def test_a_set_that_matches_nothing_hands_over_to_generic_extraction_and_says_so() -> None:
    """A redesign shows as the set's misses; the article itself is read generically."""
    article = parse_article(PAGE, selectors={"name": "v1", "title": ".headline",
                                             "body": ".story-body"})
    assert article.selector_set == "generic"
    assert article.selector_misses == (("v1", ("title", "body")),)
    assert article.title == "Army regains ground around the dam"  # og:title
    assert CLAIM in article.body and article.missing == ()


def test_fields_without_a_selector_are_read_generically() -> None:
    article = parse_article(PAGE, selectors={"exclude": [".card"]})
    assert article.title == "Army regains ground around the dam"  # og:title
    assert article.published == datetime(2017, 10, 13, 6, 30, tzinfo=UTC)
    assert article.body == CLAIM  # the excluded cards are not the body


def test_an_invalid_selector_is_a_clear_parse_error() -> None:
    with pytest.raises(ArticleParseError, match=r"invalid CSS selector 'div:has\('"):
        parse_article(PAGE, selectors={"body": "article, div:has("})
