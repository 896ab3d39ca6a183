"""A PostgreSQL cluster the project runs itself: `make up` keeps Airflow's metadata and the store
in one, and the tests start throw-away ones.

The server binaries come from the machine's PostgreSQL where there is one (Debian's
``/usr/lib/postgresql/*/bin``, or ``pg_ctl`` on PATH: updated by the distribution), else from the
``pgserver`` wheel (the ``local-postgres`` extra), so a machine with only Python and PyPI can run
one too. The server listens on 127.0.0.1 only, with its unix socket inside the cluster's folder;
local connections are trusted. PostgreSQL refuses to run as root: as root, the cluster belongs to
the system user ``postgres`` (created when missing).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack

SUPERUSER = "tw"
BINARIES = ("initdb", "pg_ctl", "postgres")
START_TIMEOUT = 60  # seconds


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bindir() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: the newest system install, else pgserver's."""
    def version(folder: str) -> tuple[int, ...]:
        return tuple(int(p) for p in Path(folder).parent.name.split(".") if p.isdigit())

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    bundled = pgserver_bindir()
    if bundled is not None:
        candidates.append(str(bundled))
    for folder in candidates:
        if all(os.access(Path(folder, name), os.X_OK) for name in BINARIES):
            return Path(folder)
    return None


def pgserver_bindir() -> Path | None:
    """The server binaries inside the installed ``pgserver`` package (its ``pginstall/bin``)."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "pginstall" / "bin"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def url(port: int, database: str) -> str:
    """SQLAlchemy URL of a database of a cluster on ``port`` (psycopg2, TCP on 127.0.0.1)."""
    return f"postgresql+psycopg2://{SUPERUSER}@127.0.0.1:{port}/{database}"


def running_port(root: Path) -> int | None:
    """The port of the server running on the cluster in ``root`` (its pid file), else None."""
    try:
        return int((root / "data" / "postmaster.pid").read_text().splitlines()[3])
    except (OSError, IndexError, ValueError):
        return None


def _system_user() -> str:
    """The unprivileged account that runs the cluster when we are root (Debian's `postgres`)."""
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/var/lib/postgresql", "--shell", "/bin/sh", "postgres"],
                       check=True, capture_output=True, timeout=30)
    return "postgres"


class ClusterOptions(TypedDict, total=False):
    """The optional settings of a `PostgresCluster` (its fields after `root` and `bindir`)."""

    port: int
    timezone: str
    durable: bool
    max_connections: int


@dataclass
class PostgresCluster:
    """One cluster in ``root`` (data in ``root/data``, log in ``root/server.log``)."""

    root: Path
    bindir: Path
    port: int = 0
    timezone: str = "UTC"
    durable: bool = True  # False: fsync off, for throw-away clusters
    max_connections: int = 100

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self.run_as = _system_user() if os.geteuid() == 0 else None

    @classmethod
    def in_folder(cls, root: Path, **options: Unpack[ClusterOptions]) -> PostgresCluster:
        """A cluster in ``root`` with the machine's (or pgserver's) binaries."""
        bindir = find_bindir()
        if bindir is None:
            raise PostgresUnavailable(
                "no PostgreSQL server binaries: install the `local-postgres` extra "
                "(pip install -e '.[local-postgres]') or the system's postgresql package")
        return cls(root=root, bindir=bindir, **options)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str) -> str:
        """SQLAlchemy URL of one of the cluster's databases (psycopg2, TCP on 127.0.0.1)."""
        return url(self.port, database)

    # -- lifecycle ------------------------------------------------------------------------------

    def ensure_initialised(self) -> bool:
        """``initdb`` unless the data folder already holds a cluster; True when it ran now."""
        if (self.data / "PG_VERSION").exists():
            return False
        self.root.mkdir(parents=True, exist_ok=True)
        if self.run_as is not None:
            entry = pwd.getpwnam(self.run_as)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            reachable = subprocess.run(["runuser", "-u", self.run_as, "--", "test", "-w",
                                        str(self.root)], capture_output=True, timeout=30)
            if reachable.returncode != 0:
                raise RuntimeError(f"the `{self.run_as}` user that runs PostgreSQL (not root) "
                                   f"cannot reach {self.root}: choose a data folder "
                                   "(TERRITORY_WATCH_HOME) outside private folders such as /root")
        result = self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                           "--encoding=UTF8", "--no-locale",
                           *([] if self.durable else ["--no-sync"]), timeout=180)
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        return True

    def start(self, port: int = 0) -> None:
        """``pg_ctl start`` on ``port`` (0: a free one, tried three times), bounded in time."""
        self.stop_stale()
        last = ""
        for _ in range(1 if port else 3):  # another process may take a free port first
            self.port = port or free_port()
            result = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path),
                               "-o", " ".join(self._server_options()), "-w",
                               "-t", str(START_TIMEOUT), "start", timeout=START_TIMEOUT + 30)
            if result.returncode == 0:
                return
            self.stop()
            last = f"{result.stdout}\n{result.stderr}\n{self.log_tail()}"
        raise RuntimeError(f"pg_ctl start failed:\n{last}")

    def _server_options(self) -> list[str]:
        options = ["-c listen_addresses=127.0.0.1", f"-c port={self.port}",
                   f"-c unix_socket_directories={self.root}", f"-c timezone={self.timezone}",
                   f"-c max_connections={self.max_connections}", "-c shared_buffers=64MB"]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        return options

    def stop_stale(self) -> None:
        """Stop a server a killed run left behind on this data folder (its pid file names it)."""
        if (self.data / "postmaster.pid").exists():
            self.stop()

    def stop(self) -> None:
        """Stop the server: fast, then immediate, then SIGKILL; always bounded in time."""
        if not (self.data / "postmaster.pid").exists():
            return
        for mode in ("fast", "immediate"):
            try:
                result = self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "20",
                                   "stop", timeout=40)
                if result.returncode == 0 or not (self.data / "postmaster.pid").exists():
                    return
            except subprocess.TimeoutExpired:
                pass
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass

    def remove(self) -> None:
        """Stop the server and delete the cluster's folder."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    # -- databases ------------------------------------------------------------------------------

    def ensure_database(self, name: str) -> str:
        """Create database ``name`` unless it exists; returns its SQLAlchemy URL."""
        exists = self.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if not exists:
            self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def execute(self, statement: str, parameters: tuple[object, ...] = ()) -> list[tuple]:
        """One statement on the maintenance database, outside a transaction; its rows."""
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                                      dbname="postgres", connect_timeout=10)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement, parameters)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    # -- commands -------------------------------------------------------------------------------

    def _run(self, binary: str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / binary), *args]
        if self.run_as is not None:
            command = (["runuser", "-u", self.run_as, "--", *command] if shutil.which("runuser")
                       else ["su", self.run_as, "-s", "/bin/sh", "-c", shlex.join(command)])
        env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PGTZ": self.timezone}
        env.pop("PGDATA", None)
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=self.root, stdin=subprocess.DEVNULL)
