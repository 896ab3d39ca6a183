"""What reached the sinks, alert by alert: the alert ids an email names in its
X-Territory-Watch-Alerts header, and the Slack blocks that name an alert (its subject and its
article's URL). Counting alerts rather than messages lets a digest pass as well."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from alerting.slack_blocks import slack_escape
from demo.sinks import ReceivedMessage, WebhookPost


def emailed_alert_ids(messages: Iterable[ReceivedMessage]) -> Counter[int]:
    """How many times each alert id is named by the messages."""
    return Counter(int(i) for m in messages
                   for i in str(m.message.get("X-Territory-Watch-Alerts", "")).split(",") if i)


def slack_sections(posts: Iterable[WebhookPost]) -> list[str]:
    """The text of every section block of the posts (one per alert)."""
    return [b.get("text", {}).get("text", "") for p in posts
            for b in (p.json or {}).get("blocks", []) if b.get("type") == "section"]


def slack_sections_naming(subject: str, url: str, sections: list[str]) -> list[str]:
    """The sections that carry an alert's subject (bold) and its article's URL."""
    bold = f"*{slack_escape(' '.join(subject.split()))}*"
    link = slack_escape(url).replace("|", "%7C")
    return [s for s in sections if bold in s and link in s]
