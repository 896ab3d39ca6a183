"""An Airflow environment for the project's DAGs: `make up`, the demo, the deployments and the
tests use it.

`python -m territory_watch.orchestration.airflow_env up` is `make up`
(territory_watch.orchestration.up); `... init` prepares a deployment's metadata database, crawl
pool and store (docker's airflow-init runs it); any other arguments are an airflow command run
with the DAGs folder of this checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, TypedDict, Unpack

from territory_watch.config.settings import Settings
from territory_watch.orchestration.postgres_cluster import running_port, url

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"


def airflow_env(settings: Settings, extra: Mapping[str, str] | None = None, *,
                base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment variables for an Airflow process serving the project's DAGs."""
    env = dict(os.environ if base is None else base)
    home = settings.home / "airflow"
    env.setdefault("AIRFLOW_HOME", str(home))
    env.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS_FOLDER))
    env.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    env.setdefault("AIRFLOW__CORE__PARALLELISM", "4")
    env.setdefault("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", "False")
    env.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "INFO")
    env["TERRITORY_WATCH_HOME"] = str(settings.home)
    env["TERRITORY_WATCH_DB"] = settings.db_url
    env["TERRITORY_WATCH_SOURCES"] = str(settings.sources_path)
    env["TERRITORY_WATCH_RULES"] = str(settings.rules_path)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra or {})
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    return env


class RunOptions(TypedDict, total=False):
    """The `subprocess.run` options callers of `airflow` pass."""

    capture_output: bool
    text: bool
    stdout: int | IO[Any] | None
    stderr: int | IO[Any] | None
    timeout: float | None


def airflow(*args: str, env: dict[str, str], **kwargs: Unpack[RunOptions]) -> subprocess.CompletedProcess:
    """Run an `airflow` CLI command of this environment."""
    executable = str(Path(sys.executable).parent / "airflow")
    return subprocess.run([executable, *args], env=env, **kwargs)


def prepare_metadata(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Migrate the Airflow metadata DB, create the crawl pool (politeness: by default at most
    two crawls at once across all runs and workers) and the store's tables. Idempotent."""
    from storage import Store

    migrated = airflow("db", "migrate", env=env, capture_output=True, text=True)
    if migrated.returncode != 0:
        return migrated
    settings = Settings.from_env(env)
    pool = airflow("pools", "set", settings.crawl_pool, str(settings.crawl_pool_slots),
                   "territory-watch crawls (politeness)", env=env, capture_output=True,
                   text=True)
    if pool.returncode == 0:
        Store(settings.db_url).close()  # the tables (Alembic), before any task opens the store
    return pool


def running_make_up(settings: Settings) -> dict[str, str]:
    """The metadata database of the `make up` running on this data folder, if one runs (so that
    `airflow connections add ...` reaches it)."""
    from territory_watch.orchestration.up import METADATA_DATABASE, cluster_folder

    port = running_port(cluster_folder(settings))
    return {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": url(port, METADATA_DATABASE)} if port else {}


def main(argv: list[str]) -> int:
    """``up`` (`make up`), ``init`` (metadata, crawl pool and store of a deployment) or any
    airflow subcommand, in the project's Airflow environment."""
    if argv[:1] == ["up"]:
        from territory_watch.orchestration.up import up

        return up()
    settings = Settings.from_env()
    env = airflow_env(settings, running_make_up(settings))
    if argv[:1] == ["init"]:
        prepared = prepare_metadata(env)
        print(prepared.stdout, prepared.stderr, file=sys.stderr if prepared.returncode else sys.stdout)
        return prepared.returncode
    return airflow(*argv, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
