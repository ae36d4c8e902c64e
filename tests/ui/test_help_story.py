"""F4-F6 across two PCs: a trainee presses Help, the duty manager sees it and approves, the counter shows it."""

import pytest
from helpers.fixtures import at
from PySide6.QtCore import Qt

from counter_app.models.db import Store
from counter_app.ui.common.backend import Backend
from counter_app.ui.counter.window import CounterWindow
from counter_app.ui.manager.window import ManagerWindow
from counter_app.workflows.oversight import duty
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo

CUSTOMER = "13812341234"


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def two_pcs(qtbot, hall, clock):
    """The trainee's counter and the duty manager's window, each with its own engine on the one store."""
    backends = [Backend(Store(hall.url), clock, refresh_ms=50, evaluate_ms=0) for _ in range(2)]
    clock.set(at("09:00"))
    with hall.write() as session:
        trainee = counters.login(session, clock, counter_number=2, staff_no="S002", password=demo.DEMO_PASSWORD)
        counters.open_counter(session, clock, counter_number=2, staff_id=trainee.staff_id)
        manager = duty.manager_sign_in(session, clock, staff_no="M001", password=demo.DEMO_PASSWORD)
    counter = CounterWindow(backends[0], trainee)
    office = ManagerWindow(backends[1], manager)
    for window in (counter, office):
        qtbot.addWidget(window)
        window.resize(1366, 900)
        window.show()
    yield counter, office
    for backend in backends:
        backend.stop()
        backend.store.dispose()


def test_help_reaches_the_duty_manager_whose_approval_the_counter_then_shows(qtbot, hall, clock, two_pcs):
    counter, office = two_pcs

    # The customer of the seed renews broadband with the trainee, who identifies him by his mobile.
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    counter.refresh()
    click(qtbot, counter.call_next_button)
    click(qtbot, counter.start_button)
    click(qtbot, counter.customer_button)
    counter.customer_dialog.ref_edit.setText(CUSTOMER)
    click(qtbot, counter.customer_dialog.ok_button)
    assert not counter.customer_panel.exceptions_box.isVisible()  # nothing approved for him yet

    # An old arrears flag blocks the renewal: the trainee presses Help and asks the duty manager.
    clock.set(at("09:06"))
    click(qtbot, counter.help_button)
    counter.help_dialog.route_buttons["manager"].setChecked(True)
    counter.help_dialog.reason_edit.setText("2010年欠费标记，无法续费")
    click(qtbot, counter.help_dialog.ok_button)

    # Within a second the request is in the manager's inbox on the other PC.
    table = office.escalations_panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 0).text() == "A001", timeout=1000)
    click(qtbot, office.escalations_panel.accept_button)

    # The manager approves with his own credential, a reason and the words the customer will read.
    click(qtbot, office.escalations_panel.approve_button)
    dialog = office.dialog
    assert dialog.customer_edit.text() == CUSTOMER
    dialog.select_kind("arrears_settled")
    dialog.reason_edit.setPlainText("The 2010 arrears were settled in 2010; the flag was never cleared.")
    dialog.explanation_edit.setPlainText("您2010年的欠费早已结清，系统标记未清除，我们已为您处理。")
    dialog.staff_edit.setText("M001")
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    click(qtbot, dialog.approve_button)
    assert dialog.approval is not None

    # The trainee's counter shows the approval on the customer at once: who approved, and why.
    panel = counter.customer_panel
    qtbot.waitUntil(lambda: panel.exceptions_box.isVisible(), timeout=2000)
    text = panel.exceptions_label.text()
    assert "陈刚" in text and "2010 arrears were settled" in text
