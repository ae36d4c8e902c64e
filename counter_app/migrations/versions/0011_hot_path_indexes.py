"""Indexes for the hot paths at any history: the estimate's recent services, call-next's pick, a counter's
current ticket, a counter's and a visit's events. Without them each grew with the store's years (docs/performance.md).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 14:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ticket_served", "ticket", ["service_id", "outcome", "finished_at"])
    op.create_index("ix_ticket_waiting", "ticket", ["state", "business_date", sa.text("priority DESC"), "queue_at", "id"])
    op.create_index("ix_ticket_counter", "ticket", ["counter_id", "state"])
    op.create_index("ix_event_counter", "event", ["counter_id", "id"])
    op.create_index("ix_event_ticket", "event", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_event_ticket", table_name="event")
    op.drop_index("ix_event_counter", table_name="event")
    op.drop_index("ix_ticket_counter", table_name="ticket")
    op.drop_index("ix_ticket_waiting", table_name="ticket")
    op.drop_index("ix_ticket_served", table_name="ticket")
