"""At the counter the documents come to the clerk: Business… for the customer being served (F7), the apology
notice offered after the seed's 36-minute visit until it is printed or declined (F8), and the archive."""

from __future__ import annotations

import pytest
from helpers.fixtures import at, open_counter
from helpers.morning import act_at as act
from helpers.morning import seed_morning
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlmodel import select

from counter_app.models import IssuedDocument
from counter_app.ui.counter.service_order import ServiceOrderDialog
from counter_app.ui.counter.window import CounterWindow
from counter_app.ui.paperwork import printing
from counter_app.ui.paperwork.archive import ArchiveDialog
from counter_app.workflows.paperwork.issuing import pending_notices
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo


def counter_window(qtbot, hall, clock, backend, number: int, staff_no: str) -> CounterWindow:
    """The window of a clerk already working at a counter (logging in again there is allowed)."""
    with hall.write() as session:
        login = counters.login(session, clock, counter_number=number, staff_no=staff_no, password=demo.DEMO_PASSWORD)
    win = CounterWindow(backend, login)
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    return win


@pytest.fixture
def trainee_window(qtbot, hall, clock, backend):
    """李明 at counter 1 at 09:33, 26 minutes into the seed's renewal."""
    seed = seed_morning(hall, clock)
    clock.set(at("09:33"))
    return counter_window(qtbot, hall, clock, backend, 1, "S002"), seed


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def apologies(store) -> list[IssuedDocument]:
    with store.read() as session:
        return list(session.exec(select(IssuedDocument).where(IssuedDocument.kind == "apology")))


def test_finishing_the_36_minute_visit_offers_the_notice_beside_the_cause_question(qtbot, trainee_window):
    win, seed = trainee_window
    assert not win.apology_panel.isVisible()  # nothing is owed while the customer is still being served

    click(qtbot, win.finish_button)

    offer = win.apology_panel.offer
    assert win.apology_panel.isVisible() and offer.ticket_id == seed["ticket_id"]
    assert offer.title_label.text() == "A001 · Offer the customer an apology and explanation notice"
    assert offer.reasons_label.text() == ("Why: \n• The service took 26 min; the target is 10 min."
                                          "\n• The clerk needed help: the case was escalated.")
    assert offer.language == "en"  # the language the customer's order was made out in
    assert win.cause_panel.isVisible(), "the breach still asks for its cause"


def test_the_offer_outlives_the_next_call_and_a_reopened_window(qtbot, hall, clock, backend, trainee_window):
    win, seed = trainee_window
    click(qtbot, win.finish_button)
    act(hall, clock, "09:34", tickets.issue_ticket, service_code="BILL")
    win.refresh()
    click(qtbot, win.call_next_button)

    assert win.current_label.text() == "C001"
    assert win.apology_panel.isVisible() and win.apology_panel.offer.ticket_id == seed["ticket_id"]

    win.close()
    again = counter_window(qtbot, hall, clock, backend, 1, "S002")
    assert again.apology_panel.isVisible() and again.apology_panel.offer.ticket_id == seed["ticket_id"]


def test_the_customer_declines_the_notice_and_the_offer_goes(qtbot, hall, clock, trainee_window):
    win, seed = trainee_window
    click(qtbot, win.finish_button)

    click(qtbot, win.apology_panel.offer.decline_button)

    [notice] = apologies(hall)
    assert (notice.print_status, notice.created_by) == ("declined", seed["trainee"])
    assert not win.apology_panel.isVisible() and win.apology_panel.offer is None
    assert win.message_bar.text() == "The customer declined the notice; that is recorded."
    assert win.cause_panel.isVisible(), "declining the notice does not answer the cause question"
    with hall.read() as session:
        assert pending_notices(session, clock, counter_number=1, staff_id=seed["trainee"]) == []


