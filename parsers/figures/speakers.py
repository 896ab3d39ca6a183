"""Who said it: attributions ("said General X", "X said", "according to X") and resolving
short or misspelt references ("Rudskay", "the General", "he said") to a full name seen before."""

from __future__ import annotations

import re

_TITLE = (
    r"(?:Lieutenant[- ]General|Lt\.? Gen\.?|Major[- ]General|Maj\.? Gen\.?|Brigadier(?: General)?"
    r"|Colonel[- ]General|General|Gen\.|Colonel|Col\.|Major|Lieutenant|Lt\.|Admiral|Adm\.|Captain"
    r"|President|Prime Minister|Defen[cs]e Minister|Foreign Minister|Minister|Spokesman|Spokeswoman"
    r"|Commander|Sheikh|Dr\.|Mr\.|Ms\.|Mrs\.)"
)
_NAME = r"(?:[A-Z][a-zA-Z'\u2019-]+|al-[A-Z][a-zA-Z'-]+)"
#: a person's name; starts with a capital or "al-" (the leading lookaheads below say so, which
#: lets the regex engine reject most positions at once)
_PERSON = rf"(?:{_TITLE}\s+)?{_NAME}(?:\s+{_NAME}){{0,3}}"
_SAY_WORDS = ("said", "says", "told", "added", "stated", "noted", "explained", "announced",
              "claimed", "declared", "reported", "wrote")
_SAY = "(?:" + "|".join(_SAY_WORDS) + ")"
_STOP = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "The", "It",
    "He", "She", "They", "This", "That", "In", "On", "But", "And", "Reuters", "AFP", "AP",
}

#: some attribution pattern can match only where one of these occurs (literal prefixes let
#: the regex engine skip ahead fast)
_ATTRIBUTION_GATE_RE = re.compile("|".join((*_SAY_WORDS, "ccording to")))
_AFTER_SAY_RE = re.compile(rf"[,\"”]\s*{_SAY}\s+(?P<p>{_PERSON})")
_BEFORE_SAY_RE = re.compile(rf"(?=[A-Z]|al-)(?P<p>{_PERSON}),?\s+(?:(?:also|later|further)\s+)?{_SAY}\b")
_ACCORDING_RE = re.compile(rf"\b[Aa]ccording to\s+(?P<p>{_PERSON})")
_SAID_THE_RE = re.compile(rf"\b{_SAY}\s+the\s+(?P<t>{_TITLE}|general|colonel|spokesman|minister|commander)\b")
_PRONOUN_RE = re.compile(rf"\b(?:he|she)\s+{_SAY}\b|\b{_SAY}\s+(?:he|she)\b")
_TITLE_RE = re.compile(rf"^{_TITLE}\s+")
_TITLED_RE = re.compile(rf"(?=[A-Z])\b{_TITLE}\s+{_NAME}(?:\s+{_NAME}){{1,3}}")
#: where a title can start (literal alternatives, which the regex engine scans for fast)
_TITLE_START_RE = re.compile(
    r"Lieutenant|Lt|Major|Maj|Brigadier|Colonel|General|Gen|Col|Admiral|Adm|Captain|President"
    r"|Prime|Defen|Foreign|Minister|Spokes|Commander|Sheikh|Dr|Mr|Ms")


def _titled(text: str) -> list[re.Match[str]]:
    """What `_TITLED_RE.finditer(text)` yields, tried only where a title starts."""
    out: list[re.Match[str]] = []
    end = 0
    for start in _TITLE_START_RE.finditer(text):
        if start.start() < end:
            continue
        m = _TITLED_RE.match(text, start.start())
        if m:
            out.append(m)
            end = m.end()
    return out


def _clean(name: str) -> str | None:
    toks = name.split()
    while toks and toks[-1] in _STOP:
        toks.pop()
    while toks and toks[0] in _STOP:
        toks.pop(0)
    if not toks:
        return None
    name = " ".join(toks)
    return name if re.search(r"[a-z]", name) else None


def _surname(name: str) -> str:
    return _TITLE_RE.sub("", name).split()[-1] if name else ""


def _close(a: str, b: str) -> bool:
    """Same surname up to one or two edits (handles 'Rudskay' vs 'Rudskoy')."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 5 or a[:3] != b[:3]:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= (1 if len(a) < 7 else 2)


class SpeakerBook:
    """Speakers named so far in an article; resolves later partial references."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.last: str | None = None
        self.primed: list[str] = []

    def prime(self, text: str) -> None:
        """Remember titled full names ('Colonel Ryan Dillon') appearing anywhere in `text`."""
        for m in _titled(text):
            name = _clean(m.group(0))
            if name and name not in self.names and len(name.split()) >= 3:
                self.names.append(name)
                self.primed.append(name)

    def _resolve(self, name: str) -> str:
        sur = _surname(name)
        best = name
        for known in self.names:
            if _close(_surname(known), sur) and len(known) > len(best):
                best = known
        return best

    def _note(self, name: str) -> str:
        name = self._resolve(name)
        if name not in self.names:
            self.names.append(name)
        self.last = name
        return name

    def find(self, sentence: str) -> str | None:
        """The speaker of `sentence` (noting it for later sentences), or None."""
        seen = [n for n in self.primed if n in sentence]
        if not seen and not _ATTRIBUTION_GATE_RE.search(sentence):
            return None  # no attribution pattern can match
        according = "ccording to" in sentence
        for regex in (_AFTER_SAY_RE, _ACCORDING_RE, _BEFORE_SAY_RE):
            if regex is _ACCORDING_RE and not according:
                continue
            for m in regex.finditer(sentence):
                name = _clean(m.group("p"))
                if name and not _is_party(name):
                    return self._note(name)
        said = _SAID_THE_RE.search(sentence)
        if said:
            title = said.group("t").lower()
            for known in reversed(self.names):
                if known.lower().startswith(title) or title in known.lower():
                    self.last = known
                    return known
        if self.last and _PRONOUN_RE.search(sentence):
            return self.last
        if seen:
            self.last = seen[-1]
        return None


def _is_party(name: str) -> bool:
    from .actors import find_actors

    hits = find_actors(name)
    return bool(hits) and hits[0].start == 0 and hits[0].end >= len(name) - 1
