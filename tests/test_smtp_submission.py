"""Email through the mail path a user configures: a submission port that requires STARTTLS and
a login, reached with the README's connection URI, its certificate checked against a CA the
user trusts through `SSL_CERT_FILE`."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import SEED_WINDOW, tw
from sqlalchemy import select
from tls_certs import make_certificates

from demo.sinks import SmtpSink, WebhookSink
from storage import Store
from storage.models import DeliveryRow
from territory_watch.config.settings import Settings

USER, PASSWORD = "tw-alerts", "s3cret-Pa55word"


def email_deliveries(settings: Settings) -> list[tuple[str, str | None]]:
    store = Store(settings.db_url)
    try:
        with store.session() as session:
            return [(d.state, d.last_error) for d in session.scalars(
                select(DeliveryRow).where(DeliveryRow.channel == "email").order_by(DeliveryRow.id))]
    finally:
        store.close()


def test_email_is_sent_over_starttls_with_a_login_once_the_ca_is_trusted(
        tw_settings: Settings, webhook_sink: WebhookSink, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    certificates = make_certificates(tmp_path / "tls")
    with SmtpSink(tls_context=certificates.server_context(),
                  accounts={USER: PASSWORD}) as provider:
        # the README's form of the connection: port 587 style, STARTTLS, a login
        monkeypatch.setenv("AIRFLOW_CONN_TERRITORY_WATCH_EMAIL",
                           f"smtp://{USER}:{PASSWORD}@127.0.0.1:{provider.port}"
                           "?disable_ssl=true&from_email=alerts%40example.org")
        monkeypatch.setenv("AIRFLOW_CONN_TERRITORY_WATCH_SLACK", f'{{"conn_type": "slackwebhook", '
                                                                 f'"password": "{webhook_sink.url}"}}')
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)

        # the certificate is checked: signed by a CA nobody trusts yet, nothing is sent
        untrusted = tw("run", *SEED_WINDOW)
        assert untrusted.returncode == 0, untrusted.stderr
        refused = email_deliveries(tw_settings)
        assert refused and refused[0][0] == "failed", refused
        assert "CERTIFICATE_VERIFY_FAILED" in (refused[0][1] or ""), refused
        assert provider.messages == [] and provider.logins == []
        assert webhook_sink.delivered  # Slack went out meanwhile

        trusted = tw("notify", env={"SSL_CERT_FILE": str(certificates.ca_file)})
        assert trusted.returncode == 0, trusted.stderr
        assert "2 delivered in 2 messages, 0 failed" in trusted.stdout, trusted.stdout
        messages = provider.messages
        assert len(messages) == 2
        assert all(m.tls and m.login == USER for m in messages), messages
        assert {m.mail_from for m in messages} == {"alerts@example.org"}
        assert {m.rcpt_tos for m in messages} == {("alerts@example.org",)}
        assert any("5,841" in m.subject for m in messages)
        assert [state for state, _ in email_deliveries(tw_settings)] == ["sent", "sent"]
