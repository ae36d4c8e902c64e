"""Counters never stranded: when a counter window last said it is alive, and how long a silence may last.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Two nullable or defaulted columns: added in place, no table is rebuilt.
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counter_silent_seconds', sa.Integer(), nullable=False, server_default='90'))


def downgrade() -> None:
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        batch_op.drop_column('counter_silent_seconds')
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
