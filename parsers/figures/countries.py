"""Every country of the world, from the `countryinfo` data package: its name and other
spellings, the adjective its forces are named with ("Malian soldiers"), its capital and
provinces (clues to which country an article is about), and the canonical name of its state
forces ("the army" in a Malian article is the "Malian army").

Only a few spellings the package lacks are added here (adjectives news use besides the
demonym: "Philippine", "Azeri", "Myanmar"), and the canonical names analysts use for the
state forces of well-known conflicts; any other country's forces are "<Adjective> forces".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

#: adjectives used in news besides the package's demonym (country name -> extra adjectives)
EXTRA_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "Philippines": ("Philippine",), "Azerbaijan": ("Azeri",), "Myanmar": ("Myanmar", "Burmese"),
    "Saudi Arabia": ("Saudi",), "United States": ("US", "U.S.", "American"),
    "United Kingdom": ("British", "UK"), "Democratic Republic of the Congo": ("Congolese",),
    "Burkina Faso": ("Burkinabe", "Burkinabè", "Burkina"), "Sri Lanka": ("Sri Lankan", "Sri Lanka"),
    "Israel": ("Israeli",), "Ukraine": ("Ukrainian",), "Russia": ("Russian",),
    "Western Sahara": ("Sahrawi", "Saharawi"), "Palestine": ("Palestinian",),
    "Central African Republic": ("Central African",), "South Sudan": ("South Sudanese",),
    "Ivory Coast": ("Ivorian",), "Guinea-Bissau": ("Bissau-Guinean",),
}
#: other names of countries news use ("Burma", "Congo", "the DRC")
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "Myanmar": ("Burma",), "Democratic Republic of the Congo": ("DRC", "DR Congo", "Congo"),
    "Turkey": ("Türkiye", "Turkiye"), "Ivory Coast": ("Côte d'Ivoire", "Cote d'Ivoire"),
    "United States": ("America",),
}
#: other spellings of capitals ("Kiev")
EXTRA_CAPITALS: dict[str, tuple[str, ...]] = {"Ukraine": ("Kiev",), "Israel": ("Tel Aviv",)}
#: canonical name of a country's state forces, where analysts use a settled one
GOVERNMENT_NAMES: dict[str, str] = {
    "Syria": "Syrian government", "Iraq": "Iraqi government", "Yemen": "Yemeni government",
    "Afghanistan": "Afghan government", "Somalia": "Somali government",
    "Sudan": "Sudanese army", "Myanmar": "Myanmar military", "Mali": "Malian army",
    "Burkina Faso": "Burkinabe army", "Niger": "Nigerien army", "Nigeria": "Nigerian army",
    "Democratic Republic of the Congo": "Congolese army", "Ethiopia": "Ethiopian government",
    "Mozambique": "Mozambican forces", "Libya": "Government of National Accord",
    "Russia": "Russia", "Ukraine": "Ukraine", "Israel": "Israel", "Azerbaijan": "Azerbaijan",
    "Armenia": "Armenia", "Turkey": "Turkey", "Georgia": "Georgia", "Morocco": "Morocco",
    "Lebanon": "Lebanese army", "Philippines": "Philippine military",
    "Sri Lanka": "Sri Lankan army", "Colombia": "Colombian government",
    "Mexico": "Mexican government", "Haiti": "Haitian government",
    "Cameroon": "Cameroonian army", "Chad": "Chadian army", "Iran": "Iran",
    "United States": "United States", "Saudi Arabia": "Saudi Arabia",
    "United Arab Emirates": "United Arab Emirates", "Egypt": "Egyptian army",
    "Central African Republic": "Central African army", "South Sudan": "South Sudanese army",
    "China": "China", "India": "India", "Pakistan": "Pakistan", "North Korea": "North Korea",
    "South Korea": "South Korea", "Eritrea": "Eritrea", "Cyprus": "Republic of Cyprus",
    # the state whose forces act in Gaza and the West Bank
    "Palestine": "Israel",
}
#: who "the occupiers" / "the aggressor" are in a country's reporting, when no party is named
OCCUPIER_OF: dict[str, str] = {"Ukraine": "Russia", "Georgia": "Russia", "Azerbaijan": "Armenia",
                               "Cyprus": "Turkey", "Palestine": "Israel", "Lebanon": "Israel"}
#: the opposition of a country when the text says only "the opposition" / "the rebels"
OPPOSITION_NAMES: dict[str, str] = {
    "Syria": "Syrian opposition", "Myanmar": "Myanmar resistance", "Yemen": "Houthis",
    "Afghanistan": "Taliban", "Sri Lanka": "LTTE", "Ethiopia": "TPLF",
    "Central African Republic": "CAR armed groups",
}
#: the non-state side of a country's war when the text says only "the insurgents", "armed
#: groups", "gangs" and names no group (the settled name analysts use)
INSURGENT_NAMES: dict[str, str] = {
    "Haiti": "Haitian gangs", "Mexico": "Mexican cartels", "Mozambique": "Islamic State Mozambique",
    "Central African Republic": "CAR armed groups", "Burkina Faso": "jihadist groups",
    "Mali": "jihadist groups", "Niger": "jihadist groups", "Somalia": "al-Shabaab",
    "Afghanistan": "Taliban", "Sri Lanka": "LTTE", "Nigeria": "Boko Haram", "Iraq": "Islamic State",
    "Yemen": "Houthis", "Colombia": "illegal armed groups",
}
#: the jihadists of a country when the text says only "the jihadists", "the extremists",
#: "terrorist groups" and names no group (where the country's other insurgents are not jihadist)
JIHADIST_NAMES: dict[str, str] = {"Syria": "Islamic State", "Iraq": "Islamic State"}
#: the insurgents of a region, where they differ from the country's or the country has none
#: settled: a place named in the article (`places.PLACES`) -> the party
REGION_INSURGENTS: dict[str, str] = {
    "Marawi": "Maute group", "Rakhine": "Arakan Army", "Tigray": "TPLF", "Cabo Delgado": "Islamic State Mozambique",
    "Borno": "Boko Haram", "Sittwe": "Arakan Army", "Lashio": "MNDAA", "Laukkai": "MNDAA",
}
#: package names of countries replaced by the names news use
_RENAMES = {"Republic of the Congo": "Republic of the Congo", "Côte d'Ivoire": "Ivory Coast",
            "Palestine, State of": "", "Republic of Kosovo": "Kosovo"}


@dataclass(frozen=True)
class Country:
    """One country: names, adjectives, capital and provinces as written in English news."""

    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    capital: str | None
    provinces: tuple[str, ...]

    @property
    def government(self) -> str:
        """The canonical actor for this country's state forces."""
        if self.name in GOVERNMENT_NAMES:
            return GOVERNMENT_NAMES[self.name]
        return f"{self.adjectives[0] if self.adjectives else self.name} forces"

    @property
    def opposition(self) -> str:
        """The canonical actor for this country's unnamed opposition."""
        if self.name in OPPOSITION_NAMES:
            return OPPOSITION_NAMES[self.name]
        return f"{self.adjectives[0] if self.adjectives else self.name} opposition"


