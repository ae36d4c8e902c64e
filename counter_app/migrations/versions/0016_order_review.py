"""The planning (PMC) desk: products and materials, sales orders and their lines, each department's review,
every requested and committed date, and the factory's own calendar.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 09:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# a snapshot of models/planning.py's limits (a migration does not change with the code)
LIMITS = {
    "product": {"lead_days": (0, 365), "stock": (0, 1000000000)},
    "material": {"lead_days": (0, 365), "stock": (0, 1000000000)},
    "sales_order_line": {"quantity": (1, 1000000)},
    "order_review": {"lead_days": (0, 365)},
}


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _checks(table: str) -> list[sa.CheckConstraint]:
    return [sa.CheckConstraint(f"{column} >= {low} AND {column} <= {high}", name=f"ck_{table}_{column}")
            for column, (low, high) in LIMITS[table].items()]


def upgrade() -> None:
    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', _text(20), nullable=False),
    sa.Column('name_zh', _text(60), nullable=False),
    sa.Column('name_en', _text(60), nullable=False),
    sa.Column('lead_days', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    *_checks('product'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', _text(20), nullable=False),
    sa.Column('name', _text(60), nullable=False),
    sa.Column('lead_days', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    *_checks('material'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sales_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', _text(30), nullable=False),
    sa.Column('customer', _text(80), nullable=False),
    sa.Column('kind', _text(20), nullable=False),
    sa.Column('payment', _text(10), nullable=False),
    sa.Column('state', _text(20), nullable=False),
    sa.Column('rule', _text(30), nullable=False),
    sa.Column('requested_date', sa.Date(), nullable=False),
    sa.Column('computed_date', sa.Date(), nullable=True),
    sa.Column('critical_path', _text(80), nullable=False),
    sa.Column('committed_date', sa.Date(), nullable=True),
    sa.Column('review_round', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sales_owner', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['sales_owner'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sales_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_order_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('requested_date', sa.Date(), nullable=False),
    *_checks('sales_order_line'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['sales_order_id'], ['sales_order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('order_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_order_id', sa.Integer(), nullable=False),
    sa.Column('department', _text(20), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('can_meet', sa.Boolean(), nullable=True),
    sa.Column('lead_days', sa.Integer(), nullable=True),
    sa.Column('depends_on', _text(500), nullable=False),
    sa.Column('reason_code', _text(30), nullable=False),
    sa.Column('notes', _text(500), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    *_checks('order_review'),
    sa.ForeignKeyConstraint(['answered_by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['sales_order_id'], ['sales_order.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sales_order_id', 'department', 'round', name='uq_order_review_round')
    )
    op.create_table('order_date_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_order_id', sa.Integer(), nullable=False),
    sa.Column('kind', _text(12), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('by', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('why', _text(500), nullable=False),
    sa.ForeignKeyConstraint(['by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['sales_order_id'], ['sales_order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('factory_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('note', _text(80), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    for table, column in (('product', 'code'), ('material', 'code'), ('sales_order', 'number'),
                          ('factory_day', 'day')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=True)
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_order_state'), ['state'], unique=False)
    for table in ('sales_order_line', 'order_review', 'order_date_revision'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_sales_order_id'), ['sales_order_id'], unique=False)


def downgrade() -> None:
    for table in ('factory_day', 'order_date_revision', 'order_review', 'sales_order_line', 'sales_order',
                  'material', 'product'):
        op.drop_table(table)
