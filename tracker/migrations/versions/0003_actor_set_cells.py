"""actor set cells: the facet counts also hold one cell per set of actors an event names

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:50:00

No table changes: the cells are derived data, so the counts are recomputed from the events by the
code that keeps them (a store counted by revision 0002 has no actor set cells, and a filter on
several actors would read too little).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from tracker import rollup

    rollup.rebuild(op.get_bind())


def downgrade() -> None:
    # revision 0002's readers count several actors from the events and never read these cells;
    # recounting the way 0002 did would need 0002's code, so the extra cells are simply left
    pass
