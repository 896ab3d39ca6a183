"""Slack's Block Kit limits: the webhook receiver refuses what Slack refuses, and the product's
messages (one alert, huge alerts, digests of any size) always pass it, each alert in one post."""

from __future__ import annotations

import json

import httpx
import pytest

from alerting.message import AlertMessage
from alerting.slack_blocks import slack_messages
from demo.sinks import WebhookSink

pytestmark = pytest.mark.timeout(120)


def post(sink: WebhookSink, payload: dict) -> httpx.Response:
    with httpx.Client(trust_env=False, timeout=10) as client:
        return client.post(sink.url, content=json.dumps(payload),
                           headers={"Content-Type": "application/json"})


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.mark.parametrize(("payload", "problem"), [
    ({"text": "x", "blocks": [section("a")] * 51}, "51 blocks, more than 50"),
    ({"text": "x", "blocks": [section("a" * 3001)]}, "3001 characters, more than 3000"),
    ({"text": "x", "blocks": [{"type": "header", "text": {"type": "plain_text",
                                                           "text": "h" * 151}}]}, "more than 150"),
    ({"text": "x", "blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}]},
     "must be plain_text"),
    ({"text": "x", "blocks": [{"type": "section", "fields": [
        {"type": "mrkdwn", "text": "f"}] * 11}]}, "more than 10"),
    ({"text": "x", "blocks": [{"type": "section", "fields": [
        {"type": "mrkdwn", "text": "f" * 2001}]}]}, "2001 characters, more than 2000"),
    ({"text": "x", "blocks": [{"type": "paragraph", "text": "p"}]}, "unknown block type"),
    ({"text": "x", "blocks": [section("")]}, "empty text"),
    ({"text": "x", "blocks": [section("a" * 2900)] * 14}, "more than 40000"),
])
def test_the_receiver_refuses_what_slack_refuses(webhook_sink: WebhookSink, payload: dict,
                                                  problem: str) -> None:
    answer = post(webhook_sink, payload)
    assert (answer.status_code, answer.text) == (400, "invalid_blocks")
    (recorded,) = webhook_sink.posts
    assert any(problem in p for p in recorded.problems), recorded.problems
    assert webhook_sink.delivered == []


def test_the_receiver_accepts_a_valid_message(webhook_sink: WebhookSink) -> None:
    payload = {"text": "x", "blocks": [{"type": "header", "text": {"type": "plain_text",
                                                                    "text": "h" * 150}},
                                       section("a" * 3000), {"type": "divider"}] + [
        {"type": "divider"}] * 47}
    assert post(webhook_sink, payload).status_code == 200


def huge(alert_id: int) -> AlertMessage:
    """An alert at every limit: a very long sentence and title, hundreds of reports, & and <."""
    return AlertMessage(
        alert_id=alert_id, subject=f"Islamic State lost {alert_id:,} km² <&> " + "x" * 400,
        rule="big", threshold="above 1,000",
        figure={"actor": "Islamic State", "sentence": "ISIS & co <lost> " * 400,
                "speaker": "a spokesman"},
        reports=[{"source": "Alwaght", "url": f"http://127.0.0.1/en/News/{alert_id}/{i}",
                  "title": "T&itle " * 60} for i in range(300)])


@pytest.mark.parametrize("count", [1, 3, 24, 25, 26, 51, 200])
def test_every_digest_fits_slack_and_carries_each_alert_once(webhook_sink: WebhookSink,
                                                             count: int) -> None:
    messages = slack_messages([huge(i) for i in range(1, count + 1)])
    for message in messages:
        answer = post(webhook_sink, message.payload)
        assert answer.status_code == 200, webhook_sink.posts[-1].problems
    carried = [a for m in messages for a in m.alert_ids]
    assert carried == list(range(1, count + 1))
