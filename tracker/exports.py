"""Events out of the tracker, in the formats other tools read; and the whole store as one file.

The per-event formats are pure functions of ``list[EventView]`` (the rows a filter selected), so the
dashboard offers exactly the same downloads as ``tracker export`` without touching a database:

- :func:`to_acled_csv` — ACLED-like columns, for analysts who already have ACLED pipelines;
- :func:`to_json` — every field of every event (the shape of ``tracker events --format json``);
- :func:`to_timelinejs` — the JSON TimelineJS (Knight Lab) renders as a scrolling timeline;
- :func:`to_ics` — deadlines and planned events as an iCalendar file for a team calendar.

Text from articles or analysts is data, never markup or code: CSV cells that a spreadsheet would
run as a formula are neutralised, TimelineJS text (rendered as HTML) is escaped, ICS text is escaped
per RFC 5545. :func:`dump_store` / :func:`load_store` move every row of every table, unchanged.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, func, select
from sqlmodel import SQLModel

from tracker.models import EventView

ACLED_COLUMNS = [
    "event_date", "time_precision", "event_type", "actor1", "actor2", "country", "location", "latitude",
    "longitude", "geo_precision", "source", "notes",
]
#: Our own columns after ACLED's: what ACLED has no column for but a reader should not lose.
EXTRA_COLUMNS = ["tracker_id", "event_date_end", "date_precision", "title", "assoc_actors", "countries"]

# ACLED codes: time_precision 1 = the day is known, 2 = within a week or a few days, 3 = only the month
# or longer; geo_precision 1 = the place itself, 2 = a nearby place / the region, 3 = a province or country.
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "quarter": 3, "year": 3, "decade": 3}
_GEO_PRECISION = {"place": 1, "region": 2, "country": 3}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    path = Path(__file__).resolve().parent / "data" / "countries.csv"
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return {row["iso3"]: row["name"] for row in csv.DictReader(fh) if row.get("iso3")}
    except (OSError, KeyError):
        return {}


def country_name(code: str) -> str:
    """ACLED writes country names, not codes; unknown codes pass through unchanged."""
    return _country_names().get(code, code)


def _safe_cell(value: str | None) -> str:
    """A text cell a spreadsheet will show, not execute (CSV/formula injection, OWASP)."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _sources(ev: EventView) -> str:
    names: list[str] = []
    for s in ev.sources:
        name = s.outlet or s.url or s.title
        if name and name not in names:
            names.append(name)
    if not names and ev.source_url:
        names.append(ev.source_url)
    return "; ".join(names)


def acled_row(ev: EventView) -> dict[str, Any]:
    """One event as an ACLED-like record (numbers stay numbers, text is made spreadsheet-safe)."""
    notes = ev.notes or ev.sentence or ev.title
    return {
        "event_date": ev.date.isoformat(),
        "time_precision": _TIME_PRECISION.get(ev.precision, 3),
        "event_type": ev.event_type,
        "actor1": _safe_cell(ev.actors[0] if ev.actors else ""),
        "actor2": _safe_cell(ev.actors[1] if len(ev.actors) > 1 else ""),
        "country": _safe_cell(country_name(ev.countries[0]) if ev.countries else ""),
        "location": _safe_cell(ev.place_name),
        "latitude": "" if ev.lat is None else ev.lat,
        "longitude": "" if ev.lon is None else ev.lon,
        "geo_precision": _GEO_PRECISION.get(ev.geo_precision or "", ""),
        "source": _safe_cell(_sources(ev)),
        "notes": _safe_cell(notes),
        "tracker_id": ev.id,
        "event_date_end": ev.date_end.isoformat() if ev.date_end else "",
        "date_precision": ev.precision,
        "title": _safe_cell(ev.title),
        "assoc_actors": _safe_cell("; ".join(ev.actors[2:])),
        "countries": ";".join(ev.countries),
    }


