"""Extra held-out check: every sample-site article, rendered by the site's own templates, through
parse_article + extract_figures, against the figures its YAML says it reports
(`reported_figures`, written with the site and never used to tune the engine).

Matched on actor (canonical), metric, value and value_max, with unit, qualifier and modality
as attributes. Place and speaker are not compared: the site records them loosely ("Iraq and
Syria", "a spokesman for the command") where the engine gives a place named in the sentence
and a person's name.
"""

from __future__ import annotations

import pytest

from demo.site.content import Article, load_articles
from demo.site.pages import SitePages
from parsers.article import parse_article
from parsers.figures import extract_figures
from parsers.figures.actors import canonical

ARTICLES = sorted(load_articles(), key=lambda a: a.id)
SITE = SitePages(ARTICLES, [], "http://127.0.0.1:8000")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.005 * max(abs(a), abs(b)), 0.01)


def _figures(article: Article):
    parsed = parse_article(SITE.article(article).text, dateline="Alwaght")
    assert parsed.title == article.title
    assert parsed.published is not None
    return extract_figures(parsed.body, title=parsed.title, published=parsed.published.date())


def _stated(modality: str) -> str:
    """A party's own claim ("the Joint Operations Command said the army retook ...") is a
    stated figure like an asserted one; the site's labels predate the distinction."""
    return "asserted" if modality == "claimed" else modality


@pytest.mark.parametrize("article", ARTICLES, ids=[str(a.id) for a in ARTICLES])
def test_reported_figures_are_extracted(article: Article) -> None:
    got = list(_figures(article))
    for want in article.reported_figures:
        actor = canonical(want["actor"])
        match = next((f for f in got if f.actor == actor and f.metric == want["metric"]
                      and _close(f.value, float(want["value"]))
                      and (f.value_max is None) == (want.get("value_max") is None)
                      and (f.value_max is None or _close(f.value_max, float(want["value_max"])))),
                     None)
        assert match is not None, (want, [(f.actor, f.metric, f.value) for f in got])
        got.remove(match)
        assert (match.unit, match.qualifier, _stated(match.modality)) == (
            want["unit"], want["qualifier"], _stated(want["modality"])), (want, match)
    assert not got, [(f.actor, f.metric, f.value, f.sentence) for f in got]
