"""Quantity mentions in a sentence: areas (normalised to km2), shares (percent or fraction of
a territory) and settlement counts, with hedges, ranges, from-to changes, bracketed
conversions and "respectively" lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import DIGIT_NUMBER, FRACTION, NUMBER, WORD_NUMBER, is_fraction, parse_number
from .places import COMPASS_SIDE, find_places
from .qualifiers import QUALIFIER, qualifier_of, suffix_qualifier
from .units import AREA_UNIT_RE, AREA_UNITS, to_km2, unit_of_match
from .windows import matches_at, quantity_starts

_NUM = rf"(?<![\w.,/-])(?:{NUMBER})"
_COUNT = rf"(?<![\w.,/-])(?:{DIGIT_NUMBER}|{WORD_NUMBER})"
_COUNT2 = rf"(?:{DIGIT_NUMBER}|{WORD_NUMBER})"
_NUM2 = rf"(?:{NUMBER})"
_PLAIN_UNIT = "(?:" + "|".join(AREA_UNITS.values()) + ")"
_PCT = r"(?:%|percent\b|per[\s-]cent\b|pct\b)"
_RANGE_JOIN = r"\s*(?:-|–|to|and|or)\s*"

AREA_RE = re.compile(
    rf"(?P<pre>\b(?:between|from)\s+)?(?:(?P<qual>{QUALIFIER})\s+)?(?P<n1>{_NUM})"
    rf"(?(pre)(?:[\s-]*{_PLAIN_UNIT})?)(?:{_RANGE_JOIN}(?:{QUALIFIER}\s+)?(?P<n2>{_NUM2}))?"
    rf"(?:\s+of)?(?:\s+an?)?[\s-]*{AREA_UNIT_RE}(?![\w])",
    re.I,
)
SHARE_RE = re.compile(
    rf"(?P<pre>\b(?:between|from)\s+)?(?:(?P<qual>{QUALIFIER})\s+[\"“]?)?(?P<n1>{_COUNT})"
    rf"(?:\s*{_PCT})?(?:{_RANGE_JOIN}(?:{QUALIFIER}\s+)?(?P<n2>{_COUNT2}))?\s*{_PCT}",
    re.I,
)
FRACTION_RE = re.compile(
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?<![\w-])(?P<n1>{FRACTION})(?![\w-])"
    rf"(?P<np>(?=\s+(?:of\s+)?(?:the|its|their|what|all|which|[A-Z])))?",
    re.I,
)
_SETTLEMENT_ADJ = (
    r"(?:(?:more|other|new|additional|nearby|strategic|small|key|surrounding|major|border|frontline|territorial"
    r"|front-line|further|populated|residential|rural|important|remote|abandoned|strategically important"
    r"|district|provincial|county|coastal|mountain|desert|northern|southern|eastern|western|district-level"
    r"|state|regional|local|large|larger|smaller|big|main|administrative|urban|besieged|isolated|occupied|liberated"
    r"|outlying|neighbou?ring|adjacent|contested|captured|recaptured|seized"
    # size and standing: "17 sizeable towns", "four medium-sized towns", "six significant villages"
    r"|sizeable|sizable|medium-sized|good-sized|significant|notable|larger-sized"
    r"|(?-i:[A-Z][\w'’]+(?:-[A-Z]?[\w'’]+)?))\s+){0,2}"
)
_SETTLEMENT_NOUN = (
    r"(?:towns?(?:,?\s+(?:and|or|&)\s+(?:villages?|cities|hamlets?|settlements?))?"
    r"|villages?(?:,?\s+(?:and|or|&)\s+(?:towns?|hamlets?|farms?|settlements?|cities))?"
    r"|settlements?(?:,?\s+(?:and|or|&)\s+(?:villages?|towns?))?|localities|locality|hamlets?"
    r"|communities|population cent(?:er|re)s|populated areas|cities(?:\s+and\s+towns)?|city"
    r"|(?:provincial|regional|district|state) capitals|district cent(?:er|re)s|sub-townships?|townships?"
    r"|barangays?|wards?|districts?|neighbou?rhoods?|municipalities|municipality|communes?"
    r"|local government areas?|local governments?|LGAs?|kebeles?|counties|county|boroughs?|councils?|payams?"
    r"|woredas?|city administrations|prefectures?|raions?|hromadas?|municipal districts?)"
)
#: a unit noun in scare quotes: 'control more than 70 "settlements"' (an official's word kept as theirs)
_SCARE_QUOTE = r"[\"“‘]?"
SETTLEMENT_RE = re.compile(
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?P<n1>{_COUNT})(?:{_RANGE_JOIN}(?P<n2>{_COUNT2}))?"
    rf"\s+{_SETTLEMENT_ADJ}{_SCARE_QUOTE}(?P<noun>{_SETTLEMENT_NOUN})\b",
    re.I,
)
#: counted only as a part of a total ("13 of the country's 34 provincial centres"); alone the
#: words may name one centre's offices
_PART_ONLY_NOUN = r"(?:provincial|regional)\s+cent(?:er|re)s"
#: "six of Rakhine State's 17 townships", "one out of the 20 local governments": the count is
#: the first number
SETTLEMENT_OF_RE = re.compile(
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?P<n1>{_COUNT})\s+(?:out\s+)?of\s+(?:(?:the|its|their|all|our|these|those)\s+)?"
    rf"(?:(?:[A-Z][\w'’-]*\s+){{0,3}}[A-Z][\w'’-]*['’]s\s+|(?:country|state|city|province|region)['’]s\s+)?"
    rf"(?:total\s+(?:of\s+)?)?(?:(?:{QUALIFIER}\s+)?(?P<n2>{_COUNT2})\s+)?{_SETTLEMENT_ADJ}(?P<noun>{_SETTLEMENT_NOUN}|{_PART_ONLY_NOUN})\b",
    re.I)
#: "all five state capitals", "all nine districts": the count is the number
ALL_SETTLEMENTS_RE = re.compile(
    rf"\ball\s+(?:the\s+|of\s+the\s+)?(?P<n1>{_COUNT2})\s+{_SETTLEMENT_ADJ}(?P<noun>{_SETTLEMENT_NOUN})\b", re.I)
#: "holds the capitals of all six coastal provinces": the count of the capitals, named by their units
CAPITALS_OF_RE = re.compile(
    rf"\bcapitals\s+of\s+(?:all\s+)?(?:the\s+)?(?P<n1>{_COUNT2})\s+(?:[\w'’-]+\s+){{0,2}}?"
    r"(?:states|provinces|regions|governorates|oblasts|departments|prefectures)\b", re.I)
#: "the number of villages under X control fell from 140 to 95": counts with the noun before
NUMBER_OF_RE = re.compile(
    rf"\bnumber\s+of\s+{_SETTLEMENT_ADJ}(?:{_SETTLEMENT_NOUN})\b", re.I)
#: "its tally of townships rose to ten", "the number of villages it holds reached 40"
TALLY_TO_RE = re.compile(
    rf"\b(?:number|tally|count|total)\s+of\s+{_SETTLEMENT_ADJ}(?:{_SETTLEMENT_NOUN})\b[^.;,]{{0,60}}?"
    rf"\b(?:rose|risen|rises|grew|grown|climbed|increased|reached|jumped|went up|stands at|stood at|is now|now stands "
        rf"at|at(?=\s+(?:{QUALIFIER}\s+)?{_COUNT2}\s*[,.;]))"
    rf"(?:\s+to)?\s+(?:(?P<qual>{QUALIFIER})\s+)?(?P<n>{_COUNT2})\b", re.I)
#: "That brings to at least nine the number of districts that have fallen": the count comes first
BRINGS_TO_RE = re.compile(
    rf"\b(?:brings|bring|bringing|brought)\s+to\s+(?:(?P<qual>{QUALIFIER})\s+)?(?P<n>{_COUNT2})\s+the\s+(?:number"
    rf"|tally|count|total)\s+of\s+{_SETTLEMENT_ADJ}(?:{_SETTLEMENT_NOUN})\b", re.I)
BARE_CHANGE_RE = re.compile(
    rf"(?P<pre>\bfrom\s+)(?:(?P<qual>{QUALIFIER})\s+)?(?P<n1>{_COUNT2})\s+to\s+(?:{QUALIFIER}\s+)?"
    rf"(?P<n2>{_COUNT2})\b(?![.,]\d)(?!\s*(?:%|per|pct|square|sq\b|km|mi\b|mi2|hectare|ha\b|acre|dun"
        rf"|\w+\s+(?:{_SETTLEMENT_NOUN})))",
    re.I)
#: the end of an item in a list of shares ("..., the Houthis about a quarter and ...")
_LIST_END_RE = re.compile(r"\s*(?:[,;.)]|$|and\b|while\b|whereas\b|with\b|\()")
_LIST_RE = re.compile(rf"(?P<n>{_NUM})\s*(?:,\s*and|,|and)\s*$", re.I)
_TOTAL_AREA_BEFORE_RE = re.compile(
    r"(?:\bcovers?|\bcovering|\bspans?|\bspanning|\bmeasures?|\bmeasuring|(?<!\ba )(?<!\bA )\btotal\b(?: area)?(?: of)?"
    r"|\bsize of|\bsurface(?: area)? of|\ba country of|,\s*an? (?:country|province|region|state|oblast"
    r"|governorate|nation"
    r"|island) of|\bcountry's(?: total)?"
    r"|\b[A-Z][\w-]+'s(?: total)?|\bits total|\bentire|\bwhole|\bsprawling over|\bstretches over"
    r"|\bstretching over|\bthe size of|\b(?:territory|area|surface) of (?:[A-Z][\w-]+\s*)+,?\s*which is)\s*(?:\w+\s+)?$"
)
#: "an area of N km2" is a size ("Raqqa province, an area of ...", "Syria covers an area of")
#: unless it is the object of a verb or joined to one ("recaptured 94 villages and an area of")
#: "the zone covered about 850 km2", "15 hamlets, covering close to 190 km2": a held zone's size
_ZONE_COVERS_RE = re.compile(
    r"\b(?:zone|pocket|strip|enclave|salient|bridgehead|foothold|corridor|hamlets|farms|districts|territory"
    r"|territories|land|lands|area|areas|caliphate|holdings)\b[^.;:]{0,70}?\b(?:covers?|covered|covering|spans?"
        r"|spanning|spanned|measures|measured)\s*(?:\w+\s+)?$", re.I)
#: "81 % of a national territory that spans 1.96 million km2": the whole country's size
_NATIONAL_COVERS_RE = re.compile(r"\b(?:national|entire|whole|country's|nation's)\s+(?:territory|land|surface|area)\s+"
                                 r"(?:that|which)\s+(?:covers|spans|measures|totals)\s+(?:\w+\s+)?$", re.I)
#: "The territory covers 266,000 km2": a sentence about the whole place's size
_WHOLE_COVERS_RE = re.compile(r"\s*(?:The|This|That|Its)\s+(?:territory|region|country|enclave|strip|island|peninsula)"
                              r"\s+(?:covers|spans|measures)\s+(?:(?!now\b)\w+\s+)?$")  # "now measures": a holding
_PART_OF_RE = re.compile(
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?<![\w.,])(?P<n>{DIGIT_NUMBER})\s+(?:out\s+)?of\s+(?:(?:the|its"
        rf"|their)\s+)?(?:[\w'’-]+['’]s\s+)?"
    rf"(?:{QUALIFIER}\s+)?$", re.I)
_PLUS_OTHER_RE = re.compile(r"\b(?:together\s+with|along\s+with|as\s+well\s+as|plus)\s+$", re.I)
_DEMINING_RE = re.compile(r"\b(?:mines?|landmines?|demining|de-mining|mine clearance|ordnance|unexploded|explosive "
    r"remnants)\b", re.I)
_OF_THE_TOTAL_RE = re.compile(r"(?:^|[,;:]\s*|\.\s+)[Oo]f\s+(?:the\s+|its\s+)?(?:roughly\s+|about\s+|some\s+"
    r"|nearly\s+)?$")
_OUT_OF_RE = re.compile(r"\s*(?:out\s+)?of\s+(?:the\s+|its\s+|a\s+total\s+of\s+)?(?:about\s+|some\s+|roughly\s+)?",
                        re.I)
_AREA_OF_RE = re.compile(r"(?:\b(?:an?|the|total|surface)\s+)?\barea\s+of\s*(?:\w+\s+)?$")
#: the size of a place named just before, in apposition: "Khartoum State, a territory of some 22,000 km2"
_SIZE_APPOSITION_RE = re.compile(r",\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:territory|region|state|province|country"
                                 r"|governorate|district|island|landmass)\s+of\s*(?:\w+\s+){0,2}$", re.I)
#: a vague scale, no number: "a few hundred square kilometres", "several thousand hectares"
_VAGUE_SCALE_RE = re.compile(r"\b(?:a\s+few|few|several|many|some)\s+$", re.I)
_SCALE_WORDS = frozenset({"hundred", "thousand", "hundreds", "thousands"})
_ARTICLES_END_RE = re.compile(r"(?:\s+(?:an?|the|some))+$", re.I)
_AREA_OF_OBJECT_RE = re.compile(r"(?:\band|\bof|\bover|\bin|\binto|\bto|\bacross)\s*$")
#: adjectives and articles between a verb and "area of" ("trapped in a densely populated area of")
_AREA_OF_MODIFIERS_RE = re.compile(r"(?:\s+(?:an?|the|some|\w+ly|\w+ed|\w+al|small|large|tiny|narrow|new|total|whole"
    r"|vast|rural|\w+-\w+))+$", re.I)
#: "out of 96 barangays", "of the 17 townships", "there are 14 neighbourhoods": a total, not a figure
_TOTAL_COUNT_BEFORE_RE = re.compile(r"(?:(?:^|[,;:(“\"]\s*|(?<![A-Za-z\d-])\d+\s+)[Oo]ut\s+of"
                                    r"|\bof\s+(?:the|its|their|all)|\bamong"
    r"|\bthere\s+(?:are|were)|\bin\s+all)\s*(?:\w+['’]s\s+)?$"
                                    r"|\bof\s+(?:(?-i:[A-Z])[\w'’-]*\s+){0,2}(?-i:[A-Z])[\w'’-]+"
                                    r"(?:\s+(?:region|province|state|oblast|governorate|county))?['’]s\s+"
                                    r"(?:(?:some|about|roughly|nearly|almost"
                                    r"|around|approximately)\s+)?$", re.I)
#: a place's make-up, a total: "a province made up of 12 districts", "divided into 30 townships"
_MADE_UP_OF_RE = re.compile(r"\b(?:made\s+up\s+of|consist(?:s|ing)\s+of|compris(?:es|ing)|composed\s+of"
                            r"|(?:divided|split)\s+into)\s+(?:some\s+|about\s+)?$", re.I)
_DISPUTED_AFTER_RE = re.compile(r"\s+(?:are\s+|is\s+)?(?:as\s+)?(?:disputed|contested)\b", re.I)
_DIFFERENCE_AFTER_RE = re.compile(r"\s+(?:less|more|fewer)\s+(?:[\w-]+\s+){0,2}than\b", re.I)
_PLACE_HALF_RE = re.compile(r"\b(?:of|in)\s+(?:the\s+)?(?:[\w'’-]+['’]s\s+)?(?:eastern|western|northern|southern"
                            r"|east|west|north|south)\s+$", re.I)
#: ... or with no verb: "another 23 localities in six districts": where they lie, not what was taken
_SPREAD_RE = re.compile(r"\b(?:villages|towns|localities|settlements|hamlets)\s+(?:(?:spread|scattered|located|lying"
                        r"|situated)\s+(?:over|across|in|throughout)|in|across)\s+(?:the\s+)?"
                        r"(?:(?:more|less|fewer)\s+than\s+|some\s+|about\s+|over\s+)?$", re.I)
#: a place named after a date: "the 17 Tamuz neighbourhood", "6 October City", "the 30 June district"
_DATE_NAMED_RE = re.compile(r"\s+(?:January|February|March|April|May|June|July|August|September|October|November"
                            r"|December|Tamm?uz|Nisan|Ayy?ar|Haziran|Aylul|Tishr[ie]en|Kanun|Shubat|Adhar|Ramadan"
                            r"|Muharram)\b")
#: "seized one neighbourhood after another", "town by town": a sequence, not a count
_ONE_AFTER_ANOTHER_RE = re.compile(r"\s+(?:after|by)\s+(?:another|the\s+other|one)\b", re.I)
_BELONGING_RE = re.compile(r"\b(?:belonging\s+to|belongs\s+to|owned\s+by|lands?\s+of)\s+(?:the\s+)?$", re.I)
#: a share of something other than territory held: "accounts for 38 %", "absorbed 7 % of"
_NOT_SHARE_BEFORE_RE = re.compile(
    r"\b(?:accounts?\s+for|accounted\s+for|accounting\s+for|absorbed|absorbs"
        r"|by\s+itself\s+accounts\s+for)\s*(?:\w+\s+)?$"
    r"|(?<=accounted for)[^.;]{0,80}?\bfor\s+$", re.I)
#: a change in a statistic, not in ground: "homicides in the city had fallen by 7 percent"
_STATISTIC_CHANGE_RE = re.compile(
    r"\b(?:homicides|murders|killings|kidnappings|crimes?|crime\s+rates?|violence|attacks|casualties|deaths"
    r"|prices|inflation|exports|imports|production|output|revenues?|unemployment|poverty|turnout|infections"
    r"|cases|arrivals|desertions|recruitment)\b[^.;%]{0,50}?\b(?:fallen|fell|dropped|declined|decreased|rose"
    r"|risen|increased|grew|jumped|climbed|surged|down|up)\s+(?:by\s+)?(?:some\s+|about\s+|around\s+"
    r"|nearly\s+|almost\s+|roughly\s+)?$", re.I)
#: "... of the ground lost", "of the gains", "of the attacks": shares of events
_EVENTS_AFTER_RE = re.compile(
    r"\s+of\s+(?:the|its|their|all|those|these|this\s+year's|the\s+year's)\s+(?:\w+\s+)?(?:ground\s+(?:lost|gained"
        r"|taken)|gains|losses|advances"
    r"|deaths|killings|attacks|assaults|strikes|casualties|victims|incidents|fatalities|violence|land\s+\w+\s+(?:took"
        r"|captured|seized|gained)"
    r"|(?:land|territory|ground|area)\s+(?:that\s+)?(?:[A-Z][\w-]*|it|they)\s+(?:took|captured|seized|gained"
        r"|won)\s+(?:this|last|in)\b)", re.I)
_SHRINK_BY_RE = re.compile(
    r"\b(?:shrank|shrunk|shrinks?|shrinking|reduced|decreased|fallen|fell|dropped|declined"
    r"|contracted|cut|diminished|melted|melts|melting|eroded|dwindled)\s+by\s+$", re.I)
#: no part of a territory exceeds the whole: a larger percentage is a growth rate
_MAX_SHARE = 100.0
_GROWTH_BEFORE_RE = re.compile(
    r"\b(?:grew|grown|grows?|growing|increased?|increasing|expanded|rose|risen|jumped|surged"
    r"|climbed|(?<!make\s)(?<!makes\s)(?<!made\s)(?<!making\s)(?<!given\s)(?<!gave\s)(?<!giving\s)(?<!give\s)(?<!gives\s)up(?!\s+to\b)|rise|growth|increase|swelled|doubled)\s+(?:by\s+)?(?:of\s+)?(?:\w+\s+)?$"
    r"|\b(?:multipl\w+|increased|grew|rose|swelled|jumped|expanded|enlarg\w+|expand\w+|widen\w+)\s+(?:the\s+)?"
    r"(?:number|size|count|strength|ranks|area|territory|zone|holdings)\b"
    r"[^.;]{0,60}?\bby\s+(?:some\s+|about\s+|roughly\s+|around\s+|nearly\s+|over\s+|more\s+than\s+)?$", re.I)
#: a length right before a share restating it: "4,870 km, or about 72 percent" of a border
_LENGTH_RESTATED_RE = re.compile(r"\d[\d,.]*\s*(?:km|kilometres?|kilometers?|miles?)\b(?![²2])\s*,?\s*(?:or\s+)?"
                                 r"(?:about\s+|some\s+|roughly\s+|around\s+|nearly\s+|almost\s+)?$", re.I)
#: a share's new level after an earlier one: "stood at 51.5 % in December and has since risen to 54 %"
_RISEN_TO_RE = re.compile(r"\b(?:grew|grown|increased|expanded|rose|risen|climbed|jumped)\s+to\s+(?:\w+\s+)?$", re.I)
_AFTER_PCT_OK = {
    "in", "by", "across", "during", "over", "since", "last", "this", "from", "to", "and",
    "while", "after", "before", "now", "so", "already", "alone", "within", "as", "at", "on",
    "compared", "according", "respectively", "or", "back", "which", "earlier", "previously",
    "a", "the", "inside", "when", "but", "under", "held", "it", "they", "he", "she",
    "are", "is", "was", "were", "remain", "remains", "remained", "lie", "lies", "fell", "falls",
    "between", "through", "until", "today",
}
#: a share compared with the one before: "..., against 56.8 % for the government"
_VERSUS_SHARE_RE = re.compile(r"(?:%|percent|per cent)[^.;]{0,60}?(?:,\s*|\b)"
                              r"(?:against|compared\s+(?:with|to)|versus|vs\.?)"
                              r"\s+(?:\w+\s+)?[\d.,]+\s*(?:%|percent|per cent)$", re.I)
_FORMER_RE = re.compile(
    r"^(?:(?:its|their|the group's|the militants'|the jihadists'|the terrorists')\s+(?:\w+\s+)?(?:territory|territories"
        r"|land|lands|caliphate|areas?|holdings|domain|strongholds|turf|conquests|gains)\b|what (?:it|they)"
    r"|the land it|the"
    r" (?:territory|land|area|areas|lands|territories|ground) (?:it|they|the group|\w+)"
    r" (?:once |had |previously |formerly "
        r"|at one point |at its peak )*(?:held|controlled|occupied|seized|captured|had)"
    r"|(?:the |its |their )?(?:former|self-declared|so-called) |the caliphate|its caliphate)", re.I)
_TERRITORY_RE = re.compile(
    r"^(?:the\s+|all\s+|its\s+|their\s+|both\s+)?(?:[\w.-]+['’]s\s+)?"
    # "three-quarters of the roughly 9,000 km2 enclave": the whole's size before its noun
    r"(?:(?:about|some|roughly|nearly|around|approximately|almost)\s+)?(?:\d[\d,.]*\s*(?:km²|km2|sq\.?\s*km"
    r"|square[\s-]+(?:kilometres?|kilometers?|miles?))[\s-]+)?"
    r"(?:[\w'’]+-[\w'’-]+\s+)?(?:\w+\s+)?"
    r"(?:territory|territories|land|lands"
        r"|area|areas"
    # "a third of the two countries": a share of two states' land together
    r"|country|countries|nation|province|provinces|governorate|region|city|district|districts|town|oblast|enclave"
    r"|pocket|countryside|state|soil|map|ground|caliphate|peninsula|strip|valley|desert|zone"
    r"|capital|island|metropolitan area|outskirts|suburbs?|bank|sector|municipality"
    r"|surface|landmass|neighbou?rhoods|quarter|old city|downtown|centre|center|county|prefecture"
    r"|communities|villages|towns|townships|settlements|localities|districts|municipalities|neighbou?r"
    r"|bastion|stronghold|heartland)\b", re.I)
_PROPER_NP_RE = re.compile(
    r"^(?:the\s+)?(?P<name>[A-Z][\w'’-]*(?:\s+(?:al-|el-)?[A-Z][\w'’-]*){0,2})(?=[.!?]?\s*$|\s+(?:in|by"
    r"|since|from|after|before|last|this|on|at|to|within|over|during|under|until|when|so|earlier"
    r"|now|already|alone|yesterday|today)\b)")
#: a share of people, not of land: "the city's residents", "Yemen's 33 million people"
_PEOPLE_NP_RE = re.compile(
    r"^(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+['’]s\s+)?(?:[\w.,-]+\s+){0,3}?(?:million\s+|thousand\s+)?"
    r"(?-i:residents|people|population|inhabitants|civilians|citizens|voters|households|families|refugees"
    r"|displaced|Afghans|Syrians|Iraqis|Yemenis|Somalis|Haitians|Ukrainians|Palestinians)(?!['’\w])", re.I)
#: a share of assets, not of land: "95 percent of Libya's oil fields and export terminals"
_ASSET_NP_RE = re.compile(
    r"^(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+['’]s\s+)?(?:[\w-]+\s+){0,2}?(?:oil\s*fields|gas\s*fields"
    r"|oil\s+wells|oil\s+(?:production|output|exports|reserves)|refiner(?:y|ies)|export\s+terminals|power\s+(?:plants"
    r"|stations|grid)|electricity|budget|revenues?|economy|GDP|trade|imports|exports)\b", re.I)
#: a share of a sum of money: "more than a quarter of the country's $2 billion in cross-border trade"
_MONEY_NP_RE = re.compile(
    r"^(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+['’]s\s+)?(?:some\s+|about\s+|nearly\s+|over\s+)?"
    r"(?:US\s*)?[$€£]\s?\d")
#: a share by which a state of affairs got better or worse: "security is better by 60 percent"
_BETTER_BY_RE = re.compile(r"\b(?:better|worse|improved|safer|calmer)\s+by\s+$", re.I)
#: land burned by fires: "wildfires have scorched over 3,000 hectares of farmland"
_BURNED_BEFORE_RE = re.compile(r"\b(?:burn(?:ed|t|s|ing)?|scorch(?:ed|es|ing)?|charred|torched)\s+$", re.I)
#: "the war was '95 percent' won": a share of a task, not of land
_DONE_RE = re.compile(r"^[\"”’']?\s*(?:won|over|complete|completed|done|finished|ready|successful|accomplished)"
                      r"\s*(?:[.,;:!?\"”]|$)", re.I)
_PEOPLE_RE = re.compile(r"(?:ans|(?<!a)is|ese|ers|ites|ists)$")  # not "-ais" places (Mirebalais)
_REGION_WORDS = re.compile(r"\b(?:province|governorate|region|oblast|district|city|town|enclave|pocket|valley)\b", re.I)


#: lower-case substrings, one of which each kind of quantity needs (cheap gates)
_UNIT_KEYS = ("squ", "sq", "km", "mi2", "mi²", "hectare", "acre", "dun", "dön", "donu", "donü",
              "decare", "m2", "m²")
_HA_RE = re.compile(r"(?:\b|(?<=\d))ha\b", re.I)
_PCT_KEYS = ("%", "cent", "pct")
_FRACTION_KEYS = ("half", "third", "quarter", "fourth", "fifth", "sixth", "tenth")
_SETTLEMENT_KEYS = ("town", "village", "settlement", "localit", "hamlet", "communit", "council", "payam",
                    "woreda", "prefecture", "raion", "hromada",
                    "population cent", "populated",
                    "provincial cent", "regional cent", "cities", "city", "capitals", "district", "barangay",
                    "ward", "neighb", "municipal", "commune", "local government", "lga", "kebele",
                    "count", "borough")
#: lower-case substrings one of which every quantity needs (a cheap gate before the regexes)
_KEYWORDS = (
    "squ", "sq", "km", "mi2", "mi²", "hectare", " ha", *(f"{d}ha" for d in range(10)), "acre", "dun", "dön", "donum",
    "decare",
    "m2", "m²", "%", "percent", "per cent", "per-cent", "pct", "half", "third", "quarter", "fourth", "fifth", "sixth",
    "tenth", "town", "village", "settlement", "localit", "hamlet", "communit", "populat", "cities",
    "capitals", "capital", "centre", "center", "district", "city", "barangay", "ward", "neighb", "municipal", "commune",
    "local government", "lga", "kebele", "count", "borough", "council", "payam", "woreda", "prefecture",
    "raion", "hromada",
)


_KEYWORD_RE = re.compile("|".join(re.escape(k) for k in _KEYWORDS))


def may_hold_quantity(sentence: str) -> bool:
    """False when `sentence` certainly holds no quantity (fast substring test)."""
    return _KEYWORD_RE.search(sentence.lower()) is not None


@dataclass
class Quantity:
    """One quantity mention (offsets in the sentence)."""

    kind: str  # area | share | settlements
    value: float
    start: int
    end: int
    qualifier: str = "exact"
    value_max: float | None = None
    change: str | None = None  # "from" (earlier value) | "to" (new value) of a from-to change
    share_of: str | None = None  # country | region | city | former_territory | territory
    place: str | None = None
    unit_text: str = ""
    extra: dict = field(default_factory=dict)


#: a participle of change right before the from-to ("kept shrinking, falling from 78,000 km² to
#: 60,400 km²", "melted by 14 percent, going from 90,800 to 78,000 sq km")
_CHANGE_GERUND_RE = re.compile(r"\b(?:falling|dropping|shrinking|contracting|declining|rising|growing|climbing"
                               r"|going|moving)\s+$", re.I)


def _range_or_change(m: re.Match[str], sentence: str) -> str:
    """'range', 'change' (from-to after a change verb) or 'single'."""
    if not m.group("n2"):
        return "single"
    pre = (m.groupdict().get("pre") or "").strip().lower()
    between = sentence[m.end("n1"): m.start("n2")].strip().lower()
    if between == "and" and pre != "between":
        return "list"
    if pre == "from":
        from .patterns.verbs import CHANGE_RE

        if CHANGE_RE.search(sentence[max(0, m.start() - 40): m.start()]) \
                or _CHANGE_GERUND_RE.search(sentence, max(0, m.start() - 14), m.start()):
            return "change"
        # "have lifted the part of Burkina Faso under state authority from 40 to 70 percent": a
        # change verb further back, with no other number in between
        far = [c for c in CHANGE_RE.finditer(sentence, max(0, m.start() - 100), m.start())
               if not re.search(r"[\d;]", sentence[c.end(): m.start()])]
        if far:
            return "change"
    return "range"


def _emit(kind: str, m: re.Match[str], sentence: str, conv, out: list[Quantity]) -> None:
    """Append the Quantity(s) for one match (single, range or from-to change)."""
    shape = _range_or_change(m, sentence)
    v1 = parse_number(m.group("n1"))
    if v1 is None:
        return
    qual = qualifier_of(m.group("qual"))
    start = m.start("qual") if m.group("qual") else m.start("n1")
    if shape == "list":
        v2 = parse_number(m.group("n2"))
        out.append(Quantity(kind, conv(v1), m.start("n1"), m.end("n1"), qual))
        if v2 is not None:
            out.append(Quantity(kind, conv(v2), m.start("n2"), m.end()))
        return
    if shape in ("range", "change"):
        v2 = parse_number(m.group("n2"))
        if v2 is None:
            return
        if shape == "range":
            out.append(Quantity(kind, conv(v1), start, m.end(), "range", conv(v2)))
        else:
            out.append(Quantity(kind, conv(v1), start, m.start("n2"), qual, change="from"))
            out.append(Quantity(kind, conv(v2), m.start("n2"), m.end(), "exact", change="to"))
        return
    sq, length = suffix_qualifier(sentence[m.end():])
    out.append(Quantity(kind, conv(v1), start, m.end() + length, sq or qual))


_HELD_ADJ_RE = re.compile(r"\b(?:held|controlled|occupied|besieged|embattled|contested|rebel|opposition|northern"
                          r"|southern|eastern|western|central)\b", re.I)


#: the earlier value of a share just given ("60.7 percent, up from 55.7 percent in October")
_EARLIER_FROM_RE = re.compile(r",\s+(?:up|down)\s+from\s+(?:(?:about|around|some|roughly|nearly|almost|just|over|under"
                              r"|less\s+than|more\s+than|the)\s+)*$", re.I)


def _earlier_from(sentence: str, start: int, end: int) -> bool:
    """Whether the number of a match is the earlier value after ", up from" / ", down from"."""
    digit = re.search(r"\d", sentence[start:end])
    pos = start + (digit.start() if digit else 0)
    return bool(_EARLIER_FROM_RE.search(sentence, max(0, pos - 40), pos))


#: a bracketed number right after a share: "16 percent (29,600 km2)"
_BRACKETED_NUMBER_RE = re.compile(r"^\s*\(\s*(?:about\s+|some\s+|roughly\s+)?\d[^()]{0,28}\)")


#: a comma between two adjectives of one part, no end of the phrase: "half of the eastern, rebel-held part of"
_COORD_ADJ_COMMA = r"(?!\s+[\w-]+\s+(?:part|parts|half|sector|side|section|districts|neighbou?rhoods)\s+of\b)"


def _share_np(sentence: str, end: int) -> tuple[bool, str | None, str | None]:
    """Judge what a share is a share of: (territorial?, share_of, place)."""
    rest = sentence[end:]
    # "19 % occupation of Ukraine's territory"; "of.the" (a typo in real text)
    m = re.match(r"^\s*(?:(?:occupation|control)\s+)?(?:of(?:\s+|\.(?=the\b)))?", rest)
    has_of = bool(m and m.group(0).rstrip().rstrip(".").endswith("of"))
    np = rest[m.end() if m else 0:]
    np = re.split(r"[;:()\"”“]|,(?!\d{3})" + _COORD_ADJ_COMMA + r"|\s(?:which|that|and|while|as|but|—|–)\s", np,
                  maxsplit=1)[0][:90]
    np_start = end + (m.end() if m else 0)
    if has_of and re.match(r"(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+['’]s\s+)?total\b(?!\s+(?:land\s+)?(?:area|territory"
                           r"|land|surface|landmass|size))", np, re.I):
        return False, None, None  # "about a quarter of the country's total" (of a count named before)
    if has_of and _PEOPLE_NP_RE.match(np):
        return False, None, None  # "80 % of the city's residents", "half of Yemen's 33 million people"
    if has_of and _ASSET_NP_RE.match(np):
        return False, None, None  # "95 percent of the country's oil fields": assets, not ground
    if has_of and _MONEY_NP_RE.match(np):
        return False, None, None  # "a quarter of Laos's $900 million in exports": money, not ground
    if not has_of and _DONE_RE.match(rest):
        return False, None, None  # the war "95 percent" won
    places = [p._replace(start=p.start - np_start, end=p.end - np_start)
              for p in find_places(sentence) if np_start <= p.start and p.end <= np_start + len(np)]
    if not has_of:
        if _FORMER_RE.match(np) and re.match(r"^\s*(?:its|their)\s+(?:\w+\s+)?(?:territory|territories|land|lands"
            r"|caliphate|area|areas)", np, re.I):
            return True, "former_territory", None
        # "slipped to 16 percent (29,600 km2) from 19 percent": look past a bracketed conversion
        rest = _BRACKETED_NUMBER_RE.sub("", rest, count=1)
        word = (rest.strip().split() or [""])[0].lower().strip(".,;:!?\"”’)")
        if word == "for" and _VERSUS_SHARE_RE.search(sentence, max(0, end - 120), end):
            return True, None, None  # "13 % of the country, against 57 % for the government"
        return (not rest.strip() or word in _AFTER_PCT_OK or not word), None, None
    if _FORMER_RE.match(np):
        return True, "former_territory", places[0].name if places else None
    if re.match(r"^which\s+(?:has|have|had|was|were|is|are)\b", np):
        return True, "territory", None  # "the enclave, more than half of which has been retaken"
    if re.match(r"^(?:it|them)\b", np):
        return True, "territory", None
    if places and (places[0].start <= 12 or places[0].start <= 40 and _HELD_ADJ_RE.search(np, 0, places[0].start)):
        # "of Idlib", "of the long terrorist-held Idlib province"
        return True, places[0].kind, places[0].name
    if _unknown_place(np):
        return True, "place", None
    if _TERRITORY_RE.match(np):
        if places:
            return True, places[0].kind, places[0].name
        low = np.lower()
        if re.search(r"\b(?:country|countries|nation|state)\b", low):
            return True, "country", None
        if _REGION_WORDS.search(low):
            return True, "region", None
        return True, "territory", None
    return False, None, None


def _unknown_place(np: str) -> bool:
    """'of Baghouz', 'of Khartoum': a proper name ending its noun phrase is a place the place
    list does not know (not an actor, not a people such as 'Iraqis', not 'X's population')."""
    m = _PROPER_NP_RE.match(np)
    if not m or _PEOPLE_RE.search(m.group("name")):
        return False
    from .actors import find_actors

    return not find_actors(m.group("name"))


def _named_places(sentence: str) -> list[Quantity]:
    """'troops captured the villages of Hawash and Jabrieh': a count of the places named right
    after a verb of capture or loss."""
    out = []
    for m in _NAMED_PLACES_RE.finditer(sentence):
        names = [n for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group("list")) if n]
        if 2 <= len(names) <= 8:
            out.append(Quantity("settlements", float(len(names)), m.start("the"), m.end(), extra={"named": True}))
    return out


