"""Downloader middlewares: refuse private-network targets, honour Retry-After."""

from __future__ import annotations

import ipaddress
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawlers import download_slots
from crawlers.stats import Stat, count


@lru_cache(maxsize=4096)
def _is_private_host(host: str) -> bool:
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unresolvable: the download itself reports the DNS failure
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved
               or a.is_multicast or a.is_unspecified for a in addresses)


def on_site(url: str, domains: list[str]) -> bool:
    """Whether `url`'s host is one of `domains` or a subdomain of one (ports ignored)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


class PrivateAddressMiddleware:
    """Refuse loopback / private-network targets unless the spider's source allows them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        source = getattr(spider, "source", None)
        if source is not None and source.allow_private_addresses:
            return None
        host = urlsplit(request.url).hostname or ""
        if not _is_ip(host) and not on_site(request.url,
                                            getattr(spider, "allowed_domains", None) or [host]):
            return None  # off-site: OffsiteMiddleware refuses it, no DNS lookup for it here
        if _is_private_host(host):
            raise IgnoreRequest(f"target {host} is on a loopback or private network")
        return None


class HostBackedOff(IgnoreRequest):
    """Not requested: the host asked for a longer pause than this run waits (Retry-After)."""


class RetryAfterMiddleware:
    """On 429/503 with Retry-After: pause the whole site that long, then retry the page.

    The pause holds the download slot of the answering host, so no request of any page goes
    to it before the time the server asked for (requests already in flight still finish).
    After more than RETRY_AFTER_MAX_TIMES tries the page is given up for this run, without
    RetryMiddleware's immediate retries. A longer wait than RETRY_AFTER_MAX_WAIT ends this
    run's visit of the host: the page fails, and every request still waiting for the host, or
    made for it later, is dropped with `HostBackedOff` (the next run fetches them). Answers
    without Retry-After are left to RetryMiddleware. Runs before it (a higher order number).
    """

    def __init__(self, crawler: Crawler, max_wait: float, max_times: int) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.max_times = max_times
        self.backed_off: dict[str, str] = {}  # slot key -> why its requests are dropped

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = cls(crawler, crawler.settings.getfloat("RETRY_AFTER_MAX_WAIT", 60.0),
                         crawler.settings.getint("RETRY_AFTER_MAX_TIMES", 2))
        # response_downloaded fires before the slot hands out its next request
        crawler.signals.connect(middleware.pause_slot, signal=signals.response_downloaded)
        return middleware

    def _asked_wait(self, response: Response) -> float | None:
        """The pause a 429/503 answer asks for, if it names one."""
        if response.status not in (429, 503):
            return None
        return _retry_after_seconds(response.headers.get(b"Retry-After"))

    def _slot_key(self, request: Request) -> str:
        assert self.crawler.engine is not None
        return download_slots.slot_key(self.crawler.engine.downloader, request)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        reason = self.backed_off.get(self._slot_key(request)) if self.backed_off else None
        if reason is not None:
            raise HostBackedOff(reason)

    def pause_slot(self, response: Response, request: Request, spider: Spider | None = None) -> None:
        """Hold the answering host's download slot for the Retry-After delay; or, when the
        server asks for more than this run waits, drop what waits for the host."""
        asked = self._asked_wait(response)
        engine = self.crawler.engine
        if not asked or engine is None:
            return
        key = self._slot_key(request)
        if asked > self.max_wait:
            reason = f"{key} asked for a {asked:.0f} s pause (Retry-After): left for the next run"
            self.backed_off[key] = reason
            count(self.crawler, Stat.RETRY_AFTER_BACKOFFS)
            download_slots.drain(engine.downloader, key, HostBackedOff(reason))
            return
        if download_slots.hold(engine.downloader, key, asked):
            count(self.crawler, Stat.RETRY_AFTER_PAUSES)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        asked = self._asked_wait(response)
        if asked is None:
            return response
        tries = request.meta.get("tw_retry_after", 0)
        if asked > self.max_wait or tries >= self.max_times:
            request.meta["dont_retry"] = True
            return response
        count(self.crawler, Stat.RETRY_AFTER_WAITS)
        retry = request.replace(dont_filter=True)  # waits in the paused slot
        retry.meta["tw_retry_after"] = tries + 1
        return retry


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _retry_after_seconds(value: bytes | None) -> float | None:
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
