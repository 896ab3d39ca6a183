"""Numbers and units: parsing, normalisation to km2, conversions and hedges."""

from __future__ import annotations

import pytest

from parsers.figures import extract_figures
from parsers.figures.numbers import parse_number
from parsers.figures.units import KM2_FACTORS


@pytest.mark.parametrize("text,value", [
    ("14,800", 14800), ("8.000", 8000), ("14.8", 14.8), ("1,5", 1.5), ("0.125", 0.125),
    ("14.8 thousand", 14800), ("1.2 million", 1_200_000), ("twenty-five", 25),
    ("a hundred", 100), ("three thousand", 3000), ("two-thirds", 2 / 3), ("a third", 1 / 3),
    ("half", 0.5), ("one and a half", 1.5), ("1,500.5", 1500.5),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_factors_come_from_pint_with_dunam() -> None:
    assert KM2_FACTORS["mi2"] == pytest.approx(2.589988, rel=1e-6)
    assert KM2_FACTORS["hectare"] == pytest.approx(0.01)
    assert KM2_FACTORS["dunam"] == pytest.approx(0.001)
    assert KM2_FACTORS["acre"] == pytest.approx(0.0040468564)


@pytest.mark.parametrize("phrase,km2", [
    ("300 square kilometers", 300), ("300 square kilometres", 300), ("300 sq km", 300),
    ("300 sq. km", 300), ("300 km2", 300), ("300 km²", 300), ("10 square miles", 25.8999),
    ("5,000 hectares", 50), ("3,000 dunams", 3), ("3,000 decares", 3), ("1,000 acres", 4.0469),
    ("2,000,000 square metres", 2), ("four square kilometres", 4), ("half a square kilometre", 0.5),
    ("a quarter of a square mile", 0.6475),
])
def test_every_unit_normalises_to_km2(phrase: str, km2: float) -> None:
    [fig] = extract_figures(f"Syrian government forces captured {phrase} near Palmyra.")
    assert (fig.metric, fig.unit) == ("area_gained", "km2")
    assert fig.value == pytest.approx(km2, rel=1e-3)


@pytest.mark.parametrize("text", [
    "ISIS holds 5,000 sq km (1,930 sq mi) in the desert.",
    "ISIS holds 1,930 sq mi (5,000 sq km) in the desert.",
    "ISIS holds 5,000 square kilometres, or 1,930 square miles, in the desert.",
])
def test_bracketed_conversion_is_one_figure(text: str) -> None:
    figs = extract_figures(text)
    assert [(f.metric, f.value) for f in figs] == [("area_controlled", 5000.0)]


def test_european_separators_in_conversion() -> None:
    [fig] = extract_figures("ISIS holds 8.000 sq km (3.100 sq mi) in the desert.")
    assert fig.value == 8000


@pytest.mark.parametrize("hedge,qualifier", [
    ("less than", "less_than"), ("under", "less_than"), ("more than", "more_than"),
    ("nearly", "nearly"), ("almost", "nearly"), ("about", "approx"), ("some", "approx"),
    ("roughly", "approx"), ("around", "approx"), ("approximately", "approx"),
    ("up to", "at_most"), ("at least", "at_least"),
])
def test_qualifiers(hedge: str, qualifier: str) -> None:
    [fig] = extract_figures(f"ISIS controls {hedge} 3,000 square kilometres in Syria.")
    assert (fig.value, fig.qualifier) == (3000, qualifier)


def test_range_and_respectively() -> None:
    [fig] = extract_figures("Syrian government forces control between 80 and 85 percent of Syria.")
    assert (fig.value, fig.value_max, fig.qualifier) == (80, 85, "range")
    figs = extract_figures("ISIS and the SDF control 30 and 25 percent of Syria respectively.")
    assert [(f.actor, f.value) for f in figs] == [
        ("Islamic State", 30), ("Syrian Democratic Forces", 25)]


def test_from_to_change() -> None:
    # the old value is historical; the difference is arithmetic, not a reported figure (real
    # reporting and outside scorers never count it), so no derived loss is added
    figs = extract_figures("The area held by ISIS fell from 78,000 to 60,400 square kilometres.")
    got = {(f.metric, f.value, f.modality) for f in figs}
    assert got == {("area_controlled", 60400, "asserted"), ("area_controlled", 78000, "historical")}
