"""The extraction pipeline: sentences -> quantities -> governing verb -> roles -> Figures.

Actor convention (one rule for every verb): the actor is the party whose hold changes. When
the text names the side that gives territory up ("from ISIS", "ISIS lost", "ISIS-held",
"territory ISIL once held", "liberated from the terrorists"), the figure is that side's *loss*
with the taker as counterpart; only when no loser is named is it the taker's *gain*.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import NamedTuple

from ..figure import Figure, unit_for
from . import learned
from .actors import _EMPTY_ANAPHORS, JIHADIST, Mention, is_non_state, is_state
from .claims import claimed_by_actor, speakers_of
from .countries import country_of_adjective, find_countries, government_of
from .discourse import RELATIVE_RE as _RELATIVE_RE
from .discourse import Discourse
from .merge import merge_figures
from .modality import modality
from .patterns.verbs import (
    COPULA_VERBS,
    PASSIVE_PARTICIPLES,
    PASSIVE_RE,
    REDUCED_PASSIVE_RE,
    VERBS,
    classify_match,
    participle_class,
)
from .periods import find_period, past_year_in, years_back
from .places import find_places
from .quantities import Quantity, find_quantities, may_hold_quantity, period_parts
from .roles import Roles, find_roles, prefix_word
from .sentences import Sentence, split_text
from .speakers import SpeakerBook

_CLAUSE_RE = re.compile(
    r"\b(?:said|says|say|announced|announces|claimed|claims|reported|reports|stated|states|added|noted|notes?|declared"
    r"|estimated|estimates|believes|believe|insisted|insists|confirmed|confirms|argued|argues|explained|warned"
    r"|told\s+(?:\w+\s+){1,3}?)\s+that\b|;|\s[–—]\s|\s--\s|,?\s+(?:while|whereas|but|although|though|meanwhile)\s+|,\s+yet\s+|,\s+when\s+"
        r"|,\s+and\s+|\band\s+that\b"
    r"|,\s+(?:as|after|before|since)\s+"
    # a colon opening a clause of its own: "the state keeps ceding ground: no less than 70 % is now with gangs"
    r"|:\s+(?=[a-z0-9])"
    # a participle of saying with its own "that" clause: "..., announcing in a statement that four towns had fallen"
    r"|,\s+(?:announcing|saying|claiming|stating|reporting|adding|insisting)\s+(?:in\s+(?:\w+\s+){1,6}?)?that\b")
#: a non-restrictive relative clause (", which once held a third of Iraq,"): a clause of its
#: own, whose hedges and dates do not qualify the main clause's figures
_PRIOR_RE = re.compile(r"(?:\b(?:down|up)\s+from|\bcompared\s+(?:with|to)|\bfrom|,\s+against"
                       r"|,\s+(?:nearly\s+|almost\s+|more\s+than\s+)?(?:double|twice|triple|treble|half)"
                       r"\s+(?:the|that)\s+)\s*$", re.I)
_QUOTE_RE = re.compile(r"[\"“”]")
#: "..., the statement added." is an attribution, not the gain verb "added"
_SAID_ADDED_RE = re.compile(r"adds|added", re.I)
_CLAUSE_END_RE = re.compile(r"\s*(?:[.,;:!?\"”)]|$)")
#: "It controls six townships and has captured three towns": the sentence's "it" subject; also after
#: a time phrase ("In 2023 alone they took ...")
_IT_START_RE = re.compile(r"\s*(?P<it>It|They)\b")
#: a speaker reporting his side's doing: "a week earlier he had reported capturing 900 km2" (his side is
#: the actor the text last gave figures for)
_SPEAKER_REPORTS_RE = re.compile(r"\b(?P<it>[Hh]e|[Ss]he)\s+(?:had\s+|has\s+)?(?:also\s+)?(?:reported|claimed"
                                 r"|announced|boasted\s+of|spoke\s+of)\s+$")
_IT_RE = re.compile(r"(?:^|[,;]\s*|\b(?:and|that|which|when|as|after|since|while|says|said|claims|claimed|added"
                    r"|announced|reported|insists|insisted)\s+"
                    r"|\b(?:[Ss]ince|[Ii]n|[Bb]y|[Ll]ast|[Tt]his)\s+(?:[A-Z][a-z]+|\d{4}|year|month|week)\s+(?:alone\s+)?"
                    r"|\b(?:[Nn]ow|[Tt]hen|[Tt]oday|[Ss]o far|[Oo]verall|[Mm]eanwhile|later|earlier|ago)\s+)"
                    r"(?P<it>[Ii]t|[Tt]hey)\s+"
                    r"(?:and\s+(?:its|their)\s+allies\s+)?(?:\w+\s+)?(?:\w+\s+and\s+(?:\w+ly\s+)?)?$")


def _without(s: str, spans: list[tuple[int, int]]) -> str:
    """`s` with the `spans` blanked out (offsets kept)."""
    for a, b in spans:
        s = s[:a] + " " * (b - a) + s[b:]
    return s


def _verbs(s: str) -> list[_Verb]:
    """The territorial verbs of a sentence, less attributions ("the statement added.") and
    the noun "control" after another verb ("regained control of" is one verb)."""
    out: list[_Verb] = []
    for m in VERBS.finditer(s):
        word = m.group()
        if _SAID_ADDED_RE.fullmatch(word) and _CLAUSE_END_RE.match(s, m.end()):
            continue
        if _COPULA_RE.fullmatch(word) and not _INCREASE_RE.search(s, max(0, m.start() - 80), m.start()) \
                and not (_TOTALS_RE.fullmatch(word)
                         and _HELD_LAND_BEFORE_RE.search(s, max(0, m.start() - 60), m.start())):
            continue
        if _COVER_WORD_RE.fullmatch(word) and not _ZONE_BEFORE_RE.search(s, max(0, m.start() - 60), m.start()):
            continue  # "evacuation orders now cover two-thirds": no zone is held
        if word.lower().startswith("measure") and not _ZONE_MEASURES_RE.search(s, max(0, m.start() - 40), m.start()):
            continue  # "the island of Montreal, which measures 480 km2": a size; "its territory now measures"
        if word.lower() == "control" and out and not s[out[-1].end: m.start()].strip():
            out[-1] = out[-1]._replace(end=m.end())
            continue
        if word.lower() in ("clearing", "clearance") and re.match(r"\s+operations?\b", s[m.end():]):
            continue  # "their clearing operations on three barangays": a noun, nothing cleared yet
        if _NOMINAL_ING_RE.fullmatch(word) and s[max(0, m.start() - 4): m.start()].lower() == "the " \
                and s[m.end(): m.end() + 3] == " of":
            continue  # "taken over the running of 20 woredas": a noun
        cls = classify_match(m)
        # "the town had been freed together with 24 villages": passive wherever the quantity stands
        passive = cls in ("liberate", "gain") and _PARTICIPLE_RE.fullmatch(word) is not None \
            and _AUX_BEFORE_RE.search(s, max(0, m.start() - 30), m.start()) is not None \
            or cls == "liberate" and _CONTROL_RESTORED_RE.match(word) is not None
        out.append(_Verb(m.start(), m.end(), cls, passive))
    return out


#: a share occupied at a point in time is a stock ("at the peak of its advance Russia had occupied
#: more than a quarter of the country", "by April it had occupied 27 percent")
_HAD_BEFORE_RE = re.compile(r"\bhad\s+(?:\w+ly\s+)?$", re.I)
_AT_PEAK_RE = re.compile(r"\b(?:at\s+(?:the|its|their)\s+(?:\w+\s+)?peak|at\s+(?:the|its|their)\s+height)\b", re.I)
_CONTROL_RESTORED_RE = re.compile(r"control\s+(?:has|have|had|been|was|were)\b", re.I)
_NOMINAL_ING_RE = re.compile(r"running|holding|controlling|ruling|keeping|governing", re.I)
#: the head of a subject that is no party: people ("600,000 civilians remain trapped in the
#: western half") or a place ("the district covers 3,200 km2 and holds three towns")
_NONPARTY_SUBJECT_RE = re.compile(
    r"\b(?P<head>civilians|residents|people|families|inhabitants|refugees|households|district|province|governorate"
    r"|region|city|town|island|operation|offensive|campaign)\s+"
    r"(?:(?:\w+ly|now|still|also|are|is|were|was|believed|thought|said|to|remain|remains|already|only)\s+)*$", re.I)
#: a quantity's clause that adds contested ground to held ground ("either in insurgent hands
#: or in dispute", "hold or contest") or zones under evacuation orders: no control figure
_OR_CONTESTED_RE = re.compile(
    r"\bor\s+(?:are\s+|is\s+|being\s+|were\s+)?(?:contested|in\s+dispute|disputed|fought\s+over|fighting\s+over"
    r"|under\s+(?:threat|attack|pressure))\b"
    r"|\b(?:hold|holds|held|control|controls|controlled)\s+(?:\([^)]{1,30}\)\s+)?or\s+(?:contest|contests|contested"
    r"|dispute|disputed)\b"
    # "held by the army or covered by evacuation orders", "militarised or under evacuation orders"
    r"|\bor\s+(?:are\s+|is\s+|was\s+|were\s+)?(?:covered\s+by|under|subject\s+to|placed\s+under)\s+(?:\w+\s+)?"
    r"(?:evacuation|displacement)\s+(?:orders?|warnings?|zones?)|\bmilitari[sz]ed\s+(?:zones?\s+)?or\b",
    re.I)
#: a zone named by the orders to leave it ("the areas whose residents were ordered to leave"): nobody's hold
_ORDERED_OUT_RE = re.compile(r"\b(?:ordered|told|instructed|warned)\s+(?:[\w-]+\s+){0,2}to\s+(?:leave|evacuate|flee"
                             r"|move|relocate)\b|\bevacuation\s+(?:orders?|zones?|warnings?)\b", re.I)
#: verbs after which a share of a whole is the map, not a change ("90 % of the province is back
#: under state control", "two-thirds of Tigray had come under the army's control")
_PHRASE_END_RE = re.compile(r"[,;.](?!\d)")  # not the point of "57.5"
_EXCEPT_RE = re.compile(r"\b(?:except(?:\s+for)?|all\s+but|save\s+for|apart\s+from|other\s+than|bar)\s+(?:the\s+)?$",
                        re.I)
_OPENS_PHRASE_RE = re.compile(r"(?:^|[,;:]\s*|\band\s+)(?:the\s+(?:other|remaining|rest\s+of\s+the)\s+)?$", re.I)
_SINCE_RE = re.compile(r"\bsince\b", re.I)
_AUX_BEFORE_RE = re.compile(r"\b(?:(?:has|have|had)\s+been|was|were|is|are|been|being|(?:has|have|had)\s+become"
                            r"|became|becomes)\s+(?:\w+ly\s+)?$", re.I)
_PARTICIPLE_RE = re.compile(rf"(?:{PASSIVE_PARTICIPLES})", re.I)
_CHANGE_CLASSES = frozenset({"gain", "liberate", "loss", "fall", "cost"})
_WITH_BEFORE_RE = re.compile(r"(?:,\s*|\band\s+)with\s+(?:(?:more|less|fewer)\s+than\s+|about\s+|some\s+|over\s+"
                             r"|nearly\s+|roughly\s+|only\s+|just\s+|around\s+)?$", re.I)
#: a headline: every longer word capitalised, no closing full stop ("Israel Occupies 6,000 Acres in West Bank")
_HEADLINE_RE = re.compile(r"(?:(?:[A-Z\d][\w,.'’-]*|of|in|on|at|to|the|a|an|and|for|by|from|as)\s+){3,}[A-Z\d][\w'’-]*")
#: a finite passive after a reduced one ("held by the enemy were liberated")
_FINITE_PASSIVE_RE = re.compile(
    r"\s*by\s+(?:the\s+)?[\w'-]+(?:\s+[\w'-]+)?\s+(?:(?:have|has|had)\s+been|were|was|are|is)\s+(?:\w+ly\s+)?"
    rf"[\"“‘']?(?P<v>{PASSIVE_PARTICIPLES})\b", re.I)
_UNDER_CONTROL_GAIN_RE = re.compile(r"brought|bringing|brings|bring|put|puts|putting|placed|places|placing"
                                    r"|.*\bcontrol\b.*", re.I)
#: the target of an operation, not ground held ("the area targeted by the operation covers")
_TARGET_RE = re.compile(r"\b(?:targeted|target|aimed\s+at|meant\s+to|intended\s+to|planned|earmarked)\b", re.I)


def _prior(s: str, q: Quantity, verbs: list[_Verb], prev_end: int = 0) -> bool:
    """'down from N', 'compared with N', 'from N': an earlier value, unless the 'from' belongs
    to a verb ('driven from', 'withdrew from', 'cleared Daesh from N')."""
    m = _PRIOR_RE.search(s, max(0, q.start - 20), q.start)
    if not m:
        return False
    word_end = m.start() + len(m.group().rstrip())
    if any(v.end == word_end for v in verbs):
        return False
    if m.group().strip().lower() == "from":
        return not any(v.cls in ("gain", "liberate", "loss", "fall")
                       and max(prev_end, m.start() - 60) <= v.start < m.start() for v in verbs)
    return True


def _clause(sentence: str, pos: int, breaks: list[tuple[int, int]]) -> tuple[int, int]:
    """The clause around `pos`, between the clause `breaks` (spans of _CLAUSE_RE) of the sentence."""
    lo, hi = 0, len(sentence)
    for start, end in breaks:
        if end <= pos:
            lo = end
        elif start >= pos:
            hi = start
            break
    return lo, hi


class _Verb(NamedTuple):
    start: int
    end: int
    cls: str
    passive: bool = False


#: between a quantity and its own stative verb ("..., about ten neighbourhoods were still in the militants' hands")
_BARE_GAP_RE = re.compile(r"\s*(?:(?:now|still|already|\w+ly|is|are|was|were)\s+)*")


def _governing_verb(sentence: str, q: Quantity, verbs: list[_Verb], others: list[Quantity],
                    lo: int, hi: int) -> _Verb | None:
    """The verb a quantity depends on: a passive after it, else the nearest before it in its
    clause (then in the sentence), else the first after it in its clause."""
    window_end = min(hi, q.end + 90)
    # (an apposition restating it in another unit, "1 % of the country, 5,842 km2, has changed
    # hands", is no next quantity: the verb after both governs both)
    nxt = [o.start for o in others if o.start >= q.end and not _APPOSED_RE.fullmatch(sentence, q.end, o.start)]
    if nxt:
        window_end = min(window_end, nxt[0])
    after = sentence[q.end: window_end]
    # a passive of the quantity's own clause, not past a comma
    m = REDUCED_PASSIVE_RE.match(after) or PASSIVE_RE.search(re.split(r",(?!\d)", after)[0])
    if m and _TO_BE_RE.search(after, 0, m.start("v")):
        m = None  # "less than 1 % remains to be taken": what is still held, read below
    if m and re.search(r"\b(?:that|which|who)\b", after[: m.start("v")]):
        m = None  # "N % of the areas that were controlled by ISIL": a relative clause
        # "N % of the territory that was captured by the militants, has been secured": the
        # main verb follows the relative clause
        rel = _OF_REL_CLAUSE_RE.match(sentence, q.end)
        if rel:
            main = REDUCED_PASSIVE_RE.match(sentence[rel.end():])
            if main:
                start = rel.end() + main.start("v")
                return _Verb(start, rel.end() + main.end("v"), participle_class(main.group("v")), True)
    if m and participle_class(m.group("v")) == "control" and any(
            lo <= v.start and v.end <= q.start and v.cls in _CHANGE_CLASSES for v in verbs):
        m = None  # "recaptured 14 areas previously controlled by the insurgents": a modifier
    if m and participle_class(m.group("v")) == "control":
        main = _FINITE_PASSIVE_RE.match(after, m.end())
        if main and participle_class(main.group("v")) != "control":
            m = main  # "4,500 km2 held by the enemy were liberated": the finite verb governs
    if m:
        word = m.group("v")
        return _Verb(q.end + m.start("v"), q.end + m.end("v"), participle_class(word), True)
    right_after = [v for v in verbs if q.end <= v.start <= q.end + 14 and v.cls in ("held", "control", "fall")
                   and _BARE_GAP_RE.fullmatch(sentence, q.end, v.start)]
    if right_after and _OPENS_PHRASE_RE.search(sentence, max(0, q.start - 30), q.start):
        return right_after[0]  # "..., the other half is still the junta's": the quantity is its verb's subject
    if _WITH_BEFORE_RE.search(sentence, max(lo, q.start - 30), q.start):
        # ", with more than 115 firmly in government hands": the absolute phrase's own verb
        own_v = [v for v in verbs if q.end <= v.start < window_end and v.cls != "contest"]
        if own_v:
            return own_v[0]
    # adjectival "ISIS-held" describes a noun and "the territory it once held" is a relative
    # clause: neither governs a quantity after it
    verbs_before = [v for v in verbs if sentence[v.start - 1: v.start] != "-"
                    and not _REL_BEFORE_RE.search(sentence, max(0, v.start - 50), v.start)]
    before = [v for v in verbs_before if v.start < q.start and v.end <= q.end and v.start >= lo]
    if len(before) > 1 and _COVER_WORD_RE.fullmatch(sentence[before[-1].start: before[-1].end]) \
            and before[-2].cls != "control":
        before = before[:-1]  # "lost control of townships covering 86 %": the loss governs
    if before:
        return before[-1]
    # the quantity opens its clause: its verb follows ("..., and only 25 km2 remain in ...")
    after_v = [v for v in verbs if v.start >= q.end and v.start < hi
               and not _REL_WORD_RE.search(sentence, q.end, v.start)
               and not _ZERO_REL_RE.fullmatch(sentence, q.end, v.start)
               and not _OF_AREA_REL_RE.match(sentence, q.end, v.start)]
    if after_v and not nxt or after_v and after_v[0].start < nxt[0]:
        return after_v[0]
    before = [v for v in verbs_before if v.start < q.start and v.end <= q.end and q.start - v.end < 120]
    if before:
        return before[-1]
    after_v = [v for v in verbs if v.start >= q.end and v.start < hi]
    rel = _REL_WORD_RE.search(sentence, q.end, hi) or _ZERO_REL_RE.match(sentence, q.end, hi)
    if rel and len(after_v) > 1 and after_v[0].start > rel.start() and not nxt \
            and _MAIN_AFTER_REL_RE.match(sentence, after_v[0].end, after_v[1].start):
        return after_v[1]  # "nine villages that the M23 had conquered have been back under army control"
    return after_v[0] if after_v else None


#: a quantity restated in apposition: "1 % of the country, 5,842 km2, has changed hands"
_APPOSED_RE = re.compile(r"(?:\s+of\s+(?:the\s+)?[\w'’ -]{2,30}?)?\s*,\s*(?:or\s+)?"
                         r"(?:about\s+|some\s+|roughly\s+|around\s+)?")
#: a relative pronoun: "nine villages that the M23 had conquered"
_REL_WORD_RE = re.compile(r"\b(?:that|which|who)\b")
#: a relative clause with no pronoun: "nine villages [the rebels had seized] have come back"
_ZERO_REL_RE = re.compile(r"\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?\s+had\s+(?:\w+ly\s+)?")
_REL_EARLIER_GAIN_RE = re.compile(
    r"(?:\s+(?:in|around|near)\s+[^,;]{0,60}?)?\s+(?:that|which)\s+(?P<who>(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)\s+"
    r"had\s+(?:\w+ly\s+)?(?:conquered|captured|seized|taken|overrun|occupied)\b")
_STOCK_NOW_RE = re.compile(r",?\s+(?:and\s+|but\s+)?(?:now|today|currently|at\s+present)\s*,?\s*(?:it|this|that|the"
                           r"\s+(?:figure|share)\s+)\s*(?:is|stands\s+at|is\s+down\s+to)\s+(?:only\s+|just\s+|about\s+)?$",
                           re.I)
_PROGRESSIVE_RE = re.compile(r"\w+ing\b", re.I)
_AUX_PROGRESSIVE_RE = re.compile(r"\b(?:is|are|was|were)\s+(?:still\s+|now\s+|also\s+)?$", re.I)
_ALL_TAKEN_FROM_RE = re.compile(r"[^,;.]{0,40},\s+(?:all|most)\s+of\s+(?:it|them)\s+(?:\w+ly\s+)?"
                                r"(?:taken|seized|captured|won|wrested|retaken|recaptured)\s+from\s+(?:the\s+)?", re.I)
_TOOK_THEM_RE = re.compile(r"\b(?:had|has|have)\s+(?:\w+ly\s+)?(?:captured|seized|taken|overrun|occupied|conquered"
                           r"|lost|ceded)\s+(?P<them>them)\b", re.I)
_CARRY_HINT_RE = re.compile(r"\b(?:more|others?|another|a further|of them|the remaining|the other)\b"
                            r"|^\s*(?:Of|Out\s+of)\s+(?:these|those|them|which)\b"
                            r"|[A-Z][\w'’-]+\s+\(\d{1,4}\)"
                            # "monitors put the month's figure nearer 550": the figure before, estimated again
                            r"|\b(?:put|puts|putting|estimated?|estimates|reckons?|reckoned|pegged|places?|placed)\s"
                            r"[^.;]{0,40}?\b(?:figure|number|total|tally|estimate)\s+(?:at|near|nearer|closer|around)\b",
                            re.I)
#: what lies between a relative clause's verb and the main verb ("had conquered | have been back under")
_MAIN_AFTER_REL_RE = re.compile(r"\s*(?:(?:in|since|during|last|this)\s+\w+\s+)?(?:[^;]{0,80}?,\s*)?"
                                r"(?:have|has|had|are|is|were|was)?\s*$", re.I)
_OCCUPIED_RE = re.compile(r"occupied|occupying|seized|took", re.I)
#: "since January Moscow's army has occupied nearly 5,400 km2": ground taken this year, a gain
#: (a bare "since 2014" or "since February 2022" dates a holding)
_SINCE_THIS_YEAR_RE = re.compile(r"since\s+(?:the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+year|January|February"
                                 r"|March|April|May|June|July|August|September|October|November|December)\b"
                                 r"(?!,?\s+(?:19|20)\d\d)", re.I)
#: a day right before the verb dates an event: "the rebels on Sunday occupied five towns"
_DAY_BEFORE_VERB_RE = re.compile(r"\b(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday"
                                 r"|overnight)\s+(?:\w+ly\s+)?$")
_MONTH_IN_RE = re.compile(r"\b(?:(?i:in|within|over)\s+(?:less\s+than\s+|under\s+|just\s+|the\s+(?:past"
    r"|last)\s+)?(?:\d+|a|one|two|three)\s+(?:hours|days|weeks|months|day|week|month)\b"
                          r"|(?i:in|during|over|throughout)\s+(?:January|February|March|April|May|June|July|August"
                              r"|September"
                          r"|October|November|December|the\s+(?:past|last|first)\b)|during\b|last\s+(?:week|month|year"
                              r"|January"
                          r"|February|March|April|May|June|July|August|September|October|November|December)\b"
                              r"|this\s+(?:week|month|year)\b|\b(?i:between)\s+\d{1,2}\s+and\s+\d{1,2}\s+[A-Z][a-z]+\b"
                          r"|more\s+now\b|\bin\s+(?:19|20)\d\d\b)")
#: "shrank by 12,800 km2 to 78,000 km2": the value after "to" is what is left
_TO_RE = re.compile(r"\bto\s+(?:just\s+|only\s+|about\s+|around\s+|some\s+|roughly\s+|less\s+than\s+|under\s+)?$", re.I)
_ANNOUNCED_OCCUPATION_RE = re.compile(r"\b(?:announc|declar|order|complet)\w*\s+(?:the\s+)?occupation\s+of$", re.I)
_INCREASE_RE = re.compile(r"\b(?:increase|gains?|growth|advance|expansion)\s+(?:in|of)\b"
                          r"|\b(?:newly\s+)?(?:liberated|captured|recaptured|seized|freed|retaken|conquered)\s+"
                          r"(?:\w+\s+)?(?:area|region|territory|territories|land|ground)\b"
                          # "the ground (Russia) captured in that period exceeds N"
                          r"|\b(?:area|territory|territories|land|ground)\s+(?:(?-i:[A-Z])[\w'’-]+\s+)?(?:has\s+|had\s+"
                          r"|have\s+)?(?:liberated|captured|recaptured|seized|freed|retaken|conquered|gained|won)\b",
                          re.I)
#: a participle right after the ground it describes: "the ground captured in that period"
_GROUND_BEFORE_RE = re.compile(r"\b(?:the|this|that)\s+(?:\w+\s+)?(?:ground|territory|land|area)\s+$", re.I)
#: "N % of the area the insurgents once seized": a relative clause naming the former holder
_OF_AREA_REL_RE = re.compile(
    r"\s+of\s+(?:the|its|their|all)\s+(?:[\w-]+\s+)?(?:area|areas|territory|territories|land|lands|region|ground"
        r"|districts|towns|villages)"
    r"\s+(?:that\s+|which\s+)?(?:the\s+)?[\w'-]+(?:\s+[\w'-]+)?\s+(?:had\s+|has\s+|have\s+)?(?:once\s+|previously\s+"
        r"|first\s+|earlier\s+)?$", re.I)
_REL_BEFORE_RE = re.compile(
    r"\b(?:territory|territories|land|lands|area|areas|ground|region|towns|villages)\s+(?:that\s+|which\s+)?"
    r"(?:it|they|the\s+\w+|(?-i:[A-Z][\w-]*))\s+(?:had\s+|has\s+|have\s+)?(?:once\s+|previously\s+|formerly\s+"
        r"|first\s+)?"
    r"(?:used\s+to\s+)?$", re.I)
#: a relative clause on a quantity's noun, closed by a comma: "of (the) territory that was
#: captured by the militants, "
_OF_REL_CLAUSE_RE = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:that"
    r"|which)\s+[^,;.]{3,80},\s*")
_ZONE_MEASURES_RE = re.compile(r"\b(?:territory|caliphate|holdings|enclave|pocket|zone|salient|bridgehead)\s+"
                               r"(?:now\s+|still\s+|only\s+)?$", re.I)
_COVER_WORD_RE = re.compile(r"covers?|covering|covered|spans?|spanning|spanned|measures|measured", re.I)
#: a held zone before "covers" / "measures" ("its territory now measures", "the caliphate now covers")
_ZONE_BEFORE_RE = re.compile(r"\b(?:zones?|pockets?|strips?|enclaves?|salients?|bridgeheads?|footholds?|corridors?"
    r"|hamlets|farms"
    r"|caliphate|holdings"
    r"|districts"
                             r"|territory|territories|land|lands|area|areas|townships|villages|towns)\b")
#: contested ground counted ("the number of contested districts jumped from 10 to 132")
_CONTESTED_NP_RE = re.compile(r"\b(?:contested|disputed)\s+(?:districts|areas|territory|territories|towns|villages"
                              r"|zones|regions|land|settlements|townships)\b[^.;,]*$", re.I)
#: a held land as the subject of a copula ("Russian-occupied land now totals 116,165 km2")
_TOTALS_RE = re.compile(r"totals?|totalled|totaled|stands at|stood at", re.I)
_HELD_LAND_BEFORE_RE = re.compile(r"(?:^|(?<!\bin)(?<!\bof)(?<!\bfor)\s)(?:[\w'’]+-)+(?:occupied|held|controlled)\s+"
                                  r"(?:land|lands|territory|territories|areas?|ground)"
                                  r"\s+(?:now\s+|still\s+|currently\s+)?$", re.I)
_COPULA_RE = re.compile(COPULA_VERBS, re.I)
_AMOUNT_RE = re.compile(rf"covers?|covering|covered|amounts? to|amounted to|adds? up to|added up to"
                        rf"|{COPULA_VERBS}", re.I)
_COVER_RE = re.compile(r"covers?|covering|covered|spans?|spanning|spanned|amounts? to|amounted to", re.I)
_GAP_BEFORE_RE = re.compile(r"^(?:[^.;:()]{0,60}?)?(?:\s*\([^)]{1,30}\))?\s*(?:[,;]|,?\s+(?:and|while|whereas|but"
    r"|with))\s+(?:(?:while|whereas|and)\s+)?(?:the\s+)?(?:[\w.-]+-(?:backed|supported|led|aligned)\s+)?$", re.I)
_GAP_AFTER_RE = re.compile(
    r"^(?:\s*\([^)]{1,14}\))?\s*(?:(?:has|have|had|holds?|held|controls?|controlled|with|at|on|now|still|only|just"
        r"|around|about"
    r"|roughly|some|nearly|almost|over|under|more than|less than|close to|an estimated|another|a further"
    r"|barely|slightly|less|more|than|the\s+(?:other|remaining|last|rest\s+of\s+the))\s+)*$", re.I)


def _gapped_subject(s: str, q: Quantity, prev: Quantity | None, mentions: list[Mention],
                    verbs: list[_Verb]) -> Mention | None:
    """'X holds 63 percent, the Kurdish-led forces 26 percent and the rebels around 9': a
    party right before a quantity, with no verb of its own, is that quantity's subject."""
    if prev is None:
        return None
    for m in mentions:
        if prev.end <= m.start and m.end <= q.start and _GAP_AFTER_RE.match(s[m.end: q.start]) \
                and _GAP_BEFORE_RE.match(s[prev.end: m.start]) \
                and not any(prev.end <= v.start < q.start for v in verbs):
            return m
    return None


