"""Selector chains: several selector sets per source, tried by the page's day then in order;
the sources file stays backward compatible and bad selectors are refused at load."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from cli_runner import tw
from crawl_helpers import edit_source, pages_by_path

from crawlers.sources import load_sources
from demo.site import SampleSite
from parsers.article import parse_article
from parsers.config_file import ConfigError
from parsers.selector_chain import SelectorChain
from territory_watch.config.settings import Settings

STORY = ("Army engineers reopened the river crossing on Sunday after clearing the last mines "
         "from the approach roads, the district governor told reporters at the site.")
OLD_DESIGN = f"""<html><head><title>Crossing reopened</title></head><body>
<div id="main"><h2 class="headline">Crossing reopened</h2>
<p class="dateline">Sunday 8 October 2017</p>
<div class="story"><p>{STORY}</p><p>Traffic resumed within the hour.</p></div>
<div class="more"><p>Also read: an older story about the dam, with 320 square kilometres.</p></div>
</div></body></html>"""
NEW_SET = {"name": "2024-redesign", "since": "2024-03-01", "title": "h2.headline",
           "published": ".dateline", "body": "#main"}  # in 2017 pages #main holds "more" too
OLD_SET = {"name": "original", "until": "2024-03-01", "title": "h2.headline",
           "published": ".dateline", "body": ".story"}


def write(tmp_path: Path, selectors: object) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [{
        "name": "example", "title": "Example", "allowed_domains": ["example.org"],
        "listings": ["https://example.org/news"], "selectors": selectors}]}))
    return path


def test_one_selectors_mapping_still_loads_as_a_set_named_default(tmp_path: Path) -> None:
    source = load_sources(write(tmp_path, {"title": "h1", "body": ".story",
                                           "exclude": ["aside"]}))[0]
    (only,) = source.selector_chain.sets
    assert (only.name, only.title, only.body, only.exclude) == ("default", "h1", ".story",
                                                                ("aside",))
    assert load_sources(write(tmp_path, None))[0].selector_chain.sets == ()


def test_a_list_of_sets_keeps_its_order_names_and_dates(tmp_path: Path) -> None:
    source = load_sources(write(tmp_path, [NEW_SET, OLD_SET, {"body": "article"}]))[0]
    chain = source.selector_chain
    assert list(chain.names()) == ["2024-redesign", "original", "set-3"]
    assert chain.sets[0].since == date(2024, 3, 1) and chain.sets[1].until == date(2024, 3, 1)


def test_the_pages_day_picks_the_sets_that_cover_it_first() -> None:
    chain = SelectorChain.from_config([NEW_SET, OLD_SET])
    assert [s.name for s in chain.ordered(date(2017, 10, 8))] == ["original", "2024-redesign"]
    assert [s.name for s in chain.ordered(date(2024, 5, 1))] == ["2024-redesign", "original"]
    assert [s.name for s in chain.ordered(None)] == ["2024-redesign", "original"]


def test_a_2017_page_is_read_with_the_2017_set_although_the_newer_set_matches_too() -> None:
    url = "https://example.org/news/2017/10/08/crossing"
    for published in (datetime(2017, 10, 8, tzinfo=UTC), None):  # given, or the URL's day
        article = parse_article(OLD_DESIGN, url, [NEW_SET, OLD_SET], published=published)
        assert article.selector_set == "original" and article.selector_misses == ()
        assert article.body == f"{STORY}\n\nTraffic resumed within the hour."
    # nothing on the page or in its URL dates it: the fetch day orders the sets
    undated = OLD_DESIGN.replace('<p class="dateline">Sunday 8 October 2017</p>', "")
    for fetched, first in ((datetime(2017, 10, 9, tzinfo=UTC), "original"),
                           (datetime(2024, 4, 1, tzinfo=UTC), "2024-redesign")):
        article = parse_article(undated, "https://example.org/a", [NEW_SET, OLD_SET],
                                fetched=fetched)
        assert article.selector_misses[0][0] == first
    # the newer set, tried first on a recent day, takes the related-story box along
    recent = parse_article(OLD_DESIGN, "https://example.org/b", [NEW_SET, OLD_SET],
                           published=date(2024, 6, 1))
    assert recent.selector_set == "2024-redesign" and "Also read" in recent.body


def test_the_first_set_that_yields_every_field_wins_and_earlier_misses_are_named() -> None:
    broken = {"name": "broken", "title": ".nope", "published": ".dateline", "body": ".nope"}
    article = parse_article(OLD_DESIGN, None, [broken, OLD_SET])
    assert article.selector_set == "original"
    assert article.selector_misses == (("broken", ("title", "body")),)
    assert article.published == datetime(2017, 10, 8, tzinfo=UTC)


def test_when_no_set_yields_a_field_generic_extraction_takes_over() -> None:
    no_date = {"name": "no-date", "title": "h2.headline", "published": ".nope", "body": ".story"}
    article = parse_article(OLD_DESIGN, None, [no_date], dateline=None)
    assert article.selector_set == "generic"
    assert article.selector_misses == (("no-date", ("published",)),)
    assert article.title == "Crossing reopened" and STORY in article.body
    assert article.published == datetime(2017, 10, 8, tzinfo=UTC)  # htmldate read the text
    assert article.missing == ()


@pytest.mark.parametrize(("selectors", "message"), [
    ([NEW_SET, {**OLD_SET, "body": "div:has("}], r"sources\.0\.selectors\.1\.body \(example › "
                                                  r"original\).*invalid CSS selector 'div:has\('"),
    ({"title": "h1", "exclude": ["p::"]}, r"sources\.0\.selectors.*exclude.*invalid CSS"),
    ([{**NEW_SET, "until": "2023-01-01"}], "since .* must come before until"),
    ([NEW_SET, {**OLD_SET, "name": "2024-redesign"}], "two selector sets named '2024-redesign'"),
    ([{**OLD_SET, "name": "generic"}], "names the generic extractor"),
    ([{**OLD_SET, "since": "last spring"}], r"selectors\.0\.since"),
])
def test_bad_selector_sets_are_config_errors_naming_file_source_and_key(
        tmp_path: Path, selectors: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as error:
        load_sources(write(tmp_path, selectors))
    assert str(tmp_path / "sources.yaml") in str(error.value)


def test_crawl_and_reparse_read_each_page_with_the_set_of_its_day(
        site: SampleSite, tw_settings: Settings) -> None:
    """The sample site's articles span Aug-Nov 2017: both sets match every page, so the
    page's day alone decides which set reads it, in the crawl and again in `reparse`."""
    common = yaml.safe_load(tw_settings.sources_path.read_text())["sources"][0]["selectors"][0]
    november = {**common, "name": "november", "since": "2017-11-01"}
    before = {**common, "name": "before-november", "until": "2017-11-01"}
    edit_source(tw_settings, selectors=[november, before])
    assert tw("crawl").returncode == 0

    def sets_by_month() -> dict[str, set[str]]:
        months: dict[str, set[str]] = {}
        for page in pages_by_path(tw_settings, site).values():
            if page.discovered_published is None:
                continue
            month = "november" if page.discovered_published.month == 11 else "before"
            months.setdefault(month, set()).add(page.selector_set)
        return months

    assert sets_by_month() == {"november": {"november"}, "before": {"before-november"}}
    edit_source(tw_settings, selectors=[before, november])  # order no longer decides ...
    assert tw("reparse").returncode == 0
    assert sets_by_month() == {"november": {"november"}, "before": {"before-november"}}
