"""The branch's retention period for customers' personal data: after `customer_retention_days` a visit's
personal data is purged when the duty manager closes the day (workflows/customers/privacy.py).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-20 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

# a snapshot of models/limits.py for the column added here (a migration does not change with the code)
BRANCH = {"customer_retention_days": (90, 3660)}
DEFAULT = 730


def upgrade() -> None:
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_retention_days', sa.Integer(), nullable=False,
                                      server_default=str(DEFAULT)))
        for name, (low, high) in BRANCH.items():
            batch_op.create_check_constraint(f"ck_branch_settings_{name}", f"{name} >= {low} AND {name} <= {high}")


def downgrade() -> None:
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        for name in BRANCH:
            batch_op.drop_constraint(f"ck_branch_settings_{name}", type_="check")
        batch_op.drop_column('customer_retention_days')
