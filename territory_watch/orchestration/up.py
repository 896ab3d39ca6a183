"""`make up`: Airflow with the project's DAGs on an embedded PostgreSQL, in the foreground.

PostgreSQL (territory_watch.orchestration.postgres_cluster, data in ``$TERRITORY_WATCH_HOME/
postgres``, kept across restarts) holds Airflow's metadata (database ``airflow``) and the store
(database ``territory_watch``, unless ``TERRITORY_WATCH_DB`` names another). Airflow runs as in
every deployment (territory_watch.orchestration.deployment) with the LocalExecutor: the API
server on http://localhost:8080, the scheduler and the dag-processor, each logging to
``$AIRFLOW_HOME/components/<name>.log``.

Ctrl-C (SIGINT) or SIGTERM stops the components (SIGTERM, then SIGKILL after a few seconds) and
then PostgreSQL, and exits 0. A component that dies on its own stops everything, exit 1.
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path

from territory_watch.config.settings import Settings, default_store_url
from territory_watch.orchestration.airflow_env import airflow_env, prepare_metadata
from territory_watch.orchestration.airflow_stack import ComponentExited, check_running, start_airflow
from territory_watch.orchestration.deployment import endpoints, settings_for
from territory_watch.orchestration.postgres_cluster import PostgresCluster
from territory_watch.orchestration.services import ServiceGroup

METADATA_DATABASE = "airflow"
STORE_DATABASE = "territory_watch"
PARALLELISM = "4"  # task slots of the LocalExecutor: enough for one machine's crawl pool and more


class Stop(Exception):
    """SIGTERM asks `make up` to stop, like Ctrl-C."""


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise Stop


def up(settings: Settings | None = None) -> int:
    """Run until Ctrl-C / SIGTERM (exit 0) or until a component dies (exit 1). The API server
    listens on ``AIRFLOW__API__HOST``:``AIRFLOW__API__PORT`` (default 127.0.0.1:8080)."""
    settings = settings or Settings.from_env()
    host = os.environ.get("AIRFLOW__API__HOST") or "127.0.0.1"
    port = int(os.environ.get("AIRFLOW__API__PORT") or 8080)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    cluster = PostgresCluster.in_folder(cluster_folder(settings))
    group: ServiceGroup | None = None
    try:
        cluster.ensure_initialised()
        cluster.start()
        metadata_url = cluster.ensure_database(METADATA_DATABASE)
        if settings.db_url == default_store_url(settings.home):
            settings = replace(settings, db_url=cluster.ensure_database(STORE_DATABASE))
        env = local_env(settings, metadata_url, host, port)
        print(f"PostgreSQL {cluster.bindir.parent.name}: Airflow metadata {metadata_url}, "
              f"store {settings.db_url}", flush=True)
        prepared = prepare_metadata(env)
        if prepared.returncode != 0:
            print(prepared.stdout[-3000:], prepared.stderr[-3000:], file=sys.stderr)
            return prepared.returncode
        group = ServiceGroup(Path(env["AIRFLOW_HOME"]) / "components")
        start_airflow(group, env, f"http://127.0.0.1:{port}")
        print(f"Airflow is up: http://localhost:{port} (user admin, password in "
              f"{env['AIRFLOW_HOME']}/simple_auth_manager_passwords.json.generated); "
              f"component logs in {group.log_dir}. Ctrl-C stops everything.", flush=True)
        while True:
            check_running(group)
            time.sleep(1)
    except (KeyboardInterrupt, Stop):
        print("\nstopping Airflow and PostgreSQL ...", flush=True)
        return 0
    except ComponentExited as exc:
        print(f"{exc}; see {group.log_dir if group else 'the logs'}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop
        if group is not None:
            killed = group.stop()
            if killed:
                print(f"killed after the grace period: {', '.join(killed)}", flush=True)
        cluster.stop()


def cluster_folder(settings: Settings) -> Path:
    """Where `make up` keeps its PostgreSQL cluster."""
    return settings.home / "postgres"


def local_env(settings: Settings, metadata_url: str, host: str, port: int) -> dict[str, str]:
    """The environment of every component: the shared deployment settings, LocalExecutor."""
    own = {
        **settings_for("local"),
        **endpoints(metadata_url=metadata_url, store_url=settings.db_url,
                    api_url=f"http://127.0.0.1:{port}", public_url=f"http://localhost:{port}"),
        "AIRFLOW__API__HOST": host,
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__CORE__PARALLELISM": PARALLELISM,
        # shared by the components of this run: the API server accepts the scheduler's tokens
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
    }
    return airflow_env(settings, own)
