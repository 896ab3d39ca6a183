"""The local delivery sinks: a real SMTP server and a Slack incoming-webhook stand-in."""

from __future__ import annotations

import http.client
import json
import smtplib
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlencode, urlsplit

import pytest

from demo.sinks import SmtpSink, WebhookSink

pytestmark = pytest.mark.timeout(60)


def make_message(subject: str = "Alert: large territorial loss", body: str = "ISIS lost 5,841 km2") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "territory-watch@example.org"
    message["To"] = "alerts@example.org"
    message.set_content(body)
    message.add_alternative(f"<p>{body}</p>", subtype="html")
    return message


def send(sink: SmtpSink, message: EmailMessage | None = None, *, login: bool = False) -> None:
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as client:
        if login:
            client.login("airflow", "secret")
        client.send_message(message or make_message(), to_addrs=["alerts@example.org", "ops@example.org"])


def post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict[str, str], str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("POST", parts.path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read().decode()
    finally:
        connection.close()


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


# -- SMTP -------------------------------------------------------------------------------------


def test_smtp_sink_receives_a_message_sent_with_smtplib(tmp_path):
    with SmtpSink(folder=tmp_path / "mail") as sink:
        assert sink.host == "127.0.0.1" and sink.port > 0
        send(sink, make_message(subject="Alerte — تغيير"), login=True)
        [received] = sink.wait_for(1)
    assert received.mail_from == "territory-watch@example.org"
    assert received.rcpt_tos == ("alerts@example.org", "ops@example.org")
    assert received.subject == "Alerte — تغيير"
    assert received.text.strip() == "ISIS lost 5,841 km2"
    assert "<p>ISIS lost 5,841 km2</p>" in received.html
    assert sink.logins == ["airflow"]
    assert received.path is not None and received.path.parent == tmp_path / "mail"
    assert list((tmp_path / "mail").iterdir()) == [received.path]
    assert message_from_bytes(received.path.read_bytes(), policy=policy.default)["Subject"] == "Alerte — تغيير"
    assert refused(sink.port)


def test_smtp_sink_fails_the_first_messages_with_451():
    with SmtpSink(fail_first=2) as sink:
        for _ in range(2):
            with pytest.raises(smtplib.SMTPDataError) as caught:
                send(sink)
            assert caught.value.smtp_code == 451
        send(sink)
        assert len(sink.wait_for(1)) == 1 and sink.rejected == 2
        sink.fail_next(1)
        with pytest.raises(smtplib.SMTPDataError):
            send(sink)


def test_smtp_sink_can_start_down_and_come_up_on_the_same_port():
    with SmtpSink(down=True) as sink:
        assert not sink.is_up and refused(sink.port)
        with pytest.raises(ConnectionRefusedError):
            send(sink)
        sink.bring_up()
        send(sink)
        assert len(sink.wait_for(1)) == 1
        sink.bring_down()
        assert refused(sink.port)
        sink.bring_up()
        send(sink)
        assert len(sink.wait_for(2)) == 2


def test_smtp_sink_is_thread_safe_and_bounded():
    with SmtpSink() as sink, SmtpSink() as other:
        assert sink.port != other.port
        threads = [threading.Thread(target=send, args=(sink, make_message(subject=f"n{i}"))) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert sorted(m.subject for m in sink.wait_for(6)) == [f"n{i}" for i in range(6)]
        assert other.messages == []
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            other.wait_for(1, timeout=0.2)  # gives up after its timeout instead of hanging
        assert time.monotonic() - started >= 0.2


def test_smtp_sink_stops_with_an_idle_client_connected():
    sink = SmtpSink(idle_timeout=3600).start()
    client = smtplib.SMTP(sink.host, sink.port, timeout=5)
    client.ehlo()
    # stop() must not wait out the idle client's hour: it ends long before (a generous bound)
    stopping = threading.Thread(target=sink.stop, daemon=True)
    stopping.start()
    stopping.join(timeout=120)
    assert not stopping.is_alive(), "stop() waited for the idle client"
    assert refused(sink.port)
    client.close()


# -- Slack webhook ----------------------------------------------------------------------------


def test_webhook_sink_records_a_post_and_answers_ok_like_slack(tmp_path):
    lines = tmp_path / "slack" / "posts.jsonl"
    with WebhookSink(file=lines) as sink:
        assert sink.url == f"http://127.0.0.1:{sink.port}/services/T000/B000/XXXX"
        status, _, answer = post(sink.url, json.dumps({"text": "ISIS lost 5,841 km2 — تغيير"}).encode())
        assert (status, answer) == (200, "ok")
        [recorded] = sink.wait_for(1)
    assert recorded.path == "/services/T000/B000/XXXX"
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.json == {"text": "ISIS lost 5,841 km2 — تغيير"} and recorded.text.startswith("ISIS lost")
    [line] = lines.read_text("utf-8").splitlines()
    assert json.loads(line)["json"] == recorded.json and json.loads(line)["status"] == 200
    assert refused(urlsplit(sink.url).port)


def test_webhook_sink_accepts_the_form_encoded_payload():
    with WebhookSink() as sink:
        body = urlencode({"payload": json.dumps({"text": "hello"})}).encode()
        assert post(sink.url, body, "application/x-www-form-urlencoded")[0] == 200
        assert sink.posts[0].json == {"text": "hello"}


def test_webhook_sink_fails_the_first_posts_with_500():
    with WebhookSink(fail_first=2) as sink:
        statuses = [post(sink.url, b'{"text": "x"}')[0] for _ in range(3)]
        assert statuses == [500, 500, 200]
        assert [p.status for p in sink.posts] == [500, 500, 200] and len(sink.delivered) == 1


def test_webhook_sink_rate_limits_with_retry_after():
    with WebhookSink(fail_first=1, fail_status=429, retry_after=3) as sink:
        status, headers, answer = post(sink.url, b'{"text": "x"}')
        assert (status, headers["Retry-After"], answer) == (429, "3", "rate_limited")
        assert post(sink.url, b'{"text": "x"}')[0] == 200
        sink.fail_next(1, status=429, retry_after=1)
        assert post(sink.url, b'{"text": "x"}')[:1] == (429,)


def test_webhook_sink_rejects_what_slack_rejects():
    with WebhookSink() as sink:
        assert post(sink.url, b"not json")[::2] == (400, "invalid_payload")
        assert post(sink.url, b'{"username": "bot"}')[::2] == (400, "no_text")
        wrong = sink.url.replace("XXXX", "YYYY")
        assert post(wrong, b'{"text": "x"}')[::2] == (404, "no_service")
        assert sink.delivered == [] and len(sink.posts) == 3


def test_webhook_sink_works_with_the_slack_sdk():
    webhook = pytest.importorskip("slack_sdk.webhook")
    with WebhookSink() as sink:
        response = webhook.WebhookClient(sink.url, timeout=5).send(text="territory alert")
        assert (response.status_code, response.body) == (200, "ok")
        assert sink.wait_for(1)[0].json["text"] == "territory alert"
