"""Actors, direction, modality, shares, places, periods, speakers and what must not be a figure."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.figures import extract_figures
from parsers.figures.actors import ACTOR_ALIASES, canonical


def one(text: str, **kw):
    figs = extract_figures(text, **kw)
    assert len(figs) == 1, figs
    return figs[0]


@pytest.mark.parametrize("alias", ["ISIS", "ISIL", "IS", "Daesh", "Islamic State"])
def test_aliases_of_islamic_state(alias: str) -> None:
    assert one(f"{alias} controls 4,000 square kilometres in Syria.").actor == "Islamic State"


def test_alias_table_is_data() -> None:
    assert isinstance(ACTOR_ALIASES, dict) and "Taliban" in ACTOR_ALIASES
    assert canonical("Syrian army") == "Syrian government"
    assert canonical("YPG") == "YPG"  # not the Peshmerga: another party
    assert canonical("Peshmerga forces") == "Peshmerga"


def test_liberated_from_is_the_occupiers_loss() -> None:
    fig = one("The Syrian army liberated 142 villages from ISIS.")
    assert (fig.actor, fig.metric, fig.counterpart) == ("Islamic State", "settlements_lost", "Syrian government")


def test_gain_without_a_named_loser() -> None:
    fig = one("Ukrainian forces liberated 500 square kilometres in the south.")
    assert (fig.actor, fig.metric) == ("Ukraine", "area_gained")


def test_passive_once_held_is_share_lost_of_former_territory() -> None:
    fig = one("About 45 percent of the territory ISIL once held has been retaken.")
    assert (fig.actor, fig.metric, fig.modality) == ("Islamic State", "share_lost", "asserted")
    assert fig.extra["share_of"] == "former_territory"


def test_lost_to_names_counterpart() -> None:
    fig = one("The rebels lost 70 percent of eastern Aleppo to government forces.")
    assert (fig.actor, fig.metric, fig.counterpart, fig.place) == (
        "Syrian opposition", "share_lost", "Syrian government", "Aleppo")


@pytest.mark.parametrize("text,modality", [
    ("The army will recapture 2,000 square kilometres from ISIS.", "future"),
    ("The army aims to recapture 2,000 square kilometres from ISIS.", "future"),
    ("If talks fail, the army could recapture 2,000 square kilometres from ISIS.", "conditional"),
    ("ISIS did not lose 2,000 square kilometres last month.", "negated"),
    ("At its peak, ISIS controlled 90,000 square kilometres.", "historical"),
    ("In 2014 ISIS controlled 90,000 square kilometres.", "historical"),
    ("ISIS claimed it captured 2,000 square kilometres.", "claimed"),
    ("ISIS lost 2,000 square kilometres, said General John Smith.", "asserted"),
])
def test_modality(text: str, modality: str) -> None:
    assert one(text, published=dt.date(2017, 10, 13)).modality == modality


@pytest.mark.parametrize("text", [
    "At least 35 fighters were killed in clashes near Raqqa.",
    "Russian jets flew 383 sorties and hit 993 ISIS targets.",
    "ISIS lost $500 million in revenue last year.",
    "ISIS lost 30 percent of its oil revenue.",
    "Government areas are home to 40 percent of the population.",
    "Syrian troops advanced 10 km along the highway.",
    "Syria covers 185,180 square kilometres.",
    "The operation to liberate Raqqa is 90 percent complete.",
    "The area held by the Taliban grew by 186 percent.",
    "ISIS still has 3,000 fighters in the valley.",
])
def test_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_share_of_country_region_and_place() -> None:
    assert one("Russia occupies 90 percent of the Luhansk region.").place == "Luhansk"
    fig = one("The SDF controls 25 percent of Syria.")
    assert (fig.place, fig.extra["share_of"]) == ("Syria", "country")


def test_period_iso_dates_from_publication() -> None:
    fig = one("Since January, Ukraine has lost 1,500 square kilometres.", published=dt.date(2024, 10, 1))
    assert (fig.period.text, fig.period.start, fig.period.end) == ("Since January", "2024-01-01", "2024-10-01")
    fig = one("ISIS lost 900 square kilometres last month.", published=dt.date(2017, 10, 13))
    assert (fig.period.start, fig.period.end) == ("2017-09-01", "2017-09-30")
    fig = one("ISIS lost 900 square kilometres in 2016.", published=dt.date(2017, 10, 13))
    assert (fig.period.start, fig.period.end) == ("2016-01-01", "2016-12-31")
    assert one("ISIS lost 900 square kilometres over the past week.").period.start is None


def test_headline_and_body_merge() -> None:
    figs = extract_figures("ISIS lost 5,841 square kilometres over the past month.",
                           title="ISIS lost 5,841 sq km in a month")
    assert len(figs) == 1 and not figs[0].extra.get("title")


def test_speaker_resolution() -> None:
    text = ('"ISIS holds 3,900 square kilometres," said Colonel General Alexander Lapin.\n\n'
            "According to Lapan, ISIS lost 1,100 square kilometres over the past week.")
    assert {f.speaker for f in extract_figures(text)} == {"Colonel General Alexander Lapin"}


def test_output_is_json_ready_and_sorted() -> None:
    figs = extract_figures("ISIS lost 10 villages. The SDF holds 28 percent of Syria.", id="a1")
    assert [f.metric for f in figs] == ["settlements_lost", "share_controlled"]
    assert figs[0].to_json()["id"] == "a1"


def test_deprived_of_is_the_objects_loss() -> None:
    fig = one("Islamic State fighters fled east. The army said the operation deprived the militants "
              "of 1,500 square kilometres.")
    assert (fig.actor, fig.metric, fig.value) == ("Islamic State", "area_lost", 1500)


def test_an_area_of_as_object_counts_but_as_apposition_does_not() -> None:
    figs = extract_figures("Iraqi forces recaptured 94 villages and an area of about 1,100 square kilometres.")
    assert [(f.metric, f.value) for f in figs] == [("settlements_gained", 94), ("area_gained", 1100)]
    assert not extract_figures("ISIS captured Raqqa province, an area of 27,000 square kilometres.")


def test_from_of_a_verb_is_not_an_earlier_value() -> None:
    fig = one("ISIS has been driven from roughly 40,000 square miles since 2014.")
    assert (fig.actor, fig.metric, fig.modality) == ("Islamic State", "area_lost", "asserted")


def test_claim_after_the_attribution_is_not_the_figures() -> None:
    fig = one("ISIS has lost around 95 percent of its territory, the coalition said, claiming a "
              "leading role in the defeat.")
    assert fig.modality == "asserted"
    assert one("Wagner fighters seized 25 square kilometres, Prigozhin claimed.").modality == "claimed"


def test_the_troops_are_the_last_state_actor_named() -> None:
    figs = extract_figures("Iraqi forces pushed into Tal Afar.\n\nThe troops had freed 29 villages "
                           "around the city, the command said.")
    assert [(f.actor, f.metric, f.value) for f in figs] == [("Iraqi government", "settlements_gained", 29)]


def test_statement_added_is_an_attribution_not_a_gain() -> None:
    assert not extract_figures("ISIS fighters are hiding in the desert. Security forces will comb some "
                               "4,000 square kilometres of desert to hunt the militants, the statement added.")


def test_group_anaphor_is_the_articles_dominant_group() -> None:
    text = ("ISIS fighters attacked Hajin.\n\nISIS also shelled Abu Kamal.\n\nFurther west, Hayat "
            "Tahrir al-Sham clashed with rebels.\n\nThe jihadists lost 300 square kilometres in a week.")
    assert one(text).actor == "Islamic State"
    same_paragraph = "ISIS held Hajin. HTS attacked Idlib. The jihadists lost 40 square kilometres there."
    assert one(same_paragraph).actor == "Hayat Tahrir al-Sham"


def test_number_of_villages_from_to() -> None:
    figs = extract_figures("The number of villages under Houthi control fell from 140 to 95.")
    assert [(f.actor, f.metric, f.value) for f in figs] == [
        ("Houthis", "settlements_controlled", 140), ("Houthis", "settlements_controlled", 95)]
    assert not extract_figures("The number of villages in the valley grew from 2014 to 2017.")


def test_share_of_a_place_not_in_the_list() -> None:
    fig = one("The SDF has cleared 95 percent of Baghouz.")
    assert (fig.actor, fig.metric, fig.value) == ("Syrian Democratic Forces", "share_gained", 95)
    assert not extract_figures("The SDF now controls 95 percent of Americans' attention.")


def test_shrank_by_a_fraction_is_a_share_lost() -> None:
    fig = one("The area held by Boko Haram shrank by nearly a third in 2016.")
    assert (fig.actor, fig.metric, fig.value, fig.qualifier) == ("Boko Haram", "share_lost", 33.33, "nearly")


def test_district_towns_are_settlements() -> None:
    fig = one("Taliban fighters have overrun at least 15 district towns this month.")
    assert (fig.metric, fig.value, fig.qualifier) == ("settlements_gained", 15, "at_least")


def test_relative_clause_hedges_stay_in_their_clause() -> None:
    figs = extract_figures("ISIS, which once controlled a third of Iraq, now holds less than 3 percent "
                           "of the country.", published=dt.date(2020, 1, 1))
    assert [(f.value, f.modality) for f in figs] == [(33.33, "historical"), (3, "asserted")]
    fig = one("ISIS, which seized Mosul in 2014, now controls 3 percent of Iraq.",
              published=dt.date(2020, 1, 1))
    assert fig.modality == "asserted"


def test_from_the_acronym_is_the_loser() -> None:
    fig = one("Turkish-backed rebels took 11 villages from the SDF.")
    assert (fig.actor, fig.metric, fig.counterpart) == (
        "Syrian Democratic Forces", "settlements_lost", "Syrian opposition")


def test_regained_control_of_is_one_verb() -> None:
    fig = one("The Iraqi army said it had regained control of 1,200 square kilometres.")
    assert (fig.actor, fig.metric) == ("Iraqi government", "area_gained")


def test_provincial_capitals_are_settlements() -> None:
    fig = one("The Taliban seized three more provincial capitals on Friday.")
    assert (fig.actor, fig.metric, fig.value) == ("Taliban", "settlements_gained", 3)
