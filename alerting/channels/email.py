"""Email delivery through the SMTP provider's hook (an Airflow `smtp` connection)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from airflow.providers.smtp.hooks.smtp import SmtpHook

from alerting.chart import render_chart
from alerting.message import AlertMessage
from alerting.outgoing import Outgoing
from alerting.render import email_bodies, email_subject
from alerting.rules import ChannelConfig


def build_email(messages: list[AlertMessage], sender: str, to: list[str],
                message_id: str) -> EmailMessage:
    """A multipart/alternative message: plain text, and HTML with inline situation charts
    (one per actor, place and kind: the alerts of a digest about the same situation share it)."""
    charts: dict[tuple[str, str, str], tuple[str, bytes]] = {}
    latest: dict[tuple[str, str, str], AlertMessage] = {}
    for message in messages:
        key = message.situation_key
        if message.kind == "figure" and key is not None:
            latest[key] = message  # the situation as of the digest's last alert
    for key, message in latest.items():
        png = render_chart(message.situation)
        if png is not None:
            charts[key] = (make_msgid(idstring=f"chart-{message.alert_id}",
                                      domain="territory-watch"), png)
    cids = {m.alert_id: charts[m.situation_key][0][1:-1] for m in messages
            if m.situation_key in charts}
    text, html = email_bodies(messages, cids)
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
    """Send one email for `messages`, however many; raises on any SMTP failure."""
    with SmtpHook(smtp_conn_id=config.connection) as hook:
        sender = hook.from_email or "territory-watch@localhost"
        mail = build_email(messages, sender, config.to,
                           make_msgid(idstring=delivery_key, domain="territory-watch"))
        connected_client(hook).send_message(mail, from_addr=sender, to_addrs=config.to)
        # smtplib raises SMTPRecipientsRefused when every recipient is refused; some is fine


def plan_email(config: ChannelConfig, messages: list[AlertMessage],
               delivery_key: str) -> list[Outgoing]:
    """An email digest is one message, whatever its size."""
    return [Outgoing(tuple(m.alert_id for m in messages),
                     lambda: send_email(config, messages, delivery_key))]
