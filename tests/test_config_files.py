"""Sources and rules files: the bundled ones load; bad ones give errors naming file and key."""

from pathlib import Path

import pytest

from alerting.rules import load_rules
from crawlers.sources import load_sources
from parsers.config_file import ConfigError
from territory_watch.config.settings import BUNDLED


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_bundled_files_load() -> None:
    sources = load_sources(BUNDLED / "sources.yaml")
    assert [s.name for s in sources] == ["alwaght"]
    assert sources[0].is_article_url("https://alwaght.net/en/News/12345/Some-Slug")
    assert sources[0].is_article_url("https://alwaght.com/en/news/113832/")  # both cases
    assert sources[0].is_article_url("http://alwaght.net/en/News/57288")  # no slug
    assert not sources[0].is_article_url("https://alwaght.net/en/tag/Syria")
    assert not sources[0].is_article_url("https://alwaght.net/en/NewsLetter/12345")
    assert sources[0].allowed_domains == ["alwaght.net", "alwaght.com"]
    rules = load_rules(BUNDLED / "rules.yaml")
    assert {c.type for c in rules.channels.values()} == {"email", "slack"}
    loss = next(r for r in rules.rules if r.name == "large-territorial-loss")
    assert loss.matches("Islamic State", "area_lost", 5841, "asserted")
    assert not loss.matches("Islamic State", "area_lost", 5841, "future")
    assert not loss.matches("Islamic State", "area_lost", 1000, "asserted")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: [", "invalid YAML"),
        ("sources:\n  - name: Bad Name\n    title: x\n    allowed_domains: [a.org]\n"
         "    feeds: [http://a.org/rss]\n", "sources.0.name"),
        ("sources:\n  - name: a\n    title: x\n    allowed_domains: [a.org]\n", "at least one of"),
        ("sources:\n  - name: a\n    title: x\n    allowed_domains: [a.org]\n"
         "    feeds: [ftp://a.org/rss]\n", "not an http(s) URL"),
        ("sources:\n  - name: a\n    title: x\n    allowed_domains: [a.org]\n"
         "    listings: [http://a.org/]\n    article_pattern: '(['\n", "regular expression"),
        ("sources:\n  - name: a\n    title: x\n    allowed_domains: [a.org]\n"
         "    listings: [http://a.org/]\n    selector: {}\n", "sources.0.selector"),
    ],
)
def test_bad_sources_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_sources(write(tmp_path, text))
    assert str(tmp_path) in str(err.value)
    assert message in str(err.value)


def test_unknown_source_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown source.*nope"):
        load_sources(BUNDLED / "sources.yaml", ["nope"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("channels: {}\nrules:\n  - {name: r, metric: area_lost, above: 1, channels: [email]}\n",
         "undefined channel"),
        ("channels: {email: {connection: c}}\nrules: []\n", "needs at least one `to`"),
        ("channels: {slack: {connection: c}}\nrules:\n"
         "  - {name: r, metric: area_lust, above: 1, channels: [slack]}\n", "unknown metric"),
        ("channels: {slack: {connection: c}}\nrules:\n"
         "  - {name: r, metric: area_lost, channels: [slack]}\n", "needs `above`, `below`, `change` or `crosses`"),
        ("channels: {pager: {connection: c}}\nrules: []\n", "needs `type: email`"),
    ],
)
def test_bad_rules_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_rules(write(tmp_path, text))


def test_rule_actor_is_alias_aware(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, (
        "channels: {slack: {connection: c}}\nrules:\n"
        "  - {name: r, metric: [area_lost, area_controlled], actor: Daesh, below: 20000,"
        " channels: [slack]}\n")))
    rule = rules.rules[0]
    assert rule.actor == "Islamic State"
    assert rule.matches("Islamic State", "area_controlled", 14800, "asserted")
    assert not rule.matches("Syrian government", "area_controlled", 14800, "asserted")
