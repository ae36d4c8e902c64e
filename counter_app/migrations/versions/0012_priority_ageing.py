"""Priority by rule: an ordinary customer who has waited long enough is called like the highest tier.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 16:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_ageing_minutes', sa.Integer(), nullable=False, server_default='20'))
        batch_op.create_check_constraint("ck_branch_settings_priority_ageing_minutes",
                                         "priority_ageing_minutes >= 0 AND priority_ageing_minutes <= 240")


def downgrade() -> None:
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        batch_op.drop_constraint("ck_branch_settings_priority_ageing_minutes", type_="check")
        batch_op.drop_column('priority_ageing_minutes')
