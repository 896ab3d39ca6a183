"""How every Airflow deployment of the project is configured and started: `make up`, the
scale-out test (tests/test_celery_scale_out.py) and docker/.

The settings here are the one source: docker/airflow.env and docker/airflow-celery.env are
rendered from them (``python -m territory_watch.orchestration.deployment``), and
tests/test_docker_files.py fails when the files, the compose services or their start order drift
from this module. What differs between deployments is only what each must set for itself
(``PER_DEPLOYMENT``: addresses, secrets, the data folder, the alert connections).

Start order: the databases (and the broker); ``init`` (metadata migrated, crawl pool, store
tables); the API server, healthy before anything that needs it; then the scheduler, the
dag-processor and the workers. No triggerer: no task of the DAG defers.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

SIMPLE_AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"

#: every Airflow process of every deployment
AIRFLOW_SETTINGS: dict[str, str] = {
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    # the real sources run on their schedule as soon as the DAG is parsed
    "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
    "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
    # task instances record TERRITORY_WATCH_HOSTNAME when a machine sets it (else its FQDN)
    "AIRFLOW__CORE__HOSTNAME_CALLABLE": "territory_watch.orchestration.hostname.hostname",
    "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
}

#: added for the CeleryExecutor (Redis broker, results in the metadata database)
CELERY_SETTINGS: dict[str, str] = {
    "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
    # task slots per worker; crawls are bounded by the crawl pool whatever this says
    "AIRFLOW__CELERY__WORKER_CONCURRENCY": "4",
    # a message is acknowledged once its task ended: a worker killed mid-task loses nothing
    "AIRFLOW__CELERY__TASK_ACKS_LATE": "True",
    "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
}

LOCAL_SETTINGS: dict[str, str] = {"AIRFLOW__CORE__EXECUTOR": "LocalExecutor"}

#: what each deployment sets for itself (never in the env files)
PER_DEPLOYMENT = frozenset({
    "AIRFLOW_HOME",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "AIRFLOW__CELERY__BROKER_URL",
    "AIRFLOW__CELERY__RESULT_BACKEND",
    "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
    "AIRFLOW__API__BASE_URL",
    "AIRFLOW__API__HOST",
    "AIRFLOW__API__PORT",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE",
    "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT",
    "AIRFLOW__CORE__PARALLELISM",
    "AIRFLOW_CONN_TERRITORY_WATCH_EMAIL",
    "AIRFLOW_CONN_TERRITORY_WATCH_SLACK",
    "TERRITORY_WATCH_HOME",
    "TERRITORY_WATCH_DB",
    "TERRITORY_WATCH_HOSTNAME",
    "TERRITORY_WATCH_SCHEDULE",
})

#: the Airflow components after ``init``, in start order (each an ``airflow`` subcommand)
API_SERVER = ("api-server",)
AFTER_API_SERVER = (("scheduler",), ("dag-processor",))
WORKER = ("celery", "worker")

#: docker compose service of each component
COMPOSE_SERVICES = {"init": "airflow-init", API_SERVER: "airflow-apiserver",
                    ("scheduler",): "airflow-scheduler", ("dag-processor",): "airflow-dag-processor",
                    WORKER: "airflow-worker"}


def settings_for(executor: str) -> dict[str, str]:
    """The shared settings of a deployment with ``executor`` ("celery" or "local")."""
    extra = {"celery": CELERY_SETTINGS, "local": LOCAL_SETTINGS}[executor]
    return {**AIRFLOW_SETTINGS, **extra}


def endpoints(*, metadata_url: str, store_url: str, api_url: str, public_url: str | None = None,
              broker_url: str | None = None) -> dict[str, str]:
    """The addresses a deployment sets: metadata database, store, the API server as the workers
    reach it (``api_url``) and as browsers do (``public_url``, default the same), broker."""
    found = {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api_url}/execution/",
        "AIRFLOW__API__BASE_URL": public_url or api_url,
        "TERRITORY_WATCH_DB": store_url,
    }
    if broker_url is not None:
        found["AIRFLOW__CELERY__BROKER_URL"] = broker_url
        # Celery's results live in the metadata database (SQLAlchemy result backend)
        found["AIRFLOW__CELERY__RESULT_BACKEND"] = f"db+{metadata_url}"
    return found


def render_env_file(settings: Mapping[str, str], what: str) -> str:
    """An env file (``KEY=VALUE`` lines) for docker compose's ``env_file``."""
    lines = [f"# {what}",
             "# Rendered from territory_watch/orchestration/deployment.py; do not edit by hand:",
             "#   python -m territory_watch.orchestration.deployment docker/",
             *(f"{key}={value}" for key, value in settings.items())]
    return "\n".join(lines) + "\n"


ENV_FILES = {
    "airflow.env": (AIRFLOW_SETTINGS, "Every Airflow service of docker-compose.yml and of its "
                                      "Celery override."),
    "airflow-local.env": (LOCAL_SETTINGS, "docker-compose.yml: the LocalExecutor."),
    "airflow-celery.env": (CELERY_SETTINGS, "docker-compose.celery.yml: the CeleryExecutor "
                                            "(replaces airflow-local.env)."),
}


def write_env_files(folder: Path) -> list[Path]:
    """Write docker/'s env files into ``folder``."""
    written = []
    for name, (settings, what) in ENV_FILES.items():
        path = folder / name
        path.write_text(render_env_file(settings, what))
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write_env_files(Path(sys.argv[1] if len(sys.argv) > 1 else "docker")):
        print(written)
