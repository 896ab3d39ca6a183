"""What alerts say: like compared with like, honest numbers, a chart of the situation.

Figures go into a real store; alerts are evaluated and rendered as people receive them.
"""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import select
from store_builder import add_article

from alerting.channels.email import build_email
from alerting.chart import draw_chart
from alerting.evaluation import evaluate
from alerting.message import AlertMessage
from alerting.numbers import honest_amount, original_quantity
from alerting.rules import RulesFile, load_rules
from alerting.slack_blocks import slack_messages
from parsers.figure import Period
from storage import Store
from storage.models import AlertRow

IS = "Islamic State"
PLACE = "Iraq and Syria"
MONTH_SEP = Period("during the last month", "2017-08-13", "2017-09-13")
MONTH_OCT = Period("during the last month", "2017-09-13", "2017-10-13")
SINCE_2014 = Period("since 2014", "2014-01-01", "2017-11-27")
SINCE_2014_SENTENCE = ("According to the coalition, the group has been driven from roughly 40,000 "
                       "square miles since 2014.")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'tw.db'}")


def rules(tmp_path: Path, body: str) -> RulesFile:
    path = tmp_path / "rules.yaml"
    path.write_text("channels:\n  slack: {connection: c}\n  email: {connection: e, to: [a@b.c]}\n"
                    + body)
    return load_rules(path)


LOSS_RULE = ("rules:\n  - {name: big, metric: area_lost, above: 1000,"
             " channels: [email, slack]}\n")


def alerts(store: Store) -> list[AlertRow]:
    with store.session() as session:
        return list(session.scalars(select(AlertRow).order_by(AlertRow.id)))


def the_demo_figures(store: Store) -> None:
    """What the sample site reports: a stock, a monthly loss, then a loss since 2014."""
    add_article(store, "alwaght", "http://x/stock", "2017-10-13T08:00",
                [(IS, "area_controlled", 14800)], PLACE)
    add_article(store, "alwaght", "http://x/month", "2017-10-13T08:22",
                [(IS, "area_lost", 5841)], PLACE, period=MONTH_OCT)
    add_article(store, "alwaght", "http://x/since", "2017-11-27T06:00",
                [(IS, "area_lost", 40000 * 2.589988110336)], PLACE, qualifier="approx",
                period=SINCE_2014, sentence=SINCE_2014_SENTENCE)


def test_a_loss_since_2014_is_not_compared_with_a_monthly_loss_and_says_so(
    store: Store, tmp_path: Path
) -> None:
    the_demo_figures(store)
    evaluate(store, rules(tmp_path, LOSS_RULE))
    month, since = alerts(store)
    assert "previous" not in since.payload and "move" not in since.payload
    assert since.payload["no_previous"] == (
        "No earlier area lost by Islamic State in Iraq and Syria over a comparable period "
        "(about 4 years) to compare with.")
    assert since.subject == ("Islamic State lost about 103,600 km² (40,000 square miles) in "
                             "Iraq and Syria since 2014")
    message = AlertMessage.from_alert(since)
    mail = message_from_bytes(build_email([message], "t@l", ["a@b.c"], "<i@t>").as_bytes(),
                              policy=policy.default)
    text = mail.get_body(("plain",)).get_content()
    assert "103,599" not in text and "1674%" not in text and "Previous" not in text
    assert "over a comparable period" in text
    blob = str(slack_messages([message])[0].payload)
    assert "about 103,600 km² (40,000 square miles)" in blob and "Previous" not in blob


def test_a_monthly_loss_is_compared_with_the_last_monthly_loss_only(store: Store,
                                                                   tmp_path: Path) -> None:
    add_article(store, "alwaght", "http://x/sep", "2017-09-13T08:00",
                [(IS, "area_lost", 4000)], PLACE, period=MONTH_SEP)
    add_article(store, "alwaght", "http://x/since", "2017-09-30T08:00",
                [(IS, "area_lost", 90000)], PLACE, period=Period("since 2014", "2014-01-01",
                                                                 "2017-09-30"))
    add_article(store, "alwaght", "http://x/week", "2017-10-06T08:00",
                [(IS, "area_lost", 1200)], PLACE,
                period=Period("during the past week", "2017-09-29", "2017-10-06"))
    add_article(store, "alwaght", "http://x/oct", "2017-10-13T08:22",
                [(IS, "area_lost", 5841)], PLACE, period=MONTH_OCT)
    evaluate(store, rules(tmp_path, LOSS_RULE))
    october = next(a for a in alerts(store) if a.payload["figure"]["value"] == 5841)
    assert october.payload["previous"]["url"] == "http://x/sep"
    assert october.payload["move"] == "up 46% from 4,000 km²"
    text = message_text(october)
    assert ("Previous comparable figure: 4,000 km² during the last month, reported 2017-09-13"
            in text)


def message_text(alert: AlertRow) -> str:
    mail = build_email([AlertMessage.from_alert(alert)], "t@l", ["a@b.c"], "<i@t>")
    parsed = message_from_bytes(mail.as_bytes(), policy=policy.default)
    return parsed.get_body(("plain",)).get_content()


def test_a_stock_is_compared_with_the_previous_stock_not_with_a_change(store: Store,
                                                                       tmp_path: Path) -> None:
    add_article(store, "a", "http://x/1", "2017-09-01", [(IS, "area_controlled", 27000)], "Syria")
    add_article(store, "a", "http://x/2", "2017-09-20", [(IS, "area_lost", 5000)], "Syria",
                period=MONTH_SEP)
    add_article(store, "a", "http://x/3", "2017-10-13", [(IS, "area_controlled", 14800)], "Syria")
    evaluate(store, rules(tmp_path, "rules:\n  - {name: shrink, metric: area_controlled,"
                                    " change: {below: -20}, channels: [slack]}\n"))
    (alert,) = alerts(store)
    assert alert.payload["previous"]["url"] == "http://x/1"
    assert alert.subject == "Islamic State controls 14,800 km² in Syria (down 45% from 27,000 km²)"


