"""The free-text filter: a case-insensitive substring of title, sentence or notes, answered through
an index (SQLite: FTS5 trigram table kept by triggers; PostgreSQL: pg_trgm GIN indexes) with
exactly the plain scan's answer, after every kind of write."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from tracker.models import EventIn

from pg_support import pg_server, pg_url, store_url  # noqa: F401

QUERIES = ["junta", "JUNTA", "Niamey", "seized power", "ecowas", "o", "ab", "50%", "a_b", 'say "no"',
           "déby", "gold mine", "renamed", "zzz-not-there", "  coup  "]


def _store(url: str) -> None:
    from tracker.ingest import ingest_document, load_document
    from tracker.store import add_event, delete_event, get_engine, list_events, session_scope, update_event

    engine = get_engine(url)
    for day, body in (
        ("2023-07-28", "The junta in Niamey said on Wednesday that soldiers seized power. ECOWAS met on Sunday."),
        ("2023-08-10", "Mahamat Idriss Déby met the junta in N'Djamena on Tuesday. Prices rose 50% last month."),
    ):
        ingest_document(load_document(body, published=day), engine=engine)
    with session_scope(engine) as s:
        add_event(s, event_in=EventIn(title="Protest at the gold mine", date=date(2023, 8, 1), countries=["BFA"],
                                      notes='Villagers say "no" to the a_b road'))
        gone = add_event(s, event_in=EventIn(title="A junta statement to delete", date=date(2023, 8, 2)))
    with session_scope(engine) as s:
        first = list_events(s, limit=1)[0]
        update_event(s, event_id=first.id, event_in=EventIn(title="Renamed by an analyst", date=first.date,
                                                             event_type=first.event_type, countries=first.countries))
        delete_event(s, event_id=gone.id)


def _scan(s, query: str) -> list[int]:  # type: ignore[no-untyped-def]
    """The answer by reading every event in Python."""
    from tracker.store import list_events

    q = query.strip().lower()
    return [e.id for e in list_events(s) if any(q in (v or "").lower() for v in (e.title, e.sentence, e.notes))]


def test_free_text_finds_exactly_what_a_scan_finds(store_url: str) -> None:  # noqa: F811
    from tracker.store import EventFilter, facets, get_engine, list_events, session_scope

    _store(store_url)
    found_any = 0
    with session_scope(get_engine(store_url)) as s:
        for q in QUERIES:
            want = _scan(s, q)
            assert [e.id for e in list_events(s, EventFilter(text=q))] == want, q
            assert [e.id for e in list_events(s, EventFilter(text=q), limit=2)] == want[:2], q
            assert facets(s, EventFilter(text=q)).total == len(want), q
            found_any += bool(want)
    assert found_any >= 8  # the queries are not all empty answers


def test_the_sqlite_index_follows_edits_and_deletes(engine) -> None:  # type: ignore[no-untyped-def]
    """The FTS table holds each stored event's current text, and nothing of deleted ones."""
    from tracker.store import add_event, delete_event, session_scope, update_event

    with session_scope(engine) as s:
        a = add_event(s, event_in=EventIn(title="Old wording here", date=date(2023, 8, 1)))
        b = add_event(s, event_in=EventIn(title="To be removed", date=date(2023, 8, 1)))
    with session_scope(engine) as s:
        update_event(s, event_id=a.id, event_in=EventIn(title="New wording here", date=date(2023, 8, 1)))
        delete_event(s, event_id=b.id)
    with engine.connect() as conn:
        def hits(q: str) -> list[int]:
            return [r[0] for r in conn.execute(text("SELECT rowid FROM event_text WHERE event_text MATCH :q"),
                                               {"q": f'"{q}"'})]
        assert (hits("new wording"), hits("old wording"), hits("removed")) == ([a.id], [], [])
        # and its structure is sound (FTS5's own check; it does not compare with the content table)
        conn.execute(text("INSERT INTO event_text(event_text) VALUES ('integrity-check')"))


@pytest.mark.parametrize("query", ["junta", "gold mine"])
def test_postgres_uses_the_trigram_indexes(pg_url: str, query: str) -> None:  # noqa: F811
    """With the planner told to avoid scans, the filter is served by the pg_trgm indexes."""
    from sqlmodel import select

    from tracker.models import Event
    from tracker.store import EventFilter, _conditions, get_engine, session_scope

    _store(pg_url)
    engine = get_engine(pg_url)
    q = select(Event.id).where(*_conditions(EventFilter(text=query)))
    sql = str(q.compile(engine, compile_kwargs={"literal_binds": True}))
    with session_scope(engine) as s:
        conn = s.connection()
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
    assert "_trgm" in plan, plan
