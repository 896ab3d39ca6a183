"""Alert messages as people receive them: content, charts, digests and hostile article text."""

from __future__ import annotations

from email import message_from_bytes, policy

from alerting.channels.email import build_email
from alerting.message import AlertMessage
from alerting.slack_blocks import slack_messages

HOSTILE = 'ISIS lost 5,841 square kilometers <script>alert(1)</script> <!channel> <@U123> & more'


def point(when: str, metric: str, value: float) -> dict:
    return {"when": when, "metric": metric, "value": value, "url": "http://127.0.0.1/a",
            "title": "t", "source": "Alwaght"}


def message(alert_id: int = 1, **overrides: object) -> AlertMessage:
    data: dict = dict(
        alert_id=alert_id, subject="Islamic State lost 5,841 km² during the last month",
        rule="large-territorial-loss", threshold="above 1,000",
        figure={"actor": "Islamic State", "metric": "area_lost", "value": 5841.0,
                "unit": "km2", "qualifier": "exact", "sentence": HOSTILE,
                "speaker": "General Sergey Rudskoy", "place": None},
        reports=[{"source": "Alwaght", "url": "http://127.0.0.1/en/News/11402/x",
                  "title": "ISIS Controls <b>Less</b> than 8%", "published": "2017-10-13T08:22"}],
        previous={"value": 2000.0, "unit": "km2", "qualifier": "approx", "source": "Alwaght",
                  "published": "2017-09-19T15:15:00+00:00", "period": {"text": "last month"}},
        move="up 192% from 2,000 km²",
        situation={"actor": "Islamic State", "place": "Syria", "kind": "area",
                   "stock": [point("2017-09-19T15:15:00+00:00", "area_controlled", 27000.0),
                             point("2017-10-13T08:22:00+00:00", "area_controlled", 14800.0)],
                   "events": [point("2017-10-13T08:22:00+00:00", "area_lost", 5841.0)]},
    )
    data.update(overrides)
    return AlertMessage(**data)


def parsed(mail) -> object:
    return message_from_bytes(mail.as_bytes(), policy=policy.default)


def test_email_has_text_html_quote_speaker_previous_link_and_chart() -> None:
    mail = parsed(build_email([message()], "tw@localhost", ["a@example.org"], "<id@tw>"))
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for body in (text, html):
        assert "General Sergey Rudskoy" in body
        assert "http://127.0.0.1/en/News/11402/x" in body
        assert "2017-09-19" in body  # the previous figure's date
    assert "Previous comparable figure: about 2,000 km² last month" in text
    images = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f'cid:{images[0]["Content-ID"][1:-1]}' in html


def test_hostile_article_text_is_escaped_in_html_and_slack() -> None:
    mail = parsed(build_email([message()], "tw@localhost", ["a@example.org"], "<id@tw>"))
    html = mail.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>Less</b>" not in html
    (slack,) = slack_messages([message()])
    payload = slack.payload
    blob = str(payload)
    assert "<!channel>" not in blob and "&lt;!channel&gt;" in blob
    assert "<@U123>" not in blob
    assert "<http://127.0.0.1/en/News/11402/x|" in blob  # our own link stays a link


def test_digest_is_one_message_listing_every_alert() -> None:
    alerts = [message(1), message(2, subject="Islamic State lost 142 towns and villages")]
    mail = parsed(build_email(alerts, "tw@localhost", ["a@example.org"], "<id@tw>"))
    assert mail["Subject"] == "[territory-watch] 2 alerts"
    assert mail["X-Territory-Watch-Alerts"] == "1,2"
    text = mail.get_body(("plain",)).get_content()
    assert "5,841 km²" in text and "142 towns and villages" in text
    (slack,) = slack_messages(alerts)
    assert sum(1 for b in slack.payload["blocks"] if b["type"] == "section") == 2
    assert slack.alert_ids == (1, 2)


def test_no_chart_without_any_figure_of_the_situation() -> None:
    empty = {"actor": "Islamic State", "place": None, "kind": "area", "stock": [], "events": []}
    mail = parsed(build_email([message(situation=empty)], "t@l", ["a@example.org"], "<id@tw>"))
    assert not [p for p in mail.walk() if p.get_content_type() == "image/png"]
