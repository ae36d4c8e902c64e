"""Stories at a counter: opening, calling, the live timer, refusals, no-shows, transfers and parking."""

import pytest
from helpers.fixtures import at
from PySide6.QtCore import Qt
from sqlmodel import select

from counter_app.models import Counter, Service, Ticket
from counter_app.ui.common.backend import Backend
from counter_app.ui.counter import panels
from counter_app.ui.counter.window import CounterWindow
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo


@pytest.fixture
def backend(hall, clock):
    backend = Backend(hall, clock, refresh_ms=50)
    yield backend
    backend.stop()


@pytest.fixture
def window(qtbot, hall, clock, backend):
    """Wang Fang (S001) logged in at counter 1 (broadband, plan change, bill payment) at 09:00."""
    clock.set(at("09:00"))
    with hall.write() as session:
        login = counters.login(session, clock, counter_number=1, staff_no="S001", password=demo.DEMO_PASSWORD)
    win = CounterWindow(backend, login)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def issue(hall, clock, code="BB"):
    with hall.write() as session:
        return tickets.issue_ticket(session, clock, service_code=code)


def legs(hall, number):
    """Every leg of a customer's visit, oldest first, with its service code."""
    with hall.read() as session:
        rows = session.exec(select(Ticket, Service.code).join(Service).where(Ticket.number == number)
                            .order_by(Ticket.id)).all()
        return [(Ticket.model_validate(ticket.model_dump()), code) for ticket, code in rows]


def table_numbers(win):
    return [win.waiting_table.item(row, 0).text() for row in range(win.waiting_table.rowCount())]


def open_and_call(qtbot, win, hall, clock):
    click(qtbot, win.open_button)
    issue(hall, clock)
    win.refresh()
    click(qtbot, win.call_next_button)


def test_the_header_says_who_is_at_which_counter_and_that_it_is_closed(window):
    assert window.counter_label.text() == "Counter 1"
    assert "王芳" in window.staff_label.text() and "Clerk" in window.staff_label.text()
    assert window.state_label.text().startswith("Counter closed")
    assert window.open_button.isEnabled()
    assert not window.pause_button.isEnabled()
    assert not window.start_button.isEnabled()


def test_an_open_counter_sees_a_new_ticket_and_calls_it(qtbot, window, hall, clock):
    click(qtbot, window.open_button)
    assert window.state_label.text().startswith("Open for service")
    assert window.pause_button.isEnabled() and not window.open_button.isEnabled()

    issue(hall, clock)  # taken at the kiosk: the counter hears of it through the store
    qtbot.waitUntil(lambda: table_numbers(window) == ["A001"], timeout=1000)
    assert window.waiting_table.item(0, 1).text() == "Broadband renewal"

    clock.set(at("09:04"))
    click(qtbot, window.call_next_button)

    assert window.current_label.text() == "A001"
    assert window.timer_label.text() == "Waited 4 min 0 s · called 0 s ago"
    assert window.state_label.text() == "Serving a customer"
    assert table_numbers(window) == []
    assert window.message_bar.text() == "Calling A001."
    clock.advance(seconds=30)
    window.tick_timer.timeout.emit()
    assert window.timer_label.text() == "Waited 4 min 0 s · called 30 s ago"


def test_the_service_timer_runs_against_the_target_and_finishing_records_the_times(qtbot, window, hall, clock):
    open_and_call(qtbot, window, hall, clock)
    click(qtbot, window.start_button)
    assert window.timer_label.text() == "In service 0 s / target 10 min"

    clock.advance(minutes=3)
    window.tick_timer.timeout.emit()
    assert window.timer_label.text() == "In service 3 min 0 s / target 10 min"

    clock.advance(minutes=8)
    window.tick_timer.timeout.emit()
    assert window.timer_label.text() == "In service 11 min 0 s / target 10 min"
    assert "Over the service target by 1 min 0 s" in window.current_panel.note_label.text()

    click(qtbot, window.finish_button)
    (ticket, _code), = legs(hall, "A001")
    assert ticket.started_at == at("09:00") and ticket.finished_at == at("09:11")
    assert ticket.outcome == "served"
    assert window.current_label.text() == "—"
    assert window.call_next_button.isEnabled()


