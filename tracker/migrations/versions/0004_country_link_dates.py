"""country link dates: each event-country link carries its event's date, indexed as (country, date)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:10:00

A page of one country's events is then one index range in date order. The dates are copied from
the events; tracker.store keeps them in step on every write.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('eventcountry', sa.Column('date', sa.Date(), nullable=True))
    op.execute("UPDATE eventcountry SET date = (SELECT event.date FROM event WHERE event.id = eventcountry.event_id)")
    with op.batch_alter_table('eventcountry', schema=None) as batch_op:
        batch_op.alter_column('date', existing_type=sa.Date(), nullable=False)
        batch_op.drop_index('ix_eventcountry_country')
        batch_op.create_index('ix_eventcountry_country_date', ['country', 'date', 'event_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('eventcountry', schema=None) as batch_op:
        batch_op.drop_index('ix_eventcountry_country_date')
        batch_op.create_index('ix_eventcountry_country', ['country'], unique=False)
        batch_op.drop_column('date')
