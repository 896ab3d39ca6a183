"""The store on a real PostgreSQL server: schema, a full cycle, concurrent notifiers.

The server (tests/postgres_server.py) runs in a non-UTC time zone on purpose; every test gets
a fresh database and points TERRITORY_WATCH_DB at it, so the console script uses PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import string
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from cli_runner import SCRIPT, SEED_WINDOW, tw
from postgres_server import SERVER_TIMEZONE, postgres_server, postgres_url  # noqa: F401
from sqlalchemy import func, inspect, select, text

from demo.sinks import SmtpSink, WebhookSink
from storage import Store
from storage.database import alembic_config
from storage.models import AlertRow, ArticleRow, Base, DeliveryRow, FigureRow, PageRow, SourceRow
from territory_watch.config.settings import Settings


@pytest.fixture
def pg_settings(tw_settings: Settings, postgres_url: str,  # noqa: F811
                monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The sample-site settings with the store on PostgreSQL (no SQLite file is made)."""
    monkeypatch.setenv("TERRITORY_WATCH_DB", postgres_url)
    return dataclasses.replace(tw_settings, db_url=postgres_url)


def test_migrations_match_models(postgres_url: str) -> None:  # noqa: F811
    store = Store(postgres_url)
    try:
        assert store.engine.dialect.name == "postgresql"
        with store.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            head = ScriptDirectory.from_config(alembic_config(postgres_url)).get_current_head()
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head
        assert diff == []
        assert set(Base.metadata.tables) <= set(inspect(store.engine).get_table_names())
    finally:
        store.close()
    Store(postgres_url).close()  # migrating again is a no-op


def test_datetimes_json_and_long_urls_round_trip(postgres_url: str) -> None:  # noqa: F811
    store = Store(postgres_url)
    tehran = timezone(timedelta(hours=3, minutes=30))
    fetched = datetime(2017, 10, 13, 23, 45, 12, 345678, tzinfo=tehran)
    # the column's 2000 characters, incompressible, in the unique btree index of pages.url
    letters = random.Random(0).choices(string.ascii_letters + string.digits, k=1975)
    url = "https://news.example.org/" + "".join(letters)
    try:
        with store.session() as session:
            assert session.scalar(text("SHOW TimeZone")) == SERVER_TIMEZONE
            source = SourceRow(name="example", title="Example – News")
            session.add(source)
            session.flush()
            session.add(PageRow(source=source, url=url, raw=b"\x00\xff" * 10, fetched_at=fetched))
            session.add(AlertRow(dedup_key="k" * 64, rule="r", subject="s", created_at=fetched,
                              payload={"digest": True, "value": 5841.0, "names": ["ISIS", "é"]}))
        with store.session() as session:
            page = session.scalar(select(PageRow))
            assert page.url == url and len(page.url) == 2000 and page.raw == b"\x00\xff" * 10
            # handed back in UTC whatever the server's time zone
            assert page.fetched_at == fetched
            assert page.fetched_at.utcoffset() == timedelta(0)
            assert page.fetched_at.isoformat() == "2017-10-13T20:15:12.345678+00:00"
            alert = session.scalar(select(AlertRow))
            assert alert.payload == {"digest": True, "value": 5841.0, "names": ["ISIS", "é"]}
            assert alert.created_at.utcoffset() == timedelta(0)
            assert session.scalar(select(SourceRow.title)) == "Example – News"
    finally:
        store.close()


