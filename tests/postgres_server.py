"""A throw-away PostgreSQL server for the tests: Debian's binaries, a cluster in a temp folder.

`postgres_server` (session) runs `initdb` into a fresh folder and `pg_ctl start` listening only
on 127.0.0.1, on a free port, with its unix socket in that folder, and stops it at the end of
the session (bounded waits; a server that will not stop is killed). As root the cluster is run
by the `postgres` system user (PostgreSQL refuses to run as root). `postgres_url` (function)
gives each test a fresh database on that server. Without PostgreSQL the tests are skipped, or
fail when the environment variable CI is set. `scripts/ensure_test_packages.sh` (run by `make test`)
installs the server.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

USER = "tw"  # the cluster's superuser; local connections are trusted (127.0.0.1 only)
DATABASE = "territory_watch"
# not UTC on purpose: the store must hand back UTC datetimes whatever the server's zone
SERVER_TIMEZONE = "Asia/Tehran"
START_TIMEOUT = 60  # seconds


def find_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: the newest Debian install, else PATH."""
    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.name
        return tuple(int(p) for p in name.split(".") if p.isdigit())

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        if all(os.access(Path(folder, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_postgres_user() -> str:
    """The unprivileged account that runs the cluster when we are root (Debian's `postgres`)."""
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/var/lib/postgresql", "--shell", "/bin/sh", "postgres"],
                       check=True, capture_output=True, timeout=30)
    return "postgres"


@dataclass
class PostgresServer:
    """A running throw-away cluster; `url` is the SQLAlchemy URL of its `territory_watch` db."""

    bindir: Path
    root: Path
    port: int = 0
    run_as: str | None = None
    databases: list[str] = field(default_factory=list)
    running: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return self.url_for(DATABASE)

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg2://{USER}@127.0.0.1:{self.port}/{database}"

    def _command(self, *args: str) -> list[str]:
        if self.run_as is None:
            return list(args)
        if shutil.which("runuser"):
            return ["runuser", "-u", self.run_as, "--", *args]
        import shlex
        return ["su", self.run_as, "-s", "/bin/sh", "-c", shlex.join(args)]

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PGTZ": SERVER_TIMEZONE}
        env.pop("PGDATA", None)
        return subprocess.run(self._command(*args), capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=self.root)

    def init(self) -> None:
        if os.geteuid() == 0:
            self.run_as = ensure_postgres_user()
            entry = pwd.getpwnam(self.run_as)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        result = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER,
                           "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync",
                           timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        last = ""
        for _ in range(3):  # another process may take the free port before the server does
            self.port = free_port()
            options = " ".join([
                "-c listen_addresses=127.0.0.1", f"-c port={self.port}",
                f"-c unix_socket_directories={self.root}", f"-c timezone={SERVER_TIMEZONE}",
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c max_connections=50", "-c shared_buffers=32MB",
            ])
            result = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data),
                               "-l", str(self.root / "server.log"), "-o", options,
                               "-w", "-t", str(START_TIMEOUT), "start",
                               timeout=START_TIMEOUT + 30)
            if result.returncode == 0:
                self.running = True
                return
            self.stop()
            last = f"{result.stdout}\n{result.stderr}\n{self.log_tail()}"
        raise RuntimeError(f"pg_ctl start failed:\n{last}")

    def log_tail(self, lines: int = 30) -> str:
        log = self.root / "server.log"
        if not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def _admin(self, statement: str) -> None:
        """Run one statement on the maintenance database, outside a transaction."""
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=USER,
                                      dbname="postgres", connect_timeout=10)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def create_database(self, name: str) -> str:
        """A fresh database on the server; returns its SQLAlchemy URL."""
        self._admin(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server, fast then immediate, then kill it; always bounded in time."""
        if (self.data / "postmaster.pid").exists():
            for mode in ("fast", "immediate"):
                try:
                    result = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data),
                                       "-m", mode, "-w", "-t", "20", "stop", timeout=40)
                    if result.returncode == 0:
                        break
                except subprocess.TimeoutExpired:
                    pass
            else:
                self._kill()
        self.running = False

    def _kill(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def unavailable(reason: str) -> None:
    """Skip, or fail in CI (where PostgreSQL must be there: `make test` installs it)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure; "
                    f"run scripts/ensure_test_packages.sh)", pytrace=False)
    pytest.skip(f"{reason}; run scripts/ensure_test_packages.sh (make test does)")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 for this session, with a `territory_watch` database."""
    bindir = find_bindir()
    if bindir is None:
        unavailable("PostgreSQL server not found (no initdb/pg_ctl/postgres under "
                    "/usr/lib/postgresql/*/bin or on PATH)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        unavailable("psycopg2 is not installed (pip install -e '.[postgres]')")
    server = PostgresServer(bindir=bindir, root=Path(tempfile.mkdtemp(prefix="tw-postgres-")))
    atexit.register(server.cleanup)  # even if the session is torn down abruptly
    try:
        server.init()
        server.start()
        server.create_database(DATABASE)
        yield server
    finally:
        server.cleanup()
        atexit.unregister(server.cleanup)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server; dropped after the test."""
    name = f"tw_{uuid.uuid4().hex[:12]}"
    url = postgres_server.create_database(name)
    yield url
    try:
        postgres_server.drop_database(name)
    except Exception:  # a leftover database dies with the cluster at the end of the session
        pass