def _name(m: Mention | None) -> str | None:
    return m.name if m and m.name else None


def _decide(cls: str, passive: bool, roles: Roles, ctx: Discourse) -> tuple[str, str | None, str | None]:
    """(direction, actor, counterpart) with direction in controlled | gained | lost."""
    if cls in ("contest", "decree"):  # fought over, or placed under martial law: nobody's
        return "", None, None

    subject, agent, source = _name(roles.subject), _name(roles.agent), _name(roles.source)
    holder, recipient = _name(roles.holder), _name(roles.recipient)
    if cls == "outside":  # beyond the state's reach: the insurgents named ("under the sway of X"), else the country's
        taker = (holder if holder and not is_state(holder) else None) \
            or (subject if subject and not is_state(subject) else None) or ctx.insurgents() or ctx.group_referent()
        return ("controlled", taker, None) if taker else ("", None, None)
    if cls == "outstanding":  # still to be taken: the loser named ("cleared of X"), else the rival of the taker
        here = next((m.name for m in ctx.mentions(ctx.current) if m.name and is_state(m.name)), None)
        taker = subject if subject and subject not in (holder, source) else here or ctx.first_named_before()
        owner = source or holder or (_foe_of(taker) if taker and is_state(taker) else None) or ctx.insurgents()
        return ("controlled", owner, None) if owner else ("", None, None)
    if cls == "control":
        if roles.inner_holder and not agent:
            return "controlled", holder, None  # "the area under the control of ISIS had shrunk to"
        return "controlled", agent or subject or holder or ctx.first_named_before() or ctx.last_actor(False), None
    if cls == "held":  # "half of Lashio is with the MNDAA"
        owner = agent or _name(roles.obj)
        return ("controlled", owner, None) if owner else ("", None, None)
    if cls == "fall":  # "N villages came under the control of X", "fell to X"
        taker = agent or recipient or _name(roles.obj)
        if not taker:
            return "", None, None
        loser = source or (holder if holder != taker else None)
        return ("lost", loser, taker) if loser else ("gained", taker, None)
    if cls == "cost":  # "the offensive cost X N": X lost N
        loser = _name(roles.obj)
        if not loser:
            return "", None, None
        return "lost", loser, subject if subject != loser else None
    if cls == "shrink" and holder and (roles.inner_holder or not subject):  # "the area held by ISIS shrank by N"
        return "lost", holder, None
    if cls in ("loss", "shrink"):
        if passive:
            return "lost", holder or source or subject or ctx.last_actor(), agent
        return "lost", subject or holder or ctx.last_actor(False), recipient or agent
    if cls == "grow":  # "the area seized by Russian forces grew by N"
        taker = holder if roles.inner_holder or not subject else subject
        return "gained", taker or ctx.last_actor(False), source
    taker = agent if passive else subject
    loser = source or (holder if holder != taker else None)
    if loser is None and passive and cls == "liberate":
        loser = subject if subject != taker and not is_state(subject) else None
        if loser is None and taker is None and _FROM_PRONOUN_RE.search(ctx.sentences[ctx.current].text):
            loser = ctx.last_actor()  # "142 localities have been wrested from it": its loss
        if loser is None and taker is None:
            # "two more villages were liberated": nobody named; the liberator is the state
            # side named before, else it is the loss of the non-state side named before
            state = ctx.leader_party(ctx.current) or _speaker_state(ctx) or ctx.last_named_state() \
                or ctx.own_government()
            if state:
                return "gained", state, None
            loser = ctx.last_actor()
    if loser is None and taker is None and passive and cls == "gain":
        # "15,000 dunams seized under the guise of ...", "2,000 km2 were captured last month":
        # the taker is the speaker's party, else the topic of the sentence before
        taker = ctx.leader_party(ctx.current) or ctx.first_named_before() or ctx.own_government()
    if loser and not taker and passive and cls == "liberate" and _generic(loser):
        taker = ctx.last_named_state()  # "half of Mosul has been retaken from the militants"
    if loser and taker is None and passive and cls in ("gain", "liberate"):
        # "the RSF say four localities had been taken from the army": the speaking party took them
        lead = ctx.leader_party(ctx.current)
        if lead is None and _SAYS_RE.search(ctx.sentences[ctx.current].text):
            lead = ctx._subject_party(ctx.current)
        taker = lead if lead and lead != loser else None
    if loser and taker and _generic(loser) and not _generic(taker):
        return "gained", taker, loser  # "freed N villages from militants": the named taker's gain
    if loser and loser != taker:
        return "lost", loser, taker
    if taker:
        return "gained", taker, None
    return "", None, None


