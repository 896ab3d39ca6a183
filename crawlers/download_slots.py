"""Holding and draining a host's Scrapy download slot: the one place that touches Scrapy's
private downloader internals (no public API pauses a slot or empties its queue).

`RetryAfterMiddleware` pauses a whole site for a server's Retry-After delay and, when the
server asks for too long, drops what waits for that host. Scrapy offers no public call for
either, so both go through `Slot.latercall`, `Slot.queue` and `Downloader._latercall`, here
and nowhere else. `tests/test_private_api_guards.py` fails loudly when a Scrapy upgrade
moves them; the real-crawl Retry-After tests check the behaviour.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later

#: what this module relies on, checked by tests/test_private_api_guards.py
SLOT_ATTRIBUTES = ("latercall", "queue")
DOWNLOADER_ATTRIBUTES = ("_latercall", "slots", "get_slot_key", "DOWNLOAD_SLOT")


def slot_key(downloader: Downloader, request: Request) -> str:
    """The download slot a request goes through (its host, unless the request names one)."""
    key = request.meta.get(downloader.DOWNLOAD_SLOT) or downloader.get_slot_key(request)
    return str(key)


def hold(downloader: Downloader, key: str, seconds: float) -> bool:
    """Let nothing leave the slot `key` for `seconds` (replacing a shorter download-delay
    wait); False when the slot does not exist (yet)."""
    slot: Slot | None = downloader.slots.get(key)
    if slot is None:
        return False
    if slot.latercall:
        slot.latercall.cancel()
    slot.latercall = call_later(seconds, downloader._latercall, slot)
    return True


def drain(downloader: Downloader, key: str, error: Exception) -> int:
    """Fail every request waiting in the slot `key` with `error`; how many were waiting."""
    slot: Any = downloader.slots.get(key)
    queue = getattr(slot, "queue", None)
    drained = 0
    while queue:
        _, waiting = queue.popleft()
        waiting.errback(error)
        drained += 1
    return drained
