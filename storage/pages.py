"""Sources and archived pages: registering sources, recording fetches and failures."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from storage.models import PageRow, SourceRow


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def ensure_source(session: Session, name: str, title: str) -> SourceRow:
    """The source row for `name`, created or retitled as needed."""
    row = session.scalar(select(SourceRow).where(SourceRow.name == name))
    if row is None:
        row = SourceRow(name=name, title=title)
        session.add(row)
        session.flush()
    elif row.title != title:
        row.title = title
    return row


KnownRow = Row[str, str, datetime | None, str | None, str | None, int]


def pages_of(session: Session, source_name: str) -> Iterator[KnownRow]:
    """What the crawler remembers of each page of one source, without the archived bodies:
    rows of (url, state, fetched_at, etag, last_modified, failures)."""
    stmt = (select(PageRow.url, PageRow.state, PageRow.fetched_at, PageRow.etag, PageRow.last_modified,
                   PageRow.failures)
            .join(SourceRow).where(SourceRow.name == source_name))
    yield from session.execute(stmt.execution_options(yield_per=1000))


ETAG_MAX = PageRow.etag.type.length
LAST_MODIFIED_MAX = PageRow.last_modified.type.length


def record_fetch(
    session: Session,
    source: SourceRow,
    *,
    url: str,
    final_url: str,
    status: int,
    body: bytes,
    encoding: str | None,
    etag: str | None,
    last_modified: str | None,
    discovered_published: datetime | None,
) -> tuple[PageRow, bool]:
    """Archive a fetched page (zlib-compressed); returns the page and whether its content changed.

    A 304 answer or an identical body only refreshes `fetched_at`.
    """
    page = session.scalar(select(PageRow).where(PageRow.url == url))
    if page is None:
        page = PageRow(url=url, source_id=source.id, failures=0)
        session.add(page)
    page.fetched_at = now()
    page.status = status
    if discovered_published is not None:
        page.discovered_published = discovered_published
    if status == 304:
        page.state, page.error, page.failures = "ok", None, 0
        return page, False
    digest = hashlib.sha256(body).hexdigest()
    changed = digest != page.content_hash
    page.final_url = final_url
    page.state, page.error, page.failures = "ok", None, 0
    # a validator too long for its column is dropped, not truncated (PostgreSQL would refuse
    # the page; a cut ETag would never match): the page is then refetched unconditionally
    page.etag = etag if etag is None or len(etag) <= ETAG_MAX else None
    page.last_modified = (last_modified if last_modified is None
                          or len(last_modified) <= LAST_MODIFIED_MAX else None)
    if changed:
        page.content_hash = digest
        page.raw = zlib.compress(body, 6)
        page.encoding = encoding
    return page, changed


def record_failure(
    session: Session, source: SourceRow, *, url: str, reason: str, status: int | None,
    retryable: bool,
) -> PageRow:
    """Remember why a page could not be fetched; a stored good copy stays as it is.

    The same policy refusal again (robots.txt still says no: nothing was sent) is not one
    more failure."""
    page = session.scalar(select(PageRow).where(PageRow.url == url))
    if page is None:
        page = PageRow(url=url, source_id=source.id, failures=0, state="failed")
        session.add(page)
    error = reason[:2000]
    if not retryable and page.state == "refused" and page.error == error:
        return page
    if page.state != "ok" or page.raw is None:
        page.state = "failed" if retryable else "refused"
    page.error = error
    page.status = status
    page.failures = (page.failures or 0) + 1
    return page


def raw_html(page: PageRow) -> bytes:
    """The archived body of a page, decompressed."""
    return zlib.decompress(page.raw) if page.raw else b""


def pages_to_parse(session: Session, source_names: list[str] | None = None,
                   *, reparse: bool = False) -> list[int]:
    """Ids of archived pages whose current content has not been parsed yet (or all, `reparse`)."""
    stmt = select(PageRow.id).where(PageRow.state == "ok", PageRow.raw.is_not(None))
    if not reparse:
        stmt = stmt.where(or_(PageRow.parsed_hash.is_(None), PageRow.parsed_hash != PageRow.content_hash))
    if source_names:
        stmt = stmt.join(SourceRow).where(SourceRow.name.in_(source_names))
    return list(session.scalars(stmt.order_by(PageRow.id)))


SetMisses = list[tuple[str, list[str]]]


def misses_text(misses: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    """Selector-set misses [(set, [field, ...]), ...] as stored: "v2:body;v1:title,body"."""
    parts = [f"{name}:{','.join(fields)}" for name, fields in misses]
    return ";".join(parts)[:500] or None


def read_misses(text: str | None) -> SetMisses:
    """The stored selector-set misses, back as [(set, [field, ...]), ...]."""
    misses: SetMisses = []
    for part in (text or "").split(";"):
        name, _, fields = part.partition(":")
        if name:
            misses.append((name, [f for f in fields.split(",") if f]))
    return misses
