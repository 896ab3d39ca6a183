"""Channels that refuse alerts reach the operator, on `operator_channels` only, and the
secrets of those channels (a refused SMTP login, a webhook URL whose path is its token) appear
nowhere: not in the task logs, the stored rows or the alerts. Two real `dag.test()` runs:

- a refusal for good (wrong password, unknown webhook) is not retried: the deliveries are
  marked undeliverable and one "Alerts undeliverable on channel ..." alert per channel is sent;
- a temporary refusal (the webhook answers 503, the mail server is down) fails the notify task
  so Airflow retries it, and the failed task raises its own operator alert."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from dag_helpers import load_dag, task_states
from sqlalchemy import select
from tls_certs import make_certificates

from demo.sinks import SmtpSink, WebhookSink
from storage import Store
from storage.models import AlertRow
from territory_watch.config.settings import BUNDLED, Settings

USER, PASSWORD, WRONG_PASSWORD = "tw-alerts", "right-Pa55word", "hunter2-WRONG-Pa55"
TOKEN_PATH = "/services/T0SECRET/B0SECRET/tok3nV4lue"
SECRETS = (WRONG_PASSWORD, "T0SECRET", "B0SECRET", "tok3nV4lue")
SEED_DAY = {"since": "2017-10-13T00:00:00+00:00", "until": "2017-10-14T00:00:00+00:00"}


class QuotingProvider(SmtpSink):
    """A submission server whose refusal quotes the credentials it refused: the worst case."""

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult

        result = super()._authenticate(server, session, envelope, mechanism, auth_data)
        if result.success:
            return result
        login, password = (getattr(auth_data, name, b"").decode() for name in ("login", "password"))
        return AuthResult(success=False, handled=False,
                          message=f"535 5.7.8 Authentication failed for {login} / {password}")


class QuotingNotFound(BaseHTTPRequestHandler):
    """A web server that refuses every post quoting its path (as many frameworks do)."""

    paths: list[str] = []
    status = 404

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).paths.append(self.path)
        body = f"Cannot POST {self.path}".encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def token_url() -> Iterator[str]:
    """A webhook URL holding a token, on a server that answers 404 quoting the path."""
    QuotingNotFound.paths, QuotingNotFound.status = [], 404
    server = ThreadingHTTPServer(("127.0.0.1", 0), QuotingNotFound)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{TOKEN_PATH}"
    server.shutdown()
    server.server_close()


def rules_with_an_ops_channel(folder: Path) -> Path:
    """The bundled rules, plus a Slack channel `ops` that alone receives operator alerts."""
    rules = yaml.safe_load((BUNDLED / "rules.yaml").read_text())
    rules["channels"]["ops"] = {"type": "slack", "connection": "territory_watch_ops"}
    rules["operator_channels"] = ["ops"]
    path = folder / "rules.yaml"
    path.write_text(yaml.safe_dump(rules))
    return path


def everything_written(settings: Settings, captured: str, ops: WebhookSink) -> str:
    """Task logs (captured output and Airflow's log files), every stored row, every post."""
    logs = Path(os.environ["AIRFLOW_HOME"]) / "logs"
    files = [p.read_text(errors="replace") for p in logs.rglob("*") if p.is_file()]
    with sqlite3.connect(settings.db_url.removeprefix("sqlite:///")) as db:
        rows = list(db.iterdump())
    posts = [p.body.decode(errors="replace") for p in ops.posts]
    return "\n".join([captured, *files, *rows, *posts])


def test_channels_refusing_for_good_are_reported_once_each_and_no_secret_leaks(
        airflow_db: None, tw_settings: Settings, token_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    certificates = make_certificates(tmp_path / "tls")
    with QuotingProvider(tls_context=certificates.server_context(),
                         accounts={USER: PASSWORD}) as provider, WebhookSink() as ops:
        use_channels(monkeypatch, tmp_path, certificates.ca_file,
                     f"127.0.0.1:{provider.port}", token_url, ops.url)

        run = load_dag().test(logical_date=datetime(2021, 1, 1, tzinfo=UTC), run_conf=SEED_DAY)
        states = task_states(run.run_id)
        # retrying cannot help, so the task does not fail and is not retried
        assert run.state == "success" and states["notify"] == ["success"], states

        # both channels were really tried with their secrets, and refused
        assert provider.logins and set(provider.logins) == {USER} and provider.messages == []
        assert QuotingNotFound.paths and set(QuotingNotFound.paths) == {TOKEN_PATH}
        store = Store(tw_settings.db_url)
        with store.session() as session:
            alerts = session.scalars(select(AlertRow)).all()
            figure_states = {(d.channel, d.state) for a in alerts if a.kind != "operator"
                             for d in a.deliveries}
            operator = sorted((a.subject, [(d.channel, d.state) for d in a.deliveries])
                              for a in alerts if a.kind == "operator")
            errors = {d.channel: d.last_error or "" for a in alerts for d in a.deliveries
                      if d.state == "undeliverable"}
        assert figure_states == {("email", "undeliverable"), ("slack", "undeliverable")}
        # one operator alert per refusing channel, sent to `ops` only
        assert operator == [
            ("Alerts undeliverable on channel email: smtp authentication refused", [("ops", "sent")]),
            ("Alerts undeliverable on channel slack: slack http 404", [("ops", "sent")])], operator
        assert len(ops.delivered) == 2
        # the errors say what went wrong ...
        assert "535" in errors["email"] and "Authentication failed" in errors["email"], errors
        assert "404" in errors["slack"] and "Cannot POST" in errors["slack"], errors

    # ... and nothing of either secret is anywhere
    captured = capfd.readouterr()
    written = everything_written(tw_settings, captured.out + captured.err, ops)
    assert "notify" in written and "Cannot POST" in written  # the logs were captured
    leaked = [secret for secret in SECRETS if secret in written]
    assert leaked == [], f"secrets written out: {leaked}"


def test_a_task_failed_for_now_alerts_the_operator_channel_and_no_secret_leaks(
        airflow_db: None, tw_settings: Settings, token_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    QuotingNotFound.status = 503  # the webhook is down for now, and quotes its token
    with WebhookSink() as ops:
        closed_port = free_port()  # no mail server listens there
        use_channels(monkeypatch, tmp_path, None, f"127.0.0.1:{closed_port}", token_url, ops.url)

        run = load_dag().test(logical_date=datetime(2021, 1, 1, tzinfo=UTC), run_conf=SEED_DAY)
        states = task_states(run.run_id)
        assert run.state == "failed", states
        assert states["notify"] == ["failed"] and states["evaluate"] == ["success"], states

        assert QuotingNotFound.paths and set(QuotingNotFound.paths) == {TOKEN_PATH}
        store = Store(tw_settings.db_url)
        with store.session() as session:
            alerts = session.scalars(select(AlertRow)).all()
            figure_states = {(d.channel, d.state) for a in alerts if a.kind != "operator"
                             for d in a.deliveries}
            operator = [(a.subject, [(d.channel, d.state) for d in a.deliveries])
                        for a in alerts if a.kind == "operator"]
            errors = {d.channel: d.last_error or "" for a in alerts for d in a.deliveries
                      if d.state == "failed"}
        # kept for the next attempt, and the failed task reached `ops`, and only there
        assert figure_states == {("email", "failed"), ("slack", "failed")}
        assert operator == [("Airflow task territory_watch.notify failed", [("ops", "sent")])]
        assert len(ops.delivered) == 1
        assert "Airflow task territory_watch.notify failed" in ops.delivered[0].text
        assert "503" in errors["slack"] and "Cannot POST" in errors["slack"], errors
        assert "Connection refused" in errors["email"] or "Errno 111" in errors["email"], errors

    captured = capfd.readouterr()
    written = everything_written(tw_settings, captured.out + captured.err, ops)
    assert "notify" in written and "Cannot POST" in written  # the logs were captured
    leaked = [secret for secret in SECRETS if secret in written]
    assert leaked == [], f"secrets written out: {leaked}"


def use_channels(monkeypatch: pytest.MonkeyPatch, folder: Path, ca_file: Path | None,
                 smtp_address: str, slack_url: str, ops_url: str) -> None:
    """Point the email, slack and ops connections at the given servers (secrets inside)."""
    monkeypatch.setenv("TERRITORY_WATCH_RULES", str(rules_with_an_ops_channel(folder)))
    if ca_file is not None:
        monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.setenv("AIRFLOW_CONN_TERRITORY_WATCH_EMAIL",
                       f"smtp://{USER}:{WRONG_PASSWORD}@{smtp_address}"
                       "?disable_ssl=true&from_email=alerts%40example.org")
    for conn_id, url in (("SLACK", slack_url), ("OPS", ops_url)):
        monkeypatch.setenv(f"AIRFLOW_CONN_TERRITORY_WATCH_{conn_id}",
                           json.dumps({"conn_type": "slackwebhook", "password": url}))


def free_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

