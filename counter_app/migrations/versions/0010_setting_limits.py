"""Targets and branch rules within their ranges: CHECK constraints (models/limits.py as of this revision).

A value already outside its range (written by hand) is brought to the nearest end first, so the upgrade
never fails on it; `audit verify` then names the row, as for any change made outside the app.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# A snapshot: a later change of models/limits.py is a revision of its own.
LIMITS = {
    "service": {
        "priority": (0, 9),
        "target_wait_min": (1, 1440),
        "target_service_min": (1, 1440),
        "target_wrapup_min": (0, 240),
        "typical_service_min": (0.1, 1440),
    },
    "branch_settings": {
        "pre_open_minutes": (0, 720),
        "recalls_before_no_show": (0, 10),
        "eta_sample_size": (1, 500),
        "warning_share": (0.05, 1.0),
        "idle_alert_minutes": (1, 240),
        "max_queue_length": (0, 10000),
        "counter_silent_seconds": (15, 3600),
    },
}


def upgrade() -> None:
    for table, limits in LIMITS.items():
        for column, (low, high) in limits.items():
            op.execute(sa.text(f"UPDATE {table} SET {column} = {low} WHERE {column} < {low}"))
            op.execute(sa.text(f"UPDATE {table} SET {column} = {high} WHERE {column} > {high}"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, (low, high) in limits.items():
                batch_op.create_check_constraint(f"ck_{table}_{column}", f"{column} >= {low} AND {column} <= {high}")


def downgrade() -> None:
    for table, limits in LIMITS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in limits:
                batch_op.drop_constraint(f"ck_{table}_{column}", type_="check")
