"""The sample site's HTTP server: honest HTTP (ETag, Last-Modified, 304, gzip) plus injected faults."""

from __future__ import annotations

import gzip
import hashlib
import logging
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from . import hostile_content
from .content import Article, coerce_articles, load_articles, load_private_articles
from .faults import Fault, FaultKind, FaultLike, FaultPlan
from .pages import XXE_CANARY_PATH, Page, RenderOptions, SitePages
from .request_log import Headers, RequestLog, RequestRecord

HOST = "127.0.0.1"
SOCKET_TIMEOUT = 10.0
LOOP_PATH = "/_loop"

_log = logging.getLogger(__name__)
_CONTENT_FAULTS = {FaultKind.REDESIGN, FaultKind.UNDATED, FaultKind.OFFSITE_LINKS,
                   FaultKind.PRIVATE_LINKS}


class SampleSite:
    """A running sample site, as yielded by :func:`serve_sample_site`."""

    host = HOST

    def __init__(self, port: int, articles: list[Article], private_articles: list[Article], faults: FaultPlan):
        self.port = port
        self.base_url = f"http://{HOST}:{port}"
        self.articles = [a.served_at(self.base_url) for a in articles]  # newest first
        self.private_articles = [a.served_at(self.base_url) for a in private_articles]
        self.requests = RequestLog()
        self.faults = faults
        self.pages = SitePages(articles, private_articles, self.base_url)

    def url(self, path: str) -> str:
        return self.base_url + path

    def article(self, article_id: int) -> Article:
        return next(a for a in [*self.articles, *self.private_articles] if a.id == article_id)

    def set_fault(self, path_or_pattern: str, fault: FaultLike | None) -> None:
        """Add, replace (``None``: remove) the fault for a path regex while the site runs."""
        self.faults.set(path_or_pattern, fault)

    def clear_faults(self) -> None:
        self.faults.clear()


