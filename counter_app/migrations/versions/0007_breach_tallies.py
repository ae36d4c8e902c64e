"""Breach tallies of past days, so that a year's breach report does not re-read every ticket of the year.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty tables: past days are tallied afterwards (`counter-app db tally`, or when a day is closed);
    # until then the reports count those days from the tickets, as before.
    op.create_table('report_day',
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('targets', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('tallied_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('business_date')
    )
    op.create_table('breach_tally',
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('cause', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['business_date'], ['report_day.business_date'], ),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ),
    sa.PrimaryKeyConstraint('business_date', 'service_id', 'cause')
    )


def downgrade() -> None:
    op.drop_table('breach_tally')
    op.drop_table('report_day')