#: a pronoun the ground was taken from ("villages have been wrested from it"): the loser is named before
_FROM_PRONOUN_RE = re.compile(r"\b(?:wrested|taken|retaken|recaptured|freed|liberated|won back)\s+(?:back\s+)?from"
                              r"\s+(?:it|them)\b")
_SAYS_RE = re.compile(r"\b(?:say|says|said|announced|announcing|announces|claimed|claims|claiming|reported)\b")


_VERSUS_BEFORE_RE = re.compile(r"(?:,\s*|\b)(?:against|compared\s+(?:with|to)|versus|vs\.?|while)\s+$", re.I)
#: "against 56.8 % for the government", "against 52 percent held by the underground NUG"
_FOR_AFTER_RE = re.compile(r"\s+(?:of\s+(?:the\s+|its\s+)?\w+\s+)?(?:for|(?:held|controlled|run)\s+by)\s+"
                           r"(?:the\s+(?:[a-z][\w-]+\s+)?(?=[A-Z]))?")


def _versus_party(s: str, q: Quantity, mentions: list[Mention]) -> Mention | None:
    """'..., against 56.8 % for the government': the party the compared figure is given for."""
    if not _VERSUS_BEFORE_RE.search(s, max(0, q.start - 25), q.start):
        return None
    m = _FOR_AFTER_RE.match(s, q.end)
    if m is None:
        return None
    return next((p for p in mentions if p.name and m.end() <= p.start <= m.end() + 4), None)


#: "he added one more township", "added another 12 villages" to a tally of gains
_ADDED_MORE_RE = re.compile(r"\b(?:he|she|they|it|[A-Z][\w-]+)\s+(?:also\s+|then\s+|later\s+)?add(?:ed|s)\s+"
                            r"(?P<more>another\s+|a\s+further\s+)?$")
_WITH_GAP_RE = re.compile(r"[^.;]{0,40}?\b(?:together with|along with|as well as|and|plus)\s+")
_NO_VERB = _Verb(0, 0, "", False)
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
_EACH_IN_RE = re.compile(rf"\s+each\s+(?:in|at)\s+(?P<places>{_NAME}(?:\s*,\s*{_NAME})*,?\s+and\s+{_NAME})")


def _place_noun(text: str) -> str | None:
    """The kind of place a count names ("three townships" -> "townships"), if it names one."""
    m = re.search(r"\b([a-z]+(?:s|ies))\W*$", text.lower())
    return m.group(1) if m and m.group(1) not in ("two", "others", "more", "dozens", "tens") else None


def _speaker_state(ctx: Discourse) -> str | None:
    """The state an attribution of the current sentence speaks for ("Ukrainian officials say",
    "Iraqi authorities said"): its government."""
    if not ctx.sentences:
        return None
    for who in speakers_of(ctx.sentences[ctx.current].text):
        words = who.split()
        if len(words) >= 2 and words[0][:1].isupper():
            country = country_of_adjective(words[0])
            if country and country != words[0]:  # an adjective ("Ukrainian"), not the country's name
                return government_of(country)
    return None


def _rival_of(state: str) -> str | None:
    """The state a state is at war with in the reporting the country data knows (Russia: Ukraine)."""
    from .countries import OCCUPIER_OF

    return next((government_of(c) for c, occupier in OCCUPIER_OF.items() if occupier == state), None)


def _foe_of(state: str) -> str | None:
    """The state at war with a state, either side of an occupation (Russia: Ukraine; Ukraine: Russia)."""
    from .countries import OCCUPIER_OF

    return _rival_of(state) or next((o for c, o in OCCUPIER_OF.items() if government_of(c) == state), None)


def _generic(name: str) -> bool:
    """A party left as its own generic words ("militants", "terrorist groups")."""
    return name == name.lower()


#: a bare definite "the rebels": an anaphor of the rebel group just named, not a new party
_DEFINITE_REBELS_RE = re.compile(r"the (?:rebels|insurgents|guerrillas)", re.I)


def _resolve(mentions: list[Mention], ctx: Discourse, sentence: str) -> list[Mention]:  # noqa: C901
    """Generic mentions named: "the troops" after the last state-side party, "the militants"
    and "the rebels" after a non-state party named before (else their own clean name)."""
    out: list[Mention] = []
    for m in mentions:
        if m.kind == "we":  # the party the quote is attributed to, else the last one named
            later = [o.name for o in mentions if o.kind == "name" and o.start > m.end
                     and prefix_word(sentence, o) not in ("from", "against", "by", "to", "with", "of", "on")]
            earlier = [o.name for o in out if o.kind == "name"]
            name = ctx.leader_party(ctx.current) or (later[-1] if later else None) \
                or (earlier[-1] if earlier else None) or ctx.first_named_before() or ctx.last_actor(False)
            if not name:
                continue
            m = m._replace(name=name)
        elif m.kind == "enemy":  # "the occupiers": a party named that is not the country's own
            own = ctx.own_government() or ctx.government(ctx.current)
            speaker = ctx.leader_party(ctx.current)
            fallback = ctx.occupier()
            if speaker and is_state(speaker) and speaker != own:
                # "the enemy" in a Russian general's statement is Ukraine's army
                own, fallback = speaker, own if is_state(own) else _rival_of(speaker)
            others = [o.name for o in out if o.kind == "name" and o.name != own]
            name = (others[-1] if others else None) or ctx.last_other_than(own) or fallback
            if not name:
                continue
            m = m._replace(name=name)
        elif m.kind == "its":
            named = [o for o in out if o.kind == "name"]
            # "his"/"her" is a person's (a country's is "its": "Haftar said Libya measures ... and that
            # his army controls")
            personal = m.surface.lower().startswith(("his ", "her "))
            country = _last_country_before(sentence, m.start) \
                if _STATE_ITS_RE.search(m.surface) and not (personal and ctx.leader_party(ctx.current)) else None
            if country and (not named or named[-1].end < country[1]):
                name = government_of(country[0])  # "Burkina Faso ..., and its army controls"
            elif not named and personal and ctx.leader_party(ctx.current):
                name = ctx.leader_party(ctx.current)  # "General Syrskyi said his units had won back"
            else:
                name = named[-1].name if named else ctx.first_named_before() or ctx.last_actor(False)
            if not name:
                continue
            m = m._replace(name=name)
        elif m.kind == "forces":
            earlier = [o.name for o in out if is_state(o.name)]
            lead = ctx.leader_party(ctx.current) if not earlier else None
            # "Zelensky said the troops had regained ...": a state leader's own troops
            m = m._replace(name=earlier[-1] if earlier else lead if lead and is_state(lead) else ctx.last_state_actor())
        elif m.kind in ("anaphor", "opposition", "crime") and m.name \
                and _OTHER_BEFORE_RE.search(sentence, max(0, m.start - 20), m.start):
            pass  # "HTS runs three-quarters ... Other jihadist factions hold 5 %": others, by their own words
        elif m.kind in ("anaphor", "opposition", "crime"):
            earlier = [o.name for o in out if o.kind == "name" and is_non_state(o.name)]
            if m.kind == "crime":
                name = ctx.crime_referent()
            elif m.kind == "opposition":
                name = ctx.opposition_referent(earlier[-1] if earlier else None,
                                               definite=bool(_DEFINITE_REBELS_RE.fullmatch(m.surface.strip())))
            else:
                jihadist = bool(_JIHADIST_WORDS_RE.search(m.surface))
                # "the jihadists" default to the country's jihadists; "terrorists" is a label
                # one side gives the other, so it never does
                key = m.surface.strip().lower()
                if _EXAMPLES_AFTER_RE.match(sentence, m.end):
                    name = ctx.insurgents() or m.name  # "armed groups, among them the UPC": all of them
                elif earlier:
                    name = earlier[-1]
                elif key in ctx.anaphors and ctx.anaphors[key][0] >= ctx.current - 6:
                    name = ctx.anaphors[key][1]  # "the group" keeps meaning what it meant a few sentences ago
                else:
                    name = ctx.group_referent(bool(_SELF_JIHADIST_RE.search(m.surface)))
                if name and jihadist and name not in JIHADIST and name != name.lower():
                    # "jihadist groups" are no rebel army named earlier
                    name = ctx.insurgents(bool(_SELF_JIHADIST_RE.search(m.surface))) or None
                named_here = {o.name for o in mentions if o.kind == "name"
                              and prefix_word(sentence, o) in ("by", "against", "with")
                              and not re.search(r"(?:held|controlled|occupied|run|ruled|seized"
                                  r"|captured)\s+by\s+(?:the\s+)?$",
                                                sentence[max(0, o.start - 30): o.start])}
                if not earlier and name in named_here:
                    # "militants lost 90 % ... in an operation by Hezbollah": not Hezbollah
                    name = ctx.insurgents(bool(_SELF_JIHADIST_RE.search(m.surface))) if jihadist else None
                if name and name != name.lower():
                    ctx.anaphors[key] = (ctx.current, name)
            if not name:
                if _EMPTY_ANAPHORS.match(m.surface.strip()):
                    continue
                name = m.name
            m = m._replace(name=name)
        if _BACKED_BY_RE.search(sentence, max(0, m.start - 80), m.start):
            continue  # "troops backed by Russia and Iran": backers are no party to the figure (Proxies)
        out.append(m)
    return out


#: a party named as a backer after the party it backs ("troops backed by Russia and Iran",
#: "the LNA, supported by the United Arab Emirates and Egypt,")
_BACKED_BY_RE = re.compile(
    r"\b(?i:backed|supported|armed|funded|bankrolled|propped\s+up|aided|assisted|reinforced)\s+by\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*(?:\s+(?:coalition|allies|forces|troops|air\s+power|jets))?"
    r"(?:,\s+(?:the\s+)?|\s+and\s+(?:the\s+)?))*$")


_OTHER_BEFORE_RE = re.compile(r"(?<!\band\s)(?<!\bor\s)(?<!,\s)\b(?:other|rival|smaller|remaining)\s+$", re.I)
_STATE_ITS_RE = re.compile(r"\b(?:army|military|government|troops|soldiers|forces)\b", re.I)
_JIHADIST_WORDS_RE = re.compile(r"jihad|islamist|terror|takfiri|extremist", re.I)
#: a bracketed quantity right after a participle: "controlled (57.5 percent)"
_BRACKET_PARTICIPLE_RE = re.compile(r"\b(?P<v>controlled|held|occupied|disputed|contested|seized|captured)\s*\($", re.I)
_BRACKETS_THEN_BY_RE = re.compile(r"\s*\)(?:\s*(?:or|and)\s+\w+\s*\([^)]{1,30}\))*\s*by\s+(?:the\s+)?", re.I)
#: "X-controlled areas (on the east) (20 %)": the adjective's party holds the bracketed share
_HELD_NP_RE = re.compile(r"-(?:controlled|held|occupied|run)\s+(?:areas?|territory|territories|zones?|parts?"
                         r"|regions?)\b")
