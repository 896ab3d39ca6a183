"""Finding the parties of a sentence, open-vocabulary.

Mentions are found by kind, most specific first, and overlaps go to the earlier kind:
1. known parties (`parties.PARTIES`: aliases and acronyms), and acronyms the article defines
   ("the Southern Transitional Council (STC)");
2. a country's forces: adjective or name + force noun ("Malian soldiers", "Yemen's army",
   "Azerbaijani troops"), built from the country data; "Syrian rebels" is that country's
   opposition;
3. named organisations: capitalised words ending in an organisation noun ("National Shield
   Forces", "Kachin Independence Army"), a capitalised word + fighter noun ("Tuareg
   rebels", "Maute group"), possessives ("the general's forces", "Haftar's troops"),
   "<X>-backed factions";
4. generic state forces ("the army", "the junta", "government forces", "state forces"),
   resolved by the caller to the government of the country the sentence or article is
   about; generic opponents ("the rebels", "the opposition", "resistance forces") and
   group anaphors ("the militants", "the group"), resolved to a party named earlier, else
   kept as their own clean name; "the troops" (the last state-side party named).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .countries import country_of_adjective, government_of, insurgents_of, opposition_of, state_actor_names
from .lexicon import Lexicon, branch_index
from .parties import AMBIGUOUS_ACRONYMS, LEADERS, PARTIES

#: canonical name -> aliases (regex fragments, case-insensitive): the known parties
ACTOR_ALIASES: dict[str, list[str]] = {name: list(p.aliases) for name, p in PARTIES.items()}
#: case-sensitive acronyms -> canonical name
ACTOR_ACRONYMS: dict[str, str] = {a: name for name, p in PARTIES.items() for a in p.acronyms}
#: known non-state parties
NON_STATE: frozenset[str] = frozenset(n for n, p in PARTIES.items() if p.side != "state")
#: non-state parties that are never the "liberator" of a place
JIHADIST: frozenset[str] = frozenset(n for n, p in PARTIES.items() if p.side == "jihadist")

#: nouns of armed state forces after a country adjective ("Malian soldiers")
_FORCE_NOUN = (r"(?:(?:government|security|armed|national|military|federal|special|regular|state"
               r"|ground|defen[cs]e|border|elite|allied)\s+)*(?:forces|troops|army|military|soldiers"
               r"|units|defenders|junta|government|regime|authorities|navy|marines|paratroopers"
               r"|servicemen|police|forces|battalions?|brigades?|militaries|armed forces|air force|divisions?"
               r"|regiments?|units?|corps|grouping|defence forces|defense forces|president|prime minister|leader"
               r"|defen[cs]e ministry|ministry of defen[cs]e|defen[cs]e minister|general staff|high command)")
_OPPOSITION_NOUN = r"(?:rebels|opposition(?: forces| fighters| groups| factions)?|insurgents|guerrillas|resistance)"
#: head nouns that end an organisation's name ("Kachin Independence Army")
_ORG_HEAD = (r"(?:Army|Forces|Force|Front|Movement|Council|Alliance|Brigades?|Militias?|Group|Organi[sz]ation"
             r"|Party|Committees?|Corps|Guards?|Battalions?|Units|Tigers|Coalition|Regiment|Division"
             r"|Resistance|Mobili[sz]ation|Shield|Emirate|Cartel|Commission|Administration)")
_CAP = r"[A-Z][\w'’.-]*"
#: a capitalised organisation name: up to six words (with "of", "for", "and", "the", "al-")
_ORG_RE = re.compile(
    rf"(?<![\w-])(?P<n>(?:{_CAP}|\d+)(?:\s+(?:of|for|and|the|de|du|al-|el-|{_CAP}|\d+)){{0,6}}?\s+{_ORG_HEAD})(?![\w-])")
#: a capitalised word (not a country's) + fighter noun: "Tuareg rebels", "Maute group"
_ARMED_COUNCIL_RE = re.compile(
    r"\b(?:Transitional|Military|Revolutionary|Shura|Liberation|Salvation|Resistance|Defen[cs]e|Sovereignty"
        r"|Mujahideen)\b")
_GROUP_RE = re.compile(
    rf"(?<![\w-])(?P<n>(?:{_CAP}\s+){{0,2}}{_CAP})\s+(?P<h>rebels|militants|fighters|insurgents|militias?"
    r"|guerrillas|separatists|forces|troops|group|jihadists|gangs?|paramilitaries|movement|army)(?![\w-])")
_POSSESSIVE_RE = re.compile(
    rf"(?<![\w-])(?P<n>(?:{_CAP}\s+){{0,2}}{_CAP})['’]s?\s+(?P<h>forces|troops|army|fighters|militias?|men"
    r"|loyalists|soldiers|military|units|generals|rulers)(?![\w-])")
#: "Kurdish-held", "Russian-occupied": the adjective names the holder
_HELD_BY_RE = re.compile(rf"(?<![\w-])(?P<n>{_CAP})(?=-(?:held|controlled|occupied|run|dominated)\b)")
_LOYAL_RE = re.compile(rf"\b(?:forces|troops|fighters"
    rf"|militias?)\s+loyal\s+to\s+(?:the\s+)?(?P<n>(?:{_CAP}\s+){{0,2}}{_CAP})")
_BACKED_RE = re.compile(
    rf"(?<![\w-])(?P<n>(?:{_CAP}|pro|anti)-(?:backed|led|supported|allied|aligned|government|junta|regime|Assad)"
    r"\s+(?:Syrian\s+)?(?:rebels|forces|force|fighters|factions|militias?|groups|troops|proxies|paramilitaries"
        r"|government(?: forces| troops)?))(?![\w-])")
_FUNCTION_WORDS = frozenset({
    "The", "In", "On", "At", "By", "As", "After", "Before", "Since", "During", "When", "While", "If",
    "But", "And", "Or", "For", "From", "With", "Under", "Over", "Of", "To", "A", "An", "This", "That",
    "These", "Those", "Its", "Their", "His", "Her", "Our", "It", "They", "We", "He", "She", "According",
    "Meanwhile", "However", "Now", "Then", "Some", "Many", "Most", "All", "Both", "Other", "Last",
    "Local", "Government", "Security", "Special", "Armed", "Pro", "Several", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November", "December", "Rebel",
    "Opposition", "Army", "Militant", "Islamist", "Jihadist", "Resistance", "Allied", "Ethnic",
    "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
    "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen", "Twenty", "Dozens",
    "Hundreds", "Thousands", "Scores", "Various", "Numerous", "Rival", "Remaining",
})
#: capitalised words that are not names of armed groups when before a fighter noun
_NOT_GROUP_WORDS = frozenset({"Islamist", "Jihadist", "Rebel", "Opposition", "Government", "Militant",
                              "Sunni", "Shia", "Shiite", "Christian", "Muslim", "Foreign", "Allied",
                              "Ethnic", "Armed", "Tribal", "Local", "Special", "Security", "Army", "Resistance",
                              "Regime", "Loyalist", "Junta", "State", "Federal", "Pro-government"})

_GENERIC_GOVERNMENT = [
    r"(?:the )?(?:pro-)?government(?:-led|-backed|-allied)? (?:forces|troops|soldiers|army|militias?|fighters|units)",
    r"(?:the )?(?:internationally[- ]recogni[sz]ed|UN-recogni[sz]ed|legitimate|official|exiled) government",
    r"the (?:military regime|military junta|military government|army|military|junta|regime|armed forces"
        r"|security forces|authorities|state|national army)",
    r"(?:junta|regime) (?:forces|troops|soldiers)", r"the (?:ruling |country's |army |military |junta['’]s )?generals",
    r"(?:state|security|federal|regime|army|junta|military|loyalist) (?:forces|troops|soldiers|units)",
    r"the (?:federal|national|regular|government) (?:army|military)",
    r"(?:his|her|the) administration", r"(?:his|her|its|their) government", r"(?:the )?(?:state|government)(?= "
        r"(?:control|hands|authority|rule)\b)",
    r"(?:the )?government(?!(?:-| )(?:territory|territories|areas?|lands?|side|lines|positions|held|controlled"
        r"|officials?|spokes\w+|sources|media|buildings?|offices?|critics))",
    r"(?:the )?state(?= (?:controls|holds|has|now|still|is)\b)",
    r"(?<=under )(?:army|military)(?= (?:control|rule)\b)",  # "back under army control"
    r"(?:the )?(?:national )?army(?= (?:has|have|had|is|was|now|also|recaptured|retook|captured|seized|liberated|took"
        r"|controls|holds|says|said|claims|claimed|announced|reports|reported))",
]
_GENERIC_OPPOSITION = [
    r"(?:the )?(?:rebel|opposition|insurgent)(?: and (?:Islamist|jihadist))? (?:factions|groups|fighters|movements)",
    r"(?:the )?(?:armed )?opposition(?: forces| fighters| groups| factions| militias)?",
    r"(?:the )?rebels?(?: forces| groups| fighters| factions| coalition| alliance)?",
    r"(?:the )?resistance(?: forces| fighters| groups)?", r"anti-(?:government|junta|regime) (?:forces|fighters|groups"
        r"|rebels)",
    r"(?:the )?(?:insurgents|guerrillas|separatists)",
    r"the (?:parallel|shadow|underground|rival) (?:civilian )?government",
    r"(?:the )?ethnic (?:[A-Z][\w-]+ )?(?:armed )?(?:alliance|armies|armed groups|armed organi[sz]ations|coalition"
        r"|resistance(?: groups| forces)?)",
    r"anti-(?:coup|government|junta|regime|Assad) (?:forces|fighters|groups|rebels|militias|resistance)",
    # "the forces fighting the junta": named by the side they fight
    r"(?:the )?(?:forces|groups|fighters|militias|armies) (?:fighting|battling|opposed to|opposing|resisting) the "
        r"(?:junta|regime|military|government|generals)",
]
#: generic criminal armed groups ("gangs", "drug cartels"): a named one, else the country's
_GENERIC_CRIME = [
    r"(?:the )?(?:armed |criminal |organi[sz]ed criminal |street )?gangs", r"(?:armed )?bandits",
    r"(?:the )?criminal (?:groups|gangs|organi[sz]ations|networks)",
    r"(?:the )?organi[sz]ed crime(?: groups)?", r"(?:the )?drug[- ]trafficking (?:organi[sz]ations|groups|gangs)",
    r"(?:the )?(?:drug )?cartels",
]
#: group anaphors resolved to the last non-state party named, else kept as written
_ANAPHORS = [
    r"the (?:terror(?:ist)? group|militant group|jihadist group|extremist group|armed group|group|militia"
    r"|caliphate|takfiris|movement|organi[sz]ation|alliance)",
    r"the [\w-]+-(?:linked|allied|affiliated|aligned|inspired) (?:terror(?:ist)? group|militant group|jihadist group"
    r"|group|movement|militia|organi[sz]ation|militants|fighters)",
    r"the (?:ethnic|rebel|insurgent|armed|allied|militant|jihadist) (?:army|armies|alliance|force|forces|group|groups"
        r"|militias?)",
    r"(?:these|those|the) (?:armed )?(?:groups|militias|factions)",
    r"(?:the )?(?:armed jihadist groups|jihadist groups|terrorist groups|armed groups|terrorists|jihadists|militants"
        r"|extremists|Islamists|insurgents|gunmen|paramilitaries)",
    r"the paramilitary(?: force| forces| group| militia)?",
    r"(?:the )?(?:Islamist|jihadist|extremist|Islamic|armed) (?:fighters|rebels|militants|insurgents|groups|militias"
        r"|factions)",
]
#: "the troops": the last state-side party named, else the government
_FORCES_ANAPHORS = [r"the (?:(?:two|three|both|allied|joint|combined) )?(?:troops|forces|soldiers|armies)",
                    r"(?:the )?(?:troops|soldiers)",
                    # "units on the southern axis regained ...": a commander's units, as a clause's subject
                    r"(?:^|(?<=[,;:] )|(?<=\bsaid )|(?<=\bthat )|(?<=\band ))(?:the )?units"
                    r"(?= (?:on|in|along|near|have|has|had)\b| (?!aligned|allied|linked|affiliated)\w+ed\b)"]
#: "the occupiers", "the enemy": the party named that is not the country's own forces
_ENEMY = [r"(?:the )?(?:occupiers|invaders|occupying forces|occupation forces|aggressor|enemy)",
          r"(?<=from )(?:the )?occupation", r"(?<=under )occupation"]
#: "its forces", "their fighters": the party named last, whatever its side
_ITS_FORCES = [r"(?:its|their|his) (?:own )?(?:forces|fighters|troops|units|men|soldiers|militias?|army)"]
#: "we have liberated": the speaker's party
_WE_RE = re.compile(r"(?<![\w-])[Ww]e(?![\w'-])")
#: group anaphors that name nobody when no party is named ("the group", "the movement")
_EMPTY_ANAPHORS = re.compile(r"^the (?:group|militia|movement|organi[sz]ation|caliphate)$", re.I)


class Mention(NamedTuple):
    """An actor mention in a sentence (start/end are offsets in the sentence).

    kind: name (a party, `name` canonical), government (generic state forces; `country` if
    the phrase names one), opposition / anaphor (generic opponents; `name` their clean
    surface, the caller may resolve them), forces ("the troops").
    """

    name: str
    start: int
    end: int
    kind: str = "name"
    surface: str = ""


_ALIASES: list[tuple[str, str]] = sorted(
    [(c, a) for c, al in ACTOR_ALIASES.items() for a in al], key=lambda p: len(p[1]), reverse=True)
_NAMED = Lexicon([f"(?P<a{i}>{a})" for i, (_, a) in enumerate(_ALIASES)], re.I)
_NAMED_CANON = [c for c, _ in _ALIASES]
_ACRONYMS = Lexicon(sorted(ACTOR_ACRONYMS, key=len, reverse=True), before=r"(?<![\w-])",
                    after=r"(?![A-Za-z\d])")
_GOVERNMENT = Lexicon(_GENERIC_GOVERNMENT, re.I)
_OPPOSITION = Lexicon(_GENERIC_OPPOSITION, re.I)
_CRIME = Lexicon(_GENERIC_CRIME, re.I)
_ANAPHOR = Lexicon(_ANAPHORS, re.I)
_FORCES = Lexicon(_FORCES_ANAPHORS, re.I)
_ITS = Lexicon(_ITS_FORCES, re.I)
_ENEMIES = Lexicon(_ENEMY, re.I)
#: "Full Name (ACR)" and "ACR (Full Name)"
_DEFINITION_RE = re.compile(rf"(?P<full>(?:{_CAP}|\d+)(?:\s+(?:of|for|and|the|al-|{_CAP}"
    rf"|\d+)){{1,7}})\s+\((?P<acr>[A-Z][A-Za-z0-9/-]{{1,7}})\)")
#: acronyms that are never parties
_NOT_PARTY_ACRONYMS = frozenset({
    "UN", "US", "UK", "EU", "AFP", "AP", "BBC", "CNN", "IHS", "ISW", "GDP", "NGO", "UNHCR", "OCHA",
    "ACLED", "TV", "AU", "NATO", "ICC", "WHO", "WFP", "IOM", "HRW", "SOHR", "USA", "CEO", "PM",
})


def find_definitions(text: str) -> dict[str, str]:
    """Acronyms an article defines: {"STC": "Southern Transitional Council"} (known parties
    keep their canonical name)."""
    out: dict[str, str] = {}
    if "(" not in text:
        return out
    for m in _DEFINITION_RE.finditer(text):
        full, acr = m.group("full"), m.group("acr")
        words = [w for w in re.split(r"\s+", full)]
        initials = "".join(w[0] for w in words if w[0].isupper() or w[0].isdigit())
        # the acronym's letters are the initials of the last words of the name
        letters = re.sub(r"[^A-Z0-9]", "", acr.upper())
        if not letters or not initials.upper().endswith(letters[: len(initials)]) \
                and letters[0] not in initials.upper():
            continue
        k = len(words)
        # keep the shortest tail of the name whose initials cover the acronym
        for j in range(len(words) - 1, -1, -1):
            tail = words[j:]
            if "".join(w[0] for w in tail if w[0].isupper() or w[0].isdigit()).upper().startswith(letters[:1]) \
                    and len([w for w in tail if w[0].isupper()]) >= min(len(letters), 2):
                k = j
                if "".join(w[0] for w in tail if w[0].isupper()).upper() == letters:
                    break
        name = " ".join(words[k:])
        while name.split() and name.split()[0] in _FUNCTION_WORDS:
            name = name.split(" ", 1)[1] if " " in name else ""
        if not name:
            continue
        known = canonical(name)
        if not known and not re.search(rf"\b{_ORG_HEAD}$|\b(?:Rebels|Militias?|Tigers|Guard|Army)$", name):
            continue  # "UN High Commissioner for Refugees (UNHCR)": not an armed party
        out[acr] = known or name
    return out


def find_actors(sentence: str, government: str | None = None,
                defined: dict[str, str] | None = None, country: str | None = None) -> list[Mention]:
    """All actor mentions in `sentence`, in order, without overlaps (more specific first).

    A generic government phrase ("the army") gets `government` as its name when given, else
    "" for the caller to resolve; generic opponents and group anaphors keep their clean
    surface as name, with kinds "opposition" / "anaphor".
    """
    sentence = sentence.replace("’", "'").replace("‘", "'")  # one apostrophe (same offsets)
    forces = _country_forces(sentence)
    coordinated = [m for m in forces if " and " in m.surface]
    tiers: list[list[Mention]] = [coordinated, _names(sentence, defined, country), forces, _open_names(sentence)]
    # "Other tribal fighters hold some 10 percent": other parties, by their own words
    # ("cartels and other gangs hold sway": one coordinated subject, left to the generic phrases)
    tiers.append([Mention(m.group("n"), m.start("n"), m.end(), "anaphor", m.group("n"))
                  for m in _OTHER_GROUP_RE.finditer(sentence)
                  if not re.search(r"(?:\band|\bor|,|\bwith|\bamong|\bby|\bfrom|\bagainst)\s*$", sentence[:m.start()])]
                 if "ther " in sentence else [])
    generic: list[Mention] = []
    for m in _GOVERNMENT.finditer(sentence):
        generic.append(Mention(government or "", m.start(), m.end(), "government", m.group()))
    for m in _OPPOSITION.finditer(sentence):
        generic.append(Mention(_clean(m.group()), m.start(), m.end(), "opposition", m.group()))
    for m in _CRIME.finditer(sentence):
        generic.append(Mention(_clean(m.group()), m.start(), m.end(), "crime", m.group()))
    for m in _ANAPHOR.finditer(sentence):
        generic.append(Mention(_clean(m.group()), m.start(), m.end(), "anaphor", m.group()))
    for m in _ITS.finditer(sentence):
        generic.append(Mention("", m.start(), m.end(), "its", m.group()))
    for m in _ENEMIES.finditer(sentence):
        generic.append(Mention("", m.start(), m.end(), "enemy", m.group()))
    if "e " in sentence:
        for m in _WE_RE.finditer(sentence):
            generic.append(Mention("", m.start(), m.end(), "we", m.group()))
    for m in _FORCES.finditer(sentence):
        generic.append(Mention("", m.start(), m.end(), "forces", m.group()))
    tiers.append(generic)
    return _without_overlaps(tiers)


def find_names(text: str, defined: dict[str, str] | None = None, country: str | None = None) -> list[Mention]:
    """The parties named in `text` (known, country forces and open-vocabulary names; no
    generic phrases or anaphors)."""
    text = text.replace("’", "'").replace("‘", "'")
    forces = _country_forces(text)
    coordinated = [m for m in forces if " and " in m.surface]
    return _without_overlaps([coordinated, _names(text, defined, country), forces, _open_names(text)])


def _names(text: str, defined: dict[str, str] | None, country: str | None = None) -> list[Mention]:
    found: list[Mention] = []
    for m in _NAMED.finditer(text):
        idx = branch_index(m)
        found.append(Mention(_NAMED_CANON[idx], m.start(), m.end(), "name", m.group()))
    for m in _ACRONYMS.finditer(text):
        if m.group(0) == "IS" and not _is_actor_is(text, m.start()):
            continue
        if m.group(0) == "AA" and not re.match(r"AA\b(?!\s*(?:battery|batteries|gun))", text[m.start():]):
            continue
        found.append(Mention(ACTOR_ACRONYMS[m.group(0)], m.start(), m.end(), "name", m.group()))
    for acr, by_country in AMBIGUOUS_ACRONYMS.items():
        if acr in text and not (defined and acr in defined):
            for m in re.finditer(rf"(?<![\w-]){acr}(?![\w-])", text):
                found.append(Mention(by_country.get(country) or by_country[None], m.start(), m.end(), "name", acr))
    if defined:
        for acr, name in defined.items():
            for m in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", text):
                found.append(Mention(name, m.start(), m.end(), "name", acr))
    return found


#: what follows a country's adjective or name when it names that country's forces
_FORCE_TAIL_RE = re.compile(
    rf"(?P<pos>['’]s)?\s+(?i:(?P<force>{_FORCE_NOUN})|(?P<opp>{_OPPOSITION_NOUN})"
    r"|(?P<held>(?:military\s+|de facto\s+)?(?:occupation|control|rule|hands|administration|sovereignty)"
    r"|footholds?|salients?|bridgeheads?))(?![\w-])")  # "the Ukrainian foothold in Kursk covered N": the holder
#: a word before a capital that makes it a place, not its government ("in Baghdad")
_PLACE_PREPOSITION_RE = re.compile(
    r"\b(?:in|to|from|near|of|around|at|into|outside|towards?|toward|via|between|and|across|inside|visiting|visited"
    r"|visit|reached|reaching|leaving|left|by)\s+$", re.I)
#: a word before a capital that makes it only a place, never a party ("visiting Moscow")
_AT_PLACE_RE = re.compile(r"\b(?:in|near|around|at|outside|inside|visiting|visited|via|towards?)\s+$", re.I)
#: "Turkish and Free Syrian Army forces": the first adjective's forces lead
_AND_FORCES_RE = re.compile(
    r"\s+and\s+(?:the\s+)?(?:[A-Z][\w'-]*\s+){1,4}(?i:forces|troops|soldiers|fighters)(?![\w-])")
#: "the Kabul government", "Baghdad-based authorities"
_CAPITAL_TAIL_RE = re.compile(
    r"(?:['’]s)?[\s-]+(?:(?:based|led|backed)\s+)?(?i:government|regime|authorities|forces|troops|army)(?![\w-])")
#: "Ukraine's territory": the country as a place, not as a party
_PLACE_TAIL_RE = re.compile(r"['’]s\s+(?:\w+\s+)?(?:territory|land|soil|side|border|borders|regions?|provinces?|map"
    r"|surface)\b")
_LEAD_RE = re.compile(r"(?:\b[Tt]he\s+)?(?:pro-)?$")
#: a capital naming a treaty, talks or a process, not a party: "the Oslo II arrangements", "the Minsk accords"
_CAPITAL_ATTRIBUTIVE_RE = re.compile(r"\s+(?:(?:I{1,3}|IV|V)\b|(?:accords?|agreements?|arrangements?|talks"
    r"|process|format"
    r"|summit|declaration|protocols?|memorandum|deal|peace|conference|negotiations)\b)")
#: "the army of the Democratic Republic of Congo"
_FORCES_OF_RE = re.compile(r"(?:\b[Tt]he\s+)?(?:army|armed forces|military|government|forces|troops"
    r"|soldiers)\s+of\s+(?:the\s+)?$", re.I)
#: "the Moroccan controlled areas": the adjective names the holder
_HELD_TAIL_RE = re.compile(r"[- ](?:controlled|held|occupied|run|administered)\b")


def _country_forces(text: str) -> list[Mention]:
    """A country's forces named by its adjective, name, people or capital."""
    from .countries import GOVERNMENT_NAMES, find_countries

    out: list[Mention] = []
    for cm in find_countries(text, plurals=True):
        lead = _LEAD_RE.search(text, max(0, cm.start - 8), cm.start)
        start = lead.start() if lead and lead.group() else cm.start
        gov = government_of(cm.country)
        if cm.kind == "name":
            of = _FORCES_OF_RE.search(text, max(0, cm.start - 30), cm.start)
            if of:
                out.append(Mention(gov, of.start(), cm.end, "name", text[of.start(): cm.end]))
                continue
        if cm.kind == "adjective" and _HELD_TAIL_RE.match(text, cm.end):
            out.append(Mention(gov, cm.start, cm.end, "name", text[cm.start: cm.end]))
            continue
        if cm.kind in ("adjective", "name", "capital"):
            m = _FORCE_TAIL_RE.match(text, cm.end)
            if cm.kind == "capital" and not (m and (m.group("pos") or m.group("force"))):
                m = None
            if m and m.group("held"):  # "under Russian occupation", "in Ukrainian hands"
                if cm.kind == "adjective":
                    out.append(Mention(gov, cm.start, cm.end, "name", text[cm.start: cm.end]))
                    continue
            elif m:
                name = opposition_of(cm.country) if m.group("opp") else gov
                out.append(Mention(name, start, m.end(), "name", text[start: m.end()]))
                continue
            if cm.kind == "adjective":
                m = _AND_FORCES_RE.match(text, cm.end)
                if m:
                    out.append(Mention(gov, start, m.end(), "name", text[start: m.end()]))
                continue
        if cm.kind == "capital" and _AT_PLACE_RE.search(text, max(0, cm.start - 12), cm.start):
            continue  # "a delegation visiting Moscow", "talks in Kabul": a place
        if cm.kind == "plural" or cm.kind in ("name", "capital") and GOVERNMENT_NAMES.get(cm.country) == cm.country:
            if cm.kind != "plural" and _PLACE_TAIL_RE.match(text, cm.end):
                continue
            out.append(Mention(gov, cm.start, cm.end, "name", text[cm.start: cm.end]))
            continue
        if cm.kind == "capital":
            m = _CAPITAL_TAIL_RE.match(text, cm.end)
            if m:
                out.append(Mention(gov, start, m.end(), "name", text[start: m.end()]))
            elif not _PLACE_PREPOSITION_RE.search(text, max(0, cm.start - 12), cm.start) \
                    and not _PLACE_TAIL_RE.match(text, cm.end) and text[cm.end: cm.end + 1] != "," \
                    and not _CAPITAL_ATTRIBUTIVE_RE.match(text, cm.end):
                out.append(Mention(gov, cm.start, cm.end, "name", text[cm.start: cm.end]))  # "Baghdad regained"
    return out