class CountryMention(NamedTuple):
    """A country named in text: by name, adjective, capital, province or people."""

    country: str
    start: int
    end: int
    kind: str  # name | adjective | capital | province | plural


def _ascii_ok(s: str) -> bool:
    return bool(s) and all(ord(c) < 0x250 for c in s) and not s.isupper() or s in ("DRC", "UAE")


def _province_names(raw: str) -> list[str]:
    """'Donets'ka (Donets'k)' -> both spellings; plain names as they are."""
    parts = [raw]
    m = re.match(r"^(.*?)\s*\((.*)\)$", raw)
    if m:
        parts = [m.group(1), m.group(2)]
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """All countries by name (loaded once from `countryinfo`)."""
    from countryinfo import CountryInfo

    out: dict[str, Country] = {}
    for data in CountryInfo.all().values():
        name = data.get("name") or ""
        name = _RENAMES.get(name, name)
        if not name or name in out:
            continue
        alt = [a for a in (data.get("altSpellings") or []) if _ascii_ok(a) and len(a) > 3
               and not a.lower().startswith(("republic", "kingdom", "state of", "federal"))]
        names = tuple(dict.fromkeys([name, *alt, *EXTRA_NAMES.get(name, ())]))
        demonym = (data.get("demonym") or "").split(",")[0].strip()
        adjectives = tuple(dict.fromkeys(
            [a for a in (*EXTRA_ADJECTIVES.get(name, ())[:1], demonym, *EXTRA_ADJECTIVES.get(name, ()))
             if a]))
        provinces = tuple(p for raw in (data.get("provinces") or []) for p in _province_names(raw)
                          if len(p) > 3 and _ascii_ok(p))
        capital = data.get("capital") or None
        if isinstance(capital, list):
            capital = capital[0] if capital else None
        out[name] = Country(name, names, adjectives, capital, provinces)
    return out


_TOKEN_RE = re.compile(r"[^\W\d_][\w'’.]*(?:-[\w'’.]+)*")
#: the longest spelling, in words
_MAX_WORDS = 6


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Every spelling (lower-cased, words joined by one space) -> (country, kind), and an
    adjective -> country map. A name wins over an adjective, a capital, a province."""
    index: dict[str, tuple[str, str]] = {}
    adjective_of: dict[str, str] = {}
    all_names = {n.lower() for c in countries().values() for n in c.names}
    for kind in ("name", "adjective", "capital", "province"):
        for c in countries().values():
            words = {"name": c.names, "adjective": c.adjectives,
                     "capital": (c.capital,) if c.capital else (), "province": c.provinces}[kind]
            if kind == "capital":
                words = (*words, *EXTRA_CAPITALS.get(c.name, ()))
            for w in words:
                key = " ".join(_TOKEN_RE.findall(w)).lower()
                if not key or kind == "province" and (key in all_names or key in _COMMON_WORDS):
                    continue
                index.setdefault(key, (c.name, kind))
                if kind == "adjective":
                    adjective_of.setdefault(key, c.name)
                    if re.fullmatch(r"[a-z]+(?:an|i)", key):  # "Russians", "Israelis"
                        index.setdefault(key + "s", (c.name, "plural"))
    return index, adjective_of


@lru_cache(maxsize=1)
def _first_words() -> dict[str, int]:
    """First word (lower case) of every spelling -> the most words a spelling starting with
    it has."""
    index, _ = _tables()
    out: dict[str, int] = {}
    for key in index:
        words = key.split(" ")
        out[words[0]] = max(out.get(words[0], 0), len(words))
    return out


#: province names that are also common English words or names of other things
_COMMON_WORDS = frozenset({
    "delta", "niger", "centre", "center", "north", "south", "east", "west", "central", "bay",
    "lakes", "coast", "eastern", "western", "northern", "southern", "capital", "river", "upper",
    "lower", "plateau", "islands", "national", "federal", "mountain", "littoral", "sud", "nord",
    "est", "ouest", "mid", "south west", "north west", "far north", "borders", "district",
    "western area", "northern province", "southern province", "eastern province", "region",
})


def find_countries(text: str, plurals: bool = False) -> list[CountryMention]:
    """Every country spelling in `text` (see `_find_countries`), as a new list."""
    return list(_find_countries(text, plurals))


@lru_cache(maxsize=512)
def _find_countries(text: str, plurals: bool) -> tuple[CountryMention, ...]:
    """Every country spelling in `text` (names, adjectives, capitals, provinces; with
    `plurals`, peoples too: "the Russians"), in order; spellings are proper nouns, so only
    words starting with a capital are tried."""
    index, _ = _tables()
    first = _first_words()
    tokens = [m for m in _TOKEN_RE.finditer(text)]
    out: list[CountryMention] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].group()
        if not word[0].isupper():
            i += 1
            continue
        low = word.lower()
        longest = first.get(low) or first.get(low.rstrip(".")) or (
            first.get(low[:-2]) if low.endswith(("'s", "’s")) else 0)
        if not longest:
            i += 1
            continue
        for n in range(min(longest, len(tokens) - i), 0, -1):
            span = tokens[i: i + n]
            if n > 1 and any(text[a.end(): b.start()] not in (" ", ", ")
                             for a, b in zip(span, span[1:], strict=False)):
                continue
            key = " ".join(t.group() for t in span).lower()
            trim = 0
            if key.endswith(".") and key not in index:
                trim = len(key) - len(key.rstrip("."))
                key = key.rstrip(".")  # "in Myanmar." ends a sentence ("U.S." keeps its dots)
            hit = index.get(key) or (index.get(key[:-2]) if key.endswith(("'s", "’s")) else None)
            if hit and hit[1] == "plural" and not plurals:
                hit = None
            if hit:
                end = span[-1].end() - trim - (2 if key not in index else 0)
                out.append(CountryMention(hit[0], tokens[i].start(), end, hit[1]))
                i += n
                break
        else:
            i += 1
    return tuple(out)


def country_of_adjective(word: str) -> str | None:
    """The country an adjective names ("Malian" -> "Mali"), or a country name itself."""
    _, adjective_of = _tables()
    key = word.lower()
    if key in adjective_of:
        return adjective_of[key]
    return country_named(word)


def country_named(name: str) -> str | None:
    """The country a name denotes ("Burma" -> "Myanmar"), or None."""
    return _folded_names().get(_fold(name))


@lru_cache(maxsize=1)
def _folded_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for c in countries().values():
        for n in c.names:
            out.setdefault(_fold(n), c.name)
    return out


def government_of(country: str) -> str:
    """The canonical actor of a country's state forces."""
    c = countries().get(country)
    return c.government if c else GOVERNMENT_NAMES.get(country, f"{country} forces")


def opposition_of(country: str) -> str:
    """The canonical actor of a country's unnamed opposition."""
    c = countries().get(country)
    return c.opposition if c else f"{country} opposition"


def insurgents_of(country: str, jihadist: bool = False) -> str | None:
    """The settled name of a country's unnamed insurgents or armed groups, if it has one
    (`jihadist`: the words name jihadists, "the extremists", "terrorist groups")."""
    if jihadist and country in JIHADIST_NAMES:
        return JIHADIST_NAMES[country]
    return INSURGENT_NAMES.get(country)


def state_actor_names() -> frozenset[str]:
    """Every canonical name of state forces (curated and derived)."""
    return _state_names()


@lru_cache(maxsize=1)
def _state_names() -> frozenset[str]:
    return frozenset({c.government for c in countries().values()} | set(GOVERNMENT_NAMES.values()))


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).lower().strip()
