"""Verb classes of territorial control and change, as one compiled regex.

Classes: control (a state: controls, holds, X-held), held ("half of the town is with X"), fall (the place is
the subject and the taker follows: "came under the control of X", "fell to X"), cost ("cost X N": X loses),
loss (lost, ceded, was driven out of),
gain (captured, seized, took), liberate (liberated, recaptured, retook: a gain that implies an
occupier), shrink (shrank by), grow (grew by), change (fell/rose, used with "from N to M").
"""

from __future__ import annotations

import re

from ..lexicon import Lexicon, branch_index

#: a copula that states an amount ("the enclave stood at", "the ground captured exceeds"): a control
#: verb only before a number, and only after an increase or gains noun phrase (extractor.py)
COPULA_VERBS = (r"is|was|stands at|stood at|reached|totals?|totalled|totaled|exceeds|exceeded|surpasses|surpassed"
                r"|tops|topped")

VERB_CLASSES: dict[str, list[str]] = {
    "control": [
        r"controls?", r"controlled", r"controlling", r"in control of", r"under (?:the )?control of",
        r"holds?", r"held", r"holding", r"occup(?:y|ies|ied|ying)", r"retains?", r"retained",
        r"(?:is|are|was|were|now|remains?|remained|be) in charge of", r"in charge of", r"kept", r"(?:is|are) theirs",
        r"(?:authority|writ|rule|control) (?:now |still |only )*(?:reaches|extends to|extends over|runs (?:in|over))",
        r"is left with", r"are left with", r"left with", r"leaving (?:it|them|the \w+|\w+) with",
        r"end(?:ed|ing)? (?:that|the|this|last) (?:year|month|week|quarter) (?:at|with)", r"still has", r"still have",
        r"(?:reduced|shrunk|shrank|shrinks?|dwindled|down|cut|squeezed|limited|confined|dropped|declined|decreased"
            r"|contracted|grown|grew|risen|rose|increased|expanded|widened|enlarged|extended) to",
        r"(?:fell|fallen|falls) to(?= (?:about |around |just |only |some |roughly |nearly |less than |under |below "
            r"|barely |an? )?(?:\d|one\b|two\b|three\b|four\b|five\b|six\b|seven\b|eight\b|nine\b|ten\b|half\b|third\b"
                r"|quarter\b))",
        r"remains? (?:in|under)", r"dominates?", r"dominated",
        # "Boko Haram ran some 20 local government areas", "Haftar's army now commands 90 percent of Libya"
        r"(?:ran|runs|commands?|commanded)(?= (?:some |about |around |roughly |nearly |almost |more than |over |just "
            r"|only )?(?:\d|half\b|a third\b|two-thirds\b|a quarter\b))",
        # "Russian-occupied land now totals 116,165 km2"
        r"(?:totals|totalled|totaled)(?= (?:about |some |roughly |nearly |almost |more than |over |just )?\d)",
        # an overview's ranking: "the SDF come second with roughly 25.4 percent"
        r"(?:comes?|came|ranks?|ranked) (?:first|second|third|fourth|next) with",
        r"reached(?= \d+(?:\.\d+)?\s*%\s+(?:occupation|control))",
        r"rules?", r"ruled", r"governs?",
        # a government's word for ground it holds: "198 of the 330 townships were '100 percent stable'"
        r"(?:is|are|was|were|remains?|remained) (?:now |still |largely )?[\"“‘']?"
            r"(?:fully |100 percent |100 per cent )?stable",
        r"in the hands of", r"-held", r"-controlled", r"-occupied", r"under [^,.;]{0,30}?control",
        r"has control (?:of|over)", r"have control (?:of|over)", r"had control (?:of|over)",
        r"once had", r"at its peak had", r"under [^,.;]{0,30}?occupation", r"in [^,.;]{0,25}?hands",
        r"boxed (?:in|into|inside|within)", r"penned (?:in|into|inside|within)", r"hemmed (?:in|into|inside|within)",
        r"squeezed (?:into|inside)",
        r"holed up in", r"(?:has|have|had)(?= (?:practically |virtually |almost |nearly )?all of [A-Z])",
        r"(?:has|have|had)(?= the (?:north|south|east|west)(?:ern)? (?:half|third|two-thirds|quarter|part|portion)\b)",
        r"cl(?:ings?|ung|inging) (?:on )?to", r"(?:hangs?|hung|hanging|holds?|held|holding) on to",
        r"(?:slipped|slid|sunk|sank|dwindled) to", r"(?:is|are|was) down to",
        r"present in", r"present (?:on|across|over)", r"active (?:in|across)", r"operates? in",
        r"operates? (?:openly |freely )?(?:in|across)",
        r"(?<!longer )(?<!not )(?:has|have|had|with|and) an? (?:physical |military |permanent |open |active "
        r"|open and active )?presence in",
        r"exerts? influence over",
        r"influence over", r"maintains? control (?:of|over)",
        r"control(?:s|led)? or influenc(?:e|es|ed)",  # analysts count influence as a softer hold (CONVENTIONS.md)
        r"(?:(?:partial|full|total|complete|effective|some)(?: or (?:partial|full|total|complete))? )?sway over",
        # "the group's writ once ran over 60,000 km2": where a party's rule runs, it holds the ground
        r"writ (?:once |still |then |now )?(?:ran|runs|run|extended|extends|reached|reaches) (?:over|across|to)",
        r"keeps?", r"occupation of",
        # "the dissidents have tightened their grip on some 16,000 km2": a firmer hold is a hold
        r"(?:tighten(?:ed|s|ing)?|consolidat(?:ed|es|ing)|strengthen(?:ed|s|ing)|firm(?:ed|s|ing) up)"
        r" (?:its|their|the|a) (?:grip|hold|control) (?:on|over|of)",
        r"remain(?:s|ed)? in (?:the )?hands of", r"tak(?:ing|es|en)? its hold to", r"took its hold to",
        r"stay(?:s|ed)? under", r"remain(?:ed)? under", r"lies under",
        r"lay under", r"under the sway of", r"remains? with", r"governed by", r"covers?", r"covering", r"spans?",
        r"spanning", r"covered", r"spanned", r"measures", r"measured", r"amounts? to", r"amounted to",
        r"adds? up to", r"added up to",
        r"(?:trapped|surrounded|encircled|cornered|besieged|bottled up|pinned down|holding out)"
        r" (?:in|inside|within|on)",
        r"in command of", r"runs?", r"running", r"sits? on", r"sitting on",
        # "at the high point its troops sat on at least 132,000 km2"
        r"sat on(?= (?:(?:at least|about|some|roughly|nearly|almost|more than|over|just) )?\d)",
        r"claims", r"claim", r"(?:is|are) theirs",
        rf"(?:{COPULA_VERBS})(?= (?:now )?(?:more than |about |some |over "
            r"|nearly |almost |roughly |around |at least |just )?\d)",
    ],
    "fall": [
        r"came under (?:the )?(?:full )?control of", r"fell under (?:the )?(?:full )?control of",
        r"(?:came|come|comes|fell|fallen|falls|passed) (?:in)?to (?:the )?hands of", r"fell to", r"fallen to",
        r"falls to", r"(?<=to )fall to", r"came under",
        # "no fewer than 29 districts have passed into Taliban hands"
        r"(?:came|come|comes|fell|fallen|falls|passed|passes|gone|went) into"
        r"(?= (?:the )?[\w'’-]+(?: [\w'’-]+)? hands\b)",
        r"(?:passed|returned) (?:in)?to (?:the )?control of",
        # "another 23 localities passed to Baku's control": what is counted went to X's control
        r"(?:passed|passes|passing|transferred|went|goes) to"
        r"(?= (?:the )?(?:[A-Z][\w-]* ){0,3}[\w'’-]+ (?:control|hands|rule)\b)",
        r"(?:were|was|have been|has been|had been|being) returned to",
        r"returned to(?= [\w'’]+ (?:control|hands|rule))",
        r"(?:come|comes|coming) under(?: (?:the )?(?:full )?control of)?", r"(?:passed|passes|went|goes) under",
        r"(?:is|are|was|were|now|be|been) back (?:under|in)",
        r"(?:came|come|comes|coming) back (?:under|in)(?= [^,.;]{0,30}?(?:control|hands)\b)",
        # "403 km2 had been brought under Moscow's control": what is counted came under X's control
        r"(?:is|are|was|were|be|been|being) (?:brought|put|placed) (?:back )?under(?= [^,.;]{0,40}?control\b)",
    ],
    "cost": [r"cost", r"costs", r"costing"],
    "held": [r"(?:is|are|was|were|remains?|remained) (?:still |now )?with(?= (?:the )?[A-Z])",
             r"(?:is|are|was|were) (?:now |still |firmly )?under(?= (?:the )?[A-Z][A-Z\w-]*(?:\s|[,.;]|$))",
             # "the other half is still the junta's"
             # "described as the last strongholds left to the Maute group"
             r"(?:last|remaining|final) (?:strongholds?|bastions?|pockets?|redoubts?)"
             r" (?:left to|still held by|held by)",
             r"(?:is|are|was|were|remains?|remained)(?: still| now| firmly)?"
             r"(?= the [\w-]+['’]s\b| [A-Z][\w-]*['’]s\b)"],
    "loss": [
        r"lost(?: control of)?", r"loses?(?: control of)?", r"losing(?: control of)?", r"ceded",
        # "by March the army had lost firm control over about 80 % of the land": a qualified grip lost
        r"(?:lost|loses?|losing) (?:(?:firm|stable|effective|full|complete|total|real|direct|overall) )?control"
        r" (?:of|over)",
        r"cedes?", r"ceding", r"surrendered", r"surrenders?", r"gave up", r"given up",
        r"giving up", r"abandoned", r"abandons?", r"withdr[ea]w(?:n)? from", r"retreated from",
        # "the group has left just over 98 percent of the territory it used to occupy"
        # ... but not "fighting has left 45% of the region under Baku's control" (a tally of control)
        r"(?:has|have|had) left(?= (?:(?:just|some|about|nearly|almost|over|more than|roughly|around) )*\d)"
        r"(?![^,.;]{0,60}?\b(?:under|in the hands of)\b)",
        r"pulled out of", r"driven (?:out )?(?:of|from)", r"pushed (?:out )?(?:of|from)",
        r"expelled from", r"ousted from", r"forced out of", r"evicted from", r"routed from",
        r"kicked out of", r"relinquished", r"ejected from", r"hand(?:ed|s|ing)? over", r"handed",
        r"loss of", r"lose", r"forfeit(?:ed|s|ing)?", r"vacated", r"excluded from",
        # a change in apposition: "the government, down 12 % on the year, now holds ..."
        r"(?<=, )down(?= (?:some |about |around |nearly |almost |roughly )?\d[\d.]*\s*(?:%|percent|per cent) "
            r"(?:on|over|in) the (?:year|month|quarter|period)\b)",
        r"(?:found themselves|were left|was left|are left|is left|left) without", r"evacuated",
        r"net loss(?: [\w-]+){0,3}? of",
        # "six district centres slipped out of the hands of Afghan forces": the holder named after loses
        r"(?:slip(?:s|ped|ping)?|fell|fallen|falls|passed) (?:out of|from)(?= (?:the )?(?:hands|grip|control) of"
        r"| [^,.;]{0,40}?['’]s? (?:hands|grip|control)\b| (?:[\w-]+ )?control\b)",
        r"net (?:decline|decrease|reduction|drop|fall|contraction) of",
        # passive deprivation, the subject loses: "over the year the group was stripped of 9 percent"
        r"(?:was|were|is|are|been|being|got|gets?) (?:\w+ly )?(?:stripped|deprived|dispossessed|robbed) of",
        r"no longer (?:has|have|had|holds?|held|controls?|controlled|exercises?)"
        r" (?:any |full |effective |complete |stable |firm |real |direct )?(?:authority|control|sway)"
        r" (?:over|of|in)",
    ],
    "shrink": [
        r"(?:shrank|shrunk|shrinks?|shrinking|reduced|decreased|fallen|fell|dropped|declined"
        r"|contracted|cut|diminished|melted|melts|melting|eroded|dwindled) by",  # "its land melted by 14 percent"
    ],
    "grow": [
        r"(?:grew|grown|grows?|growing|increased|expanded|rose|risen|jumped|swelled|doubled) by",
        r"(?:increase|increased|increases|increasing|expand|expanded|expands|extend|extended|extends) (?:its|their)"
        r" (?:control|hold|territory|grip) by",
    ],
    "gain": [
        r"captured", r"captures?", r"capturing", r"seized(?: control of)?", r"seizes?",
        r"seizing", r"took(?: control of| over)?", r"takes?(?: control of| over)?",
        r"taken(?: control of| over)?(?! together\b)", r"taking(?: control of| over)?", r"gained(?: control of)?",
        r"gains?", r"gaining", r"advances?(?= of (?:about |some |roughly |nearly |more than |over |just )?\d)",
        # a change in apposition: "the rebels, up 9 % on the year, now hold ..."
        r"(?<=, )up(?= (?:some |about |around |nearly |almost |roughly )?\d[\d.]*\s*(?:%|percent|per cent) "
            r"(?:on|over|in) the (?:year|month|quarter|period)\b)",
        r"conquered", r"conquers?", r"overr[au]n", r"overruns?",
        r"annexed", r"annex(?:es)?", r"annexing", r"grabbed", r"won", r"wins?", r"added(?! up\b)", r"secured",
        r"extended (?:its|their) control (?:to|over)", r"advanced (?:on|into|across|through)",
        # "the troops hoisted their flag over four more hamlets": a flag raised over places taken
        r"(?:raised|raise|raises|raising|hoisted|hoist|hoists|hoisting|planted|plants|planting)"
        r" (?:its|their|the|a)(?: [\w-]+)? flags? (?:over|above|in)",
        r"occupied", r"captur(?:e|ed) control of", r"capture of", r"seizure of", r"conquest of",
        r"brought under (?:its |their )?(?:full )?control", r"took back", r"taken back", r"taking back",
        r"entered", r"enters", r"establish(?:ed|es|ing)? (?:full |complete |total |effective )?control (?:of|over)",
        r"(?:took|taken|take|takes|taking) (?:full |complete |total )?control (?:of|over)",
        r"confiscat(?:ed|es|e|ing)", r"confiscation of", r"expropriat(?:ed|es|ing)", r"appropriat(?:ed|es|ing)",
        r"declar(?:ed|es|ing)(?= (?:(?!\. )[^;]){0,100}?state (?:land|property))",
        r"declaration of(?= (?:(?!\. )[^;]){0,100}?state (?:land|property))",
        r"(?:pushed|advanced|moved|swept)(?: forward| ahead| on)? (?:across|into|through|over)", r"claimed",
        r"advance[ds]?(?= (?:by |the equivalent of )?(?:more than |about |some |nearly |roughly |over |almost |at "
            r"least |another |a further )?(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|a few) "
            r"(?:square|sq|km|kilomet|hectares)))",
        r"(?:brought|bringing|brings|bring|put|puts|putting|placed|places|placing)"
        r"(?= (?:(?![.;]).){0,90}?under (?:(?:its|their|the|[A-Z]\w+|[A-Z][\w-]*['’]s?|the [\w -]{1,30}?['’]s?) )?"
        r"(?:full |effective )?control)",
        # "Russia's advance in 2024 brought it more than 3,600 km2": the push gave its owner the ground
        r"(?:brought|brings|gave|gives|netted|nets|earned|earns)(?= (?:it|them) (?:(?:more than|about|some|nearly"
        r"|almost|close to|over|roughly|around|an estimated|at least) )?\d)",
        r"moved (?:back )?into", r"moves (?:back )?into", r"moving (?:back )?into", r"changed hands",
        r"(?:advance|advances|gains|progress)(?: \w+)? (?:slowed|fell|dropped|rose|grew|accelerated|amounted|totall?ed"
        r"|came|reached) to",
        # "the year's advances add up to roughly 1 % of the country": a tally of gains in the present
        r"(?:advances|gains) (?:add up|amount|come) to",
        r"extended (?:its|their) (?:control|hold)", r"gobbled up", r"swallowed",
        r"(?:occupies|occupied|controls|controlled|holds|held) an? additional", r"(?:occupies|controls|holds) another",
    ],
    "liberate": [
        r"liberat(?:ed|es?|ing)", r"recaptur(?:ed|es?|ing)", r"retook", r"retak(?:es?|en|ing)",
        r"re-captur(?:ed|es?|ing)", r"re-took", r"re-tak(?:es?|en|ing)",
        r"freed", r"frees", r"freeing", r"cleared", r"clears", r"clearing",
        # "3,000 km2 of scrubland were swept clean by the militia": a sweep that clears ground frees it
        r"swept clean", r"sweeps? clean",
        r"regain(?:ed|s|ing)?", r"reclaim(?:ed|s|ing)?", r"won back", r"wins? back", r"wrested",
        r"(?:drove|driven|driving|pushed|pushing|chased|chasing|kicked|forced|forcing|expelled|expel|expels|expelling"
        r"|ousted|oust|evicted|ejected"
        r"|dislodged|dislodge|routed|flushed|cleared|cleansed|purged) (?:[\w'-]+ |\([\w'-]+\) ){1,5}?(?:out of|from)",
        r"driven from",
        r"recovered", r"restored control (?:over|of)",
        r"re-?establish(?:ed|es|ing)? (?:full |complete |effective )?control (?:over|of|in)",
        # "control has been restored over more than 300 settlements": passive, the liberator unnamed
        r"control (?:has |have |had )?(?:been |was |were )?(?:fully )?(?:restored|re-?established) (?:over|of|in)",
        r"liberation of", r"free of", r"free from", r"freed of",
        r"cleared of",
        r"rid of", r"purged of",
        # "troops rid 52 barangays of the group's influence": the "of" names the loser
        r"rid(?:s|ding)?(?= (?:[\w'’-]+ ){1,6}?of\b)",
        r"liberated by", r"secured", r"purged", r"cleansed", r"mopped up",
        r"depriv(?:ed|es?|ing) (?:[\w'-]+ ){0,4}?of", r"stripp(?:ed|ing) (?:[\w'-]+ ){0,4}?of",
        r"de-occupied", r"reconquered",
    ],
    # fighting over, not holding: "are fighting over 109 more", "contests a further 31"
    "contest": [
        r"contests?", r"(?:is|are|was|were|remains?|remained) contested", r"contesting", r"(?:fighting|fight|fights"
            r"|battling|battles?|vying) (?:over|for)",
        r"(?:fighting|battling|fights) (?:the \w+ |the \w+ \w+ )?for", r"in dispute", r"influences",
        r"influenced", r"(?:is|are) (?:being )?fought over", r"(?:lays?|laid|laying) claim to",
    ],
    # an administrative measure on places, no change of hands ("placed eight towns under martial law")
    "decree": [
        r"(?:placed|places|placing|put|puts|putting|declared|declares)(?= (?:(?![.;]).){0,60}?under (?:a )?"
        r"(?:martial law|curfew|(?:state of )?emergency(?: rule)?|lockdown|quarantine))",
    ],
    "change": [
        r"fell", r"fallen", r"dropped", r"shrank", r"shrunk", r"declined", r"decreased",
        r"went down", r"plunged", r"plummeted", r"slid", r"contracted", r"reduced", r"dwindled",
        r"rose", r"risen", r"grew", r"grown", r"increased", r"expanded", r"jumped", r"climbed",
        r"went up", r"swelled", r"lifted", r"raised", r"boosted", r"pushed up",
    ],
    # still to be won: the other side holds it ("less than 1 % remains to be taken", "only one
    # district is yet to be liberated")
    "outstanding": [
        r"(?:remains?|remained|is|are) (?:still |yet )?to be (?:taken|captured|liberated|retaken|recaptured|freed"
        r"|cleared|seized|won back)",
    ],
    # out of the state's reach: the country's insurgents hold it ("40 % of the country escapes
    # the government's control", "lies beyond the reach of the state")
    "outside": [
        r"escapes? (?:the )?(?:government's |state's |army's |junta's )?control", r"escaped (?:the )?(?:government's "
        r"|state's |army's |junta's )?control",
        r"(?:lies|lie|is|are|remains?|fall|falls) (?:beyond|outside) (?:the )?(?:reach|control|authority) of (?:the )?"
        r"(?:state|government|authorities|army)",
        r"(?:is|are|remains?|lies|lie) outside (?:state|government|army) control",
        # "official figures put 40 % of the territory beyond the reach of the state"
        r"(?<=[a-z] )(?:beyond|outside) (?:the )?(?:reach|control|authority) of (?:the )?"
        r"(?:state|government|authorities)",
    ],
}