def test_full_cycle_on_postgresql(pg_settings: Settings,
                                  channels: tuple[SmtpSink, WebhookSink]) -> None:
    smtp, webhook = channels
    result = tw("run", *SEED_WINDOW)
    assert result.returncode == 0, result.stderr
    # area_lost 5,841 and settlements_lost 142 by email and Slack, share < 8 % by Slack
    assert "3 new alerts" in result.stdout and "5 delivered" in result.stdout, result.stdout
    subjects = [m.subject for m in smtp.messages]
    assert len(subjects) == 2
    assert any("Islamic State lost 5,841 km²" in s for s in subjects), subjects
    assert len(webhook.delivered) == 3
    assert any("5,841" in p.text for p in webhook.delivered)
    assert not (pg_settings.home / "tw.db").exists()
    assert not (pg_settings.home / "territory-watch.db").exists()

    store = Store(pg_settings.db_url)
    try:
        with store.session() as session:
            seed = session.scalar(select(ArticleRow).where(ArticleRow.url.contains("/11402/")))
            assert seed is not None and seed.published.utcoffset() == timedelta(0)
            lost = session.scalars(select(FigureRow).where(FigureRow.metric == "area_lost",
                                                        FigureRow.article_id == seed.id)).all()
            assert [(f.actor, f.value) for f in lost] == [("Islamic State", 5841.0)]
            assert set(session.scalars(select(DeliveryRow.state))) == {"sent"}
            assert session.scalar(select(func.count(DeliveryRow.id))) == 5
    finally:
        store.close()

    again = tw("run", *SEED_WINDOW)
    assert again.returncode == 0, again.stderr
    assert "0 new alerts" in again.stdout, again.stdout
    assert len(smtp.messages) == 2 and len(webhook.delivered) == 3  # nothing sent twice

    figures = tw("figures", "--format", "jsonl", *SEED_WINDOW)
    assert figures.returncode == 0, figures.stderr
    rows = [json.loads(line) for line in figures.stdout.splitlines() if line.strip()]
    found = {(r["actor"], r["metric"], r["value"]) for r in rows}
    assert {("Islamic State", "area_lost", 5841.0),
            ("Islamic State", "settlements_lost", 142.0)} <= found, found
    seed_rows = [r for r in rows if "/11402/" in r["url"]]
    assert seed_rows and all(r["source"] == "alwaght" for r in seed_rows)
    # the publication date read back in UTC, not in the server's zone
    assert all(r["published"].startswith("2017-10-13") and r["published"].endswith("+00:00")
               for r in seed_rows), [r["published"] for r in seed_rows]


def test_three_notifiers_at_once_send_each_alert_once(
    pg_settings: Settings, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, webhook = channels
    assert tw("run", "--no-notify", "--since", "2017-08-01", "--until", "2017-12-01"
              ).returncode == 0
    store = Store(pg_settings.db_url)
    try:
        with store.session() as session:
            pending = session.scalar(select(func.count(DeliveryRow.id)))
            assert pending >= 3
            assert set(session.scalars(select(DeliveryRow.state))) == {"pending"}
    finally:
        store.close()
    notifiers = [subprocess.Popen([str(SCRIPT), "notify"], env=os.environ.copy(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    try:
        outputs = [n.communicate(timeout=180) for n in notifiers]
    finally:
        for n in notifiers:
            if n.poll() is None:
                n.kill()
                n.wait(timeout=10)
    assert [n.returncode for n in notifiers] == [0, 0, 0], [err for _, err in outputs]
    sent = sum(int(out.split(" delivered")[0].rsplit(" ", 1)[-1]) for out, _ in outputs)
    ids = [m.message["X-Territory-Watch-Alerts"] for m in smtp.messages]
    assert len(ids) == len(set(ids)) and len(ids) >= 1
    texts = [p.text for p in webhook.delivered]
    assert len(texts) == len(set(texts))
    assert sent == len(ids) + len(texts) == pending
    store = Store(pg_settings.db_url)
    try:
        with store.session() as session:
            rows = session.execute(select(DeliveryRow.state, DeliveryRow.attempts)).all()
            assert {state for state, _ in rows} == {"sent"}
            assert {attempts for _, attempts in rows} == {1}  # claimed once, by one notifier
    finally:
        store.close()
    assert "0 delivered" in tw("notify").stdout


def test_oversized_validators_do_not_lose_a_page(postgres_url: str) -> None:  # noqa: F811
    """A server's ETag or Last-Modified longer than its column: the page is archived anyway,
    without the validator (PostgreSQL refuses over-long strings; SQLite would store them)."""
    from storage.pages import ensure_source, record_fetch

    store = Store(postgres_url)
    try:
        with store.session() as session:
            source = ensure_source(session, "example", "Example")
            record_fetch(session, source, url="https://news.example.org/a", status=200,
                         final_url="https://news.example.org/a", body=b"<html>a</html>",
                         encoding="utf-8", etag='W/"' + "e" * 600 + '"',
                         last_modified="x" * 150, discovered_published=None)
            record_fetch(session, source, url="https://news.example.org/b", status=200,
                         final_url="https://news.example.org/b", body=b"<html>b</html>",
                         encoding="utf-8", etag='"ok"',
                         last_modified="Fri, 13 Oct 2017 08:22:00 GMT", discovered_published=None)
        with store.session() as session:
            pages = {p.url[-1]: p for p in session.scalars(select(PageRow))}
            assert (pages["a"].etag, pages["a"].last_modified) == (None, None)
            assert pages["a"].raw is not None and pages["a"].state == "ok"
            assert pages["b"].etag == '"ok"'
    finally:
        store.close()
