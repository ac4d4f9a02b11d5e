"""event facet keys: each event row carries its countries and actor ids ("MLI,NER|12,57")

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 13:25:00

Facet counts read the events at a date range's edges with their links; the copy on the row
spares two link lookups per event. Filled from the links here; tracker.store keeps it in step.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('event', sa.Column('facet_keys', sa.Text(), nullable=True))
    from tracker import rollup

    rollup.fill_facet_keys(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('facet_keys')
