"""Facet counts: the counts beside the filters, read from the count table, are the events' own counts.

The store keeps ``facetcount`` in step with every write (ingest with merges, add, edit, delete,
import). Here a store gets all of those, then every facet, for a grid of filters, is compared with
the same count made in Python from ``list_events`` — on SQLite and on PostgreSQL — and the kept
table with one rebuilt from scratch.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tracker.models import EventIn, FacetCount, FacetDelta

from pg_support import pg_server, pg_url, store_url  # noqa: F401

GOLDEN = Path(__file__).parent / "golden" / "articles"


def _busy_store(url: str) -> None:
    """Golden articles (many merges across articles), then hand-made, edited and deleted events."""
    from tracker.ingest import ingest_document, load_document
    from tracker.store import add_event, delete_event, get_engine, list_events, session_scope, update_event

    engine = get_engine(url)
    for path in sorted(GOLDEN.glob("*.txt"))[:14]:
        spec = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        ingest_document(load_document(path.read_text(encoding="utf-8"), published=spec["published"]), engine=engine)
    # the same report again a day later with a finer date: merged into the stored events
    ingest_document(load_document("Soldiers seized power in Niamey, Niger on July 26, 2023, the army said.",
                                  published="2023-07-30"), engine=engine)
    with session_scope(engine) as s:
        many = add_event(s, event_in=EventIn(
            title="Joint statement", date=date(2023, 8, 1), precision="month", event_type="statement",
            countries=["NER", "MLI", "BFA"], actors=["ECOWAS", "Abdourahamane Tiani"], future=False))
        soon = add_event(s, event_in=EventIn(
            title="Summit planned", date=date(2023, 8, 10), event_type="diplomacy", countries=["NGA"],
            actors=["ECOWAS"], future=True))
        gone = add_event(s, event_in=EventIn(title="Mistake", date=date(2023, 8, 3), countries=["TCD"]))
        # more countries and actors than a set key can spell out in 200 characters (a digest then)
        from tracker.entities import known_countries

        add_event(s, event_in=EventIn(
            title="Assembly", date=date(2023, 7, 20), event_type="diplomacy",
            countries=["NER"] + [code for code, _ in known_countries()[:60]],
            actors=["ECOWAS"] + [f"Delegate {i:02d}" for i in range(60)]))
    with session_scope(engine) as s:
        update_event(s, event_id=many.id, event_in=EventIn(
            title="Joint statement", date=date(2023, 7, 20), precision="week", event_type="diplomacy",
            countries=["NER", "BFA"], actors=["Abdourahamane Tiani", "Mohamed Bazoum"]))
        update_event(s, event_id=soon.id, event_in=EventIn(
            title="Summit held", date=date(2023, 8, 10), event_type="diplomacy", countries=["NGA", "NER"],
            actors=["ECOWAS"], future=False))
        delete_event(s, event_id=gone.id)
        first = list_events(s, limit=1)[0]
        update_event(s, event_id=first.id, event_in=EventIn(
            title=first.title, date=date(2023, 8, 31), event_type="protest", countries=["MLI"]))


def _expected(s, f) -> dict[str, Counter]:  # type: ignore[no-untyped-def]
    """Each facet counted by hand from list_events under the other filters."""
    from tracker.store import list_events

    out = {}
    for dim, own in (("countries", "countries"), ("actors", "actors"), ("types", "types")):
        c: Counter = Counter()
        for ev in list_events(s, replace(f, **{own: []})):
            c.update(ev.countries if dim == "countries" else ev.actors if dim == "actors" else [ev.event_type])
        out[dim] = c
    return out


def _filters() -> list:  # type: ignore[type-arg]
    from tracker.store import EventFilter

    dates = [
        (None, None), (date(2023, 7, 1), None), (None, date(2023, 7, 31)), (date(2023, 7, 1), date(2023, 8, 31)),
        (date(2023, 7, 15), date(2023, 8, 10)), (date(2023, 7, 26), date(2023, 7, 26)),
        (date(2022, 12, 20), date(2024, 1, 5)), (date(2023, 8, 2), None), (None, date(2023, 7, 29)),
        (date(2023, 8, 1), date(2023, 7, 1)),
    ]
    whos = [([], []), (["NER"], []), (["MLI"], []), ([], ["ECOWAS"]), (["NER"], ["Abdourahamane Tiani"]),
            ([], ["Nobody Known"]), (["NER", "MLI"], []), (["NER", "MLI", "BFA", "NGA"], ["ECOWAS"]),
            (["BFA", "XXX"], []), ([], ["ECOWAS", "Mohamed Bazoum"]),
            (["NER", "BFA"], ["Abdourahamane Tiani", "Mohamed Bazoum", "Nobody Known"]),
            (["NER", "AFG"], ["Delegate 01", "ECOWAS"])]
    out = []
    for since, until in dates:
        for countries, actors in whos:
            for types in ([], ["coup"], ["diplomacy", "statement"]):
                out.append(EventFilter(countries=countries, actors=actors, types=types, since=since, until=until))
    out += [EventFilter(include_future=False), EventFilter(countries=["NER"], include_future=False),
            EventFilter(text="junta"), EventFilter(text="junta", countries=["NER"]), EventFilter(article_id=2),
            EventFilter(article_id=1, since=date(2023, 1, 1))]
    return out


def test_facets_equal_the_events_own_counts_for_every_filter(store_url: str) -> None:  # noqa: F811
    from tracker.store import facets, get_engine, session_scope

    _busy_store(store_url)
    checked = 0
    with session_scope(get_engine(store_url)) as s:
        for f in _filters():
            got = facets(s, f)
            want = _expected(s, f)
            assert Counter(dict(got.countries)) == want["countries"], f
            assert Counter(dict(got.actors)) == want["actors"], f
            assert Counter(dict(got.types)) == want["types"], f
            assert got.total == sum(n for t, n in want["types"].items() if not f.types or t in f.types), f
            checked += bool(got.total)
    assert checked > 100  # the grid is not a grid of empty answers


def test_facets_are_right_before_during_and_after_folds(store_url: str, monkeypatch) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """With a tiny journal the busy store folds dozens of times; without folds it never does."""
    from tracker import rollup
    from tracker.store import facets, get_engine, session_scope

    folds = 0
    real_fold = rollup.fold

    def counting_fold(conn):  # type: ignore[no-untyped-def]
        nonlocal folds
        folds += 1
        real_fold(conn)

    monkeypatch.setattr(rollup, "FOLD_AT", 40)
    monkeypatch.setattr(rollup, "fold", counting_fold)
    _busy_store(store_url)
    assert folds > 5
    with session_scope(get_engine(store_url)) as s:
        for f in _filters()[::7]:
            got, want = facets(s, f), _expected(s, f)
            assert (Counter(dict(got.countries)), Counter(dict(got.actors)), Counter(dict(got.types))) == (
                want["countries"], want["actors"], want["types"]), f


def test_kept_counts_equal_a_rebuild_from_scratch(store_url: str) -> None:  # noqa: F811
    from tracker import rollup
    from tracker.store import get_engine

    _busy_store(store_url)
    engine = get_engine(store_url)

    def table() -> set[tuple]:  # type: ignore[type-arg]
        with engine.connect() as conn:
            return {tuple(r) for r in conn.execute(select(FacetCount.__table__)) if r.n}  # type: ignore[attr-defined]

    with engine.begin() as conn:
        rollup.fold(conn)  # what the journal still holds goes into the table, as the next fold would
        assert conn.execute(select(FacetDelta.__table__)).first() is None  # type: ignore[attr-defined]
    kept = table()
    with engine.begin() as conn:
        assert rollup.rebuild(conn) > 0
    assert kept == table()
    assert len(kept) > 200


def test_links_are_copied_right_after_every_kind_of_write(store_url: str) -> None:  # noqa: F811
    """A page of one country is read from the links' own copy of the event date (see EventCountry):
    after ingests with merges that refine dates, adds, edits that move events and deletes, every
    copy equals its event's date, and each one-country page equals the same page cut from the
    whole list."""
    from sqlalchemy import text

    from tracker import rollup
    from tracker.store import get_engine, list_events, session_scope

    _busy_store(store_url)
    engine = get_engine(store_url)
    with engine.connect() as conn:
        stale = conn.execute(text(
            "SELECT COUNT(*) FROM eventcountry ec JOIN event e ON e.id = ec.event_id WHERE ec.date <> e.date")).scalar()
        links = conn.execute(text("SELECT COUNT(*) FROM eventcountry")).scalar()
        # and each event row's copy of its countries and actors (Event.facet_keys) equals its links
        kept = {i: k for i, k in conn.execute(text("SELECT id, facet_keys FROM event"))}
        real: dict[int, tuple[set, set]] = {i: (set(), set()) for i in kept}
        for i, c in conn.execute(text("SELECT event_id, country FROM eventcountry")):
            real[i][0].add(c)
        for i, a in conn.execute(text("SELECT event_id, actor_id FROM eventactor")):
            real[i][1].add(a)
    assert (stale, links > 20) == (0, True)
    copies = {i: tuple(map(set, rollup.split_facet_keys(k))) for i, k in kept.items()}
    assert copies == real
    assert sum(len(a) > 1 for _, a in real.values()) > 3  # events with several actors are in there
    with session_scope(engine) as s:
        for f in _filters():
            if len(set(f.countries)) != 1:
                continue
            everything = [e.id for e in list_events(s, f)]
            for limit in (1, 3, 50):
                assert [e.id for e in list_events(s, f, limit=limit)] == everything[:limit], (f, limit)


def test_edge_counts_read_the_links_where_the_rows_copy_is_unknown(store_url: str) -> None:  # noqa: F811
    """Rows written by hand carry no copy of their links (facet_keys NULL): the date edges are then
    counted from the link tables, with the same result."""
    from sqlalchemy import text

    from tracker.store import facets, get_engine, session_scope

    _busy_store(store_url)
    engine = get_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE event SET facet_keys = NULL"))
    with session_scope(engine) as s:
        for f in [f for f in _filters() if f.since and f.since.day > 1][::3]:
            got, want = facets(s, f), _expected(s, f)
            assert (Counter(dict(got.countries)), Counter(dict(got.actors)), Counter(dict(got.types))) == (
                want["countries"], want["actors"], want["types"]), f


def test_text_and_article_facets_agree_whether_counted_in_one_pass_or_grouped(store_url: str, monkeypatch) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """A text or article filter matching few events is counted in one pass over them; past
    _FEW_MATCHES each facet is grouped by the database. Both give the events' own counts."""
    from tracker import store
    from tracker.store import EventFilter, facets, get_engine, session_scope

    _busy_store(store_url)
    cases = [EventFilter(text="junta"), EventFilter(text="junta", countries=["NER"], types=["coup", "statement"]),
             EventFilter(text="niger", actors=["ECOWAS", "Mohamed Bazoum"]), EventFilter(article_id=2),
             EventFilter(article_id=1, since=date(2023, 7, 20), include_future=False)]
    with session_scope(get_engine(store_url)) as s:
        for few in (store._FEW_MATCHES, 0):
            monkeypatch.setattr(store, "_FEW_MATCHES", few)
            for f in cases:
                got, want = facets(s, f), _expected(s, f)
                assert (Counter(dict(got.countries)), Counter(dict(got.actors)), Counter(dict(got.types))) == (
                    want["countries"], want["actors"], want["types"]), (few, f)


