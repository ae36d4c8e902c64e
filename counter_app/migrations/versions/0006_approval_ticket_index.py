"""Approved exceptions: an index on the ticket, so a visit's approvals are found without reading them all.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 09:00:00.000000
"""

from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new index only: no table is rebuilt, so this runs inside the upgrade's transaction on a store of any size.
    op.create_index(op.f('ix_exception_approval_ticket_id'), 'exception_approval', ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_exception_approval_ticket_id'), table_name='exception_approval')
