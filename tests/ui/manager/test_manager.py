"""Stories of the duty manager: signing in, the escalation inbox, approvals, alerts and the hall at a glance."""

import pytest
from helpers.fixtures import at, open_counter, staff_id
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlmodel import select

from counter_app.models.oversight import Escalation, ExceptionApproval
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.launcher import Launcher
from counter_app.ui.manager.dialogs import ApproveDialog, ManagerSignInDialog, ResolveDialog
from counter_app.ui.manager.window import ManagerWindow
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import duty, escalation
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo

CUSTOMER = "13812345678"
COUNTERS, QUEUES, ESCALATIONS, ALERTS, APPROVALS = "counters", "queues", "escalations", "alerts", "approvals"


@pytest.fixture
def backend(hall, clock):
    clock.set(at("09:00"))
    backend = Backend(hall, clock, refresh_ms=50, evaluate_ms=0)
    yield backend
    backend.stop()


@pytest.fixture
def window(qtbot, hall, clock, backend):
    """陈刚 (M001), the duty manager, signed in at 09:00."""
    with hall.write() as session:
        login = duty.manager_sign_in(session, clock, staff_no="M001", password=demo.DEMO_PASSWORD)
    win = ManagerWindow(backend, login)
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    return win


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def column(win, panel, index):
    return getattr(win, f"{panel}_panel").table.column_texts(index)


def serve(hall, clock, counter, staff_no, code="BB", customer_ref=None):
    """A clerk opens a counter, a customer takes a ticket and is served there; returns (staff id, number)."""
    clerk = open_counter(hall, clock, counter, staff_no)
    with hall.write() as session:
        number = tickets.issue_ticket(session, clock, service_code=code, customer_ref=customer_ref).number
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=counter, staff_id=clerk)
    with hall.write() as session:
        tickets.start_service(session, clock, counter_number=counter, staff_id=clerk)
    return clerk, number


def trainee_asks_for_help(hall, clock):
    """李明 (S002, trainee) at counter 2 finds an old arrears flag and presses Help at 09:08."""
    trainee, number = serve(hall, clock, 2, "S002", customer_ref=CUSTOMER)
    clock.set(at("09:08"))
    with hall.write() as session:
        escalation.request_help(session, clock, counter_number=2, staff_id=trainee, route="manager",
                                reason="2010 arrears flag on the account")
    return trainee, number


def the_escalation(hall):
    with hall.read() as session:
        return session.exec(select(Escalation)).one()


def test_a_clerk_cannot_sign_in_as_duty_manager(qtbot, backend):
    dialog = ManagerSignInDialog(backend)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText("S001")
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    click(qtbot, dialog.sign_in_button)
    assert dialog.login is None and dialog.result() != QDialog.DialogCode.Accepted
    assert "Only a duty manager" in dialog.message_bar.text()
    assert dialog.staff_edit.text() == "S001" and dialog.password_edit.text() == ""

    dialog.staff_edit.setText("M001")
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    click(qtbot, dialog.sign_in_button)
    assert dialog.login is not None and dialog.login.staff_no == "M001"


def test_a_trainees_help_request_reaches_the_manager_within_a_second_and_is_accepted(qtbot, hall, clock, window):
    assert window.escalations_panel.table.rowCount() == 0
    _trainee, number = trainee_asks_for_help(hall, clock)

    qtbot.waitUntil(lambda: number in column(window, ESCALATIONS, 0), timeout=1000)
    assert column(window, ESCALATIONS, 2) == ["李明"]
    assert column(window, ESCALATIONS, 4) == ["requested"]
    assert "asked for help" in window.escalations_panel.steps_label.text()
    clock.set(at("09:10:30"))
    window.refresh()
    assert column(window, ESCALATIONS, 5) == ["02:30"]  # its age runs

    click(qtbot, window.escalations_panel.accept_button)
    assert column(window, ESCALATIONS, 4) == ["accepted"]
    assert the_escalation(hall).accepted_by == staff_id(hall, "M001")
    assert "go to counter 2" in window.message_bar.text()
    assert not window.escalations_panel.accept_button.isEnabled()