def _open_names(text: str) -> list[Mention]:
    """Organisation names, capitalised word + fighter noun, possessives, "X-backed" groups."""
    out: list[Mention] = []
    for m in _ORG_RE.finditer(text):
        name = _PROXY_LEAD_RE.sub("", _strip_lead(m.group("n")))  # "the Turkish-backed National Liberation Front"
        if re.search(r"\b(?:Council|Commission|Committee)$", name) and not _ARMED_COUNCIL_RE.search(name):
            continue  # "the North Atlantic Council", "the Security Council": no armed party
        if name and len(name.split()) >= 2:
            start = m.end("n") - len(name)
            out.append(Mention(canonical(name) or name, start, m.end("n"), "name", name))
    for m in _GROUP_RE.finditer(text):
        words = m.group("n").split()
        owner = country_of_adjective(re.sub(r"['’]s?$", "", words[-1])) \
            if re.fullmatch(r"[A-Z][\w-]*['’]s?", words[-1]) and words[-1][-1] in "s’'" else None
        settled = insurgents_of(owner) if owner and m.group("h") in _NON_STATE_HEADS else None
        if settled:  # "Haiti's gangs", "Mali's jihadists": the country's insurgents, by their settled name
            out.append(Mention(settled, m.start("n") + m.group("n").rindex(words[-1]), m.end(), "name", m.group()))
            continue
        while words and (words[0] in _FUNCTION_WORDS or country_of_adjective(words[0])):
            words.pop(0)
        if not words or any(w in _NOT_GROUP_WORDS or w.lower().startswith(("pro-", "anti-"))
                            or re.search(r"-(?:backed|led|supported|allied|aligned)$", w) for w in words) \
                or country_of_adjective(" ".join(words)):
            continue
        name = f"{' '.join(words)} {m.group('h')}"
        start = m.end() - len(name)
        out.append(Mention(canonical(name) or name, start, m.end(), "name", name))
    for m in _HELD_BY_RE.finditer(text):
        word = m.group("n")
        if word in _FUNCTION_WORDS:
            continue
        country = country_of_adjective(word)
        name = government_of(country) if country else canonical(word) or f"{word} forces"
        out.append(Mention(name, m.start(), m.end(), "name", word))
    for regex in (_POSSESSIVE_RE, _LOYAL_RE):
        for m in regex.finditer(text):
            words = m.group("n").split()
            while words and words[0] in _FUNCTION_WORDS:
                words.pop(0)
            if not words:
                continue
            who = " ".join(words)
            country = country_of_adjective(who)
            if country:
                name = government_of(country)
            else:
                # "militias loyal to Khalifa Haftar": a known leader's full name is his party's forces
                name = (canonical(f"{who}'s forces") or canonical(who)
                        or (LEADERS.get(words[-1]) if len(words) > 1 and words[-1] in LEADERS else None)
                        or f"{who}'s forces")
            start = m.start("n") + m.group("n").index(words[0]) if regex is _POSSESSIVE_RE else m.start()
            out.append(Mention(name, start, m.end(), "name", m.group()))
    for m in _BACKED_RE.finditer(text):
        surface = m.group("n")
        if re.match(r"pro-(?:government|junta|regime|Assad)", surface, re.I):
            continue  # generic: the government's side
        if re.search(r"\bgovernment(?: forces| troops)?$", surface):
            continue  # "the Saudi-backed government" is the state: a generic phrase
        known = canonical(surface)
        if not known and _GENERIC_HEAD_RE.search(surface):
            # "the US-backed force", "the Iranian-backed militias": a description of a party
            # named elsewhere, resolved like "the group"
            out.append(Mention(_clean(surface), m.start(), m.end(), "anaphor", surface))
            continue
        out.append(Mention(known or surface, m.start(), m.end(), "name", surface))
    if any(name in text for name in LEADERS):
        for m in _HELD_BY_LEADER_RE.finditer(text):
            # "remains in the hands of Marshal Khalifa Haftar": a known leader as the holder is his party
            if m.group("who") in LEADERS and not any(o.start <= m.start("n") < o.end for o in out):
                out.append(Mention(LEADERS[m.group("who")], m.start("n"), m.end(), "name", m.group("n")))
    return out


