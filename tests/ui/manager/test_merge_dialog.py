"""The duty manager merges two records found to be one person from the loyalty view: both shown masked side by
side, a reason required; a clerk is refused with the workflow's message."""

import datetime as dt

import pytest
from helpers.fixtures import DAY, at, staff_id
from helpers.story import events
from PySide6.QtCore import Qt

from counter_app.ui.manager.loyalty import MergeDialog
from counter_app.ui.manager.window import ManagerWindow
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import duty
from counter_app.workflows.replay import demo

PHONE, ACCOUNT = "13800138000", "BB20260042"


@pytest.fixture
def two_records(hall, clock):
    clock.set(at("09:00", DAY))
    with hall.write() as session:
        by_phone = records.find_or_create(session, clock.now(), PHONE, "王小明")
        by_account = records.find_or_create(session, clock.now(), ACCOUNT, "王小明")
        return by_account.id, by_phone.id


@pytest.fixture
def merge_dialog(qtbot, hall, clock, backend, two_records):
    clock.set(at("09:00", DAY + dt.timedelta(days=1)))
    with hall.write() as session:
        login = duty.manager_sign_in(session, clock, staff_no="M001", password=demo.DEMO_PASSWORD)
    window = ManagerWindow(backend, login)
    qtbot.addWidget(window)
    window.show()
    dialog = window.open_loyalty().open_merge()
    yield dialog
    window.close()


def find_both(dialog):
    dialog.keep_side.find_edit.setText(ACCOUNT)
    dialog.keep_side.find()
    dialog.merge_side.find_edit.setText(PHONE)
    dialog.merge_side.find()


def test_the_manager_sees_both_records_masked_and_merges_them_with_a_reason(qtbot, hall, merge_dialog,
                                                                             two_records):
    kept, other = two_records
    find_both(merge_dialog)
    assert merge_dialog.isVisible()
    left = {name: label.text() for name, label in merge_dialog.keep_side.values.items()}
    right = {name: label.text() for name, label in merge_dialog.merge_side.values.items()}
    assert left["name"] == right["name"] == "王**"
    assert left["account_no"] == "******0042" and right["phone"] == "138****8000"
    shown = " ".join(list(left.values()) + list(right.values()))
    assert PHONE not in shown and ACCOUNT not in shown and "王小明" not in shown

    qtbot.mouseClick(merge_dialog.merge_button, Qt.MouseButton.LeftButton)  # no reason: refused, nothing merged
    assert merge_dialog.message_bar.kind == "error" and "reason for the merge" in merge_dialog.message_bar.text()
    assert events(hall, "customers_merged") == []

    merge_dialog.reason_edit.setText("Same ID card")
    qtbot.mouseClick(merge_dialog.merge_button, Qt.MouseButton.LeftButton)
    assert merge_dialog.message_bar.kind == "ok"
    [merged] = events(hall, "customers_merged")
    assert merged.staff_id == staff_id(hall, "M001") and '"reason": "Same ID card"' in merged.data
    with hall.read() as session:
        assert records.find(session, PHONE).id == kept  # the phone now finds the kept record
    assert merge_dialog.keep_side.values["phone"].text() == "138****8000"  # the kept record, shown again


def test_a_clerk_is_refused_with_the_workflows_message(qtbot, hall, clock, backend, two_records):
    dialog = MergeDialog(backend, staff_id(hall, "S001"))
    qtbot.addWidget(dialog)
    find_both(dialog)
    dialog.reason_edit.setText("Same person")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.message_bar.text() == "Only a senior clerk or a manager can merge two customer records."
    assert events(hall, "customers_merged") == []