def find_quantities(sentence: str, carry: str | None = None) -> list[Quantity]:
    """All area, share and settlement quantities in `sentence`, in order; `carry` is the kind
    of the sentence before's last count or area, for a count here that leaves its noun out
    ("they had captured 125 more")."""
    out: list[Quantity] = []
    starts = quantity_starts(sentence)
    named = _named_places(sentence) if " of " in sentence else []
    if not starts:
        return sorted(named + _ordinal_counts(sentence), key=lambda q: q.start)

    areas: list[Quantity] = []
    low = sentence.lower()
    has_unit = any(k in low for k in _UNIT_KEYS) or "ha" in low and bool(_HA_RE.search(sentence))
    skipped_end = 0
    wholes: list[Quantity] = []  # totals that are no figure but anchor an elliptical part after them
    for m in matches_at(AREA_RE, sentence, starts) if has_unit else ():
        unit = unit_of_match(m.groupdict())
        if unit is None:
            continue
        if _TOTAL_AREA_BEFORE_RE.search(sentence[max(0, m.start() - 40): m.start()]) \
                and (not _ZONE_COVERS_RE.search(sentence[max(0, m.start() - 110): m.start()])
                     or _WHOLE_COVERS_RE.match(sentence, 0, m.start())
                     or _NATIONAL_COVERS_RE.search(sentence, max(0, m.start() - 80), m.start())):
            skipped_end = m.end()
            wholes.append(Quantity("area", 0.0, m.start(), m.end(), unit_text=unit))
            continue
        if skipped_end and re.fullmatch(r"\s*(?:\(|,?\s*or\s+)\s*(?:about\s+|some\s+|roughly\s+)?",
                                        sentence[skipped_end: m.start()]):
            skipped_end = m.end()
            continue  # the conversion of a skipped total: "covers 252,120 sq km (97,344 sq miles)"
        area_of = _AREA_OF_RE.search(sentence, max(0, m.start() - 40), m.start())
        if area_of and not _area_of_is_object(sentence, area_of.start()):
            continue
        if _SIZE_APPOSITION_RE.search(sentence, max(0, m.start() - 60), m.start()):
            continue  # "Khartoum State, a territory of slightly more than 22,000 km2": the place's size
        if m.group("n1").lower() in _SCALE_WORDS and _VAGUE_SCALE_RE.search(sentence, max(0, m.start("n1") - 12),
                                                                           m.start("n1")):
            continue  # "dwindled to a few hundred square kilometres": no figure
        if _OF_THE_TOTAL_RE.search(sentence, max(0, m.start() - 30), m.start()):
            wholes.append(Quantity("area", 0.0, m.start(), m.end(), unit_text=unit))
            continue  # "Of the roughly 37,000 km2 of Nineveh, some 15,000 are held": the whole
        if areas and _OUT_OF_RE.fullmatch(sentence[areas[-1].end: m.start()]):
            continue  # "7300 sq. km out of 8600 sq. km": the second is the whole
        part = _PART_OF_RE.search(sentence, max(0, m.start() - 60), m.start())
        if part and not m.group("pre"):  # "95 of the 120 square kilometres": 95 is the figure
            v = parse_number(part.group("n"))
            if v is not None:
                areas.append(Quantity("area", to_km2(v, unit), part.start(), m.end(),
                                      qualifier_of(part.group("qual")), unit_text=unit))
                continue
        if _BURNED_BEFORE_RE.search(sentence, max(0, m.start() - 12), m.start()):
            continue  # "fires burned 800 hectares": land burned, not held
        if _DIFFERENCE_AFTER_RE.match(sentence, m.end()):
            continue  # "holds 3,000 km2 less territory than it did": a difference, not a holding
        if _RATE_AFTER_RE.match(sentence, m.end()):
            continue  # "advance by some 30 km2 a day": a rate, not ground taken
        found: list[Quantity] = []
        _emit("area", m, sentence, lambda v, u=unit: to_km2(v, u), found)
        for q in found:
            q.unit_text = unit
        areas.extend(found)
    if areas and _DEMINING_RE.search(sentence):
        # "68,900 hectares cleared of mines": demining, not control; a clause of its own
        # ("units are clearing mines, and only 25 km2 remain in the militants' hands") leaves the rest
        areas = [q for q in areas if not _DEMINING_RE.search(_segment(sentence, q))
                 and _HELD_SEGMENT_RE.search(_segment(sentence, q))]
    out.extend(_merge_conversions(areas, sentence))
    if "km" in low or "kilomet" in low:
        out.extend(_loose_areas(sentence, out, starts))
    for m in matches_at(SHARE_RE, sentence, starts) if any(k in low for k in _PCT_KEYS) else ():
        earlier = any(q.kind == "share" and q.end <= m.start() for q in out) \
            and _earlier_from(sentence, m.start(), m.end())
        trend = any(q.kind == "share" and q.end <= m.start() for q in out) \
            and _RISEN_TO_RE.search(sentence, max(0, m.start() - 30), m.start())
        if not earlier and not trend and _GROWTH_BEFORE_RE.search(sentence[max(0, m.start() - 100): m.start()]) \
                or _NOT_SHARE_BEFORE_RE.search(sentence, max(0, m.start() - 120), m.start()) \
                or _STATISTIC_CHANGE_RE.search(sentence, max(0, m.start() - 80), m.start()) \
                or _BETTER_BY_RE.search(sentence, max(0, m.start() - 30), m.start()) \
                or _EVENTS_AFTER_RE.match(sentence, m.end()) \
                and not _HOLD_VERB_BEFORE_RE.search(sentence, max(0, m.start() - 40), m.start()):
            continue  # (what a party still holds or lost of the land it seized is a share of its former land)
        if _LENGTH_RESTATED_RE.search(sentence, max(0, m.start() - 60), m.start()):
            continue  # "hold roughly 4,870 km, or about 72 percent" (of a frontier): a share of a length
        if _DISPUTED_AFTER_RE.match(sentence, m.end()):
            continue  # "another 23.3 percent as disputed": contested ground is nobody's
        found = []
        _emit("share", m, sentence, float, found)
        if any(q.value > _MAX_SHARE and q.value_max is None for q in found):
            continue  # "enlarged the land under their control by 186 percent": a growth rate, not a share
        ok, share_of, place = _share_np(sentence, m.end())
        if not ok and earlier:
            ok, share_of, place = True, "territory", None  # "60.7 percent ..., up from 55.7 percent in October"
        if not ok:
            continue
        for q in found:
            q.share_of, q.place = share_of, place
        out.extend(found)
    for m in matches_at(FRACTION_RE, sentence, starts) if any(k in low for k in _FRACTION_KEYS) else ():
        if any(q.start <= m.start("n1") < q.end for q in out):
            continue
        if _NOT_SHARE_BEFORE_RE.search(sentence, max(0, m.start() - 120), m.start()) \
                or _EVENTS_AFTER_RE.match(sentence, m.end()) \
                and not _HOLD_VERB_BEFORE_RE.search(sentence, max(0, m.start() - 40), m.start()):
            continue
        value = parse_number(m.group("n1"))
        if value is None or not is_fraction(m.group("n1")) or value >= 1:
            continue
        if _PLACE_HALF_RE.search(sentence, max(0, m.start() - 40), m.start()):
            continue  # "11 percent of the city's western half": a place, not a share
        ok, share_of, place = False, None, None
        if m.group("np") is not None:
            ok, share_of, place = _share_np(sentence, m.end())
            ok = ok and (share_of is not None or bool(re.match(r"^\s*of\b", sentence[m.end():])))
            rest = sentence[m.end():].lstrip()
            if not ok and re.match(r"(?:the|its|their)\s", rest, re.I) and _TERRITORY_RE.match(rest):
                ok, share_of, place = True, "territory", None  # "half the town"
        if not ok and any(q.kind == "share" for q in out) \
                and re.search(r"\b(?:up|down)\s+from\s+$|\bcompared\s+with\s+$",
                              sentence[max(0, m.start() - 16): m.start()]):
            ok, share_of, place = True, "territory", None  # "70 percent, up from less than half two years ago"
        if not ok and _SHRINK_BY_RE.search(sentence, max(0, m.start() - 30), m.start()):
            ok, share_of, place = True, "territory", None  # "the area it holds shrank by a third"
        if not ok and any(q.kind == "share" and q.end <= m.start() for q in out) \
                and (_LIST_END_RE.match(sentence, m.end())
                     or re.search(r"\bthe\s+(?:other|remaining)\s+$", sentence[max(0, m.start() - 16): m.start()])):
            ok, share_of, place = True, "territory", None  # "X 52 percent, the Houthis about a quarter"
        if not ok:
            continue
        start = m.start("qual") if m.group("qual") else m.start("n1")
        out.append(Quantity("share", round(value * 100, 2), start, m.end(),
                            qualifier_of(m.group("qual")), share_of=share_of, place=place))
    for m in _REMAINING_PART_RE.finditer(sentence) if "the " in low else ():
        # "Haftar holds about two-thirds of the country, while the GNU controls the remaining third"
        if any(q.kind == "share" and q.end <= m.start() for q in out) \
                and not any(q.start <= m.start("frac") < q.end for q in out):
            out.append(Quantity("share", _REMAINING_SHARE[m.group("frac").lower()], m.start("frac"), m.end("frac"),
                                share_of="territory"))
    for m in _COMPASS_PART_RE.finditer(sentence) if ("quarter" in low or "third" in low) else ():
        # "controls the south-eastern quarter of Rutshuru territory": a part named by its side
        if any(q.start <= m.start("frac") < q.end for q in out) or m.group("frac").lower() == "quarter" \
                and re.match(r"\s+of\s+(?:the\s+)?(?:old\s+)?(?:city|town|capital)\b", sentence[m.end("frac"):], re.I):
            continue  # ("the eastern quarter of the city" is a neighbourhood)
        ok, share_of, place = _share_np(sentence, m.end("frac"))
        if ok:
            out.append(Quantity("share", _COMPASS_SHARE[m.group("frac").lower()], m.start(), m.end("frac"),
                                share_of=share_of, place=place))
    for q in [q for q in out if q.kind == "share"] if "all of" in low else ():
        every = _AND_ALL_OF_RE.match(sentence, q.end)
        if every:  # "90 % of Mirebalais and all of Saut-d'Eau": the second place entirely
            ok, share_of, place = _share_np(sentence, every.end("of") - 2)
            if ok:
                out.append(Quantity("share", 100.0, every.start("all"), every.end("of"), share_of=share_of,
                                    place=place))
    has_settlement = any(k in low for k in _SETTLEMENT_KEYS)
    for m in matches_at(SETTLEMENT_OF_RE, sentence, starts) if has_settlement and "of" in low else ():
        if any(q.start <= m.start("n1") < q.end for q in out):
            continue
        value = parse_number(m.group("n1"))
        if value is None or re.match(r"^(?:19|20)\d\d$", m.group("n1")):
            continue
        if m.group("n1").lower() == "one" and _MEMBER_BEFORE_RE.search(sentence, max(0, m.start() - 12), m.start()):
            continue  # "Bayhan is one of three districts ...": membership, not a count
        if m.group("n2") and re.search(r"\b(?:every|each)\s+$", sentence[max(0, m.start() - 8): m.start()]):
            value = parse_number(m.group("n2")) or value  # "every one of Tal Afar's 27 neighbourhoods"
        start = m.start("qual") if m.group("qual") else m.start("n1")
        out.append(Quantity("settlements", value, start, m.end(), qualifier_of(m.group("qual"))))
    for m in ALL_SETTLEMENTS_RE.finditer(sentence) if has_settlement and "all " in low else ():
        value = parse_number(m.group("n1"))
        if value is None or any(q.start <= m.start("n1") < q.end for q in out):
            continue
        out.append(Quantity("settlements", value, m.start(), m.end()))
    for m in CAPITALS_OF_RE.finditer(sentence) if "capitals of" in low else ():
        value = parse_number(m.group("n1"))
        if value is None or any(q.start <= m.start("n1") < q.end for q in out):
            continue
        out.append(Quantity("settlements", value, m.start(), m.end()))
    out.extend(q for q in named if not any(p.start <= q.start < p.end or q.start <= p.start < q.end for p in out))
    for m in matches_at(SETTLEMENT_RE, sentence, starts) if has_settlement else ():
        if any(q.start <= m.start("n1") < q.end for q in out):
            continue
        if _TOTAL_COUNT_BEFORE_RE.search(sentence, max(0, m.start() - 30), m.start()) \
                and not _DRIVEN_OUT_OF_RE.search(sentence, max(0, m.start() - 70), m.start()) \
                or _MADE_UP_OF_RE.search(sentence, max(0, m.start() - 30), m.start()):
            wholes.append(Quantity("settlements", 0.0, m.start(), m.end()))
            continue
        if _SPREAD_RE.search(sentence, max(0, m.start() - 40), m.start("n1")):
            continue  # "24 villages spread over four districts": where, not what
        if _BELONGING_RE.search(sentence, max(0, m.start() - 30), m.start()):
            continue  # "35 dunams belonging to two Palestinian villages": whose land, not places taken
        if re.match(r"^(?:19|20)\d\d$", m.group("n1")):
            continue
        if m.group("n1").lower() in _SCALE_WORDS and _VAGUE_SCALE_RE.search(sentence, max(0, m.start("n1") - 12),
                                                                           m.start("n1")):
            continue  # "several hundred villages": no count
        if m.group("n1").isdigit() and _DATE_NAMED_RE.match(sentence, m.end("n1")):
            continue  # "the Iqtisadiyeen and 17 Tamuz neighbourhoods": a name, not a count
        if _ONE_AFTER_ANOTHER_RE.match(sentence, m.end()):
            continue  # "taking one village after another": a sequence, not a count
        found = []
        _emit("settlements", m, sentence, float, found)
        if len(found) == 1 and re.search(r"\bother\b", m.group(0), re.I) \
                and _PLUS_OTHER_RE.search(sentence, max(0, m.start() - 20), m.start()):
            found[0].value += 1  # "holds Shewa Robit together with eight other towns": nine
        out.extend(found)
    for m in _BOTH_RE.finditer(sentence) if has_settlement and "both " in low else ():
        if not any(q.start <= m.start() < q.end for q in out):
            out.append(Quantity("settlements", 2.0, m.start(), m.end()))  # "recaptured both villages": two
    tally = TALLY_TO_RE.search(sentence) if ("number of" in low or "tally" in low or "count of" in low) else None
    if tally is None and ("brings to" in low or "bringing to" in low or "brought to" in low):
        tally = BRINGS_TO_RE.search(sentence)
    if tally and not any(q.start <= tally.start("n") < q.end for q in out):
        v = parse_number(tally.group("n"))
        if v is not None:
            out.append(Quantity("settlements", v, tally.start("qual") if tally.group("qual") else tally.start("n"),
                                tally.end(), qualifier_of(tally.group("qual"))))
    number_of = NUMBER_OF_RE.search(sentence) if "number of" in low else None
    for m in matches_at(BARE_CHANGE_RE, sentence, starts) if number_of else ():
        if re.match(r"^(?:19|20)\d\d$", m.group("n1")) or re.match(r"^(?:19|20)\d\d$", m.group("n2")):
            continue  # "from 2014 to 2017" is a period
        if number_of and m.start() > number_of.end() and not any(q.start <= m.start("n1") < q.end for q in out):
            found = []
            _emit("settlements", m, sentence, float, found)
            out.extend(found)
    if out and any(q.kind in ("settlements", "area") for q in out) or wholes:
        out.extend(_elliptical(sentence, out, starts, wholes))
    if re.search(r"\brespectively\b", sentence, re.I):
        out = _expand_lists(out, sentence)
    out = [q for q in out if not (q.kind == "share" and q.unit_text == "" and _is_restated(q, out, sentence))]
    for q in out:
        if q.kind in ("share", "area") and _RE_ESTIMATE_ASIDE_RE.search(sentence, max(0, q.start - 60), q.start):
            q.extra["re_estimate"] = True  # "took two-thirds of the enclave (a cautious count puts it at 58 %)"
    own = [q.start for q in out if q.kind == carry]
    if carry:
        whole = Quantity(carry, 0.0, 0, 0, unit_text="km2" if carry == "area" else "")
        parts = _PARTITION_OPEN_RE.match(sentence)
        for q in _elliptical(sentence, out, starts, [whole], near_only=parts is not None):
            if own and not (q.end <= min(own) and _OF_THEM_RE.match(sentence, q.end)):
                continue  # "four of them had been retaken ..., and troops freed three other villages"
            if _RE_ESTIMATE_BEFORE_RE.search(sentence, max(0, q.start - 80), q.start):
                q.extra["re_estimate"] = True  # "monitors put the month's figure nearer 480"
                if q.qualifier == "exact" and re.search(r"\b(?:nearer|closer|near|around)\s+(?:to\s+)?$",
                                                        sentence[max(0, q.start - 12): q.start], re.I):
                    q.qualifier = "approx"
            elif not (q.extra.get("lead") in ("another", "a further", "the remaining", "the other")
                      or _MORE_AFTER_RE.match(sentence, q.end)
                      or parts and (q.start == parts.end()
                                    or _CONTRAST_OPEN_RE.search(sentence, parts.end(), q.start))):
                continue
            out.append(q)
    for q in _ordinal_counts(sentence):
        same = next((o for o in out if o.start <= q.start < o.end or q.start <= o.start < q.end), None)
        if same is None:
            out.append(q)
        elif same.kind == q.kind:
            same.extra.update(q.extra)  # "the number of capitals lost ... rose to eleven": found, now marked
    if (carry == "settlements" or any(q.kind == "settlements" for q in out)) and not any(q.kind == "area" for q in out):
        out.extend(_table_items(sentence, out))
    # a year is no count or area ("580 km2 in 2023 and 4,000 km2 in 2024"); "one and a half times the
    # size of" is a multiplier
    out = [q for q in out if not (q.kind != "share" and _YEAR_RE.fullmatch(sentence[q.start: q.end].strip()))
           and not _TIMES_AFTER_RE.match(sentence, q.end)]
    for q in out:
        year = _YEAR_RANGE_RE.match(sentence, q.start) if q.qualifier == "range" else None
        if year and q.value_max is not None:  # "from 108,651 km2 on 12 November 2022 to 114,493 km2": a date
            q.value, q.value_max, q.start = q.value_max, None, year.start("qual") if year.group("qual") else year.end()
            q.qualifier = qualifier_of(year.group("qual"))
    out.sort(key=lambda q: q.start)
    for a, b in zip(out, out[1:], strict=False):
        if a.kind == b.kind and not a.change and not b.change and _FROM_BEFORE_RE.search(sentence, 0, a.start) \
                and (_TO_GAP_RE.fullmatch(sentence, a.end, b.start)
                     or a.kind == "share" and _TO_GAP_DATED_RE.fullmatch(sentence, a.end, b.start)):
            a.change, b.change = "from", "to"  # "dropped from 77,800 sq km (30,039 sq miles) to about 65,400 sq km"
    if "of them" in low or "of those" in low or "of these" in low or "of which" in low:
        # "captured more than 53 towns, roughly 23 percent of them in districts bordering India": a
        # share of the places counted, not of a territory
        out = [q for q in out if not (q.kind == "share" and _OF_THEM_RE.match(sentence, q.end) and any(
            p.kind == "settlements" and p.end <= q.start for p in out))]
    if "second" in low:
        # "to 40 percent after a second pullback and to 15 percent after a third": an ordinal
        out = [q for q in out if not (q.kind == "share" and _ORDINAL_FRACTION_RE.fullmatch(sentence, q.start, q.end)
                                      and _SECOND_RE.search(sentence, 0, q.start)
                                      and not re.match(r"\s*of\b", sentence[q.end:]))]
    for q in out:
        if q.qualifier == "more_than" and sentence[q.start: q.start + 5].lower() == "over " \
                and _HOLD_OVER_RE.search(sentence, max(0, q.start - 40), q.start):
            q.qualifier = "exact"  # "has control over 22 LGAs": the preposition of the holding, no hedge
        if q.qualifier == "at_most" and sentence[q.start: q.start + 6].lower() == "up to " \
                and _ADD_UP_BEFORE_RE.search(sentence, max(0, q.start - 12), q.start):
            q.qualifier = "exact"  # "now add up to two-thirds": the verb's particle, no hedge
    out.sort(key=lambda q: q.start)
    return out


