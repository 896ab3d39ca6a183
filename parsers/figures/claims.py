"""A party's own claim: a figure about a party's gains or holdings, attributed to that party
itself ("the SDF says it has taken", "Baku said", "Russia's defence ministry said", "we have
liberated", "according to its own statements"), is `claimed`, not `asserted`."""

from __future__ import annotations

import re
from functools import lru_cache

from .actors import find_names
from .countries import countries, country_of_adjective, find_countries
from .parties import PARTIES

_SAY = (r"(?:said|says|say|announced|announces|claimed|claims|claim|told|tells|stated|states|declared"
        r"|declares|reported|reports|wrote|writes|added|insisted|insists|boasted|tweeted|posted|confirmed)")
#: "said <who>", "according to <who>": the attribution's speaker phrase follows
_SAY_AFTER_RE = re.compile(rf"(?:\b{_SAY}|\baccording\s+to)\s+")
_SAY_GATE_RE = re.compile(rf"\b{_SAY}\b|according to", re.I)
_SAY_AT_RE = re.compile(rf"\s+(?:also\s+|later\s+|further\s+)?{_SAY}\b")
_OWN_RE = re.compile(r"\b(?:its|their)\s+own\b|\b(?:it|they)\s+(?:had|has|have)\s+(?:\w+\s+)?(?:taken|captured|seized"
    r"|liberated|freed|retaken|recaptured)\b"
                     r"|\bthe\s+(?:group|movement|militia|alliance)\s+(?:says|said|claims|claimed)\b", re.I)
_WE_RE = re.compile(r"[\"“][^\"”]*\b(?:we|our (?:forces|troops|army|fighters|units|soldiers|defenders"
    r"|brigades?))\b[^\"”]*[\"”]", re.I)


@lru_cache(maxsize=1)
def _country_of_government() -> dict[str, str]:
    out = {c.government: c.name for c in countries().values()}
    out.update({name: p.country for name, p in PARTIES.items() if p.side == "state" and p.country})
    return out


def _country_of(actor: str) -> str | None:
    """The country whose state forces `actor` is (None for a non-state party)."""
    return _country_of_government().get(actor)


@lru_cache(maxsize=2048)
def _refers_to(who: str, actor: str) -> bool:
    """Whether a speaker phrase names the actor or, for state forces, its state."""
    if any(m.name == actor for m in find_names(who)):
        return True
    country = _country_of(actor)
    if not country:
        return False
    if any(m.country == country for m in find_countries(who)):
        return True
    words = re.findall(r"[A-Z][\w'’-]+", who)
    return any(country_of_adjective(w) == country for w in words)


#: a speaker who speaks for a state: "the defence ministry", "a military spokesman", "the army chief"
_OFFICIAL_RE = re.compile(
    r"\b(?:ministry|minister|military|army|armed forces|general|spokes(?:man|woman|person)|commander|president"
    r"|prime minister|government|officials?|command|chief|defen[cs]e|communication service|presidency|kremlin"
    r"|general staff|headquarters|state[- ](?:run\s+|owned\s+)?(?:news\s+agency|media|television|tv|broadcaster))\b",
    re.I)


@lru_cache(maxsize=256)
def _speakers(sentence: str) -> tuple[str, ...]:
    """The speaker phrases of a sentence's attributions ("X said", "said X", "according to X")."""
    out = []
    for m in _SAY_AT_RE.finditer(sentence):
        before = sentence[max(0, m.start() - 90): m.start()]
        who = re.split(r"[,;:.\"“”]", before)[-1].split(" that ")[0]
        who = re.split(r"\b(?:and|while|but|as)\b", who)[-1].strip()
        if len(who) >= 2:
            out.append(who)
    for m in _SAY_AFTER_RE.finditer(sentence):
        after = re.split(r"[,;:.\"“”]", sentence[m.end(): m.end() + 80])[0]
        if after.strip() and len(after.split()) <= 8 and not any(ch.isdigit() for ch in after):
            out.append(after.strip())
    return tuple(out)


def speakers_of(sentence: str) -> tuple[str, ...]:
    """The speaker phrases of a sentence's attributions ("Ukrainian officials say ...")."""
    return _speakers(sentence) if _SAY_GATE_RE.search(sentence) else ()


def claimed_by_actor(sentence: str, actor: str, figure_start: int, counterpart: str | None = None,
                     government: str | None = None) -> bool:
    """Whether the sentence attributes its figure to a side of it: the actor or the
    counterpart named, or (when either is the state of the country reported on) an official."""
    if _WE_RE.search(sentence):
        quote = next(m for m in _WE_RE.finditer(sentence))
        if quote.start() <= figure_start <= quote.end():
            return True
    if _OWN_RE.search(sentence):
        return True
    if not _SAY_GATE_RE.search(sentence):
        return False
    for who in _speakers(sentence):
        if _refers_to(who, actor) or counterpart and _refers_to(who, counterpart):
            return True
        if government and government in (actor, counterpart) and _OFFICIAL_RE.search(who):
            return True
    return False