def test_an_approval_with_a_wrong_password_saves_nothing_and_the_right_one_stays_on_the_customer(
        qtbot, hall, clock, backend, window):
    trainee, number = trainee_asks_for_help(hall, clock)
    qtbot.waitUntil(lambda: number in column(window, ESCALATIONS, 0), timeout=1000)
    click(qtbot, window.escalations_panel.approve_button)
    dialog = window.dialog
    assert isinstance(dialog, ApproveDialog) and dialog.isVisible()
    assert dialog.customer_edit.text() == CUSTOMER  # from the customer's ticket

    dialog.select_kind("arrears_settled")
    dialog.reason_edit.setPlainText("Settled in 2010 by the duty manager; the flag was never removed.")
    dialog.explanation_edit.setPlainText("您2010年的欠费早已结清，系统标记未清除，我们已为您处理。")
    dialog.remedy_edit.setText("flag removed")
    dialog.staff_edit.setText("M001")
    dialog.password_edit.setText("wrong")
    click(qtbot, dialog.approve_button)
    assert dialog.isVisible() and dialog.message_bar.kind == "error"
    assert dialog.reason_edit.toPlainText().startswith("Settled in 2010")
    assert dialog.password_edit.text() == ""
    with hall.read() as session:
        assert session.exec(select(ExceptionApproval)).all() == []

    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    click(qtbot, dialog.approve_button)
    assert not dialog.isVisible() and dialog.approval is not None
    with hall.read() as session:
        approval = session.exec(select(ExceptionApproval)).one()
        assert (approval.approved_by, approval.requested_by) == (staff_id(hall, "M001"), trainee)
        assert approval.escalation_id == the_escalation(hall).id and approval.kind == "arrears_settled"
    assert column(window, APPROVALS, 1) == ["138****5678"]  # the screen masks the mobile, as paper does
    assert column(window, APPROVALS, 2) == ["Old arrears already settled"]

    # The next clerk who opens this customer sees who approved what.
    with hall.read() as session:
        card = records.card(session, records.find(session, CUSTOMER))
    assert [(e.kind, e.approved_by, e.requested_by) for e in card.exceptions] == [("arrears_settled", "陈刚", "李明")]


def test_resolving_needs_an_explanation_for_the_customer_and_keeps_what_was_typed(qtbot, hall, clock, window):
    _trainee, number = trainee_asks_for_help(hall, clock)
    qtbot.waitUntil(lambda: number in column(window, ESCALATIONS, 0), timeout=1000)
    click(qtbot, window.escalations_panel.resolve_button)
    dialog = window.dialog
    assert isinstance(dialog, ResolveDialog)
    dialog.note_edit.setPlainText("Approved the settled arrears; the trainee finished the renewal.")
    click(qtbot, dialog.resolve_button)
    assert dialog.isVisible()
    assert "explanation for the customer" in dialog.message_bar.text()
    assert dialog.note_edit.toPlainText().startswith("Approved the settled arrears")
    assert the_escalation(hall).state == "requested"

    dialog.explanation_edit.setPlainText("系统中的旧欠费标记有误，已由值班经理核实处理，耽误您的时间，非常抱歉。")
    click(qtbot, dialog.resolve_button)
    assert not dialog.isVisible()
    resolved = the_escalation(hall)
    assert resolved.state == "resolved" and resolved.resolved_by == staff_id(hall, "M001")
    assert resolved.customer_explanation.startswith("系统中的旧欠费标记有误")
    assert window.escalations_panel.table.rowCount() == 0
    assert "resolved" in window.message_bar.text()


