"""Plain data passed between the pipeline stages (ingest -> temporal -> events -> store).

These are dataclasses, not tables: extraction never touches the database, so every stage
can be tested as a pure function of its inputs.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date

# The event taxonomy (slug -> label). The lexicon in tracker/data/event_types.csv maps trigger
# words onto these slugs and each slug onto its PLOVER category; a test keeps both in step.
EVENT_TYPES: dict[str, str] = {
    "coup": "Coup",
    "attack": "Attack / clash",
    "threat": "Threat / ultimatum",
    "deadline": "Deadline",
    "statement": "Warning / statement",
    "diplomacy": "Diplomacy / meeting",
    "sanctions": "Sanctions",
    "aid": "Aid",
    "protest": "Protest",
    "election": "Election",
    "agreement": "Agreement",
    "deployment": "Deployment / withdrawal",
    "arrest": "Arrest / detention",
    "other": "Other",
}

PRECISIONS = ("day", "week", "month", "quarter", "year", "decade")
RESOLUTIONS = ("explicit", "publication", "relative", "previous-event", "manual")
GEO_PRECISIONS = ("place", "region", "country")


@dataclass(slots=True)
class Timex:
    """One time expression found in a text, with its TIMEX3 normalisation and why it got it.

    ``start``/``end`` index the text given to the tagger (end exclusive). ``direction`` is the
    direction chosen for an under-specified expression (``past``, ``future`` or ``none``);
    ``anchor`` names what it was resolved against (``dct`` or the text of an earlier expression);
    ``rule`` names the rule that produced it, so users can see why an event sits where it sits.
    """

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value, e.g. 2023-08-04, 2023-W31, P2Y, PAST_REF
    rule: str = ""
    direction: str = "none"
    anchor: str = "dct"
    mod: str | None = None  # TIMEX3 mod: BEFORE, AFTER, START, END, APPROX ...

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Document:
    """An article ready for extraction: body text plus what we know about its publication."""

    text: str
    published: date
    published_source: str = "given"  # given | html-meta | dateline
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    lang: str = "en"
    path: str | None = None

    @property
    def content_hash(self) -> str:
        """Identity of an article for de-duplication: same words, same article.

        Whitespace and Unicode normalisation differences (a re-saved file, CRLF endings)
        must not make the same article look new.
        """
        norm = " ".join(unicodedata.normalize("NFC", self.text).split())
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published.isoformat(),
            "published_source": self.published_source,
            "lang": self.lang,
            "path": self.path,
            "content_hash": self.content_hash,
            "chars": len(self.text),
        }


@dataclass(slots=True)
class PlaceRef:
    """Where an event happened, with how precise that is (ACLED's geo_precision idea)."""

    name: str
    lat: float
    lon: float
    country: str  # ISO 3166 alpha-3
    kind: str = "place"  # capital | town | region | base | country ...
    geo_precision: str = "place"  # place | region | country

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class EventDraft:
    """An event as extracted from one sentence of one article, before it meets the store."""

    title: str
    event_type: str
    date: date
    precision: str
    resolution: str
    sentence: str
    start: int
    end: int
    date_end: date | None = None
    timex: str | None = None
    date_text: str | None = None
    rule: str | None = None
    anchor: str | None = None
    future: bool = False
    status: str | None = None  # pending | lapsed, for deadlines and ultimatums
    plover: str | None = None
    actors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    places: list[PlaceRef] = field(default_factory=list)
    notes: str | None = None

    def to_json(self) -> dict:
        """The public JSON shape of ``tracker extract --json`` (keep stable; add fields freely)."""
        return {
            "title": self.title,
            "event_type": self.event_type,
            "plover": self.plover,
            "date": self.date.isoformat(),
            "date_end": self.date_end.isoformat() if self.date_end else None,
            "precision": self.precision,
            "timex": self.timex,
            "date_text": self.date_text,
            "resolution": self.resolution,
            "rule": self.rule,
            "anchor": self.anchor,
            "future": self.future,
            "status": self.status,
            "actors": list(self.actors),
            "countries": list(self.countries),
            "places": [p.to_json() for p in self.places],
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }
