"""Stories at the staff login: a wrong password, a good one, a counter someone else holds."""

import pytest
from helpers.fixtures import at, open_counter, staff_id
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit
from sqlmodel import select

from counter_app.models import Counter
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.login import LoginDialog
from counter_app.workflows.replay import demo


@pytest.fixture
def backend(hall, clock):
    clock.set(at("08:50"))
    backend = Backend(hall, clock, refresh_ms=50)
    yield backend
    backend.stop()


def make_dialog(qtbot, backend, counter_number=None):
    dialog = LoginDialog(backend, counter_number)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def held_by(store, number):
    with store.read() as session:
        return session.exec(select(Counter.staff_id).where(Counter.number == number)).one()


def fill(dialog, staff_no, password):
    dialog.staff_edit.setText(staff_no)
    dialog.password_edit.setText(password)


def test_the_dialog_lists_the_counters_with_their_services_and_preselects_the_one_asked_for(qtbot, backend):
    dialog = make_dialog(qtbot, backend, counter_number=3)
    assert dialog.counter_combo.count() == 6
    assert dialog.counter_combo.currentData() == 3
    assert dialog.counter_combo.currentText() == ("Counter 3 — Broadband renewal, Mobile plan change, "
                                                  "Bill payment, New line (free)")
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password


def test_a_wrong_password_is_refused_inside_the_dialog_and_nobody_is_logged_in(qtbot, hall, backend):
    dialog = make_dialog(qtbot, backend, counter_number=2)
    fill(dialog, "S002", "not-the-password")

    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)

    assert dialog.message_bar.isVisible()
    assert dialog.message_bar.text() == "Wrong staff number or password."
    assert dialog.staff_edit.text() == "S002"  # kept, so only the password is typed again
    assert dialog.password_edit.text() == ""
    assert dialog.counter_combo.currentData() == 2
    assert dialog.login is None
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert held_by(hall, 2) is None


def test_the_right_password_logs_the_clerk_in_at_the_chosen_counter(qtbot, hall, backend):
    dialog = make_dialog(qtbot, backend)
    dialog.select_counter(4)
    fill(dialog, "S004", demo.DEMO_PASSWORD)

    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.login.counter_number, dialog.login.staff_no, dialog.login.name) == (4, "S004", "赵静")
    assert held_by(hall, 4) == staff_id(hall, "S004")


def test_an_empty_field_is_pointed_out_before_anything_is_tried(qtbot, hall, backend):
    dialog = make_dialog(qtbot, backend, counter_number=1)
    fill(dialog, "S001", "")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.message_bar.text() == "Enter your staff number and your password."
    assert held_by(hall, 1) is None


def test_a_counter_open_under_another_clerk_is_refused_with_their_name(qtbot, hall, clock, backend):
    open_counter(hall, clock, 1, "S001")
    dialog = make_dialog(qtbot, backend, counter_number=1)
    assert "(王芳)" in dialog.counter_combo.currentText()
    fill(dialog, "S004", demo.DEMO_PASSWORD)

    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)

    assert dialog.message_bar.text() == "Counter 1 is in use by 王芳: they must close it first, or a duty manager can let you take it over."
    assert held_by(hall, 1) == staff_id(hall, "S001")
    assert dialog.login is None


def test_a_clerk_takes_over_a_counter_with_the_duty_managers_password(qtbot, hall, clock, backend):
    open_counter(hall, clock, 1, "S001")
    dialog = make_dialog(qtbot, backend, counter_number=1)
    fill(dialog, "S004", demo.DEMO_PASSWORD)
    qtbot.mouseClick(dialog.take_over_button, Qt.MouseButton.LeftButton)
    assert dialog.take_over_form.isVisible() and dialog.login_button.text() == "Take over"

    dialog.manager_edit.setText("M001")
    dialog.manager_password_edit.setText("wrong")
    dialog.reason_edit.setText("王芳 went home ill")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.message_bar.text() == "Wrong staff number or password."
    assert held_by(hall, 1) == staff_id(hall, "S001") and dialog.reason_edit.text() == "王芳 went home ill"

    fill(dialog, "S004", demo.DEMO_PASSWORD)
    dialog.manager_password_edit.setText(demo.DEMO_PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert held_by(hall, 1) == staff_id(hall, "S004") == dialog.login.staff_id
