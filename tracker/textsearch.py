"""Free-text search over events (title, sentence, notes), answered by an index at any store size.

The filter is a case-insensitive substring match — ``lower(column) LIKE '%text%'`` — which no B-tree
can serve: at a million events it read every row (seconds). So:

- SQLite: an FTS5 table with the trigram tokenizer (``event_text``, external content, kept in step
  with ``event`` by triggers, so every write path — ingest, forms, imports, bulk SQL — keeps it)
  finds the candidate events; the LIKE conditions still decide, so the answer is exactly the
  plain scan's. Text shorter than three characters, or holding LIKE's own ``%``/``_``, is scanned.
- PostgreSQL: trigram GIN indexes (``pg_trgm``) on the very ``lower(...)`` expressions the filter
  uses, which the planner picks for the LIKE conditions by itself. If the extension cannot be
  created (not installed, no privilege) the indexes are left out and the filter scans, as before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, Connection, bindparam, func, literal_column, or_, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

TABLE = "event_text"
_COLUMNS = "title, sentence, notes"
_OLD = "old.id, old.title, old.sentence, old.notes"
_NEW = "new.id, new.title, new.sentence, new.notes"

SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5({_COLUMNS}, content='event', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON event BEGIN "
    f"INSERT INTO {TABLE}(rowid, {_COLUMNS}) VALUES ({_NEW}); END",
    f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON event BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, {_COLUMNS}) VALUES ('delete', {_OLD}); END",
    f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF title, sentence, notes ON event BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, {_COLUMNS}) VALUES ('delete', {_OLD}); "
    f"INSERT INTO {TABLE}(rowid, {_COLUMNS}) VALUES ({_NEW}); END",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",  # what is stored already
]

#: the expressions the filter compares, written once for the query and for the indexes
EXPRESSIONS = {"title": "lower(title)", "sentence": "lower(COALESCE(sentence, ''))",
               "notes": "lower(COALESCE(notes, ''))"}
PG_INDEXES = {f"ix_event_{name}_trgm": expr for name, expr in EXPRESSIONS.items()}


def install(conn: Connection) -> None:
    """Create the index for this database (migration 0006)."""
    if conn.dialect.name == "sqlite":
        try:
            for sql in SQLITE_DDL:
                conn.execute(text(sql))
        except Exception as exc:  # an SQLite built without FTS5 or older than 3.34 (no trigram tokenizer)
            raise RuntimeError(f"this SQLite ({conn.exec_driver_sql('SELECT sqlite_version()').scalar()}) "
                               f"cannot build the free-text index (FTS5 with the trigram tokenizer): {exc}") from exc
    elif conn.dialect.name == "postgresql":
        try:
            with conn.begin_nested():
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except Exception:  # noqa: BLE001 - not installed or not allowed: free text keeps scanning
            return
        for name, expr in PG_INDEXES.items():
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON event USING gin (({expr}) gin_trgm_ops)"))


def uninstall(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for suffix in ("_ai", "_ad", "_au"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {TABLE}{suffix}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    elif conn.dialect.name == "postgresql":
        for name in PG_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def not_ours_to_compare(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic ``include_object``: the index's tables and indexes are made by migration 0006 in SQL,
    not described by the models, so autogenerate must not propose dropping them."""
    if type_ == "table" and name and name.startswith(TABLE):
        return False
    return not (type_ == "index" and name in PG_INDEXES)


class _Candidates(ColumnElement[bool]):
    """``event.id IN (the rows of event_text matching a phrase)`` on SQLite; always true elsewhere."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate already: SQLite must not get "... = 1", which no index serves
    _traverse_internals = [("id_col", InternalTraversal.dp_clauseelement),
                           ("phrase", InternalTraversal.dp_clauseelement)]

    def __init__(self, id_col: ColumnElement[Any], phrase: str) -> None:
        self.id_col = id_col
        self.phrase = bindparam("text_phrase", phrase, unique=True)


@compiles(_Candidates, "sqlite")
def _candidates_sqlite(element: _Candidates, compiler: Any, **kw: Any) -> str:
    return (f"{compiler.process(element.id_col, **kw)} IN (SELECT rowid FROM {TABLE} "
            f"WHERE {TABLE} MATCH {compiler.process(element.phrase, **kw)})")


@compiles(_Candidates)
def _candidates_other(element: _Candidates, compiler: Any, **kw: Any) -> str:
    return "1 = 1"


def condition(event: Any, query: str) -> ColumnElement[bool] | None:
    """The free-text filter on ``event`` (the Event model) for ``query``; None for a blank one."""
    q = query.strip()
    if not q:
        return None
    pattern = f"%{q.lower()}%"
    likes = or_(
        func.lower(event.title).like(pattern),
        func.lower(func.coalesce(event.sentence, literal_column("''"))).like(pattern),
        func.lower(func.coalesce(event.notes, literal_column("''"))).like(pattern),
    )
    if len(q) < 3 or "%" in q or "_" in q:  # the trigram index cannot narrow these: LIKE alone
        return likes
    phrase = '"' + q.replace('"', '""') + '"'  # an FTS5 string: the text as one run of characters
    from sqlmodel import col

    return _Candidates(col(event.id), phrase) & likes