_PRESENCE_RE = re.compile(r"active (?:in|across)|operates? (?:openly |freely )?(?:in|across)|exerts? influence over"
                          r"|influence over|present (?:in|on|across|over)"
                          r"|(?:has|have|had|with|and) an? (?:physical |military |permanent |open |active "
                          r"|open and active )?presence in", re.I)
#: "present in only two barangays" of a besieged city: the last ground held, not reach
_ONLY_AFTER_RE = re.compile(r"\s+(?:only|just|merely)\b", re.I)
_PRONOUN_OBJECT_RE = re.compile(r"\s+(?:them|it)\b", re.I)
_COORDINATED_GAIN_RE = re.compile(r"\b(?:captured|seized|took|taken|overran|overrun|won|conquered|recaptured|retook"
                                  r"|retaken)\s+and\s+(?:\w+ly\s+)?$", re.I)
#: a restatement of the quantity before in another unit ("0.01 %, which translates to about 85 km2")
_APPOSITION_RE = re.compile(
    r"[^.;]{0,25}?,?\s*(?:which\s+(?:translates|amounts|corresponds|equates|is\s+equivalent)\s+to|or|i\.e\.|that\s+is"
    r"|in\s+other\s+words|equivalent\s+to|amounting\s+to)\s*(?:about|some|roughly|around|nearly|almost|just\s+over"
    r"|more\s+than|over)?\s*", re.I)
_STATIVE_FREE_RE = re.compile(r"\b(?:is|are|remains?|remained|was|were)\s+(?:now\s+|still\s+)?free\s+(?:of|from)$",
                              re.I)
#: the same state read on the participle "free" ("is free from X"), unless "now" makes it news
_STATIVE_FREE_AFTER_RE = re.compile(r"\b(?:is|are|remains?|remained|was|were)\s+(?:still\s+)?free\s+(?:of|from)\b",
                                    re.I)
#: an estimate: "put the government's share at", "estimates this strip at"
_PUT_AT_RE = re.compile(r"\b(?:put|puts|putting|placed|places|estimated?|estimates|reckons?|reckoned|assessed"
                        r"|pegged)\s+"
                        r"(?P<np>[^,.;:]{3,90}?)\s+at\s+(?:just\s+|about\s+|around\s+|roughly\s+|some\s+|almost\s+|nearly\s+"
                        r"|more\s+than\s+|less\s+than\s+|over\s+|under\s+)?$", re.I)
#: "Russia's share of Ukraine stood at", "the rebels' October haul came to": a party's estimate
#: named by a possessive noun phrase and a copula, read like "put ... at"
_STOOD_AT_RE = re.compile(
    r"(?P<np>\b[\w.'’-]+(?:\s+[\w.'’-]+){0,3}?['’]s?\s+(?:\w+\s+){0,2}?(?:share|portion|slice|haul|holdings|conquests"
    r"|tally|territory)(?:\s+(?:of|in)\s+(?:(?!\b(?:has|have|had|was|were|is|are|by|stood|came)\b)[^,.;:]){1,50}?)?)(?:\s+(?:now|then|still))?(?:\s+(?:stood|stands|came|comes"
    r"|amounted|amounts|added\s+up|adds\s+up|reached|totalled|totaled|totals|rose|fell|dropped|shrank|grew|was|is)"
    r"(?:\s+(?:at|to))?)?\s+(?:just\s+|about\s+|around\s+|roughly\s+|some\s+|almost\s+|nearly\s+|(?:just\s+|slightly\s+)?"
    r"(?:below|under|over|above)\s+|more\s+than\s+|less\s+than\s+)?$", re.I)
#: "the area Moscow had held since 2014 came to more than 43,000 km2": the holding a relative clause names
_HELD_NP_STOOD_RE = re.compile(
    r"(?P<np>\bthe\s+(?:area|territory|land|ground|part\s+of\s+\w+)\s+(?:that\s+|which\s+)?[\w'’. -]{2,40}?\s+"
    r"(?:had\s+|has\s+|have\s+)?(?:held|controlled|occupied)(?:\s+(?:since|before|in|until)\s+[^,.;]{1,25}?)?)"
    r"\s+(?:came|comes|amounted|amounts|stood|stands|totalled|totaled|totals|was|is)(?:\s+(?:to|at))?"
    r"\s+(?:just\s+|about\s+|around\s+|roughly\s+|some\s+|almost\s+|nearly\s+|more\s+than\s+|less\s+than\s+"
    r"|over\s+|under\s+)?$", re.I)
#: "the total ground recaptured by the rebels now stands at 9,000 km2": the party after "by" gained it
_GAINED_NP_STOOD_RE = re.compile(
    r"(?P<np>\bthe\s+(?:total\s+|overall\s+|combined\s+)?(?:area|territory|land|ground)\s+(?:\w+\s+)?"
    r"(?:freed|liberated|recaptured|retaken|regained|reclaimed|recovered)\s+by\s+(?:the\s+)?[\w'’. -]{2,40}?)"
    r"(?:\s+(?:now|so\s+far))?\s+(?:came|comes|amounted|amounts|stood|stands|totalled|totaled|totals|was|is)"
    r"(?:\s+(?:to|at))?\s+(?:just\s+|about\s+|around\s+|roughly\s+|some\s+|almost\s+|nearly\s+|more\s+than\s+"
    r"|less\s+than\s+|over\s+|under\s+)?$", re.I)
#: "alliances whose combined territory now exceeds half of the country": the antecedent holds it
_WHOSE_TERRITORY_RE = re.compile(
    r"\bwhose\s+(?:\w+\s+)?(?:territory|holdings|area|domain|turf)\s+(?:now\s+|still\s+|already\s+)?(?:(?:covers"
    r"|spans|amounts\s+to|tops|is|equals|makes\s+up)\s+(?:\w+\s+){0,2}?)?$"
    # the holding itself owned: "the SDF, whose roughly 30,000 km2 amounted to a sixth of the country"
    r"|\bwhose\s+$"
    r"|\bwhose\s+[^,;.()]{1,30}?\b(?:km2|km²|sq\.?\s*km|square\s+(?:kilometres|kilometers|miles))\s+"
    r"(?:amounted\s+to|amounts\s+to|came\s+to|comes\s+to|equalled|equaled|equals|made\s+up|makes\s+up"
    r"|represented|represents|accounted\s+for|accounts\s+for)\s+$", re.I)
#: loss verbs whose object is the ground given up ("villages vacated by X": X left them)
_LEFT_BY_RE = re.compile(r"vacated|abandoned|evacuated|ceded|surrendered|given up|relinquished|handed(?: over)?",
                         re.I)
_DROVE_BEFORE_RE = re.compile(r"\b(?:drove|drive|drives|driving|pushed|forced|chased|kicked|routed|expelled|ousted)"
                              r"\s+(?:the\s+)?$", re.I)
_OUT_AFTER_RE = re.compile(r"\s+(?:out|back)\b|\s+from\b")
_TOGETHER_WITH_RE = re.compile(r"\s*,\s*(?:together|along)\s+with\b[^;.]*|\s*,\s*(?:alongside|as well as)\b[^;.]*")
_PLACES_LOST_BUILDINGS_RE = re.compile(r"\s+(?:had\s+|have\s+|has\s+)?(?:lost|seen)\s+[^,.;]{0,30}?\b(?:their|its)\s+"
                                       r"(?:buildings|homes|houses|population|residents|inhabitants|people)\b", re.I)
_MAKE_UP_RE = re.compile(r"\b(?:together\s+)?(?:make|makes|made)\s+up\s+"
                         r"(?:about\s+|some\s+|roughly\s+|nearly\s+|almost\s+)?$"
                         r"|\b(?:together\s+)?(?:account|accounts|accounted)\s+for\s+(?:about\s+|some\s+|roughly\s+)?$",
                         re.I)
#: between a party and its "whose": nothing, or a short place phrase ("ethnic armies in the north, whose")
_WHOSE_GAP_RE = re.compile(r"[\s,]*|\s+(?:in|of|from|along|across)\s+[^,;.()]{1,30}?[\s,]*")
#: "the share of the Strip under army control": the estimate names the state's own forces
_OWN_CONTROL_NP_RE = re.compile(r"\bunder\s+(?:the\s+)?(?:army|military|government|state|regime|their|its)\s+control\b",
                                re.I)
#: the holder inside an estimate's noun phrase: "put the share of Ukraine under Russian control at"
#: (a party right after "under"/"in" and before "control"/"hands"), not the place it holds
_NP_HOLDER_BEFORE_RE = re.compile(r"\b(?:under|in)\s+(?:the\s+)?$", re.I)
_NP_HOLDER_AFTER_RE = re.compile(r"(?:['’]s?)?\s+(?:control|rule|occupation|hands)\b", re.I)
#: "Israeli officials put ...": the estimate comes from the holder's own side
_OWN_SIDE_SUBJECT_RE = re.compile(r"\b(?:officials?|ministry|spokes(?:man|woman|person)|army|military|command"
                                  r"|government)"
                                  r"\s+(?:has\s+|have\s+|had\s+)?$", re.I)
_REL_STOCK_RE = re.compile(
    r"\s+of\s+[^,.;]{0,50}?\s+(?P<rel>(?:that|which)\s+(?:is|are)\s+(?:now\s+|currently\s+|still\s+)?"
    r"(?:in\s+(?:the\s+)?|under\s+(?:the\s+)?(?:control\s+of\s+(?:the\s+)?)?|held\s+by\s+(?:the\s+)?"
    r"|controlled\s+by\s+(?:the\s+)?))[\w'’ -]{2,40}", re.I)
_BOTH_RE = re.compile(r"\s+of\s+both\s+(?:the\s+)?[A-Z][\w'’ -]{2,40}?\s+and\s+(?:the\s+)?"
                      r"(?P<second>[A-Z][\w'’-]*(?:\s+[A-Z\w][\w'’-]*){0,2})")
#: "26 of the 29 districts that X had overrun": the relative clause tells the whole's story, not the part's
_PART_OF_WHOLE_RE = re.compile(r"\s(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+['’]s\s+)?\d", re.I)
_REL_GAIN_RE = re.compile(r"\s+of\s+(?-i:[A-Z])[\w'’-]+(?:[\s-](?-i:[A-Z])[\w'’-]+)?\s+(?:that\s+|which\s+)?"
                          r"(?:it|they)\s+"
                          r"(?:had\s+|has\s+|have\s+)?(?:took|taken|captured|seized|won|gained|conquered|grabbed)\b",
                          re.I)
_DEMINING_TEXT_RE = re.compile(r"\b(?:mines|landmines|demining|de-mining|mine clearance|unexploded)\b", re.I)
_RESULT_NOMINAL_RE = re.compile(r"\b(?:led\s+to|leading\s+to|resulted\s+in|resulting\s+in|ended\s+with|culminated\s+in)"
                                r"\s+(?:the\s+)?$", re.I)
_ADVANCE_NOUN_RE = re.compile(r"(?:advance|advances|gains|progress)\b|changed hands", re.I)
_ITS_WORD_RE = re.compile(r"\b(?:its|their)\b", re.I)
_SHARE_NP_RE = re.compile(r"(?:its|their)\s+(?:\w+\s+)?(?:share|portion|part|holdings?|territory|area)\b", re.I)
_RATE_NP_RE = re.compile(r"\b(?:daily|weekly|monthly|average|rate|pace|per\s+day|a\s+day)\b", re.I)
_GAINS_NP_RE = re.compile(r"\b(?:gains|advances?|conquests|captures|haul|recovered|retaken|liberated|captured|seized"
                          r"|won|recaptured|freed|regained|reclaimed)\b",
                          re.I)
_FREED_NP_RE = re.compile(r"\b(?:freed|liberated|recaptured|retaken|won\s+back|recovered|wrested|taken|captured|seized)"
                          r"\s+from\s+(?:the\s+)?$", re.I)
#: a count that says it adds to another ("two other villages", "three more towns"): never the same claim
_DISTINCT_RE = re.compile(r"\b(?:other|more(?!\s+than)|further|additional|another)\b", re.I)
_TO_BE_RE = re.compile(r"\b(?:remains?|remained|left|yet)\s+to\s+be\s+$", re.I)
_EXAMPLES_AFTER_RE = re.compile(r",?\s+(?:among\s+them|including|such\s+as|notably)\b", re.I)
_SELF_JIHADIST_RE = re.compile(r"jihad|islamist", re.I)
#: a count broken into the places it names ("six villages, naming A, B and four in C"): the
#: parts after the list's opening word are no figures of their own
_PARTS_LIST_RE = re.compile(r"[,:(]\s*(?:naming|listing|among\s+them|including|namely|such\s+as|i\.e\.)\s[^;.]*$",
                            re.I)


def _last_country_before(sentence: str, pos: int) -> tuple[str, int] | None:
    """The last country named (not as an adjective) before `pos`, and where it ends."""
    found = [c for c in find_countries(sentence[:pos]) if c.kind in ("name", "capital")]
    return (found[-1].country, found[-1].end) if found else None


def _place(q: Quantity, places, used: list[Mention]) -> str | None:
    if q.place:
        return q.place
    free = [p for p in places if not any(u.start <= p.start < u.end for u in used)]
    if not free:
        return None
    return min(free, key=lambda p: abs(p.start - q.start)).name


