"""Alerts delivered to a real SMTP server and a real webhook receiver, exactly once."""

from __future__ import annotations

import pytest
from cli_runner import SEED_WINDOW, tw
from sqlalchemy import select

from demo.sinks import SmtpSink, WebhookSink
from storage import Store
from storage.models import DeliveryRow
from territory_watch.config.settings import Settings


def test_seed_article_alert_reaches_email_and_slack_once(
    tw_settings: Settings, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, webhook = channels
    result = tw("run", *SEED_WINDOW)
    assert result.returncode == 0, result.stderr
    # area_lost 5,841 and settlements_lost 142 by email and Slack, share < 8 % by Slack
    assert "3 new alerts" in result.stdout and "5 delivered" in result.stdout

    subjects = [m.subject for m in smtp.messages]
    assert any("Islamic State lost 5,841 km²" in s for s in subjects), subjects
    mail = next(m for m in smtp.messages if "5,841" in m.subject)
    assert mail.rcpt_tos == ("alerts@example.org",)
    assert "ISIS lost 5,841 square kilometers" in mail.text
    assert "/en/News/11402/" in mail.text and "/en/News/11402/" in mail.html
    assert any("5,841" in p.text for p in webhook.delivered)

    again = tw("run", *SEED_WINDOW)
    assert again.returncode == 0, again.stderr
    assert "0 new alerts" in again.stdout
    assert len(smtp.messages) == len(subjects)  # nothing sent twice


def test_smtp_down_is_recorded_and_delivered_next_run(
    tw_settings: Settings, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, webhook = channels
    smtp.bring_down()
    first = tw("run", *SEED_WINDOW)
    assert first.returncode == 0, first.stderr
    assert smtp.messages == [] and webhook.delivered
    store = Store(tw_settings.db_url)
    with store.session() as session:
        failed = session.scalars(select(DeliveryRow).where(DeliveryRow.channel == "email")
                                  .order_by(DeliveryRow.id)).all()
        # the first failure marks the channel down for this run; the rest wait untried
        assert [d.state for d in failed] == ["failed", "pending"]
        assert "Connection refused" in failed[0].last_error
    smtp.bring_up()
    second = tw("run", *SEED_WINDOW)
    assert second.returncode == 0, second.stderr
    assert len(smtp.messages) == len(failed)
    with store.session() as session:
        states = session.scalars(select(DeliveryRow.state)).all()
        assert set(states) == {"sent"}
    slack_posts = len(webhook.delivered)
    third = tw("run", *SEED_WINDOW)
    assert third.returncode == 0, third.stderr
    assert "0 new alerts" in third.stdout and "0 delivered" in third.stdout
    assert len(webhook.delivered) == slack_posts


def test_slack_500_is_retried_next_run(
    tw_settings: Settings, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    _, webhook = channels
    webhook.fail_next(100, status=500)
    assert tw("run", *SEED_WINDOW).returncode == 0
    store = Store(tw_settings.db_url)
    with store.session() as session:
        slack = session.scalars(select(DeliveryRow).where(DeliveryRow.channel == "slack")
                                 .order_by(DeliveryRow.id)).all()
        assert [d.state for d in slack] == ["failed", "pending", "pending"]
        assert "500" in slack[0].last_error
    webhook.fail_next(0)
    assert tw("run", *SEED_WINDOW).returncode == 0
    assert len(webhook.delivered) == 3
    with store.session() as session:
        assert set(session.scalars(select(DeliveryRow.state))) == {"sent"}


def test_connection_secrets_are_redacted_from_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    from alerting.redaction import connection_secrets, redact

    url = "http://127.0.0.1:9/services/T0SECRET/B0SECRET/tok3nV4lue"
    monkeypatch.setenv("AIRFLOW_CONN_TW_TEST_SLACK",
                       f'{{"conn_type": "slackwebhook", "password": "{url}"}}')
    monkeypatch.setenv("AIRFLOW_CONN_TW_TEST_SMTP", "smtp://bob:hunter2hunter2@127.0.0.1:25")
    error = f"HTTPConnectionPool: Max retries exceeded with url: {url} (refused)"
    cleaned = redact(error, connection_secrets("tw_test_slack"))
    assert "tok3nV4lue" not in cleaned and "T0SECRET" not in cleaned and "***" in cleaned
    login_error = "SMTPAuthenticationError: bob hunter2hunter2 rejected"
    assert "hunter2" not in redact(login_error, connection_secrets("tw_test_smtp"))
