"""Schema versions: any earlier store reaches the current schema with every row intact.

Run on SQLite and on a PostgreSQL the tests start themselves (``store_url``). The data is written
with plain SQL at the base revision — not through the models, which describe the *current* schema —
so the test keeps meaning something after the models move on.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from tracker.admin import BASE_REVISION, SchemaError, current_revision, head_revision, upgrade

from pg_support import pg_server, pg_url, store_url  # noqa: F401

BASE_ROWS = [
    (
        "INSERT INTO article (id, content_hash, title, url, outlet, published, published_source, lang, path, text, "
        "ingested_at) VALUES (1, :h, 'Coup in Niger', 'https://example.org/a', 'Desk', '2023-07-28', 'given', 'en', "
        "NULL, 'Soldiers seized power in Niamey on Wednesday.', '2023-07-28 10:00:00')",
        {"h": "a" * 64},
    ),
    ("INSERT INTO actor (id, name, kind, country) VALUES (1, 'Mohamed Bazoum', 'person', 'NER')", {}),
    (
        "INSERT INTO event (id, title, event_type, plover, date, date_end, precision, timex, date_text, resolution, "
        "rule, anchor, future, disputed, place_name, lat, lon, geo_precision, origin, edited, notes, source_url, "
        "sentence, start, \"end\", article_id, created_at, updated_at) VALUES (1, 'Coup in Niger', 'coup', NULL, "
        "'2023-07-26', NULL, 'day', '2023-07-26', 'on Wednesday', 'relative', 'weekday', 'dct', :f, :f, 'Niamey', "
        "13.51, 2.11, 'place', 'extracted', :t, 'kept notes', NULL, 'Soldiers seized power.', 0, 45, 1, "
        "'2023-07-28 10:00:00', '2023-07-29 11:00:00')",
        {"f": False, "t": True},
    ),
    ("INSERT INTO eventactor (event_id, actor_id) VALUES (1, 1)", {}),
    ("INSERT INTO eventcountry (event_id, country) VALUES (1, 'NER')", {}),
    (
        'INSERT INTO eventsource (id, event_id, article_id, sentence, start, "end", date, precision, date_text) '
        "VALUES (1, 1, 1, 'Soldiers seized power.', 0, 45, '2023-07-26', 'day', 'on Wednesday')",
        {},
    ),
    (
        "INSERT INTO change (id, event_id, action, \"user\", at, before, after) VALUES (1, 1, 'update', 'alice', "
        '\'2023-07-29 11:00:00\', \'{"title": "x"}\', \'{"title": "Coup in Niger"}\')',
        {},
    ),
]
TABLES = ["article", "actor", "event", "eventactor", "eventcountry", "eventsource", "change"]


def _rows(url: str) -> dict[str, list[dict[str, Any]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: [dict(r) for r in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY 1, 2')).mappings()]
                for t in TABLES
            }
    finally:
        engine.dispose()


def test_fresh_store_is_created_at_head(store_url: str) -> None:  # noqa: F811
    from tracker.store import get_engine

    engine = get_engine(store_url)
    assert current_revision(engine) == head_revision()
    assert {"event", "article", "change", "alembic_version"} <= set(inspect(engine).get_table_names())


def test_base_revision_with_data_upgrades_to_head_without_loss(store_url: str) -> None:  # noqa: F811
    assert upgrade(store_url, BASE_REVISION) == (None, BASE_REVISION)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        for sql, params in BASE_ROWS:
            conn.execute(text(sql), params)
    engine.dispose()
    before = _rows(store_url)
    assert all(before[t] for t in TABLES)

    assert upgrade(store_url) == (BASE_REVISION, head_revision())
    after = _rows(store_url)
    # every row and column is kept; columns added since are filled (a link's copy of its event's date)
    assert {t: [{k: r[k] for k in old} for r, old in zip(after[t], before[t], strict=True)] for t in TABLES} == before
    assert [r["date"] for r in after["eventcountry"]] in ([date(2023, 7, 26)], ["2023-07-26"])

    # and the application reads it like any other store, its facet counts filled by the upgrade
    from tracker.store import EventFilter, facets, get_engine, list_events, session_scope

    with session_scope(get_engine(store_url)) as s:
        (ev,) = list_events(s)
        counted = facets(s, EventFilter(countries=["NER"], since=date(2023, 7, 1), until=date(2023, 7, 31)))
    assert (counted.total, counted.types, counted.actors) == (1, [("coup", 1)], [("Mohamed Bazoum", 1)])
    assert (ev.title, ev.actors, ev.countries, ev.notes, ev.edited) == (
        "Coup in Niger",
        ["Mohamed Bazoum"],
        ["NER"],
        "kept notes",
        True,
    )


def test_a_store_counted_before_actor_set_cells_reads_several_actors_right(store_url: str) -> None:  # noqa: F811
    """Revision 0003 recounts a store whose counts were made without actor set cells (revision 0002):
    a filter on two actors would otherwise count an event naming both of them twice."""
    upgrade(store_url, "0002")
    engine = create_engine(store_url)
    with engine.begin() as conn:
        for sql, params in BASE_ROWS:
            conn.execute(text(sql), params)
        conn.execute(text("INSERT INTO actor (id, name, kind, country) VALUES (2, 'ECOWAS', 'bloc', NULL)"))
        conn.execute(text("INSERT INTO eventactor (event_id, actor_id) VALUES (1, 2)"))
        from tracker import rollup

        rollup.rebuild(conn)
        # what revision 0002's code kept: no cell for the set of both actors
        conn.execute(text("DELETE FROM facetcount WHERE actor LIKE '+%'"))
    engine.dispose()

    assert upgrade(store_url) == ("0002", head_revision())
    from tracker.store import EventFilter, facets, get_engine, session_scope

    with session_scope(get_engine(store_url)) as s:
        both = facets(s, EventFilter(actors=["Mohamed Bazoum", "ECOWAS"]))
    assert (both.total, both.countries, both.types) == (1, [("NER", 1)], [("coup", 1)])


def test_migrations_match_the_models(store_url: str) -> None:  # noqa: F811
    """A model change without a migration fails here, with the diff to put in a new revision."""
    import tracker.models  # noqa: F401

    upgrade(store_url)
    engine = create_engine(store_url)
    with engine.connect() as conn:
        from tracker.textsearch import not_ours_to_compare

        opts = {"compare_type": True, "include_object": not_ours_to_compare}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; write a revision (alembic revision --autogenerate): {diff}"


def test_store_from_before_migrations_is_refused_then_upgraded(tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    """A first-release store (its tables made by create_all, no version table) is the base revision."""
    from tracker.store import get_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, BASE_REVISION)  # the first release's tables, exactly
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    with pytest.raises(SchemaError, match="tracker db upgrade"):
        get_engine(url)
    res = cli("events", "--db", url)
    assert res.exit_code == 2 and "tracker db upgrade" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1

    res = cli("db", "upgrade", "--db", url)
    assert res.exit_code == 0, res.output
    assert head_revision() in res.stdout
    assert current_revision(get_engine(url)) == head_revision()
    res = cli("db", "current", "--db", url)
    assert res.exit_code == 0 and "up to date" in res.stdout
    res = cli("db", "upgrade", "--db", url)
    assert "already at revision" in res.stdout


def test_store_newer_than_the_code_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tracker.store import get_engine

    url = f"sqlite:///{tmp_path / 'new.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    engine.dispose()
    with pytest.raises(SchemaError, match="newer than this version"):
        get_engine(url)


def test_downgrade_to_nothing_and_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every migration has a working downgrade (so a bad release can be backed out)."""
    from alembic import command

    from tracker.admin import alembic_config

    url = f"sqlite:///{tmp_path / 'd.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    assert upgrade(url)[1] == head_revision()


def test_processes_opening_a_fresh_store_at_once_agree(store_url: str) -> None:  # noqa: F811
    """The first morning: several people start `tracker` on an empty shared database together."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": store_url}
    code = "from tracker.store import get_engine; get_engine()"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err[-1500:]
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
    engine.dispose()