def _figures_of(sent: Sentence, ctx: Discourse, speaker: str | None, base: dict,
                index: int, carry: str | None = None) -> list[Figure]:
    s = sent.text
    qs = find_quantities(s, carry)
    ctx.quantities = qs
    ctx.last_kind = next((q.kind for q in reversed(qs) if q.kind in ("settlements", "area")), None)
    ctx.last_count = next((s[q.start: q.end] for q in reversed(qs) if q.kind == "settlements"), None)
    if not qs:
        return _period_parts(sent, ctx, speaker)
    mentions = _resolve(ctx.mentions(index), ctx, s)  # only sentences with a quantity get here
    if any(m.kind == "government" for m in mentions):
        topic = ctx.foreign_topic_state(index, mentions)  # "... its troops took 389 km2. Over the year the army"
        if topic:
            mentions = [m._replace(name=topic) if m.kind == "government" and not ctx.leader_party(index) else m
                        for m in mentions]
    ctx.resolved = mentions
    it = None
    verbs = _verbs(s)
    places = find_places(s)
    if "by" in s:
        places = tuple(p for p in places if not _BACKED_BY_RE.search(s, max(0, p.start - 80), p.start))
    breaks = [m.span() for m in _CLAUSE_RE.finditer(s)]
    relatives = [m.span() for m in _RELATIVE_RE.finditer(s)] if "," in s else []
    period = find_period(s, ctx.published)
    out: list[Figure] = []
    resp = _respectively(s, qs, mentions, places)
    verb_of: dict[int, _Verb] = {}
    roles_of: dict[int, Roles] = {}
    decided: dict[int, tuple[str, str | None, str | None]] = {}
    for i, q in enumerate(qs):
        before = decided.get(i - 1)  # what the quantity before in the sentence was read as
        if i and q.kind == "settlements" and any(
                p.kind == q.kind and p.value > q.value and _PARTS_LIST_RE.search(s, p.end, q.start) for p in qs[:i]):
            continue  # "freed six villages ..., naming Arish, Doshulu and four settlements in Khojavend": a part
        if q.extra.get("named") and any(f.metric.startswith("settlements") and f.value == q.value
                                        for f in out + ctx.prev_figures):
            continue  # "captured three more towns ... seized the towns of A, B and C": the same places, named
        if q.extra.get("table"):
            # "Most are in Rutshuru (66), with Masisi at 20 and Lubero at 7": parts of the count before
            whole = next((f for f in reversed(out + ctx.prev_figures) if f.metric.startswith("settlements")
                          and f.value > q.value), None)
            if whole is not None:
                out.append(replace(whole, value=round(q.value, 4), qualifier="exact", value_max=None, place=q.place,
                                   sentence=s, extra={**whole.extra, "pos": (sent.order, q.start)}))
                decided[i] = (whole.metric.split("_")[1], whole.actor, whole.counterpart)
                verb_of[i] = _Verb(q.start, q.start, "partition")
            continue
        added = _ADDED_MORE_RE.search(s, max(0, q.start - 30), q.start) if q.kind == "settlements" else None
        tally = next((f for f in reversed(out + ctx.prev_figures) if f.metric == "settlements_gained"),
                     None) if added else None
        coordinated = added is None and i > 0 and q.kind == "settlements" \
            and verb_of.get(i - 1, _NO_VERB).cls == "added" and _WITH_GAP_RE.fullmatch(s, qs[i - 1].end, q.start)
        if coordinated:  # "... one more township, Bartaz, together with 48 villages": the same tally
            added, tally = _ADDED_MORE_RE.search(s, max(0, verb_of[i - 1].start - 30), verb_of[i - 1].end), out[-1]
        if added is not None and tally is not None and (coordinated or added.group("more")
                                                        or re.match(r"\S+\s+more\b", s[q.start:])):
            # "Since the offensive began his forces have taken 240 villages. In a second post he added
            # one more township": another gain for the same tally
            out.append(replace(tally, value=round(q.value, 4), qualifier=q.qualifier, value_max=None, sentence=s,
                               place=_place(q, places, []), extra={**tally.extra, "pos": (sent.order, q.start)}))
            decided[i] = ("gained", tally.actor, tally.counterpart)
            verb_of[i] = _Verb(added.start(), added.end(), "added")
            continue
        apposed = out[-1] if i and q.kind == "share" and qs[i - 1].kind == "area" and out \
            and out[-1].extra.get("pos") == (sent.order, qs[i - 1].start) \
            and _APPOSED_RE.fullmatch(s, qs[i - 1].end, q.start) else None
        if apposed is not None and not any(qs[i - 1].end <= v.start < q.start for v in verbs):
            # "the area Moscow had held came to more than 43,000 km2, about 7 percent of the country": the
            # same holding as a share
            direction = apposed.metric.split("_")[1]
            out.append(replace(apposed, metric=f"share_{direction}", unit=unit_for(f"share_{direction}"),
                               value=round(q.value, 4), qualifier=q.qualifier, value_max=None,
                               place=_place(q, places, []) or apposed.place, sentence=s,
                               extra={**apposed.extra, "pos": (sent.order, q.start)}))
            decided[i] = (direction, apposed.actor, apposed.counterpart)
            verb_of[i] = _Verb(q.start, q.start, "restate")
            continue
        vs_party = _versus_party(s, q, mentions) if i and out else None
        template = next((f for f in reversed(out) if f.metric.split("_")[0] == q.kind), None) if vs_party else None
        if vs_party is not None and template is not None and vs_party.name != template.actor:
            # "the Taliban controlled 13.3 % of the country, against 56.8 % for the government":
            # the same measure for another party
            out.append(replace(template, actor=vs_party.name, counterpart=None, value=round(q.value, 4),
                               qualifier=q.qualifier, value_max=None, sentence=s,
                               extra={**template.extra, "pos": (sent.order, q.start)}))
            decided[i] = (template.metric.split("_")[1], vs_party.name, None)
            verb_of[i] = _Verb(q.start, q.start, "versus")
            continue
        lo, hi = _clause(s, q.start, breaks)
        own = next(((a, b) for a, b in relatives if a < q.start < b), None)
        if own:  # a quantity inside ", which ... ," has that relative clause as its clause
            lo, hi = max(lo, own[0] + 1), min(hi, own[1] - 1)
        prior = not q.change and _prior(s, q, verbs, qs[i - 1].end if i else 0)
        flow = [f for f in out if f.metric.split("_")[0] == q.kind and not f.metric.endswith("controlled")]
        verb: _Verb | None
        if prior and flow and (i - 1) in verb_of:
            verb, change = verb_of[i - 1], None  # "took 1,246 km2, compared with 584 in 2023": a gain too
        elif (q.change or prior) and _CONTESTED_NP_RE.search(s, max(lo, q.start - 60), q.start):
            continue  # "the number of contested districts jumped from 10 to 132": nobody's holding
        elif q.change or prior:
            verb = _Verb(q.start, q.start, "control")
            change = q.change or "from"
        else:
            verb = _governing_verb(s, q, verbs, qs[:i] + qs[i + 1:], lo, hi)
            change = None
        if q.extra.get("number_of"):
            # "the number of villages retaken by the army has risen to 42": the change the count counts
            counted = [v for v in verbs if v.end <= q.start and v.cls in ("gain", "liberate", "loss", "fall")]
            if counted:  # ("towns captured by resistance forces": a passive participle)
                last = counted[-1]
                verb = last._replace(passive=True) if s.startswith(" by ", last.end) else last
        gapped = _gapped_subject(s, q, qs[i - 1] if i else None, mentions, verbs)
        if gapped is not None and (i - 1) in verb_of:
            verb = verb_of[i - 1]
        held_np = None
        stock = _REL_STOCK_RE.match(s, q.end)
        stock_holder = next((m for m in mentions if stock and stock.start("rel") <= m.start < stock.end()), None)

        put = None if q.extra.get("re_estimate") else _PUT_AT_RE.search(s, max(lo, q.start - 110), q.start)
        put_party = None
        if put is None and not q.change:
            stood = _STOOD_AT_RE.search(s, max(lo, q.start - 110), q.start) \
                or _HELD_NP_STOOD_RE.search(s, max(lo, q.start - 110), q.start) \
                or _GAINED_NP_STOOD_RE.search(s, max(lo, q.start - 110), q.start)
            if stood and any(stood.start("np") <= m.start < stood.end("np") and m.name for m in mentions):
                put = stood  # a possessive party names the holder (no party: read as usual)
        put_claim = False
        same_place: str | None = None
        losses_of: Mention | None = None
        if put and not q.change:
            # "Hadi had put the government's share at 80 percent", "put Russia's gains for the
            # year at almost 4,500 km2": the estimate's noun phrase names the party and the metric;
            # without a party ("putting the share at 40 %") it restates the figure before
            np = put.group("np")
            in_np = [m for m in mentions if put.start("np") <= m.start < put.end("np")]
            put_party = next((m for m in in_np if m.name and _NP_HOLDER_AFTER_RE.match(s, m.end)
                              and _NP_HOLDER_BEFORE_RE.search(s, max(0, m.start - 10), m.start)),
                             in_np[0] if in_np else None)
            if put_party is None and _OWN_CONTROL_NP_RE.search(np):
                # "Israeli officials put the share of the Strip under army control at 75 %": the
                # estimating side's own forces (the party named just before), else the government
                own_side = next((m for m in reversed(mentions) if m.name and m.end <= put.start() and
                            put.start() - m.end <= 40), None)
                name: str | None = own_side.name if own_side is not None else ctx.government(index)
                put_party = Mention(name, put.start("np"), put.start("np"), "anaphor") if name else None
                put_claim = own_side is not None or bool(_OWN_SIDE_SUBJECT_RE.search(s, max(0, put.start() - 40),
                                                                                 put.start()))
            if put_party is None and re.match(r"(?:its|their)\b", np, re.I):
                # "The SDF now controls close to a third; the Observatory puts its share at 27 %": the
                # holder of the figure before in the sentence, else "the officials put their tally at"
                name = before[1] if before and before[0] == "controlled" and _SHARE_NP_RE.match(np) else None
                if name and out and out[-1].actor == name:
                    same_place = out[-1].place  # the same holding estimated again: the same whole
                name = name or ctx.it_referent(np.lower().startswith("their"))
                put_party = Mention(name, put.start("np"), put.start("np"), "anaphor") if name else None
            gains_np = _GAINS_NP_RE.search(np)
            if put_party is None and gains_np and not _RATE_NP_RE.search(np) \
                    and not (before and before[0]):
                # "Zelensky put the ground recovered in the northeast at 2,000 km2": the speaker's
                # side (else the subject of the sentence before) gained it
                name = ctx.leader_party(index)
                put_claim = name is not None
                name = name or ctx.first_named_before()
                put_party = Mention(name, put.start("np"), put.start("np"), "anaphor") if name else None
            if _RATE_NP_RE.search(np) or put_party is None and not (before and before[0]):
                continue  # "put the average daily advance at 30 km2": a rate
            verb = _Verb(put.start("np"), put.start("np"), "gain" if _GAINS_NP_RE.search(np) else "control")
        part = None
        if s[max(0, q.start - 1): q.start] == "(":
            part = _BRACKET_PARTICIPLE_RE.search(s, max(0, q.start - 25), q.start)
            if part:  # "either controlled (57.5 %) or disputed (23.3 %) by the cartels"
                verb = _Verb(part.start("v"), part.end("v"), participle_class(part.group("v"))
                             if part.group("v").lower() not in ("disputed", "contested") else "contest", True)
            held_np = next((m for m in mentions if _HELD_NP_RE.match(s, m.end) and 0 < q.start - m.end <= 45), None)
        if verb is None or verb.cls == "control" and _PARTITION_RE.match(s):
            whole = _partition_whole(s, q, ctx.prev_figures)
            if whole is not None:
                # "Of that ground, 90 km2 lay around Vuhledar and 58 near Pokrovsk", "Five of the
                # villages fell on Saturday": parts of the figure before, its party and direction
                out.append(replace(whole, value=round(q.value, 4), qualifier=q.qualifier, value_max=None,
                                   place=_place(q, places, []) or whole.place, sentence=s,
                                   speaker=speaker or whole.speaker,
                                   period=period or whole.period,
                                   extra={**whole.extra, "pos": (sent.order, q.start)}))
                decided[i] = (whole.metric.split("_")[1], whole.actor, whole.counterpart)
                verb_of[i] = _Verb(q.start, q.start, "partition")
                continue
        total_to = _TOTAL_TO_RE.search(s, max(0, q.start - 120), q.start) if q.kind in ("area", "settlements") else None
        if (verb is None or verb.cls == "control" and verb.end <= lo
                or total_to is not None and verb.start < q.start
                or i > 0 and verb_of.get(i - 1, _NO_VERB).cls == "partition" and verb.end <= qs[i - 1].start) \
                and q.kind in ("area", "settlements") \
                and ((part_of_advance := _PART_OF_ADVANCE_RE.search(s, max(0, q.start - 60), q.start))
                     or _PERIOD_BRACKET_RE.search(s, max(0, q.start - 40), q.start)
                     or _PERIODS_WITH_RE.search(s, max(0, q.start - 110), q.start)
                     or _SLICE_RE.search(s, max(0, q.start - 40), q.start)
                     or _REST_SPREAD_RE.match(s)
                     or _TOTAL_TO_RE.search(s, max(0, q.start - 120), q.start)
                     or i and verb_of.get(i - 1, _NO_VERB).cls == "partition"
                     and _WITH_GAP_RE.fullmatch(s, qs[i - 1].end, q.start)
                     or _LIST_OPEN_RE.search(s, max(0, q.start - 6), q.start) and _IN_MONTH_RE.match(s, q.end)):
            # "tops the totals for August (470 km2) and September (450 km2)", "two-thirds of the October
            # advance, some 320 km2, lay in Donetsk": the same party's change, for another period or a part
            template = next((f for f in reversed(out + ctx.prev_figures) if f.metric in (f"{q.kind}_gained",
                                                                                        f"{q.kind}_lost")), None)
            if template is not None and q.value != template.value:
                part_place = _place(q, places, []) if part_of_advance else None
                out.append(replace(template, value=round(q.value, 4), qualifier=q.qualifier,
                                   value_max=None if q.value_max is None else round(q.value_max, 4),
                                   place=part_place or template.place, sentence=s, speaker=speaker or template.speaker,
                                   period=None, modality=template.modality,
                                   extra={**template.extra, "pos": (sent.order, q.start), "change": None}))
                decided[i] = (template.metric.split("_")[1], template.actor, template.counterpart)
                verb_of[i] = _Verb(q.start, q.start, "partition")
                continue
        if q.extra.get("re_estimate"):
            # "A blogger counts 700 km2 taken in May. Monitors put the month's figure nearer 550": the
            # same party's change or holding, estimated again by another source
            template = next((f for f in reversed(out + ctx.prev_figures) if f.metric.startswith(f"{q.kind}_")), None)
            if template is not None and q.value != template.value:
                out.append(replace(template, value=round(q.value, 4), qualifier=q.qualifier, value_max=None,
                                   sentence=s, speaker=speaker, modality="asserted",
                                   extra={**template.extra, "pos": (sent.order, q.start), "change": None}))
                decided[i] = (template.metric.split("_")[1], template.actor, template.counterpart)
                verb_of[i] = _Verb(q.start, q.start, "restate")
            continue
        restated = _RESTATE_RE.match(s) if i == 0 and ctx.prev_figures and q.kind in ("area", "share") else None
        if restated is not None and (verb is None or verb.cls == "control" and verb.start <= restated.end()
                                     or restated.group().rstrip().lower().endswith(("includes", "included"))
                                     and re.search(r",?\s+and\s+(?:\w+\s+){0,2}$", s[verb.end: q.start])):
            # "That includes Crimea, annexed in 2014, and some 80 percent of Donbas": another part of it
            whole = ctx.prev_figures[-1]
            if whole.metric.split("_")[0] in ("area", "share"):
                # "... occupy about 103,000 sq km of Ukraine. That works out to roughly 17% of the
                # country": the same holding (or change) in another unit; "That includes 80 % of Donbas"
                direction = whole.metric.split("_")[1]
                out.append(replace(whole, metric=f"{q.kind}_{direction}", unit=unit_for(f"{q.kind}_{direction}"),
                                   value=round(q.value, 4), qualifier=q.qualifier, value_max=None,
                                   place=_place(q, places, []) or whole.place, sentence=s,
                                   speaker=speaker or whole.speaker,
                                   extra={"pos": (sent.order, q.start)}))
                decided[i] = (direction, whole.actor, whole.counterpart)
                verb_of[i] = _Verb(q.start, q.start, "restate")
                continue
        if q.kind in ("area", "share") and not q.change \
                and _LOSSES_COME_TO_RE.search(s, max(lo, q.start - 80), q.start):
            # "the losses come to about 30 percent of the land IS controlled at its height": a loss
            verb = _Verb(q.start, q.start, "loss")
            loser = next((m for m in mentions
                          if m.name and re.match(r"(?:['’]s?)?\s+(?:territorial\s+)?loss", s[m.end:])), None)
            if loser is not None:  # "Al-Shabaab's losses ... come to": the possessor lost
                losses_of = loser
        rel_holder = None
        if q.kind in ("area", "settlements") and not q.change and " of " not in s[q.start: q.end] \
                and not (verb is not None and 0 <= q.start - verb.end <= 15):
            # (not "had taken 95 of the 120 km2 that IS held": the relative names the whole's holder)
            rel = _REL_HELD_AFTER_RE.match(s, q.end)
            rel_holder = next((m for m in mentions if rel and m.start == rel.start("who") and m.name), None)
            if rel_holder is not None and rel is not None:
                # "on top of the roughly 1,000 km2 Kyiv said it held": the relative clause's holder
                verb = _Verb(rel.start("v"), rel.end("v"), "control")
        whose = _WHOSE_TERRITORY_RE.search(s, max(0, q.start - 80), q.start) if not q.change and "whose" in s else None
        if whose is not None:
            # "ethnic armies, whose combined territory now exceeds half of the country": the antecedent holds it
            rel_holder = next((m for m in reversed(mentions) if m.name and m.end <= whose.start()
                               and _WHOSE_GAP_RE.fullmatch(s, m.end, whose.start())), None)
            if rel_holder is not None:
                verb = _Verb(whose.start(), whose.end(), "control")
        if q.kind == "settlements" and _PLACES_LOST_BUILDINGS_RE.match(s, q.end):
            continue  # "more than a dozen border villages had lost two-thirds of their buildings": damage
        make_up = _MAKE_UP_RE.search(s, max(lo, q.start - 30), q.start) if q.kind == "share" else None
        if make_up is not None:
            # "the two Russian-held regions make up 20 % of Georgia's territory": the holder the areas are named by
            holder_np = next((m for m in reversed(mentions) if m.name and m.end <= make_up.start()
                              and make_up.start() - m.end <= 80 and _HELD_NP_RE.match(s, m.end)), None)
            if holder_np is not None:
                held_np, verb = holder_np, _Verb(make_up.start(), make_up.end(), "control")
        if verb is None:
            continue
        verb_of[i] = verb
        later = [v.start for v in verbs if v.start >= max(verb.end, q.end) and not verb.passive]
        # parties inside another relative clause (", where the Russians are contesting every
        # metre,") play no role in this quantity's clause
        outside = [m for m in mentions if not any(a < m.start < b and not a < q.start < b for a, b in relatives)] \
            if relatives else mentions
        roles = find_roles(s, outside, verb.start, verb.end, lo, hi, q.start, q.end,
                           later[0] if later else None)
        if gapped is not None:
            roles = roles._replace(subject=gapped, inner_holder=False)
        if (i - 1) in roles_of and s[max(0, verb.start - 2): verb.start] == ", " \
                and s[verb.start: verb.end].split(" ")[0].endswith("ing") and roles_of[i - 1].subject is not None:
            # a participial clause (", retaking some 1,170 km2") shares the roles of the clause it hangs on
            prev = roles_of[i - 1]
            roles = roles._replace(subject=prev.subject, source=prev.source or roles.source, holder=prev.holder,
                                   inner_holder=False)
        if s[max(0, verb.start - 2): verb.start] == ", " and s[verb.start: verb.end].split(" ")[0].endswith("ing") \
                and verb.cls in ("gain", "liberate"):
            # "federal forces drove the Peshmerga out of Kirkuk, capturing about a fifth of ...": the
            # driver takes, the one driven out loses
            driven = next((m for m in mentions if m.name and m.end <= verb.start
                           and _DROVE_BEFORE_RE.search(s, max(0, m.start - 25), m.start)
                           and _OUT_AFTER_RE.match(s, m.end)), None)
            driver = next((m for m in reversed(mentions) if driven is not None and m.name and m.end <= driven.start
                           and m.name != driven.name), None)
            if driven is not None and driver is not None:
                roles = Roles(driver, None, driven, None, None)
        if roles.subject is not None and roles.subject.start < verb.start:
            # "the SDF, together with the civil authority they back, the AANES, still run a quarter":
            # the head before the parenthetical "together with ..." is the subject
            with_head = next((m for m in mentions if m.name and m.end <= roles.subject.start
                         and _TOGETHER_WITH_RE.fullmatch(s, m.end, roles.subject.start)
                         and re.fullmatch(r"[^,;.]*,\s*(?:\w+\s+){0,3}", s[roles.subject.end: verb.start])), None)
            if with_head is not None:
                roles = roles._replace(subject=with_head)
        if q.end <= verb.start and not s[q.end: verb.start].strip() and roles.agent is None \
                and verb.cls == "gain" and re.fullmatch(r"\w+(?:en|ed)", s[verb.start: verb.end]):
            # "captured 710 km2 in November, ... after the 725 km2 taken in November 2024": the same taker
            taker = next((f.actor for f in reversed(out) if f.metric == f"{q.kind}_gained"), None)
            if taker:
                same = Mention(taker, verb.start, verb.start, "anaphor")
                roles = Roles(same, same, None, None, None)
        if losses_of is not None:
            roles = Roles(losses_of, None, None, None, None)
        if put_party is not None:
            roles = Roles(put_party, None, None, None, None)
            if put is not None and prefix_word(s, put_party) == "from" \
                    and _FREED_NP_RE.search(s, put.start("np"), put_party.start):
                # "put the number of communities freed from Russian occupation at over 30": the
                # party freed from loses them to the speaker's side
                taker = ctx.leader_party(index) or (before[1] if before and before[0] == "gained" else None)
                roles = Roles(Mention(taker, put.start("np"), put.start("np"), "anaphor") if taker else None,
                              None, put_party, None, None)
                verb = _Verb(verb.start, verb.end, "liberate")

        if verb.cls == "control" and _ITS_WORD_RE.search(s, verb.start, verb.end) \
                and (roles.subject is None or roles.subject.start < lo):
            # "said ... and that the city was '100%' under its control": its is the sentence's subject
            topic = ctx._subject_party(index)
            if topic:
                roles = roles._replace(subject=Mention(topic, verb.start, verb.start, "anaphor"))
        if part is not None and verb.passive and roles.agent is None:
            # "controlled (57.5 %) or disputed (23.3 %) by the cartels": the agent after the brackets
            by = next((m for m in mentions if m.start > q.end and _BRACKETS_THEN_BY_RE.fullmatch(s, q.end, m.start)),
                      None)
            if by is not None:
                roles = roles._replace(agent=by)
        roles_of[i] = roles
        if roles.subject is None and not verb.passive:
            itm = _IT_RE.search(s[lo: verb.start]) or (_IT_START_RE.match(s) if not any(
                m.end <= verb.start for m in mentions) else None)
            gerund = s[verb.start: verb.end].endswith("ing")
            reporter = _SPEAKER_REPORTS_RE.search(s, lo, verb.start) if itm is None and gerund else None
            if reporter:
                name = ctx.last_actor()
                if name:
                    roles = roles._replace(subject=Mention(name, reporter.start("it"), reporter.end("it"), "anaphor"))
            if itm:
                earlier = [m.name for m in mentions if m.end <= lo + itm.start("it")]
                plural = itm.group("it").lower() == "they"
                name = earlier[-1] if earlier else ctx.it_referent(plural) or ctx.last_actor()
                if name:
                    it = Mention(name, lo + itm.start("it"), lo + itm.end("it"), "anaphor")
                    roles = roles._replace(subject=it)
        cls = verb.cls
        if cls == "loss" and roles.obj is not None and _OUT_OF_HANDS_RE.fullmatch(s, verb.start, verb.end) \
                and (roles.subject is None or roles.subject.end <= lo):
            roles = roles._replace(subject=roles.obj, obj=None)  # "slipped out of the hands of X": X lost
        if cls == "cost" and roles.obj is None and _COST_PLACE_RE.match(s, verb.end):
            # "raids by Islamic State-linked insurgents had cost the province nine villages": the
            # place's state loses; the raiders ("by X" in the subject) are the other side
            state_loser = ctx.government(index)
            if state_loser and state_loser != "government forces":
                roles = roles._replace(obj=Mention(state_loser, verb.end, verb.end, "anaphor"))
                if roles.subject is None:
                    raiders = [m for m in mentions if lo <= m.start and m.end <= verb.start
                               and prefix_word(s, m) == "by" and m.name != state_loser]
                    if raiders:
                        roles = roles._replace(subject=raiders[-1])
        if cls == "fall" and roles.recipient is None and roles.agent is None \
                and _PRONOUN_OBJECT_RE.match(s, verb.end):  # "75 more district centres had fallen to them"
            name = ctx.it_referent() or ctx.last_actor()
            if name:
                roles = roles._replace(recipient=Mention(name, verb.end, verb.end, "anaphor"))
        if cls in ("gain", "liberate") and _RESULT_NOMINAL_RE.search(s, max(0, verb.start - 25), verb.start):
            topic = ctx._subject_party(index)  # "... in the operation that also led to the liberation of five villages"
            if topic:
                roles = roles._replace(subject=Mention(topic, verb.start, verb.start, "anaphor"))
        if cls == "gain" and roles.subject is None and _ADVANCE_NOUN_RE.match(s, verb.start):
            taker = ctx.leader_party(index) or ctx.first_named_before()  # "In December the advance slowed to N"
            if taker:
                roles = roles._replace(subject=Mention(taker, verb.start, verb.start, "anaphor"))
        if cls in ("gain", "liberate") and roles.subject is None and roles.agent is None and not verb.passive \
                and _CAMPAIGN_BEFORE_RE.search(s, max(0, verb.start - 60), verb.start):
            # "Syrskyi reported a further push of three kilometres that added another 40 km2": the
            # campaign's side, its spokesman's party or the topic before
            taker = ctx.leader_party(index) or ctx.first_named_before()
            if taker:
                roles = roles._replace(subject=Mention(taker, verb.start, verb.start, "anaphor"))
        if cls == "control" and _COORDINATED_GAIN_RE.search(s, max(lo, verb.start - 25), verb.start):
            cls = "gain"  # "they had captured and held 125 more": the change governs
        if cls == "control" and _AMOUNT_RE.fullmatch(s[verb.start: verb.end]) \
                and _INCREASE_RE.search(s, max(lo, verb.start - 80), verb.start):
            cls = "gain"  # "the increase in territory occupied by X amounted to N"
            if roles.holder is not None:
                roles = roles._replace(subject=roles.holder)
            elif roles.subject is None:  # "the liberated area ... is N, Saree said": the speaker's or the topic's
                taker = ctx.leader_party(index) or ctx.first_named_before()
                if taker:
                    roles = roles._replace(subject=Mention(taker, verb.start, verb.start, "anaphor"))
        if cls in ("gain", "liberate") and roles.subject is None and roles.agent is None and roles.holder is None \
                and _GROUND_BEFORE_RE.search(s, max(lo, verb.start - 30), verb.start):
            # "the ground captured in that period exceeds N": the campaign's side, its spokesman's or the topic's
            taker = ctx.leader_party(index) or ctx.first_named_before()
            if taker:
                roles = roles._replace(subject=Mention(taker, verb.start, verb.start, "anaphor"))
        if cls in ("shrink", "grow") and i and _TO_RE.search(s, max(lo, q.start - 25), q.start):
            cls = "control"
        if cls == "control" and ((sent.is_title or _HEADLINE_RE.fullmatch(s)) and s[verb.start: verb.end].lower()
                                 in ("occupies", "seizes")
                                 or _ANNOUNCED_OCCUPATION_RE.search(s, max(lo, verb.start - 40), verb.end)):
            cls = "gain"  # a headline's "Israel Occupies 6,000 Acres"; "announced the occupation of"
        if cls == "control" and _OCCUPIED_RE.fullmatch(s[verb.start: verb.end]) and not verb.passive \
                and (period is not None and (not period.text.lower().startswith("since")
                                             or _SINCE_THIS_YEAR_RE.match(period.text))
                     or _MONTH_IN_RE.search(s, lo, hi)
                     or _DAY_BEFORE_VERB_RE.search(s, max(lo, verb.start - 30), verb.start)) \
                and not (q.kind == "share" and (_HAD_BEFORE_RE.search(s, max(lo, verb.start - 20), verb.start)
                                                or _AT_PEAK_RE.search(s, lo, hi))):
            cls = "gain"  # "Russian units occupied 133 km2 in March": a gain over a period
        if cls in ("control", "held") and not verb.passive \
                and _ORDERED_OUT_RE.search(s, max(lo, verb.start - 120), verb.start):
            continue  # "the areas whose residents Israel ordered to leave add up to two-thirds": no hold
        if cls in ("control", "held") and not verb.passive and q.start >= verb.end:
            head = _NONPARTY_SUBJECT_RE.search(s, max(lo, verb.start - 70), verb.start)
            if head and not any(m.start <= head.start("head") < m.end for m in mentions):
                continue  # "civilians remain trapped in ...", "the district ... holds three towns"
            if _COVER_WORD_RE.fullmatch(s[verb.start: verb.end]) and _TARGET_RE.search(s, max(lo, verb.start - 60),
                                                                                      verb.start):
                continue  # "the area targeted by the operation covers 3,200 km2"
        if cls in ("liberate", "gain") and not verb.passive and _PROGRESSIVE_RE.match(s, verb.start, verb.end) \
                and _AUX_PROGRESSIVE_RE.search(s, max(lo, verb.start - 25), verb.start):
            continue  # "were pushing the fighters out of three more villages": under way, not done
        if cls == "liberate" and (_STATIVE_FREE_RE.search(s, max(lo, verb.start - 20), verb.end)
                                  or _STATIVE_FREE_AFTER_RE.search(s, max(lo, verb.start - 20), verb.end + 6)):
            continue  # "86 % of the country is free from the BACRIM": a state, no change and no holder named
        if q.kind == "settlements" and _PRESENCE_RE.fullmatch(s[verb.start: verb.end]) \
                and not _ONLY_AFTER_RE.match(s, verb.end):
            continue  # "active in some 295 municipalities": present, not holding (CONVENTIONS.md "Presence")
        if q.kind == "share" and _PRESENCE_RE.fullmatch(s[verb.start: verb.end]) and any(
                qs[j].kind == "share" and decided[j][0] == "controlled" and j in verb_of
                and not _PRESENCE_RE.fullmatch(s[verb_of[j].start: verb_of[j].end]) for j in decided):
            continue  # "fully control just 4 %, though they operate openly across 70 %": reach beside a hold
        phrase_end = _PHRASE_END_RE.search(s, q.end)
        if part is None and _OR_CONTESTED_RE.search(s, min(verb.start, q.start),
                                                     phrase_end.start() if phrase_end else hi):
            continue  # (a bracketed share is its own participle's: "controlled (57.5 %) or disputed (23.3 %)")
        if cls == "loss" and roles.subject is None and roles.holder is None and roles.source is None \
                and roles.recipient is not None and roles.recipient.name and q.end <= verb.start \
                and _REDUCED_LOSS_RE.fullmatch(s, q.end, verb.end):
            # "nearly 5 percent of the country lost to the Taliban", "was lost to X": the side it was
            # taken from is the country's state (or the recipient's rival state)
            rival = ctx.government(index) if not is_state(roles.recipient.name) else _rival_of(roles.recipient.name)
            if rival and rival != roles.recipient.name and rival != "government forces":
                roles = roles._replace(subject=Mention(rival, verb.start, verb.start, "anaphor"))
        direction, actor, counterpart = _decide(cls, verb.passive, roles, ctx)
        if cls == "loss" and direction == "lost" and roles.recipient is not None and roles.recipient.name == actor:
            # "the loss of 20 % of their country's territory to Russia": the recipient did not lose it; the
            # country's government (else the recipient's rival) did
            states = [government_of(c.country) for c in find_countries(s, plurals=True)]
            home_state = next((g for g in states if g and g != actor), None) or ctx.government(index)
            giver = home_state if home_state and home_state not in (actor, "government forces") else _rival_of(actor)
            if giver:
                actor, counterpart = giver, roles.recipient.name
        if cls == "loss" and roles.agent is not None and roles.agent.name and q.end <= verb.start \
                and _LEFT_BY_RE.fullmatch(s[verb.start: verb.end]) and s.startswith(" by ", verb.end):
            # "deployed in 11 border villages vacated by Israeli forces": the one who left them lost them
            direction, actor = "lost", roles.agent.name
            counterpart = roles.subject.name if roles.subject is not None and roles.subject.name != actor else None
        if cls == "control" and _AMOUNT_RE.fullmatch(s[verb.start: verb.end]) and _CHANGE_NP_RE.match(s, lo) \
                and before and before[0] in ("gained", "lost"):
            # "The slide, nearly 5 % of the country lost to the Taliban, amounts to 19 districts": the
            # same change in another unit
            direction, actor, counterpart = before
        if prior and before and before[0] == "controlled":
            direction, actor, counterpart = before  # "holds less than a third, against more than 40 % in May"
        if direction in ("lost", "gained") and _EXCEPT_RE.search(s, max(lo, q.start - 25), q.start):
            # "drove Boko Haram out of every area except three local government areas": what it keeps
            keeper = actor if direction == "lost" else counterpart
            direction, actor, counterpart = ("controlled", keeper, None) if keeper else ("", None, None)
        if q.extra.get("lead") in ("the other", "the remaining", "the rest of the") and direction == "gained":
            direction = "controlled"  # "two of the 20 ..., the other 18 are back in army hands": a partition
        if before and before[0] and (
                _APPOSITION_RE.fullmatch(s, qs[i - 1].end, q.start) or put and put_party is None
                or before[0] == "controlled" and _STOCK_NOW_RE.search(s, qs[i - 1].end, q.start)):
            # ("30 % was in Russian hands before the counter-attack, and today it is 15 %": the same stock now)
            direction, actor, counterpart = before  # "by 0.01 %, which translates to about 85 km2"
        elif q.extra.get("elliptical") and before and (i - 1) in verb_of \
                and verb_of[i - 1].start == verb.start \
                and not (verb.cls in ("shrink", "grow") and _TO_RE.search(s, max(lo, q.start - 25), q.start)):
            # (not "shrank by 12,800 km2 to 78,000": the bare end figure is the holding left)
            direction, actor, counterpart = before  # "4,500 km2 were liberated in 2024, and another 600"
        elif before and before[1] and (i - 1) in verb_of and verb_of[i - 1].start == verb.start \
                and (gap_party := _gapped_party(s, qs[i - 1].end, q.start, mentions, verbs)) is not None:
            # "Baghdad's forces won back 6 % ..., and Kurdish fighters 2 %": the verb left out, another party
            gap_taker = roles_of.get(i - 1, roles).subject
            direction, actor, counterpart = before
            if before[2] and gap_taker is not None and gap_taker.name == before[2] and before[1] != gap_party:
                counterpart = gap_party  # the same loser, another taker
            elif gap_party != before[2]:
                actor = gap_party
        taken = _ALL_TAKEN_FROM_RE.match(s, q.end) if direction == "controlled" and actor else None
        loser = next((m for m in mentions if taken and m.start >= taken.end() - 1 and m.start - taken.end() <= 5),
                     None)
        if loser is not None and loser.name and loser.name != actor:
            # "holds 70 % of Derna, all of it taken from the DPF": the holding is the named loser's loss
            direction, actor, counterpart = "lost", loser.name, actor
        decided[i] = (direction, actor, counterpart)
        if direction == "controlled" and _REL_GAIN_RE.match(s, q.end):
            direction = "gained"  # "lets Azerbaijan keep the 15 to 20 % of Nagorno-Karabakh it took in the war"
        if direction == "gained" and s[verb.start: verb.end].lower().startswith("clear") \
                and _DEMINING_TEXT_RE.search(ctx.text):
            continue  # "hopes to have 820,000 hectares cleared" in a demining report
        if held_np is not None and direction in ("", "controlled"):
            direction, actor, counterpart = "controlled", held_np.name, None  # "the Polisario-controlled areas (20 %)"
        if q.kind == "share" and direction in ("gained", "lost") and (
                cls == "fall"
                or cls in ("gain", "liberate") and _UNDER_CONTROL_GAIN_RE.fullmatch(s[verb.start: verb.end])):
            # a share of a whole that comes under a party's control: the map (CONVENTIONS.md)
            direction, actor, counterpart = "controlled", (actor if direction == "gained" else counterpart), None
        if q.kind == "area" and i and qs[i - 1].kind == "share" and _WHOLE_GAP_RE.fullmatch(s, qs[i - 1].end, q.start):
            # "runs three-quarters of the roughly 9,000 km2 enclave held by the armed opposition": the
            # area is the share's whole, the stock of the party it is held by (else no figure)
            held_by = _HELD_BY_AFTER_RE.match(s, q.end)
            owner = next((m for m in mentions if m.start == held_by.end()), None) if held_by else None
            if owner is None or not owner.name:
                continue
            direction, actor, counterpart = "controlled", owner.name, None
        if rel_holder is not None:
            direction, actor, counterpart = "controlled", rel_holder.name, None
        if i in resp:
            actor = resp[i][0] or actor
        if not direction or not actor:
            continue
        metric = f"{q.kind}_{direction}"
        verb_pre = s[max(lo, verb.start - 45): verb.start] if not verb.passive else s[q.end: verb.start]
        if verb.passive:
            verb_pre = s[max(lo, q.start - 45): q.start] + " " + verb_pre
        clause = _without(s, [r for r in relatives if r != own])[lo:hi]
        mod = modality(clause, verb_pre, direction == "controlled",
                       past_year_in(clause, ctx.published), q.end - lo, min(verb.start, q.start) - lo)
        if change == "from" and direction == "controlled":
            mod = "historical"
        if mod == "asserted" and direction in ("gained", "lost") and years_back(clause, ctx.published) >= 2 \
                and not _SINCE_RE.search(clause):
            mod = "historical"  # "seizing a third of Iraq in 2014" told in 2019 (CONVENTIONS.md "Historical")
        if mod == "asserted" and put_claim and direction in ("gained", "controlled"):
            mod = "claimed"  # "Zelensky put the ground recovered at N": his own side's figure
        if mod == "asserted" and claimed_by_actor(s, actor, q.start, counterpart, ctx.government(index)):
            mod = "claimed"
        used = [m for m in mentions if m.name in (actor, counterpart)]
        place = resp[i][1] if i in resp and resp[i][1] else None
        if not place:  # a quantity's own whole ("of the city") first, then a holding estimated again
            found = _place(q, places, used)
            place = q.place and found or same_place or found
        extra = {k: v for k, v in {"share_of": q.share_of, "unit_text": q.unit_text or None,
                                   "change": change, "pos": (sent.order, q.start),
                                   "title": sent.is_title or None,
                                   "distinct": bool(_DISTINCT_RE.search(s, q.start, q.end)) or None,
                                   "noun": _place_noun(s[q.start: q.end]) if q.kind == "settlements"
                                   else None}.items() if v}
        fig = Figure(actor=actor, metric=metric, value=round(q.value, 4), unit=unit_for(metric),
                     qualifier=q.qualifier, value_max=None if q.value_max is None else round(q.value_max, 4),
                     counterpart=counterpart if counterpart != actor else None, place=place,
                     period=period if direction != "controlled" or change else None,
                     modality=mod, sentence=s, speaker=speaker, extra=extra, **base)
        if change == "from" and not q.change:
            fig.extra["change"] = "earlier"  # "up from N", "compared with N": no derived change
        out.append(fig)
        earlier_gain = _REL_EARLIER_GAIN_RE.match(s, q.end) if direction == "lost" and q.kind == "settlements" \
            and not _PART_OF_WHOLE_RE.search(s, q.start, q.end) else None
        if earlier_gain and any(m.name == actor and earlier_gain.start("who") <= m.start < earlier_gain.end("who")
                                for m in mentions):
            # "nine villages that the M23 had conquered are back under army control": the
            # relative clause also tells the loser's earlier gain
            out.append(replace(fig, metric=f"{q.kind}_gained", counterpart=None, modality="historical", period=None,
                               extra={**fig.extra, "pos": (sent.order, q.start + 1)}))
        each = _EACH_IN_RE.match(s, q.end) if q.kind == "settlements" else None
        if each:  # "two each in Jabrayil, Khojaly and Khojavend": the count once per place
            names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", each.group("places")) if n.strip()]
            out[-1] = replace(fig, place=names[0])
            out.extend(replace(fig, place=name, extra={**fig.extra, "pos": (sent.order, q.start + k)})
                       for k, name in enumerate(names[1:], 1))
        both = _BOTH_RE.match(s, q.end) if q.kind == "share" else None
        if both:  # "25 to 30 percent of both the Donetsk republic and the Zaporizhzhia region": one per place
            out.append(replace(fig, place=both.group("second").strip(),
                               extra={**fig.extra, "pos": (sent.order, q.start + 2)}))
        if stock_holder is not None and stock_holder.name and stock_holder.name != actor:
            # "win back the 40 % of the country that is currently in the jihadists' hands": the
            # relative clause also states the present map
            out.append(replace(fig, actor=stock_holder.name, metric=f"{q.kind}_controlled", counterpart=None,
                               modality="asserted", period=None, extra={**fig.extra, "pos": (sent.order, q.start + 1)}))
    return out


