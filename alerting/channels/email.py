"""Email delivery through the SMTP provider's hook (an Airflow `smtp` connection)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from airflow.providers.smtp.hooks.smtp import SmtpHook

from alerting.chart import render_chart
from alerting.message import AlertMessage
from alerting.render import email_bodies, email_subject
from alerting.rules import ChannelConfig


def build_email(messages: list[AlertMessage], sender: str, to: list[str],
                message_id: str) -> EmailMessage:
    """A multipart/alternative message: plain text, and HTML with inline history charts."""
    charts: dict[int, tuple[str, bytes]] = {}
    for message in messages:
        png = render_chart(message.history or [], message.chart_title,
                           message.figure.get("unit", "")) if message.kind == "figure" else None
        if png is not None:
            cid = make_msgid(idstring=f"chart-{message.alert_id}", domain="territory-watch")
            charts[message.alert_id] = (cid, png)
    text, html = email_bodies(messages, {i: cid[1:-1] for i, (cid, _) in charts.items()})
    mail = EmailMessage()
    mail["Subject"] = email_subject(messages)
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id
    mail["X-Territory-Watch-Alerts"] = ",".join(str(m.alert_id) for m in messages)
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    if charts:
        html_part = mail.get_body(preferencelist=("html",))
        assert isinstance(html_part, EmailMessage)
        for cid, png in charts.values():
            html_part.add_related(png, maintype="image", subtype="png", cid=cid,
                                  filename="chart.png")
    return mail


def connected_client(hook: SmtpHook) -> smtplib.SMTP:
    """The hook's connected, logged-in SMTP client.

    The one use of a private attribute in alerting: the hook's public `send_email_smtp` builds
    its own single-part HTML message, and ours needs a plain-text alternative and inline
    charts. `tests/test_private_api_guards.py` fails loudly if a provider upgrade moves it.
    """
    client = getattr(hook, "_smtp_client", None)
    if not isinstance(client, smtplib.SMTP):
        raise ConnectionError("the SMTP hook holds no connected client (provider changed?)")
    return client


def send_email(config: ChannelConfig, messages: list[AlertMessage], delivery_key: str) -> None:
    """Send one email for `messages`; raises on any SMTP failure."""
    with SmtpHook(smtp_conn_id=config.connection) as hook:
        sender = hook.from_email or "territory-watch@localhost"
        mail = build_email(messages, sender, config.to,
                           make_msgid(idstring=delivery_key, domain="territory-watch"))
        refused = connected_client(hook).send_message(mail, from_addr=sender,
                                                      to_addrs=config.to)
        if refused and len(refused) == len(config.to):
            raise ConnectionError(f"every recipient refused: {sorted(refused)}")
