"""Pure helpers behind the dashboard: view state <-> URL query, tables, highlighted sentences.

Nothing here imports Streamlit, so it is tested directly. The whole view (filters, lane mode,
selected event) round-trips through the URL query string, so a copied link reproduces it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

# URL keys (short; repeated keys for lists: ?country=NER&country=MLI)
Q_COUNTRY, Q_ACTOR, Q_TYPE = "country", "actor", "type"
Q_SINCE, Q_UNTIL, Q_TEXT = "since", "until", "q"
Q_ARTICLE, Q_FUTURE, Q_LANES, Q_EVENT = "article", "future", "lanes", "event"
LIST_KEYS = (Q_COUNTRY, Q_ACTOR, Q_TYPE)


@dataclass
class ViewState:
    countries: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    text: str = ""
    article_id: int | None = None
    include_future: bool = True
    lanes: str = "country"
    event_id: int | None = None

    def to_filter(self) -> Any:
        """The store's ``EventFilter`` for this view."""
        from tracker.store import EventFilter

        return EventFilter(
            countries=list(self.countries),
            actors=list(self.actors),
            types=list(self.types),
            since=self.since,
            until=self.until,
            text=self.text.strip() or None,
            article_id=self.article_id,
            include_future=self.include_future,
        )

    def to_query(self) -> dict[str, str | list[str]]:
        """Query parameters for this view; defaults are left out so links stay short."""
        q: dict[str, str | list[str]] = {}
        if self.countries:
            q[Q_COUNTRY] = list(self.countries)
        if self.actors:
            q[Q_ACTOR] = list(self.actors)
        if self.types:
            q[Q_TYPE] = list(self.types)
        if self.since:
            q[Q_SINCE] = self.since.isoformat()
        if self.until:
            q[Q_UNTIL] = self.until.isoformat()
        if self.text.strip():
            q[Q_TEXT] = self.text.strip()
        if self.article_id is not None:
            q[Q_ARTICLE] = str(self.article_id)
        if not self.include_future:
            q[Q_FUTURE] = "0"
        if self.lanes != "country":
            q[Q_LANES] = self.lanes
        if self.event_id is not None:
            q[Q_EVENT] = str(self.event_id)
        return q


MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)  # the store's range (tracker.models)


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return d if MIN_DATE <= d <= MAX_DATE else None


def _parse_int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _split(values: Sequence[str]) -> list[str]:
    """Repeated keys and comma lists both accepted: ``?country=NER,MLI`` == ``?country=NER&country=MLI``."""
    out: list[str] = []
    for v in values:
        for part in str(v).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def state_from_query(query: Mapping[str, Any]) -> ViewState:
    """Read a view from query parameters; anything malformed falls back to the default.

    ``query`` maps a key to a string or a list of strings (``st.query_params.to_dict()`` gives the
    last value only, so pass ``{k: st.query_params.get_all(k) for k in st.query_params}``).
    """

    def all_of(key: str) -> list[str]:
        v = query.get(key)
        if v is None:
            return []
        return [v] if isinstance(v, str) else [str(x) for x in v]

    def one(key: str) -> str | None:
        vals = all_of(key)
        return vals[-1] if vals else None

    since, until = _parse_date(one(Q_SINCE)), _parse_date(one(Q_UNTIL))
    if since and until and since > until:
        since, until = until, since
    lanes = one(Q_LANES)
    return ViewState(
        countries=[c.upper() for c in _split(all_of(Q_COUNTRY)) if re.fullmatch(r"[A-Za-z]{3}", c)],
        actors=_split(all_of(Q_ACTOR)),
        types=_split(all_of(Q_TYPE)),
        since=since,
        until=until,
        text=(one(Q_TEXT) or "")[:200],
        article_id=_parse_int(one(Q_ARTICLE)),
        include_future=(one(Q_FUTURE) or "1").lower() not in ("0", "false", "no", "off"),
        lanes=lanes if lanes in ("country", "actor") else "country",
        event_id=_parse_int(one(Q_EVENT)),
    )


VIEW_FIELDS = tuple(f.name for f in fields(ViewState))


# --- table ------------------------------------------------------------------------------------


