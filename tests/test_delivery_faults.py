"""Delivery under faults: Slack rate limits, and a notifier killed mid-run loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cli_runner import SCRIPT, SEED_WINDOW, tw
from sqlalchemy import select

from demo.run import connection_env
from demo.sinks import SmtpSink, WebhookSink
from storage import Store
from storage.models import DeliveryRow
from territory_watch.config.settings import Settings


def states(settings: Settings, channel: str) -> list[str]:
    store = Store(settings.db_url)
    with store.session() as session:
        return list(session.scalars(select(DeliveryRow.state).where(DeliveryRow.channel == channel)
                                    .order_by(DeliveryRow.id)))


def test_slack_429_is_recorded_and_retried(tw_settings: Settings, smtp_sink: SmtpSink,
                                           webhook_sink: WebhookSink,
                                           channels: tuple[SmtpSink, WebhookSink],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    webhook_sink.fail_next(100, status=429, retry_after=1)
    assert tw("run", *SEED_WINDOW).returncode == 0
    assert states(tw_settings, "slack")[0] == "failed"
    webhook_sink.fail_next(0)
    result = tw("notify")
    assert result.returncode == 0 and "3 delivered" in result.stdout
    assert states(tw_settings, "slack") == ["sent", "sent", "sent"]


class HeldWebhook(BaseHTTPRequestHandler):
    """A Slack stand-in that holds the second post until the test lets it go: the notifier is
    killed while that post is in flight, however fast or slow the machine is."""

    received: list[bytes] = []
    second_arrived = threading.Event()
    release = threading.Event()

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        held = type(self)
        held.received.append(body)
        if len(held.received) == 2:
            held.second_arrived.set()
            held.release.wait(timeout=300)
        try:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")
        except OSError:  # the killed notifier is gone
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def held_webhook() -> Iterator[str]:
    HeldWebhook.received = []
    HeldWebhook.second_arrived = threading.Event()
    HeldWebhook.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), HeldWebhook)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/services/T1/B1/held"
    HeldWebhook.release.set()
    server.shutdown()
    server.server_close()


def test_notifier_killed_mid_run_loses_nothing(tw_settings: Settings, smtp_sink: SmtpSink,
                                               held_webhook: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with WebhookSink() as unused:
        env = connection_env(smtp_sink, unused)
    env["AIRFLOW_CONN_TERRITORY_WATCH_SLACK"] = (
        f'{{"conn_type": "slackwebhook", "password": "{held_webhook}"}}')
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert tw("run", "--no-notify", *SEED_WINDOW).returncode == 0
    assert states(tw_settings, "slack") == ["pending"] * 3
    notifier = subprocess.Popen([str(SCRIPT), "notify"], env=os.environ.copy(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert HeldWebhook.second_arrived.wait(timeout=180), "no second Slack post arrived"
    finally:
        notifier.send_signal(signal.SIGKILL)  # dies while the second Slack post is in flight
        notifier.wait(timeout=30)
    HeldWebhook.release.set()
    assert len(HeldWebhook.received) == 2
    assert states(tw_settings, "slack") == ["sent", "sending", "pending"]
    # a lease protects deliveries from a concurrent notifier until it times out ...
    assert tw("notify", timeout=120).returncode == 0
    assert states(tw_settings, "slack") == ["sent", "sending", "sent"]
    # ... and a dead notifier's lease is then taken over
    time.sleep(2.5)
    assert tw("notify", timeout=120, env={"TERRITORY_WATCH_LEASE_TIMEOUT": "2"}).returncode == 0
    assert states(tw_settings, "slack") == ["sent"] * 3
    assert states(tw_settings, "email") == ["sent"] * 2
    # every alert arrived; at most the one in flight at the kill arrived twice
    assert 3 <= len(HeldWebhook.received) <= 4


def test_two_notifiers_at_once_send_each_alert_once(tw_settings: Settings, smtp_sink: SmtpSink,
                                                    webhook_sink: WebhookSink,
                                                    channels: tuple[SmtpSink, WebhookSink],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert tw("run", "--no-notify", "--since", "2017-08-01", "--until", "2017-12-01"
              ).returncode == 0
    notifiers = [subprocess.Popen([str(SCRIPT), "notify"], env=os.environ.copy(),
                                  stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [n.communicate(timeout=120)[0] for n in notifiers]
    sent = sum(int(o.split(" delivered")[0].rsplit(" ", 1)[-1]) for o in outputs)
    ids = [m.message["X-Territory-Watch-Alerts"] for m in smtp_sink.messages]
    assert len(ids) == len(set(ids)) and len(ids) >= 3
    texts = [p.text for p in webhook_sink.delivered]
    assert len(texts) == len(set(texts))
    assert sent == len(ids) + len(texts)
    assert set(states(tw_settings, "slack")) == {"sent"}
