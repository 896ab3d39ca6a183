"""Shared fixtures. Airflow's home is pointed at a throw-away folder before anything imports it."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="tw-airflow-"))
os.environ["AIRFLOW_HOME"] = str(_AIRFLOW_HOME)
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
# a failing task fails the test at once instead of waiting out the production retry delay
os.environ["TERRITORY_WATCH_TASK_RETRIES"] = "0"

from demo.run import connection_env, demo_sources  # noqa: E402,F401
from demo.sinks import SmtpSink, WebhookSink  # noqa: E402
from demo.site import SampleSite, serve_sample_site  # noqa: E402
from territory_watch.config.settings import BUNDLED, Settings  # noqa: E402
from territory_watch.orchestration.airflow_env import prepare_metadata  # noqa: E402

pytest_plugins = ["airflow_make_up"]  # its `airflow_stack` fixture (a real `make up`)

# politeness delays off for the local sample site; small timeouts keep fault tests bounded
FAST_CRAWL = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 5,
              "RETRY_TIMES": 1}


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """A migrated Airflow metadata DB (SQLite) with the crawl pool, in the test Airflow home."""
    result = prepare_metadata(os.environ.copy())
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture
def site() -> Iterator[SampleSite]:
    """The sample Alwaght-like site on 127.0.0.1."""
    with serve_sample_site() as served:
        yield served


@pytest.fixture
def smtp_sink(tmp_path: Path) -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1."""
    with SmtpSink(folder=tmp_path / "mail") as sink:
        yield sink


@pytest.fixture
def webhook_sink(tmp_path: Path) -> Iterator[WebhookSink]:
    """A real HTTP server answering like a Slack incoming webhook."""
    with WebhookSink(file=tmp_path / "slack.jsonl") as sink:
        yield sink


@pytest.fixture
def tw_settings(tmp_path: Path, site: SampleSite, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh data folder, the sample site as the only source, bundled rules; set in the env."""
    home = tmp_path / "home"
    home.mkdir()
    sources = home / "sources.yaml"
    sources.write_text(yaml.safe_dump(demo_sources(site.base_url)))
    settings = Settings(home=home, db_url=f"sqlite:///{home / 'tw.db'}", sources_path=sources,
                        rules_path=BUNDLED / "rules.yaml", scrapy_overrides=FAST_CRAWL)
    monkeypatch.setenv("TERRITORY_WATCH_HOME", str(home))
    monkeypatch.setenv("TERRITORY_WATCH_DB", settings.db_url)
    monkeypatch.setenv("TERRITORY_WATCH_SOURCES", str(sources))
    monkeypatch.setenv("TERRITORY_WATCH_RULES", str(settings.rules_path))
    monkeypatch.setenv("TERRITORY_WATCH_SCRAPY_SETTINGS", json.dumps(FAST_CRAWL))
    return settings


@pytest.fixture
def channels(smtp_sink: SmtpSink, webhook_sink: WebhookSink,
             monkeypatch: pytest.MonkeyPatch) -> tuple[SmtpSink, WebhookSink]:
    """Both sinks, set as the bundled rules' two connections (AIRFLOW_CONN_* variables)."""
    for key, value in connection_env(smtp_sink, webhook_sink).items():
        monkeypatch.setenv(key, value)
    return smtp_sink, webhook_sink
