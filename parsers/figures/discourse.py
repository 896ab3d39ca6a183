"""Article-level context: which country the article (or a sentence) is about, which acronyms
it defines, and whom generic phrases refer to ("the army", "the rebels", "the group")."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from .actors import Mention, find_actors, find_definitions, find_names, is_non_state, is_state
from .countries import REGION_INSURGENTS, find_countries, government_of, insurgents_of, opposition_of
from .parties import LEADERS, PARTIES, SELF_STYLED_ARMIES
from .places import PLACE_COUNTRY, find_places
from .sentences import Sentence

#: words before a party that make it no topic: an object, or a party introduced as new ("a")
_NOT_TOPIC = frozenset({"to", "from", "against", "with", "into", "toward", "towards", "a", "an",
                        "them", "including", "as"})  # "armed groups, among them the UPC": examples
#: parties listed as examples ("armed groups, among them the FPRC and the UPC") are no topic
_EXAMPLES_RE = re.compile(r"\b(?:among them|including|such as|notably)\b[^.;]*$", re.I)
#: a party named in the plural ("Azerbaijani forces", "the Houthis")
_PLURAL_RE = re.compile(r"(?:forces|troops|soldiers|fighters|rebels|militants|insurgents|militias|units|[a-z]{3}is"
                        r"|ists)$")
#: a known leader's name (parties.LEADERS)
_LEADER_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, LEADERS), key=len, reverse=True)) + r")\b")
#: a state leader's own government or army: "Min Aung Hlaing conceded that his government no longer held ..."
_PERSONAL_GOVERNMENT_RE = re.compile(r"(?:his|her)\s", re.I)

#: a country named as the place something happens in ("in Mali", "of Yemen's territory")
_PLACE_BEFORE_RE = re.compile(r"(?:\b(?:in|of|across|throughout|inside|within|over|into)\s+(?:the\s+)?"
                              r"(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east"
                              r"|south-?west)(?:ern)?\s+)?)$", re.I)
#: (an article is no modifier: "In Burkina Faso the military junta ..." names a place, not forces)
_FORCE_AFTER_RE = re.compile(r"^(?:['’]s)?\s+(?:(?!the\b|a\b|an\b)\w+\s+)?(?:forces|troops|army|military|soldiers"
                             r"|units|junta|government|regime|authorities|rebels|opposition|fighters"
                             r"|defenders)\b", re.I)


#: a neighbouring country, not the one the text is about
_NEIGHBOUR_BEFORE_RE = re.compile(
    r"\b(?:borders?|frontiers?|boundary|border\s+crossings?)\s+with\s+(?:(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?"
    r"(?:,\s+|\s+and\s+))*(?:the\s+)?$|\bneighbou?ring\s+$")
#: a foreign backer ("propped up by Beijing and Moscow", "armed by Iran")
_BACKER_BEFORE_RE = re.compile(
    r"\b(?i:propped\s+up|backed|supported|armed|funded|bankrolled|shielded|supplied)\s+by\s+"
    r"(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?(?:,\s+|\s+and\s+))*$")
#: a size comparison ("a territory roughly as large as Sri Lanka", "twice the size of Luxembourg")
_COMPARED_RE = re.compile(r"\b(?:as\s+(?:large|big|small)\s+as|the\s+size\s+of|the\s+area\s+of|larger\s+than"
                          r"|bigger\s+than|smaller\s+than|the\s+equivalent\s+of)\s+(?:the\s+)?(?:US\s+state\s+of\s+)?$",
                          re.I)
#: the venue of talks or a deal ("signed a peace deal in Khartoum", "peace talks in Doha"): not the
#: country reported on, so it weighs as little as an actor
_VENUE_BEFORE_RE = re.compile(r"\b(?:signed|talks|deal|accord|agreement|summit|negotiations|conference|mediation)\b"
                              r"[^.;,]{0,30}?\s(?:in|at)\s+$", re.I)
#: where a speaker is, not what the sentence is about: "addressing lawmakers in Luxembourg, Zelensky ..."
_SPEECH_VENUE_RE = re.compile(r"\b(?:speaking|spoke|addressing|addressed|told|telling|visiting|lawmakers|parliament"
                              r"|parliamentarians|MPs|reporters|journalists|(?:press|news) conference)\b"
                              r"[^.;,]{0,30}?\s(?:in|at)\s+$", re.I)
_GOVERNMENT_AFTER_RE = re.compile(r"(?:['’]s)?[\s-]+(?:based\s+)?(?:government|regime|authorities)\b", re.I)
_NEIGHBOUR_AFTER_RE = re.compile(r"\s+(?:border|frontier|side of the border)\b")


def country_votes(text: str, weight: int = 1) -> Counter[str]:
    """Votes for the country `text` is about: a country or province named as the place
    something happens in ("in Mali") counts 4, another spelling of it (name, adjective,
    province) 2, a capital or a country's forces ("Russian troops", an actor rather than a
    place) 1."""
    votes: Counter[str] = Counter()
    listed = find_places(text)
    for m in find_countries(text):
        if any(p.start <= m.start and m.end <= p.end and PLACE_COUNTRY.get(p.name) for p in listed):
            continue  # "Afar" inside "Tal Afar" (Iraq) is not Ethiopia's province
        if _NEIGHBOUR_BEFORE_RE.search(text, max(0, m.start - 60), m.start) \
                or _NEIGHBOUR_AFTER_RE.match(text, m.end) or _COMPARED_RE.search(text, max(0, m.start - 40), m.start):
            continue  # "its borders with China, Thailand and Bangladesh", "the Thai frontier": neighbours
        if _BACKER_BEFORE_RE.search(text, max(0, m.start - 60), m.start):
            continue  # "propped up by Beijing, Moscow and others": backers, not the country reported on
        forces = m.kind in ("adjective", "name") and _FORCE_AFTER_RE.match(text[m.end: m.end + 40])
        place = bool(_PLACE_BEFORE_RE.search(text[max(0, m.start - 40): m.start]))
        if forces or (m.kind == "capital" and _VENUE_BEFORE_RE.search(text, max(0, m.start - 60), m.start)) \
                or _SPEECH_VENUE_RE.search(text, max(0, m.start - 60), m.start):
            points = 1  # "signed a peace deal in Khartoum": the venue of talks weighs as little as an actor
        elif m.kind == "capital":
            points = 3 if _GOVERNMENT_AFTER_RE.match(text, m.end) else 2 if place else 1  # "the Kabul government"
        else:
            points = 4 if place or m.kind == "province" else 2
        votes[m.country] += weight * points
    for p in find_places(text):
        country = PLACE_COUNTRY.get(p.name)
        if country and p.kind != "country" and not _VENUE_BEFORE_RE.search(text, max(0, p.start - 60), p.start):
            votes[country] += 4 * weight
    return votes


#: words for places or parties that only one country's news use, a clue to the article's
#: country when it names none ("19 of the 20 local government areas": Nigeria; "57 percent
#: controlled by cartels": Mexico)
_COUNTRY_TERMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:local government areas?|LGAs?)\b"), "Nigeria"),
    (re.compile(r"\bbarangays?\b", re.I), "Philippines"),
    (re.compile(r"\b(?:kebeles?|woredas?)\b", re.I), "Ethiopia"),
    (re.compile(r"\bpayams?\b", re.I), "South Sudan"),
    (re.compile(r"\bcartels?\b", re.I), "Mexico"),
)


def term_votes(text: str) -> Counter[str]:
    """One vote per country whose own words (`_COUNTRY_TERMS`) the text uses."""
    return Counter({country: 1 for rx, country in _COUNTRY_TERMS if rx.search(text)})


def _party_votes(mentions: list[Mention], weight: int = 1) -> Counter[str]:
    votes: Counter[str] = Counter()
    for m in mentions:
        party = PARTIES.get(m.name)
        if party and party.country and party.side != "state":
            votes[party.country] += weight
    return votes


#: a non-restrictive relative clause (", which once held a third of Iraq,", ", where the
#: Russians are contesting every metre,"): a clause of its own inside the sentence
RELATIVE_RE = re.compile(r",\s+(?:which|who|whose|where)\b[^,;]*,")
#: a party opening a restrictive relative clause ("towns that Kyiv had fortified")
_THAT_BEFORE_RE = re.compile(r"\b(?:that|which|whom)\s+(?:the\s+)?$", re.I)


@dataclass
class Discourse:
    """What the article is about and who has been named so far; mentions of a sentence are
    found lazily (most sentences never need them)."""

    published: dt.date | None
    title: str
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    current: int = 0
    _mentions: dict[int, list[Mention]] = field(default_factory=dict)
    _country: str | None = None
    _dominant: str | None = None
    _defined: dict[str, str] | None = None
    _sentence_country: dict[int, str | None] = field(default_factory=dict)
    _region: str | None = None
    #: the kind of the last count or area of the sentence just read (a noun later counts may leave out)
    last_kind: str | None = None
    #: the text of the last count of the sentence just read ("five border towns")
    last_count: str | None = None
    #: the figures of the sentence before, in the same paragraph ("Of that ground, 90 km2 ...": its parts)
    prev_figures: list = field(default_factory=list)
    #: what each group anaphor ("the group") was last resolved to: (sentence index, party)
    anaphors: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: the quantities and resolved mentions of the sentence just read (the learned layer's input)
    quantities: list = field(default_factory=list)
    resolved: list = field(default_factory=list)

    @property
    def defined(self) -> dict[str, str]:
        """Acronyms the article defines."""
        if self._defined is None:
            self._defined = find_definitions(f"{self.title}\n{self.text}")
        return self._defined

    @property
    def country(self) -> str:
        """The country the article is about ("" when it names none)."""
        if self._country is None:
            votes = country_votes(self.title, 2) + country_votes(self.text)
            names = find_names(f"{self.title}\n{self.text}", self.defined)
            votes += _party_votes(names, 3)  # a named insurgent party ties an article to its country
            if not votes:  # "only one of the 20 local government areas": Nigeria's word for districts
                votes = term_votes(f"{self.title}\n{self.text}")
            if votes:
                best = max(votes.values())
                first = {c: i for i, c in reversed(list(enumerate(
                    m.country for m in find_countries(f"{self.title}\n{self.text}"))))}
                tied = [c for c, v in votes.items() if v == best]
                self._country = min(tied, key=lambda c: first.get(c, 10**9))
            else:
                self._country = ""
        return self._country

    def sentence_country(self, index: int) -> str:
        """The country a sentence is about: one it names as a place, else the article's."""
        if index not in self._sentence_country:
            s = self.sentences[index].text
            votes = Counter({c: v for c, v in country_votes(s).items() if v >= 4})
            self._sentence_country[index] = votes.most_common(1)[0][0] if len(votes) == 1 else None
        return self._sentence_country[index] or self.country

    def government(self, index: int) -> str:
        """Whose "the army" / "government forces" a sentence means: the state of the country
        the sentence is about, or, in a war between two states, the one that is the topic
        (the subject of the sentence before: "Moscow's troops took 200 km2 in July ... in May,
        when the army grabbed 449": Russia's army)."""
        country = self.sentence_country(index)
        own = government_of(country) if country else "government forces"
        if country and index > 0:
            from .countries import OCCUPIER_OF

            rival = OCCUPIER_OF.get(country)
            if rival and self._subject_state(index - 1) == rival and not any(
                    m.name == own for m in find_names(self.sentences[index].text, self.defined, country)):
                return rival
        return own

    def leader_party(self, index: int) -> str | None:
        """The party of a known leader or spokesman named in the sentence (else in one of the
        two before, in the same paragraph): "Putin said ..." speaks for Russia."""
        para = self.sentences[index].paragraph
        for i in (index, index - 1, index - 2):
            if i >= 0 and (i == index or self.sentences[i].paragraph == para):
                m = _LEADER_RE.search(self.sentences[i].text)
                if m:
                    return LEADERS[m.group()]
        return None

    def _subject_state(self, index: int) -> str | None:
        """The state party that is the subject of a sentence, if the subject is a state."""
        name = self._subject_party(index)
        return name if is_state(name) else None

    def _subject_party(self, index: int) -> str | None:
        """The party that is the subject of a sentence: its first party named (not a generic
        phrase) that is not after a preposition or a verb."""
        from .roles import _NON_SUBJECT, _is_object, prefix_word

        text = self.sentences[index].text
        for m in self.mentions(index):
            if m.kind == "name" and m.name and prefix_word(text, m) not in _NON_SUBJECT and not _is_object(text, m):
                return m.name
            name = self._opening_opposition(index, m)
            if name:
                return name
        return None

    def _opening_opposition(self, index: int, m: Mention) -> str | None:
        """"The ethnic Chin alliance overran ...": a sentence opened by generic rebels is about
        the country's opposition, where it has a settled name."""
        if m.kind != "opposition" or self.sentences[index].text[: m.start].strip():
            return None
        country = self.sentence_country(index)
        name = opposition_of(country) if country else None
        return name if name in PARTIES else None

    @staticmethod
    def _personal_party(m: Mention, leader: str | None) -> str | None:
        """A leader's own: "the junta chief conceded that his government no longer controls": the leader's party."""
        return leader if leader and _PERSONAL_GOVERNMENT_RE.match(m.surface) else None

    def mentions(self, index: int) -> list[Mention]:
        """The sentence's mentions, generic government phrases named."""
        if index not in self._mentions:
            s = self.sentences[index].text
            found = find_actors(s, None, self.defined, self.country or None)
            leader = self.leader_party(index)
            army = leader if leader in SELF_STYLED_ARMIES else None  # "the army" in Haftar's statement
            self._mentions[index] = [m._replace(name=army or self._personal_party(m, leader) or self.government(index))
                                     if m.kind == "government" else m for m in found]
        return self._mentions[index]

    def foreign_topic_state(self, index: int, found: list[Mention]) -> str | None:
        """"Russia's advance slowed in February, when its troops took 389 km2. Over the year the army
        gained 4,500 km2": right after figures of a foreign state's gains, with no state named here,
        "the army" is that state's."""
        last = self.prev_figures[-1] if self.prev_figures else None
        if last is None or not last.metric.endswith("_gained") or not is_state(last.actor) \
                or last.extra.get("pos", (-9,))[0] < index - 1:
            return None
        home = self.government(index)
        if not home or last.actor == home or any(m.kind == "name" and m.name and is_state(m.name) and m.name != home
                                                 for m in found):
            return None
        return last.actor

    def _named(self, indexes) -> list[str]:
        return [m.name for i in indexes for m in self.mentions(i) if m.name and m.kind in ("name", "government")]

    def last_state_actor(self) -> str:
        """The latest state-side party named before the current sentence, else the government."""
        for i in range(self.current - 1, max(-1, self.current - 6), -1):
            for name in reversed(self._named([i])):
                if is_state(name):
                    return name
        return self.government(self.current)

    def last_other_than(self, own: str) -> str | None:
        """The latest party named before (this sentence first) that is not `own`."""
        for i in range(self.current, -1, -1):
            for name in reversed(self._named([i])):
                if name != own:
                    return name
        return None

    def insurgents(self, jihadist: bool = False) -> str | None:
        """The settled name of the unnamed insurgents of the region or country reported on."""
        if self.region_insurgents:
            return self.region_insurgents
        country = self.sentence_country(self.current) if self.sentences else self.country
        return insurgents_of(country, jihadist) if country else None

    @property
    def region_insurgents(self) -> str | None:
        """The insurgents of the region the article names most ("Marawi": the Maute group),
        when one of its places has a settled answer."""
        if self._region is None:
            counts: Counter[str] = Counter()
            for part in (self.title, self.text):
                for p in find_places(part):
                    if p.name in REGION_INSURGENTS:
                        counts[REGION_INSURGENTS[p.name]] += 1
            self._region = counts.most_common(1)[0][0] if counts else ""
        return self._region or None

    def own_government(self) -> str | None:
        """The state forces of the country the current sentence is about, if it names one."""
        country = self.sentence_country(self.current) if self.sentences else self.country
        return government_of(country) if country else None

    def occupier(self) -> str | None:
        """Who "the occupiers" are in this country's reporting, when it has a settled answer."""
        from .countries import OCCUPIER_OF

        return OCCUPIER_OF.get(self.sentence_country(self.current) or "")

    def last_named_state(self) -> str | None:
        """The latest party named in the current or an earlier sentence that can be a
        liberator: state forces first, else any party but a jihadist group."""
        from .actors import JIHADIST

        text = self.sentences[self.current].text if self.sentences else ""
        inner = [m.span() for m in RELATIVE_RE.finditer(text)] if "," in text else []
        here = [m.name for m in self.mentions(self.current) if m.name and m.kind in ("name", "government")
                and not any(a < m.start < b for a, b in inner)
                and not _THAT_BEFORE_RE.search(text, max(0, m.start - 12), m.start)] if self.sentences else []
        earlier: list[str] = []
        for i in range(self.current - 1, max(-1, self.current - 8), -1):
            # the liberator is the topic of the sentence before, not a holder named there
            topic = self._subject_party(i)
            earlier += ([topic] if topic and is_state(topic) else []) + list(reversed(self._named([i])))
        names = [*reversed(here)] + earlier
        return next((n for n in names if is_state(n)), None) or next(
            (n for n in names if n not in JIHADIST and n != n.lower()), None)

    def it_referent(self, plural: bool = False) -> str | None:
        """Who "it"/"they" opening a clause is: the subject of the sentence before, where
        that sentence's own subject is "it" too the same referent, at the article's start its
        dominant party; "they" prefers a party named in the plural there ("Armenia says
        Azerbaijani forces seized ... they grabbed": the forces)."""
        if plural and self.current > 0:
            text = self.sentences[self.current - 1].text
            for m in self.mentions(self.current - 1):
                if m.kind == "name" and m.name and _PLURAL_RE.search(m.surface or text[m.start: m.end]):
                    return m.name
        i = self.current - 1
        while i >= 0 and re.match(r"\s*(?:It|They)\b", self.sentences[i].text) and not any(
                m.kind == "name" for m in self.mentions(i)[:1]):
            i -= 1
        recent = max(self.anaphors.values(), default=None)
        remembered = recent[1] if recent and recent[0] >= i else None  # "the group ... But today it has lost"
        if i < 0:
            return remembered or self.dominant
        saved, self.current = self.current, i + 1
        try:
            return self.first_named_before() or remembered or self.dominant
        finally:
            self.current = saved

    def first_named_before(self) -> str | None:
        """The subject of the sentence before the current one: its first party named that is
        not after a preposition or a verb."""
        from .roles import _NON_SUBJECT, _is_object, prefix_word

        for i in range(self.current - 1, max(-1, self.current - 3), -1):
            text = self.sentences[i].text
            for m in self.mentions(i):
                if m.name and m.kind in ("name", "government") and prefix_word(text, m) not in _NON_SUBJECT \
                        and not _is_object(text, m):
                    return m.name
                name = self._opening_opposition(i, m)
                if name:
                    return name
        return None

    @property
    def dominant(self) -> str | None:
        """The non-state party the article names most (title twice; ties to the first named),
        counting only mentions that can be a topic: not after "to", "from", "against" nor
        introduced as new with "a" ("a US-backed alliance of Kurdish and Arab fighters")
        ("most of that ground went to the SDF" does not make the SDF what "the group" means)."""
        from .roles import prefix_word

        if self._dominant is None:
            counts: Counter[str] = Counter()
            order: dict[str, int] = {}
            for weight, part in ((2, self.title), (1, self.text)):
                for m in find_names(part, self.defined, self.country or None):
                    if prefix_word(part, m) in _NOT_TOPIC or _EXAMPLES_RE.search(part, max(0, m.start - 45), m.start) \
                            or part[m.start - 1: m.start] == "(":
                        continue  # an object, or a bracketed repeat of the name before it
                    if m.kind == "name" and is_non_state(m.name):
                        counts[m.name] += weight
                        order.setdefault(m.name, len(order))
            self._dominant = min(counts, key=lambda n: (-counts[n], order[n])) if counts else ""
        return self._dominant or None

    def group_referent(self, jihadist: bool = False) -> str | None:
        """Who "the militants" / "the group" is: the latest non-state party named earlier in
        the paragraph, else the article's dominant one."""
        para = self.sentences[self.current].paragraph if self.sentences else -1
        for i in range(self.current - 1, -1, -1):
            if self.sentences[i].paragraph != para:
                break
            topic = self._subject_party(i)  # the sentence's topic first ("the alliance pushed into IS territory")
            if topic and is_non_state(topic):
                return topic
            for name in reversed(self._named([i])):
                if is_non_state(name):
                    return name
        if self.dominant:
            return self.dominant
        return self.insurgents(jihadist)

    def opposition_referent(self, named_before: str | None = None, definite: bool = False) -> str | None:
        """Who "the rebels" / "the opposition" is: the country's opposition when it has a
        settled name, else a non-state party named before in the sentence, else the latest
        one named before in the paragraph, else the article's dominant one. A `definite`
        "the rebels" is first the named rebel group the sentence before is about."""
        country = self.sentence_country(self.current)
        if country:
            topic = self._rebel_topic_before(country) if definite else None
            if topic:
                return topic
            name = opposition_of(country)
            if name in PARTIES:
                return name
        return named_before or self.group_referent()

    def _rebel_topic_before(self, country: str) -> str | None:
        """The named rebel group the sentence before is about, if it is one of `country`'s
        ("the Arakan Army is storming the base ... The rebels hold 70 % of the state")."""
        i = self.current - 1
        if i < 0 or self.sentences[i].paragraph != self.sentences[self.current].paragraph:
            return None
        topic = self._subject_party(i)
        party = PARTIES.get(topic or "")
        if topic and party and party.country == country and party.side == "non_state":
            return topic
        return None

    def crime_referent(self) -> str | None:
        """Who "the gangs" / "criminal groups" are: the country's armed groups when they have
        a settled name."""
        country = self.sentence_country(self.current)
        return insurgents_of(country) if country else None

    def last_actor(self, prefer_non_state: bool = True) -> str | None:
        """The latest party named before the current sentence (a non-state one if preferred),
        else the first non-state party the article names anywhere."""
        for i in range(self.current - 1, -1, -1):
            for name in reversed(self._named([i])):
                if not prefer_non_state or is_non_state(name):
                    return name
        earlier = self._named(range(self.current))
        if earlier:
            return earlier[-1]
        return self.dominant
