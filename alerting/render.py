"""Rendering alert emails: HTML and plain text (Jinja2); Slack's Block Kit is in
`alerting.slack_blocks`."""

from __future__ import annotations

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape

from alerting.chart import chart_title
from alerting.message import AlertMessage
from alerting.numbers import honest_amount
from alerting.slack_blocks import one_line

_env = Environment(
    loader=PackageLoader("alerting", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
    undefined=ChainableUndefined,  # optional payload keys (speaker, previous) may be missing
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["amount"] = honest_amount
_env.filters["chart_title"] = chart_title


def email_subject(messages: list[AlertMessage]) -> str:
    """The subject line: the alert itself, or a count for a digest."""
    if len(messages) == 1:
        return f"[territory-watch] {one_line(messages[0].subject)}"
    return f"[territory-watch] {len(messages)} alerts"


def email_bodies(messages: list[AlertMessage],
                 charts: dict[int, str] | None = None) -> tuple[str, str]:
    """(plain text, HTML) bodies; article text is escaped in the HTML.

    `charts` maps alert ids to the Content-ID of their inline chart image.
    """
    return (_env.get_template("email.txt.j2").render(alerts=messages),
            _env.get_template("email.html.j2").render(alerts=messages, charts=charts or {}))
