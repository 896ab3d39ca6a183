"""Who is the actor of a quantity: subjects, passive agents, from-/to-objects and holders
("ISIS-held", "held by ISIS", "territory ISIL once held", "under ISIS control")."""

from __future__ import annotations

import re
from typing import NamedTuple

from .actors import Mention
from .places import COMPASS_SIDE

_WHO_BEFORE_RE = re.compile(r",\s+who\s+(?:(?:now|still|already|currently|also)\s+)?$", re.I)
_BY_GROUP_OF_RE = re.compile(r"\bby\s+(?:an?|the)\s+(?:coalition|alliance|group|force|number|combination|mix|union)"
                             r"\s+of\s+(?:[\w-]+\s+){0,3}$", re.I)
#: reporting verbs that can open a clause ("claimed the movement controls")
_REPORTING = frozenset({"claimed", "claims", "claim", "said", "says", "announced", "added", "reported", "stated"})
#: the verb of a clause right after its subject
_CLAUSE_VERB_RE = re.compile(
    r"\s+(?:(?:now|still|also|already|only|\w+ly)\s+)*(?:has|have|had|is|are|was|were|controls?|holds?|held|controlled"
    r"|captured|took|seized|retook|recaptured|liberated|lost|gained|runs?)\b", re.I)
#: the word before a mention, looking past a determiner ("from the SDF" -> "from")
_PREFIX_RE = re.compile(r"([A-Za-z']+)\W*(?:(?:the|its|their)\s+)?"
                        r"(?:(?:last|remaining|final|besieged|shrinking|shrunken|former)\s+)?$", re.I)
#: a place part before a country named: "pushed deeper into eastern Ukraine" (no subject)
_PLACE_PART_BEFORE_RE = re.compile(r"\b(?:in|into|across|inside|within|through|throughout|of|from|to|toward|towards)"
                                   rf"\s+(?:the\s+)?{COMPASS_SIDE}\s+$", re.I)
_NON_SUBJECT = {"from", "by", "to", "against", "with", "of", "on", "near", "toward", "towards", "than", "in",
                "at", "into", "inside", "across", "throughout", "within", "over", "around", "outside", "along"}
_HOLDER_AFTER_RE = re.compile(
    r"^(?:-held|-controlled|-occupied|['’]s? (?:territory|territories|land|lands|caliphate|areas?|enclaves?|pocket"
        r"|control|hands)"
    r"|\s+(?:had\s+|has\s+|have\s+)?(?:once|previously|formerly|at one point|at its peak|still)?\s*(?:held|controlled"
        r"|occupied|had(?=\s+(?:\d|about|some|an?\s|the\s|only|just|nearly|more|less|over|roughly|around)))\b"
    r"|\s+(?:had\s+(?:once\s+|previously\s+|first\s+)?|(?:once|previously|formerly|first|earlier)\s+)"
    r"(?:seized|captured|overran|overrun|took|taken|conquered|grabbed)\b"
    r"|\s+(?:military\s+|full\s+|de facto\s+)?(?:control|occupation|rule|hands|administration|authority|sway)\b)", re.I)
_HOLDER_BEFORE_RE = re.compile(
    r"(?:\b(?:held|controlled|occupied|ruled|dominated|run|seized|captured|taken|grabbed|overrun|conquered) by"
        r"|\bunder(?: the)?(?: control of)?"
    r"|\bin the hands of|\bfrom the hands of|\bcontrol of|\bsway of|\bgoverned by|\b(?:control|influence)\s+(?:or|and)"
    r"\s+(?:control|influence)\s+of)\s*"
    r"(?:the\s+)?(?:[\w-]+-(?:led|backed)\s+)?"  # "in the hands of the Kurdish-led SDF"
    r"(?:(?:assorted|various|several|local|rival|allied|armed)\s+)?$", re.I)

#: a simple-past relative clause on a territory noun names its former holder: "half of the
#: ground (that) Moscow grabbed", "a third of the land the rebels seized in 2012"
_REL_TERRITORY_BEFORE_RE = re.compile(
    r"\b(?:the|that|all\s+the)\s+(?:ground|territory|territories|land|lands|area|areas)\s+(?:that\s+|which\s+)?"
    r"(?:the\s+)?$", re.I)
_REL_SEIZED_AFTER_RE = re.compile(r"^\s+(?:seized|captured|overran|took|conquered|grabbed|occupied)\b", re.I)


