"""The notify pipeline as in Alertmanager: inhibit -> silence -> dedup -> send -> retry verdict.

Real SMTP server and Slack-webhook receiver, real stores: every test runs on SQLite and on
PostgreSQL. Silences are applied when sending (a later silence holds pending alerts, an ended
one releases them once); a permanent channel error stops retrying and raises one operator alert
without secrets; a source that is down inhibits "no new articles" for the same source and day.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from postgres_server import postgres_server  # noqa: F401  (the session's server)
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from store_builder import add_article

from alerting.delivery import deliver_pending
from alerting.evaluation import evaluate
from alerting.rules import RulesFile, load_rules
from demo.sinks import SmtpSink, WebhookSink
from storage import Store
from storage.models import AlertRow, ArticleRow, CrawlRunRow, DeliveryRow, SourceRow
from territory_watch.pipeline.health import check_sources

IS = "Islamic State"
RULE = "  - {name: big, metric: area_lost, above: 1000, channels: [email, slack]}\n"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store on SQLite, then on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tw.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database(f"tw_pipeline_{int(time.time() * 1000) % 10**9}")
    opened = Store(url)
    yield opened
    opened.close()


def rules_file(tmp_path: Path, *, slack: str = "", silences: str = "", name: str = "rules") -> RulesFile:
    path = tmp_path / f"{name}.yaml"
    path.write_text("channels:\n"
                    "  email: {connection: territory_watch_email, to: [alerts@example.org]}\n"
                    f"  slack: {{connection: territory_watch_slack{slack}}}\n"
                    f"rules:\n{RULE}{silences}")
    return load_rules(path)


def states(store: Store, *, kind: str = "figure") -> list[tuple[str, str]]:
    with store.session() as session:
        return sorted(session.execute(
            select(DeliveryRow.channel, DeliveryRow.state).join(AlertRow)
            .where(AlertRow.kind == kind)).all())


def operator_alerts(store: Store) -> list[AlertRow]:
    with store.session() as session:
        return list(session.scalars(select(AlertRow).options(selectinload(AlertRow.deliveries))
                                    .where(AlertRow.kind == "operator").order_by(AlertRow.id)))


def one_alert(store: Store, rules: RulesFile, url: str = "u1", value: float = 5841) -> None:
    add_article(store, "alwaght", url, "2017-10-13T08:22", [(IS, "area_lost", value)])
    assert len(evaluate(store, rules).created) == 1


def test_a_silence_added_later_holds_pending_alerts_and_its_end_releases_them_once(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, webhook = channels
    one_alert(store, rules_file(tmp_path))  # stored while no silence exists
    until = (datetime.now(UTC) + timedelta(seconds=4)).isoformat()
    silenced = rules_file(tmp_path, name="silenced", silences=(
        f"silences:\n  - {{actor: Daesh, until: '{until}', reason: known offensive}}\n"))
    report = deliver_pending(store, silenced)
    assert report.sent == [] and len(report.held.silenced) == 2
    assert states(store) == [("email", "silenced"), ("slack", "silenced")]
    assert deliver_pending(store, silenced).sent == []
    assert smtp.messages == [] and webhook.posts == []

    time.sleep(4.5)  # the silence ends: the same rules file now releases the alert
    report = deliver_pending(store, silenced)
    assert len(report.held.released) == 2 and len(report.sent) == 2
    assert states(store) == [("email", "sent"), ("slack", "sent")]
    assert len(smtp.messages) == 1 and len(webhook.delivered) == 1
    assert deliver_pending(store, silenced).sent == []  # released once, sent once
    assert len(smtp.messages) == 1 and len(webhook.posts) == 1


def test_slack_404_is_permanent_and_raises_one_operator_alert_without_the_token(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp, webhook = channels
    revoked = f"http://127.0.0.1:{webhook.port}/services/T0SECRET/B0SECRET/r3vokedTok3n"
    monkeypatch.setenv("AIRFLOW_CONN_TERRITORY_WATCH_SLACK",
                       json.dumps({"conn_type": "slackwebhook", "password": revoked}))
    rules = rules_file(tmp_path)
    one_alert(store, rules)
    report = deliver_pending(store, rules)
    assert states(store) == [("email", "sent"), ("slack", "undeliverable")]
    assert [p.status for p in webhook.posts] == [404]
    (alert,) = operator_alerts(store)
    assert alert.subject == "Alerts undeliverable on channel slack: slack http 404"
    # the operator alert goes out on the other channel (the failing one would refuse it too)
    assert [d.channel for d in alert.deliveries] == ["email"]
    assert alert.deliveries[0].state == "sent"
    assert any(m.subject.endswith("Alerts undeliverable on channel slack: slack http 404")
               for m in smtp.messages)
    stored = json.dumps(alert.payload) + "".join(e for _, _, e in report.undeliverable)
    assert "r3vokedTok3n" not in stored and "T0SECRET" not in stored
    assert "HTTP 404" in stored

    # never retried; a second alert failing the same way raises no second operator alert
    deliver_pending(store, rules)
    assert len(webhook.posts) == 1
    one_alert(store, rules, url="u2", value=4000)
    deliver_pending(store, rules)
    assert [p.status for p in webhook.posts] == [404, 404]
    assert len(operator_alerts(store)) == 1
    with store.session() as session:
        attempts = session.scalars(select(DeliveryRow.attempts).where(
            DeliveryRow.channel == "slack").order_by(DeliveryRow.id)).all()
    assert attempts == [1, 1]


def test_smtp_login_refused_is_permanent_and_the_password_stays_out(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp, webhook = channels
    monkeypatch.setenv("AIRFLOW_CONN_TERRITORY_WATCH_EMAIL", json.dumps(
        {"conn_type": "smtp", "host": "127.0.0.1", "port": smtp.port, "login": "tw",
         "password": "hunter2-Secret", "extra": {"disable_ssl": True, "disable_tls": True,
                                                 "from_email": "tw@localhost"}}))
    smtp.refuse(logins=True)
    rules = rules_file(tmp_path)
    one_alert(store, rules)
    report = deliver_pending(store, rules)
    assert states(store) == [("email", "undeliverable"), ("slack", "sent")]
    tried = len(smtp.logins)  # smtplib tries each mechanism the server offers
    assert tried >= 1 and set(smtp.logins) == {"tw"} and smtp.messages == []
    (alert,) = operator_alerts(store)
    assert alert.subject == "Alerts undeliverable on channel email: smtp authentication refused"
    assert [(d.channel, d.state) for d in alert.deliveries] == [("slack", "sent")]
    assert any("email: smtp authentication refused" in p.text for p in webhook.delivered)
    with store.session() as session:
        rows = json.dumps([(a.subject, a.payload) for a in session.scalars(select(AlertRow))])
        errors = " ".join(e or "" for e in session.scalars(select(DeliveryRow.last_error)))
    assert "hunter2-Secret" not in rows + errors + str(report.undeliverable)
    assert "535" in errors
    deliver_pending(store, rules)
    assert len(smtp.logins) == tried  # not tried again


def test_every_recipient_refused_is_permanent(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, _ = channels
    smtp.refuse(recipients=True)
    rules = rules_file(tmp_path)
    one_alert(store, rules)
    deliver_pending(store, rules)
    assert states(store) == [("email", "undeliverable"), ("slack", "sent")]
    (alert,) = operator_alerts(store)
    assert alert.subject == "Alerts undeliverable on channel email: smtp recipients refused"


def test_a_temporary_failure_is_retried_until_max_attempts(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, webhook = channels
    webhook.fail_next(100, status=500)
    rules = rules_file(tmp_path, slack=", max_attempts: 2")
    one_alert(store, rules)
    deliver_pending(store, rules)
    assert states(store) == [("email", "sent"), ("slack", "failed")]
    assert operator_alerts(store) == []
    report = deliver_pending(store, rules)
    assert states(store) == [("email", "sent"), ("slack", "undeliverable")]
    assert report.undeliverable[0][2].startswith("gave up after 2 attempts; last error:")
    (alert,) = operator_alerts(store)
    assert alert.subject == "Alerts undeliverable on channel slack: max attempts"
    assert [p.status for p in webhook.posts] == [500, 500]
    deliver_pending(store, rules)
    assert len(webhook.posts) == 2


def test_a_source_down_inhibits_no_new_articles_for_the_same_source_and_day(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, webhook = channels
    rules = rules_file(tmp_path)
    old = datetime(2017, 10, 1, tzinfo=UTC)
    add_article(store, "alwaght", "a1", "2017-10-01", [])
    add_article(store, "quiet", "q1", "2017-10-01", [])
    with store.session() as session:
        session.execute(update(ArticleRow).values(parsed_at=old))
        alwaght = session.scalar(select(SourceRow).where(SourceRow.name == "alwaght"))
        assert alwaght is not None
        session.add(CrawlRunRow(source_id=alwaght.id, started_at=old, finished_at=old,
                                stats={"index_requests": 3, "index_failed": 3}))
    raised = check_sources(store, rules, ["alwaght", "quiet"])
    kinds = sorted(a.payload["operator"]["kind"] + ":" + a.payload["operator"]["source"]
                   for a in operator_alerts(store))
    # both fire for alwaght (the crawl failed and nothing new came), one for the quiet source
    assert len(raised) == 3 and kinds == ["crawl_failed:alwaght", "no_new_articles:alwaght",
                                          "no_new_articles:quiet"]
    report = deliver_pending(store, rules)
    assert sorted((c, why.split(":")[0]) for _, c, why in report.held.inhibited) == [
        ("email", f"inhibited by alert {raised[0]}"), ("slack", f"inhibited by alert {raised[0]}")]
    subjects = sorted(m.subject for m in smtp.messages)
    assert len(subjects) == 2 and any("Crawl of Alwaght failed" in s for s in subjects)
    assert any("No new articles from Quiet" in s for s in subjects)
    assert not any("No new articles from Alwaght" in s for s in subjects)
    assert len(webhook.delivered) == 2
    deliver_pending(store, rules)  # stays inhibited
    assert len(smtp.messages) == 2
