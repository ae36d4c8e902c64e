"""Stories at a counter when time runs over: levels, the prompt to explain, help, the customer's record, causes."""

import pytest
from helpers.fixtures import at, open_counter, staff_id
from PySide6.QtCore import Qt
from sqlmodel import select

from counter_app.models import Escalation, Ticket
from counter_app.ui.counter.window import CounterWindow
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import approvals
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo


@pytest.fixture
def counter_window(qtbot, hall, clock, backend):
    """Log a demo staff member in at a counter and open their window (counter opened for service)."""
    clock.set(at("09:00"))

    def make(number: int, staff_no: str) -> CounterWindow:
        with hall.write() as session:
            login = counters.login(session, clock, counter_number=number, staff_no=staff_no,
                                   password=demo.DEMO_PASSWORD)
        with hall.write() as session:
            counters.open_counter(session, clock, counter_number=number, staff_id=login.staff_id)
        win = CounterWindow(backend, login)
        qtbot.addWidget(win)
        win.resize(1280, 860)
        win.show()
        return win

    return make


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tick(win, clock, **delta):
    clock.advance(**delta)
    win.tick_timer.timeout.emit()


def serve_a_customer(qtbot, win, hall, clock, code="BB"):
    """A customer takes a ticket, is called and the service starts."""
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code=code)
    win.refresh()
    click(qtbot, win.call_next_button)
    click(qtbot, win.start_button)


def escalations(hall):
    with hall.read() as session:
        return [Escalation.model_validate(e.model_dump()) for e in session.exec(select(Escalation))]


def ticket(hall, number):
    with hall.read() as session:
        row = session.exec(select(Ticket).where(Ticket.number == number)).one()
        return Ticket.model_validate(row.model_dump())


def test_waits_and_the_service_show_their_level_in_words_and_colour(qtbot, counter_window, hall, clock):
    win = counter_window(1, "S001")
    for code in ("BB", "BILL"):
        with hall.write() as session:
            tickets.issue_ticket(session, clock, service_code=code)
    tick(win, clock, minutes=8)  # bill payment's wait target is 10: its warning mark is at 7:30

    assert win.waiting_table.item(0, 3).text() == "08:00 on time"
    assert win.waiting_table.item(1, 3).text() == "08:00 warning"
    assert win.waiting_table.item(1, 3).data(Qt.ItemDataRole.UserRole) == "warning"
    tick(win, clock, minutes=3)
    assert win.waiting_table.item(1, 3).text() == "11:00 over target"

    win.waiting_table.selectRow(1)
    click(qtbot, win.call_selected_button)  # the bill payment, out of turn: its wait is over target
    assert win.current_label.text() == "C001"
    assert win.current_panel.level_label.text() == "Wait: over target"
    click(qtbot, win.start_button)
    assert win.current_panel.level_label.text() == "Service: on time"


def test_the_prompt_to_explain_appears_at_the_warning_mark_and_not_before(qtbot, counter_window, hall, clock):
    win = counter_window(2, "S002")  # Li Ming, a trainee
    serve_a_customer(qtbot, win, hall, clock)  # broadband renewal: service target 10 minutes

    tick(win, clock, minutes=7, seconds=29)
    assert not win.explain_banner.isVisible()
    assert win.current_panel.level_label.text() == "Service: on time"

    tick(win, clock, seconds=1)  # 7:30 is 75 % of the target
    assert win.explain_banner.isVisible()
    assert win.explain_banner.title_label.text() == "Tell the customer what is happening"
    assert "checking your broadband account" in win.explain_banner.script_label.text()
    assert not win.explain_banner.strong
    assert win.current_panel.level_label.text() == "Service: warning"

    # the customer reads Chinese: the sentence follows, the screen stays in English
    win.explain_banner.language_combo.setCurrentIndex(win.explain_banner.language_combo.findData("zh_CN"))
    assert "宽带" in win.explain_banner.script_label.text()
    assert win.explain_banner.told_button.text() == "I have told the customer"


