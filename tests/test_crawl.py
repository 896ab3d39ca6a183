"""Real crawls over HTTP of the sample site on 127.0.0.1, through the console script."""

from __future__ import annotations

import dataclasses
import re
import zlib
from pathlib import Path

import yaml
from cli_runner import SEED_WINDOW, tw
from crawl_helpers import mirror_source
from sqlalchemy import func, select

from demo.site import SampleSite
from storage import Store
from storage.models import ArticleRow, FigureRow, PageRow
from territory_watch.config.settings import Settings

ARTICLE_PATH = re.compile(r"^/en/News/\d+/")


def article_requests(site: SampleSite) -> list[str]:
    return [p for p in site.requests.paths() if ARTICLE_PATH.match(p)]


def test_crawl_archives_parses_and_extracts(site: SampleSite, tw_settings: Settings) -> None:
    result = tw("crawl")
    assert result.returncode == 0, result.stderr
    assert f"{len(site.articles)} fetched" in result.stdout
    store = Store(tw_settings.db_url)
    with store.session() as session:
        assert session.scalar(select(func.count(ArticleRow.id))) == len(site.articles)
        seed = session.scalar(select(ArticleRow).where(ArticleRow.url.contains("/11402/")))
        page = session.get(PageRow, seed.page_id)
        assert b"Editor's Choice" in zlib.decompress(page.raw)  # raw page archived whole
        assert seed.body.startswith("Areas occupied by ISIS")  # dateline and sidebar gone
        assert "Most Viewed" not in seed.body
        assert seed.published.isoformat().startswith("2017-10-13")
        lost = session.scalars(select(FigureRow).where(FigureRow.metric == "area_lost",
                                                    FigureRow.article_id == seed.id)).all()
        assert [(f.actor, f.value) for f in lost] == [("Islamic State", 5841.0)]


def test_second_crawl_fetches_no_article_again(site: SampleSite, tw_settings: Settings) -> None:
    assert tw("crawl").returncode == 0
    first = len(article_requests(site))
    assert first >= len(site.articles)
    second = tw("crawl")
    assert second.returncode == 0, second.stderr
    assert "0 fetched" in second.stdout
    assert len(article_requests(site)) == first


def test_figures_command_lists_stored_figures(site: SampleSite, tw_settings: Settings) -> None:
    assert tw("crawl").returncode == 0
    table = tw("figures", "--actor", "ISIS", "--metric", "area_lost", "--since", "2017-10-13",
               "--until", "2017-10-14")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.strip().splitlines()
    assert len(lines) == 2 and "5,841 km²" in lines[1]
    jsonl = tw("figures", "--format", "jsonl", "--metric", "settlements_lost",
               "--since", "2017-10-13", "--until", "2017-10-14")
    assert '"value": 142.0' in jsonl.stdout and '"source": "alwaght"' in jsonl.stdout


def test_private_targets_refused_unless_allowed(site: SampleSite, tw_settings: Settings) -> None:
    config = yaml.safe_load(tw_settings.sources_path.read_text())
    config["sources"][0]["allow_private_addresses"] = False
    tw_settings.sources_path.write_text(yaml.safe_dump(config))
    result = tw("crawl")
    assert result.returncode == 1  # every source failed
    assert "loopback or private network" in result.stdout
    assert article_requests(site) == []


def test_bad_configuration_exits_2_with_a_clear_message(tmp_path: Path,
                                                        tw_settings: Settings) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: x\n    title: X\n    allowed_domains: []\n")
    result = tw("crawl", env={"TERRITORY_WATCH_SOURCES": str(bad)})
    assert result.returncode == 2
    assert "bad.yaml" in result.stderr and "allowed_domains" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_source_fetched_only_then_parsed_then_run(site: SampleSite,
                                                      tw_settings: Settings) -> None:
    copy = dataclasses.replace(site.article(11402), id=77, slug="Mirror-Copy", url=None, tags=())
    with mirror_source(tw_settings, [copy]) as mirror:
        fetched = tw("crawl", "--source", "mirror", "--fetch-only")
        assert fetched.returncode == 0, fetched.stderr
        assert "mirror: ok: 1 fetched" in fetched.stdout and "alwaght" not in fetched.stdout
        assert site.requests.paths() == []  # --source: the other source is not even asked
        assert article_requests(mirror) == [copy.path]
        assert "extract:" not in fetched.stdout  # --fetch-only: archived, not parsed
        store = Store(tw_settings.db_url)
        with store.session() as session:
            page = session.scalars(select(PageRow)).one()
            assert page.url == mirror.url(copy.path) and page.raw and page.parsed_hash is None
            assert session.scalar(select(func.count(ArticleRow.id))) == 0

        parsed = tw("crawl", "--source", "mirror")  # the archived page is parsed now
        assert parsed.returncode == 0, parsed.stderr
        assert "mirror: ok: 0 fetched" in parsed.stdout
        assert re.search(r"extract: 1 pages parsed, 1 articles, [1-9]\d* figures", parsed.stdout)
        assert article_requests(mirror) == [copy.path] and site.requests.paths() == []

        ran = tw("run", "--source", "mirror", "--no-notify", *SEED_WINDOW)  # a cycle of one
        assert ran.returncode == 0, ran.stderr
        assert "mirror: ok: 0 fetched" in ran.stdout and "alwaght" not in ran.stdout
        assert "evaluate: 3 new alerts" in ran.stdout and site.requests.paths() == []
