"""The planning desk after review: change requests and their acknowledgements, the factory's capacity and each
product's production load, deliveries, rush-order sign-offs and the flags they raise for sales.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-15 09:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# a snapshot of models/planning.py's limits (a migration does not change with the code)
LIMITS = {
    "factory_capacity": {"units_per_day": (1, 100000000)},
    "delivery": {"quantity": (1, 1000000)},
}
LOAD = (0, 100000)  # product.load_per_unit


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _checks(table: str) -> list[sa.CheckConstraint]:
    return [sa.CheckConstraint(f"{column} >= {low} AND {column} <= {high}", name=f"ck_{table}_{column}")
            for column, (low, high) in LIMITS[table].items()]


def upgrade() -> None:
    # ADD COLUMN with its CHECK, in both SQLite and PostgreSQL: no copy of the product table (which order lines
    # refer to) is needed, unlike a batch rebuild.
    op.execute(f"ALTER TABLE product ADD COLUMN load_per_unit INTEGER DEFAULT 1 NOT NULL "
               f"CONSTRAINT ck_product_load_per_unit CHECK (load_per_unit >= {LOAD[0]} "
               f"AND load_per_unit <= {LOAD[1]})")
    op.create_table('factory_capacity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('units_per_day', sa.Integer(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=False),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    *_checks('factory_capacity'),
    sa.ForeignKeyConstraint(['set_by'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('order_change_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_order_id', sa.Integer(), nullable=False),
    sa.Column('state', _text(20), nullable=False),
    sa.Column('aspects', _text(80), nullable=False),
    sa.Column('departments', _text(100), nullable=False),
    sa.Column('review_round', sa.Integer(), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.Column('specification', sa.Text(), nullable=False),
    sa.Column('confirmation_file', _text(260), nullable=False),
    sa.Column('confirmation_sha256', _text(64), nullable=False),
    sa.Column('confirmation_reference', _text(200), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('committed_before', sa.Date(), nullable=True),
    sa.Column('committed_after', sa.Date(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['sales_order_id'], ['sales_order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('order_change_ack',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('department', _text(20), nullable=False),
    sa.Column('by', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['change_id'], ['order_change_request.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('change_id', 'department', name='uq_order_change_ack')
    )
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_order_id', sa.Integer(), nullable=False),
    sa.Column('sales_order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('shipped_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('note', _text(200), nullable=False),
    *_checks('delivery'),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['sales_order_id'], ['sales_order.id'], ),
    sa.ForeignKeyConstraint(['sales_order_line_id'], ['sales_order_line.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('rush_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_order_id', sa.Integer(), nullable=False),
    sa.Column('reason', _text(500), nullable=False),
    sa.Column('approved_by', sa.Integer(), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=False),
    sa.Column('committed_date', sa.Date(), nullable=False),
    sa.Column('slips', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['sales_order_id'], ['sales_order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('order_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_order_id', sa.Integer(), nullable=False),
    sa.Column('kind', _text(20), nullable=False),
    sa.Column('rush_approval_id', sa.Integer(), nullable=True),
    sa.Column('previous_date', sa.Date(), nullable=False),
    sa.Column('new_date', sa.Date(), nullable=False),
    sa.Column('slip_days', sa.Integer(), nullable=False),
    sa.Column('owner', sa.Integer(), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.Column('seen_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['owner'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['rush_approval_id'], ['rush_approval.id'], ),
    sa.ForeignKeyConstraint(['sales_order_id'], ['sales_order.id'], ),
    sa.ForeignKeyConstraint(['seen_by'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    for table, column in (('order_change_request', 'sales_order_id'), ('order_change_ack', 'change_id'),
                          ('delivery', 'sales_order_id'), ('delivery', 'sales_order_line_id'),
                          ('rush_approval', 'sales_order_id'), ('order_flag', 'sales_order_id'),
                          ('order_flag', 'owner')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def downgrade() -> None:
    for table in ('order_flag', 'rush_approval', 'delivery', 'order_change_ack', 'order_change_request',
                  'factory_capacity'):
        op.drop_table(table)
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_constraint('ck_product_load_per_unit', type_='check')
        batch_op.drop_column('load_per_unit')
