"""Turning a Scrapy/Twisted failure into a reason an operator can read, and a retry decision.

Policy refusals (robots.txt, private or off-site targets) are final; everything else (HTTP
errors, timeouts, resets, truncated or oversized bodies, redirect loops) is retried by a later
run, up to `known_pages.MAX_FAILURES` times.
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

TOO_LARGE_HINTS = ("max size", "maxsize", "DOWNLOAD_MAXSIZE")


def _ignored(error: IgnoreRequest) -> tuple[str, int | None, bool]:
    text = str(error)
    if "redirection" in text:
        return "redirect loop (too many redirections)", None, True
    if any(hint in text for hint in TOO_LARGE_HINTS):
        return f"too large: {text[:200]}", None, True
    return (f"refused: {text[:200]}" if text else "refused"), None, False


def describe_failure(failure: Failure) -> tuple[str, int | None, bool]:
    """(reason, HTTP status if any, whether a later run should retry)."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return f"HTTP {status}", status, status >= 500 or status in (408, 429)
    if isinstance(error, IgnoreRequest):
        return _ignored(error)
    if isinstance(error, DownloadCancelledError) and any(h in str(error) for h in TOO_LARGE_HINTS):
        return f"too large: {str(error)[:200]}", None, True
    if isinstance(error, (DownloadTimeoutError, TimeoutError, TCPTimedOutError)):
        return "timeout", None, True
    if isinstance(error, ResponseDataLossError):
        return "truncated response", None, True
    if isinstance(error, (CannotResolveHostError, DNSLookupError)):
        return "DNS lookup failed", None, True
    if isinstance(error, (DownloadConnectionRefusedError, ConnectionRefusedError)):
        return "connection refused", None, True
    if isinstance(error, (DownloadFailedError, ResponseFailed, ConnectionLost, ConnectionDone)):
        inner = getattr(error, "reasons", None) or getattr(error.__cause__, "reasons", None)
        detail = "; ".join(str(r.value) for r in inner) if inner else str(error)
        if "not enough data" in detail.lower() or "DataLoss" in detail:
            return "truncated response", None, True
        return f"connection lost: {detail[:200]}", None, True
    return f"{type(error).__name__}: {str(error)[:200]}", None, True