#: a parenthetical helper phrase: ", supported by tribal fighters and the PMU," names no subject
_HELPERS_RE = re.compile(
    r",\s+(?:(?:who|which)\s+(?:were|was|are|is)\s+)?(?:(?:both|all|each|also|themselves)\s+)?(?:supported|backed|aided"
        r"|assisted|accompanied|joined"
    r"|helped|flanked|reinforced|along\s+with|together\s+with|alongside|with\s+the\s+(?:help|support|backing)\s+of"
    r"|in\s+coordination\s+with|with\s+(?:air\s+)?support\s+from)\b[^,;]*,", re.I)
#: "Army units, federal police and the": a list of forces, no verb in between
_LIST_GAP_RE = re.compile(r"(?:\s*,\s*(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)+\s*,?\s+(?:and|&)\s+(?:the\s+)?",
                          re.I)
#: ("Turkish troops and their Free Syrian Army allies had taken": the first conjunct leads)
_AND_RE = re.compile(r"\s+(?:and|&|as\s+well\s+as)\s+(?:the\s+|its\s+|their\s+)?$", re.I)


#: within a list already entered from its "and": "the MNDAA, the TNLA and the AA"
_COMMA_GAP_RE = re.compile(r"\s*,\s*(?:the\s+)?")
#: a coalition named before its members: "the Three Brotherhood Alliance of the MNDAA, the TNLA and the AA says"
_MEMBERS_OF_GAP_RE = re.compile(r"\s+(?:of|made\s+up\s+of|comprising|grouping)\s+(?:the\s+)?", re.I)
_COALITION_RE = re.compile(r"\b(?:alliance|coalition|front|bloc|brotherhood|council)\b", re.I)


def _first_conjunct(sentence: str, mentions: list[Mention], m: Mention) -> Mention:
    """'the troops and the PMU have recaptured', 'Army units, federal police and the PMU have
    taken': the subject is the first of the coordinated parties (or the coalition they make up)."""
    in_list = False
    while True:
        before = [o for o in mentions if o.end <= m.start]
        if not before:
            return m
        gap = sentence[before[-1].end: m.start]
        if in_list and _MEMBERS_OF_GAP_RE.fullmatch(gap) \
                and _COALITION_RE.search(before[-1].surface or before[-1].name):
            return before[-1]
        if not (_AND_RE.fullmatch(gap) or _LIST_GAP_RE.fullmatch(gap) or in_list and _COMMA_GAP_RE.fullmatch(gap)):
            return m
        in_list = True
        m = before[-1]


#: verbs whose "of X" names the loser ("free of Daesh", "cleared of militants")
_CLEAR_OF_RE = re.compile(r"\b(?:clear|free|cleared|rid|purged|cleansed)\s+of\s+(?:the\s+)?$", re.I)
_RID_OF_RE = re.compile(r"\b(?:free|freed|cleared|rid|purged|cleansed|deprived|stripped)\b.*\bof$", re.I)


#: between a subject and its verb: nothing, or auxiliaries and adverbs ("with the Russians occupying")
_ADJACENT_RE = re.compile(
    r"\s*(?:(?:have|has|had|are|is|was|were|now|also|still|already|reportedly|meanwhile|\w+ly)\s+)*", re.I)


_UNDER_VERB_RE = re.compile(r"\b(?:under|hands|sway)\b", re.I)
_MEMBERS_FROM_RE = re.compile(r"\b(?:fighters|troops|forces|members|units|militiamen|soldiers"
    r"|elements|brigades?|battalions?|divisions?|regiments?)\s+(?:from|of)\s+(?:the\s+)?$", re.I)
#: a leader speaks and acts for his side: "the head of the junta vowed to win back", "the leader of the
#: rebels said they had taken"
_LEADER_OF_RE = re.compile(r"\b(?:head|leader|chief|commander|commander-in-chief)\s+of\s+(?:the\s+)?$", re.I)


def _leader_of(sentence: str, m: Mention) -> bool:
    """Whether a mention follows a leader's title that is itself no object ("The head of the junta")."""
    title = _LEADER_OF_RE.search(sentence, max(0, m.start - 40), m.start)
    if title is None:
        return False
    hit = _PREFIX_RE.search(sentence, max(0, title.start() - 40), title.start())
    return (hit.group(1).lower() if hit else "") not in _NON_SUBJECT


