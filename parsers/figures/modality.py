"""Modality of a figure's clause: asserted, claimed, future, conditional, negated, historical."""

from __future__ import annotations

import re

_NEGATED_RE = re.compile(
    r"\b(?:not|n't|never|neither|nor|no longer|failed to|has yet to|have yet to|denied)\b", re.I)
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|'ll|aims? to|aiming to|aimed to|plans? to|planning to|planned to"
    r"|expected to|expects? to|intends? to|intending to|set to|is to|are to|going to|seeks? to"
    r"|seeking to|hopes? to|hoping to|wants? to|vow(?:s|ed)? to|pledge[sd]? to|threaten(?:s|ed)? to"
    r"|poised to|on track to|could soon|is about to|are about to|goal (?:is|of)|target (?:is|of)"
    r"|in order to|bid to|attempt to|trying to|tries to|push to|drive to|offensive to|operation to)\b",
    re.I)
_CONDITIONAL_RE = re.compile(
    r"\b(?:if|unless|in case|were to|would|could|might|may|should (?:it|they|the)|provided that"
    r"|in the event)\b", re.I)
_HISTORICAL_RE = re.compile(
    r"\b(?:at (?:its|their|the) (?:peak|height|zenith|apex)|at one (?:point|time|stage)|once"
    r"|used to|previously|formerly|in its heyday|had (?:once |previously )?(?:controlled|held|occupied|ruled)"
    r"|at the time|back then|before (?:its|their) (?:defeat|collapse|decline)|years ago"
    r"|in (?:its|their) prime)\b", re.I)
_CLAIMED_RE = re.compile(
    r"\b(?:claim(?:s|ed|ing)?|alleg(?:e|es|ed|edly|ing)|purported(?:ly)?|boast(?:s|ed|ing)?"
    r"|propaganda|Amaq)\b", re.I)


def modality(clause: str, verb_pre: str, control: bool, past_year: bool) -> str:
    """Modality of a figure.

    `clause` is the text of the figure's clause, `verb_pre` the few words right before its
    governing verb (where negation and future auxiliaries sit), `control` whether it states
    control (only such statements can be historical), `past_year` whether the clause dates
    itself before publication.
    """
    if _NEGATED_RE.search(verb_pre):
        return "negated"
    if _CONDITIONAL_RE.search(clause) and re.search(r"\b(?:if|unless|were to|in case)\b", clause, re.I):
        return "conditional"
    if _FUTURE_RE.search(verb_pre):
        return "future"
    if _CONDITIONAL_RE.search(verb_pre):
        return "conditional"
    if control and (_HISTORICAL_RE.search(clause) or past_year):
        return "historical"
    if _CLAIMED_RE.search(clause):
        return "claimed"
    return "asserted"
