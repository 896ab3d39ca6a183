"""docker/: structural facts of the Dockerfile and the compose files, so that drift fails CI (no
Docker engine is needed: the files are parsed, not built)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.config.settings import DEFAULT_CRAWL_POOL as CRAWL_POOL

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
AIRFLOW_SERVICES = ["airflow-init", "airflow-apiserver", "airflow-scheduler",
                    "airflow-dag-processor", "airflow-triggerer"]


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((DOCKER / name).read_text())


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load("docker-compose.yml")


@pytest.fixture(scope="module")
def celery() -> dict[str, Any]:
    return load("docker-compose.celery.yml")


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """The Dockerfile's instructions (continuation lines joined, comments dropped)."""
    text = re.sub(r"\\\n", " ", (DOCKER / "Dockerfile").read_text())
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def pinned(package: str) -> str:
    match = re.search(rf"^{re.escape(package)}==(\S+)$", (ROOT / "constraints.txt").read_text(),
                      re.MULTILINE)
    assert match, f"{package} is not pinned in constraints.txt"
    return match.group(1)


def test_image_is_the_official_airflow_image_of_the_pinned_version(dockerfile: list[str]) -> None:
    froms = [line.split()[1] for line in dockerfile if line.upper().startswith("FROM ")]
    assert froms == [f"apache/airflow:{pinned('apache-airflow')}-python3.11"]


def test_dockerfile_installs_the_project_with_the_constraints(dockerfile: list[str]) -> None:
    copies = [line.split()[1:] for line in dockerfile if line.upper().startswith("COPY ")]
    sources = {src.rstrip("/") for args in copies
               for src in [a for a in args if not a.startswith("--")][:-1]}
    for needed in ("pyproject.toml", "constraints.txt", "README.md", "dags"):
        assert needed in sources, f"the Dockerfile does not COPY {needed}"
    # every package the distribution ships is copied, and every copied path exists
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"]["find"]["include"]
    for pattern in include:
        assert pattern.rstrip("*") in sources, f"package {pattern} is not copied into the image"
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
    dags = next(args for args in copies if any(a.rstrip("/") == "dags" for a in args))
    assert dags[-1].rstrip("/") == "/opt/airflow/dags"
    installs = [line for line in dockerfile if re.match(r"RUN\b.*\bpip install\b", line)]
    assert len(installs) == 1, installs
    assert re.search(r"(--constraint|-c)\s+constraints\.txt", installs[0]), installs[0]
    assert '".[postgres]"' in installs[0]  # psycopg2 for the PostgreSQL store


def test_compose_has_postgres_mailpit_and_the_airflow_3_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) >= {"postgres", "mailpit", *AIRFLOW_SERVICES}
    commands = {name: services[name].get("command") for name in AIRFLOW_SERVICES[1:]}
    assert commands == {"airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
                        "airflow-dag-processor": "dag-processor",
                        "airflow-triggerer": "triggerer"}
    version = pinned("apache-airflow")
    for name in AIRFLOW_SERVICES:
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, name
        assert service["image"].endswith(f":{version}"), service["image"]
        assert service["environment"]["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    for name in AIRFLOW_SERVICES[1:]:
        depends = services[name]["depends_on"]
        assert depends["airflow-init"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name


def test_init_migrates_and_creates_the_pool_the_admin_and_the_store(
        compose: dict[str, Any]) -> None:
    init = compose["services"]["airflow-init"]
    script = " ".join(init["command"]) if isinstance(init["command"], list) else init["command"]
    assert "airflow db migrate" in script
    assert f"airflow pools set {CRAWL_POOL} " in script  # the DAG's crawl pool
    assert Settings.from_env({}).crawl_pool == CRAWL_POOL  # the pool the DAG's crawls use
    assert "SIMPLE_AUTH_MANAGER_PASSWORDS_FILE" in script and "AIRFLOW_ADMIN_PASSWORD" in script
    assert "Store(" in script
    api = compose["services"]["airflow-apiserver"]
    auth_volume = next(v for v in init["volumes"] if v.endswith(":/opt/airflow/auth"))
    assert auth_volume in api["volumes"], "the API server must see the admin's password file"


def test_one_postgres_server_two_databases(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["environment"]["POSTGRES_DB"] == "airflow"
    mounts = [v for v in postgres["volumes"] if "/docker-entrypoint-initdb.d/" in v]
    assert len(mounts) == 1
    init_sql = (DOCKER / mounts[0].split(":")[0]).resolve()
    assert init_sql.is_file() and init_sql.suffix == ".sql"
    assert re.search(r"CREATE DATABASE territory_watch\b", init_sql.read_text())
    env = compose["services"]["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres:5432/airflow")
    assert env["TERRITORY_WATCH_DB"].startswith("postgresql+psycopg2://")
    assert env["TERRITORY_WATCH_DB"].endswith("@postgres:5432/territory_watch")


def test_mailpit_receives_the_alert_emails(compose: dict[str, Any]) -> None:
    mailpit = compose["services"]["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit:")
    published = {port.rsplit(":", 1)[-1] for port in mailpit["ports"]}
    assert published == {"1025", "8025"}
    assert all(port.startswith("127.0.0.1:") for port in mailpit["ports"])
    env = compose["services"]["airflow-scheduler"]["environment"]
    email = env["AIRFLOW_CONN_TERRITORY_WATCH_EMAIL"]
    assert re.match(r"smtp://mailpit:1025\?", email), email
    # every channel of the bundled rules file has its connection
    rules = yaml.safe_load((BUNDLED / "rules.yaml").read_text())
    for channel in rules["channels"].values():
        assert f"AIRFLOW_CONN_{channel['connection'].upper()}" in env, channel


def test_celery_override_adds_redis_and_workers(compose: dict[str, Any],
                                                celery: dict[str, Any]) -> None:
    services = celery["services"]
    assert {"redis", "airflow-worker"} <= set(services)
    assert services["redis"]["image"].startswith("redis:")
    worker = services["airflow-worker"]
    assert worker["command"] == "celery worker"
    assert worker["extends"] == {"file": "docker-compose.yml", "service": "airflow-scheduler"}
    for name in [*AIRFLOW_SERVICES, "airflow-worker"]:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:"), name
    # workers share no filesystem: the store they all write must be PostgreSQL
    base_env = compose["services"]["airflow-scheduler"]["environment"]
    assert base_env["TERRITORY_WATCH_DB"].startswith("postgresql")


def test_readme_documents_running_mailpit_and_celery() -> None:
    readme = (DOCKER / "README.md").read_text()
    for needed in ("docker compose -f docker/docker-compose.yml up", "http://localhost:8025",
                   "X-Territory-Watch-Alerts", "docker-compose.celery.yml", "CeleryExecutor",
                   "PostgreSQL"):
        assert needed in readme, needed
