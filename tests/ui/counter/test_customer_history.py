"""A clerk looks a returning customer up and sees the approved exception at the top of the history; the full
details show only when the clerk asks and says why, and each such view is logged."""

import datetime as dt

import pytest
from helpers.fixtures import DAY, at, open_counter, staff_id
from helpers.story import act, events
from PySide6.QtCore import Qt

from counter_app.models.oversight import Customer
from counter_app.ui.counter.window import CounterWindow
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import approvals
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo

PHONE = "13800138000"


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def earlier_visit(hall, clock):
    """The day before: the customer was served at counter 1, identified by mobile, and the duty manager waived a fee."""
    clock.set(at("10:00"))
    clerk = staff_id(hall, "S001")
    open_counter(hall, clock, 1, "S001")
    ticket = act(hall, clock, tickets.issue_ticket, service_code="BB")
    clock.advance(minutes=4)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    with hall.write() as session:
        customer = records.open_customer(session, clock, counter_number=1, staff_id=clerk, ref=PHONE, name="王小明")
        records.attach(session, session.get(Customer, customer.customer_id), "88001234", clock.now())
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.advance(minutes=5)
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    act(hall, clock, approvals.approve_exception, manager_staff_no="M001", manager_password=demo.DEMO_PASSWORD,
        kind="fee_waiver", reason="Billing error last month", customer_explanation="The fee is waived.",
        ticket_id=ticket.ticket_id)
    act(hall, clock, counters.logout, counter_number=1, staff_id=clerk)


@pytest.fixture
def window(qtbot, hall, clock, backend):
    earlier_visit(hall, clock)
    clock.set(at("09:00", DAY + dt.timedelta(days=1)))
    with hall.write() as session:
        login = counters.login(session, clock, counter_number=2, staff_no="S002", password=demo.DEMO_PASSWORD)
        counters.open_counter(session, clock, counter_number=2, staff_id=login.staff_id)
        tickets.issue_ticket(session, clock, service_code="BB")
    win = CounterWindow(backend, login)
    qtbot.addWidget(win)
    win.resize(1280, 900)
    win.show()
    click(qtbot, win.call_next_button)
    return win


def test_the_returning_customer_is_found_by_mobile_and_the_exception_tops_the_history(qtbot, window, hall):
    click(qtbot, window.customer_button)
    window.customer_dialog.ref_edit.setText("138 0013 8000")
    click(qtbot, window.customer_dialog.ok_button)

    panel = window.customer_panel
    assert panel.isVisible() and panel.exceptions_box.isVisible()
    assert panel.history_list.kinds() == ["exception", "visit", "visit"]  # today's visit, then the day before
    top = panel.history_list.item(0).text()
    assert top.startswith("Approved exception: Fee waiver — approved by 陈刚")
    assert "陈刚" in top and "Billing error last month" in top
    visit = panel.history_list.item(2).text()
    assert "waited 04:00" in visit and "served in 05:00" in visit and "Broadband renewal" in visit
    # The screen the customer may see is masked: name, mobile and account.
    details = panel.details_label.text()
    assert "王**" in details and "138****8000" in details and "****1234" in details
    assert "王小明" not in details and PHONE not in details and "88001234" not in details
    assert events(hall, "customer_details_viewed") == []


def test_the_id_cards_last_4_gives_a_list_to_choose_from(qtbot, window, hall, clock):
    with hall.write() as session:
        for ref, last4 in ((PHONE, "002X"), ("13900139000", "002X")):
            customer = records.find_or_create(session, clock.now(), ref, "李华")
            customer.id_last4 = last4
    click(qtbot, window.customer_button)
    dialog = window.customer_dialog
    dialog.ref_edit.setText("002x")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.candidates_list.count() == 2
    assert all("**************002X" in dialog.candidates_list.item(i).text() for i in range(2))
    assert PHONE not in dialog.candidates_list.item(0).text()
    dialog.candidates_list.setCurrentRow(0)
    click(qtbot, dialog.choose_button)
    assert not dialog.isVisible() and window.customer_panel.isVisible()


def test_full_details_show_only_on_demand_with_a_reason_and_each_view_is_logged(qtbot, window, hall):
    click(qtbot, window.customer_button)
    window.customer_dialog.ref_edit.setText(PHONE)
    click(qtbot, window.customer_dialog.ok_button)

    click(qtbot, window.customer_panel.full_details_button)
    dialog = window.details_dialog
    assert dialog.isVisible() and "This view is logged" in dialog.notice_label.text()
    assert not dialog.details_box.isVisible()
    click(qtbot, dialog.show_button)  # no reason: refused, nothing shown, nothing logged
    assert dialog.message_bar.kind == "error" and not dialog.details_box.isVisible()
    assert events(hall, "customer_details_viewed") == []

    dialog.why_edit.setText("The customer asks which mobile we have")
    click(qtbot, dialog.show_button)
    assert dialog.details_box.isVisible()
    shown = dialog.shown_text()
    assert "王小明" in shown and PHONE in shown and "88001234" in shown
    [viewed] = events(hall, "customer_details_viewed")
    assert viewed.staff_id == staff_id(hall, "S002")
    assert "王小明" not in window.customer_panel.details_label.text()  # the counter screen stays masked
