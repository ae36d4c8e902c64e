"""Targets and branch rules stay within their ranges: the store refuses the rest, whoever writes it, and an
older store with a value written by hand is upgraded with it brought into range."""

import sqlite3

import pytest
import sqlalchemy as sa
from helpers.stores import migrate_to

from counter_app.errors import AppError
from counter_app.models.db import open_store
from counter_app.models.limits import BRANCH_LIMITS, SERVICE_LIMITS
from counter_app.workflows.core import bounds


@pytest.mark.parametrize(("sql", "constraint"), [
    ("UPDATE service SET target_wait_min = 1000000000", "ck_service_target_wait_min"),
    ("UPDATE service SET target_service_min = 0", "ck_service_target_service_min"),
    ("UPDATE service SET typical_service_min = -1", "ck_service_typical_service_min"),
    ("UPDATE branch_settings SET warning_share = 7", "ck_branch_settings_warning_share"),
    ("UPDATE branch_settings SET max_queue_length = -1", "ck_branch_settings_max_queue_length"),
])
def test_the_store_refuses_an_absurd_target_or_rule(hall, sql, constraint):
    with pytest.raises(sa.exc.IntegrityError) as refused, hall.engine.begin() as connection:
        connection.execute(sa.text(sql))
    assert constraint in str(refused.value) or "check" in str(refused.value).lower()


def test_every_limit_is_a_store_constraint(hall):
    inspector = sa.inspect(hall.engine)
    names = {c["name"] for table in ("service", "branch_settings") for c in inspector.get_check_constraints(table)}
    assert names == {f"ck_service_{c}" for c in SERVICE_LIMITS} | {f"ck_branch_settings_{c}" for c in BRANCH_LIMITS}


def test_a_target_given_to_a_workflow_is_checked_with_a_message_naming_its_range():
    assert bounds.setting("service", "target_wait_min", "20", field="Wait target") == 20
    assert bounds.setting("branch_settings", "warning_share", "0.8", field="Warning mark") == 0.8
    for bad in ("1e30", "-3", "x", "", "99999999999999999999999"):
        with pytest.raises(AppError) as refused:
            bounds.setting("service", "target_wait_min", bad, field="Wait target")
        assert refused.value.text() == "Wait target must be a number from 1 to 1440."


def test_an_older_store_with_a_target_written_by_hand_is_brought_into_range(tmp_path):
    path = tmp_path / "old.sqlite3"
    migrate_to(f"sqlite:///{path}", "0009")
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO service (id, code, name_zh, name_en, prefix, priority, target_wait_min, "
                   "target_service_min, typical_service_min, target_wrapup_min, sort_order, active) "
                   "VALUES (1, 'BB', '宽带续费', 'Broadband', 'A', 0, 4611686018427387904, -5, 4, 2, 0, 1)")
    db.close()
    store = open_store(f"sqlite:///{path}")
    try:
        with store.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT target_wait_min, target_service_min FROM service")).one() == (
                1440, 1)
    finally:
        store.dispose()
