"""The archive: a clerk finds a customer's ticket by its number, previews it and reprints it; the reprint
is a new copy marked as such, and what became of it is recorded."""

from __future__ import annotations

import pytest
from helpers.fixtures import at, staff_id
from pypdf import PdfReader
from sqlmodel import select

from counter_app.models import IssuedDocument
from counter_app.ui.paperwork import printing
from counter_app.ui.paperwork.archive import ArchiveDialog
from counter_app.workflows.paperwork import issuing
from counter_app.workflows.queue import tickets


@pytest.fixture
def ticket_document(hall, clock):
    """A001 taken at 08:57; its slip could not be printed at the kiosk."""
    clock.set(at("08:57"))
    with hall.write() as session:
        ticket = tickets.issue_ticket(session, clock, service_code="BB")
    with hall.write() as session:
        issued = issuing.issue_ticket_document(session, clock, ticket_id=ticket.ticket_id, language="zh_CN")
    with hall.write() as session:
        issuing.record_print(session, clock, document_id=issued.document_id, status="failed", printer="system",
                               note="out of paper")
    return issued


def archive(qtbot, backend, hall, **kw) -> ArchiveDialog:
    dialog = ArchiveDialog(backend, staff_id(hall, "S001"), **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def row_texts(dialog: ArchiveDialog, row: int) -> list[str]:
    return [dialog.table.item(row, column).text() for column in range(dialog.table.columnCount())]


def test_the_clerk_finds_the_ticket_that_did_not_print_by_its_number(qtbot, hall, clock, backend, ticket_document):
    clock.set(at("09:10"))
    dialog = archive(qtbot, backend, hall)
    assert not dialog.reprint_button.isEnabled()

    dialog.search_edit.setText("a001")
    dialog.search_button.click()

    assert [line.document_id for line in dialog.lines] == [ticket_document.document_id]
    kind, reference, ticket, created, by, status, copy = row_texts(dialog, 0)
    assert (kind, reference, ticket) == ("Queue ticket", ticket_document.reference, "A001")
    assert created == "2026-03-02 08:57"
    assert by == "Kiosk"
    assert status == "printing failed"
    assert copy == "Original"
    assert dialog.reprint_button.isEnabled()
    assert dialog.empty_label.text() == "1 document(s) found."


def test_a_search_that_finds_nothing_says_so(qtbot, hall, clock, backend, ticket_document):
    dialog = archive(qtbot, backend, hall)
    dialog.search("ACC-19990101")
    assert dialog.lines == []
    assert dialog.empty_label.text() == "No document matches ACC-19990101."
    assert not dialog.preview_button.isEnabled()


def test_preview_shows_the_archived_file_and_records_a_print(qtbot, tmp_path, hall, clock, backend, ticket_document):
    dialog = archive(qtbot, backend, hall, query="A001")

    preview = dialog.preview_selected()
    assert preview.pdf_path == ticket_document.path
    preview.print_to(printing.pdf_file_printer(tmp_path / "again.pdf"))

    with hall.read() as session:
        document = session.get(IssuedDocument, ticket_document.document_id)
    assert document.print_status == "printed"
    assert document.printer == f"pdf:{tmp_path / 'again.pdf'}"


def test_a_reprint_is_a_new_marked_copy_beside_the_original(qtbot, tmp_path, hall, clock, backend, ticket_document):
    clock.set(at("09:15"))
    dialog = archive(qtbot, backend, hall, query="A001")

    preview = dialog.reprint_selected()

    with hall.read() as session:
        copies = session.exec(select(IssuedDocument).where(IssuedDocument.reprint_of.is_not(None))).all()
    [copy] = copies
    assert copy.reprint_of == ticket_document.document_id
    assert copy.created_by == staff_id(hall, "S001")
    assert "补打" in PdfReader(preview.pdf_path).pages[0].extract_text()  # REPRINT, in the ticket's Chinese
    assert "archived" in dialog.message_bar.text()
    # the list shows the reprint, selected, above the original
    assert [line.reprint for line in dialog.lines] == [True, False]
    assert dialog.selected().document_id == copy.id
    assert row_texts(dialog, 0)[4] == "王芳"
    assert row_texts(dialog, 0)[6] == "Reprint"

    preview.print_to(printing.pdf_file_printer(tmp_path / "reprint.pdf"))
    with hall.read() as session:
        assert session.get(IssuedDocument, copy.id).print_status == "printed"
        assert session.get(IssuedDocument, ticket_document.document_id).print_status == "failed"
