"""Tables of the store. Migrations in `storage/migrations` must follow every change here."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        # PostgreSQL hands timestamptz back in the session's time zone: convert it to UTC
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(
            UTC)


class Base(DeclarativeBase):
    """Declarative base of the store."""


class SourceRow(Base):
    """A configured source, kept so history survives a rename of its title."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))


class PageRow(Base):
    """A fetched URL with its raw body archived (zlib), so parsing can be re-run offline.

    `state` is ok, failed (retried by later runs, `failures` counts) or refused (by policy:
    robots.txt, private address); `error` says why.
    """

    __tablename__ = "pages"
    __table_args__ = (Index("ix_pages_source_state", "source_id", "state"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    final_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="ok")  # ok | failed
    error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    encoding: Mapped[str | None] = mapped_column(String(50))
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    discovered_published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    parsed_hash: Mapped[str | None] = mapped_column(String(64))
    # parts the parser could not find at the last parse ("title,published,body"), for health
    parse_missing: Mapped[str | None] = mapped_column(String(100))
    # the selector set that gave the article at the last parse ("generic": none did), and
    # what each set tried before it lacked ("v2:body;v1:title,body")
    selector_set: Mapped[str | None] = mapped_column(String(100))
    selector_misses: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[SourceRow] = relationship()


class ArticleRow(Base):
    """A normalised article parsed from a page; `body_hash` fingerprints the normalised body."""

    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    body: Mapped[str] = mapped_column(Text)
    body_hash: Mapped[str] = mapped_column(String(64), index=True)
    parsed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the first article with the same body (syndicated copy): its figures are not stored again
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    source: Mapped[SourceRow] = relationship()
    figures: Mapped[list[FigureRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="FigureRow.id"
    )


class FigureRow(Base):
    """One extracted figure (SPEC "Figure"); `figure_key` identifies the same figure across sources."""

    __tablename__ = "figures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(200), index=True)
    counterpart: Mapped[str | None] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(40), index=True)
    value: Mapped[float] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    qualifier: Mapped[str] = mapped_column(String(20))
    place: Mapped[str | None] = mapped_column(String(200))
    period_text: Mapped[str | None] = mapped_column(String(200))
    period_start: Mapped[str | None] = mapped_column(String(10))
    period_end: Mapped[str | None] = mapped_column(String(10))
    modality: Mapped[str] = mapped_column(String(20))
    sentence: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(200))
    # the quantity as written when the engine gives it ("40,000 square miles")
    original: Mapped[str | None] = mapped_column(String(200))
    figure_key: Mapped[str] = mapped_column(String(64), index=True)
    article: Mapped[ArticleRow] = relationship(back_populates="figures")


class AlertRow(Base):
    """An alert, stored before any delivery; `dedup_key` makes re-runs and backfills idempotent."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="figure")  # figure | operator
    rule: Mapped[str] = mapped_column(String(200))
    figure_id: Mapped[int | None] = mapped_column(ForeignKey("figures.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    run_id: Mapped[str | None] = mapped_column(String(250), index=True)
    # what a repeat interval counts as "the same alert again": rule, actor, place
    group_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # when the reported event happened (the article's publication), for repeat intervals
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deliveries: Mapped[list[DeliveryRow]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", order_by="DeliveryRow.id"
    )


class DeliveryRow(Base):
    """The state of one alert on one channel: pending until sent; failures are retried next run."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("alert_id", "channel"), Index("ix_deliveries_state", "state"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(100))
    # pending | sending (leased by a notifier) | sent | failed (retried) | silenced (held until
    # the silence ends) | inhibited (suppressed by another alert) | undeliverable (failed for good)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    leased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # which message carried it ("alerts-1-2-slack message 2 of 9": a split digest)
    message: Mapped[str | None] = mapped_column(String(250))
    alert: Mapped[AlertRow] = relationship(back_populates="deliveries")


class CrawlRunRow(Base):
    """One crawl of one source: when, which window, and its counters."""

    __tablename__ = "crawl_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[SourceRow] = relationship()
