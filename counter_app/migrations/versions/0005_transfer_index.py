"""Reports: a partial index on the ticket holding only the legs of visits with a transfer.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# models/tables.py TRANSFER_LEGS, frozen here. SQLite uses a partial index only for a query that repeats
# this condition literally (report_queries.of_transfers).
TRANSFER_LEGS = "id <> origin_id OR outcome = 'transferred'"


def upgrade() -> None:
    # A new index only: no table is rebuilt, so this runs inside the upgrade's transaction on a store of any size.
    op.create_index('ix_ticket_transfer', 'ticket', ['business_date', 'origin_id', 'service_id', 'outcome',
                                                     'wait_seconds', 'service_seconds', 'leg_seconds'],
                    unique=False, sqlite_where=sa.text(TRANSFER_LEGS), postgresql_where=sa.text(TRANSFER_LEGS))


def downgrade() -> None:
    op.drop_index('ix_ticket_transfer', table_name='ticket')
