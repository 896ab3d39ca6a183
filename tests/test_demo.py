"""`make demo` end to end: the real DAG through `airflow dags test`, alerts at both sinks."""

from pathlib import Path

import pytest

from demo.run import run_demo


def test_demo_delivers_the_seed_alert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_demo(tmp_path / "demo") == 0
    out = capsys.readouterr().out
    assert "Subject: [territory-watch] Islamic State lost 5,841 km² during the last month" in out
    assert "Islamic State lost 5,841 km² during the last month" in out.split("Slack message")[1]
    emls = sorted((tmp_path / "demo" / "mail").glob("*.eml"))
    assert any("5,841" in p.read_text(errors="replace") for p in emls)
    assert "5,841" in (tmp_path / "demo" / "slack.jsonl").read_text()
