"""Counters with a name ("VIP窗口") and, where the branch says so, only senior clerks at them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 18:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('senior_only', sa.Boolean(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.drop_column('senior_only')
        batch_op.drop_column('name')