#: the rest of a whole split between parties: "the remaining third", "the other quarter"
_REMAINING_PART_RE = re.compile(r"\bthe\s+(?:remaining|other|last)\s+(?P<frac>third|quarter|fifth|tenth|half)\b"
                                r"(?!\s+of\b)", re.I)
_REMAINING_SHARE = {"third": 33.33, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0, "half": 50.0}
_ORDINALS = {w: i for i, w in enumerate(
    "second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
    "sixteenth seventeenth eighteenth nineteenth twentieth".split(), 2)}
#: a running count of places taken: "the ninth provincial capital to fall", "the tenth provincial centre that
#: government troops have surrendered", "the 12th district captured by"
_ORDINAL_PLACE_RE = re.compile(
    r"\bthe\s+(?P<ord>" + "|".join(_ORDINALS) + r")\s+(?:(?:provincial|regional|district|state)\s+"
    r"(?:capital|centre|center|seat)(?=\s+(?:to\s+(?:fall|be\s+(?:taken|captured|seized|overrun))|that|which"
    r"|captured|seized|taken|overrun)\b)"
    # "the sixth town the group has captured since": a place noun before a relative clause of conquest
    # ("the second town ... seized in two days" is the latest one, not a tally)
    r"|(?<!second\s)(?:town|city|township|village|locality)(?=\s+(?:that\s+|which\s+)?(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?\s+"
    r"(?:has|have|had)\s+(?:now\s+)?(?:captured|seized|taken|overrun|conquered)\b))", re.I)

