"""Parties to a conflict: canonical names, their aliases (data), and finding them in text."""

from __future__ import annotations

import re
from typing import NamedTuple

from .lexicon import Lexicon

#: canonical name -> aliases (regex fragments, matched case-insensitively on word boundaries)
ACTOR_ALIASES: dict[str, list[str]] = {
    "Islamic State": [
        r"Islamic State(?: of Iraq and (?:the Levant|Syria|al-Sham))?(?: group)?",
        r"Daesh", r"Da'esh", r"Daish", r"ISIS[- ]Takfiri", r"Takfiri terrorists?",
        r"ISIS-K", r"ISKP",
    ],
    "Syrian government": [
        r"Syrian (?:government|regime|Arab) (?:forces|troops|army|soldiers)",
        r"Syrian Arab Army", r"Syrian (?:army|troops|forces|military|government|soldiers)",
        r"(?:Assad|regime|pro-government|pro-Assad|Damascus) (?:forces|troops|loyalists)",
        r"(?:the )?Assad regime", r"(?:the )?Syrian regime",
    ],
    "Syrian Democratic Forces": [r"Syrian Democratic Forces"],
    "Kurdish forces": [
        r"Kurdish (?:forces|fighters|militias?|troops|units|People's Protection Units)",
        r"Peshmerga(?: forces| fighters)?", r"People's Protection Units",
        r"Kurdish(?=-held|-controlled|-led|-run)",
    ],
    "Russia": [
        r"Russian (?:forces|troops|army|military|soldiers|units)", r"Russia", r"Moscow",
        r"Wagner(?: Group)?(?: mercenaries| fighters)?",
    ],
    "Ukraine": [
        r"Ukrainian (?:forces|troops|army|military|soldiers|units|defenders)",
        r"Ukraine", r"Kyiv", r"Kiev",
    ],
    "Taliban": [r"(?:the )?Taliban(?: fighters| militants| insurgents)?"],
    "al-Shabaab": [r"al[- ]Shabaab", r"al[- ]Shabab", r"Shabaab", r"Shabab"],
    "Iraqi forces": [
        r"Iraqi (?:government |security )?(?:forces|troops|army|military|soldiers|units)",
        r"Iraqi Counter[- ]Terrorism Service", r"Popular Mobili[sz]ation (?:Forces|Units)",
        r"Hashd al-Shaabi",
    ],
    "Hezbollah": [r"Hezbollah", r"Hizbollah", r"Hizballah", r"Hizbullah"],
    "Hayat Tahrir al-Sham": [
        r"Hay'?at Tahrir al-Sham", r"Tahrir al-Sham", r"(?:al-)?Nusra Front",
        r"Jabhat (?:al-)?Nusra", r"Jabhat Fateh al-Sham", r"al-Nusra",
    ],
    "Houthis": [
        r"Houthis?(?: rebels| forces| fighters| militia)?", r"Ansar ?Allah", r"Ansarullah",
    ],
    "Turkey": [r"Turkish (?:forces|troops|army|military|soldiers)", r"Turkey", r"Ankara"],
    "Syrian opposition": [
        r"Turkish-backed (?:rebels|forces|fighters|factions)", r"Free Syrian Army",
        r"Syrian National Army", r"Syrian (?:rebels|opposition)(?: forces| fighters)?",
        r"(?:the )?rebels", r"opposition (?:forces|fighters|factions)",
    ],
    "Afghan government": [
        r"Afghan (?:government |security |national )?(?:forces|troops|army|military|soldiers)",
        r"Afghan government",
    ],
    "Somali government": [r"Somali (?:government |national )?(?:forces|troops|army|military)"],
    "Boko Haram": [r"Boko Haram"],
    "Israel": [r"Israeli (?:forces|troops|army|military)", r"Israel Defen[cs]e Forces"],
    "Hamas": [r"Hamas"],
    "Libyan National Army": [r"Libyan National Army", r"Haftar(?:'s)? forces"],
    "Arakan Army": [r"Arakan Army"],
    "Myanmar military": [r"Myanmar(?:'s)? (?:military|army|junta)", r"(?:the )?junta"],
    "Rapid Support Forces": [r"Rapid Support Forces"],
}

#: case-sensitive acronyms -> canonical name
ACTOR_ACRONYMS: dict[str, str] = {
    "ISIS": "Islamic State", "ISIL": "Islamic State", "IS": "Islamic State",
    "SDF": "Syrian Democratic Forces", "QSD": "Syrian Democratic Forces",
    "YPG": "Kurdish forces", "YPJ": "Kurdish forces", "KRG": "Kurdish forces",
    "SAA": "Syrian government", "HTS": "Hayat Tahrir al-Sham", "FSA": "Syrian opposition",
    "ISF": "Iraqi forces", "PMF": "Iraqi forces", "PMU": "Iraqi forces",
    "ANDSF": "Afghan government", "ANA": "Afghan government", "IDF": "Israel",
    "LNA": "Libyan National Army", "RSF": "Rapid Support Forces", "AMISOM": "Somali government",
    "ISWAP": "Islamic State",
}