#: participles that make a passive change ("were liberated", "has been retaken")
PASSIVE_PARTICIPLES = (
    r"liberated|recaptured|retaken|freed|cleared|regained|reclaimed|recovered|captured|seized"
    r"|taken|overrun|conquered|lost|ceded|surrendered|abandoned|annexed|won back|wrested"
    r"|reconquered|de-occupied|re-captured|re-taken|secured|secure|safe|free|taken back|won back|held|controlled"
        r"|occupied|governed|run|ruled"
    r"|declared"
)

_ORDER = ["control", "held", "fall", "cost", "loss", "shrink", "grow", "gain", "liberate", "contest", "decree",
          "outside", "outstanding"]
_ALTS = [(cls, pat) for cls in _ORDER for pat in VERB_CLASSES[cls]]
_ALTS.sort(key=lambda t: len(t[1]), reverse=True)
#: the verbs as a Lexicon (`VERBS.finditer`); VERB_RE is the same alternation as one regex
VERBS = Lexicon([f"(?P<v{i}>{p})" for i, (_, p) in enumerate(_ALTS)], re.I, before=r"(?<![\w])")
VERB_RE = VERBS.pattern
CHANGE_RE = re.compile(r"\b(?:" + "|".join(VERB_CLASSES["change"]) + r")\b", re.I)
PASSIVE_RE = re.compile(
    r"\b(?:(?:has|have|had)\s+(?:(?:\w+ly|now|also|since|already|not|just|all|so far|finally)\s+)*been"
    r"|was|were|is|are|been|be|being|got|get|become|became|becomes)\s+"
    r"(?:(?:\w+ly|now|also|since|already|not|just|all|so far|finally)\s+)*(?:been\s+)?"
    rf"[\"“‘']?(?P<v>{PASSIVE_PARTICIPLES})\b", re.I)
REDUCED_PASSIVE_RE = re.compile(
    rf"^\s*(?:(?:have|has|had)\s+been\s+|(?:were|was)\s+(?:been\s+)?)?(?:\w+ly\s+)?[\"“‘']?(?P<v>{PASSIVE_PARTICIPLES})\b",
    re.I)


def verb_class(text: str) -> str | None:
    """The class of a verb phrase matched by VERB_RE."""
    m = VERB_RE.fullmatch(text)
    return _ALTS[branch_index(m)][0] if m else None


def classify_match(m: re.Match[str]) -> str:
    """The class of a VERB_RE match."""
    return _ALTS[branch_index(m)][0]


def participle_class(word: str) -> str:
    """Class of a passive participle: loss verbs -> 'loss', conquest -> 'gain', else 'liberate'."""
    w = word.lower()
    if w in ("held", "controlled", "occupied", "governed", "run", "ruled"):
        return "control"
    if w in ("lost", "ceded", "surrendered", "abandoned"):
        return "loss"
    if w in ("captured", "seized", "taken", "overrun", "conquered", "annexed", "declared"):
        return "gain"
    return "liberate"
