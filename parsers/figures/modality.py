"""Modality of a figure's clause: asserted, claimed, future, conditional, negated, historical."""

from __future__ import annotations

import re

from .lexicon import Lexicon

_NEGATED_RE = re.compile(
    r"\b(?:not|n't|never|neither|nor|no longer|failed to|has yet to|have yet to|denied)\b", re.I)
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|'ll|aims? to|aiming to|aimed to|plans? to|planning to|planned to"
    r"|expected to|expects? to|expect(?:s|ed)? (?:the |[\w-]+ ){1,3}to|intends? to|intending to|set to|is to"
    r"|(?:is|are|was|were) (?:meant|supposed|due|scheduled|slated) to"
    r"|are to|going to|seeks? to"
    r"|seeking to|hopes? to|hoping to|wants? to|vow(?:s|ed)? to|pledge[sd]? to|threaten(?:s|ed)? to"
    r"|poised to|on track to|could soon|is about to|are about to|goal (?:is|of)|target (?:is|of)"
    r"|in order to|bid to|attempt to|trying to|tries to|push to|drive to|offensive to|operation to)\b",
    re.I)
_CONDITIONAL = Lexicon([
    r"if", r"unless", r"in case", r"were to", r"would", r"could", r"might", r"(?-i:may)",
    r"should (?:it|they|the)", r"provided that", r"in the event"], re.I, r"\b", r"\b")
_HISTORICAL = Lexicon([
    r"at (?:its|their|the) (?:peak|height|zenith|apex)", r"at one (?:point|time|stage)", r"once",
    r"used to", r"previously", r"formerly", r"in its heyday",
    r"had (?:once |previously )?(?:controlled|held|occupied|ruled)", r"at the time", r"back then",
    r"before (?:its|their) (?:defeat|collapse|decline)", r"years ago", r"(?:a|one) year ago",
    r"months ago", r"(?:a|one) month ago", r"had been (?:held|controlled|occupied|ruled)", r"in (?:its|their) prime",
    r"until (?:mid-|late |early )?(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|last|the|\d)", r"at the (?:start|beginning|outset) of (?:the|this|last) (?:year|war|month|offensive"
        r"|conflict"
    r"|invasion|campaign)", r"before (?:the|a|its|their) (?:\d{4} )?(?:[\w-]+ )?(?:invasion|war|offensive"
        r"|counter-?attack"
    r"|counter-?offensive|coup|ceasefire|truce|deal|takeover|operation)", r"(?:weeks|months|years) earlier",
    r"(?:two|three|four|five|six|several|\d+) (?:months|years) ago", r"at its (?:largest|greatest|maximum|most)",
    r"at most", r"at the height of",
    r"had (?:almost |nearly |once |previously |already )?(?:taken over|seized|captured|overrun|overran)",
    r"had (?:already )?(?:shrunk|shrank|fallen|dropped|grown|risen|contracted|declined|expanded)",
], re.I, r"\b", r"\b")
#: the present: "now", "currently", "today" override a past year in the clause ("currently
#: occupies, after the clashes of 2021 and 2022")
_PRESENT_RE = re.compile(r"\b(?:now|currently|today|presently|at present|still)\b", re.I)
_CLAIMED = Lexicon([
    r"claim(?:s|ed|ing)?", r"alleg(?:e|es|ed|edly|ing)", r"purported(?:ly)?",
    r"boast(?:s|ed|ing)?", r"propaganda", r"Amaq"], re.I, r"\b", r"\b")
_DENIED_CLAIM_RE = re.compile(r"\b(?:reports?|claims?|suggestions?|allegations?|rumou?rs?)\s+that\b", re.I)
_DENIAL_RE = re.compile(r"\b(?:untrue|false|fake|baseless|denied|denies|deny|rejected|dismissed|incorrect|not\s+true"
                        r"|unfounded|fabricated|propaganda)\b", re.I)
_IF_RE = re.compile(r"\b(?:if|unless|were to|in case)\b", re.I)
#: an attribution closed by a comma after the figure: what follows is the speaker's aside
#: ("..., the coalition said, claiming a leading role"), not part of the reported claim
_AFTER_ATTRIBUTION_RE = re.compile(
    r"\b(?:said|says|told \w+|added|stated|announced|reported)\s*,", re.I)


def _historical_marker(clause: str, figure_end: int | None, verb_at: int | None = None) -> bool:
    """A past-state marker of the figure's own clause; one inside a relative clause after the
    figure ("two of the 20 areas they once overran") dates that clause, not the figure, and so
    does one in a phrase well before the verb after a comma ("areas previously held by
    separatists, Moscow now controls 18 %")."""
    for m in _HISTORICAL.finditer(clause):
        if figure_end is not None and m.start() >= figure_end \
                and _RELATIVE_WORD_RE.search(clause, figure_end, m.start()):
            continue
        if verb_at is not None and m.end() < verb_at - 50 and "," in clause[m.end(): verb_at]:
            continue
        return True
    return False


_RELATIVE_WORD_RE = re.compile(r"\b(?:that|which|who|they|it|he|she)\b", re.I)


def modality(clause: str, verb_pre: str, control: bool, past_year: bool,
             figure_end: int | None = None, verb_at: int | None = None) -> str:
    """Modality of a figure.

    `clause` is the text of the figure's clause, `verb_pre` the few words right before its
    governing verb (where negation and future auxiliaries sit), `control` whether it states
    control (only such statements can be historical), `past_year` whether the clause dates
    itself before publication, `figure_end` where the figure ends in `clause` (claims after
    an attribution that follows it are the speaker's, not the figure's).
    """
    if _NEGATED_RE.search(verb_pre):
        return "negated"
    head = clause[:figure_end] if figure_end is not None else clause
    if _DENIED_CLAIM_RE.search(head) and _DENIAL_RE.search(clause):
        return "negated"  # "Reports that the militants hold half of Marawi are untrue"
    if _IF_RE.search(clause):
        return "conditional"
    if _FUTURE_RE.search(verb_pre):
        return "future"
    if _CONDITIONAL.pattern.search(verb_pre):  # a short string: one regex beats an index
        return "conditional"
    # "from 40 percent in 2022 to nearly 70 percent today": a present marker right after counts too
    near = clause[max(0, figure_end - 70): figure_end + 10] if figure_end is not None else clause
    if control and (_historical_marker(clause, figure_end, verb_at) or past_year and not _PRESENT_RE.search(near)):
        return "historical"
    if figure_end is not None:
        aside = _AFTER_ATTRIBUTION_RE.search(clause, figure_end)
        if aside:
            clause = clause[: aside.end()]
    if _CLAIMED.search(clause):
        return "claimed"
    return "asserted"
