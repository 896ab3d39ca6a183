"""docker/: structural facts of the Dockerfile and the compose files, so that drift fails CI (no
Docker engine is needed: the files are parsed, not built). The compose files must run what the
scale-out test runs (territory_watch.orchestration.deployment): the same services, the same
Airflow settings (the env files rendered from that module) and the same start order."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.config.settings import DEFAULT_CRAWL_POOL as CRAWL_POOL
from territory_watch.orchestration import deployment

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
AIRFLOW_SERVICES = ["airflow-init", "airflow-apiserver", "airflow-scheduler",
                    "airflow-dag-processor"]


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
    # psycopg2 and asyncpg for PostgreSQL, the Celery provider the scale-out test runs
    assert '".[postgres,celery]"' in installs[0]


def env_file_settings(names: list[str]) -> dict[str, str]:
    """The variables of docker/ env files, later files winning."""
    found: dict[str, str] = {}
    for name in names:
        for line in (DOCKER / name).read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, value = line.partition("=")
                found[key] = value
    return found


def test_env_files_are_rendered_from_the_deployment_module() -> None:
    for name, (settings, what) in deployment.ENV_FILES.items():
        assert (DOCKER / name).read_text() == deployment.render_env_file(settings, what), (
            f"docker/{name} drifted from territory_watch/orchestration/deployment.py: run "
            "python -m territory_watch.orchestration.deployment docker/")


def test_compose_has_postgres_mailpit_and_the_airflow_3_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", "mailpit", *AIRFLOW_SERVICES}
    commands = {name: services[name].get("command") for name in AIRFLOW_SERVICES[1:]}
    assert commands == {deployment.COMPOSE_SERVICES[c]: " ".join(c)
                        for c in (deployment.API_SERVER, *deployment.AFTER_API_SERVER)}
    version = pinned("apache-airflow")
    for name in AIRFLOW_SERVICES:
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, name
        assert service["image"].endswith(f":{version}"), service["image"]
        assert service["env_file"] == ["airflow.env", "airflow-local.env"], name
        assert env_file_settings(service["env_file"]) == deployment.settings_for("local"), name


def test_compose_sets_only_what_each_deployment_sets_for_itself(compose: dict[str, Any],
                                                                celery: dict[str, Any]) -> None:
    allowed = deployment.PER_DEPLOYMENT | {"AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION",
                                           "AIRFLOW_ADMIN_PASSWORD", "DUMB_INIT_SETSID"}
    for services in (compose["services"], celery["services"]):
        for name, service in services.items():
            own = set(service.get("environment") or {})
            if name.startswith("airflow-") or name == "flower":
                assert own <= allowed, (
                    f"{name} sets {sorted(own - allowed)} itself: settings every deployment "
                    "shares belong in territory_watch/orchestration/deployment.py")
    # the one operator override of a shared setting keeps the shared value as its default
    paused = compose["x-airflow-env"]["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"]
    shared = deployment.AIRFLOW_SETTINGS["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"]
    assert paused == "${TERRITORY_WATCH_PAUSED:-" + shared + "}"


def test_compose_starts_in_the_tested_order(compose: dict[str, Any],
                                            celery: dict[str, Any]) -> None:
    """Databases (and the broker), airflow-init, the API server healthy, then the rest."""
    services = compose["services"]
    names = deployment.COMPOSE_SERVICES

    def conditions(service: dict[str, Any]) -> dict[str, str]:
        return {dep: spec["condition"] for dep, spec in service["depends_on"].items()}

    assert conditions(services[names["init"]]) == {"postgres": "service_healthy"}
    assert conditions(services[names[deployment.API_SERVER]]) == {
        "postgres": "service_healthy", names["init"]: "service_completed_successfully"}
    for command in deployment.AFTER_API_SERVER:
        after = conditions(services[names[command]])
        assert after[names["init"]] == "service_completed_successfully", command
        assert after[names[deployment.API_SERVER]] == "service_healthy", command
    assert conditions(celery["services"][names["init"]]) == {"redis": "service_healthy"}
    worker = conditions(celery["services"][names[deployment.WORKER]])
    assert worker == {"redis": "service_healthy",
                      names["init"]: "service_completed_successfully",
                      names[deployment.API_SERVER]: "service_healthy"}
    health = services[names[deployment.API_SERVER]]["healthcheck"]["test"]
    assert any(str(part).endswith("/api/v2/monitor/health") for part in health), health


def test_init_migrates_and_creates_the_pool_the_admin_and_the_store(
        compose: dict[str, Any]) -> None:
    init = compose["services"]["airflow-init"]
    script = " ".join(init["command"]) if isinstance(init["command"], list) else init["command"]
    # prepare_metadata, as `make up` and the tests: db migrate, the crawl pool, the store tables
    assert "python -m territory_watch.orchestration.airflow_env init" in script
    assert Settings.from_env({}).crawl_pool == CRAWL_POOL  # the pool the DAG's crawls use
    assert "SIMPLE_AUTH_MANAGER_PASSWORDS_FILE" in script and "AIRFLOW_ADMIN_PASSWORD" in script
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
    assert set(services) == {"redis", "airflow-worker", "flower", *AIRFLOW_SERVICES}
    assert services["redis"]["image"].startswith("redis:")
    worker = services["airflow-worker"]
    assert worker["command"] == " ".join(deployment.WORKER)
    assert worker["extends"] == {"file": "docker-compose.yml", "service": "airflow-scheduler"}
    plain = deployment.endpoints(metadata_url="m", store_url="s", api_url="a")
    broker = set(deployment.endpoints(metadata_url="m", store_url="s", api_url="a",
                                      broker_url="b")) - set(plain)
    for name in [*AIRFLOW_SERVICES, "airflow-worker"]:
        service = services[name]
        assert service["env_file"] == ["airflow.env", "airflow-celery.env"], name
        assert env_file_settings(service["env_file"]) == deployment.settings_for("celery"), name
        assert set(service["environment"]) - {"DUMB_INIT_SETSID"} == broker, name
        assert service["environment"]["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:")
        assert service["environment"]["AIRFLOW__CELERY__RESULT_BACKEND"].startswith(
            "db+postgresql+psycopg2://airflow:airflow@postgres:5432/airflow")
    # workers share no filesystem: the store they all write must be PostgreSQL
    base_env = compose["services"]["airflow-scheduler"]["environment"]
    assert base_env["TERRITORY_WATCH_DB"].startswith("postgresql")


def test_readme_documents_running_mailpit_and_celery() -> None:
    readme = (DOCKER / "README.md").read_text()
    for needed in ("docker compose -f docker/docker-compose.yml up", "http://localhost:8025",
                   "X-Territory-Watch-Alerts", "docker-compose.celery.yml", "CeleryExecutor",
                   "PostgreSQL"):
        assert needed in readme, needed