def test_a_change_over_an_unknown_period_is_not_compared(store: Store, tmp_path: Path) -> None:
    add_article(store, "a", "http://x/1", "2017-09-01", [(IS, "area_lost", 3000)], "Syria")
    add_article(store, "a", "http://x/2", "2017-10-01", [(IS, "area_lost", 5000)], "Syria")
    evaluate(store, rules(tmp_path, LOSS_RULE))
    later = alerts(store)[1]
    assert "previous" not in later.payload
    assert later.payload["no_previous"].startswith("Not compared: the period of this change")


@pytest.mark.parametrize(("figure", "shown"), [
    ({"value": 103599.52, "unit": "km2", "qualifier": "approx",
      "sentence": SINCE_2014_SENTENCE}, "about 103,600 km² (40,000 square miles)"),
    ({"value": 5841.0, "unit": "km2", "qualifier": "exact",
      "sentence": "ISIS lost 5,841 square kilometers"}, "5,841 km²"),
    ({"value": 10117.14, "unit": "km2", "qualifier": "exact",
      "sentence": "some 2.5 million acres were freed"}, "about 10,120 km² (2.5 million acres)"),
    ({"value": 5000.0, "value_max": 6000.0, "unit": "km2", "qualifier": "range",
      "sentence": "between 5,000 and 6,000 sq km"}, "5,000–6,000 km²"),
    ({"value": 8.0, "unit": "percent", "qualifier": "less_than"}, "less than 8%"),
    ({"value": 142.0, "unit": "count", "qualifier": "more_than"},
     "more than 142 towns and villages"),
    ({"value": 1234.5678, "unit": "km2", "qualifier": "exact", "sentence": ""}, "about 1,235 km²"),
    ({"value": 2589.988110336, "unit": "km2", "qualifier": "nearly",
      "original": {"text": "1,000 sq mi", "number": "1,000", "unit": "sq mi"}},
     "nearly 2,590 km² (1,000 sq mi)"),
])
def test_honest_amounts(figure: dict, shown: str) -> None:
    assert honest_amount(figure) == shown


def test_the_original_quantity_is_found_only_when_it_converts_to_the_value() -> None:
    sentence = "It lost 40,000 square miles, or 103,600 square kilometers, and 12 hectares."
    assert original_quantity(sentence, 103599.52)["text"] == "40,000 square miles"
    assert original_quantity(sentence, 0.12)["text"] == "12 hectares"
    assert original_quantity(sentence, 5841.0) is None


def test_the_alert_chart_shows_the_stock_held_with_losses_as_events(store: Store,
                                                                    tmp_path: Path) -> None:
    the_demo_figures(store)
    evaluate(store, rules(tmp_path, LOSS_RULE))
    situation = alerts(store)[-1].payload["situation"]
    assert [p["metric"] for p in situation["stock"]] == ["area_controlled"]
    assert [(p["metric"], p["url"]) for p in situation["events"]] == [
        ("area_lost", "http://x/month"), ("area_lost", "http://x/since")]
    figure = draw_chart(situation)
    assert figure is not None
    axes = figure.axes[0]
    assert axes.get_title(loc="left") == "Islamic State: area held in Iraq and Syria"
    assert axes.get_ylabel() == "km² held"
    (line,) = [ln for ln in axes.get_lines() if len(ln.get_xdata()) > 0 and ln.get_marker() == "o"]
    assert list(line.get_ydata()) == [14800]  # the stock only: losses are not on its line
    assert len([ln for ln in axes.get_lines() if ln.get_linestyle() == "--"
                and len(ln.get_xdata()) == 2]) == 2  # one marked date per reported loss


def test_a_one_point_chart_has_readable_dates() -> None:
    one = {"actor": IS, "place": "Syria", "kind": "share",
           "stock": [{"when": "2017-11-10T08:00:00+00:00", "metric": "share_controlled",
                      "value": 8.0}], "events": []}
    figure = draw_chart(one)
    assert figure is not None
    figure.canvas.draw()
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels() if t.get_text()]
    assert labels and all(re.fullmatch(r"\d{2} [A-Z][a-z]{2} \d{4}", t) for t in labels), labels
    assert figure.axes[0].get_ylabel() == "% held"


def test_a_loss_naming_no_place_is_charted_against_what_is_held_in_each_place(
    store: Store, tmp_path: Path
) -> None:
    add_article(store, "a", "http://x/s", "2017-10-01", [(IS, "area_controlled", 14800)], "Syria")
    add_article(store, "a", "http://x/i", "2017-10-02", [(IS, "area_controlled", 6000)], "Iraq")
    add_article(store, "a", "http://x/l", "2017-10-13", [(IS, "area_lost", 5841)],
                period=MONTH_OCT)
    evaluate(store, rules(tmp_path, LOSS_RULE))
    (alert,) = alerts(store)
    figure = draw_chart(alert.payload["situation"])
    assert figure is not None
    labels = sorted(ln.get_label() for ln in figure.axes[0].get_lines() if ln.get_marker() == "o")
    assert labels == ["held in Iraq", "held in Syria"]
    assert figure.axes[0].get_title(loc="left") == "Islamic State: area held (places as reported)"
