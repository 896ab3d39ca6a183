"""The SPEC's example article gives exactly its four figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parsers.figure import Period
from parsers.figures import extract_figures

#: the project's copy of the example article (../shared/seeds/, byte for byte)
SEED = Path(__file__).resolve().parents[1] / "demo" / "site" / "data" / "seeds" / "000_08374aef6786541f.txt"


@pytest.fixture(scope="module")
def figures():
    return extract_figures(SEED.read_text(encoding="utf-8"), published=dt.date(2017, 10, 13),
                           id="seed", url="https://example.org/seed")


def _by_metric(figures):
    return {f.metric: f for f in figures}


def test_exactly_four_figures(figures) -> None:
    assert sorted((f.metric, f.value) for f in figures) == [
        ("area_controlled", 14800.0), ("area_lost", 5841.0),
        ("settlements_lost", 142.0), ("share_controlled", 8.0)]
    assert {f.actor for f in figures} == {"Islamic State"}
    assert all(f.modality == "asserted" for f in figures)
    assert all(f.id == "seed" and f.url == "https://example.org/seed" for f in figures)


def test_control_figures(figures) -> None:
    fig = _by_metric(figures)
    assert fig["area_controlled"].unit == "km2" and fig["area_controlled"].qualifier == "exact"
    share = fig["share_controlled"]
    assert (share.unit, share.qualifier, share.place) == ("percent", "less_than", "Syria")
    assert fig["area_controlled"].speaker == "General Sergey Rudskoy"


def test_losses_have_period_and_resolved_speaker(figures) -> None:
    fig = _by_metric(figures)
    for metric in ("area_lost", "settlements_lost"):
        assert fig[metric].period == Period("during the last month", "2017-09-13", "2017-10-13")
        assert fig[metric].speaker == "General Sergey Rudskoy"  # written "Rudskay" there
    assert fig["settlements_lost"].unit == "count"


def test_text_order(figures) -> None:
    positions = [f.extra["pos"] for f in figures]
    assert positions == sorted(positions)
    assert [f.metric for f in figures][-2:] == ["area_lost", "settlements_lost"]