#: a sentence that splits the figure before into parts ("Of that ground, ...", "Of those, ...",
#: "Five of the villages fell on Saturday")
_PARTITION_RE = re.compile(r"\s*(?:(?:Of|Out\s+of)\s+(?:that|this|those|these|them|which|the\s+total"
                           r"|the\s+(?:[\w-]+\s+)?(?:ground|territory|area|land|gains?|total|villages|towns|settlements|localities))\b"
                           r"|[\w-]+\s+of\s+(?:the|those|these|them)\b(?:\s+(?:villages|towns|settlements|localities"
                           r"|districts|hamlets|communities))?(?=\s+(?:fell|were|had|have|lay|lie|are|came|went)\b))",
                           re.I)


_OUT_OF_HANDS_RE = re.compile(r"(?:slip\w*|fell|fallen|falls|passed)\s+(?:out\s+of|from)", re.I)
#: a reduced relative after a count: "the 1,000 km2 Kyiv said it held", "the 30 villages the army holds"
_REL_HELD_AFTER_RE = re.compile(r"\s+(?:that\s+|which\s+)?(?:the\s+)?(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+"
                                r"(?:(?:said|says|claimed|claims|reported)\s+(?:it|they)\s+|(?:now|still)\s+)?"
                                r"(?P<v>held|holds|hold|controlled|controls|control|occupied|occupies)\b")