def events_table(events: Sequence[Any], country_name: Any = None) -> list[dict[str, Any]]:
    """Rows for ``st.dataframe`` (plain text cells; the dataframe renders no HTML)."""
    from tracker.charts import deadline_label, span

    today = date.today()
    rows = []
    for ev in events:
        a, b = span(ev)
        names = [country_name(c) if country_name else c for c in ev.countries]
        rows.append(
            {
                "id": ev.id,
                "date": a,
                "until": b if b != a else None,
                "precision": ev.precision,
                "type": ev.event_type,
                "title": ev.title,
                "countries": ", ".join(n or "" for n in names),
                "actors": ", ".join(ev.actors),
                "place": ev.place_name or "",
                "as written": ev.date_text or "",
                "deadline": deadline_label(ev, today) or "",
                "origin": ev.origin + (" (edited)" if getattr(ev, "edited", False) else ""),
                "sources": len(ev.sources) or (1 if ev.source_url else 0),
            }
        )
    return rows


# --- event detail -----------------------------------------------------------------------------


def highlight(sentence: str | None, start: int | None, end: int | None) -> str:
    """The sentence as HTML with ``sentence[start:end]`` in ``<mark>``; all text escaped.

    Offsets outside the sentence (or missing) give the escaped sentence without a mark.
    """
    s = sentence or ""
    if start is None or end is None or not (0 <= start < end <= len(s)):
        return html.escape(s)
    return html.escape(s[:start]) + "<mark>" + html.escape(s[start:end]) + "</mark>" + html.escape(s[end:])


def source_offsets(sentence: str | None, date_text: str | None, start: int | None, end: int | None,
                   ) -> tuple[int | None, int | None]:  # fmt: skip
    """Offsets of the time expression inside the sentence.

    The store's ``start``/``end`` may index the article rather than the sentence; when they do not
    fit the sentence, fall back to finding ``date_text`` in it.
    """
    s = sentence or ""
    if start is not None and end is not None and 0 <= start < end <= len(s):
        if not date_text or s[start:end] == date_text:
            return start, end
    if date_text:
        i = s.find(date_text)
        if i < 0:
            i = s.lower().find(date_text.lower())
        if i >= 0:
            return i, i + len(date_text)
    return None, None


# --- form errors ------------------------------------------------------------------------------

_MODEL_ERROR_FIELDS = (
    ("end date", "date_end"),
    ("latitude", "lat"),
    ("longitude", "lon"),
)


def form_errors(exc: Any) -> dict[str, str]:
    """``pydantic.ValidationError`` -> {field: message}; model-level errors go to a best guess."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = err.get("loc") or ()
        msg = str(err.get("msg", "invalid value"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        name = str(loc[0]) if loc else ""
        if not name:
            low = msg.lower()
            name = next((f for word, f in _MODEL_ERROR_FIELDS if word in low), "_form")
        out.setdefault(name, msg)
    return out


# --- aggregates for large result sets -----------------------------------------------------------
# Drawing 100k events one by one is neither readable nor fast; above a threshold the dashboard
# asks the database for counts instead. These read the store's tables through the store's own
# filter (``filtered_ids``), so table, timeline and map always agree on what matches.


def timeline_counts(session: Any, filters: Any, *, lanes: str = "country") -> tuple[str, list[tuple], int]:
    """(unit, rows, coarse): rows are ``(lane, event_type, period_start, count)``.

    The lane is an ISO3 code (``lanes="country"``) or an actor name; events with no country or
    actor come back with lane ``None``. The unit is ``week`` or ``month`` (see ``charts.agg_unit``).
    Only events dated at least as finely as the unit are counted (a year is not "in January");
    ``coarse`` is how many matching events were left out for that reason.
    """
    from sqlalchemy import extract, func, select

    from tracker.charts import FINE_ENOUGH, agg_unit
    from tracker.models import Actor, Event, EventActor, EventCountry
    from tracker.store import filtered_ids

    ids = filtered_ids(filters)
    first, last = session.execute(select(func.min(Event.date), func.max(Event.date)).where(Event.id.in_(ids))).one()
    if first is None:
        return "week", [], 0
    unit = agg_unit(first, last)
    fine = Event.precision.in_(FINE_ENOUGH[unit])
    coarse = session.execute(select(func.count()).select_from(Event).where(Event.id.in_(ids), ~fine)).scalar_one()
    if lanes == "actor":
        lane = Actor.name
        joined = (
            select(Event.id)
            .outerjoin(EventActor, EventActor.event_id == Event.id)
            .outerjoin(Actor, Actor.id == EventActor.actor_id)
        )
    else:
        lane = EventCountry.country
        joined = select(Event.id).outerjoin(EventCountry, EventCountry.event_id == Event.id)
    if unit == "month":
        y, m = extract("year", Event.date), extract("month", Event.date)
        q = joined.with_only_columns(lane, Event.event_type, y, m, func.count()).group_by(lane, Event.event_type, y, m)
        rows = [
            (ln, et, date(int(yy), int(mm), 1), n)
            for ln, et, yy, mm, n in session.execute(q.where(Event.id.in_(ids), fine))
        ]
    else:
        q = joined.with_only_columns(lane, Event.event_type, Event.date, func.count()).group_by(
            lane, Event.event_type, Event.date
        )
        rows = [(ln, et, d, n) for ln, et, d, n in session.execute(q.where(Event.id.in_(ids), fine))]
    return unit, rows, coarse


def place_counts(session: Any, filters: Any) -> list[tuple[str, float, float, str | None, int]]:
    """``(event_type, lon, lat, label, count)`` per type and 1-degree cell (label: one place name in
    it); events with no coordinates counted at their countries' centroids."""
    from sqlalchemy import func, select

    from tracker.charts import country_lonlat
    from tracker.models import Event, EventCountry
    from tracker.store import filtered_ids

    ids = filtered_ids(filters)
    out: list[tuple[str, float, float, str | None, int]] = []
    # One marker per type and 1-degree cell (about 110 km): readable, and bounded whatever the count.
    q = (
        select(Event.event_type, func.avg(Event.lon), func.avg(Event.lat), func.min(Event.place_name), func.count())
        .where(Event.id.in_(ids), Event.lat.is_not(None), Event.lon.is_not(None))
        .group_by(Event.event_type, func.round(Event.lat), func.round(Event.lon))
    )
    for et, lon, lat, label, n in session.execute(q):
        out.append((et, float(lon), float(lat), label, n))
    q = (
        select(Event.event_type, EventCountry.country, func.count())
        .join(EventCountry, EventCountry.event_id == Event.id)
        .where(Event.id.in_(ids), Event.lat.is_(None))
        .group_by(Event.event_type, EventCountry.country)
    )
    for et, country, n in session.execute(q):
        ll = country_lonlat(country)
        if ll:
            out.append((et, ll[0], ll[1], country, n))
    return out


