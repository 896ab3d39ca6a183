"""A thread-safe record of the requests the sample site served."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple
from urllib.parse import urlsplit


class Headers(Mapping[str, str]):
    """Request headers with case-insensitive lookup (repeated headers joined with ", ")."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in items:
            key = name.lower()
            if key in self._items:
                value = f"{self._items[key][1]}, {value}"
            self._items[key] = (name, value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


class RequestRecord(NamedTuple):
    method: str
    path: str  # the request target: path and query
    headers: Headers
    at: float = 0.0  # when it arrived (time.monotonic() of the serving process)


class RequestLog:
    """Append-only log; iteration and ``len`` see a consistent snapshot."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def append(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def paths(self, method: str | None = None) -> list[str]:
        return [r.path for r in self.snapshot() if method is None or r.method == method]

    def count(self, path: str, *, ignore_query: bool = False) -> int:
        """How many requests targeted ``path`` (exactly, or by path only)."""
        if ignore_query:
            return sum(urlsplit(p).path == path for p in self.paths())
        return self.paths().count(path)

    def __iter__(self) -> Iterator[RequestRecord]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __getitem__(self, index: int) -> RequestRecord:
        with self._lock:
            return self._records[index]