_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_YEAR_RANGE_RE = re.compile(rf"(?:19|20)\d\d\s+(?:to|and)\s+(?:(?P<qual>{QUALIFIER})\s+)?")
_TIMES_AFTER_RE = re.compile(r"\s+(?:and\s+a\s+half\s+)?times\b", re.I)
#: a running count as "the number of <places> X has taken ... climbed to N"
_NUMBER_OF_RE = re.compile(
    rf"\bthe\s+(?:number|tally|count|total)\s+of\s+{_SETTLEMENT_ADJ}(?:{_SETTLEMENT_NOUN})\b[^.;]{{0,100}}?\s+"
    r"(?:(?:has\s+|had\s+|now\s+)?(?:climbed|rose|risen|reached|grew|grown|increased|jumped|went\s+up|stands|stood)"
    r"|(?<=[\w\s])to(?=\s))"
    rf"\s+(?:to\s+|at\s+)?(?:(?P<qual>{QUALIFIER})\s+)?(?P<n>\d{{1,4}}|{WORD_NUMBER})\b(?!\s*(?:%|percent|per cent))",
    re.I)


def _ordinal_counts(sentence: str) -> list[Quantity]:
    """A running count of places taken: "the tenth provincial centre that government troops have
    surrendered" counts ten."""
    if "the " not in sentence.lower():
        return []
    out = [Quantity("settlements", float(_ORDINALS[m.group("ord").lower()]), m.start("ord"), m.end(),
                    extra={"ordinal": True}) for m in _ORDINAL_PLACE_RE.finditer(sentence)]
    for m in _NUMBER_OF_RE.finditer(sentence):  # "the number of capitals lost ... climbed to 15"
        value = parse_number(m.group("n"))
        if value:
            out.append(Quantity("settlements", value, m.start("qual") if m.group("qual") else m.start("n"), m.end("n"),
                                qualifier_of(m.group("qual")), extra={"number_of": True}))
    return out


