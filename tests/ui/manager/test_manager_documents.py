"""The duty manager follows up the seed's visit: once the customer was served, the request he resolved stays
listed with "Apology notice…" until the notice is printed or declined (F8); the archive is one click away."""

from __future__ import annotations

import pytest
from helpers.fixtures import open_counter
from helpers.morning import act_at as act
from helpers.morning import seed_morning
from PySide6.QtCore import Qt
from sqlmodel import select

from counter_app.models import IssuedDocument
from counter_app.ui.manager.window import ManagerWindow
from counter_app.ui.paperwork import printing
from counter_app.ui.paperwork.apology_offer import ApologyOfferDialog
from counter_app.ui.paperwork.archive import ArchiveDialog
from counter_app.workflows.oversight import escalation
from counter_app.workflows.queue import tickets as queue


@pytest.fixture
def seed(hall, clock):
    return seed_morning(hall, clock)


@pytest.fixture
def window(qtbot, backend, seed):
    """陈刚's window, signed in since 09:22 in the seed."""
    win = ManagerWindow(backend, seed["manager_login"])
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    return win


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tickets(win) -> list[str]:
    return win.escalations_panel.table.column_texts(0)


def apologies(store) -> list[IssuedDocument]:
    with store.read() as session:
        return list(session.exec(select(IssuedDocument).where(IssuedDocument.kind == "apology")))


def finish_the_visit(hall, clock, seed, win) -> None:
    act(hall, clock, "09:33", queue.finish_service, counter_number=1, staff_id=seed["trainee"])
    win.refresh()


def test_a_resolved_request_comes_back_once_the_customer_is_served(qtbot, hall, clock, seed, window):
    assert tickets(window) == []  # resolved at 09:29 while the renewal still runs: nothing to do

    finish_the_visit(hall, clock, seed, window)

    assert tickets(window) == ["A001"]
    assert window.escalations_panel.table.column_texts(4) == ["resolved"]
    assert "0 help request(s)" in window.summary_label.text()
    panel = window.escalations_panel
    assert panel.apology_button.isEnabled()
    assert not panel.resolve_button.isEnabled() and not panel.accept_button.isEnabled()


def test_the_manager_offers_the_notice_and_the_customer_declines_it(qtbot, hall, clock, seed, window):
    finish_the_visit(hall, clock, seed, window)

    click(qtbot, window.escalations_panel.apology_button)

    dialog = window.dialog
    assert isinstance(dialog, ApologyOfferDialog) and dialog.isVisible()
    assert dialog.offer.ticket_id == seed["ticket_id"] and dialog.offer.language == "en"
    assert dialog.offer.title_label.text().startswith("A001 · ")
    assert "The service took 26 min; the target is 10 min." in dialog.offer.reasons_label.text()
    click(qtbot, dialog.offer.decline_button)

    [notice] = apologies(hall)
    assert (notice.print_status, notice.created_by) == ("declined", seed["manager"])
    assert not dialog.isVisible()
    assert window.message_bar.text() == "The customer declined the notice; that is recorded."
    assert tickets(window) == [], "nothing more to follow up"


def test_the_manager_prints_the_notice_with_his_explanation(qtbot, tmp_path, hall, clock, seed, window):
    finish_the_visit(hall, clock, seed, window)
    click(qtbot, window.escalations_panel.apology_button)
    offer = window.dialog.offer

    click(qtbot, offer.show_button)
    offer.preview.print_to(printing.pdf_file_printer(tmp_path / "notice.pdf"))

    [notice] = apologies(hall)
    assert notice.print_status == "printed"
    assert tickets(window) == []


def test_no_apology_notice_for_a_customer_still_at_the_counter(qtbot, hall, clock, seed, window):
    clerk = open_counter(hall, clock, 2, "S001")
    act(hall, clock, "09:30", queue.issue_ticket, service_code="BB")
    act(hall, clock, "09:30", queue.call_next, counter_number=2, staff_id=clerk)
    act(hall, clock, "09:31", queue.start_service, counter_number=2, staff_id=clerk)
    act(hall, clock, "09:32", escalation.request_help, counter_number=2, staff_id=clerk, route="manager",
        reason="The plan is not in the list")
    window.refresh()

    assert tickets(window) == ["A002"]
    window.escalations_panel.table.selectRow(0)
    assert window.escalations_panel.accept_button.isEnabled()
    assert not window.escalations_panel.apology_button.isEnabled()


def test_the_archive_button_opens_the_document_archive(qtbot, hall, clock, seed, window):
    finish_the_visit(hall, clock, seed, window)
    click(qtbot, window.escalations_panel.apology_button)
    click(qtbot, window.dialog.offer.decline_button)

    click(qtbot, window.archive_button)

    dialog = window.archive_dialog
    assert isinstance(dialog, ArchiveDialog) and dialog.isVisible()
    found = dialog.search("A001")
    assert [(line.kind, line.created_by) for line in found] == [("apology", "陈刚")]
    dialog.reject()