def test_an_idle_counter_alert_appears_and_is_acknowledged(qtbot, hall, clock, backend, window):
    open_counter(hall, clock, 1, "S001")
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    clock.set(at("09:04"))
    backend.evaluate_alerts()
    qtbot.waitUntil(lambda: "Idle counter" in column(window, ALERTS, 0), timeout=1000)
    text = column(window, ALERTS, 1)[column(window, ALERTS, 0).index("Idle counter")]
    assert text.startswith("Counter 1 is idle while 1 customer(s) wait")
    assert column(window, ALERTS, 4) == ["not yet"]

    window.alerts_panel.table.selectRow(0)
    click(qtbot, window.alerts_panel.acknowledge_button)
    assert column(window, ALERTS, 4) == ["✓ 陈刚"]
    assert not window.alerts_panel.acknowledge_button.isEnabled()


def test_the_counters_table_says_over_target_for_a_breached_service(qtbot, hall, clock, window):
    serve(hall, clock, 4, "S004", code="BILL")  # bill payment: a 5-minute service target
    clock.set(at("09:03"))
    window.refresh()
    row = column(window, COUNTERS, 0).index("4")
    assert column(window, COUNTERS, 1)[row] == "Serving a customer"
    assert column(window, COUNTERS, 2)[row] == "赵静"
    assert column(window, COUNTERS, 5)[row] == "on time"
    clock.set(at("09:04"))
    window.refresh()
    assert column(window, COUNTERS, 5)[row] == "warning"
    clock.set(at("09:06"))
    window.refresh()
    assert column(window, COUNTERS, 4)[row] == "06:00 / 5 min"
    assert column(window, COUNTERS, 5)[row] == "over target"


def test_the_queue_per_service_shows_the_oldest_wait_against_its_target(qtbot, hall, clock, window):
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BILL")
    clock.set(at("09:11"))
    window.refresh()
    services = column(window, QUEUES, 0)
    bill = services.index("Bill payment")
    assert column(window, QUEUES, 1)[bill] == "1"
    assert column(window, QUEUES, 2)[bill] == "11:00 / 10 min"
    assert column(window, QUEUES, 3)[bill] == "over target"
    assert column(window, QUEUES, 2)[services.index("New line")] == "—"


def test_a_free_senior_clerk_is_listed_as_a_helper(qtbot, hall, clock, window):
    open_counter(hall, clock, 3, "S003")
    window.refresh()
    assert ("张伟", "Senior clerk", "free") in zip(column(window, "helpers", 0), column(window, "helpers", 1),
                                                  column(window, "helpers", 3), strict=True)


def test_signing_out_ends_the_duty_and_the_launcher_asks_for_the_next_manager(qtbot, hall, backend, tmp_path,
                                                                              monkeypatch):
    answers = ["M001", None]

    def play(dialog):
        staff_no = answers.pop(0)
        if staff_no is None:
            dialog.reject()
        else:
            dialog.staff_edit.setText(staff_no)
            dialog.password_edit.setText(demo.DEMO_PASSWORD)
            dialog.sign_in_button.click()
        return dialog.result()

    monkeypatch.setattr(ManagerSignInDialog, "exec", play)
    launcher = Launcher(backend, Settings(tmp_path / "settings.json"), fullscreen=False)
    win = launcher.open_role("manager")
    assert isinstance(win, ManagerWindow) and win.isVisible() and win.width() == 1440
    click(qtbot, win.sign_out_button)
    with hall.read() as session:
        assert [h.name for h in duty.helpers(session, backend.clock)] == []
    # Nobody signs in next: the chooser is shown, never an empty screen.
    qtbot.waitUntil(lambda: any(type(w).__name__ == "RoleChooser" and w.isVisible() for w in launcher.windows),
                    timeout=1000)
    for window in list(launcher.windows):
        window.close()


def test_the_manager_opens_the_reports_from_the_window(qtbot, window):
    from counter_app.ui.reports.window import ReportsWindow

    click(qtbot, window.reports_button)
    reports = window.reports_window
    qtbot.addWidget(reports)
    assert isinstance(reports, ReportsWindow) and reports.isVisible()
    reports.close()
