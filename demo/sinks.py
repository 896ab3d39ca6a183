"""Local delivery sinks for the demo and tests: a real SMTP server and a Slack-webhook stand-in.

Both listen on 127.0.0.1 only, keep what they receive in memory (optionally on disk too), can be
told to fail the first deliveries, and stop cleanly when their ``with`` block ends.

Airflow's SMTP connection to an :class:`SmtpSink` needs plain SMTP: extras
``{"disable_ssl": true, "disable_tls": true}``. Any login is accepted. Given a TLS context and
accounts, the sink behaves like a provider's submission port instead: STARTTLS first, then a
login with one of the accounts, or nothing is accepted.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import socket
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

from demo.block_kit import block_kit_problems

HOST = "127.0.0.1"
SOCKET_TIMEOUT = 10.0


class _DropDeprecatedLoginData(logging.Filter):
    """aiosmtpd logs a deprecation warning of its own on every successful AUTH."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "login_data is deprecated" not in record.getMessage()


logging.getLogger("mail.log").addFilter(_DropDeprecatedLoginData())


def _wait_until(condition: threading.Condition, ready: Callable[[], bool], timeout: float) -> bool:
    with condition:
        return condition.wait_for(ready, timeout)


# -- SMTP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMessage:
    """One message accepted by the SMTP sink."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage
    received_at: datetime
    path: Path | None = None  # the .eml copy, when the sink writes to a folder
    tls: bool = False  # the session was encrypted (STARTTLS) when the message came
    login: str | None = None  # the account the session logged in with

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def text(self) -> str:
        """The plain-text body ('' when there is none)."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


