"""Fast big alternations: branches bucketed by their first letter, so the regex engine tries
only the branches that can start at a position (Python's re has no trie optimisation)."""

from __future__ import annotations

import re


def bucketed(branches: list[str]) -> str:
    """An alternation equivalent to '|'.join(branches), grouped by literal first letter.

    Branches keep their order within a bucket; branches not starting with a plain letter go
    to a bucket tried last. Use with re.I only when the branches are case-insensitive.
    """
    buckets: dict[str, list[str]] = {}
    misc: list[str] = []
    for branch in branches:
        body = re.sub(r"^\(\?P<\w+>", "", branch)
        first = body[:1]
        if first.isalpha() and body[1:2] not in ("?", "*", "{", "|"):
            buckets.setdefault(first.lower(), []).append(branch)
        else:
            misc.append(branch)
    parts = [f"(?=[{k}{k.upper()}])(?:{'|'.join(v)})" for k, v in buckets.items()]
    if misc:
        parts.append("|".join(misc))
    return "(?:" + "|".join(parts) + ")"
