"""Slack delivery through the Slack provider's incoming-webhook hook (`slackwebhook` connection)."""

from __future__ import annotations

from functools import partial

from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

from alerting.message import AlertMessage
from alerting.outgoing import Outgoing
from alerting.redaction import connection_secrets, redact
from alerting.rules import ChannelConfig
from alerting.slack_blocks import SlackMessage, slack_messages
from alerting.verdict import slack_error


def post_slack(config: ChannelConfig, message: SlackMessage) -> None:
    """Post one Block Kit message; raises a classified `ChannelError` unless Slack answers 200."""
    hook = SlackWebhookHook(slack_webhook_conn_id=config.connection, timeout=30)
    answer = hook.client.send_dict({**message.payload, "unfurl_links": False,
                                    "unfurl_media": False})
    if answer.status_code != 200:  # a refusal may quote the URL, whose path is the token
        body = redact(str(answer.body), connection_secrets(config.connection))
        raise slack_error(answer.status_code, body)


def plan_slack(config: ChannelConfig, messages: list[AlertMessage],
               delivery_key: str) -> list[Outgoing]:
    """As many posts as Slack's limits need, each carrying whole alerts."""
    return [Outgoing(m.alert_ids, partial(post_slack, config, m))
            for m in slack_messages(messages)]
