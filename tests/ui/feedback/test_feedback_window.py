"""Stories of the customer feedback screen at counter 1, and of a complaint recorded by staff."""

import pytest
from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, issue
from PySide6.QtCore import Qt
from sqlmodel import select

from counter_app.models import Feedback, FeedbackChannel
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.feedback.window import FeedbackWindow
from counter_app.ui.launcher import Launcher
from counter_app.ui.reports.complaint import ComplaintDialog
from counter_app.workflows.queue import tickets
from counter_app.workflows.reports import feedback


@pytest.fixture
def backend(hall, clock):
    clock.set(at("09:00"))
    backend = Backend(hall, clock, refresh_ms=50, evaluate_ms=0)
    yield backend
    backend.stop()


@pytest.fixture
def wang(hall, clock):
    """王芳 (S001) opens counter 1 at 09:00."""
    clock.set(at("09:00"))
    return open_counter(hall, clock, 1, "S001")


def serve(hall, clock, staff, *, code="BB", counter=1, minutes=4):
    """A customer takes a ticket and is served at the counter; returns the ticket id."""
    ticket_id = issue(hall, clock, code).ticket_id
    act(hall, clock, tickets.call_next, counter_number=counter, staff_id=staff)
    act(hall, clock, tickets.start_service, counter_number=counter, staff_id=staff)
    clock.advance(minutes=minutes)
    act(hall, clock, tickets.finish_service, counter_number=counter, staff_id=staff)
    return ticket_id


@pytest.fixture
def screen(qtbot, backend):
    win = FeedbackWindow(backend, counter_number=1)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def feedback_rows(hall):
    with hall.read() as session:
        return list(session.exec(select(Feedback).order_by(Feedback.id)))


def test_the_screen_waits_until_a_service_at_its_counter_is_finished(screen, hall, clock, wang):
    assert screen.page() == "idle"
    issue(hall, clock, "BB")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=wang)
    screen.refresh()
    assert screen.page() == "idle"  # the customer is still being served


def test_a_screen_set_up_for_counter_1_cannot_be_switched_to_another_counter(qtbot, backend, screen):
    assert not screen.counter_combo.isVisible()
    assert screen.counter_label.text() == "Counter 1" and screen.counter_number() == 1
    free = FeedbackWindow(backend)  # a screen started without a counter lets staff choose one
    qtbot.addWidget(free)
    free.show()
    assert free.counter_combo.isVisible() and free.counter_combo.count() > 1


def test_the_customer_rates_the_visit_just_finished_at_counter_1(qtbot, screen, hall, clock, wang):
    ticket_id = serve(hall, clock, wang)
    screen.refresh()
    assert screen.page() == "rate"
    assert screen.visit_label.text() == "Ticket A001 · Broadband renewal · served by 王芳 at counter 1"
    assert not screen.submit_button.isEnabled()

    screen.choose_rating(4)
    click(qtbot, screen.reason_buttons["well_served"])
    click(qtbot, screen.reason_buttons["wait_time"])  # one reason at most: the last touched
    qtbot.keyClicks(screen.comment_edit, "Quick and friendly")
    with qtbot.waitSignal(screen.feedback_recorded) as recorded:
        click(qtbot, screen.submit_button)

    assert recorded.args == [ticket_id]
    assert screen.page() == "thanks"
    [row] = feedback_rows(hall)
    assert (row.ticket_id, row.rating, row.reason, row.comment) == (ticket_id, 4, "wait_time", "Quick and friendly")
    assert (row.channel, row.staff_id) == (FeedbackChannel.FEEDBACK_WINDOW, wang)

    click(qtbot, screen.done_button)
    assert screen.page() == "idle"  # already rated: not offered again


def test_the_offer_is_withdrawn_when_the_next_customer_is_called(screen, hall, clock, wang):
    serve(hall, clock, wang)
    issue(hall, clock, "BB")
    screen.refresh()
    assert screen.page() == "rate"
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=wang)
    screen.refresh()
    assert screen.page() == "idle"


