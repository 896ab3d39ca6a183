"""`make demo` end to end: the real DAG through `airflow dags test`, alerts at both sinks."""

from pathlib import Path

import pytest

from demo.run import run_demo


def test_demo_delivers_the_seed_alert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "left-from-last-demo.eml").write_text("stale")
    assert run_demo(folder) == 0
    out = capsys.readouterr().out
    assert not (folder / "left-from-last-demo.eml").exists()  # wiped: every demo starts afresh
    assert "Where to look" in out
    for path in (folder / "mail", folder / "slack.jsonl", folder / "territory-watch.db",
                 folder / "dag-test.log"):
        assert str(path) in out and path.exists(), path
    assert "Subject: [territory-watch] Islamic State lost 5,841 km² during the last month" in out
    assert "Islamic State lost 5,841 km² during the last month" in out.split("Slack message")[1]
    emls = sorted((tmp_path / "demo" / "mail").glob("*.eml"))
    assert any("5,841" in p.read_text(errors="replace") for p in emls)
    assert "5,841" in (tmp_path / "demo" / "slack.jsonl").read_text()
