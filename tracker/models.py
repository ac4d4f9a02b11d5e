"""SQLModel tables of the store, and the pydantic shapes that go in and come out of it.

Tables hold what was read and what analysts decided; ``EventIn`` is what a person (form, CLI) may
send, validated once here so the dashboard and the CLI give the same messages; ``EventView`` is the
flat, read-only shape every view (table, charts, exports, JSON) works from.
"""

import datetime as dt
import re
from datetime import UTC, datetime
from typing import Optional

from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from tracker.types import EVENT_TYPES, PRECISIONS

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MAX_TITLE = 300
MAX_NOTES = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def utcnow() -> datetime:
    """Timestamps are timezone-aware UTC (SQLModel refuses naive datetimes)."""
    return datetime.now(UTC)


class EventActor(SQLModel, table=True):
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, index=True)


class EventCountry(SQLModel, table=True):
    # a page of one country's events, in date order, is a range of this index: no walk through every
    # event probing its countries (a rare country at a million events took ~100 ms on PostgreSQL)
    __table_args__ = (Index("ix_eventcountry_country_date", "country", "date", "event_id"),)

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    country: str = Field(primary_key=True, max_length=3)
    date: dt.date  # the event's own date, copied here and kept in step by tracker.store


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(max_length=64, unique=True, index=True)
    title: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=200)
    published: dt.date = Field(index=True)
    published_source: str = Field(default="given", max_length=20)
    lang: str = Field(default="en", max_length=8)
    path: str | None = Field(default=None, max_length=2000)
    text: str = Field(sa_column=Column(Text, nullable=False))
    ingested_at: datetime = Field(default_factory=utcnow)

    sources: list["EventSource"] = Relationship(back_populates="article")


class Actor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    kind: str | None = Field(default=None, max_length=40)
    country: str | None = Field(default=None, max_length=3)

    events: list["Event"] = Relationship(back_populates="actors", link_model=EventActor)


