"""The configuration table of the README: every TERRITORY_WATCH_* default, and the store a user
gets from the data folder alone."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from cli_runner import tw

from territory_watch.config.settings import BUNDLED, VARIABLES, Settings


def test_defaults_of_every_variable() -> None:
    settings = Settings.from_env({})
    home = Path("./var").resolve()
    assert (settings.home, settings.db_url) == (home, f"sqlite:///{home / 'territory-watch.db'}")
    assert (settings.sources_path, settings.rules_path) == (BUNDLED / "sources.yaml",
                                                            BUNDLED / "rules.yaml")
    assert (settings.schedule, settings.task_retries) == ("0 */6 * * *", 2)
    assert (settings.crawl_pool, settings.crawl_pool_slots) == ("territory_watch_crawl", 2)
    assert settings.scrapy_overrides == {} and settings.lease_timeout == timedelta(seconds=900)
    assert (settings.retry_delay, settings.hostname) == (timedelta(minutes=5), None)


def test_each_variable_is_read() -> None:
    env = {"TERRITORY_WATCH_HOME": "/srv/tw", "TERRITORY_WATCH_DB": "postgresql+psycopg2://db/tw",
           "TERRITORY_WATCH_SOURCES": "/etc/tw/sources.yaml",
           "TERRITORY_WATCH_RULES": "/etc/tw/rules.yaml", "TERRITORY_WATCH_SCHEDULE": "0 0 * * *",
           "TERRITORY_WATCH_TASK_RETRIES": "4", "TERRITORY_WATCH_CRAWL_POOL": "crawls",
           "TERRITORY_WATCH_CRAWL_POOL_SLOTS": "3",
           "TERRITORY_WATCH_SCRAPY_SETTINGS": '{"DOWNLOAD_DELAY": 2}',
           "TERRITORY_WATCH_LEASE_TIMEOUT": "60", "TERRITORY_WATCH_RETRY_DELAY": "2",
           "TERRITORY_WATCH_HOSTNAME": "worker-1.internal"}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    documented = set(re.findall(r"^\| `(TERRITORY_WATCH_\w+)`", readme, re.MULTILINE))
    assert set(env) == set(VARIABLES) == documented  # the README's table, the code, this test
    settings = Settings.from_env(env)
    assert (settings.home, settings.db_url) == (Path("/srv/tw"), "postgresql+psycopg2://db/tw")
    assert (settings.sources_path, settings.rules_path) == (Path("/etc/tw/sources.yaml"),
                                                            Path("/etc/tw/rules.yaml"))
    assert (settings.schedule, settings.task_retries) == ("0 0 * * *", 4)
    assert (settings.crawl_pool, settings.crawl_pool_slots) == ("crawls", 3)
    assert settings.scrapy_overrides == {"DOWNLOAD_DELAY": 2}
    assert settings.lease_timeout == timedelta(seconds=60)
    assert (settings.retry_delay, settings.hostname) == (timedelta(seconds=2), "worker-1.internal")
    # the lease timeout's old name still works
    assert Settings.from_env({"TERRITORY_WATCH_CLAIM_TIMEOUT": "30"}).lease_timeout == \
        timedelta(seconds=30)


def test_the_store_is_a_sqlite_file_in_the_data_folder(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    listed = tw("figures", env={"TERRITORY_WATCH_HOME": str(home)})
    assert listed.returncode == 0, listed.stderr
    assert (home / "territory-watch.db").is_file()