class _BoundController(Controller):
    """aiosmtpd's Controller on an already bound socket (so that port 0 works)."""

    def __init__(self, handler: Any, sock: socket.socket, **smtp_kwargs: Any) -> None:
        self._sock = sock
        super().__init__(handler, hostname=HOST, port=sock.getsockname()[1], ready_timeout=10.0, **smtp_kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that stores every message it accepts.

    ``down=True`` starts with the port chosen but nothing listening (connections are refused)
    until :meth:`bring_up`; ``fail_first=N`` answers ``451`` to the first N messages;
    :meth:`refuse` makes it turn down logins (``535``) or recipients (``550``) for good.
    ``tls_context`` (the server's certificate) makes STARTTLS required before anything else;
    ``accounts`` ({login: password}) makes a login with one of them required (refused: 535).
    """

    def __init__(
        self,
        *,
        port: int = 0,
        folder: str | Path | None = None,
        down: bool = False,
        fail_first: int = 0,
        idle_timeout: int = 30,
        tls_context: ssl.SSLContext | None = None,
        accounts: Mapping[str, str] | None = None,
    ) -> None:
        self.host = HOST
        self.port = port or _free_port()
        self.folder = Path(folder) if folder is not None else None
        self._start_down = down
        self._failures_left = fail_first
        self._idle_timeout = idle_timeout
        self._tls_context = tls_context
        self._accounts = dict(accounts) if accounts is not None else None
        self._messages: list[ReceivedMessage] = []
        self._rejected = 0
        self._logins: list[str] = []
        self._refusing_logins = False
        self._refusing_recipients = False
        self._changed = threading.Condition()
        self._controller: _BoundController | None = None
        self._counter = itertools.count(1)

    # -- lifecycle

    def start(self) -> Self:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
        if not self._start_down:
            self.bring_up()
        return self

    def bring_up(self) -> None:
        """Start listening (again) on :attr:`port`."""
        if self._controller is not None:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, self.port))
            sock.listen(16)
            sock.setblocking(False)
            submission: dict[str, Any] = {}
            if self._tls_context is not None:
                submission.update(tls_context=self._tls_context, require_starttls=True)
            controller = _BoundController(
                _SmtpHandler(self), sock,
                authenticator=self._authenticate, auth_require_tls=self._tls_context is not None,
                auth_required=self._accounts is not None, timeout=self._idle_timeout, **submission,
            )
            controller.start()
        except BaseException:
            sock.close()
            raise
        self._controller = controller

    def bring_down(self) -> None:
        """Stop listening; connections are refused until :meth:`bring_up`."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def stop(self) -> None:
        self.bring_down()

    @property
    def is_up(self) -> bool:
        return self._controller is not None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    # -- what was received

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self._changed:
            return list(self._messages)

    @property
    def rejected(self) -> int:
        """How many messages were answered with a temporary failure."""
        with self._changed:
            return self._rejected

    @property
    def logins(self) -> list[str]:
        with self._changed:
            return list(self._logins)

    def wait_for(self, count: int = 1, timeout: float = 30.0) -> list[ReceivedMessage]:
        """The messages once at least ``count`` arrived; raises TimeoutError otherwise."""
        if not _wait_until(self._changed, lambda: len(self._messages) >= count, timeout):
            raise TimeoutError(f"SMTP sink: {len(self.messages)} of {count} messages after {timeout}s")
        return self.messages

    def fail_next(self, count: int) -> None:
        """Answer ``451`` to the next ``count`` messages."""
        with self._changed:
            self._failures_left = count

    def clear(self) -> None:
        with self._changed:
            self._messages.clear()
            self._rejected = 0

    def refuse(self, *, logins: bool = False, recipients: bool = False) -> None:
        """Answer every login with ``535`` and/or every recipient with ``550`` from now on."""
        with self._changed:
            self._refusing_logins, self._refusing_recipients = logins, recipients

    @property
    def refusing_recipients(self) -> bool:
        with self._changed:
            return self._refusing_recipients

    # -- called from the SMTP thread

    def _receive(self, envelope: Envelope, session: Session) -> str:
        with self._changed:
            if self._failures_left > 0:
                self._failures_left -= 1
                self._rejected += 1
                self._changed.notify_all()
                return "451 4.3.0 Temporary failure, please try again later"
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        received = ReceivedMessage(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            raw=raw,
            message=BytesParser(policy=policy.default).parsebytes(raw),
            received_at=datetime.now(UTC),
            tls=session.ssl is not None,
            login=_text(getattr(session.auth_data, "login", None)) if session.authenticated else None,
        )
        if self.folder is not None:
            received = _write_eml(received, self.folder, next(self._counter))
        with self._changed:
            self._messages.append(received)
            self._changed.notify_all()
        return "250 2.0.0 Message accepted for delivery"

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope,
                      mechanism: str, auth_data: Any) -> AuthResult:
        login = _text(getattr(auth_data, "login", b""))
        with self._changed:
            self._logins.append(login)
            refusing = self._refusing_logins
        if refusing:
            return AuthResult(success=False, handled=False)  # 535 5.7.8 credentials invalid
        if self._accounts is not None and self._accounts.get(login) != _text(
                getattr(auth_data, "password", b"")):
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=auth_data)


class _SmtpHandler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,  # noqa: N802
                          address: str, rcpt_options: list[str]) -> str:
        if self._sink.refusing_recipients:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        return self._sink._receive(envelope, session)