def test_telling_the_customer_is_recorded_and_the_prompt_returns_stronger_at_the_target(qtbot, counter_window,
                                                                                       hall, clock):
    win = counter_window(2, "S002")
    serve_a_customer(qtbot, win, hall, clock)
    tick(win, clock, minutes=8)

    click(qtbot, win.explain_banner.told_button)

    assert ticket(hall, "A001").customer_told_at == at("09:08")
    assert not win.explain_banner.isVisible()
    tick(win, clock, minutes=1)
    assert not win.explain_banner.isVisible()

    tick(win, clock, minutes=1)  # 10:00: the target is reached
    assert win.explain_banner.isVisible() and win.explain_banner.strong
    assert "over the service target" in win.explain_banner.detail_label.text()
    click(qtbot, win.explain_banner.told_button)
    assert ticket(hall, "A001").customer_told_at == at("09:10")
    assert not win.explain_banner.isVisible()


def test_a_trainee_asks_their_mentor_and_a_senior_at_counter_3_accepts(qtbot, counter_window, hall, clock):
    trainee = counter_window(2, "S002")
    serve_a_customer(qtbot, trainee, hall, clock)
    clock.advance(minutes=3)

    click(qtbot, trainee.help_button)
    dialog = trainee.help_dialog
    assert dialog.isVisible()
    assert dialog.route_buttons["mentor"].text() == "My mentor: 张伟"
    dialog.route_buttons["mentor"].setChecked(True)
    dialog.reason_edit.setText("Arrears flag on a paid account")
    click(qtbot, dialog.ok_button)

    (request,) = escalations(hall)
    assert (request.route, request.reason, request.state) == ("mentor", "Arrears flag on a paid account", "requested")
    assert request.requested_by == staff_id(hall, "S002")
    assert trainee.help_strip.isVisible()
    assert trainee.help_strip.state_label.text() == "Help for A001: requested · 00:00"
    assert not trainee.help_button.isEnabled()  # one open request per customer

    senior = counter_window(3, "S003")  # Zhang Wei, the mentor
    assert senior.inbox_button.isVisible() and senior.inbox_button.text() == "Help requests: 1"
    click(qtbot, senior.inbox_button)
    inbox = senior.inbox_dialog
    assert [inbox.table.item(0, col).text() for col in (0, 1, 2)] == ["A001", "2", "李明"]
    click(qtbot, inbox.accept_button)

    (request,) = escalations(hall)
    assert (request.state, request.accepted_by) == ("accepted", staff_id(hall, "S003"))
    clock.advance(minutes=1)
    trainee.refresh()
    assert trainee.help_strip.state_label.text() == "Help for A001: accepted · 01:00"
    assert "accepted by 张伟" in trainee.help_strip.steps_label.text()


def test_resolving_without_an_explanation_for_the_customer_is_refused_in_the_dialog(qtbot, counter_window, hall,
                                                                                    clock):
    trainee = counter_window(2, "S002")
    serve_a_customer(qtbot, trainee, hall, clock)
    click(qtbot, trainee.help_button)
    click(qtbot, trainee.help_dialog.ok_button)
    senior = counter_window(3, "S003")
    click(qtbot, senior.inbox_button)
    inbox = senior.inbox_dialog
    click(qtbot, inbox.accept_button)

    click(qtbot, inbox.resolve_button)
    resolve = inbox.resolve_dialog
    resolve.note_edit.setPlainText("Cleared the old arrears flag with billing")
    click(qtbot, resolve.ok_button)

    assert resolve.isVisible()
    assert resolve.message_bar.text() == "Write the explanation for the customer before resolving."
    assert escalations(hall)[0].state == "accepted"

    resolve.explanation_edit.setPlainText("The old arrears were settled in 2021; the flag is removed.")
    click(qtbot, resolve.ok_button)
    assert not resolve.isVisible()
    assert escalations(hall)[0].state == "resolved"
    trainee.refresh()
    assert "Tell the customer: The old arrears were settled in 2021" in trainee.help_strip.steps_label.text()