_ORDINAL_FRACTION_RE = re.compile(r"an?\s+(?:third|fourth|fifth|sixth)", re.I)
_SECOND_RE = re.compile(r"\b(?:a|the)\s+second\b", re.I)
_COMPASS_PART_RE = re.compile(rf"\bthe\s+{COMPASS_SIDE}\s+(?P<frac>quarter|third|two-thirds|three-quarters)"
                              r"(?=\s+of\b)", re.I)
_COMPASS_SHARE = {"quarter": 25.0, "third": 33.33, "two-thirds": 66.67, "three-quarters": 75.0}
_PLACE_NAME = r"(?:(?:al|el|an|ar|as|ad|ash|at|az)-)?[A-Z][\w'’]*(?:[\s-](?:al-|el-)?[A-Z][\w'’]*){0,2}"
#: ("freed the villages of Zaytan and Berna from the militants": two)
_NAMED_PLACES_RE = re.compile(rf"\b(?:captured|seized|took|retook|recaptured|liberated|overran|regained|lost|ceded"
                              rf"|freed|cleared|conquered|reclaimed|retaken|wrested)"
                              rf"\s+(?:control\s+of\s+)?(?P<the>the\s+(?:villages|towns|localities|settlements|hamlets)\s+of\s+"
                              rf"(?P<list>{_PLACE_NAME}(?:\s*,\s*{_PLACE_NAME})*,?\s+and\s+{_PLACE_NAME}))(?=\s*[,.;]|\s+(?:on|in|from|after|plus|as)\b)")