_CAMPAIGN_BEFORE_RE = re.compile(r"\b(?:push|advance|offensive|counter-?offensive|operation|assault|incursion|raid"
                                 r"|drive|thrust)\b[^,;.]{0,40}?,?\s+(?:that|which)\s+(?:has\s+|had\s+|have\s+)?"
                                 r"(?:also\s+|now\s+|so\s+far\s+)?$"
                                 # the campaign as the subject: "A fresh offensive in Bay had already freed six more"
                                 r"|(?:^|[,;]\s+|\band\s+)(?:an?|the|this|that|its|their)\s+(?:[\w-]+\s+){0,2}?"
                                 r"(?:push|advance|offensive|counter-?offensive|operation|assault|drive|thrust)"
                                 r"(?:\s+(?:in|on|near|around|against|into|towards?)\s+[^,;.]{0,40}?)?\s+"
                                 r"(?:has\s+|had\s+|have\s+)?(?:already\s+|also\s+|now\s+|so\s+far\s+)?$", re.I)
#: ... or a copula: "the militants' losses in the north were of the order of 30 percent of what they held"
_LOSSES_COME_TO_RE = re.compile(r"\b(?:losses|loss)\b[^.;]{0,60}?\b(?:(?:come|came|comes|amount(?:s|ed)?"
                                r"|add(?:s|ed)?\s+up|total(?:l?ed|s)?|stands?|stood)\s+(?:to|at)|(?:were|was|are|is)"
                                r"(?:\s+(?:of|in)\s+the\s+order\s+of)?)\s+$"
                                # an estimate put on the losses: "the spokesman put the militia's losses in the
                                # south at some 25 percent"
                                r"|\b(?:put|puts|putting|estimated?|estimates|placed?|places|pegged|pegs)\s+"
                                r"(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,3}?(?:territorial\s+)?losses\b"
                                r"[^.;,]{0,40}?\s+at\s+$", re.I)
