"""`make up`'s entry point for real: PostgreSQL, the API server, the scheduler and the
dag-processor come up on 127.0.0.1 (the sample site as the only source), the project's airflow
CLI reaches its metadata, and Ctrl-C in the middle of a crawl stops every process it started,
frees its ports and exits 0."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import yaml
from airflow_rest import HOST, free_port, poll
from conftest import FAST_CRAWL

from demo.run import demo_sources
from demo.site import Fault, SampleSite, serve_sample_site
from territory_watch.orchestration.postgres_cluster import find_bindir

pytestmark = [pytest.mark.airflow, pytest.mark.timeout(600)]

UP = [sys.executable, "-m", "territory_watch.orchestration.airflow_env", "up"]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as a terminal's Ctrl-C finds it


@pytest.fixture
def home() -> Iterator[Path]:
    """A data folder outside pytest's private temp folder (PostgreSQL may run as `postgres`)."""
    folder = Path(tempfile.mkdtemp(prefix="tw-up-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex((HOST, port)) == 0


def postmaster(home: Path) -> psutil.Process:
    """The PostgreSQL server `make up` started (pg_ctl detaches it from its parent)."""
    pid_file = home / "postgres" / "data" / "postmaster.pid"
    lines = pid_file.read_text().splitlines()
    assert lines, pid_file
    return psutil.Process(int(lines[0]))


def test_ctrl_c_mid_crawl_stops_everything_and_exits_0(home: Path, tmp_path: Path) -> None:
    if find_bindir() is None:
        pytest.skip("no PostgreSQL server binaries")
    with serve_sample_site() as site:
        site.set_fault(r"^/en/", Fault.slow(2.0))  # the scheduled run's crawl is still running
        sources = home / "sources.yaml"
        sources.write_text(yaml.safe_dump(demo_sources(site.base_url)))
        api_port, log_port = free_port(), free_port()
        env = {**os.environ, "TERRITORY_WATCH_HOME": str(home),
               "TERRITORY_WATCH_SOURCES": str(sources),
               "TERRITORY_WATCH_SCRAPY_SETTINGS": json.dumps(FAST_CRAWL),
               "AIRFLOW__API__PORT": str(api_port),
               "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(log_port),
               "NO_PROXY": "127.0.0.1,localhost"}
        env.pop("AIRFLOW_HOME", None)  # `make up` keeps Airflow's home in the data folder
        output = tmp_path / "up.out"
        with output.open("wb") as out:
            process = subprocess.Popen(UP, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True,
                                       preexec_fn=_default_sigint)
        try:
            _assert_stops_cleanly(process, site, home, output, api_port, env)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def _assert_stops_cleanly(process: subprocess.Popen[bytes], site: SampleSite, home: Path,
                          output: Path, api_port: int, env: dict[str, str]) -> None:
    def log() -> str:
        return output.read_text(errors="replace")[-4000:]

    def up() -> bool:
        assert process.poll() is None, f"`make up` exited {process.returncode}:\n{log()}"
        return "Airflow is up" in log()

    poll(up, timeout=300, interval=1, what="make up ready", describe=log)
    # the DAG is unpaused at creation: its latest scheduled run starts crawling the site
    poll(lambda: any(p.startswith("/en/") for p in site.requests.paths()), timeout=240,
         interval=1, what="a crawl of the sample site", describe=log)
    # the airflow CLI of the project reaches the running metadata database (README "Channels")
    pool = subprocess.run([*UP[:-1], "pools", "get", "territory_watch_crawl"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert pool.returncode == 0 and "territory_watch_crawl" in pool.stdout, pool.stderr[-2000:]
    started = [*psutil.Process(process.pid).children(recursive=True), postmaster(home)]
    database_port = int((home / "postgres" / "data" / "postmaster.pid").read_text().splitlines()[3])
    assert port_open(api_port) and port_open(database_port)

    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
    assert process.wait(timeout=120) == 0, log()

    _, left = psutil.wait_procs(started, timeout=5)
    assert not left, [(p.pid, p.cmdline()) for p in left]
    assert not port_open(api_port) and not port_open(database_port)
    assert not (home / "postgres" / "data" / "postmaster.pid").exists()