def to_acled_csv(events: Iterable[EventView]) -> str:
    """The events as CSV with ACLED's column names first, then ours (see :data:`EXTRA_COLUMNS`)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS + EXTRA_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for ev in events:
        writer.writerow(acled_row(ev))
    return buf.getvalue()


def to_json(events: Iterable[EventView]) -> str:
    """Every field of every event, as a JSON array (dates as ISO strings)."""
    return json.dumps([ev.model_dump(mode="json") for ev in events], ensure_ascii=False, indent=1)


def _tl_date(day: date, precision: str) -> dict[str, str]:
    """TimelineJS shows what it is given: a year-precise event must not pretend to a day."""
    out = {"year": str(day.year)}
    if precision in ("day", "week", "month", "quarter"):
        out["month"] = str(day.month)
    if precision in ("day", "week"):
        out["day"] = str(day.day)
    return out


def to_timelinejs(events: Iterable[EventView], *, title: str = "Sahel event timeline") -> dict[str, Any]:
    """A TimelineJS3 document (``timeline.json``). TimelineJS renders text as HTML, so it is escaped."""
    items = []
    for ev in events:
        lines = []
        if ev.countries:
            lines.append(html.escape(", ".join(country_name(c) for c in ev.countries)))
        if ev.actors:
            lines.append(html.escape("Actors: " + ", ".join(ev.actors)))
        if ev.date_text:
            lines.append(html.escape(f"Date as written: “{ev.date_text}” ({ev.precision})"))
        if ev.notes or ev.sentence:
            lines.append(html.escape(ev.notes or ev.sentence or ""))
        item: dict[str, Any] = {
            "unique_id": f"event-{ev.id}",
            "start_date": _tl_date(ev.date, ev.precision),
            "text": {"headline": html.escape(ev.title), "text": "<p>" + "</p><p>".join(lines) + "</p>"},
            "group": ev.event_type,
        }
        if ev.date_end and ev.date_end != ev.date:
            item["end_date"] = _tl_date(ev.date_end, ev.precision)
        url = ev.source_url or next((s.url for s in ev.sources if s.url), None)
        if url:
            item["media"] = {"url": url, "caption": html.escape(_sources(ev))}
        items.append(item)
    return {"title": {"text": {"headline": html.escape(title), "text": ""}}, "events": items}


def is_deadline(ev: EventView) -> bool:
    """What belongs in the deadlines calendar: deadlines, ultimatums, and anything planned."""
    return ev.future or ev.event_type == "deadline" or ev.status is not None


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, cur = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > (75 if not parts else 74):
            parts.append(cur.decode("utf-8"))
            cur = b""
        cur += b
    parts.append(cur.decode("utf-8"))
    return "\r\n ".join(parts)


def to_ics(events: Iterable[EventView], *, now: datetime | None = None,
           name: str = "Sahel tracker deadlines") -> str:
    """The deadline-like events (:func:`is_deadline`) as all-day VEVENTs of one VCALENDAR.

    ``now`` (DTSTAMP) is a parameter so the output is reproducible in tests.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sahel-tracker//deadlines//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(name)}"]
    for ev in events:
        if not is_deadline(ev):
            continue
        last = ev.date_end or ev.date
        desc = [ev.notes or ev.sentence or ""]
        if ev.date_text:
            desc.append(f"Date as written: {ev.date_text} ({ev.precision})")
        if ev.status:
            desc.append(f"Status: {ev.status}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{ev.id}@sahel-tracker",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{ev.date.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(last + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(ev.title)}",
            f"DESCRIPTION:{_ics_text(chr(10).join(d for d in desc if d))}",
            f"CATEGORIES:{_ics_text(ev.event_type)}",
        ]
        if ev.place_name:
            lines.append(f"LOCATION:{_ics_text(ev.place_name)}")
        if ev.lat is not None and ev.lon is not None:
            lines.append(f"GEO:{ev.lat:.6f};{ev.lon:.6f}")
        if ev.source_url:
            lines.append(f"URL:{ev.source_url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def render(events: list[EventView], fmt: str) -> str:
    """One entry point for the CLI and the dashboard's download buttons."""
    if fmt == "acled-csv":
        return to_acled_csv(events)
    if fmt == "json":
        return to_json(events)
    if fmt == "timelinejs":
        return json.dumps(to_timelinejs(events), ensure_ascii=False, indent=1)
    if fmt == "ics":
        return to_ics(events)
    raise ValueError(f"unknown export format {fmt!r}; one of acled-csv, json, timelinejs, ics")


#: format -> (media type, file extension), for download buttons and default file names.
MEDIA_TYPES = {"acled-csv": ("text/csv", "csv"), "json": ("application/json", "json"),
               "timelinejs": ("application/json", "json"), "ics": ("text/calendar", "ics")}


# --- the whole store --------------------------------------------------------------------------


#: tables computed from the others (rebuilt after an import rather than carried in the file)
DERIVED_TABLES = frozenset({"facetcount", "facetdelta", "facetset"})


def _tables() -> list:  # type: ignore[type-arg]
    import tracker.models  # noqa: F401  (registers the tables)

    return [t for t in SQLModel.metadata.sorted_tables if t.name not in DERIVED_TABLES]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dump_store(conn: Connection) -> dict[str, Any]:
    """Every row of every table (parents before children), values as JSON-safe primitives."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        order = list(table.primary_key.columns) or list(table.columns)
        rows = conn.execute(select(table).order_by(*order)).mappings()
        tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return {"tables": tables}


def _decoder(column: Any):  # type: ignore[no-untyped-def]
    if isinstance(column.type, DateTime) or isinstance(getattr(column.type, "impl", None), DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column.type, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def load_store(conn: Connection, data: dict[str, Any], *, chunk: int = 5000) -> dict[str, int]:
    """Insert an export's rows, ids included, into an empty store on ``conn`` (caller's transaction)."""
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ValueError("not a tracker export: no tables")
    known = {t.name: t for t in _tables()}
    unknown = set(tables) - set(known)
    if unknown:
        raise ValueError(f"export has tables this store does not know: {', '.join(sorted(unknown))}")
    for table in known.values():
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise ValueError(f"the target store is not empty (table {table.name!r} has rows); "
                             "import into a fresh store")
    counts: dict[str, int] = {}
    for table in _tables():
        rows = tables.get(table.name, [])
        cols = {c.name: _decoder(c) for c in table.columns}
        decoded = []
        for row in rows:
            extra = set(row) - set(cols)
            if extra:
                raise ValueError(f"export has columns unknown to table {table.name!r}: {', '.join(sorted(extra))}")
            decoded.append({name: dec(row.get(name)) for name, dec in cols.items() if name in row})
        for i in range(0, len(decoded), chunk):
            conn.execute(table.insert(), decoded[i : i + chunk])
        counts[table.name] = len(decoded)
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn)
    return counts


def _reset_sequences(conn: Connection) -> None:
    """Rows came with their ids: move each serial sequence past them or the next insert collides."""
    from sqlalchemy import text

    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].autoincrement is False or pk[0].type.python_type is not int:
            continue
        name = conn.dialect.identifier_preparer.quote(table.name)
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": pk[0].name}).scalar()
        if seq:
            conn.execute(
                text(f"SELECT setval(:s, COALESCE((SELECT MAX({pk[0].name}) FROM {name}), 1), "
                     f"(SELECT MAX({pk[0].name}) FROM {name}) IS NOT NULL)"),
                {"s": seq},
            )
