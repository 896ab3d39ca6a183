"""`territory-watch extract` as users run it: FILE, -, --jsonl with ids, and bad batch input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import tw

# the project's own copy of ../shared/seeds/000_08374aef6786541f.txt (word for word)
SEED = (Path(__file__).resolve().parents[1] / "demo" / "site" / "data"
        / "seeds" / "000_08374aef6786541f.txt")
SEED_FIGURES = [
    ("Islamic State", "share_controlled", 8.0),
    ("Islamic State", "area_controlled", 14800.0),
    ("Islamic State", "area_lost", 5841.0),
    ("Islamic State", "settlements_lost", 142.0),
]
PAGE = """<!DOCTYPE html><html><head><title>Front line | News</title>
<meta property="article:published_time" content="2017-11-09T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Army advances east of Raqqa</h1>
<p>Syrian government forces captured 23 villages from ISIS during the last month, the army said.</p>
<p>Residents described heavy shelling through the night and long queues at checkpoints.</p></article>
<aside class="sidebar"><p>Most read: ISIS lost 999 villages in a story from another day.</p></aside>
</body></html>"""


def _figures(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _triples(figures: list[dict]) -> list[tuple[str, str, float]]:
    return [(f["actor"], f["metric"], f["value"]) for f in figures]


def test_file_gives_the_four_seed_figures() -> None:
    result = tw("extract", str(SEED), "--published", "2017-10-13")
    assert result.returncode == 0, result.stderr
    figures = _figures(result.stdout)
    assert _triples(figures) == SEED_FIGURES
    assert {f["id"] for f in figures} == {str(SEED)}
    lost = figures[2]
    assert lost["period"] == {"text": "during the last month", "start": "2017-09-13", "end": "2017-10-13"}


def test_html_file_uses_the_article_not_the_page_chrome(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = tw("extract", str(page), "--url", "https://example.org/a/1")
    assert result.returncode == 0, result.stderr
    figures = _figures(result.stdout)
    assert _triples(figures) == [("Islamic State", "settlements_lost", 23.0)]
    assert figures[0]["url"] == "https://example.org/a/1"
    assert figures[0]["period"]["end"] == "2017-11-09"  # published date read from the page


def test_stdin_dash() -> None:
    result = tw("extract", "-", stdin="The Taliban now control about 40 percent of Afghanistan.\n")
    assert result.returncode == 0, result.stderr
    figures = _figures(result.stdout)
    assert _triples(figures) == [("Taliban", "share_controlled", 40.0)]
    assert figures[0]["id"] is None and figures[0]["qualifier"] == "approx"


def test_jsonl_records_carry_their_ids(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    records = [
        {"id": "a1", "text": "ISIS lost 5,841 square kilometers during the last month.",
         "published": "2017-10-13"},
        {"id": 7, "html": PAGE},
        {"id": "none", "text": "Diplomats are due to meet in Geneva next week."},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    result = tw("extract", "--jsonl", str(batch))
    assert result.returncode == 0, result.stderr
    figures = _figures(result.stdout)
    assert [(f["id"], f["metric"], f["value"]) for f in figures] == [
        ("a1", "area_lost", 5841.0), ("7", "settlements_lost", 23.0)]
    assert figures[0]["period"]["start"] == "2017-09-13"


def test_jsonl_from_stdin() -> None:
    line = json.dumps({"id": "s", "text": "Rebels hold roughly a quarter of Idlib province."})
    result = tw("extract", "--jsonl", "-", stdin=line + "\n")
    assert result.returncode == 0, result.stderr
    assert [(f["id"], f["actor"], f["value"]) for f in _figures(result.stdout)] == [
        ("s", "Syrian opposition", 25.0)]


@pytest.mark.parametrize("bad, message", [
    ('{"id": "x", "text": "unterminated', "not JSON"),
    ('["a list", "not an object"]', 'need an object with "text" or "html"'),
    ('{"id": "y", "body": "no text or html key"}', 'need an object with "text" or "html"'),
])
def test_malformed_jsonl_line_exits_2_naming_the_line(tmp_path: Path, bad: str, message: str) -> None:
    batch = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "ok", "text": "ISIS lost 10 villages."})
    batch.write_text(f"{good}\n\n{bad}\n{good}\n", encoding="utf-8")
    result = tw("extract", "--jsonl", str(batch))
    assert result.returncode == 2
    assert f"{batch}:3:" in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_no_input_is_a_usage_error() -> None:
    result = tw("extract")
    assert result.returncode == 2
    assert "give FILE|- or --jsonl FILE|-" in result.stderr


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = tw("extract", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert "missing.txt: cannot read" in result.stderr


def test_html_without_an_article_gives_no_figures_and_says_why(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    empty_page = "<html><head><title>Video</title></head><body><div id=player></div></body></html>"
    records = [{"id": "video", "html": empty_page}, {"id": 7, "html": PAGE}]
    batch.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = tw("extract", "--jsonl", str(batch))
    assert result.returncode == 0, result.stderr
    assert [f["id"] for f in _figures(result.stdout)] == ["7"]
    assert "video: no figures: no article text found" in result.stderr
