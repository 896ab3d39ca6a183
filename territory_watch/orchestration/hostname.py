"""The hostname Airflow records for this machine's processes (``[core] hostname_callable``).

A task instance keeps the hostname of the worker that ran it, and the API server fetches a
running task's log from there. The machine's fully qualified name is right when each worker has
a machine of its own; ``TERRITORY_WATCH_HOSTNAME`` names a worker otherwise (several on one
machine, or an FQDN the other machines cannot resolve).
"""

from __future__ import annotations

import socket

from territory_watch.config.settings import Settings


def hostname() -> str:
    """``TERRITORY_WATCH_HOSTNAME``, else the machine's fully qualified name."""
    return Settings.from_env().hostname or socket.getfqdn()