#: verbs that name the loser after a later "of" ("purged five villages south of al-Qaim ... of Daesh")
_PURGE_VERB_RE = re.compile(r"purged|cleansed|cleared|freed|rid|emptied", re.I)


class Roles(NamedTuple):
    """The actor mentions around one governing verb."""

    subject: Mention | None
    agent: Mention | None  # "by X" after the verb
    source: Mention | None  # "from X"
    recipient: Mention | None  # "to X"
    holder: Mention | None  # the party that held the territory
    obj: Mention | None = None  # the first party after the verb ("cost X", "control of X")
    inner_holder: bool = False  # the holder is inside the subject ("the area under ISIS control shrank")


#: verbs whose object is driven off ("pushed the occupiers out of ... and liberated"): never the subject
_EXPEL_VERB_RE = re.compile(r"drove|driven|pushed|forced|chased|kicked|expelled|ousted|routed|dislodged|evicted"
                            r"|flushed|repelled|repulsed", re.I)


def _is_object(sentence: str, m: Mention) -> bool:
    """Whether a mention is the object of a verb right before it ("cleared Daesh from")."""
    from .patterns.verbs import VERB_RE

    word = prefix_word(sentence, m)
    if word and _EXPEL_VERB_RE.fullmatch(word):
        return True
    if not word or word in ("held", "controlled", "occupied") or VERB_RE.fullmatch(word) is None:
        return False
    if word in _REPORTING and _CLAUSE_VERB_RE.match(sentence, m.end):
        return False  # "claimed the movement now controls": the subject of a reported clause
    hit = _PREFIX_RE.search(sentence, max(0, m.start - 40), m.start)
    return not (hit and re.search(r"[,;:.]", sentence[hit.end(1): m.start]))  # "..., he added, the movement's forces"


#: the counted object of a casualty verb ("had killed 300 Houthi fighters and liberated", a quoted
#: 'had "neutralised" 900 militants'): never the subject
_CASUALTY_OBJECT_RE = re.compile(
    r"\b(?:killed|killing|kills?|wounded|wounding|injured|injuring|arrested|arresting|detained|detaining"
    r"|neutrali[sz]ed|neutrali[sz]ing|eliminated|eliminating)[\"”’']?\s+(?:(?:more\s+than|at\s+least|about|some|over|nearly"
    r"|around|almost|up\s+to|dozens\s+of|scores\s+of|hundreds\s+of|thousands\s+of)\s+)?(?:[\d,]+\s+)?(?:the\s+)?$",
    re.I)


def _casualty_object(sentence: str, m: Mention) -> bool:
    """'killed 300 Houthi fighters', 'wounded dozens of M23 rebels': the party counted is the object."""
    return _CASUALTY_OBJECT_RE.search(sentence, max(0, m.start - 60), m.start) is not None


def _in_brackets(sentence: str, m: Mention) -> bool:
    """'the March 23 Movement (M23)': a bracketed name repeats the one before it."""
    return sentence[max(0, m.start - 1): m.start] == "(" and sentence[m.end: m.end + 1] == ")"


def prefix_word(sentence: str, m: Mention) -> str:
    """The word right before a mention, lower-cased ('' at sentence start)."""
    hit = _PREFIX_RE.search(sentence, max(0, m.start - 40), m.start)  # a word is never that long
    return hit.group(1).lower() if hit else ""