def test_calling_at_a_paused_counter_is_refused_and_changes_nothing(qtbot, window, hall, clock):
    click(qtbot, window.open_button)
    issue(hall, clock)
    click(qtbot, window.pause_button)
    assert window.state_label.text().startswith("Service paused")

    click(qtbot, window.call_next_button)

    assert window.message_bar.kind == "error"
    assert window.message_bar.text() == "Counter 1 is paused: resume service before calling."
    (ticket, _code), = legs(hall, "A001")
    assert ticket.state == "waiting" and ticket.called_at is None
    assert window.current_label.text() == "—"
    # the window stays usable: reopen and call
    click(qtbot, window.open_button)
    click(qtbot, window.call_next_button)
    assert window.current_label.text() == "A001"


def test_no_show_is_possible_only_after_the_customer_was_recalled(qtbot, window, hall, clock):
    open_and_call(qtbot, window, hall, clock)
    assert not window.no_show_button.isEnabled()
    assert "Recall 1 time(s)" in window.no_show_button.toolTip()

    clock.advance(minutes=1)
    click(qtbot, window.recall_button)
    assert window.no_show_button.isEnabled()
    assert "Recalled 1 time(s)." in window.current_panel.note_label.text()

    asked = []
    window.confirm = lambda question: asked.append(question) or False  # the clerk thinks again
    click(qtbot, window.no_show_button)
    assert asked == ["Record A001 as a no-show? The customer loses their place in the queue."]
    assert legs(hall, "A001")[0][0].outcome is None, "nothing is recorded without a yes"
    window.confirm = lambda question: True
    click(qtbot, window.no_show_button)
    (ticket, _code), = legs(hall, "A001")
    assert ticket.outcome == "no_show" and ticket.recall_count == 1
    assert window.current_label.text() == "—"


def test_a_transfer_to_plan_change_keeps_the_number_and_the_place_in_the_queue(qtbot, window, hall, clock,
                                                                                 monkeypatch):
    open_and_call(qtbot, window, hall, clock)
    click(qtbot, window.start_button)
    clock.advance(minutes=2)
    offered = []

    def choose_plan(parent, services, exclude):
        offered.extend(code for code, _names in services if code != exclude)
        return "PLAN"

    monkeypatch.setattr(panels.TransferDialog, "ask", staticmethod(choose_plan))
    click(qtbot, window.transfer_button)

    assert "BB" not in offered and "PLAN" in offered
    (first, first_code), (leg, leg_code) = legs(hall, "A001")
    assert (first_code, first.outcome) == ("BB", "transferred")
    assert (leg_code, leg.state) == ("PLAN", "waiting")
    assert leg.queue_at == first.queue_at == at("09:00")
    # counter 1 also serves plan changes, so the customer is back in its list, marked as transferred
    assert table_numbers(window) == ["A001"]
    assert window.waiting_table.item(0, 1).text() == "Mobile plan change (transferred)"


def test_a_parked_customer_waits_aside_and_is_resumed_later(qtbot, window, hall, clock):
    open_and_call(qtbot, window, hall, clock)
    issue(hall, clock)
    click(qtbot, window.start_button)
    click(qtbot, window.park_button)
    assert window.current_label.text() == "—"
    assert window.parked_list.count() == 1 and window.parked_list.item(0).text().startswith("A001")
    assert not window.resume_button.isEnabled() or window.workspace.current is None

    click(qtbot, window.call_next_button)
    assert window.current_label.text() == "A002"
    assert not window.resume_button.isEnabled()  # the counter is busy with A002
    click(qtbot, window.start_button)
    click(qtbot, window.finish_button)

    window.parked_list.setCurrentRow(0)
    click(qtbot, window.resume_button)
    assert window.current_label.text() == "A001"
    assert window.current_panel.state_label.text() == "Being served"
    assert window.parked_list.count() == 0


