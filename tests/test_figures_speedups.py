"""The speed-ups find exactly what the plain regexes find: Lexicon scans against the full
alternation, quantity start positions against `finditer` (bar quantities starting inside a
word), on every corpus sentence and some awkward ones."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from parsers.figures import actors, modality, places, quantities
from parsers.figures.lexicon import Lexicon, branch_keys
from parsers.figures.patterns import verbs
from parsers.figures.sentences import split_text
from parsers.figures.windows import matches_at, quantity_starts

_spec = importlib.util.spec_from_file_location("eval_gate", Path(__file__).with_name("eval_gate.py"))
assert _spec is not None and _spec.loader is not None
eval_gate = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("eval_gate", eval_gate)
_spec.loader.exec_module(eval_gate)

EXTRA = [
    "“Iraqi forces hold 8,151 sq km,” said Gen. Petrov. ISIS-held areas shrank; the SDF-led units held.",
    "between an estimated 1,500 and two thousand square kilometres, ~40 km² or 12k hectares",
    "roundabout 5 km2 and about 3 percent; IS is IS. THE ARMY HOLDS 30% OF IT. al-Shabaab drove ISIS out of 3 towns",
    "Kelvin \u212a and long \u017f aside, İstanbul’s 10 % — the junta ruled 2/3 of Rakhine state.",
]


def _sentences() -> list[str]:
    out = list(EXTRA)
    for case in eval_gate.load_cases("all"):
        out += [s.text for s in split_text(case["text"], case.get("title"))]
    return out


SENTENCES = _sentences()
LEXICONS = {
    "named": actors._NAMED, "acronyms": actors._ACRONYMS, "government": actors._GOVERNMENT,
    "anaphors": actors._ANAPHOR, "forces": actors._FORCES, "places": places._PLACES,
    "verbs": verbs.VERBS, "conditional": modality._CONDITIONAL, "historical": modality._HISTORICAL,
    "claimed": modality._CLAIMED,
}


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_lexicon_finds_what_the_alternation_finds(name: str) -> None:
    lexicon = LEXICONS[name]
    for text in SENTENCES:
        want = [(m.span(), m.lastgroup) for m in lexicon.pattern.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in lexicon.finditer(text)] == want, text
        first = lexicon.pattern.search(text)
        got = lexicon.search(text)
        assert (got.span() if got else None) == (first.span() if first else None), text


def test_branch_keys_cover_optional_and_alternative_starts() -> None:
    assert branch_keys(r"(?:the )?Taliban", re.I) == {"th", "ta"}
    assert branch_keys(r"hand(?:ed|s)? over", re.I) == {"ha"}
    assert branch_keys(r"\w+ly", re.I) is None  # unknown start: tried everywhere
    lexicon = Lexicon([r"(?P<a>\w+ly)", r"(?P<b>held)"], re.I)
    assert [m.group() for m in lexicon.finditer("It quickly held.")] == ["quickly", "held"]


@pytest.mark.parametrize("regex", ["AREA_RE", "SHARE_RE", "FRACTION_RE", "SETTLEMENT_RE", "BARE_CHANGE_RE"])
def test_quantity_starts_find_what_finditer_finds(regex: str) -> None:
    pattern = getattr(quantities, regex)
    # the one intended difference: a quantity never starts inside a word ("roundabout 5 km2")
    reference = re.compile(r"(?<![^\W\d_])(?:" + pattern.pattern + ")", pattern.flags)
    for text in SENTENCES:
        want = [m.span() for m in reference.finditer(text)]
        assert [m.span() for m in matches_at(pattern, text, quantity_starts(text))] == want, text