def find_roles(sentence: str, mentions: list[Mention], verb_start: int, verb_end: int,
               lo: int, hi: int, q_start: int, q_end: int, bound: int | None = None) -> Roles:
    """Roles for a verb at [verb_start, verb_end) in the clause [lo, hi); its objects ("by X",
    "from X", "to X") end at `bound` (the next verb, when the quantity comes before it)."""
    subject = None
    helpers = [h.span() for h in _HELPERS_RE.finditer(sentence, 0, verb_start)] if "," in sentence else []
    if helpers:
        mentions = [m for m in mentions if not any(a <= m.start < b for a, b in helpers)]
    # ", with the government meanwhile recapturing seven others": the absolute phrase's own subject
    candidates = [m for m in mentions if not _PLACE_PART_BEFORE_RE.search(sentence, max(0, m.start - 30), m.start)
                  and (not _is_object(sentence, m) or m.end <= verb_start
                                          and prefix_word(sentence, m) == "with"
                                          and _ADJACENT_RE.fullmatch(sentence[m.end: verb_start]) is not None)
                  and not _in_brackets(sentence, m) and not _casualty_object(sentence, m)]
    for m in candidates:
        right_before = (m.end <= verb_start and prefix_word(sentence, m) == "with"
                        and _ADJACENT_RE.fullmatch(sentence[m.end: verb_start]) is not None)
        if prefix_word(sentence, m) in ("from", "of") and _MEMBERS_FROM_RE.search(sentence, max(0, m.start - 30),
                                                                                   m.start):
            right_before = True  # "fighters from the PMU have regained", "two brigades of the PMF purged": the PMF
        if prefix_word(sentence, m) == "of" and _leader_of(sentence, m):
            right_before = True  # "The head of the junta vowed to win back": the junta
        if m.end <= verb_start and m.start >= lo and (prefix_word(sentence, m) not in _NON_SUBJECT or right_before):
            if not _HOLDER_AFTER_RE.match(sentence[m.end:]) or m.end <= min(q_start, verb_start):
                subject = m
    if subject is None:
        for m in candidates:
            word = prefix_word(sentence, m)
            if m.end <= verb_start and (word not in _NON_SUBJECT or word == "with"
                                        and _ADJACENT_RE.fullmatch(sentence[m.end: verb_start]) is not None):
                subject = m
    if subject is None or subject.end <= lo:
        rel = _WHO_BEFORE_RE.search(sentence, max(0, verb_start - 30), verb_start)
        if rel:  # "The forces of Khalifa Haftar, who controls ...": the relative pronoun's antecedent
            ante = [m for m in mentions if m.end <= rel.start() and rel.start() - m.end <= 2]
            if ante:
                subject = ante[-1]
    if subject is not None:
        subject = _first_conjunct(sentence, mentions, subject)
    agent = source = recipient = obj = None
    after = max(verb_end, q_end) if q_start >= verb_end else verb_end
    for m in mentions:
        if obj is None and verb_end <= m.start <= hi and m.start - verb_end <= 40:
            obj = m
        if source is None and _RID_OF_RE.search(sentence[verb_start:verb_end]) \
                and 0 <= m.start - verb_end <= 12:
            source = m
            continue
        if verb_start < m.start and m.end < verb_end and source is None:
            source = m
            continue
        if m.start < verb_end or m.start > hi or bound is not None and m.start >= bound:
            continue
        word = prefix_word(sentence, m)
        between = sentence[after if m.start >= after else verb_end: m.start]
        near = 30
        if word != "by" and _BY_GROUP_OF_RE.search(sentence, max(0, m.start - 60), m.start):
            word, near = "by", 70  # "taken on Sunday by a coalition of fourteen Chin resistance groups"
        if word == "by" and agent is None and m.start - after <= near and not re.search(r"\b(?:held|controlled"
            r"|occupied)\s+by\s*$", between):
            agent = m
        elif word in ("from",) and source is None:
            source = m
        elif word == "of" and source is None and (
                _CLEAR_OF_RE.search(sentence, max(0, m.start - 20), m.start)
                or _PURGE_VERB_RE.fullmatch(sentence[verb_start:verb_end]) and m.start > q_end):
            source = m  # "swept 2,600 km2 of desert clear of Daesh", "purged five villages ... of Daesh remnants"
        elif word == "to" and recipient is None:
            recipient = m
    holder = None
    best = 10**6
    for m in mentions:
        if not lo <= m.start < hi:
            continue  # another clause's holder ("passed under Russian control ..., when 1,000 were liberated")
        is_holder = bool(_HOLDER_AFTER_RE.match(sentence[m.end:])) or bool(
            _HOLDER_BEFORE_RE.search(sentence[max(0, m.start - 40): m.start])) or bool(
            _REL_TERRITORY_BEFORE_RE.search(sentence[max(0, m.start - 40): m.start])
            and _REL_SEIZED_AFTER_RE.match(sentence[m.end:]))
        if is_holder:
            dist = abs(m.start - q_start)
            if dist < best:
                holder, best = m, dist
    inner = bool(holder and subject and subject.end <= holder.start and holder.end <= verb_start
                 and holder.start >= lo)
    if holder and subject and _UNDER_VERB_RE.search(sentence[verb_start:verb_end]) \
            and 0 <= holder.start - verb_start <= 60:
        inner = True  # "20 % of the territory is under occupation": the holder follows the verb
    return Roles(subject, agent, source, recipient, holder, obj, inner)
