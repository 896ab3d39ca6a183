"""The figure engine's learned second opinion (parsers/figures/learned): its linear models,
what it adds to the rules' figures, and that its shipped weights match the corpus."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from parsers.figures import extract_figures, learned
from parsers.figures.actors import Mention
from parsers.figures.learned import model
from parsers.figures.quantities import find_quantities

sys.path.insert(0, str(Path(__file__).parent))
import eval_gate  # noqa: E402

# a ministry's tally broken down by region in one sentence after the total: the regions' shares
# carry no verb of their own, so only the learned layer reads them (our own words)
BREAKDOWN = ("Russia's defence ministry said its troops had taken 2,950 square kilometres since March. "
             "By its count, Donetsk accounted for 1,840 km², Kharkiv for 610, Zaporizhzhia for 290 and Sumy for 210.")


@pytest.fixture
def weights(tmp_path, monkeypatch):
    """Point the engine at a weights file of the test's own (None: no file at all)."""

    def use(data: dict | None) -> None:
        path = tmp_path / "weights.json"
        if data is not None:
            path.write_text(json.dumps(data))
        monkeypatch.setattr(model, "WEIGHTS", path)
        model.load.cache_clear()

    yield use
    model.load.cache_clear()


def test_linear_model_scores_features_once_each():
    multi = model.Linear(["none", "gained"], [0.0, -1.0], {"R1:villages": [0.0, 3.0]})
    p = multi.proba(["R1:villages", "R1:villages", "unknown"])
    assert p["gained"] == pytest.approx(math.exp(2.0) / (1 + math.exp(2.0)))
    binary = model.Linear(["yes"], [0.5], {"pre:from": [-2.0]})
    assert binary.proba(["pre:from"])["yes"] == pytest.approx(1 / (1 + math.exp(1.5)))
    assert binary.proba([])["yes"] == pytest.approx(1 / (1 + math.exp(-0.5)))


def test_shipped_weights_were_trained_on_this_corpus():
    data = json.loads(model.WEIGHTS.read_text(encoding="utf-8"))
    assert set(data["models"]) == {"direction", "actor"}
    assert data["models"]["direction"]["classes"] == ["none", "controlled", "gained", "lost"]
    # retrain (scripts/train_figure_model.py) whenever a corpus case or the actor table changes
    assert data["trained_on"]["corpus_digest"] == eval_gate.corpus_digest()
    assert data["trained_on"]["cases"] == len(eval_gate.load_cases("all"))


def test_regional_breakdown_is_read_by_the_learned_layer():
    figs = extract_figures(BREAKDOWN)
    got = {(f.actor, f.metric, f.value) for f in figs}
    assert ("Russia", "area_gained", 2950.0) in got
    for value in (1840.0, 610.0, 290.0, 210.0):
        assert ("Russia", "area_gained", value) in got
    learned_values = sorted(f.value for f in figs if "learned" in f.extra)
    assert learned_values == [210.0, 290.0, 610.0, 1840.0]


def test_without_weights_the_rules_alone_answer(weights):
    weights(None)
    figs = extract_figures(BREAKDOWN)
    assert [(f.actor, f.metric, f.value) for f in figs] == [("Russia", "area_gained", 2950.0)]


def test_distractor_sizes_and_casualties_get_no_figure():
    text = ("The reservoir behind the dam covers 2,100 square kilometres, and the army said on Monday "
            "that 40 soldiers had been wounded near it.")
    assert extract_figures(text) == []


def _tiny(direction_bias: list[float], actor_weights: dict[str, list[float]]) -> dict:
    return {"models": {"direction": {"classes": ["none", "controlled", "gained", "lost"], "bias": direction_bias,
                                     "weights": {}},
                       "actor": {"classes": ["yes"], "bias": [-4.0], "weights": actor_weights}}}


def test_proposals_need_a_sure_direction_and_a_likely_actor(weights):
    sentence = "Rebels now hold 12 villages near the river."
    q = find_quantities(sentence)[0]
    rebels = Mention("rebels", 0, 6, "opposition", "Rebels")
    weights(_tiny([0.0, 3.0, 0.0, 0.0], {"side:B": [6.0]}))  # "controlled" at 0.87; a party before it: 0.88
    (p,) = learned.propose(sentence, [q], [q], [rebels], [])
    assert (p.direction, p.actor) == ("controlled", "rebels")
    weights(_tiny([0.0, 0.5, 0.0, 0.0], {"side:B": [6.0]}))  # no direction above DIRECTION_MIN
    assert learned.propose(sentence, [q], [q], [rebels], []) == []
    weights(_tiny([0.0, 3.0, 0.0, 0.0], {}))  # no actor above ACTOR_MIN
    assert learned.propose(sentence, [q], [q], [rebels], []) == []


def test_a_rule_actor_is_replaced_only_when_the_model_all_but_rules_it_out(weights):
    sentence = "Rebels took 12 villages from the army."
    q = find_quantities(sentence)[0]
    mentions = [Mention("rebels", 0, 6, "opposition", "Rebels"), Mention("army", 29, 37, "government", "the army")]
    weights(_tiny([0.0] * 4, {"side:B": [8.0], "side:A": [-4.0]}))  # rebels ~0.98, army ~0.0003
    assert learned.second_actor(sentence, q, "gained", "army", mentions, []) == "rebels"
    assert learned.second_actor(sentence, q, "gained", "rebels", mentions, []) is None
    weights(_tiny([0.0] * 4, {"side:B": [8.0], "side:A": [3.5]}))  # army ~0.38: not ruled out
    assert learned.second_actor(sentence, q, "gained", "army", mentions, []) is None


def test_a_count_retold_with_its_names_is_one_figure():
    # the next sentence names the villages the first one counted: the learned layer's reading
    # of it is the rules' figure again, and is dropped (our own words)
    text = ("Chadian troops have taken three more villages from the rebels near the border, the army said. "
            "Residents said the soldiers seized control of the villages of Kouba, Mao and Ati on Sunday.")
    figs = extract_figures(text)
    assert [(f.actor, f.metric, f.value) for f in figs] == [("Chadian army", "settlements_gained", 3.0)]
    assert "learned" not in figs[0].extra


def test_training_fits_models_the_engine_can_read(tmp_path):
    """scripts/train_figure_model.py on one split: rows from the engine's own quantities, and a
    direction model that reads most of its own rows back."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
    import train_figure_model as train

    cases = eval_gate.load_cases("blind22")
    drows, arows = [], []
    for case in cases:
        d, a = train.rows_of(case)
        drows += d
        arows += a
    labels = {label for _, label in drows}
    assert {"none", "controlled", "gained"} <= labels
    assert {label for _, label in arows} == {"yes", "no"}
    fitted = train.fit(drows, train.DIRECTIONS, 0.3)
    direction = model.Linear(fitted["classes"], fitted["bias"], fitted["weights"])
    right = 0
    for feats, label in drows:
        p = direction.proba(feats)
        right += max(p, key=lambda c: p[c]) == label
    assert right >= 0.9 * len(drows)
    actor = train.fit(arows, ["yes"], 0.3)
    assert actor["classes"] == ["yes"] and len(actor["bias"]) == 1
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"models": {"direction": fitted, "actor": actor}}))
    assert set(model.load(str(path))) == {"direction", "actor"}
