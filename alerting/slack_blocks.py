"""Slack Block Kit messages for alerts, split so that no message breaks Slack's limits.

Slack refuses a message of more than 50 blocks, a section text of more than 3,000 characters, a
header of more than 150, or more than 40,000 characters in all. One alert is a section and a
divider; a digest is packed greedily into as many messages as those limits need, each message
carrying whole alerts only, so every alert is in exactly one message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alerting.message import AlertMessage
from alerting.numbers import honest_amount

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3_000
MAX_HEADER_TEXT = 150
MAX_MESSAGE_CHARS = 40_000
#: room kept in every message for its header block and fallback text
HEADER_ALLOWANCE = 300


@dataclass(frozen=True)
class SlackMessage:
    """One webhook post: the alerts it carries and its payload."""

    alert_ids: tuple[int, ...]
    payload: dict[str, Any]


def slack_escape(text: str) -> str:
    """Escape &, < and > so article text cannot form links or mentions like <!channel>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return " ".join(text.split())


def _cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, ending in '…', never inside an escape like `&amp;`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    entity = cut.rfind("&")
    if entity != -1 and ";" not in cut[entity:]:
        cut = cut[:entity]
    return cut + "…"


def alert_lines(message: AlertMessage) -> list[str]:
    """The mrkdwn lines of one alert, most important first (later lines go when space is short)."""
    lines = [f"*{slack_escape(one_line(message.subject))}*",
             f"Rule `{slack_escape(message.rule)}`"
             + (f" ({slack_escape(message.threshold)})" if message.threshold else "")]
    if message.previous:
        line = (f"Previous comparable figure: {slack_escape(honest_amount(message.previous))}"
                f" ({slack_escape(str(message.previous.get('published') or '')[:10])},"
                f" {slack_escape(str(message.previous.get('source', '')))})")
        if message.move:
            line += f" — now {slack_escape(message.move)}"
        lines.append(line)
    elif message.no_previous:
        lines.append(slack_escape(message.no_previous))
    for key, value in (message.details or {}).items():
        if key not in ("kind", "key"):
            lines.append(f"{slack_escape(key)}: {_cut(slack_escape(str(value)), 500)}")
    sentence = message.figure.get("sentence")
    if sentence:
        quote = f"> {slack_escape(one_line(sentence))}"
        if message.figure.get("speaker"):
            quote += f" — {slack_escape(message.figure['speaker'])}"
        lines.append(_cut(quote, 1_500))
    for report in message.reports:
        url = slack_escape(str(report.get("url", ""))).replace("|", "%7C")
        label = _cut(slack_escape(one_line(report.get("title") or report.get("url") or "")), 200)
        lines.append(f"<{url}|{label}> — {slack_escape(report.get('source', ''))}")
    return lines


def alert_blocks(message: AlertMessage) -> list[dict[str, Any]]:
    """A section (within 3,000 characters: whole lines, trailing ones dropped) and a divider."""
    kept: list[str] = []
    for line in alert_lines(message):
        if len("\n".join([*kept, line])) > MAX_SECTION_TEXT - 40:
            kept.append(f"_(shortened: {len(message.reports)} reports in all)_")
            break
        kept.append(line)
    text = _cut("\n".join(kept), MAX_SECTION_TEXT)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}}, {"type": "divider"}]


def _chars(blocks: list[dict[str, Any]]) -> int:
    return sum(len(b["text"]["text"]) for b in blocks if "text" in b)


def _packed(messages: list[AlertMessage]) -> list[list[tuple[AlertMessage, list[dict[str, Any]]]]]:
    """Alerts with their blocks, in order, grouped so each group fits one message."""
    groups: list[list[tuple[AlertMessage, list[dict[str, Any]]]]] = [[]]
    blocks_left, chars_left = MAX_BLOCKS - 1, MAX_MESSAGE_CHARS - HEADER_ALLOWANCE
    for message in messages:
        blocks = alert_blocks(message)
        if groups[-1] and (len(blocks) > blocks_left or _chars(blocks) > chars_left):
            groups.append([])
            blocks_left, chars_left = MAX_BLOCKS - 1, MAX_MESSAGE_CHARS - HEADER_ALLOWANCE
        groups[-1].append((message, blocks))
        blocks_left -= len(blocks)
        chars_left -= _chars(blocks)
    return groups


def slack_messages(messages: list[AlertMessage]) -> list[SlackMessage]:
    """One message for one alert; a digest in as many messages as Slack's limits require."""
    if len(messages) == 1:
        (message,) = messages
        return [SlackMessage((message.alert_id,), {
            "text": _cut(slack_escape(one_line(message.subject)), HEADER_ALLOWANCE),
            "blocks": alert_blocks(message)})]
    groups = _packed(messages)
    result = []
    for number, group in enumerate(groups, start=1):
        part = f" (part {number} of {len(groups)})" if len(groups) > 1 else ""
        title = f"{len(messages)} territory-watch alerts{part}"
        blocks = [{"type": "header", "text": {"type": "plain_text", "text": title[:MAX_HEADER_TEXT]}}]
        for _, alert in group:
            blocks += alert
        result.append(SlackMessage(tuple(m.alert_id for m, _ in group),
                                   {"text": f"{title}: {len(group)} in this message",
                                    "blocks": blocks}))
    return result
