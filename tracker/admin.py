"""Looking after the store itself: schema versions (Alembic) and whole-store export / import.

Why a module of its own: the store (:mod:`tracker.store`) answers questions about events; this
module answers questions about the *database* — which schema it has, how to bring it to the one the
code expects, how to move all of it to another machine or engine (SQLite -> PostgreSQL) without
losing a row. The Alembic configuration is built in code, so an installed package needs no
``alembic.ini`` and the database URL has one source of truth (``DATABASE_URL`` / ``--db``).
"""

from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlmodel import SQLModel

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The revision that describes the schema of the first release, i.e. of every store created by
#: ``create_all`` before migrations existed. A store without a version table is assumed to be at it.
BASE_REVISION = "0001"


class SchemaError(Exception):
    """The store's schema is not the one this version of the code needs; the message says what to do."""


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config pointing at our migrations; ``url`` overrides DATABASE_URL."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision shipped with the code (what a fresh store is stamped with)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def _revision_of(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision; None for an empty database or one from before migrations."""
    with engine.connect() as conn:
        return _revision_of(conn)


def _stamp(conn: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.stamp(cfg, revision)


def ensure_schema(engine: Engine) -> None:
    """Called whenever an engine is opened: create a fresh store, or check an existing one.

    A fresh database gets every table *and* the head revision stamp in one transaction, so that
    ``tracker db upgrade`` later knows where it starts. An existing store is never altered here:
    if it is behind the code we stop with a message saying to run ``tracker db upgrade``, rather than
    failing later on a missing column in the middle of someone's work.
    """
    import tracker.models  # noqa: F401  (registers the tables)

    tables = set(inspect(engine).get_table_names())
    if "event" not in tables:
        try:
            # on SQLite take the write lock first (BEGIN IMMEDIATE): a second process starting at the
            # same moment then waits for this one instead of failing with "database is locked"
            with engine.connect() as conn, conn.execution_options(sqlite_write=True).begin():
                SQLModel.metadata.create_all(conn)
                from tracker import textsearch

                textsearch.install(conn)  # SQL of its own, not in the models (migration 0006)
                if _revision_of(conn) is None:
                    _stamp(conn, head_revision())
            return
        except Exception:
            # Another process created the store at the same moment: fine if it is there now.
            if "event" not in set(inspect(engine).get_table_names()):
                raise
    rev = current_revision(engine)
    for _ in range(10):  # another process may be between creating the tables and stamping them
        if rev is not None:
            break
        time.sleep(0.1)
        rev = current_revision(engine)
    if rev == head_revision():
        return
    if rev is None:
        raise SchemaError(
            f"the store at {engine.url.render_as_string(hide_password=True)} has no schema version "
            "(made before migrations): run `tracker db upgrade`"
        )
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if rev not in known:
        raise SchemaError(f"the store's schema revision {rev} is newer than this version of tracker: upgrade tracker")
    raise SchemaError(f"the store's schema is at revision {rev}, the code needs {head_revision()}: "
                      "run `tracker db upgrade`")


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the store at ``url`` to ``revision``; returns (before, after).

    A store created before migrations existed (tables, no version) is the first released schema:
    it is stamped :data:`BASE_REVISION` and then upgraded like any other.
    """
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            before = _revision_of(conn)
            tables = set(inspect(conn).get_table_names())
            if before is None and "event" in tables:
                _stamp(conn, BASE_REVISION)
        cfg = alembic_config(url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        with engine.connect() as conn:
            after = _revision_of(conn)
    finally:
        engine.dispose()
    return before, after


# --- whole-store export / import --------------------------------------------------------------

EXPORT_FORMAT = "sahel-tracker-store"
EXPORT_VERSION = 1


def export_store(engine: Engine, path: Path) -> dict[str, int]:
    """Write every table, every row, every column to one JSON file; returns rows per table."""
    from tracker.exports import dump_store

    with engine.connect() as conn:
        data = dump_store(conn)
        data["revision"] = _revision_of(conn)
    data["format"] = EXPORT_FORMAT
    data["version"] = EXPORT_VERSION
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    tmp.replace(path)  # a crash mid-write never leaves a half export under the real name
    return {name: len(rows) for name, rows in data["tables"].items()}


def read_export(path: Path) -> dict[str, Any]:
    """Load and check an export file; :class:`ValueError` with a one-line reason if it is not one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a tracker export (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValueError(f"{path}: not a tracker export (made by `tracker export --all`)")
    if data.get("version") != EXPORT_VERSION:
        raise ValueError(f"{path}: export format version {data.get('version')} is not supported")
    if data.get("revision") not in (None, head_revision()):
        raise ValueError(
            f"{path}: exported from schema revision {data.get('revision')}, this store is at {head_revision()}; "
            "import it into a store of that version, run `tracker db upgrade`, then export again"
        )
    return data


def import_store(engine: Engine, path: Path) -> dict[str, int]:
    """Load an export into an *empty* store, ids included, in one transaction; rows per table.

    Refusing a non-empty store is deliberate: merging two stores would renumber events and break
    every reference (audit rows, links) — that is not an import, it is an ingest.
    """
    from tracker import rollup
    from tracker.exports import load_store

    data = read_export(path)
    with engine.begin() as conn:
        counts = load_store(conn, data)
        rollup.rebuild(conn)
        return counts