def test_the_waiting_list_is_in_calling_order_and_counts_customers_of_other_services(qtbot, window, hall, clock):
    click(qtbot, window.open_button)
    issue(hall, clock, "BB")
    clock.advance(minutes=1)
    issue(hall, clock, "NEW")  # counter 1 does not serve new lines
    clock.advance(minutes=1)
    issue(hall, clock, "BILL")
    clock.advance(minutes=16)
    window.refresh()

    assert table_numbers(window) == ["A001", "C001"]
    assert window.waiting_table.item(0, 3).text() == "18:00 over target"  # broadband's wait target is 15
    assert window.waiting_table.item(1, 3).text() == "16:00 over target"  # bill payment's is 10
    assert window.waiting_panel.other_label.text() == "1 more waiting for services this counter does not serve."

    window.waiting_table.selectRow(1)
    window.tick_timer.timeout.emit()  # the 1 s refresh keeps the clerk's selection
    assert window.waiting_panel.selected_ticket_id() is not None
    click(qtbot, window.call_selected_button)
    assert window.current_label.text() == "C001"
    assert table_numbers(window) == ["A001"]


def test_double_clicking_a_row_calls_that_customer_out_of_turn(qtbot, window, hall, clock):
    click(qtbot, window.open_button)
    issue(hall, clock)
    issue(hall, clock)
    window.refresh()
    window.waiting_table.cellDoubleClicked.emit(1, 0)
    assert window.current_label.text() == "A002"


def test_the_counter_closes_only_when_free_and_logging_out_frees_it(qtbot, window, hall, clock):
    open_and_call(qtbot, window, hall, clock)
    assert not window.close_button.isEnabled() and not window.logout_button.isEnabled()
    click(qtbot, window.start_button)
    click(qtbot, window.finish_button)

    with qtbot.waitSignal(window.logged_out, timeout=1000) as blocker:
        click(qtbot, window.logout_button)
    assert blocker.args == [1]
    assert not window.isVisible()
    with hall.read() as session:
        counter = session.exec(select(Counter).where(Counter.number == 1)).one()
        assert counter.staff_id is None and counter.state == "closed"


def test_a_clerk_replaced_at_the_counter_is_told_and_can_no_longer_act(qtbot, window, hall, clock):
    with hall.write() as session:  # another clerk logs in at counter 1 from another PC
        counters.login(session, clock, counter_number=1, staff_no="S004", password=demo.DEMO_PASSWORD)
    # seen at the latest on the window's own 1 s refresh
    qtbot.waitUntil(lambda: "no longer logged in" in window.message_bar.text(), timeout=2000)
    assert not window.open_button.isEnabled()
    assert not window.call_next_button.isEnabled()
    assert window.logout_button.isEnabled()


def test_the_buttons_stay_put_when_a_message_or_the_prompt_comes_and_goes(qtbot, window):
    from PySide6.QtCore import QPoint

    buttons = [window.call_next_button, window.recall_button, window.start_button, window.finish_button,
               window.no_show_button, window.park_button, window.transfer_button]

    def places():
        qtbot.wait(30)  # the layout settles
        return [button.mapTo(window, QPoint(0, 0)) for button in buttons]

    before = places()
    window.message_bar.show_message("Counter 1 still has A001: finish, park or transfer it first. " * 3, "error")
    window.explain_banner.show()
    assert places() == before
    window.message_bar.clear_message()
    window.explain_banner.hide()
    assert places() == before


def test_the_clerk_gives_an_elderly_customer_priority_and_the_list_shows_them_first(qtbot, window, hall, clock,
                                                                                      monkeypatch):
    click(qtbot, window.open_button)
    for _ in range(3):
        issue(hall, clock, "BB")
        clock.advance(minutes=1)
    window.refresh()
    assert table_numbers(window) == ["A001", "A002", "A003"]
    assert not window.waiting_panel.priority_button.isEnabled()  # nobody chosen yet

    window.waiting_table.selectRow(2)
    monkeypatch.setattr(window, "ask_priority_reason", lambda: "elderly")
    click(qtbot, window.waiting_panel.priority_button)
    window.refresh()

    assert table_numbers(window) == ["A003", "A001", "A002"]
    assert window.waiting_table.item(0, 2).text() == "Priority 1"
    assert window.message_bar.text() == "A003 is called before the others (Elderly customer)."
    click(qtbot, window.call_next_button)
    assert window.current_label.text() == "A003"
