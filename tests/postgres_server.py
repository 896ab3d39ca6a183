"""A throw-away PostgreSQL server for the tests: a cluster in a temp folder
(territory_watch.orchestration.postgres_cluster: Debian's binaries, else pgserver's).

`postgres_server` (session) starts one on 127.0.0.1, on a free port, and removes it at the end
of the session (bounded waits; a server that will not stop is killed). `postgres_url`
(function) gives each test a fresh database on that server. Without PostgreSQL the tests are
skipped, or fail when the environment variable CI is set. `scripts/ensure_test_packages.sh`
(run by `make test`) installs the server.
"""

from __future__ import annotations

import atexit
import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from territory_watch.orchestration.postgres_cluster import PostgresCluster, find_bindir

DATABASE = "territory_watch"
SERVER_TIMEZONE = "Asia/Tehran"  # not UTC on purpose: the store must hand back UTC datetimes


@dataclass
class PostgresServer:
    """A running throw-away cluster; `url` is the SQLAlchemy URL of its `territory_watch` db."""

    cluster: PostgresCluster

    @property
    def port(self) -> int:
        return self.cluster.port

    @property
    def url(self) -> str:
        return self.cluster.url(DATABASE)

    def url_for(self, database: str) -> str:
        return self.cluster.url(database)

    def create_database(self, name: str) -> str:
        """A fresh database on the server; returns its SQLAlchemy URL."""
        self.cluster.execute(f'CREATE DATABASE "{name}"')
        return self.cluster.url(name)

    def drop_database(self, name: str) -> None:
        self.cluster.drop_database(name)

    def cleanup(self) -> None:
        self.cluster.remove()


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
                    "/usr/lib/postgresql/*/bin, on PATH or in the pgserver package)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        unavailable("psycopg2 is not installed (pip install -e '.[postgres]')")
    assert bindir is not None
    server = PostgresServer(PostgresCluster(root=Path(tempfile.mkdtemp(prefix="tw-postgres-")),
                                            bindir=bindir, timezone=SERVER_TIMEZONE,
                                            durable=False, max_connections=50))
    atexit.register(server.cleanup)  # even if the session is torn down abruptly
    try:
        server.cluster.ensure_initialised()
        server.cluster.start()
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