def test_facets_are_counted_under_the_other_filters(engine) -> None:  # type: ignore[no-untyped-def]
    """Picking Niger leaves the other countries' numbers as "what you would get instead"."""
    from tracker.store import EventFilter, add_event, facets, session_scope

    with session_scope(engine) as s:
        for countries, etype in ((["NER"], "coup"), (["NER", "NGA"], "threat"), (["MLI"], "attack")):
            add_event(s, event_in=EventIn(title="e", date=date(2023, 7, 26), countries=countries, event_type=etype))
        f = facets(s, EventFilter(countries=["NER"], types=["coup"]))
    assert dict(f.countries) == {"NER": 1}  # under type coup, not under country NER
    assert dict(f.types) == {"coup": 1, "threat": 1}  # under country NER, whatever the type
    assert f.total == 1


def test_the_recount_command_rebuilds_the_table(cli, engine) -> None:  # type: ignore[no-untyped-def]
    from tracker.store import EventFilter, add_event, facets, session_scope

    both = EventFilter(actors=["ECOWAS", "Mohamed Bazoum"])
    with session_scope(engine) as s:
        add_event(s, event_in=EventIn(title="e", date=date(2023, 7, 26), countries=["NER"], event_type="coup",
                                      actors=["ECOWAS", "Mohamed Bazoum"]))
    with engine.begin() as conn:
        conn.execute(FacetCount.__table__.delete())  # type: ignore[attr-defined]
        conn.execute(FacetDelta.__table__.delete())  # type: ignore[attr-defined]
    with session_scope(engine) as s:
        # the tables are what is read, for one actor or several
        assert (facets(s, EventFilter()).total, facets(s, both).total) == (0, 0)
    res = cli("db", "recount")
    assert res.exit_code == 0, res.output
    assert "counted" in res.stdout
    with session_scope(engine) as s:
        assert (facets(s, EventFilter()).total, facets(s, both).total) == (1, 1)


