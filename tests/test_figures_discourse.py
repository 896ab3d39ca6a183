"""Second-round mechanisms of the figure engine: discourse (who "the group", "the army", "we"
are), clause structure (relative, participial and absolute phrases, ellipsis) and the labelling
conventions of tests/corpus/CONVENTIONS.md. Every text is the team's own."""

from __future__ import annotations

import pytest

from parsers.figures import extract_figures


def one(text: str, **kw):
    figs = extract_figures(text, **kw)
    assert len(figs) == 1, figs
    return figs[0]


def facts(text: str, **kw) -> set[tuple]:
    return {(f.actor, f.metric, f.value) for f in extract_figures(text, **kw)}


# --------------------------------------------------------------------- discourse


def test_unnamed_insurgents_of_a_region() -> None:
    fig = one("Troops say the militants now hold only two barangays of Marawi.")
    assert (fig.actor, fig.metric, fig.value) == ("Maute group", "settlements_controlled", 2)


def test_the_jihadists_of_iraq_are_islamic_state_but_terrorists_stay_a_label() -> None:
    assert one("In Iraq the jihadists have lost 40 percent of the land they held.").actor == "Islamic State"
    fig = one("Terrorist groups hold under 5 percent of Syrian territory, a Russian general said.")
    assert fig.actor == "terrorist groups"


def test_the_group_is_the_topic_not_a_party_it_lost_ground_to() -> None:
    text = ("The group's territory in Syria shrank by 2,000 sq km this summer. Most of the ground "
            "went to the Syrian Democratic Forces.")
    assert not any(f.actor == "Syrian Democratic Forces" for f in extract_figures(text))


def test_the_alliance_is_the_subject_of_the_sentence_before() -> None:
    text = ("The Kurdish-led alliance pushed 20 kilometres into Islamic State territory. "
            "The alliance has cleared 30 villages since Monday.")
    assert ("Syrian Democratic Forces", "settlements_gained", 30) in facts(text)


def test_the_army_in_a_war_between_two_states_is_the_topic_state() -> None:
    text = ("Russian troops took 150 square kilometres of Ukraine in June. "
            "In May, when the army grabbed 400 square kilometres, the pace was faster.")
    assert ("Russia", "area_gained", 400) in facts(text)


def test_a_neighbour_is_not_the_country_reported_on() -> None:
    fig = one("The junta has lost 9 towns along its borders with Thailand and China in Myanmar's east.")
    assert fig.actor == "Myanmar military"


def test_a_leader_speaks_for_his_party() -> None:
    fig = one("Putin said that more than 150 settlements had been \"liberated\" this year.")
    assert (fig.actor, fig.metric) == ("Russia", "settlements_gained")
    fig = one("\"We control 80 percent of the country,\" Bin Dagher told officers in Aden.")
    assert (fig.actor, fig.metric) == ("Yemeni government", "share_controlled")


def test_the_army_of_a_self_styled_army() -> None:
    fig = one("Haftar said the army now holds 60 percent of Libya.")
    assert fig.actor == "Libyan National Army"


def test_proxies_are_their_own_party() -> None:
    fig = one("Ankara-backed fighters captured four villages near Afrin.")
    assert fig.actor == "Syrian opposition"


# --------------------------------------------------------------------- clause structure


def test_relative_clause_before_the_main_verb() -> None:
    fig = one("About 80 percent of the area that was seized by the insurgents, has been secured.")
    assert fig.metric == "share_lost"


def test_participial_clause_shares_the_main_clause_roles() -> None:
    text = "Its units drove Russian troops out of 12 villages, retaking some 300 square kilometres."
    assert ("Russia", "area_lost", 300) in facts(text, title="Ukraine's southern command reports gains")


def test_elliptical_count_repeats_the_figure() -> None:
    text = ("General Gerasimov said some 2,000 square kilometres held by the enemy were liberated in 2024, "
            "and another 300 in January.")
    assert facts(text) == {("Ukraine", "area_lost", 2000), ("Ukraine", "area_lost", 300)}


def test_parties_in_another_relative_clause_play_no_role() -> None:
    text = ("Ukrainian forces retook 10 square kilometres last week. Near Bakhmut, where the "
            "Russians are attacking every day, roughly 3 square kilometres were won back.")
    assert ("Ukraine", "area_gained", 3) in facts(text)


def test_an_absolute_phrase_takes_its_own_verb() -> None:
    text = "About half of the 400 districts are contested, with 120 firmly in government hands in Afghanistan."
    assert ("Afghan government", "settlements_controlled", 120) in facts(text)


def test_a_whole_anchors_the_part_after_it() -> None:
    fig = one("Of the state's nine towns, only three are still held by the junta in Myanmar.")
    assert (fig.actor, fig.metric, fig.value) == ("Myanmar military", "settlements_controlled", 3)


# --------------------------------------------------------------------- conventions


@pytest.mark.parametrize("text", [
    "The Taliban hold 200 districts and are fighting over 90 more.",
    "The Taliban either hold or are fighting over 40 percent of the districts.",
    "Some 45 percent of districts are either in insurgent hands or in dispute.",
])
def test_contested_ground_is_no_control(text: str) -> None:
    assert all(f.value not in (90, 40, 45) for f in extract_figures(text))


def test_share_back_under_control_is_a_stock_count_is_a_gain() -> None:
    fig = one("Roughly 80 percent of Cabo Delgado is back under state control, the army says.")
    assert fig.metric == "share_controlled"
    fig = one("Some 40 villages in Kherson are back under Ukrainian control.")
    assert fig.metric == "settlements_gained"


def test_except_leaves_the_loser_what_it_keeps() -> None:
    fig = one("The army drove Boko Haram out of every district except two local government areas.")
    assert (fig.actor, fig.metric, fig.value) == ("Boko Haram", "settlements_controlled", 2)


@pytest.mark.parametrize("text", [
    "Some 600,000 civilians remain trapped in the western half of the city, held by ISIS.",
    "Gangs rule the capital, where 70 percent of the city's residents live under their sway.",
    "The army chief declared the war \"90 percent\" won.",
    "The area targeted by the operation covers about 2,000 square kilometres.",
])
def test_no_figure(text: str) -> None:
    assert extract_figures(text) == []


def test_one_figure_told_twice_is_one() -> None:
    text = ("Islamist militants hold 20 percent of Marawi, the army said. "
            "The Maute group holds 20 percent of the city, it added.")
    assert len(extract_figures(text)) == 1