class Event(SQLModel, table=True):
    __table_args__ = (Index("ix_event_type_date", "event_type", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=MAX_TITLE)
    event_type: str = Field(default="other", max_length=30, index=True)
    plover: str | None = Field(default=None, max_length=30)
    date: dt.date = Field(index=True)
    date_end: dt.date | None = Field(default=None, index=True)
    precision: str = Field(default="day", max_length=10)
    timex: str | None = Field(default=None, max_length=60)
    date_text: str | None = Field(default=None, max_length=200)
    resolution: str = Field(default="explicit", max_length=20)
    rule: str | None = Field(default=None, max_length=80)
    anchor: str | None = Field(default=None, max_length=200)
    future: bool = Field(default=False, index=True)
    disputed: bool = Field(default=False)
    place_name: str | None = Field(default=None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = Field(default=None, max_length=10)
    origin: str = Field(default="extracted", max_length=10, index=True)
    edited: bool = Field(default=False)
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    source_url: str | None = Field(default=None, max_length=2000)
    sentence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    start: int | None = None
    end: int | None = None
    article_id: int | None = Field(default=None, foreign_key="article.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # its countries and actor ids as one string ("MLI,NER|12,57"), copied from the link tables and
    # kept in step by tracker.store: facet counts read the events at a date range's edges with this,
    # not with two link lookups each (NULL = not known; the links are read instead)
    facet_keys: str | None = Field(default=None, sa_column=Column(Text, nullable=True))

    actors: list[Actor] = Relationship(back_populates="events", link_model=EventActor)
    country_links: list[EventCountry] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    sources: list["EventSource"] = Relationship(
        back_populates="event", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )


class EventSource(SQLModel, table=True):
    """One article's report of an event: merged events keep every report and what each said."""

    __table_args__ = (UniqueConstraint("event_id", "article_id", "start", name="uq_source_span"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    article_id: int = Field(foreign_key="article.id", index=True)
    sentence: str = Field(sa_column=Column(Text, nullable=False))
    start: int
    end: int
    date: dt.date | None = None
    precision: str | None = Field(default=None, max_length=10)
    date_text: str | None = Field(default=None, max_length=200)

    event: Optional["Event"] = Relationship(back_populates="sources")
    article: Optional["Article"] = Relationship(back_populates="sources")


_BYTEWISE = String(200).with_variant(String(200, collation="C"), "postgresql")


class FacetCount(SQLModel, table=True):
    """How many events fall in one cell: month (or ``*`` = all time), type, future, country, actor.

    Derived data, kept in step by every write in the store (see :mod:`tracker.rollup`): the counts
    beside the dashboard's filters read a few hundred of these rows instead of counting a million
    events. ``*`` means "any", so each event is counted once in every combination of one of its
    countries (or any, or the set of them) with one of its actors (or any, or the set of them).
    """

    __table_args__ = (
        # Types and actors of a country (or any) are read as one slice of the primary key, countries
        # of an actor (or any) through the second index; ``n`` is in no index, so adding to a cell
        # rewrites one row only. Without a rowid (SQLite) the key is the table: one B-tree less to
        # write on every ingest.
        Index("ix_facetcount_actor", "actor", "period", "country", "event_type", "future"),
        {"sqlite_with_rowid": False},
    )

    # bytewise order on every engine ("*" < "+" < "," < digits < letters): the facet queries read
    # "every single value" and "every set" as key ranges, which a linguistic collation would scramble
    country: str = Field(sa_column=Column(_BYTEWISE, primary_key=True))  # a code, "*" (any) or "+MLI+NER"
    period: str = Field(primary_key=True, max_length=8)  # "2023-07", "*" (all time); "S..." for set cells
    actor: str = Field(sa_column=Column(_BYTEWISE, primary_key=True))  # an actor id, "*" (any) or "+12+57"
    event_type: str = Field(primary_key=True, max_length=30)
    future: bool = Field(primary_key=True)
    n: int = 0


class FacetDelta(SQLModel, table=True):
    """Changes to ``facetcount`` not yet folded into it: an ingest appends its few hundred cells here
    (cheap: one B-tree, rows at its end) and every so often they are added up into the count table.
    Readers add both (see :mod:`tracker.rollup`)."""

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=8)
    event_type: str = Field(max_length=30)
    future: bool
    country: str = Field(sa_column=Column(_BYTEWISE, nullable=False))
    actor: str = Field(sa_column=Column(_BYTEWISE, nullable=False))
    n: int


class FacetSet(SQLModel, table=True):
    """Which countries (or actors) a set cell of ``facetcount`` names, one row per member: a filter
    on several values finds the set cells naming two or more of them here, not by reading them all."""

    kind: str = Field(primary_key=True, max_length=10)  # "country" | "actor"
    member: str = Field(primary_key=True, max_length=20)
    key: str = Field(primary_key=True, max_length=200)


class Change(SQLModel, table=True):
    """Audit trail: who did what to which event, with the state before and after (JSON)."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=20)  # create | update | delete | merge | extract
    user: str | None = Field(default=None, max_length=200)
    at: datetime = Field(default_factory=utcnow, index=True)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


# --- shapes in and out ------------------------------------------------------------------------


def _clean_text(value: str | None, *, field: str, max_len: int, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise ValueError(f"{field} is required")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text")
    value = value.strip()
    if _CONTROL.search(value):
        raise ValueError(f"{field} contains control characters")
    if required and not value:
        raise ValueError(f"{field} must not be empty")
    if len(value) > max_len:
        raise ValueError(f"{field} is too long ({len(value)} characters, at most {max_len})")
    return value or None


def _as_list(value: object) -> list[str]:
    """A form field or CLI value given as a list, or as one "a, b; c" string, as clean items."""
    if value is None:
        return []
    items = re.split(r"[,;]", value) if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return [str(item).strip() for item in items if str(item).strip()]


class EventIn(BaseModel):
    """An event as a person enters it. Every rule here yields one message tied to one field."""

    model_config = ConfigDict(str_strip_whitespace=False, extra="forbid")

    title: str
    date: dt.date
    date_end: dt.date | None = None
    precision: str = "day"
    event_type: str = "other"
    countries: list[str] = []
    actors: list[str] = []
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    source_url: str | None = None
    notes: str | None = None
    future: bool = False

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, v: object) -> str:
        return _clean_text(v, field="title", max_len=MAX_TITLE, required=True)  # type: ignore[arg-type,return-value]

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, v: object) -> str | None:
        return _clean_text(v, field="notes", max_len=MAX_NOTES)  # type: ignore[arg-type]

    @field_validator("place_name", mode="before")
    @classmethod
    def _place(cls, v: object) -> str | None:
        return _clean_text(v, field="place", max_len=200)  # type: ignore[arg-type]

    @field_validator("date", "date_end")
    @classmethod
    def _date_range(cls, v: dt.date | None) -> dt.date | None:
        if v is not None and not (MIN_DATE <= v <= MAX_DATE):
            raise ValueError(f"date must be between {MIN_DATE} and {MAX_DATE}")
        return v

    @field_validator("precision")
    @classmethod
    def _precision(cls, v: str) -> str:
        if v not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}")
        return v

    @field_validator("event_type")
    @classmethod
    def _type(cls, v: str) -> str:
        if v not in EVENT_TYPES:
            raise ValueError(f"unknown event type {v!r}; one of {', '.join(EVENT_TYPES)}")
        return v

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, v: object) -> list[str]:
        from tracker.entities import normalize_country

        out: list[str] = []
        for raw in _as_list(v):
            code = normalize_country(raw)
            if code is None:
                raise ValueError(f"unknown country {raw[:60]!r}")
            if code not in out:
                out.append(code)
        return out

    @field_validator("actors", mode="before")
    @classmethod
    def _actors(cls, v: object) -> list[str]:
        out: list[str] = []
        for raw in _as_list(v):
            name = _clean_text(raw, field="actor", max_len=200)
            if name and name not in out:
                out.append(name)
        return out

    @field_validator("lat")
    @classmethod
    def _lat(cls, v: float | None) -> float | None:
        if v is not None and not -90 <= v <= 90:
            raise ValueError("latitude must be between -90 and 90")
        return v

    @field_validator("lon")
    @classmethod
    def _lon(cls, v: float | None) -> float | None:
        if v is not None and not -180 <= v <= 180:
            raise ValueError("longitude must be between -180 and 180")
        return v

    @field_validator("source_url", mode="before")
    @classmethod
    def _url(cls, v: object) -> str | None:
        v = _clean_text(v, field="source URL", max_len=2000)  # type: ignore[arg-type]
        if v and not re.match(r"^https?://[^\s/$.?#][^\s]*$", v, re.I):
            raise ValueError("source URL must start with http:// or https://")
        return v

    @model_validator(mode="after")
    def _end_after_start(self) -> "EventIn":
        if self.date_end is not None and self.date_end < self.date:
            raise ValueError("end date is before the start date")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self


class SourceView(BaseModel):
    article_id: int
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    sentence: str
    start: int
    end: int
    date: dt.date | None = None
    precision: str | None = None
    date_text: str | None = None


class EventView(BaseModel):
    """Everything a view needs about one event, flat; built by the store, never written back."""

    id: int
    title: str
    event_type: str
    plover: str | None = None
    date: dt.date
    date_end: dt.date | None = None
    precision: str
    timex: str | None = None
    date_text: str | None = None
    resolution: str
    rule: str | None = None
    anchor: str | None = None
    future: bool = False
    disputed: bool = False
    status: str | None = None
    actors: list[str] = []
    countries: list[str] = []
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    origin: str = "extracted"
    edited: bool = False
    notes: str | None = None
    source_url: str | None = None
    sentence: str | None = None
    start: int | None = None
    end: int | None = None
    article_id: int | None = None
    sources: list[SourceView] = []
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ArticleView(BaseModel):
    id: int
    title: str | None
    url: str | None
    outlet: str | None
    published: dt.date
    published_source: str
    content_hash: str
    ingested_at: datetime
    events: int = 0
