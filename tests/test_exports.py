"""Exports: the per-event formats as pure functions and on the CLI, and the lossless whole-store round trip."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from tracker.exports import ACLED_COLUMNS, dump_store, to_acled_csv, to_ics, to_json, to_timelinejs
from tracker.models import EventIn, EventView, SourceView

from pg_support import pg_server, pg_url, store_url  # noqa: F401

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def view(**kw: Any) -> EventView:
    base: dict[str, Any] = dict(id=1, title="Coup in Niger", event_type="coup", date=date(2023, 7, 26), precision="day",
                                resolution="relative", countries=["NER"], actors=["Presidential guard", "Bazoum"],
                                place_name="Niamey", lat=13.5116, lon=2.1254, geo_precision="place",
                                date_text="on Wednesday",
                                sources=[SourceView(article_id=1, outlet="Sahel Desk", url="https://example.org/a",
                                                    sentence="Soldiers seized power.", start=0, end=22)])
    base.update(kw)
    return EventView(**base)


def test_acled_csv_columns_and_values() -> None:
    rows = list(csv.DictReader(io.StringIO(to_acled_csv([view(), view(id=2, actors=["A", "B", "C"], precision="month",
                                                                  lat=None, lon=None, geo_precision=None)]))))
    assert list(rows[0])[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    first, second = rows
    assert first["event_date"] == "2023-07-26" and first["time_precision"] == "1"
    assert (first["actor1"], first["actor2"], first["country"]) == ("Presidential guard", "Bazoum", "Niger")
    assert (first["latitude"], first["longitude"], first["geo_precision"]) == ("13.5116", "2.1254", "1")
    assert first["source"] == "Sahel Desk" and first["tracker_id"] == "1"
    assert second["time_precision"] == "3" and second["assoc_actors"] == "C" and second["latitude"] == ""


def test_acled_csv_neutralises_spreadsheet_formulas_but_not_numbers() -> None:
    out = to_acled_csv([view(title="=HYPERLINK(\"http://x\")", notes="+1 cmd", actors=["@SUM(A1)"], lon=-2.5)])
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["title"].startswith("'=") and row["notes"] == "'+1 cmd" and row["actor1"] == "'@SUM(A1)"
    assert row["longitude"] == "-2.5"


def test_json_is_every_field() -> None:
    data = json.loads(to_json([view()]))
    assert data == [view().model_dump(mode="json")]


def test_timelinejs_shape_precision_and_escaping() -> None:
    doc = to_timelinejs([view(), view(id=2, title="<script>alert(1)</script>", precision="year",
                                      date=date(2021, 1, 1), date_end=date(2021, 12, 31))])
    first, second = doc["events"]
    assert first["start_date"] == {"year": "2023", "month": "7", "day": "26"}
    assert first["unique_id"] == "event-1" and first["group"] == "coup"
    assert first["media"]["url"] == "https://example.org/a"
    assert second["start_date"] == {"year": "2021"}  # a year-precise event does not pretend to a day
    assert second["end_date"] == {"year": "2021"}
    assert "<script>" not in json.dumps(doc) and "&lt;script&gt;" in second["text"]["headline"]


def test_ics_has_only_deadlines_escaped_and_folded() -> None:
    events = [view(),  # a past coup: not a deadline
              view(id=2, title="ECOWAS ultimatum; restore Bazoum, or else", event_type="deadline", future=True,
                   date=date(2023, 8, 6), notes="Line one\nLine two " + "é" * 80),
              view(id=3, title="Elections promised", event_type="election", future=True, date=date(2026, 2, 1),
                   date_end=date(2026, 2, 3))]
    ics = to_ics(events, now=NOW)
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert ics.count("BEGIN:VEVENT") == 2 and "UID:event-1@" not in ics
    assert "SUMMARY:ECOWAS ultimatum\\; restore Bazoum\\, or else" in ics
    assert "DTSTART;VALUE=DATE:20230806\r\nDTEND;VALUE=DATE:20230807" in ics
    assert "DTSTART;VALUE=DATE:20260201\r\nDTEND;VALUE=DATE:20260204" in ics  # DTEND is exclusive
    assert "DTSTAMP:20260102T030405Z" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    unfolded = ics.replace("\r\n ", "")
    assert "DESCRIPTION:Line one\\nLine two " + "é" * 80 in unfolded


# --- the CLI -------------------------------------------------------------------------------------


@pytest.fixture
def filled(engine) -> Any:  # type: ignore[no-untyped-def]
    """A small store: an ingested report, a merged second report, a hand-made deadline, an edit, a delete."""
    from tracker.ingest import ingest_document, load_document
    from tracker.store import add_event, delete_event, session_scope, update_event

    ingest_document(load_document("Soldiers seized power in Niamey on Wednesday, the presidential guard said.",
                                  published="2023-07-28", url="https://example.org/1"), engine=engine, user="bot")
    ingest_document(load_document("On Wednesday soldiers seized power in Niamey, Niger, witnesses said.",
                                  published="2023-07-29"), engine=engine, user="bot")
    with session_scope(engine) as s:
        dl = add_event(s, event_in=EventIn(title="ECOWAS deadline to restore Bazoum", date=date(2023, 8, 6),
                                           event_type="deadline", future=True, countries=["NER"],
                                           actors=["ECOWAS"], notes="a; b, c"), user="alice")
        gone = add_event(s, event_in=EventIn(title="Duplicate", date=date(2023, 8, 1)), user="alice")
    with session_scope(engine) as s:
        update_event(s, event_id=dl.id, event_in=EventIn(title="ECOWAS one-week ultimatum", date=date(2023, 8, 6),
                                                         event_type="deadline", future=True, countries=["NER"],
                                                         actors=["ECOWAS"]), user="bob")
        delete_event(s, event_id=gone.id, user="bob")
    return engine


def test_cli_exports_every_format_with_filters(cli, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = cli("export", "--format", "acled-csv", "--country", "Niger")
    assert res.exit_code == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and all("NER" in r["countries"] for r in rows)
    res = cli("export", "--format", "acled-csv", "--type", "deadline")
    assert [r["title"] for r in csv.DictReader(io.StringIO(res.stdout))] == ["ECOWAS one-week ultimatum"]

    out = tmp_path / "events.json"
    res = cli("export", "--format", "json", "-o", out)
    assert res.exit_code == 0 and "exported" in res.stderr
    assert {e["title"] for e in json.loads(out.read_text())} >= {"ECOWAS one-week ultimatum"}

    res = cli("export", "--format", "timelinejs", "--since", "2023-08-01")
    assert [e["text"]["headline"] for e in json.loads(res.stdout)["events"]] == ["ECOWAS one-week ultimatum"]

    res = cli("export", "--format", "ics")
    assert res.stdout.count("BEGIN:VEVENT") == 1 and "SUMMARY:ECOWAS one-week ultimatum" in res.stdout


# --- the whole store ---------------------------------------------------------------------------


def _dump(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return dump_store(conn)
    finally:
        engine.dispose()


def test_export_all_import_round_trip_is_lossless(cli, filled, db_url: str, store_url: str,  # noqa: F811
                                                  tmp_path: Path) -> None:
    """SQLite -> file -> a fresh SQLite or PostgreSQL store: every table, every row, every value."""
    from tracker.store import add_event, counts, get_engine, session_scope

    original = _dump(db_url)
    assert all(original["tables"][t] for t in ("article", "event", "eventsource", "change", "actor"))
    out = tmp_path / "store.json"
    res = cli("export", "--all", "-o", out, "--db", db_url)
    assert res.exit_code == 0, res.stderr

    res = cli("import", out, "--db", store_url)
    assert res.exit_code == 0, res.stderr
    assert _dump(store_url) == original

    # the imported store goes on working: new ids do not collide with imported ones
    with session_scope(get_engine(store_url)) as s:
        new = add_event(s, event_in=EventIn(title="After import", date=date(2024, 1, 1)), user="carol")
        assert new.id > max(r["id"] for r in original["tables"]["event"])
        assert counts(s)["events"] == len(original["tables"]["event"]) + 1

    # and importing twice is refused instead of doubling the store
    res = cli("import", out, "--db", store_url)
    assert res.exit_code == 2 and "not empty" in res.stderr


def test_import_refuses_an_export_from_another_schema(cli, filled, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "store.json"
    cli("export", "--all", "-o", out)
    data = json.loads(out.read_text())
    data["revision"] = "0000old"
    out.write_text(json.dumps(data))
    res = cli("import", out, "--db", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert res.exit_code == 2 and "schema revision 0000old" in res.stderr
