"""Fault injection for the sample site: what can go wrong, and on which paths."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

MB = 1024 * 1024

OFFSITE_URLS = (
    "http://evil.example/en/News/99999/Sponsored-Story",
    "http://alwaght.net.evil.example/en/News/99995/Lookalike-Domain",
)
PRIVATE_URLS = (
    "http://10.0.0.1/en/News/99998/Internal-Report",
    "http://192.168.1.1/en/News/99997/Router-Admin",
    "http://169.254.169.254/latest/meta-data/",
)


class FaultKind(StrEnum):
    STATUS = "status"  # answer `status` (500/503/429...), with Retry-After when set
    SLOW = "slow"  # wait `delay` seconds before answering (client timeouts)
    RESET = "reset"  # close the connection with a TCP reset, no response at all
    TRUNCATED = "truncated"  # Content-Length announces more bytes than are sent
    OVERSIZED = "oversized"  # an HTML page of `size` bytes (20 MB by default)
    GZIP_BOMB = "gzip_bomb"  # ~110 KB of gzip that inflates to 110 MB, Content-Encoding: gzip
    WRONG_CHARSET = "wrong_charset"  # bytes in `encoding`, header claims `declared_charset` (or none)
    MALFORMED_HTML = "malformed_html"  # unclosed tags, stray end tags, garbage; text still there
    MALFORMED_XML = "malformed_xml"  # feed/sitemap cut short, with unescaped garbage
    XML_BOMB = "xml_bomb"  # billion-laughs entity expansion in the document
    XML_EXTERNAL_ENTITY = "xml_external_entity"  # SYSTEM entities: file:///etc/passwd and a canary URL
    REDIRECT_LOOP = "redirect_loop"  # 302 to /_loop, which 302s back, forever
    OFFSITE_LINKS = "offsite_links"  # listings/feeds/sitemaps link to http://evil.example/...
    PRIVATE_LINKS = "private_links"  # ... and to private addresses (10.0.0.1, 169.254.169.254 ...)
    REDESIGN = "redesign"  # article pages keep their URL, but title/date/body markup changes
    UNDATED = "undated"  # article pages carry no date at all (no meta, no <time>)
    NO_ETAG = "no_etag"  # no ETag: Last-Modified is the only validator (If-Modified-Since)


@dataclass(frozen=True)
class Fault:
    """One misbehaviour; ``times`` limits it to the first N matching requests (None: always)."""

    kind: FaultKind
    times: int | None = None
    status: int = 503
    retry_after: int | None = None
    delay: float = 10.0
    size: int = 20 * MB
    encoding: str = "cp1256"
    declared_charset: str | None = "utf-8"
    links: tuple[str, ...] = ()
    keep_meta: bool = True

    @classmethod
    def http_status(cls, status: int = 503, *, retry_after: int | None = None, times: int | None = None) -> Fault:
        if retry_after is None and status in (429, 503):
            retry_after = 1
        return cls(FaultKind.STATUS, times, status=status, retry_after=retry_after)

    @classmethod
    def slow(cls, delay: float = 10.0, *, times: int | None = None) -> Fault:
        return cls(FaultKind.SLOW, times, delay=delay)

    @classmethod
    def reset(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.RESET, times)

    @classmethod
    def truncated(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.TRUNCATED, times)

    @classmethod
    def oversized(cls, size: int = 20 * MB, *, times: int | None = None) -> Fault:
        return cls(FaultKind.OVERSIZED, times, size=size)

    @classmethod
    def gzip_bomb(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.GZIP_BOMB, times)

    @classmethod
    def wrong_charset(
        cls, encoding: str = "cp1256", declared: str | None = "utf-8", *, times: int | None = None
    ) -> Fault:
        return cls(FaultKind.WRONG_CHARSET, times, encoding=encoding, declared_charset=declared)

    @classmethod
    def malformed_html(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.MALFORMED_HTML, times)

    @classmethod
    def malformed_xml(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.MALFORMED_XML, times)

    @classmethod
    def xml_bomb(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.XML_BOMB, times)

    @classmethod
    def xml_external_entity(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.XML_EXTERNAL_ENTITY, times)

    @classmethod
    def redirect_loop(cls, *, times: int | None = None) -> Fault:
        return cls(FaultKind.REDIRECT_LOOP, times)

    @classmethod
    def offsite_links(cls, links: Iterable[str] = OFFSITE_URLS, *, times: int | None = None) -> Fault:
        return cls(FaultKind.OFFSITE_LINKS, times, links=tuple(links))

    @classmethod
    def private_links(cls, links: Iterable[str] = PRIVATE_URLS, *, times: int | None = None) -> Fault:
        return cls(FaultKind.PRIVATE_LINKS, times, links=tuple(links))

    @classmethod
    def redesign(cls, *, keep_meta: bool = True, times: int | None = None) -> Fault:
        return cls(FaultKind.REDESIGN, times, keep_meta=keep_meta)

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """``NAME[:ARG[:ARG]][*N]``, e.g. ``status:503``, ``status:429:5*2``, ``slow:3``,
        ``oversized:1048576``, ``wrong_charset:latin-1:none``, ``redesign``, ``reset*1``."""
        spec, _, times_text = spec.strip().partition("*")
        name, *args = spec.split(":")
        times = int(times_text) if times_text else None
        kind = FaultKind(name.strip().lower().replace("-", "_"))
        if kind is FaultKind.STATUS:
            status = int(args[0]) if args else 503
            return cls.http_status(status, retry_after=int(args[1]) if len(args) > 1 else None, times=times)
        if kind is FaultKind.SLOW:
            return cls.slow(float(args[0]) if args else 10.0, times=times)
        if kind is FaultKind.OVERSIZED:
            return cls.oversized(int(args[0]) if args else 20 * MB, times=times)
        if kind is FaultKind.WRONG_CHARSET:
            declared = args[1] if len(args) > 1 else "utf-8"
            return cls.wrong_charset(args[0] if args else "cp1256",
                                     None if declared.lower() == "none" else declared, times=times)
        if kind is FaultKind.REDESIGN:
            return cls.redesign(keep_meta=not (args and args[0] == "nometa"), times=times)
        if args:
            raise ValueError(f"fault {name!r} takes no argument")
        defaults = {FaultKind.OFFSITE_LINKS: OFFSITE_URLS, FaultKind.PRIVATE_LINKS: PRIVATE_URLS}
        return cls(kind, times, links=defaults.get(kind, ()))


FaultLike = Fault | str


@dataclass
class _Rule:
    text: str
    pattern: re.Pattern[str]
    fault: Fault
    hits: int = 0

    def matches(self, target: str) -> bool:
        return self.text in (target, target.split("?", 1)[0]) or bool(self.pattern.search(target))


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error:  # not a regex: a literal path
        return re.compile(re.escape(pattern))


class FaultPlan:
    """Paths or path regexes mapped to faults; thread-safe.

    A rule matches a request target (path and query) equal to it, whose path equals it, or in
    which its regex is found (``re.search``).

    When several rules match, the one set last wins. A fault with ``times=N`` applies to the
    first N matching requests; later ones are served normally.
    """

    def __init__(self, rules: Mapping[str, FaultLike] | Iterable[tuple[str, FaultLike]] = ()) -> None:
        self._lock = threading.Lock()
        self._rules: dict[str, _Rule] = {}
        items = rules.items() if isinstance(rules, Mapping) else rules
        for pattern, fault in items:
            self.set(pattern, fault)

    def set(self, pattern: str, fault: FaultLike | None) -> None:
        """Add or replace the rule for ``pattern`` (its hit count restarts); None removes it."""
        with self._lock:
            self._rules.pop(pattern, None)
            if fault is not None:
                parsed = Fault.parse(fault) if isinstance(fault, str) else fault
                self._rules[pattern] = _Rule(pattern, _compile(pattern), parsed)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, target: str) -> Fault | None:
        """The fault to apply to this request, counting the hit."""
        with self._lock:
            for rule in reversed(self._rules.values()):
                if rule.matches(target):
                    rule.hits += 1
                    if rule.fault.times is None or rule.hits <= rule.fault.times:
                        return rule.fault
                    return None
        return None

    def hits(self, pattern: str) -> int:
        """How many requests matched ``pattern``'s rule since it was set."""
        with self._lock:
            rule = self._rules.get(pattern)
            return 0 if rule is None else rule.hits

    @property
    def rules(self) -> dict[str, Fault]:
        with self._lock:
            return {pattern: rule.fault for pattern, rule in self._rules.items()}

    def copy(self) -> FaultPlan:
        return FaultPlan({p: replace(f) for p, f in self.rules.items()})