#: a known leader named as the holder ("in the hands of Marshal Khalifa Haftar", "held by Hemedti")
_HELD_BY_LEADER_RE = re.compile(
    r"\b(?:in\s+the\s+hands\s+of|held\s+by|controlled\s+by|under\s+the\s+control\s+of|ruled\s+by)\s+"
    r"(?P<n>(?:(?:Field\s+)?Marshal\s+|General\s+|Gen\.\s+|President\s+|warlord\s+|commander\s+)?"
    r"(?:[A-Z][\w'-]+\s+){0,2}(?P<who>[A-Z][\w'-]+))")


_NON_STATE_HEADS = frozenset({"rebels", "militants", "insurgents", "militias", "militia", "guerrillas", "separatists",
                              "jihadists", "gangs", "gang", "paramilitaries"})
_OTHER_GROUP_RE = re.compile(r"(?<![\w-])(?:[Oo]ther|[Rr]ival)\s+(?P<n>(?:[a-z][\w-]*\s+){0,2}(?:factions|groups"
                             r"|militias|fighters|rebels|insurgents|militants|tribes|clans|gangs))(?![\w-])")
_PROXY_LEAD_RE = re.compile(r"^[A-Z][\w]*-(?:backed|supported|sponsored|funded|armed|allied|aligned)\s+(?=[A-Z])")
_GENERIC_HEAD_RE = re.compile(r"\b(?:force|forces|fighters|militias?|alliance|coalition|groups|troops|proxies)$", re.I)