_REDUCED_LOSS_RE = re.compile(r"(?:\s+of\s+(?:the\s+|its\s+|their\s+)?[\w'’ -]{1,40}?)?\s+(?:(?:was|were|is|are"
                              r"|has\s+been|have\s+been|had\s+been)\s+)?(?:lost|ceded|surrendered)(?:\s+to)?", re.I)
_CHANGE_NP_RE = re.compile(r"\s*(?:The|This|That|Its|Their)\s+(?:\w+\s+)?(?:slide|loss|losses|drop|decline|fall|retreat"
                           r"|setback|advance|advances|gains?|expansion|contraction)\b")
_WHOLE_GAP_RE = re.compile(r"\s+of\s+(?:the|its|their|an?)\s+", re.I)
_HELD_BY_AFTER_RE = re.compile(r"\s+(?:[\w-]+\s+){0,2}(?:held|controlled|run|ruled|occupied)\s+by\s+", re.I)
#: a period with its own tally in brackets: "the totals for August (470 km2) and September ("
_PERIOD_BRACKET_RE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
                                r"|December|(?:the\s+)?(?:previous|last|first|second|third)\s+(?:week|month|quarter))"
                                r"['’]?s?\s*\(\s*(?:about\s+|some\s+|roughly\s+|nearly\s+|almost\s+|over\s+)?$")
#: a part of an advance in apposition: "two-thirds of the October advance, some 320 km2, lay in"
_PART_OF_ADVANCE_RE = re.compile(r"\bof\s+(?:the|this|that|its|their|[A-Z][a-z]+['’]s)\s+(?:[\w-]+\s+){0,2}"
                                 r"(?:advance|advances|gains|haul|conquests|ground\s+(?:taken|gained|won|captured|lost))"
                                 r"\s*(?:[,(]|,\s*or)\s*"
                                 r"(?:(?:about|some|roughly|nearly|almost|around|over|just\s+over|more\s+than)\s+)?$",
                                 re.I)
#: a part of a tally by place: "The biggest slice, 272 km2, fell in Zaporizhzhia, while Donetsk yielded just 130 km2"
_SLICE_RE = re.compile(r"\b(?:biggest|largest|smallest|main|greatest)\s+(?:slice|share|part|portion|chunk)\s*[,(]\s*"
                       r"(?:(?:about|some|roughly|nearly|almost|around)\s+)?$|\byielded\s+(?:just\s+|only\s+|another\s+)?$",
                       re.I)
#: the rest of a tally by place: "The rest is spread across Kharkiv (over 542 km2), Sumy (over 223) and ..."
_REST_SPREAD_RE = re.compile(r"\s*(?:The\s+)?(?:rest|remainder|balance)\s+(?:is|was|lies|lay|are|were)\s+(?:spread"
                             r"|split|divided|distributed|scattered)\s+(?:across|among|between|over)\b", re.I)
#: months of a tally listed after a colon: "the pace picked up: 350 to 400 km2 in May and 550 to 600 in June"
_LIST_OPEN_RE = re.compile(r"(?::|\band|,)\s*$")
_IN_MONTH_RE = re.compile(r"\s+in\s+(?:January|February|March|April|May|June|July|August|September|October|November"
                          r"|December)\b")
#: a running total and its parts: "That takes the total recovered since June to 193 km2, of which 169 km2 lie
#: in the south and 24 km2 around Bakhmut"
_TOTAL_TO_RE = re.compile(r"\b(?:takes|took|taken|taking|brings|brought|bringing|raises|raised|raising|pushes"
                          r"|pushed)\s+"
                          r"(?:the|its|their|his|her)\s+(?:overall\s+|running\s+)?(?:total|tally|count)\b[^.;]{0,80}?\s+to"
                          r"\s+(?:(?:about|some|roughly|nearly|almost|around|over|more\s+than)\s+)?$"
                          r"|\bof\s+which\s+(?:(?:about|some|roughly|nearly|almost|around|over|more\s+than)\s+)?$",
                          re.I)
#: earlier periods of a tally given together: "August and September had been heavy months, with 477 and 459 km2
#: respectively", "after 431 km2 in January and 476 in December"
_PERIODS_WITH_RE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
                              r"|December)\s+(?:and|or)\s+(?:January|February|March|April|May|June|July|August|September"
                              r"|October|November|December)\b[^.;]{0,60}?\bwith\s+(?:[\d,.]+\s*(?:km²|km2|sq\.?\s*km)?"
                              r"\s*(?:and|,)\s*)?$")


#: a sentence that restates the figure before in another unit ("That works out to roughly 17% of
#: the country", "This is about a fifth of the territory", "That includes some 80 percent of Donbas")
_RESTATE_RE = re.compile(r"\s*(?:That|This|It)\s+(?:(?:now|alone|roughly|approximately|\w+ly)\s+)?"
                         r"(?:works?\s+out\s+(?:to|at)|amounts?\s+to|is|was|equals|equates\s+to|corresponds\s+to"
                         r"|represents|translates\s+(?:in)?to|comes\s+to|includes|included|accounts\s+for)\b")


#: "cost the province nine villages": a place's own words after "cost", no party
_COST_PLACE_RE = re.compile(r"\s+(?:the|its|their)\s+(?:province|region|state|country|city|district|oblast|territory"
                            r"|governorate|county|department)\s+(?:some\s+|about\s+|at\s+least\s+|more\s+than\s+)?[\d\w]",
                            re.I)


#: a period a part of a total falls in ("in May", "on Saturday", "the best month", "last week")
_PERIOD_WORD_RE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
                             r"|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:the\s+)?(?:first"
                             r"|second|third|fourth|last|final|best|worst|previous|following)\s+(?:day|week|month"
                             r"|quarter|half))\b")


def _period_parts(sent: Sentence, ctx: Discourse, speaker: str | None) -> list[Figure]:
    """'Russian troops took 214 settlements in 2024. September was the best month with 36, after
    27 in May': bare numbers naming periods split the one change the sentence before told."""
    s = sent.text
    wholes = [f for f in ctx.prev_figures if f.metric.endswith(("_gained", "_lost"))
              and f.metric.split("_")[0] in ("settlements", "area")]
    if not wholes or any(f.metric != wholes[0].metric or f.actor != wholes[0].actor for f in wholes) \
            or not _PERIOD_WORD_RE.search(s):
        return []
    whole = max(wholes, key=lambda f: f.value)
    kind = whole.metric.split("_")[0]
    out = []
    for q in period_parts(s, kind, str(whole.extra.get("unit_text") or "")):
        if q.value >= whole.value or q.extra.get("lead") in ("the other", "the remaining", "the rest of the"):
            continue
        out.append(replace(whole, value=round(q.value, 4), qualifier=q.qualifier, value_max=None, sentence=s,
                           speaker=speaker or whole.speaker, period=find_period(s, ctx.published) or whole.period,
                           extra={**whole.extra, "pos": (sent.order, q.start)}))
    return out


#: a gapped clause after a list comma: ", (and) <party> [in the desert] (the remaining) <quantity>"
_GAP_LEAD_RE = re.compile(r"[^.;]{0,80}?,\s+(?:and\s+|while\s+|whereas\s+)?(?:[A-Z][\w'’-]*\s+){0,2}$")
_GAP_TAIL_RE = re.compile(r"(?:\s+(?:in|near|around|on|along|across|at)\s+[^,;.]{0,50}?)?\s*"
                          r"(?:(?:the\s+)?(?:remaining|other|rest|last)\s+|another\s+|a\s+further\s+|some\s+)?")


def _gapped_party(s: str, prev_end: int, q_start: int, mentions: list[Mention], verbs: list[_Verb]) -> str | None:
    """The party of a gapped clause ("..., and Iraqi Kurdish fighters 2 percent"): a named party
    right after a list comma, then the quantity with no verb of its own in between."""
    for m in mentions:
        if any(m.start <= v.start < q_start for v in verbs):
            continue
        if prev_end < m.start and m.end <= q_start and m.name and _GAP_LEAD_RE.fullmatch(s, prev_end, m.start) \
                and _GAP_TAIL_RE.fullmatch(s, m.end, q_start):
            return m.name
    return None


def _partition_whole(s: str, q: Quantity, before: list[Figure]) -> Figure | None:
    """The figure before whose whole a part of this sentence splits (same kind, a change, bigger)."""
    if not _PARTITION_RE.match(s) or q.kind not in ("area", "settlements"):
        return None
    wholes = [f for f in before if f.metric.startswith(q.kind + "_") and f.metric.endswith(("_gained", "_lost"))
              and f.value > q.value]
    return wholes[-1] if len(wholes) == 1 or wholes and all(f.metric == wholes[-1].metric
                                                            and f.actor == wholes[-1].actor for f in wholes) else None


def _respectively(s: str, qs: list[Quantity], mentions: list[Mention],
                  places) -> dict[int, tuple[str | None, str | None]]:
    """'X and Y hold 30 and 25 percent respectively': i-th quantity -> (actor, place)."""
    if not re.search(r"\brespectively\b", s, re.I) or len(qs) < 2:
        return {}
    first, last = qs[0].start, qs[-1].end
    actors: list[str] = []
    for m in mentions:
        if m.end <= first and m.name and m.name not in actors:
            actors.append(m.name)
    after_places = [p.name for p in places if p.start >= last]
    out: dict[int, tuple[str | None, str | None]] = {}
    for i in range(len(qs)):
        a = actors[i] if len(actors) == len(qs) else None
        p = after_places[i] if len(after_places) == len(qs) else None
        out[i] = (a, p)
    return out


def _covers(f: Figure, q: Quantity) -> bool:
    """Whether a rule figure reports quantity `q` (same kind and value)."""
    if f.metric.split("_", 1)[0] != q.kind:
        return False
    return any(v is not None and abs(f.value - v) <= max(0.005 * abs(v), 0.01) for v in (q.value, q.value_max))


#: modalities under which the learned layer proposes nothing (the rules still may)
_UNSURE_MODALITIES = frozenset({"future", "conditional", "negated"})


def _learned_figures(sent: Sentence, ctx: Discourse, figs: list[Figure], prev: list[Figure],
                     speaker: str | None, base: dict) -> list[Figure]:
    """The learned layer's second opinion on a sentence: a rule figure's actor replaced when the
    actor model is sure of another party (in place, in `figs`), and figures for the quantities
    no rule figure reports (returned)."""
    qs = ctx.quantities
    if not qs:
        return []
    s = sent.text
    context = learned.context_candidates([(f.actor, f.metric) for f in figs],
                                         [(f.actor, f.metric) for f in prev], ctx.dominant)
    for i, f in enumerate(figs):
        q = next((q for q in qs if _covers(f, q)), None)
        if q is None or "learned" in f.extra:
            continue
        other = learned.second_actor(s, q, f.metric.split("_", 1)[1], f.actor, ctx.resolved, context)
        if other:
            figs[i] = replace(f, actor=other, counterpart=None if f.counterpart == other else f.counterpart,
                              extra={**f.extra, "actor_by": "learned"})
    uncovered = [q for q in qs if q.change != "from" and not any(_covers(f, q) for f in figs)]
    if not uncovered and learned.RECORDER is None:
        return []
    period = find_period(s, ctx.published)
    out = []
    for p in learned.propose(s, qs, uncovered, ctx.resolved, context):
        q = p.quantity
        metric = f"{q.kind}_{p.direction}"
        mod = modality(s, s[max(0, q.start - 45): q.start], p.direction == "controlled",
                       past_year_in(s, ctx.published), q.end, q.start)
        if mod in _UNSURE_MODALITIES:
            continue  # "troops will now comb some 4,000 km2": a plan or a denial, not a figure
        out.append(Figure(actor=p.actor, metric=metric, value=round(q.value, 4), unit=unit_for(metric),
                          qualifier=q.qualifier,
                          value_max=None if q.value_max is None else round(q.value_max, 4),
                          period=period if p.direction != "controlled" else None, modality=mod, sentence=s,
                          speaker=speaker, extra={"pos": (sent.order, q.start), "learned": round(p.p_direction, 3),
                                                  "pa": round(p.p_actor, 3)},
                          **base))
    return out


def _retold(f: Figure, figures: list[Figure]) -> bool:
    """Whether a learned figure retells a rule figure of the article: the same kind of figure
    with a value within 2 % ("three more towns" in one sentence, their names in the next)."""
    kind = f.metric.split("_", 1)[0]
    return any("learned" not in g.extra and g.metric.split("_", 1)[0] == kind
               and abs(g.value - f.value) <= 0.02 * max(g.value, f.value) for g in figures)


def extract_figures(text: str, *, title: str | None = None, published: dt.date | None = None,
                    id: str | None = None, url: str | None = None) -> list[Figure]:
    """The territorial-change figures of an article, in text order (see the package doc)."""
    if isinstance(published, dt.datetime):
        published = published.date()
    sentences = split_text(text or "", title)
    ctx = Discourse(published, title or "", text or "")
    ctx.sentences = sentences
    book = SpeakerBook()
    book.prime(f"{title or ''}\n{text or ''}")
    own = [book.find(sent.text) for sent in sentences]
    para_speaker: dict[int, str] = {}
    for sent, spk in zip(sentences, own, strict=True):
        if spk and sent.paragraph >= 0:
            para_speaker.setdefault(sent.paragraph, spk)
    base = {"id": id, "url": url}
    figures: list[Figure] = []
    for index, (sent, spk) in enumerate(zip(sentences, own, strict=True)):
        ctx.current = index
        # "... held 33 district centres. By June they had captured 125 more": a count whose noun
        # is the sentence before's
        same_para = index and sentences[index - 1].paragraph == sent.paragraph
        carry = ctx.last_kind if same_para and _CARRY_HINT_RE.search(sent.text) else None
        count = ctx.last_count if same_para else None
        ctx.last_kind = ctx.last_count = None
        if not same_para:
            ctx.prev_figures = []
        them = _TOOK_THEM_RE.search(sent.text) if count else None
        if them and count and not find_quantities(sent.text):
            # "... five border towns ... The militants had captured them months earlier": the
            # pronoun stands for the count before
            text = sent.text[: them.start("them")] + count + sent.text[them.end("them"):]
            figs = _figures_of(sent._replace(text=text), ctx, spk, base, index)
            figures.extend(replace(f, sentence=sent.text) for f in figs)
            continue
        if may_hold_quantity(sent.text) or carry:
            speaker = spk
            if speaker is None and _QUOTE_RE.search(sent.text):
                speaker = para_speaker.get(sent.paragraph)
            prev = ctx.prev_figures
            ctx.quantities, ctx.resolved = [], []
            figs = _figures_of(sent, ctx, speaker, base, index, carry)
            figs += _learned_figures(sent, ctx, figs, prev, speaker, base)
            figures.extend(figs)
            ctx.prev_figures = figs
            continue
        ctx.prev_figures = []
    figures = [f for f in figures if "learned" not in f.extra or not _retold(f, figures)]
    merged = merge_figures(figures)
    merged.sort(key=lambda f: f.extra.get("pos", (0, 0)))
    return merged
