"""Each kind of document goes to the printer this PC's settings give it: 80 mm receipts to the receipt printer,
forms and A4 receipts to the A4 printer, notices to theirs, anything else to the document printer; a kind set to
"pdf" is saved as a file, and its Print button asks where, as Save does."""

from __future__ import annotations

import pytest
from helpers.morning import act_at as act
from helpers.morning import seed_morning
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog

from counter_app.models import DocumentKind, IssuedDocument
from counter_app.settings import Settings
from counter_app.ui.paperwork import preview as preview_module
from counter_app.ui.paperwork import printing
from counter_app.ui.paperwork.preview import Outcome, PreviewDialog, open_document_preview
from counter_app.workflows.paperwork import issuing
from counter_app.workflows.paperwork.render import samples

K = DocumentKind
PRINTERS = {"document_printer": "Hall laser", "receipt_printer": "Counter thermal",
            "acceptance_printer": "Counter A4", "apology_printer": "Manager desk"}


@pytest.fixture
def settings() -> Settings:
    """This PC's settings file (the test's own data folder), each document kind given its printer."""
    settings = Settings()
    for name, value in PRINTERS.items():
        settings.set(name, value)
    return settings


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """The printer names asked for: without a print server Qt forgets a name it does not know."""
    names: list[str] = []
    real = printing.system_printer

    def system_printer(name: str = "") -> QPrinter:
        names.append(name)
        return real(name)

    monkeypatch.setattr(printing, "system_printer", system_printer)
    return names


@pytest.fixture
def receipt_pdf(tmp_path):
    path = tmp_path / "receipt-RCP-20260302-0001.pdf"
    path.write_bytes(samples.SAMPLES["receipt"]("zh_CN"))
    return path


class FakePrintDialog:
    """Stands in for the system's print dialog: notes the printer it was given and is cancelled."""

    shown: list[QPrinter] = []

    def __init__(self, printer: QPrinter, _parent) -> None:
        FakePrintDialog.shown.append(printer)

    def setWindowTitle(self, _title: str) -> None:  # noqa: N802 - Qt's name
        pass

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Rejected


