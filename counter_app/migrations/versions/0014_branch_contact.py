"""The branch's address and hotline, printed under its name on every document when given.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 19:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_zh', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('address_en', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('hotline', sa.String(length=20), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        batch_op.drop_column('hotline')
        batch_op.drop_column('address_en')
        batch_op.drop_column('address_zh')