def _text(value: object) -> str:
    """A login or password as aiosmtpd hands it over (bytes, usually)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _write_eml(received: ReceivedMessage, folder: Path, number: int) -> ReceivedMessage:
    stamp = received.received_at.strftime("%Y%m%dT%H%M%S")
    path = folder / f"{stamp}-{os.getpid()}-{number:04d}.eml"
    partial = path.with_suffix(".eml.part")
    partial.write_bytes(received.raw)
    partial.replace(path)
    return replace(received, path=path)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# -- Slack webhook ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookPost:
    """One POST received by the webhook sink."""

    path: str
    headers: dict[str, str]
    body: bytes
    json: Any  # the payload (JSON body, or the ``payload=`` form field); None when unreadable
    status: int  # what the sink answered
    problems: tuple[str, ...] = ()  # why Slack would refuse the blocks (answered 400 invalid_blocks)
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def text(self) -> str:
        return str(self.json.get("text", "")) if isinstance(self.json, dict) else ""


class WebhookSink:
    """An HTTP server on 127.0.0.1 that answers like a Slack incoming webhook.

    Every POST is recorded (also the failed ones, with the status answered). ``fail_first=N``
    answers the first N posts with ``fail_status`` (500, or 429 with ``Retry-After``). Blocks
    breaking Slack's Block Kit limits (:mod:`demo.block_kit`) are answered ``400
    invalid_blocks``, as Slack does.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        path: str = "/services/T000/B000/XXXX",
        file: str | Path | None = None,
        fail_first: int = 0,
        fail_status: int = 500,
        retry_after: int = 1,
    ) -> None:
        self.path = path
        self.file = Path(file) if file is not None else None
        self._requested_port = port
        self._failures = (fail_first, fail_status, retry_after)
        self._failing_after = 0
        self._posts: list[WebhookPost] = []
        self._changed = threading.Condition()
        self._server: _WebhookServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    def start(self) -> Self:
        if self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
        server = _WebhookServer((HOST, self._port or self._requested_port), _WebhookHandler)
        server.sink = self
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"webhook-sink-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port; kept after :meth:`stop`, and reused by a later :meth:`start`."""
        if not self._port:
            raise RuntimeError("webhook sink was never started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"

    @property
    def posts(self) -> list[WebhookPost]:
        with self._changed:
            return list(self._posts)

    @property
    def delivered(self) -> list[WebhookPost]:
        """The posts answered with 200 ok."""
        return [p for p in self.posts if p.status == 200]

    def wait_for(self, count: int = 1, timeout: float = 30.0) -> list[WebhookPost]:
        """Delivered posts once at least ``count`` were answered ok; raises TimeoutError otherwise."""
        ready = lambda: sum(p.status == 200 for p in self._posts) >= count  # noqa: E731
        if not _wait_until(self._changed, ready, timeout):
            raise TimeoutError(f"webhook sink: {len(self.delivered)} of {count} posts after {timeout}s")
        return self.delivered

    def fail_next(self, count: int, status: int = 500, retry_after: int = 1, *,
                  after: int = 0) -> None:
        """Answer the next ``count`` posts with ``status`` (429 carries ``Retry-After``), once
        ``after`` more posts were answered as usual."""
        with self._changed:
            self._failures = (count, status, retry_after)
            self._failing_after = after

    def clear(self) -> None:
        with self._changed:
            self._posts.clear()

    # -- called from the server threads

    def _receive(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, dict[str, str]]:
        payload = _slack_payload(headers.get("content-type", ""), body)
        extra: dict[str, str] = {}
        problems = tuple(block_kit_problems(payload))
        with self._changed:
            left, fail_status, retry_after = self._failures
            if left > 0 and self._failing_after > 0:
                self._failing_after -= 1
                left = 0
            if path.split("?")[0] != self.path:
                status, answer = 404, "no_service"
            elif left > 0:
                self._failures = (left - 1, fail_status, retry_after)
                status = fail_status
                answer = "rate_limited" if fail_status == 429 else "internal_error"
                if fail_status in (429, 503):
                    extra["Retry-After"] = str(retry_after)
            elif payload is None:
                status, answer = 400, "invalid_payload"
            elif not isinstance(payload, dict) or not (payload.get("text") or payload.get("blocks")
                                                       or payload.get("attachments")):
                status, answer = 400, "no_text"
            elif problems:
                status, answer = 400, "invalid_blocks"
            else:
                status, answer = 200, "ok"
            post = WebhookPost(path, headers, body, payload, status, problems)
            self._posts.append(post)
            if self.file is not None:
                line = {"received_at": post.received_at.isoformat(), "path": path, "status": status,
                        "headers": headers, "json": payload}
                if problems:
                    line["problems"] = list(problems)
                with self.file.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
            self._changed.notify_all()
        return status, answer, extra


def _slack_payload(content_type: str, body: bytes) -> Any:
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            return json.loads(parse_qs(body.decode("utf-8")).get("payload", [""])[0])
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


class _WebhookServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    sink: WebhookSink

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up is not the sink's problem


class _WebhookHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SlackWebhookSink/1.0"
    timeout = SOCKET_TIMEOUT
    server: _WebhookServer
    max_body = 10 * 1024 * 1024

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.max_body:
            self._answer(413, "payload_too_large")
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, answer, extra = self.server.sink._receive(self.path, headers, body)
        self._answer(status, answer, extra)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(405, "invalid_method", {"Allow": "POST"})

    def _answer(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


__all__ = ["ReceivedMessage", "SmtpSink", "WebhookPost", "WebhookSink"]