#: non-state armed groups (what "the militants" / "the terrorists" most likely refer to)
NON_STATE: frozenset[str] = frozenset({
    "Islamic State", "Taliban", "al-Shabaab", "Hayat Tahrir al-Sham", "Houthis", "Boko Haram",
    "Hamas", "Syrian opposition", "Arakan Army", "Rapid Support Forces", "Hezbollah",
})

#: country -> its government's canonical actor, for bare "government forces", "the army"
GOVERNMENT_OF: dict[str, str] = {
    "Syria": "Syrian government", "Iraq": "Iraqi forces", "Afghanistan": "Afghan government",
    "Somalia": "Somali government", "Ukraine": "Ukraine", "Russia": "Russia",
    "Israel": "Israel", "Turkey": "Turkey",
}
_GENERIC_GOVERNMENT = [
    r"(?:pro-)?government (?:forces|troops|soldiers)", r"the (?:army|military)",
    r"government-led forces", r"army troops", r"(?:the )?government",
]
#: anaphors resolved to the last non-state actor mentioned
_ANAPHORS = [
    r"the (?:terror(?:ist)? group|terrorists|militants|jihadists?|extremists|insurgents"
    r"|militant group|jihadist group|extremist group|group|militia|caliphate|takfiris)",
    r"(?:the )?terrorists", r"(?:the )?jihadists", r"(?:the )?militants",
]

#: "forces" anaphors resolved to the last state-side actor mentioned (else the government)
_FORCES_ANAPHORS = [r"the (?:troops|forces|soldiers)", r"security forces"]


class Mention(NamedTuple):
    """An actor mention in a sentence (start/end are offsets in the sentence)."""

    name: str
    start: int
    end: int
    kind: str = "name"  # name | government | anaphor | forces


_ALIASES: list[tuple[str, str]] = [(c, a) for c, al in ACTOR_ALIASES.items() for a in al]
_NAMED = Lexicon([f"(?P<a{i}>{a})" for i, (_, a) in enumerate(
    sorted(_ALIASES, key=lambda p: len(p[1]), reverse=True))], re.I)
_NAMED_CANON = [c for c, _ in sorted(_ALIASES, key=lambda p: len(p[1]), reverse=True)]
_ACRONYMS = Lexicon(sorted(ACTOR_ACRONYMS, key=len, reverse=True), before=r"(?<![\w])",
                    after=r"(?![a-z])")
_GOVERNMENT = Lexicon(_GENERIC_GOVERNMENT, re.I)
_ANAPHOR = Lexicon(_ANAPHORS, re.I)
_FORCES = Lexicon(_FORCES_ANAPHORS, re.I)


def find_actors(sentence: str, government: str | None = "Syrian government") -> list[Mention]:
    """All actor mentions in `sentence`, in order, without overlaps (named first).

    Generic government phrases resolve to `government` (with None they keep name "" and kind
    "government" for the caller to name); anaphors keep name "" and kind "anaphor" (a
    non-state group: "the militants") or "forces" ("the troops") for the caller to resolve
    from the discourse.
    """
    found = _names(sentence)
    for m in _GOVERNMENT.finditer(sentence):
        found.append(Mention(government or "", m.start(), m.end(), "government"))
    for m in _ANAPHOR.finditer(sentence):
        found.append(Mention("", m.start(), m.end(), "anaphor"))
    for m in _FORCES.finditer(sentence):
        found.append(Mention("", m.start(), m.end(), "forces"))
    return _without_overlaps(found)


def find_names(text: str) -> list[Mention]:
    """The named actors of `text` (aliases and acronyms; no generic phrases or anaphors)."""
    return _without_overlaps(_names(text))


def _names(text: str) -> list[Mention]:
    found: list[Mention] = []
    for m in _NAMED.finditer(text):
        idx = int(m.lastgroup[1:])  # type: ignore[index]
        found.append(Mention(_NAMED_CANON[idx], m.start(), m.end()))
    for m in _ACRONYMS.finditer(text):
        if m.group(0) == "IS" and not _is_actor_is(text, m.start()):
            continue
        found.append(Mention(ACTOR_ACRONYMS[m.group(0)], m.start(), m.end()))
    return found


def _without_overlaps(found: list[Mention]) -> list[Mention]:
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    for mention in found:
        if out and mention.start < out[-1].end:
            continue
        out.append(mention)
    return out


def _is_actor_is(sentence: str, pos: int) -> bool:
    """'IS' as the group, not an all-caps verb: require a lowercase neighbour sentence."""
    return not sentence[max(0, pos - 12): pos + 14].replace("IS", "").isupper()


def canonical(name: str) -> str | None:
    """Canonical actor for an alias or canonical name (None when unknown)."""
    if name in ACTOR_ALIASES:
        return name
    if name in ACTOR_ACRONYMS:
        return ACTOR_ACRONYMS[name]
    hits = find_actors(name)
    return hits[0].name if hits and hits[0].name else None