_OF_THEM_RE = re.compile(r"\s*of\s+(?:them|those|these|which)\b", re.I)
#: "drove the group out of its two main districts": the places left, not a whole
_DRIVEN_OUT_OF_RE = re.compile(
    r"\b(?:dr[oi]ve[ns]?|driving|pushe[ds]|pushing|forced?|forcing|chased?|chasing|kicked|kicking|expel(?:s|led|ling)?"
    r"|ousted|ousting|flushed|flushing|routed|evicted|dislodged?|dislodging)\s+(?:[\w'’-]+\s+){1,5}?out\s+of\s+"
    r"(?:the|its|their|all)\s*$", re.I)
#: a holding noun whose object follows "over" ("control over", "sway over", "authority over")
_ADD_UP_BEFORE_RE = re.compile(r"\b(?:add|adds|added|adding)\s+$", re.I)
_HOLD_OVER_RE = re.compile(r"\b(?:sway|authority|influence|dominion|writ|(?:has|have|had|having|exercises?"
                           r"|exercised|exerts?|exerted|its|their|full|effective|partial|total|complete"
                           r"|(?:re-?)?establish(?:ed|es|ing)?|restor(?:ed|es|ing)|regain(?:ed|s|ing)?|retook|retaken"
                           r"|took|taken|tak(?:es|ing)|assum(?:ed|es|ing)|seiz(?:ed|es|ing)|gain(?:ed|s|ing)?|impos(?:ed|es|ing))"
                           r"\s+(?:\w+\s+)?(?:control|hold|grip|power|rule|command)"
                           r"|\bcontrol\s+(?:(?:has|have|had)\s+)?(?:been\s+|was\s+|were\s+)?(?:fully\s+)?"
                           r"(?:restored|re-?established)"
                           # "hoisted their flag over six villages": where the flag went, no hedge
                           r"|\b(?:rais|hoist|plant)(?:ed|es|s|ing)?\s+(?:its|their|the|a)(?:\s+[\w-]+)?\s+flags?)"
                           r"\s+$", re.I)