def data_version(session: Any) -> tuple:
    """Changes whenever events are added, edited or deleted: a cache key for the aggregates."""
    from sqlalchemy import func, select

    from tracker.models import Event

    n, last_id, last_update = session.execute(
        select(func.count(), func.max(Event.id), func.max(Event.updated_at)).select_from(Event)
    ).one()
    return (n, last_id, str(last_update))


def clicked_event_id(click: Any) -> int | None:
    """The event id behind a clicked chart point: the chart sends ``{"customdata": ...}``, where
    customdata is an event id (timeline) or a list of ids (a map marker; empty when aggregated)."""
    if not isinstance(click, Mapping):
        return None
    data = click.get("customdata")
    data = data[0] if isinstance(data, list) and data else data
    if isinstance(data, bool) or not isinstance(data, int | float):
        return None
    return int(data)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")


def md(text: object) -> str:
    """Text safe inside ``st.markdown`` (and widget labels, toasts, alerts, which render markdown).

    HTML is escaped and every markdown/Streamlit metacharacter is backslash-escaped, so an article
    title cannot become a link, an image, LaTeX (``$``), a colour directive (``:red[...]``) or an
    emoji shortcode.
    """
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


#: the dashboard's export buttons: format -> label (the formats of ``tracker export --format``)
EXPORT_FORMATS = {
    "acled-csv": "CSV (ACLED-like columns)",
    "json": "JSON",
    "timelinejs": "TimelineJS",
    "ics": "Deadlines calendar (ICS)",
}


def export_file(session: Any, filters: Any, fmt: str, *, today: date | None = None) -> tuple[str, str, str]:
    """(text, file name, media type) of the events a view selects, in one export format.

    Every event is read with its sources (an export is the whole selection, not the table's page);
    the dashboard calls this only when a download button is clicked."""
    from tracker.exports import render
    from tracker.store import list_events

    events = list_events(session, filters, today=today, with_sources=True)
    return render(events, fmt), *export_name(fmt)


def export_name(fmt: str) -> tuple[str, str]:
    """(file name, media type) of an export format's download."""
    from tracker.exports import MEDIA_TYPES

    mime, ext = MEDIA_TYPES[fmt]
    name = "sahel-deadlines" if fmt == "ics" else "sahel-timeline" if fmt == "timelinejs" else "sahel-events"
    return f"{name}.{ext}", mime
