"""facet counts: the count table behind the dashboard's filter counts, filled from the events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:15:28.851782
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bytewise = sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql')
    op.create_table('facetcount',
    sa.Column('country', bytewise, nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('actor', bytewise, nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('future', sa.Boolean(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('country', 'period', 'actor', 'event_type', 'future'),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('facetcount', schema=None) as batch_op:
        batch_op.create_index('ix_facetcount_actor', ['actor', 'period', 'country', 'event_type', 'future'],
                              unique=False)
    op.create_table('facetdelta',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('future', sa.Boolean(), nullable=False),
    sa.Column('country', bytewise, nullable=False),
    sa.Column('actor', bytewise, nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('facetset',
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('member', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'member', 'key')
    )
    # Fill them from the events already stored: the cells are derived data, so the code that keeps
    # them is the one that computes them (a later change to the cells comes with its own revision).
    from tracker import rollup

    rollup.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table('facetset')
    op.drop_table('facetdelta')
    with op.batch_alter_table('facetcount', schema=None) as batch_op:
        batch_op.drop_index('ix_facetcount_actor')
    op.drop_table('facetcount')
