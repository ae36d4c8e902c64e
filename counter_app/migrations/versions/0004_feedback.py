"""Feedback: customers' ratings and complaints; generated durations and an index on the ticket for the reports.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 08:50:08.221057
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# The generated seconds of counter_app/models/durations.py, frozen here as SQL.
SECONDS_BETWEEN = {
    "sqlite": "CAST(round((julianday({end}) - julianday({start})) * 86400) AS INTEGER)",
    "postgresql": "CAST(round(extract(epoch from ({end} - {start}))) AS INTEGER)",
}
DURATIONS = (("wait_seconds", "called_at", "issued_at"), ("service_seconds", "finished_at", "started_at"),
             ("leg_seconds", "finished_at", "issued_at"))


def upgrade() -> None:
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('is_complaint', sa.Boolean(), nullable=False),
    sa.Column('cause', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], ),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_created', ['created_at', 'service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_ticket_id'), ['ticket_id'], unique=False)

    # Virtual on SQLite, so the columns are added in place (no copy of the ticket table); stored on PostgreSQL.
    sqlite = op.get_bind().dialect.name == "sqlite"
    template = SECONDS_BETWEEN["sqlite" if sqlite else "postgresql"]
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        for name, end, start in DURATIONS:
            batch_op.add_column(sa.Column(name, sa.Integer(),
                                          sa.Computed(sa.text(template.format(end=end, start=start)),
                                                      persisted=None if sqlite else True),
                                          nullable=True))
        batch_op.create_index('ix_ticket_report', ['business_date', 'origin_id', 'service_id', 'outcome',
                                                   'wait_seconds', 'service_seconds', 'leg_seconds'], unique=False)
        batch_op.create_index('ix_ticket_origin', ['origin_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_origin')
        batch_op.drop_index('ix_ticket_report')
        for name, _end, _start in reversed(DURATIONS):
            batch_op.drop_column(name)

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_staff_id'))
        batch_op.drop_index('ix_feedback_created')

    op.drop_table('feedback')