def test_the_service_target_hands_the_request_to_the_duty_manager_and_the_counter_shows_it(qtbot, counter_window,
                                                                                          hall, clock, backend):
    win = counter_window(2, "S002")
    serve_a_customer(qtbot, win, hall, clock)
    tick(win, clock, minutes=10)
    backend.evaluate_alerts()
    win.refresh()

    assert win.help_strip.isVisible()
    assert "with the duty manager" in win.help_strip.state_label.text()
    assert "raised to the duty manager automatically" in win.help_strip.steps_label.text()


def test_an_ordinary_clerk_has_no_help_inbox(counter_window):
    assert not counter_window(1, "S001").inbox_button.isVisible()


def approve_arrears(hall, clock):
    open_counter(hall, clock, 4, "S004")  # the clerk who asks is signed in at a counter
    with hall.write() as session:
        approvals.approve_exception(
            session, clock, manager_staff_no="M001", manager_password=demo.DEMO_PASSWORD,
            requested_by=staff_id(hall, "S004"), kind="arrears_settled", customer_ref="13812341234",
            reason="Arrears of 2019 were paid in cash at this hall",
            customer_explanation="Your old arrears are settled; nothing is owed.")


def test_opening_a_customer_shows_their_approved_exception_first(qtbot, counter_window, hall, clock):
    approve_arrears(hall, clock)  # at 09:00, by the duty manager on his own PC
    win = counter_window(1, "S001")
    clock.advance(minutes=20)
    serve_a_customer(qtbot, win, hall, clock)
    assert not win.customer_panel.isVisible()

    click(qtbot, win.customer_button)
    dialog = win.customer_dialog
    dialog.ref_edit.setText("13-8")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()  # too short for a mobile or an account: refused in the dialog
    assert "11-digit mobile" in dialog.message_bar.text()
    dialog.ref_edit.setText("138 1234 1234")
    click(qtbot, dialog.ok_button)

    panel = win.customer_panel
    assert panel.isVisible() and panel.exceptions_box.isVisible()
    assert panel.exceptions_title.text() == "Approved exceptions on record: 1"
    text = panel.exceptions_label.text()
    assert "Old arrears already settled — approved by 陈刚 on 2026-03-02 09:00" in text
    assert "Arrears of 2019 were paid in cash" in text and "nothing is owed" in text
    assert "138****1234" in panel.details_label.text() and "13812341234" not in panel.details_label.text()
    assert ticket(hall, "A001").customer_id is not None


def test_a_customer_identified_at_another_pc_shows_at_once(qtbot, counter_window, hall, clock):
    approve_arrears(hall, clock)
    win = counter_window(1, "S001")
    serve_a_customer(qtbot, win, hall, clock)
    with hall.write() as session:  # e.g. the clerk's second screen, or a colleague's PC
        records.open_customer(session, clock, counter_number=1, staff_id=staff_id(hall, "S001"),
                                ref="13812341234")
    qtbot.waitUntil(lambda: win.customer_panel.exceptions_box.isVisible(), timeout=2000)


def test_finishing_a_breached_visit_asks_for_its_cause_until_it_is_recorded(qtbot, counter_window, hall, clock):
    win = counter_window(2, "S002")
    serve_a_customer(qtbot, win, hall, clock)
    tick(win, clock, minutes=11)
    click(qtbot, win.finish_button)

    panel = win.cause_panel
    assert panel.isVisible()
    assert panel.question_label.text() == "A001 went over its target. What was the cause?"
    serve_a_customer(qtbot, win, hall, clock)  # the next customer does not make the question go away
    assert panel.isVisible() and panel.ticket_id == ticket(hall, "A001").id

    panel.cause_combo.setCurrentIndex(panel.cause_combo.findData("other"))
    click(qtbot, panel.record_button)
    assert win.message_bar.text() == "Say in a note what the other cause was."

    panel.cause_combo.setCurrentIndex(panel.cause_combo.findData("training"))
    panel.note_edit.setText("First arrears case on his own")
    click(qtbot, panel.record_button)

    first = ticket(hall, "A001")
    assert (first.breach_cause, first.breach_cause_note) == ("training", "First arrears case on his own")
    assert first.breach_cause_by == staff_id(hall, "S002")
    assert not panel.isVisible()
    assert win.message_bar.text() == "Cause recorded for A001."
