"""An Airflow environment for the project's DAGs: `make up`, the demo and the tests use it.

`python -m territory_watch.orchestration.airflow_env standalone` runs `airflow standalone` with the DAGs
folder of this checkout, examples off and the metadata DB (SQLite) under the data folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from territory_watch.config.settings import Settings

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


def airflow(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess:
    """Run an `airflow` CLI command of this environment."""
    executable = str(Path(sys.executable).parent / "airflow")
    return subprocess.run([executable, *args], env=env, **kwargs)  # type: ignore[call-overload]


def prepare_metadata(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Migrate the Airflow metadata DB and create the crawl pool (politeness: by default at
    most two crawls at once across all runs and workers). Idempotent."""
    migrated = airflow("db", "migrate", env=env, capture_output=True, text=True)
    if migrated.returncode != 0:
        return migrated
    settings = Settings.from_env(env)
    return airflow("pools", "set", settings.crawl_pool, str(settings.crawl_pool_slots),
                   "territory-watch crawls (politeness)", env=env, capture_output=True,
                   text=True)


def _restore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def standalone(env: dict[str, str]) -> int:
    """`airflow standalone` in the foreground; Ctrl-C (or SIGTERM) stops all its components."""
    executable = str(Path(sys.executable).parent / "airflow")
    process = subprocess.Popen([executable, "standalone"], env=env, preexec_fn=_restore_sigint,
                               start_new_session=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return _stop_group(process)


def _stop_group(process: subprocess.Popen) -> int:
    """SIGINT to every Airflow component, then SIGKILL to what is still running after 60 s."""
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGINT)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        return process.wait()
    finally:
        try:
            os.killpg(group, signal.SIGKILL)  # components that outlived the main process
        except ProcessLookupError:
            pass


def main(argv: list[str]) -> int:
    """`standalone` or any airflow subcommand, in the project's Airflow environment."""
    env = airflow_env(Settings.from_env())
    if argv[:1] == ["standalone"]:
        prepared = prepare_metadata(env)
        if prepared.returncode != 0:
            print(prepared.stdout, prepared.stderr, file=sys.stderr)
            return prepared.returncode
        print(f"Airflow home: {env['AIRFLOW_HOME']}; UI on http://localhost:8080 "
              f"(admin password in {env['AIRFLOW_HOME']}/simple_auth_manager_passwords.json.generated)")
        return standalone(env)
    return airflow(*argv, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
