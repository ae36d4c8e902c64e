"""The customer record: several accounts and phones, the ID card's last 4 and salted hash, segment and value,
language, consents, notes, erasure and merging; the segment rules; follow-up calls; the ID hashes' salt.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-16 09:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# a snapshot of models/customers.py's limits (a migration does not change with the code)
LIMITS = {
    "customer": {"monthly_spend": (0, 10000000)},
    "segment_rule": {"position": (0, 999), "min_monthly_spend": (0, 10000000), "min_tenure_months": (0, 1200),
                     "tier": (0, 9)},
}


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _checks(table: str) -> list[sa.CheckConstraint]:
    return [sa.CheckConstraint(f"{column} >= {low} AND {column} <= {high}", name=f"ck_{table}_{column}")
            for column, (low, high) in LIMITS[table].items()]


def upgrade() -> None:
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_last4', _text(4), nullable=True))
        batch_op.add_column(sa.Column('id_hash', _text(64), nullable=True))
        batch_op.add_column(sa.Column('segment', _text(20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('need', _text(20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('monthly_spend', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('customer_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('language', _text(10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('consent_contact', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('consent_marketing', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('notes', _text(500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_customer_merged_into_id', 'customer', ['merged_into_id'], ['id'])
        for column, (low, high) in LIMITS["customer"].items():
            batch_op.create_check_constraint(f"ck_customer_{column}", f"{column} >= {low} AND {column} <= {high}")
        for column in ('id_last4', 'id_hash', 'merged_into_id'):
            batch_op.create_index(batch_op.f(f'ix_customer_{column}'), [column], unique=False)
    op.create_table('customer_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('account_no', _text(40), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('customer_phone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('phone', _text(20), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_id', 'phone', name='uq_customer_phone')
    )
    op.create_table('segment_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', _text(20), nullable=False),
    sa.Column('name_zh', _text(40), nullable=False),
    sa.Column('name_en', _text(40), nullable=False),
    sa.Column('min_monthly_spend', sa.Integer(), nullable=False),
    sa.Column('min_tenure_months', sa.Integer(), nullable=False),
    sa.Column('need', _text(20), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=False),
    sa.Column('high_value', sa.Boolean(), nullable=False),
    *_checks('segment_rule'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('follow_up_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('called_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', _text(500), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('customer_secret',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salt', _text(64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    for table, column, unique in (('customer_account', 'customer_id', False), ('customer_account', 'account_no', True),
                                  ('customer_phone', 'customer_id', False), ('customer_phone', 'phone', False),
                                  ('segment_rule', 'position', False), ('follow_up_call', 'customer_id', False)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=unique)
    # Every account and phone a customer was known by, now in the tables the lookups read.
    op.execute("INSERT INTO customer_account (customer_id, account_no, added_at) "
               "SELECT id, account_no, created_at FROM customer WHERE account_no IS NOT NULL ORDER BY id")
    op.execute("INSERT INTO customer_phone (customer_id, phone, added_at) "
               "SELECT id, phone, created_at FROM customer WHERE phone IS NOT NULL ORDER BY id")


def downgrade() -> None:
    for table in ('customer_secret', 'follow_up_call', 'segment_rule', 'customer_phone', 'customer_account'):
        op.drop_table(table)
    with op.batch_alter_table('customer', schema=None) as batch_op:
        for column in ('id_last4', 'id_hash', 'merged_into_id'):
            batch_op.drop_index(batch_op.f(f'ix_customer_{column}'))
        batch_op.drop_constraint('ck_customer_monthly_spend', type_='check')
        batch_op.drop_constraint('fk_customer_merged_into_id', type_='foreignkey')
        for column in ('merged_into_id', 'erased_at', 'notes', 'consent_marketing', 'consent_contact', 'language',
                       'customer_since', 'monthly_spend', 'need', 'segment', 'id_hash', 'id_last4'):
            batch_op.drop_column(column)