#: "between 1 and 27 October": the first day of a range of dates
_DAY_RANGE_AFTER_RE = re.compile(r"\s*(?:and|to|-|–)\s*\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
#: a date around a bare number: a month right before it ("January 31") or right after ("23 December")
_MONTH_BEFORE_RE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*$")
_MONTH_RE = re.compile(r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
#: a bare count after an earlier quantity of the sentence, its noun left out ("three districts
#: in Shabwa and two in Marib", "another 600 in the first two months", "the other 18 are")
ELLIPSIS_RE = re.compile(
    rf"(?:(?P<lead>another|a further|the other|the remaining|the rest of the|only|just)\s+)?"
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?P<n1>{_COUNT})(?![.,]\d)"
    r"(?=\s*(?:[,;.)]|$|\s+(?:more\b|others?\b|of (?:them|which|those|these)\b|each\s+(?:in|at)\b"
    r"|(?:firmly|outright|now|still|already|are|were|was|is"
    r"|have|has|had|held|remain|remained|lie|lies|lay|sit|sits|in|on|at|near|around|from|to|since|by|over|during"
    r"|this|last|and|or"
    r"|while|but|with|when|before|after|until)\b)))", re.I)


#: a name, not people: "the Luhansk People's Republic"
_PEOPLES_REPUBLIC_RE = re.compile(r"People['’]s\s+Republic")
_MORE_AFTER_RE = re.compile(r"\s+(?:(?:more|others?)(?=\s*(?:[,;.)]|$)|\s+(?:in|on|at|by|from|to|since|during|this"
                            r"|last|over|and|but|while|with|as|after|before)\b)|of\s+them\b)", re.I)
#: another source's estimate of the figure before, its unit left out: "monitors put the month's figure
#: nearer 480", "a second count puts that total at 35"
_RE_ESTIMATE_BEFORE_RE = re.compile(
    r"\b(?:put|puts|putting|estimated?|estimates|reckons?|reckoned|pegged|places?|placed)\s+(?:the|that|this"
    r"|[A-Z]?[\w'’]+['’]s?)\s+(?:[\w'’]+\s+)?(?:figure|number|total|tally|estimate)\s+"
    r"(?:at|nearer(?:\s+to)?|closer\s+to|near|around)\s+$", re.I)
#: another source's figure for the same share or area, in an aside: "(a more cautious count puts it at"
_RE_ESTIMATE_ASIDE_RE = re.compile(
    r"[(\u2013\u2014-]\s*(?:an?|the|another|one|other)\s+(?:[\w'’-]+\s+){0,3}?(?:count|estimate|tally|reckoning"
    r"|calculation|assessment)s?\s+(?:puts?|placed?|places|pegs?|pegged|gives?|gave)\s+(?:it|that|the\s+figure"
    r"|the\s+share)\s+(?:at\s+|nearer(?:\s+to)?\s+|closer\s+to\s+)(?:only\s+|just\s+|about\s+|some\s+"
    r"|around\s+|roughly\s+)?$", re.I)
#: a sentence that splits the count or area before it: "Of these, 1,017 have been freed, while 2,603 ..."
_PARTITION_OPEN_RE = re.compile(r"\s*(?:Of|Out\s+of)\s+(?:these|those|them|which|that\s+total)\s*,?\s*"
                                r"(?:only\s+|just\s+|some\s+)?", re.I)
#: the next part of such a split: "..., while 2,603 are still occupied"
_CONTRAST_OPEN_RE = re.compile(r"(?:,\s*|\s+)(?:while|whereas|but)\s+(?:only\s+|just\s+|another\s+)?$", re.I)
_RATE_AFTER_RE = re.compile(r"\s+(?:a|per|each|every)\s+day\b|\s+daily\b", re.I)
_MEMBER_BEFORE_RE = re.compile(r"\b(?:is|was|are|were|as|be|being|became|becomes|remains?|remained)\s+$", re.I)
#: "90 % of Mirebalais and all of Saut-d'Eau": another place, held whole (after a share)
_AND_ALL_OF_RE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+and\s+(?P<all>all)\s+(?P<of>of)"
                            r"(?=\s+(?:the\s+)?[A-Z])")
_BOTH_RE = re.compile(rf"\b[Bb]oth\s+(?:the\s+)?{_SETTLEMENT_ADJ}(?:towns|villages|cities|localities|settlements"
                      r"|districts|townships|barangays|neighbou?rhoods|municipalities|hamlets|communities)\b")
_FROM_BEFORE_RE = re.compile(r"\bfrom\s+$", re.I)
_TO_GAP_RE = re.compile(r"\s*\)?\s*(?:(?:on|at\s+the\s+end\s+of)\s+[^,;]{1,25}?\s+)?to\s+", re.I)
#: a dated earlier share: "from 40 percent in 2022 to nearly 70 percent" (counts of events are
#: dated the same way, so only shares)
_TO_GAP_DATED_RE = re.compile(r"\s+in\s+(?:(?:early|mid-|late)\s*)?(?:\w+\s+)?(?:19|20)\d\d\s+to\s+", re.I)
_HOLD_VERB_BEFORE_RE = re.compile(
    r"\b(?:cl(?:ings?|ung|inging)\s+(?:on\s+)?to|holds?|held|retains?|retained|controls?|keeps?|kept|lost|loses"
    r"|ceded|(?:driven|pushed|forced|chased)\s+out\s+of|withdr[ae]wn?\s+from|retreated\s+from)"
    r"\s+(?:(?:only|just|roughly|about|around|some|nearly|almost|barely)\s+)?$", re.I)
#: a noun a number labels rather than counts
_LABEL_BEFORE_RE = re.compile(r"\b(?:marker|point|post|route|road|highway|hill|height|checkpoint|kilometre|kilometer"
                              r"|km|number|no\.|gate|sector|block|plot|unit|brigade|division|battalion)\s+$", re.I)
#: a number that counts time, not places ("for 30 days", "in the first two months")
_DURATION_AFTER_RE = re.compile(r"\s*(?:[\w-]+\s+)?(?:years?|days?|weeks?|months?|hours?)\b", re.I)


_RESTATED_GAP_RE = re.compile(r"[^,;.]{0,40},\s*(?:or\s+)?(?:about|around|roughly|some|nearly|almost|just\s+over)?\s*"
                              r"|[^,;.()]{0,40}\(\s*", re.I)  # "two thirds of Donetsk (66%)"


def _is_restated(q: Quantity, found: list[Quantity], sentence: str) -> bool:
    """A fraction followed by the percentage it rounds ("close to half of the country, around
    45 percent"): the percentage is the figure."""
    if not sentence[q.start: q.end].lower().lstrip().split()[-1:] or not any(
            k in sentence[q.start: q.end].lower() for k in _FRACTION_KEYS):
        return False
    nxt = [o for o in found if o.kind == "share" and o.start > q.end]
    return bool(nxt) and _RESTATED_GAP_RE.fullmatch(sentence[q.end: nxt[0].start]) is not None


#: one item of a count split by place, written as a table: "Rutshuru (66)", "Masisi at 20"
_TABLE_ITEM_RE = re.compile(r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+"
                            r"(?:\((?P<n1>\d{1,4})\)|at\s+(?P<n2>\d{1,4})"
                            r"(?=\s*(?:[,;.]|and\b|$)))")


def _table_items(sentence: str, found: list[Quantity]) -> list[Quantity]:
    """A count split by place as a list of at least two "Name (N)" / "Name at N" items, after a
    count of places: one count per place (its kind and party are the count's before it)."""
    items = [m for m in _TABLE_ITEM_RE.finditer(sentence)
             if not any(q.start <= m.start() < q.end for q in found)]
    if len(items) < 2:
        return []
    return [Quantity("settlements", float(m.group("n1") or m.group("n2")), m.start("n1") if m.group("n1")
                     else m.start("n2"), m.end("n1") if m.group("n1") else m.end("n2"), place=m.group("name"),
                     extra={"elliptical": True, "table": True}) for m in items]


def period_parts(sentence: str, kind: str, unit_text: str = "") -> list[Quantity]:
    """Bare numbers that split a figure of the sentence before by period ("September was the best
    month with 36, after 27 in May"): counts or areas of `kind`, its noun or unit left out."""
    whole = Quantity(kind, 0.0, 0, 0, unit_text=unit_text or ("km2" if kind == "area" else ""))
    return _elliptical(sentence, [], quantity_starts(sentence), [whole])


#: a part of a total broken down place by place: "six villages, Arish in Fuzuli, Doshulu in Jabrayil and four in
#: Khojavend": the "four" is inside the six
_BREAKDOWN_GAP_RE = re.compile(r"\s*,\s*(?:[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3}\s*,\s*)*"
                               r"[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3}\s+and\s+")
_BREAKDOWN_AFTER_RE = re.compile(r"\s+(?:in|near|around)\s+(?:the\s+)?[A-Z]")
#: the same split of a count by bare numbers: "claimed five villages on Sunday, three in Donetsk and two
#: in Kharkiv": an optional time phrase, a comma, then earlier "N in Place" parts
_BREAKDOWN_LIST_GAP_RE = re.compile(
    r"(?:\s+(?:on|over|during|this|last)\s+[\w'’ -]{1,25}?)?\s*,\s*"
    r"(?:(?:\w+|[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3})\s+(?:in|near|around)\s+(?:the\s+)?[A-Z][\w'’-]*"
    r"(?:\s+[A-Z][\w'’-]*){0,2}\s*(?:,\s*(?:and\s+)?|\s+and\s+))*")