@contextmanager
def serve_sample_site(
    *,
    port: int = 0,
    faults: FaultPlan | Mapping[str, FaultLike] | None = None,
    articles: Iterable[Article | Mapping[str, Any]] | None = None,
) -> Iterator[SampleSite]:
    """Serve the sample site on 127.0.0.1 (``port=0``: a free port) until the block exits."""
    plan = faults if isinstance(faults, FaultPlan) else FaultPlan(faults or {})
    chosen = load_articles() if articles is None else coerce_articles(articles)
    drafts = load_private_articles() if articles is None else []
    server = _Server(port)
    site = SampleSite(server.server_address[1], chosen, drafts, plan)
    server.site = site
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"sample-site-{site.port}", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.stop()
        thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    site: SampleSite

    def __init__(self, port: int) -> None:
        super().__init__((HOST, port), _Handler)
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def stop(self) -> None:
        """Stop accepting, wake sleeping handlers, drop open connections."""
        self.stopping.set()
        self.shutdown()
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # clients hanging up on slow, huge or broken responses is expected here
        _log.exception("sample site: error while serving %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AlwaghtSample/1.0"
    timeout = SOCKET_TIMEOUT
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        _log.debug("sample site: " + format, *args)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        self._record()
        self._send_simple(405, "Method Not Allowed\n", [("Allow", "GET, HEAD")])

    def _record(self) -> None:
        """Log this request, with its arrival time, in the site's request log."""
        self.server.site.requests.append(RequestRecord(
            self.command, self.path, Headers(self.headers.items()), time.monotonic()))

    # -- main flow ------------------------------------------------------------------------

    def _serve(self, *, head: bool) -> None:
        site = self.server.site
        self._record()
        path = urlsplit(self.path).path
        if path == LOOP_PATH:
            back = parse_qs(urlsplit(self.path).query).get("back", ["/"])[0]
            self._send_simple(302, "Found\n", [("Location", back if back.startswith("/") else "/")], head)
            return
        fault = site.faults.take(self.path)
        kind = fault.kind if fault else None
        if fault is not None and kind is FaultKind.STATUS:
            extra = [("Retry-After", str(fault.retry_after))] if fault.retry_after is not None else []
            self._send_simple(fault.status, f"Error {fault.status}\n", extra, head)
            return
        if fault is not None and kind is FaultKind.SLOW:
            if self.server.stopping.wait(fault.delay):
                self.close_connection = True
                return
        if kind is FaultKind.RESET:
            self._reset_connection()
            return
        if kind is FaultKind.REDIRECT_LOOP:
            self._send_simple(302, "Found\n", [("Location", f"{LOOP_PATH}?back={quote(self.path, safe='')}")], head)
            return

        page = site.pages.resolve(self.path, _render_options(fault))
        text = _transform(page, fault, site.url(XXE_CANARY_PATH))

        if fault is not None and kind is FaultKind.OVERSIZED:
            self._send_stream(page, hostile_content.oversized_html(text.split("</body>")[0], fault.size),
                              fault.size, head)
            return
        if kind is FaultKind.GZIP_BOMB:
            bomb = hostile_content.gzip_bomb()
            self._send_bytes(page.status, _content_type(page, "utf-8"), bomb, [("Content-Encoding", "gzip")], head)
            return

        charset = "utf-8"
        declared: str | None = "utf-8"
        if fault is not None and kind is FaultKind.WRONG_CHARSET:
            charset, declared = fault.encoding, fault.declared_charset
            if declared is None:
                text = text.replace('<meta charset="utf-8">\n', "")
        body = text.encode(charset, "xmlcharrefreplace")
        content_type = _content_type(page, declared)

        if kind is FaultKind.TRUNCATED:
            self._send_truncated(page.status, content_type, body, head)
            return
        self._send_page(page, content_type, body, head, etag=kind is not FaultKind.NO_ETAG)

    # -- senders --------------------------------------------------------------------------

    def _send_page(self, page: Page, content_type: str, body: bytes, head: bool, *,
                   etag: bool = True) -> None:
        """A normal response: validators (the ETag unless `etag` is off), conditional 304, gzip
        when the client accepts it."""
        digest = hashlib.sha256(body).hexdigest()[:32]
        headers = [("Vary", "Accept-Encoding"), ("Cache-Control", "max-age=60")]
        if page.last_modified is not None:
            headers.append(("Last-Modified", _http_date(page.last_modified)))
        use_gzip = page.status == 200 and _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        if page.status == 200:
            if etag:
                headers.append(("ETag", f'"{digest}-gzip"' if use_gzip else f'"{digest}"'))
            if self._not_modified(digest if etag else None, page.last_modified):
                self.send_response(304)
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                return
        if use_gzip:
            body = gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        self._send_bytes(page.status, content_type, body, headers, head)

    def _not_modified(self, digest: str | None, last_modified: datetime | None) -> bool:
        """Whether the client's validators match (`digest` None: the page has no ETag)."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None and digest is not None:
            tags = {t.strip().removeprefix("W/").strip('"').removesuffix("-gzip") for t in if_none_match.split(",")}
            return "*" in tags or digest in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since and last_modified is not None:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return last_modified.replace(microsecond=0) <= since
        return False

    def _send_bytes(self, status: int, content_type: str, body: bytes,
                    headers: Iterable[tuple[str, str]] = (), head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _send_simple(self, status: int, text: str, headers: Iterable[tuple[str, str]] = (),
                     head: bool = False) -> None:
        self._send_bytes(status, "text/plain; charset=utf-8", text.encode(), headers, head)

    def _send_truncated(self, status: int, content_type: str, body: bytes, head: bool) -> None:
        """Announce the whole body, send half of it, hang up."""
        self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()

    def _send_stream(self, page: Page, chunks: Iterator[bytes], size: int, head: bool) -> None:
        self.close_connection = True
        self.send_response(page.status)
        self.send_header("Content-Type", _content_type(page, "utf-8"))
        self.send_header("Content-Length", str(size))
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        for chunk in chunks:
            if self.server.stopping.is_set():
                return
            self.wfile.write(chunk)

    def _reset_connection(self) -> None:
        """Abort with a TCP RST before any byte of response."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()


def _render_options(fault: Fault | None) -> RenderOptions:
    if fault is None or fault.kind not in _CONTENT_FAULTS:
        return RenderOptions()
    if fault.kind is FaultKind.REDESIGN:
        return RenderOptions(redesign=True, redesign_keeps_meta=fault.keep_meta)
    if fault.kind is FaultKind.UNDATED:
        return RenderOptions(undated=True)
    return RenderOptions(extra_links=fault.links)


def _transform(page: Page, fault: Fault | None, canary_url: str) -> str:
    kind = fault.kind if fault else None
    if kind is FaultKind.MALFORMED_HTML:
        return hostile_content.malformed_html(page.text)
    if kind is FaultKind.MALFORMED_XML:
        return hostile_content.malformed_xml(page.text)
    if kind is FaultKind.XML_BOMB:
        return hostile_content.xml_bomb(page.text)
    if kind is FaultKind.XML_EXTERNAL_ENTITY:
        return hostile_content.xml_external_entity(page.text, canary_url)
    return page.text


def _content_type(page: Page, charset: str | None) -> str:
    return page.content_type if charset is None else f"{page.content_type}; charset={charset}"


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)

