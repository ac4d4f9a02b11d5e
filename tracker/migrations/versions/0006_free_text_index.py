"""free-text index: FTS5 trigram table on SQLite, pg_trgm GIN indexes on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:00:00

The free-text filter (a substring of title, sentence or notes) scanned every event; these let an
index find the candidates. See tracker/textsearch.py: the SQL is kept there, beside the query
that uses it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from tracker import textsearch

    textsearch.install(op.get_bind())


def downgrade() -> None:
    from tracker import textsearch

    textsearch.uninstall(op.get_bind())
