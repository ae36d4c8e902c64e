"""What a branch sets in its administration: per-service warning marks, idle and queue limits, the clerk's
sentence and the form's terms; a counter's place on the display and its order of preference among its
services; the branch's feedback address, logo, default language, announced languages and display layout; a password an
administrator set, which its owner changes at the next sign-in.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 06:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# a snapshot of models/limits.py for the columns added here (a migration does not change with the code)
SERVICE = {"wait_warning_min": (0, 1440), "service_warning_min": (0, 1440), "idle_warning_min": (0, 240),
           "idle_breach_min": (0, 240), "queue_warning_len": (0, 10000), "queue_breach_len": (0, 10000)}
BRANCH = {"display_columns": (1, 12), "display_font_percent": (50, 200)}
COUNTER = {"display_order": (0, 999)}


def _int(name: str, default: int) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=str(default))


def upgrade() -> None:
    with op.batch_alter_table('service', schema=None) as batch_op:
        for name in SERVICE:
            batch_op.add_column(_int(name, 0))
        batch_op.add_column(sa.Column('script_zh', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('script_en', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('terms_zh', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('terms_en', sa.Text(), nullable=False, server_default=''))
        for name, (low, high) in SERVICE.items():
            batch_op.create_check_constraint(f"ck_service_{name}", f"{name} >= {low} AND {name} <= {high}")
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.add_column(_int('display_order', 0))
        for name, (low, high) in COUNTER.items():
            batch_op.create_check_constraint(f"ck_counter_{name}", f"{name} >= {low} AND {name} <= {high}")
    with op.batch_alter_table('counter_service', schema=None) as batch_op:
        batch_op.add_column(_int('rank', 0))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_must_change', sa.Boolean(), nullable=False, server_default='0'))
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_address', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('logo', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('default_language', sa.String(length=5), nullable=False, server_default='zh'))
        batch_op.add_column(sa.Column('announce_languages', sa.String(length=10), nullable=False,
                                      server_default='zh,en'))
        batch_op.add_column(_int('display_columns', 8))
        batch_op.add_column(_int('display_font_percent', 100))
        for name, (low, high) in BRANCH.items():
            batch_op.create_check_constraint(f"ck_branch_settings_{name}", f"{name} >= {low} AND {name} <= {high}")


def downgrade() -> None:
    with op.batch_alter_table('branch_settings', schema=None) as batch_op:
        for name in BRANCH:
            batch_op.drop_constraint(f"ck_branch_settings_{name}", type_="check")
        for name in ('display_font_percent', 'display_columns', 'announce_languages', 'default_language', 'logo',
                     'feedback_address'):
            batch_op.drop_column(name)
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('password_must_change')
    with op.batch_alter_table('counter_service', schema=None) as batch_op:
        batch_op.drop_column('rank')
    with op.batch_alter_table('counter', schema=None) as batch_op:
        for name in COUNTER:
            batch_op.drop_constraint(f"ck_counter_{name}", type_="check")
        batch_op.drop_column('display_order')
    with op.batch_alter_table('service', schema=None) as batch_op:
        for name in SERVICE:
            batch_op.drop_constraint(f"ck_service_{name}", type_="check")
        for name in ('terms_en', 'terms_zh', 'script_en', 'script_zh', *reversed(SERVICE)):
            batch_op.drop_column(name)