def test_the_printed_notice_is_recorded_and_the_offer_goes(qtbot, tmp_path, hall, trainee_window):
    win, _seed = trainee_window
    click(qtbot, win.finish_button)
    offer = win.apology_panel.offer

    click(qtbot, offer.show_button)
    offer.preview.print_to(printing.pdf_file_printer(tmp_path / "notice.pdf"))

    [notice] = apologies(hall)
    assert notice.print_status == "printed" and notice.language == "en"
    assert (tmp_path / "notice.pdf").stat().st_size > 0
    assert not win.apology_panel.isVisible()
    assert win.message_bar.text() == "Notice printed."


def test_a_notice_looked_at_but_not_printed_is_still_offered(qtbot, hall, trainee_window):
    win, seed = trainee_window
    click(qtbot, win.finish_button)
    offer = win.apology_panel.offer

    click(qtbot, offer.show_button)
    offer.preview.reject()
    win.refresh()

    [notice] = apologies(hall)
    assert notice.print_status == "pending"
    assert win.apology_panel.isVisible() and win.apology_panel.offer is offer
    assert not win.apology_panel.language_combo.isEnabled(), "the notice exists: its language is fixed"


def test_a_visit_within_its_targets_is_offered_no_notice(qtbot, hall, clock, backend):
    clock.set(at("09:00"))
    act(hall, clock, "09:00", tickets.issue_ticket, service_code="BB")
    open_counter(hall, clock, 1, "S001")
    win = counter_window(qtbot, hall, clock, backend, 1, "S001")
    click(qtbot, win.call_next_button)
    click(qtbot, win.start_button)
    clock.set(at("09:05"))

    click(qtbot, win.finish_button)

    assert win.message_bar.text() == "A001 finished."
    assert not win.apology_panel.isVisible() and not win.cause_panel.isVisible()
    assert apologies(hall) == []


def test_business_opens_the_order_form_filled_with_the_ticket_the_service_and_the_customer(qtbot, hall, clock,
                                                                                           backend):
    seed_morning(hall, clock, order=False)
    clock.set(at("09:30"))
    win = counter_window(qtbot, hall, clock, backend, 1, "S002")
    assert win.business_button.isEnabled()

    click(qtbot, win.business_button)

    dialog = win.documents.order_dialog
    assert isinstance(dialog, ServiceOrderDialog) and dialog.isVisible()
    assert any("A001" in label.text() for label in dialog.findChildren(QLabel))
    assert dialog.product_edit.text() == "Broadband renewal"
    assert (dialog.name_edit.text(), dialog.account_edit.text()) == ("Wang Jianguo", "05718800123")
    assert dialog.language_combo.currentData() == "en"
    dialog.reject()


def test_business_waits_until_the_service_has_started(qtbot, hall, clock, backend):
    clock.set(at("09:00"))
    act(hall, clock, "09:00", tickets.issue_ticket, service_code="BB", customer_ref="13812341234")
    open_counter(hall, clock, 1, "S001")
    win = counter_window(qtbot, hall, clock, backend, 1, "S001")
    assert not win.business_button.isEnabled()
    click(qtbot, win.call_next_button)
    assert not win.business_button.isEnabled()

    click(qtbot, win.start_button)
    click(qtbot, win.business_button)

    dialog = win.documents.order_dialog
    assert dialog.phone_edit.text() == "13812341234" and dialog.account_edit.text() == ""
    dialog.reject()


def test_the_archive_opens_on_the_customer_at_the_counter_and_finds_the_declined_notice(qtbot, hall, clock,
                                                                                       trainee_window):
    win, _seed = trainee_window
    click(qtbot, win.finish_button)
    click(qtbot, win.apology_panel.offer.decline_button)
    act(hall, clock, "09:35", tickets.issue_ticket, service_code="BB")
    win.refresh()
    click(qtbot, win.call_next_button)

    click(qtbot, win.archive_button)

    dialog = win.documents.archive_dialog
    assert isinstance(dialog, ArchiveDialog) and dialog.isVisible()
    assert dialog.search_edit.text() == "A002"
    found = dialog.search("A001")
    assert [(line.kind, line.print_status) for line in found] == [("apology", "declined")]
    dialog.reject()
