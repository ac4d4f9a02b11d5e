"""The store's promises, checked on SQLite *and* on a real PostgreSQL started by the tests.

``store_url`` runs each test twice; the PostgreSQL run skips locally when the server binaries are
missing and fails in CI (see pg_support.py). Engine-specific settings (SQLite's WAL and busy
timeout, read-only sessions) are checked on the engine they belong to.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text

from tracker.models import EventIn

from pg_support import pg_server, pg_url, store_url  # noqa: F401

COUP = "Soldiers seized power in Niamey on Wednesday, the presidential guard said."
THREAT = "ECOWAS threatened on Sunday to use force in Niger if Mohamed Bazoum is not restored within a week."


def _ingest(engine, text_: str, published: str):  # type: ignore[no-untyped-def]
    from tracker.ingest import ingest_document, load_document

    return ingest_document(load_document(text_, published=published), engine=engine)


def test_the_server_is_real(pg_url: str) -> None:  # noqa: F811
    from tracker.store import get_engine

    with get_engine(pg_url).connect() as conn:
        assert conn.execute(text("SELECT version()")).scalar_one().startswith("PostgreSQL")


def test_ingest_query_filter_and_facets(store_url: str) -> None:  # noqa: F811
    from tracker.store import EventFilter, facets, get_engine, list_events, session_scope

    engine = get_engine(store_url)
    a = _ingest(engine, COUP, "2023-07-28")
    _ingest(engine, THREAT, "2023-07-31")
    with session_scope(engine) as s:
        everything = list_events(s, with_sources=True)
        types = {e.event_type for e in everything}
        assert "coup" in types
        assert [e.date for e in everything] == sorted(e.date for e in everything)
        assert all(e.sources for e in everything)
        assert {e.id for e in list_events(s, EventFilter(countries=["NER"]))} <= {e.id for e in everything}
        assert list_events(s, EventFilter(countries=["MLI"])) == []
        coups = list_events(s, EventFilter(types=["coup"]))
        assert coups and all(e.event_type == "coup" for e in coups)
        assert [e.id for e in list_events(s, EventFilter(since=date(2023, 7, 26), until=date(2023, 7, 26)))] == [
            e.id for e in everything if e.date <= date(2023, 7, 26) <= (e.date_end or e.date)]
        assert {e.id for e in list_events(s, EventFilter(article_id=a.article_id))} >= {coups[0].id}
        assert all(not e.future for e in list_events(s, EventFilter(include_future=False)))
        assert len(list_events(s, limit=1)) == 1
        f = facets(s)
        assert dict(f.types)["coup"] == len(coups)
        by_type = facets(s, EventFilter(types=["coup"]))
        assert by_type.total == len(coups)
        assert by_type.types == f.types  # each facet counts under the *other* filters


def test_date_range_page_matches_the_unpaged_query(store_url: str) -> None:  # noqa: F811
    """The paged date-range query (two index ranges) returns what the plain filter returns."""
    from tracker.store import EventFilter, add_event, get_engine, list_events, session_scope

    engine = get_engine(store_url)
    with session_scope(engine) as s:
        for k in range(30):
            add_event(s, event_in=EventIn(title=f"e{k}", date=date(2023, 1, 1 + k % 28),
                                          date_end=date(2023, 3, 1) if k % 7 == 0 else None))
    with session_scope(engine) as s:
        for since, until in [(date(2023, 2, 1), date(2023, 2, 28)), (date(2023, 1, 10), date(2023, 1, 12)),
                             (date(2023, 1, 5), None), (None, date(2023, 1, 3)), (date(2023, 3, 2), None)]:
            f = EventFilter(since=since, until=until)
            full = [e.id for e in list_events(s, f)]
            assert [e.id for e in list_events(s, f, limit=3)] == full[:3]
            want = [e.id for e in list_events(s) if (until is None or e.date <= until)
                    and (since is None or (e.date_end or e.date) >= since)]
            assert full == want


def test_reingest_adds_nothing_and_keeps_hand_edits(store_url: str) -> None:  # noqa: F811
    from tracker.store import counts, get_engine, list_events, session_scope, update_event

    engine = get_engine(store_url)
    _ingest(engine, COUP, "2023-07-28")
    with session_scope(engine) as s:
        before = counts(s)
        ev = next(e for e in list_events(s) if e.event_type == "coup")
    assert not _ingest(engine, COUP, "2023-07-28").created
    assert not _ingest(engine, COUP.replace(" ", "  ") + "\r\n", "2023-07-28").created
    with session_scope(engine) as s:
        assert counts(s) == before
        update_event(s, event_id=ev.id, user="analyst",
                     event_in=EventIn(title="Coup d'état in Niger (checked)", date=date(2023, 7, 26),
                                      precision="day", event_type="coup", countries=["NER"], notes="confirmed"))
    # a new report of the same event merges into it, but leaves the analyst's fields alone
    res = _ingest(engine, "On Wednesday, soldiers seized power in Niamey, Niger, witnesses told us.", "2023-07-29")
    assert res.created
    with session_scope(engine) as s:
        again = next(e for e in list_events(s, with_sources=True) if e.id == ev.id)
    assert (again.title, again.notes, again.edited) == ("Coup d'état in Niger (checked)", "confirmed", True)


def test_indexes_for_every_dashboard_filter(store_url: str) -> None:  # noqa: F811
    from tracker.store import get_engine

    insp = inspect(get_engine(store_url))

    def indexed(table: str) -> set[str]:
        cols = {c for ix in insp.get_indexes(table) for c in ix["column_names"][:1]}
        pk = insp.get_pk_constraint(table)["constrained_columns"]
        return cols | set(pk[:1])

    assert {"event_type", "date", "date_end", "future", "article_id", "origin"} <= indexed("event")
    assert "country" in indexed("eventcountry") and "event_id" in indexed("eventcountry")
    assert "actor_id" in indexed("eventactor") and "event_id" in indexed("eventactor")
    assert "name" in indexed("actor")
    assert {"event_id", "article_id"} <= indexed("eventsource")
    assert "event_id" in indexed("change")


def test_read_only_store_refuses_writes(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from tracker.store import StoreError, _engine_for, add_event, counts, get_engine, session_scope

    engine = get_engine(store_url)
    with session_scope(engine) as s:
        before = counts(s)
    monkeypatch.setenv("TRACKER_READ_ONLY", "1")
    _engine_for.cache_clear()
    ro = get_engine(store_url)
    with pytest.raises(StoreError, match="read-only"), session_scope(ro) as s:
        add_event(s, event_in=EventIn(title="x", date=date(2023, 1, 1)))
    # and the database itself refuses, whatever code path tries
    with pytest.raises(Exception, match="(?i)read.?only|readonly|query_only|attempt to write"), ro.begin() as conn:
        conn.execute(text("INSERT INTO actor (name) VALUES ('sneaky')"))
    with session_scope(ro) as s:
        assert counts(s) == before
    ro.dispose()
    _engine_for.cache_clear()


def test_sqlite_uses_wal_and_waits_for_writers(db_url: str) -> None:
    from tracker.store import get_engine

    engine = get_engine(db_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_missing_postgres_skips_locally_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    import pg_support

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no initdb"):
        pg_support._unavailable("no initdb")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI: no initdb"):
        pg_support._unavailable("no initdb")
    monkeypatch.setenv("PG_BIN", "/nonexistent")
    monkeypatch.setattr(pg_support.glob, "glob", lambda _pattern: [])
    monkeypatch.setattr(pg_support.shutil, "which", lambda _name: None)
    server, why = pg_support.start_server()
    assert server is None and "initdb/pg_ctl not found" in why


def test_country_and_actor_pages_match_the_unpaged_query(store_url: str) -> None:  # noqa: F811
    """Both plans for link filters (collect ids for rare values, walk by date for common ones) agree."""
    from tracker.store import EventFilter, add_event, get_engine, list_events, session_scope

    engine = get_engine(store_url)
    with session_scope(engine) as s:
        for k in range(130):
            common = k % 13 != 0
            add_event(s, event_in=EventIn(title=f"e{k}", date=date(2020, 1, 1 + k % 28), precision="day",
                                          countries=["NER"] if common else ["MLI"],
                                          actors=["ECOWAS"] if common else ["Wagner"]))
    with session_scope(engine) as s:
        for f in [EventFilter(countries=["NER"]), EventFilter(countries=["MLI"]), EventFilter(actors=["ECOWAS"]),
                  EventFilter(actors=["Wagner"]), EventFilter(countries=["NER"], actors=["ECOWAS"]),
                  EventFilter(countries=["NER"], since=date(2020, 1, 10), until=date(2020, 1, 20))]:
            full = [e.id for e in list_events(s, f)]
            assert full
            assert [e.id for e in list_events(s, f, limit=2)] == full[:2]  # 2 -> walk above 100 links
            assert [e.id for e in list_events(s, f, limit=7)] == full[:7]
