"""Slack delivery through the Slack provider's incoming-webhook hook (`slackwebhook` connection)."""

from __future__ import annotations

from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

from alerting.message import AlertMessage
from alerting.render import slack_payload
from alerting.rules import ChannelConfig


def send_slack(config: ChannelConfig, messages: list[AlertMessage], delivery_key: str) -> None:
    """Post one Block Kit message for `messages`; raises unless Slack answers 2xx."""
    hook = SlackWebhookHook(slack_webhook_conn_id=config.connection, timeout=30)
    payload = slack_payload(messages)
    hook.send(text=payload["text"], blocks=payload["blocks"], unfurl_links=False,
              unfurl_media=False)
