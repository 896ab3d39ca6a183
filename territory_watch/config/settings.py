"""Every `TERRITORY_WATCH_*` environment variable, read in one place (README "Configuration").

The lower layers (parsers, storage, crawlers, alerting) never read the environment: the
application resolves the variables here and hands the values down as arguments.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from parsers.config_file import ConfigError

BUNDLED = Path(__file__).resolve().parents[1] / "bundled"

DEFAULT_SCHEDULE = "0 */6 * * *"
DEFAULT_TASK_RETRIES = 2
DEFAULT_RETRY_DELAY = timedelta(minutes=5)
DEFAULT_CRAWL_POOL = "territory_watch_crawl"
DEFAULT_CRAWL_POOL_SLOTS = 2
DEFAULT_LEASE_TIMEOUT = timedelta(seconds=900)

#: variable -> what it sets (README's configuration table lists the same)
VARIABLES = {
    "TERRITORY_WATCH_HOME": "data folder: database file, Airflow home of `make up`, demo",
    "TERRITORY_WATCH_DB": "SQLAlchemy URL of the store",
    "TERRITORY_WATCH_SOURCES": "sources file (YAML)",
    "TERRITORY_WATCH_RULES": "alert rules file (YAML)",
    "TERRITORY_WATCH_SCHEDULE": "cron of the DAG's data intervals",
    "TERRITORY_WATCH_TASK_RETRIES": "retries of each DAG task",
    "TERRITORY_WATCH_RETRY_DELAY": "seconds between a failed task and its retry",
    "TERRITORY_WATCH_CRAWL_POOL": "Airflow pool bounding concurrent crawls",
    "TERRITORY_WATCH_CRAWL_POOL_SLOTS": "slots of that pool (set by `make up`, demo, Docker init)",
    "TERRITORY_WATCH_SCRAPY_SETTINGS": "JSON object of Scrapy setting overrides",
    "TERRITORY_WATCH_LEASE_TIMEOUT": "seconds after which a dead notifier's lease is taken over",
    "TERRITORY_WATCH_HOSTNAME": "hostname Airflow records for this machine's processes",
}
#: older names still honoured
RENAMED = {"TERRITORY_WATCH_CLAIM_TIMEOUT": "TERRITORY_WATCH_LEASE_TIMEOUT"}


@dataclass(frozen=True)
class Settings:
    """Resolved configuration for one process."""

    home: Path
    db_url: str
    sources_path: Path
    rules_path: Path
    schedule: str = DEFAULT_SCHEDULE
    task_retries: int = DEFAULT_TASK_RETRIES
    retry_delay: timedelta = DEFAULT_RETRY_DELAY
    crawl_pool: str = DEFAULT_CRAWL_POOL
    crawl_pool_slots: int = DEFAULT_CRAWL_POOL_SLOTS
    scrapy_overrides: Mapping[str, Any] = field(default_factory=dict)
    lease_timeout: timedelta = DEFAULT_LEASE_TIMEOUT
    hostname: str | None = None  # None: the machine's fully qualified name

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the `TERRITORY_WATCH_*` variables, falling back to the defaults."""
        env = dict(os.environ if environ is None else environ)
        for old, new in RENAMED.items():
            if old in env and new not in env:
                env[new] = env[old]
        home = Path(env.get("TERRITORY_WATCH_HOME") or "./var").resolve()
        return cls(
            home=home,
            db_url=env.get("TERRITORY_WATCH_DB") or default_store_url(home),
            sources_path=Path(env.get("TERRITORY_WATCH_SOURCES") or BUNDLED / "sources.yaml"),
            rules_path=Path(env.get("TERRITORY_WATCH_RULES") or BUNDLED / "rules.yaml"),
            schedule=env.get("TERRITORY_WATCH_SCHEDULE") or DEFAULT_SCHEDULE,
            task_retries=_integer(env, "TERRITORY_WATCH_TASK_RETRIES", DEFAULT_TASK_RETRIES),
            retry_delay=timedelta(seconds=_number(env, "TERRITORY_WATCH_RETRY_DELAY",
                                                  DEFAULT_RETRY_DELAY.total_seconds())),
            crawl_pool=env.get("TERRITORY_WATCH_CRAWL_POOL") or DEFAULT_CRAWL_POOL,
            crawl_pool_slots=_integer(env, "TERRITORY_WATCH_CRAWL_POOL_SLOTS",
                                      DEFAULT_CRAWL_POOL_SLOTS, minimum=1),
            scrapy_overrides=_json_object(env, "TERRITORY_WATCH_SCRAPY_SETTINGS"),
            lease_timeout=timedelta(seconds=_number(env, "TERRITORY_WATCH_LEASE_TIMEOUT",
                                                    DEFAULT_LEASE_TIMEOUT.total_seconds())),
            hostname=(env.get("TERRITORY_WATCH_HOSTNAME") or "").strip() or None,
        )

    @property
    def reports_dir(self) -> Path:
        """Folder for run reports (created on demand)."""
        return self.home / "reports"


def default_store_url(home: Path) -> str:
    """The store when TERRITORY_WATCH_DB is not set: a SQLite file in the data folder."""
    return f"sqlite:///{home / 'territory-watch.db'}"


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name}: not a number: {text!r}") from None
    if value < 0:
        raise ConfigError(f"{name}: must not be negative: {text!r}")
    return value


def _integer(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name}: not a whole number: {text!r}") from None
    if value < minimum:
        raise ConfigError(f"{name}: must be at least {minimum}: {text!r}")
    return value


def _json_object(env: Mapping[str, str], name: str) -> dict[str, Any]:
    text = (env.get(name) or "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name}: not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: expected a JSON object of Scrapy settings")
    return value
