"""Big alternations of named branches (actor aliases, places, verbs), matched fast.

Python's `re` tries every branch at every position of a sentence. A Lexicon indexes its
branches by the first two characters they can start with (read off the parsed pattern), so
at each word start it tries one small regex holding only the branches that can begin there,
in their original order: the same matches as `finditer` over the full alternation.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # the parser of the standard `re` module (named sre_parse before Python 3.11)
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _sre

KEY = 2  # characters of a branch's start used as index key
#: where a branch behind a word-boundary lookbehind can start, and its KEY characters
_CANDIDATE_RE = re.compile(r"(?<!\w)(?=(\S.?))", re.S)


@lru_cache(maxsize=64)
def _starts_by_key(text: str) -> dict[str, list[int]]:
    """Word and symbol starts of `text` grouped by their first KEY characters (computed once
    per text, shared by every lexicon)."""
    out: dict[str, list[int]] = {}
    for m in _CANDIDATE_RE.finditer(text):
        out.setdefault(m.group(1), []).append(m.start())
    return out


def _case_variants(key: str) -> set[str]:
    variants = {""}
    for c in key:
        variants = {v + x for v in variants for x in {c.lower(), c.upper()}}
    return variants


def _chars(op, av, fold: bool) -> set[str] | None:
    """Characters one LITERAL or IN item can match (None: too many or unknown)."""
    if op is _c.LITERAL:
        out = {chr(av)}
    elif op is _c.IN:
        out = set()
        for iop, iav in av:
            if iop is _c.LITERAL:
                out.add(chr(iav))
            elif iop is _c.RANGE and iav[1] - iav[0] < 64:
                out.update(chr(i) for i in range(iav[0], iav[1] + 1))
            else:
                return None
    else:
        return None
    return {c.lower() for c in out} if fold else out


def _starts(items, heads: set[str], fold: bool) -> set[str] | None:
    """Extend each string in `heads` (shorter than KEY) by what `items` can match next."""
    for op, av in items:
        done = {h for h in heads if len(h) >= KEY}
        todo = heads - done
        if not todo:
            return heads
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: ignoring it only adds candidates
        if op in (_c.LITERAL, _c.IN):
            chars = _chars(op, av, fold)
            if chars is None:
                return None
            heads = done | {h + c for h in todo for c in chars}
        elif op is _c.SUBPATTERN:
            if av[1] & re.I and not fold:
                return None  # a scoped (?i:...) in a case-sensitive lexicon
            sub = _starts(av[-1].data, todo, fold)
            if sub is None:
                return None
            heads = done | sub
        elif op is _c.BRANCH:
            out = set(done)
            for alt in av[1]:
                sub = _starts(alt.data, todo, fold)
                if sub is None:
                    return None
                out |= sub
            heads = out
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, sub_items = av
            out, cur = set(done), set(todo)
            for i in range(KEY + 1):
                if i >= low:
                    out |= cur
                if i >= high or not cur:
                    break
                step = _starts(sub_items.data, {h for h in cur if len(h) < KEY}, fold)
                if step is None:
                    return None
                cur = step | {h for h in cur if len(h) >= KEY}
            heads = out
        else:
            return None
    return heads


def branch_keys(branch: str, flags: int) -> set[str] | None:
    """The KEY-character strings a branch can start with (shorter if it can end sooner);
    None when that cannot be read off the pattern."""
    try:
        parsed = _sre.parse(branch, flags)
    except Exception:  # pragma: no cover - unexpected parser internals
        return None
    return _starts(parsed.data, {""}, bool(flags & re.I))


def branch_index(m: re.Match[str]) -> int:
    """N of the named branch `(?P<xN>...)` (any one-letter prefix x) that `m` matched."""
    name = m.lastgroup
    assert name is not None, "a lexicon's branches are named groups"
    return int(name[1:])


class Lexicon:
    """`before + (?:branch1|branch2|...) + after` with `finditer` tried only where a branch
    can start. Branches are full regex fragments, usually named groups."""

    def __init__(self, branches: list[str], flags: int = 0, before: str = r"(?<![\w-])",
                 after: str = r"(?![\w])") -> None:
        self.fold = bool(flags & re.I)
        keyed: list[tuple[str, set[str] | None]] = [(b, branch_keys(b, flags)) for b in branches]
        always = [b for b, keys in keyed if keys is None or any(len(k) < KEY for k in keys)]
        all_keys = {k for _, keys in keyed if keys for k in keys if len(k) == KEY}

        def build(selected: list[str]) -> re.Pattern[str]:
            return re.compile(before + "(?:" + "|".join(selected) + ")" + after, flags)

        by_key = {key: build([b for b, keys in keyed if b in always or (keys and key in keys)])
                  for key in all_keys}
        # case-insensitive: index every ASCII case variant (exotic folds like the Kelvin sign
        # for "k" at a word start are not indexed)
        self._by_key = {v: rx for key, rx in by_key.items()
                        for v in (_case_variants(key) if self.fold else {key})}
        self._always = build(always) if always else None
        self._keys = frozenset(self._by_key)
        self.pattern = build([b for b, _ in keyed])  # the plain alternation, for fullmatch

    def search(self, text: str) -> re.Match[str] | None:
        """What `self.pattern.search(text)` returns."""
        if self._always is not None:
            return self.pattern.search(text)
        index = _starts_by_key(text)
        keys = self._keys.intersection(index)
        if not keys:
            return None
        by_key = self._by_key
        for p in self._starts(index, keys):
            m = by_key[text[p: p + KEY]].match(text, p)
            if m:
                return m
        return None

    def finditer(self, text: str) -> list[re.Match[str]]:
        """What `self.pattern.finditer(text)` yields, as a list."""
        if self._always is not None:  # a branch with no readable start: the slow road
            return list(self.pattern.finditer(text))
        index = _starts_by_key(text)
        keys = self._keys.intersection(index)
        if not keys:
            return []
        out: list[re.Match[str]] = []
        end = 0
        by_key = self._by_key
        for p in self._starts(index, keys):
            if p < end:
                continue
            m = by_key[text[p: p + KEY]].match(text, p)
            if m:
                out.append(m)
                end = m.end()
        return out

    @staticmethod
    def _starts(index: dict[str, list[int]], keys: frozenset[str] | set[str]) -> list[int]:
        if len(keys) == 1:
            return index[next(iter(keys))]
        return sorted(p for k in keys for p in index[k])
