"""One message on the wire, as a channel plans it: the alerts it carries and how to send it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Outgoing:
    """A message ready to send; `send` raises on failure."""

    alert_ids: tuple[int, ...]
    send: Callable[[], None]
