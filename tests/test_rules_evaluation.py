"""Rule evaluation over a real store: thresholds, change, crossings, confirmation, repeats,
silences, and idempotency."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from store_builder import add_article

from alerting.evaluation import evaluate
from alerting.holding import hold_back
from alerting.rules import load_rules
from storage import Store
from storage.models import AlertRow, DeliveryRow

IS = "Islamic State"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'tw.db'}")


def rules(tmp_path: Path, body: str):
    path = tmp_path / "rules.yaml"
    path.write_text("channels:\n  slack: {connection: c}\n" + body)
    return load_rules(path)


def subjects(store: Store) -> list[str]:
    with store.session() as session:
        return list(session.scalars(select(AlertRow.subject).order_by(AlertRow.id)))


def test_change_against_previous_figure(store: Store, tmp_path: Path) -> None:
    add_article(store, "a", "u1", "2017-09-01", [(IS, "area_controlled", 30000)], "Syria")
    add_article(store, "a", "u2", "2017-10-01", [(IS, "area_controlled", 27000)], "Syria")
    add_article(store, "a", "u3", "2017-10-13", [(IS, "area_controlled", 14800)], "Syria")
    add_article(store, "a", "u4", "2017-10-14", [(IS, "area_controlled", 5000)], "Iraq")
    r = rules(tmp_path, "rules:\n  - {name: shrink, metric: area_controlled, actor: ISIS,"
                        " change: {below: -20}, channels: [slack]}\n")
    report = evaluate(store, r)
    # -10 % (30,000 -> 27,000) does not fire; -45 % does; Iraq has no previous figure
    assert subjects(store) == [
        "Islamic State controls 14,800 km² in Syria (down 45% from 27,000 km²)"]
    assert len(report.created) == 1


def test_share_crossing_a_level_fires_once_per_crossing(store: Store, tmp_path: Path) -> None:
    for day, value in (("01", 12), ("05", 11), ("09", 9), ("13", 8), ("17", 10.5)):
        add_article(store, "a", f"u{day}", f"2017-10-{day}",
                    [(IS, "share_controlled", value)], "Syria")
    r = rules(tmp_path, "rules:\n  - {name: ten, metric: share_controlled, crosses: 10,"
                        " channels: [slack]}\n")
    evaluate(store, r)
    assert subjects(store) == [
        "Islamic State controls 9% of Syria (down 18% from 11%)",
        "Islamic State controls 10.5% of Syria (up 31% from 8%)"]


def test_confirmation_by_a_second_source(store: Store, tmp_path: Path) -> None:
    r = rules(tmp_path, "rules:\n  - {name: big, metric: area_lost, above: 1000,"
                        " confirmations: 2, channels: [slack]}\n")
    add_article(store, "alwaght", "a1", "2017-10-13T08:00", [(IS, "area_lost", 5841)])
    report = evaluate(store, r)
    assert report.created == [] and report.awaiting_confirmation == 1
    add_article(store, "alwaght", "a2", "2017-10-13T09:00", [(IS, "area_lost", 5841)])
    assert evaluate(store, r).created == []  # same source again is no confirmation
    add_article(store, "other", "o1", "2017-10-13T10:00", [(IS, "area_lost", 5841)])
    report = evaluate(store, r)
    assert len(report.created) == 1
    with store.session() as session:
        alert = session.scalars(select(AlertRow)).one()
        assert {r["url"] for r in alert.payload["reports"]} == {"a1", "a2", "o1"}
    assert evaluate(store, r).created == []  # idempotent


def test_repeat_interval_suppresses_the_same_alert_again(store: Store, tmp_path: Path) -> None:
    r = rules(tmp_path, "rules:\n  - {name: low, metric: share_controlled, below: 10,"
                        " repeat_after: 7d, channels: [slack]}\n")
    for day, value in (("01", 9), ("03", 8), ("09", 7)):
        add_article(store, "a", f"u{day}", f"2017-10-{day}",
                    [(IS, "share_controlled", value)], "Syria")
    report = evaluate(store, r)
    assert len(report.created) == 2 and report.repeats_suppressed == 1
    assert subjects(store) == ["Islamic State controls 9% of Syria",
                               "Islamic State controls 7% of Syria"]


def test_silences_hold_deliveries_when_sending_not_when_evaluating(store: Store,
                                                                     tmp_path: Path) -> None:
    r = rules(tmp_path, "rules:\n  - {name: big, metric: area_lost, above: 1000,"
                        " channels: [slack]}\nsilences:\n  - {rule: big, actor: Daesh,"
                        " until: '2999-01-01', reason: known offensive}\n")
    add_article(store, "a", "u1", "2017-10-13", [(IS, "area_lost", 5841),
                                                  ("Syrian government", "area_lost", 2000)])
    report = evaluate(store, r)
    assert len(report.created) == 2

    def states() -> dict[str, str]:
        with store.session() as session:
            return dict(session.execute(select(AlertRow.subject, DeliveryRow.state)
                                        .join(DeliveryRow)).all())

    assert set(states().values()) == {"pending"}  # stored; the silence is not decided yet
    held = hold_back(store, r, datetime.now(UTC))
    assert [why for _, _, why in held.silenced] == [
        "silenced until 2999-01-01T00:00:00+00:00: known offensive"]
    assert states() == {"Islamic State lost 5,841 km²": "silenced",
                        "Syrian government lost 2,000 km²": "pending"}


def test_future_and_historical_figures_never_fire_by_default(store: Store,
                                                              tmp_path: Path) -> None:
    r = rules(tmp_path, "rules:\n  - {name: big, metric: area_lost, above: 1000,"
                        " channels: [slack]}\n")
    add_article(store, "a", "u1", "2017-10-13", [(IS, "area_lost", 5841)], modality="future")
    add_article(store, "a", "u2", "2017-10-14", [(IS, "area_lost", 4000)], modality="historical")
    assert evaluate(store, r).created == []


def test_window_limits_evaluation(store: Store, tmp_path: Path) -> None:
    r = rules(tmp_path, "rules:\n  - {name: big, metric: area_lost, above: 1000,"
                        " channels: [slack]}\n")
    add_article(store, "a", "u1", "2017-10-13T08:22", [(IS, "area_lost", 5841)])
    add_article(store, "a", "u2", "2017-10-13T12:00", [(IS, "area_lost", 4000)])
    utc = UTC
    report = evaluate(store, r, since=datetime(2017, 10, 13, 6, tzinfo=utc),
                      until=datetime(2017, 10, 13, 12, tzinfo=utc))
    assert subjects(store) == ["Islamic State lost 5,841 km²"] and len(report.created) == 1


def test_modality_option_chooses_which_statements_fire(store: Store, tmp_path: Path) -> None:
    add_article(store, "a", "u1", "2017-10-13", [(IS, "area_lost", 5841)], modality="future")
    add_article(store, "a", "u2", "2017-10-14", [(IS, "area_lost", 4000)], modality="historical")
    add_article(store, "a", "u3", "2017-10-15", [(IS, "area_lost", 3000)])  # asserted
    r = rules(tmp_path, "rules:\n  - {name: plans, metric: area_lost, above: 1000,"
                        " modality: [future, historical], channels: [slack]}\n")
    report = evaluate(store, r)
    with store.session() as session:
        fired = sorted((a.payload["figure"]["value"], a.payload["figure"]["modality"])
                       for a in session.scalars(select(AlertRow)))
    # the listed modalities fire, and only they: the asserted 3,000 km² does not
    assert fired == [(4000.0, "historical"), (5841.0, "future")] and len(report.created) == 2


def test_absolute_change_option(store: Store, tmp_path: Path) -> None:
    for day, value in (("01", 30000), ("05", 29600), ("09", 14800), ("13", 14000)):
        add_article(store, "a", f"u{day}", f"2017-10-{day}", [(IS, "area_controlled", value)],
                    "Syria")
    r = rules(tmp_path, "rules:\n  - {name: shrink, metric: area_controlled, actor: ISIS,"
                        " change: {below: -500, relative: false}, channels: [slack]}\n")
    evaluate(store, r)
    # km² lost since the previous figure: -400 does not fire, -14,800 and -800 (-5 %) do
    assert subjects(store) == [
        "Islamic State controls 14,800 km² in Syria (down 50% from 29,600 km²)",
        "Islamic State controls 14,000 km² in Syria (down 5% from 14,800 km²)"]


def test_every_condition_of_a_rule_must_hold(store: Store, tmp_path: Path) -> None:
    for url, value in (("u1", 800), ("u2", 2500), ("u3", 7000)):
        add_article(store, "a", url, "2017-10-13", [(IS, "area_lost", value)])
    r = rules(tmp_path, "rules:\n  - {name: mid, metric: area_lost, above: 1000, below: 5000,"
                        " channels: [slack]}\n")
    evaluate(store, r)
    assert subjects(store) == ["Islamic State lost 2,500 km²"]


def test_a_rule_takes_a_list_of_metrics(store: Store, tmp_path: Path) -> None:
    add_article(store, "a", "u1", "2017-10-13", [(IS, "area_lost", 5841),
                                                  ("Syrian government", "area_gained", 2000),
                                                  (IS, "settlements_lost", 1420)])
    r = rules(tmp_path, "rules:\n  - {name: areas, metric: [area_lost, area_gained], above: 1000,"
                        " channels: [slack]}\n")
    evaluate(store, r)
    assert subjects(store) == ["Islamic State lost 5,841 km²", "Syrian government gained 2,000 km²"]
