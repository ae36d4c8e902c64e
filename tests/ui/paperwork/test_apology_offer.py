"""After a long visit the counter offers an apology and explanation notice, says why in minutes, and records
whether the customer took it or declined it (F8)."""

from __future__ import annotations

from helpers.fixtures import at, open_counter
from pypdf import PdfReader
from sqlmodel import select

from counter_app.models import IssuedDocument
from counter_app.ui.paperwork import printing
from counter_app.ui.paperwork.apology_offer import ApologyOffer, ApologyOfferDialog
from counter_app.workflows.queue import tickets


def visit(hall, clock, *, called: str, now: str) -> tuple[int, int]:
    """A001 (broadband: wait target 15 min, service target 10 min) taken at 09:00."""
    clock.set(at("09:00"))
    with hall.write() as session:
        ticket = tickets.issue_ticket(session, clock, service_code="BB")
    clock.set(at(called))
    clerk = open_counter(hall, clock, 1, "S001")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=clerk)
    with hall.write() as session:
        tickets.start_service(session, clock, counter_number=1, staff_id=clerk)
    clock.set(at(now))
    return ticket.ticket_id, clerk


def offer(qtbot, backend, ticket_id, clerk, language="en") -> ApologyOffer:
    widget = ApologyOffer(backend, ticket_id, clerk, language)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def apologies(store) -> list[IssuedDocument]:
    with store.read() as session:
        return list(session.exec(select(IssuedDocument).where(IssuedDocument.kind == "apology")))


def test_the_offer_says_why_with_the_real_minutes(qtbot, hall, clock, backend):
    ticket_id, clerk = visit(hall, clock, called="09:21", now="09:36")
    widget = offer(qtbot, backend, ticket_id, clerk)

    assert widget.reasons_label.text() == ("Why: \n• The customer waited 21 min; the target is 15 min."
                                           "\n• The service took 15 min; the target is 10 min.")
    assert widget.show_button.isEnabled() and widget.decline_button.isEnabled()
    assert apologies(hall) == []  # nothing is issued until the clerk offers it


def test_a_visit_within_its_targets_is_owed_no_notice(qtbot, hall, clock, backend):
    ticket_id, clerk = visit(hall, clock, called="09:02", now="09:05")
    widget = offer(qtbot, backend, ticket_id, clerk)
    assert widget.due is None
    assert widget.reasons_label.text() == "This visit kept to its targets: no notice is due."
    assert not widget.show_button.isEnabled() and not widget.decline_button.isEnabled()


def test_the_notice_is_previewed_and_its_printing_recorded(qtbot, tmp_path, hall, clock, backend):
    ticket_id, clerk = visit(hall, clock, called="09:21", now="09:36")
    widget = offer(qtbot, backend, ticket_id, clerk)
    settled = []
    widget.settled.connect(settled.append)

    preview = widget.show_notice()

    text = " ".join(PdfReader(preview.pdf_path).pages[0].extract_text().split())
    assert "21 minutes" in text
    assert "decline" in preview.buttons
    preview.print_to(printing.pdf_file_printer(tmp_path / "notice.pdf"))

    [notice] = apologies(hall)
    assert notice.print_status == "printed"
    assert notice.language == "en"
    assert settled == ["printed"]
    assert widget.message_bar.text() == "Notice printed."
    assert not widget.decline_button.isEnabled()


def test_a_declined_notice_stays_archived_marked_declined(qtbot, hall, clock, backend):
    ticket_id, clerk = visit(hall, clock, called="09:21", now="09:36")
    widget = offer(qtbot, backend, ticket_id, clerk, language="zh_CN")

    widget.decline_button.click()

    [notice] = apologies(hall)
    assert notice.print_status == "declined"
    assert notice.language == "zh_CN"
    assert widget.outcome == "declined"
    assert widget.message_bar.text() == "The customer declined the notice; that is recorded."


def test_the_offer_comes_back_to_the_notice_already_issued(qtbot, hall, clock, backend):
    ticket_id, clerk = visit(hall, clock, called="09:21", now="09:36")
    first = offer(qtbot, backend, ticket_id, clerk)
    first.show_notice().reject()

    again = offer(qtbot, backend, ticket_id, clerk)
    preview = again.show_notice()

    assert len(apologies(hall)) == 1
    assert preview.pdf_path == first.notice.path


def test_the_dialog_closes_once_the_customer_has_answered(qtbot, hall, clock, backend):
    ticket_id, clerk = visit(hall, clock, called="09:21", now="09:36")
    dialog = ApologyOfferDialog(backend, ticket_id, clerk, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.offer.decline_button.click()
    assert not dialog.isVisible()
    assert dialog.result() == ApologyOfferDialog.DialogCode.Accepted