def open_preview(qtbot, path, **kw) -> PreviewDialog:
    dialog = PreviewDialog(path, "Receipt", actions=("print", "save", "decline"), **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.parametrize(("kind", "printer"), [
    (K.RECEIPT, "Counter thermal"),
    (K.RECEIPT_A4, "Counter A4"),
    (K.ACCEPTANCE, "Counter A4"),
    (K.APOLOGY, "Manager desk"),
    (K.TICKET, "Hall laser"),  # a ticket printed again from the archive: the document printer
    (None, "Hall laser"),  # a page that is no customer document (the end-of-day summary)
])
def test_each_kind_of_document_is_offered_its_own_printer(qapp, settings, asked, kind, printer):
    assert printing.printer_setting(kind, settings) == printer
    chosen = printing.document_printer(kind, settings)
    assert isinstance(chosen, QPrinter) and asked == [printer]
    if printer in QPrinterInfo.availablePrinterNames():  # a PC with that printer installed
        assert chosen.printerName() == printer


def test_a_kind_without_its_own_printer_goes_to_the_document_printer(qapp, settings, asked):
    settings.set("apology_printer", "  ")
    assert printing.printer_setting(K.APOLOGY, settings) == "Hall laser"
    settings.set("document_printer", "")
    assert printing.printer_setting(K.APOLOGY, settings) == ""  # the system's default printer
    printing.document_printer(K.APOLOGY, settings)
    assert asked == [""]


def test_a_kind_set_to_pdf_has_no_printer(qapp, settings):
    settings.set("receipt_printer", "pdf")
    assert printing.saves_as_file(K.RECEIPT, settings)
    assert printing.document_printer(K.RECEIPT, settings) is None
    assert not printing.saves_as_file(K.ACCEPTANCE, settings)
    settings.set("document_printer", "PDF")  # the fallback may say so too
    assert printing.saves_as_file(K.TICKET, settings) and printing.saves_as_file(K.APOLOGY, settings) is False


def test_print_preselects_the_printer_of_the_documents_kind(qtbot, monkeypatch, settings, asked, receipt_pdf):
    monkeypatch.setattr(preview_module, "QPrintDialog", FakePrintDialog)
    FakePrintDialog.shown = []
    dialog = open_preview(qtbot, receipt_pdf, kind=K.RECEIPT)
    assert dialog.buttons["print"].text() == "Print…"

    dialog.buttons["print"].click()

    assert asked == ["Counter thermal"] and len(FakePrintDialog.shown) == 1
    assert dialog.outcome is None and dialog.isVisible()  # cancelled: nothing printed, nothing reported


def test_a_printer_named_by_the_caller_wins_over_the_settings(qtbot, monkeypatch, settings, asked, receipt_pdf):
    settings.set("receipt_printer", "pdf")
    monkeypatch.setattr(preview_module, "QPrintDialog", FakePrintDialog)
    dialog = open_preview(qtbot, receipt_pdf, kind=K.RECEIPT, printer_name="Spare thermal")
    assert not dialog.prints_to_file()
    dialog.buttons["print"].click()
    assert asked == ["Spare thermal"]


def test_with_pdf_set_for_the_kind_print_asks_where_to_save_and_reports_saved(qtbot, tmp_path, settings,
                                                                               receipt_pdf):
    settings.set("receipt_printer", "pdf")
    dialog = open_preview(qtbot, receipt_pdf, kind=K.RECEIPT)
    seen: list[tuple[str, str, str]] = []
    dialog.outcome_reported.connect(lambda *args: seen.append(args))
    dialog.choose_printer = lambda: pytest.fail("no printer is asked for when the kind is saved as a file")
    target = tmp_path / "usb-stick" / "receipt.pdf"
    dialog.choose_save_path = lambda: str(target)

    assert dialog.buttons["print"].text() == "Print to a PDF file…"
    dialog.buttons["print"].click()

    assert target.read_bytes() == receipt_pdf.read_bytes()
    assert seen == [("saved", f"pdf:{target}", "")] and dialog.outcome == Outcome.SAVED
    assert not dialog.isVisible()


def test_with_pdf_set_cancelling_the_save_dialog_saves_and_reports_nothing(qtbot, settings, receipt_pdf):
    settings.set("acceptance_printer", "pdf")
    dialog = open_preview(qtbot, receipt_pdf, kind=K.RECEIPT_A4)
    dialog.choose_save_path = lambda: ""
    dialog.buttons["print"].click()
    assert dialog.outcome is None and dialog.isVisible()


def test_an_archived_document_previewed_without_its_kind_gets_its_kinds_printer(qtbot, tmp_path, hall, clock,
                                                                                backend, settings):
    """The counter's service order opens the form by its archive id alone: the kind comes from the archive."""
    settings.set("acceptance_printer", "pdf")
    morning = seed_morning(hall, clock)
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    receipt = act(hall, clock, "09:33", issuing.issue_receipt, order_id=morning["order_id"],
                  staff_id=morning["trainee"])

    form_preview = open_document_preview(backend, document_id=form.document_id, path=form.path, title="Form",
                                         staff_id=morning["trainee"])
    qtbot.addWidget(form_preview)
    receipt_preview = open_document_preview(backend, document_id=receipt.document_id, path=receipt.path,
                                            title="Receipt", staff_id=morning["trainee"])
    qtbot.addWidget(receipt_preview)

    assert (form_preview.kind, receipt_preview.kind) == (K.ACCEPTANCE, K.RECEIPT)
    assert form_preview.prints_to_file() and not receipt_preview.prints_to_file()

    # the form is saved where the clerk says, and the archive records it as saved
    target = tmp_path / "copies" / "form.pdf"
    form_preview.choose_save_path = lambda: str(target)
    form_preview.buttons["print"].click()
    with hall.read() as session:
        assert session.get(IssuedDocument, form.document_id).print_status == "saved"
    assert target.read_bytes() == form.path.read_bytes()
