"""The retry verdict on a failed send: temporary (the next run tries again) or permanent.

As in Alertmanager's notify pipeline, only errors that cannot heal by themselves are permanent:
Slack answering 4xx other than 429 (webhook revoked, invalid payload), the mail server refusing
the login or every recipient. Anything else (connection refused, timeouts, 5xx, 429, 4xx SMTP
replies) is temporary, until the channel's `max_attempts` are used up.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass


class ChannelError(Exception):
    """A send failure whose channel already knows whether retrying can help."""

    def __init__(self, message: str, *, reason: str, permanent: bool) -> None:
        super().__init__(message)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Verdict:
    """`reason` is a short stable word for the kind of failure (it keys the operator alert)."""

    permanent: bool
    reason: str


def slack_error(status: int, body: str) -> ChannelError:
    """The error of a Slack webhook answer other than 200."""
    permanent = 400 <= status < 500 and status != 429
    return ChannelError(f"Slack answered HTTP {status}: {body[:300]}",
                        reason=f"slack_http_{status}", permanent=permanent)


def verdict_of(exc: BaseException) -> Verdict:
    """Classify a send failure."""
    if isinstance(exc, ChannelError):
        return Verdict(exc.permanent, exc.reason)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Verdict(True, "smtp_authentication_refused")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return Verdict(True, "smtp_recipients_refused")
    return Verdict(False, type(exc).__name__)


def after_attempts(verdict: Verdict, attempts: int, max_attempts: int) -> Verdict:
    """A temporary failure becomes permanent once `max_attempts` sends have failed."""
    if verdict.permanent or attempts < max_attempts:
        return verdict
    return Verdict(True, "max_attempts")
