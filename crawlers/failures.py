"""Turning a Scrapy/Twisted failure into a reason an operator can read."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived


def describe_failure(failure: Failure) -> tuple[str, int | None, bool]:
    """(reason, HTTP status if any, whether a later run should retry)."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return f"HTTP {status}", status, status >= 500 or status in (408, 429)
    if isinstance(error, IgnoreRequest):
        return f"refused: {error}" if str(error) else "refused", None, False
    if isinstance(error, (TimeoutError, TCPTimedOutError)):
        return "timeout", None, True
    if isinstance(error, DNSLookupError):
        return "DNS lookup failed", None, True
    if isinstance(error, ConnectionRefusedError):
        return "connection refused", None, True
    if isinstance(error, (ResponseFailed, ResponseNeverReceived, ConnectionLost)):
        inner = getattr(error, "reasons", None)
        detail = "; ".join(str(r.value) for r in inner) if inner else str(error)
        if "not enough data" in detail.lower() or "PotentialDataLoss" in detail:
            return "truncated response", None, True
        return f"connection lost: {detail[:200]}", None, True
    return f"{type(error).__name__}: {str(error)[:200]}", None, True
