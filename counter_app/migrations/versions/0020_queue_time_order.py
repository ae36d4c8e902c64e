"""Call-next's pick without a sort under the ageing rule: the waiting tickets of a business day in queue-time order
across tiers (queue/tickets.py: the earliest waiting ticket is aged if any is, and is then the one called).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 09:00:00.000000
"""

from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_ticket_queue_time', 'ticket', ['state', 'business_date', 'queue_at', 'id', 'service_id'])


def downgrade() -> None:
    op.drop_index('ix_ticket_queue_time', table_name='ticket')
