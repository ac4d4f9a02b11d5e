"""Alembic environment: the schema is SQLModel's metadata, the database is the store's URL.

Why these choices: ``target_metadata = SQLModel.metadata`` keeps one definition of the schema (the
models) that autogenerate diffs against; ``render_as_batch`` is needed because SQLite cannot ALTER
most things in place, so Alembic copies the table instead. :mod:`tracker.admin` may hand us an open
connection (``config.attributes["connection"]``) so that stamping a fresh store happens in the same
transaction that created it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers every table on SQLModel.metadata)
from tracker.store import database_url
from tracker.textsearch import not_ours_to_compare

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or database_url()


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=not_ours_to_compare,  # the free-text index is SQL of its own (migration 0006)
    )


def run_migrations_offline() -> None:
    """Emit SQL instead of running it (``alembic upgrade head --sql``), e.g. for a DBA to review."""
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config({"sqlalchemy.url": _url()}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
