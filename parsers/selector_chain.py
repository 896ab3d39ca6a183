"""A source's selector sets, newest first, and the order they are tried in for one page.

A source that redesigned keeps the selectors of each design: a page is read with the sets
whose date range covers its publication day first (in the configured order), then with the
others. The first set that yields a title, a date and a body wins (parsers.article); when
none does, the generic extractor takes over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from parsers.selectors import SelectorSet

GENERIC = "generic"  # what `Article.selector_set` says when no set yielded every field

SelectorsConfig = Mapping[str, object] | SelectorSet | Sequence[Mapping[str, object] | SelectorSet]


def default_name(position: int, count: int) -> str:
    """The name of an unnamed set: "default" when it is the only one, else "set-N"."""
    return "default" if count == 1 else f"set-{position + 1}"


@dataclass(frozen=True)
class SelectorChain:
    """The selector sets of a source, in the order they are configured (newest first)."""

    sets: tuple[SelectorSet, ...] = ()

    @classmethod
    def from_config(cls, config: SelectorChain | SelectorsConfig | None) -> SelectorChain:
        """From one set or a list of sets (mappings as in the sources file, or SelectorSets)."""
        if config is None:
            return cls()
        if isinstance(config, SelectorChain):
            return config
        items: list[Mapping[str, object] | SelectorSet] = (
            [config] if isinstance(config, (Mapping, SelectorSet)) else list(config))
        sets = []
        for position, item in enumerate(items):
            name = default_name(position, len(items))
            sets.append(item if isinstance(item, SelectorSet)
                        else SelectorSet.from_config(item, name=name))
        return cls(tuple(s for s in sets if s.fields or s.exclude))

    @property
    def dated(self) -> bool:
        """Whether any set says which days it applies to."""
        return any(s.dated for s in self.sets)

    def ordered(self, published: date | datetime | None) -> list[SelectorSet]:
        """The sets to try for a page published on `published`: those covering that day
        first, then the others; all in configured order when the day is unknown."""
        if published is None or not self.dated:
            return list(self.sets)
        day = published.date() if isinstance(published, datetime) else published
        covering = [s for s in self.sets if s.covers(day)]
        return covering + [s for s in self.sets if s not in covering]

    def names(self) -> Iterable[str]:
        """The names of the sets, in configured order."""
        return (s.name for s in self.sets)