_LEAD_NOUNS = frozenset({"Units", "Unit", "Forces", "Troops", "Fighters", "Soldiers", "Members", "Commanders",
                         "Elements", "Parts", "Remnants", "Leaders", "Spokesman", "Head", "Chief"})


def _strip_lead(name: str) -> str:
    """Leading function words and "Units of (the)" off an organisation name."""
    words = name.split()
    while words:
        if words[0] in _FUNCTION_WORDS or words[0].lower() in ("of", "for", "and", "the"):
            words.pop(0)
        elif words[0] in _LEAD_NOUNS and len(words) > 2 and words[1] == "of":
            words = words[2:]
        else:
            break
    return " ".join(words)


def _clean(surface: str) -> str:
    """A generic phrase as an actor name: lower case, no article ("The rebels" -> "rebels")."""
    s = re.sub(r"^(?:the|a|an)\s+", "", surface.strip(), flags=re.I)
    return s.lower()


def _without_overlaps(tiers: list[list[Mention]]) -> list[Mention]:
    """Mentions of all tiers without overlaps: an earlier tier wins, then the longer one."""
    out: list[Mention] = []
    for tier in tiers:
        for mention in sorted(tier, key=lambda x: (x.start, -(x.end - x.start))):
            if any(mention.start < o.end and o.start < mention.end for o in out):
                continue
            out.append(mention)
    out.sort(key=lambda x: x.start)
    return out


