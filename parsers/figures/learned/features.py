"""Sparse features of a quantity in its sentence, and of a party mention as its actor.

Features are plain strings ("L1:from", "R:villages"); a model (see `model`) weighs them. They
read only the text and the mention finder's output, never the rule engine's decisions, so a
model trained on them gives a second, independent opinion.
"""

from __future__ import annotations

import re

from ..actors import Mention
from ..quantities import Quantity
from ..roles import prefix_word

_TOKEN_RE = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d[\d,.]*|[^\w\s]")
_WINDOW = 8
_NEAR = 3


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(normalised token, start, end); numbers become '0'."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group().lower().replace("’", "'")
        out.append(("0" if tok[0].isdigit() else tok, m.start(), m.end()))
    return out


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2" if n <= 3 else "4" if n <= 7 else "8"


def quantity_features(sentence: str, q: Quantity, quantities: list[Quantity],
                      mentions: list[Mention]) -> list[str]:
    """What the words around a quantity say about it being a territorial figure, and its
    direction (held, taken, given up)."""
    toks = _tokens(sentence)
    left = [t for t, _, e in toks if e <= q.start][-_WINDOW:]
    right = [t for t, s, _ in toks if s >= q.end][:_WINDOW]
    inside = [t for t, s, e in toks if s >= q.start and e <= q.end and t != "0"]
    f = [f"kind:{q.kind}", f"qual:{q.qualifier}", f"kq:{q.kind}:{q.qualifier}",
         f"change:{q.change}", f"of:{q.share_of}", f"nq:{min(len(quantities), 4)}",
         f"idx:{min(quantities.index(q) if q in quantities else 0, 3)}"]
    f += [f"Q:{t}" for t in inside]
    f += [f"L:{t}" for t in left] + [f"R:{t}" for t in right]
    f += [f"L{i}:{t}" for i, t in enumerate(reversed(left[-_NEAR:]), 1)]
    f += [f"R{i}:{t}" for i, t in enumerate(right[:_NEAR], 1)]
    f += [f"LL:{a}_{b}" for a, b in zip(left, left[1:], strict=False)]
    f += [f"RR:{a}_{b}" for a, b in zip(right, right[1:], strict=False)]
    f += [f"kR1:{q.kind}:{right[0]}" if right else f"kR1:{q.kind}:$",
          f"kL1:{q.kind}:{left[-1]}" if left else f"kL1:{q.kind}:^"]
    f += [f"S:{t}" for t in {t for t, _, _ in toks if len(t) > 3}]
    before = [m for m in mentions if m.end <= q.start]
    after = [m for m in mentions if m.start >= q.end]
    f.append(f"mb:{len(before) > 0}:{len(after) > 0}")
    if before:
        m = before[-1]
        f += [f"mbk:{m.kind}", f"mbp:{prefix_word(sentence, m)}"]
    if after:
        m = after[0]
        f += [f"mak:{m.kind}", f"map:{prefix_word(sentence, m)}"]
    return f


def actor_features(sentence: str, q: Quantity, m: Mention, mentions: list[Mention],
                   direction: str) -> list[str]:
    """What makes mention `m` the actor of a quantity whose direction is `direction`."""
    toks = _tokens(sentence)
    before = m.end <= q.start
    lo, hi = (m.end, q.start) if before else (q.end, m.start)
    between = [t for t, s, e in toks if s >= lo and e <= hi]
    gap = len(between)
    order = [o for o in mentions if (o.end <= q.start) == before]
    nearest = (order[-1] if before else order[0]) == m if order else False
    pre = prefix_word(sentence, m)
    nxt = next((t for t, s, _ in toks if s >= m.end), "$")
    side = "B" if before else "A"
    f = [f"side:{side}", f"gap:{side}{_bucket(gap)}", f"near:{side}{nearest}", f"mk:{m.kind}",
         f"pre:{pre}", f"pre:{side}:{pre}", f"nxt:{nxt}", f"nxt:{side}:{nxt}", f"dir:{direction}",
         f"dpre:{direction}:{pre}", f"dside:{direction}:{side}", f"dnxt:{direction}:{nxt}",
         f"first:{mentions.index(m) == 0 if m in mentions else False}", f"nm:{min(len(mentions), 4)}",
         f"kind:{q.kind}", f"dkp:{direction}:{m.kind}:{pre}"]
    f += [f"Bt:{t}" for t in between[:10]]
    f += [f"dBt:{direction}:{t}" for t in between[:6]]
    return f