def test_a_customer_who_left_rates_later_with_the_reference_on_the_ticket(qtbot, screen, hall, clock, wang):
    ticket_id = serve(hall, clock, wang)
    clock.advance(minutes=30)  # long gone from the counter
    screen.refresh()
    assert screen.page() == "idle"

    click(qtbot, screen.reference_start_button)
    qtbot.keyClicks(screen.reference_edit, "20260302-a001")
    click(qtbot, screen.find_button)
    assert screen.page() == "rate" and "A001" in screen.visit_label.text()
    screen.choose_rating(2)
    click(qtbot, screen.submit_button)

    [row] = feedback_rows(hall)
    assert (row.ticket_id, row.rating, row.channel, row.reference) == (
        ticket_id, 2, FeedbackChannel.NOTICE_REFERENCE, "20260302-A001")


@pytest.mark.parametrize(("reference", "message"), [
    ("20260302-Z999", "No visit has the reference 20260302-Z999: check the number and the date on the ticket."),
    ("hello", "No visit has the reference hello: check the number and the date on the ticket."),
    ("", "Give the reference on the ticket or the notice."),
])
def test_a_bad_reference_is_refused_with_a_clear_message(qtbot, screen, wang, reference, message):
    click(qtbot, screen.reference_start_button)
    qtbot.keyClicks(screen.reference_edit, reference)
    click(qtbot, screen.find_button)
    assert screen.page() == "reference"
    assert screen.message_bar.kind == "error" and screen.message_bar.text() == message


def test_a_visit_not_ended_or_already_rated_cannot_be_rated_by_reference(qtbot, screen, hall, clock, wang):
    first = serve(hall, clock, wang)
    issue(hall, clock, "BB")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=wang)  # A002 is at the counter now
    click(qtbot, screen.reference_start_button)
    qtbot.keyClicks(screen.reference_edit, "A002")
    click(qtbot, screen.find_button)
    assert screen.message_bar.text() == "The visit of A002 has not ended yet: feedback is taken after the service."

    act(hall, clock, feedback.record_feedback, rating=5, channel="feedback_window", ticket_id=first)
    screen.reference_edit.setText("A001")
    click(qtbot, screen.find_button)
    assert screen.page() == "reference"
    assert screen.message_bar.text() == "The visit of A001 has already been rated. Thank you!"


def test_a_manager_records_a_complaint_with_its_cause(qtbot, backend, hall, clock, wang):
    ticket_id = serve(hall, clock, wang)
    dialog = ComplaintDialog(backend, staff_id(hall, "M001"), ticket_id)
    qtbot.addWidget(dialog)
    assert dialog.reference_edit.text() == "20260302-A001"
    qtbot.keyClicks(dialog.comment_edit, "Nobody told me why it took so long")
    click(qtbot, dialog.save_button)
    assert dialog.message_bar.text() == "Choose a cause from the list."  # the text typed stays
    assert dialog.comment_edit.toPlainText() == "Nobody told me why it took so long"

    dialog.select_cause("training")
    click(qtbot, dialog.save_button)
    assert dialog.result() == dialog.DialogCode.Accepted
    [row] = feedback_rows(hall)
    assert (row.ticket_id, row.is_complaint, row.cause, row.staff_id) == (ticket_id, True, "training", wang)


def test_the_feedback_role_opens_the_screen_for_the_counter_asked(qtbot, backend, tmp_path):
    launcher = Launcher(backend, Settings(tmp_path / "settings.json"), fullscreen=False)
    window = launcher.open_role("feedback", counter_number=2)
    try:
        assert isinstance(window, FeedbackWindow) and window.counter_number() == 2
        assert window.page() == "idle" and not window.isFullScreen()
    finally:
        window.close()


def test_staff_choose_the_screens_counter_once_and_customers_never_see_the_selector(qtbot, hall, clock, backend):
    chosen = []
    window = FeedbackWindow(backend)
    qtbot.addWidget(window)
    window.counter_chosen.connect(chosen.append)
    window.show()
    assert window.counter_combo.isVisible() and window.setup_button.isVisible()  # staff set the screen up
    window.counter_combo.setCurrentIndex(window.counter_combo.findData(2))
    window.setup_button.click()
    assert chosen == [2]
    assert not window.counter_combo.isVisible() and not window.setup_button.isVisible()
    assert window.counter_label.text() == "Counter 2"
    locked = FeedbackWindow(backend, counter_number=2)
    qtbot.addWidget(locked)
    locked.show()
    assert not locked.counter_combo.isVisible() and not locked.setup_button.isVisible()