#: a count of events between a quantity and a bare number: "the number of attacks climbed from"
_EVENT_COUNT_RE = re.compile(r"\b(?:number|count|tally)\s+of\s+(?:\w+\s+)?(?:attacks|incidents|clashes|strikes"
                             r"|ambushes|raids|events|operations|assaults|bombings)\b", re.I)


def _elliptical(sentence: str, found: list[Quantity], starts: list[int],
                wholes: list[Quantity] | None = None, near_only: bool = False) -> list[Quantity]:
    """Counts and areas whose noun or unit is left out, after a quantity of that kind or a
    whole ("Of the state's nine towns, only three are still held"); `near_only` looks for
    distractor nouns only right around the number (the parts of a split carried from before)."""
    out: list[Quantity] = []
    wholes = wholes or []
    named = _PEOPLES_REPUBLIC_RE.sub(lambda r: " " * len(r.group()), sentence)  # same offsets
    for m in matches_at(ELLIPSIS_RE, sentence, starts):
        n = m.group("n1")
        if any(q.start <= m.start("n1") < q.end for q in found + out + wholes):
            continue
        if _DIFFERENCE_AFTER_RE.match(sentence, m.end()):
            continue  # "some 2,000 more than last year": a difference
        if n.lower() == "one" and not m.group("lead") and (
                re.match(r"\s+of\s+them\b", sentence[m.end():])
                or re.search(r"\b(?:the\s+)?(?:last|first|only|next)\s+$",
                             sentence[max(0, m.start() - 12): m.start()])):
            continue  # "encircled one of them", "the last one still held": one place named, no count
        if re.match(r"^(?:19|20)\d\d$", n) or sentence[max(0, m.start() - 1): m.start()] in ("$", "€", "£"):
            continue
        if _MONTH_BEFORE_RE.search(sentence[max(0, m.start() - 12): m.start()]) \
                or _MONTH_RE.match(sentence[m.end(): m.end() + 12].lstrip()) \
                or _DAY_RANGE_AFTER_RE.match(sentence, m.end()):
            continue  # a date: "January 31", "23 December"
        if re.search(r"[A-Z][\w-]*\s+$", sentence[max(0, m.start() - 20): m.start()]) and not m.group("lead"):
            continue  # a name: "Operation 1111", "Division 16"
        if _LABEL_BEFORE_RE.search(sentence, max(0, m.start() - 20), m.start()):
            continue  # a label: "near marker 400", "checkpoint 12", "Route 5"
        prev = sorted([q for q in found + wholes if q.end <= m.start() and q.kind in ("settlements", "area")],
                      key=lambda q: q.end)
        if not prev:
            continue
        before = named[prev[-1].end: m.start()]
        if near_only:
            before = before[-12:]
        if re.search(r"\b(?:killed|dead|died|wounded|injured|people|civilians|soldiers|fighters|troops|residents"
                     r"|hostages|prisoners|displaced|bases|posts|outposts|positions|heights|hills|km|kilomet\w*"
                     r"|met(?:re|er)s|miles"
                     r"|percent|%|casualties|per|aged|age)\b", before + named[m.end(): m.end() + 25], re.I) \
                or _DURATION_AFTER_RE.match(sentence, m.end()):
            continue
        if _EVENT_COUNT_RE.search(before):
            continue  # "..., and the number of attacks rose from 1,900 to 5,500": events counted, no ground
        value = parse_number(n)
        if value is None or value < 1:
            continue
        if value < prev[-1].value and (_BREAKDOWN_GAP_RE.fullmatch(before)
                                       or prev[-1].kind == "settlements"
                                       and _BREAKDOWN_LIST_GAP_RE.fullmatch(before)) \
                and _BREAKDOWN_AFTER_RE.match(sentence, m.end()):
            continue  # "six villages, Arish in Fuzuli and four in Khojavend": a part of the six
        kind = prev[-1].kind
        if kind == "area":
            value = to_km2(value, prev[-1].unit_text or "km2")
        out.append(Quantity(kind, value, m.start("qual") if m.group("qual") else m.start("n1"), m.end(),
                            qualifier_of(m.group("qual")), unit_text=prev[-1].unit_text,
                            extra={"elliptical": True, "lead": (m.group("lead") or "").lower()}))
    return out


#: a length unit used for an area in real reporting: "2,100 kilometres of land", "an area of
#: 3800 km", "liberated 450 kms"; never a distance ("advanced 3 km west of the town")
LOOSE_AREA_RE = re.compile(
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?P<n1>{_NUM})\s*(?P<u>kms?|kilomet(?:er|re)s)\b(?P<land>\s+of\s+(?:the\s+|its\s+"
        rf"|\w+\s+)?"
    r"(?:land|territory|territories|ground|lands|desert|countryside|farmland|scrubland)\b)?", re.I)
_LOOSE_BEFORE_RE = re.compile(
    r"(?:\barea\s+of|\b(?:liberated|captured|seized|recaptured|freed|retaken|retook"
    r"|lost|occupied|taken|took|regained|cleared|won\s+back|gained)(?:\s+(?:a\s+total\s+of|another|some|about|over"
        r"|nearly))?)\s*$", re.I)
#: a holding of a country written in km: "his army now controls 1,730,000 km of it" (a frontier's
#: length held, "hold roughly 4,870 km, or about 72 percent", is no area)
_HOLD_BEFORE_RE = re.compile(r"\b(?:controls?|controlled|holds?|held)(?:\s+(?:some|about|over|nearly|roughly))?\s*$",
                             re.I)
_OF_WHOLE_AFTER_RE = re.compile(r"\s+of\s+(?:it|the\s+country)\b", re.I)
_DISTANCE_AFTER_RE = re.compile(
    r"\s*(?:\w+\s+)?(?:long|wide|deep|away|from|north|south|east|west|inside|into|towards?|behind|beyond|along|past"
    r"|southwest|southeast|northwest|northeast|front|stretch|radius|of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:road|highway|border|front"
        r"|frontline|city|town|village|coast|coastline|river|line|frontier|railway|pipeline))\b", re.I)


def _loose_areas(sentence: str, found: list[Quantity], starts: list[int]) -> list[Quantity]:
    """Areas written with a length unit, where the context makes them areas."""
    out: list[Quantity] = []
    for m in matches_at(LOOSE_AREA_RE, sentence, starts):
        if any(q.start <= m.start("n1") < q.end for q in found):
            continue
        before = sentence[max(0, m.start() - 40): m.start()]
        held_whole = _HOLD_BEFORE_RE.search(before) and _OF_WHOLE_AFTER_RE.match(sentence, m.end())
        if not m.group("land") and not _LOOSE_BEFORE_RE.search(before) and not held_whole:
            continue
        if not m.group("land") and _DISTANCE_AFTER_RE.match(sentence, m.end()):
            continue
        value = parse_number(m.group("n1"))
        if value is None:
            continue
        start = m.start("qual") if m.group("qual") else m.start("n1")
        out.append(Quantity("area", value, start, m.end(), qualifier_of(m.group("qual")), unit_text="km2",
                            extra={"loose_unit": True}))
    return out


def _segment(sentence: str, q: Quantity) -> str:
    """The stretch of `sentence` around `q` between clause breaks (a semicolon, or a comma
    before "and" / "while" / "but")."""
    breaks = [m for m in _SEGMENT_BREAK_RE.finditer(sentence)]
    lo = max((m.end() for m in breaks if m.end() <= q.start), default=0)
    hi = min((m.start() for m in breaks if m.start() >= q.end), default=len(sentence))
    return sentence[lo:hi]


#: a clause that states who holds ground ("remain in the militants' hands", "held by")
_HELD_SEGMENT_RE = re.compile(r"\bhands\b|\b(?:held|controlled|occupied)\s+by\b|\bunder\s+(?:\w+\s+){0,3}control\b",
                              re.I)
_SEGMENT_BREAK_RE = re.compile(r";|,\s+(?:and|while|but|whereas)\s")


def _area_of_is_object(sentence: str, pos: int) -> bool:
    """Whether "an area of" at `pos` of `sentence` is what a verb acts on (not a size apposition)."""
    from .patterns.verbs import VERBS

    raw = sentence[:pos]
    before = _AREA_OF_MODIFIERS_RE.sub("", " " + raw.rstrip()).rstrip()
    if not before or before[-1] in ".!?\"“" or re.search(r"\b(?:that|said|says|and|while|but)$", before):
        return True  # a clause's subject: "An area of 4,300 km2 has been freed", "said that an area of"
    if before[-1] in ",;:(":
        return False
    if _AREA_OF_OBJECT_RE.search(before):
        return True
    # the verb right before, read with the rest of the sentence (its lookahead may reach past
    # the area: "placed an area of about 415 km2 under their control"; "seized an area of")
    lo = max(0, pos - 60)
    ends = {len(before) - 1 - lo, len(_ARTICLES_END_RE.sub("", raw.rstrip())) - lo}
    return any(m.end() in ends for m in VERBS.finditer(sentence[lo: pos + 120]))


def _merge_conversions(areas: list[Quantity], sentence: str) -> list[Quantity]:
    """'5,000 sq km (1,930 sq mi)' or '..., or 1,930 square miles' is one figure."""
    merged: list[Quantity] = []
    for q in areas:
        if merged:
            prev = merged[-1]
            gap = sentence[prev.end: q.start]
            if re.fullmatch(r"\s*(?:\(|\[|,?\s*or\s+|/|,\s*about\s+|\(\s*about\s+|\(\s*or\s+)\s*", gap):
                keep = q if (q.unit_text == "km2" and prev.unit_text != "km2") else prev
                keep.start, keep.end = prev.start, max(q.end, prev.end)
                if keep is q:
                    keep.qualifier = prev.qualifier if prev.qualifier != "exact" else q.qualifier
                    keep.change = prev.change
                merged[-1] = keep
                continue
        merged.append(q)
    return merged


def _expand_lists(out: list[Quantity], sentence: str) -> list[Quantity]:
    """'30, 25 and 10 percent respectively': each bare number before a unit is a quantity."""
    extra: list[Quantity] = []
    for q in out:
        cursor = q.start
        while True:
            m = _LIST_RE.search(sentence[max(0, cursor - 40): cursor])
            if not m:
                break
            abs_start = max(0, cursor - 40) + m.start("n")
            if any(o.start <= abs_start < o.end for o in out + extra):
                break
            value = parse_number(m.group("n"))
            if value is None:
                break
            if q.kind == "area":
                value = to_km2(value, q.unit_text)
            extra.append(Quantity(q.kind, value, abs_start, abs_start + len(m.group("n")),
                                  share_of=q.share_of, place=q.place, unit_text=q.unit_text))
            cursor = abs_start
    return out + extra