@pytest.mark.parametrize(
    ("since", "until", "months", "added", "taken_back"),
    [
        (None, None, None, 0, 0),
        (date(2023, 7, 1), date(2023, 7, 31), ("2023-07", "2023-07"), 1, 0),  # 1: events reaching in
        (date(2023, 7, 2), date(2023, 9, 30), ("2023-07", "2023-09"), 1, 1),  # July less its 1st
        (date(2023, 7, 1), date(2023, 9, 29), ("2023-07", "2023-09"), 1, 1),  # September less its 30th
        (date(2023, 7, 20), date(2023, 9, 10), ("2023-08", "2023-08"), 3, 0),  # July 20-31 and Sep 1-10 added
        (date(2023, 7, 2), date(2023, 7, 30), None, 2, 0),  # inside one month: counted directly
        (date(2023, 7, 25), date(2023, 8, 5), None, 3, 0),  # two short edges, no whole month
        (None, date(2024, 2, 29), ("0000-00", "2024-02"), 0, 0),
        (date(2023, 12, 31), None, ("2024-01", "9999-99"), 2, 0),
    ],
)
def test_a_date_filter_is_cut_into_whole_months_and_short_edges(since, until, months, added, taken_back) -> None:  # type: ignore[no-untyped-def]
    from tracker.store import _date_plan

    plan = _date_plan(since, until)
    assert plan.months == months
    assert (len(plan.pieces), len(plan.minus)) == (added, taken_back)


def test_the_facets_command_prints_the_counts(cli, engine) -> None:  # type: ignore[no-untyped-def]
    import json as json_

    from tracker.store import add_event, session_scope

    with session_scope(engine) as s:
        add_event(s, event_in=EventIn(title="a", date=date(2023, 7, 26), countries=["NER"], event_type="coup",
                                      actors=["CNSP"]))
        add_event(s, event_in=EventIn(title="b", date=date(2023, 8, 2), countries=["MLI"], event_type="attack"))
    res = cli("facets", "--country", "Niger", "--json")
    assert res.exit_code == 0, res.output
    got = json_.loads(res.stdout)
    assert got == {"total": 1, "countries": {"NER": 1, "MLI": 1}, "actors": {"CNSP": 1}, "types": {"coup": 1}}
    res = cli("facets", "--since", "2023-08-01")
    assert res.exit_code == 0 and res.stdout.splitlines()[0] == "1 events match"
    assert "countries: MLI 1" in res.stdout