def _is_actor_is(sentence: str, pos: int) -> bool:
    """'IS' as the group, not an all-caps verb: require a lowercase neighbour sentence."""
    return not sentence[max(0, pos - 12): pos + 14].replace("IS", "").isupper()


def is_state(name: str | None) -> bool:
    """Whether a canonical name is a state's forces."""
    if not name:
        return False
    party = PARTIES.get(name)
    if party:
        return party.side == "state"
    return name in state_actor_names()


def is_non_state(name: str | None) -> bool:
    """Whether a name is a non-state party (known, open-vocabulary or generic)."""
    return bool(name) and not is_state(name)


@lru_cache(maxsize=4096)
def canonical(name: str) -> str | None:
    """Canonical actor for an alias or canonical name (None when unknown)."""
    if not name:
        return None
    name = name.replace("’", "'").replace("‘", "'")
    if name in PARTIES:
        return name
    if name in ACTOR_ACRONYMS:
        return ACTOR_ACRONYMS[name]
    if name in state_actor_names():
        return name
    m = _NAMED.pattern.fullmatch(name) or _NAMED.pattern.fullmatch(re.sub(r"^the\s+", "", name, flags=re.I))
    if m:
        return _NAMED_CANON[branch_index(m)]
    found = _country_forces(name)
    if len(found) == 1 and found[0].start <= 4 and found[0].end == len(name):
        return found[0].name
    return None
