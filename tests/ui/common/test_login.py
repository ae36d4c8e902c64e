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


def test_a_clerk_whose_password_an_administrator_set_chooses_their_own_and_is_logged_in(qtbot, hall, backend,
                                                                                        monkeypatch):
    from counter_app.errors import AppError
    from counter_app.ui.common import login
    from counter_app.workflows.admin import staff
    from counter_app.workflows.core import auth

    with hall.write() as session:
        staff.set_password(session, backend.clock, staff_no="S002", password="5555", admin_no="A001",
                           admin_password=demo.DEMO_PASSWORD)
    asked = []

    def choose(self):  # the person types a mismatch first, then the same new password twice
        asked.append(self.staff_no)
        self.new_edit.setText("9090")
        self.again_edit.setText("9091")
        self._on_ok()
        assert "differ" in self.message_bar.text() and self.result() != QDialog.DialogCode.Accepted
        self.again_edit.setText("9090")
        self._on_ok()
        return self.result()

    monkeypatch.setattr(login.ChangePasswordDialog, "exec", choose)
    dialog = make_dialog(qtbot, backend, counter_number=2)
    fill(dialog, "S002", "5555")
    dialog.login_button.click()
    assert asked == ["S002"] and dialog.result() == QDialog.DialogCode.Accepted
    assert held_by(hall, 2) == staff_id(hall, "S002")
    with hall.write() as session:
        assert auth.authenticate(session, staff_no="S002", password="9090").password_must_change is False
    with hall.write() as session, pytest.raises(AppError, match="Wrong staff number or password"):
        auth.authenticate(session, staff_no="S002", password="5555")
