"""Rendering alert messages: email (HTML + plain text, Jinja2) and Slack Block Kit."""

from __future__ import annotations

from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape

from alerting.message import AlertMessage
from alerting.wording import format_amount

_env = Environment(
    loader=PackageLoader("alerting", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
    undefined=ChainableUndefined,  # optional payload keys (speaker, previous) may be missing
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["amount"] = format_amount


def email_subject(messages: list[AlertMessage]) -> str:
    """The subject line: the alert itself, or a count for a digest."""
    if len(messages) == 1:
        return f"[territory-watch] {_one_line(messages[0].subject)}"
    return f"[territory-watch] {len(messages)} alerts"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def email_bodies(messages: list[AlertMessage],
                 charts: dict[int, str] | None = None) -> tuple[str, str]:
    """(plain text, HTML) bodies; article text is escaped in the HTML.

    `charts` maps alert ids to the Content-ID of their inline chart image.
    """
    return (_env.get_template("email.txt.j2").render(alerts=messages),
            _env.get_template("email.html.j2").render(alerts=messages, charts=charts or {}))


def slack_escape(text: str) -> str:
    """Escape &, < and > so article text cannot form links or mentions like <!channel>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(messages: list[AlertMessage]) -> dict[str, Any]:
    """A Block Kit message (with a plain-text fallback) for one or more alerts."""
    blocks: list[dict[str, Any]] = []
    for message in messages:
        lines = [f"*{slack_escape(_one_line(message.subject))}*",
                 f"Rule `{slack_escape(message.rule)}`"
                 + (f" ({slack_escape(message.threshold)})" if message.threshold else "")]
        if message.previous:
            line = (f"Previous: {slack_escape(format_amount(message.previous))}"
                    f" ({slack_escape(str(message.previous.get('published') or '')[:10])},"
                    f" {slack_escape(str(message.previous.get('source', '')))})")
            if message.move:
                line += f" — now {slack_escape(message.move)}"
            lines.append(line)
        for key, value in (message.details or {}).items():
            if key not in ("kind", "key"):
                lines.append(f"{slack_escape(key)}: {slack_escape(str(value))[:500]}")
        sentence = message.figure.get("sentence")
        if sentence:
            quote = f"> {slack_escape(_one_line(sentence))}"
            if message.figure.get("speaker"):
                quote += f" — {slack_escape(message.figure['speaker'])}"
            lines.append(quote)
        for report in message.reports:
            url = slack_escape(str(report.get("url", ""))).replace("|", "%7C")
            label = slack_escape(_one_line(report.get("title") or report.get("url") or ""))
            lines.append(f"<{url}|{label}> — {slack_escape(report.get('source', ''))}")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)[:2900]}})
        blocks.append({"type": "divider"})
    text = (slack_escape(_one_line(messages[0].subject)) if len(messages) == 1
            else f"{len(messages)} territory-watch alerts")
    return {"text": text, "blocks": blocks[:50]}
