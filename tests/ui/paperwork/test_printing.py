"""Printing stories: a document on a PDF-file printer, a ticket on an ESC/POS printer, and a kiosk
whose printer fails — the customer keeps their number and is told so plainly."""

from __future__ import annotations

import pytest
from helpers.fixtures import at
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinterInfo
from sqlmodel import select

from counter_app import paths
from counter_app.models import IssuedDocument, Ticket
from counter_app.settings import Settings
from counter_app.ui.kiosk.window import KioskWindow
from counter_app.ui.paperwork import escpos_printer, printing
from counter_app.ui.paperwork.printing import PrintError
from counter_app.workflows.paperwork.render import samples


@pytest.fixture
def acceptance_pdf(tmp_path):
    path = tmp_path / "acceptance-form.pdf"
    path.write_bytes(samples.SAMPLES["acceptance-form"]("zh_CN"))
    return path


@pytest.fixture
def ticket_pdf(tmp_path):
    path = tmp_path / "ticket.pdf"
    path.write_bytes(samples.SAMPLES["ticket"]("zh_CN"))
    return path


# -- documents on a printer ----------------------------------------------------------------------


def test_an_acceptance_form_printed_to_a_pdf_file_printer_comes_out_as_an_a4_page(qapp, tmp_path, acceptance_pdf):
    out = tmp_path / "printed.pdf"

    printing.print_pdf(acceptance_pdf, printing.pdf_file_printer(out))

    printed = PdfReader(out)
    original = PdfReader(acceptance_pdf)
    assert len(printed.pages) == len(original.pages)
    # the copy takes the document's own paper: A4, 595 x 842 points
    assert round(float(printed.pages[0].mediabox.width)) == round(float(original.pages[0].mediabox.width)) == 595
    assert round(float(printed.pages[0].mediabox.height)) == 842
    assert out.stat().st_size > 20_000  # a real page, not an empty one


def test_a_ticket_keeps_its_roll_width_on_a_pdf_file_printer(qapp, tmp_path, ticket_pdf):
    out = tmp_path / "ticket-printed.pdf"
    printing.print_pdf(ticket_pdf, printing.pdf_file_printer(out))
    page = PdfReader(out).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 80  # mm


def test_a_missing_or_damaged_document_is_a_print_error_with_a_message(qapp, tmp_path):
    with pytest.raises(PrintError) as missing:
        printing.print_pdf(tmp_path / "gone.pdf", printing.pdf_file_printer(tmp_path / "x.pdf"))
    assert "missing from the archive" in missing.value.text()

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    with pytest.raises(PrintError) as damaged:
        printing.print_pdf(broken, printing.pdf_file_printer(tmp_path / "x.pdf"))
    assert "cannot be read as a PDF" in damaged.value.text()


@pytest.mark.skipif(bool(QPrinterInfo.availablePrinters()), reason="this PC has a printer set up")
def test_a_pc_without_any_printer_says_so_instead_of_writing_a_nameless_file(qapp, acceptance_pdf):
    with pytest.raises(PrintError) as refusal:
        printing.print_pdf(acceptance_pdf, printing.system_printer())
    assert refusal.value.text() == "No printer is set up on this PC."


def test_save_copy_writes_the_archived_pdf_byte_for_byte(tmp_path, acceptance_pdf):
    saved = printing.save_copy(acceptance_pdf, tmp_path / "usb" / "form")
    assert saved.name == "form.pdf"
    assert saved.read_bytes() == acceptance_pdf.read_bytes()

    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(PrintError) as refusal:
        printing.save_copy(acceptance_pdf, blocker / "form.pdf")
    assert "could not be saved" in refusal.value.text()


# -- tickets on an ESC/POS printer ---------------------------------------------------------------


def test_an_escpos_ticket_carries_the_number_service_and_qr_as_printer_commands(tmp_path):
    device = tmp_path / "lp0"
    data = samples.ticket("zh_CN", number="A012", reference="20260302-A012")

    result = printing.print_ticket(f"escpos:file:{device}", pdf_path=tmp_path / "unused.pdf", data=data,
                                   language="zh_CN")

    assert result == printing.PrintResult("printed", f"escpos:file:{device}")
    sent = device.read_bytes()
    assert sent.startswith(b"\x1b@")  # ESC @: the printer is reset first
    assert b"A012" in sent
    assert b"20260302-A012" in sent
    assert "宽带续费".encode("gb18030") in sent  # Chinese in the printer's GB18030 mode
    assert "09:00开始办理。".encode("gb18030") in sent  # taken before opening (F1)
    assert b"\x1dV" in sent  # GS V: the paper is cut


def test_an_english_escpos_ticket_is_plain_text(tmp_path):
    from escpos.printer import Dummy

    printer = Dummy()
    escpos_printer.write_ticket(printer, samples.ticket("en", number="B003", people_ahead=4), language="en")
    assert b"B003" in printer.output
    assert b"4 people are waiting ahead of you." in printer.output
    assert b"Mobile" not in printer.output and b"Broadband renewal" in printer.output


@pytest.mark.parametrize(("setting", "expected"), [
    ("escpos:usb:0x0416:0x5011", escpos_printer.EscposTarget("usb", vendor_id=0x0416, product_id=0x5011)),
    ("escpos:network:192.168.1.50", escpos_printer.EscposTarget("network", host="192.168.1.50", port=9100)),
    ("escpos:network:printer.local:9101", escpos_printer.EscposTarget("network", host="printer.local", port=9101)),
    ("escpos:file:/dev/usb/lp0", escpos_printer.EscposTarget("file", device="/dev/usb/lp0")),
])
def test_the_ticket_printer_setting_names_the_connection(setting, expected):
    assert escpos_printer.parse_target(setting) == expected


@pytest.mark.parametrize("setting", ["escpos:usb:0416", "escpos:serial:COM1", "escpos:network:", "laser"])
def test_a_setting_the_app_does_not_know_is_refused_in_words(tmp_path, setting):
    with pytest.raises(PrintError) as refusal:
        printing.print_ticket(setting, pdf_path=tmp_path / "t.pdf", data=samples.ticket("en"), language="en")
    assert "is not one this app knows" in refusal.value.text()


def test_an_unplugged_escpos_printer_is_a_print_error(tmp_path):
    with pytest.raises(PrintError) as refusal:
        printing.print_ticket(f"escpos:file:{tmp_path}/no/such/device", pdf_path=tmp_path / "t.pdf",
                              data=samples.ticket("en"), language="en")
    assert "did not print" in refusal.value.text()


def test_ticket_printer_none_prints_nothing_and_pdf_keeps_a_copy(tmp_path, ticket_pdf):
    assert printing.print_ticket("none", pdf_path=ticket_pdf, data=samples.ticket(), language="zh_CN") is None

    result = printing.print_ticket("pdf", pdf_path=ticket_pdf, data=samples.ticket(), language="zh_CN")

    assert result.status == "saved"
    copy = printing.printed_dir() / ticket_pdf.name
    assert copy.read_bytes() == ticket_pdf.read_bytes()


# -- the kiosk ---------------------------------------------------------------------------------


def kiosk_with(qtbot, backend, tmp_path, ticket_printer: str) -> KioskWindow:
    settings = Settings(tmp_path / "settings.json")
    settings.set("ticket_printer", ticket_printer)
    kiosk = KioskWindow(backend, settings)
    qtbot.addWidget(kiosk)
    kiosk.resize(1024, 768)
    kiosk.show()
    return kiosk


def ticket_documents(store) -> list[IssuedDocument]:
    with store.read() as session:
        return list(session.exec(select(IssuedDocument).where(IssuedDocument.kind == "ticket")))


def tickets(store) -> list[Ticket]:
    with store.read() as session:
        return list(session.exec(select(Ticket)))


def test_a_kiosk_printing_to_pdf_archives_the_ticket_and_keeps_a_copy(qtbot, hall, clock, backend, tmp_path):
    clock.set(at("08:57"))
    kiosk = kiosk_with(qtbot, backend, tmp_path, "pdf")

    kiosk.issue("BB")
    qtbot.waitUntil(lambda: kiosk.pending_prints == 0, timeout=5000)

    [document] = ticket_documents(hall)
    assert document.print_status == "saved"
    copy = printing.printed_dir() / document.path.split("/")[-1]
    assert copy.read_bytes() == (paths.documents_dir() / document.path).read_bytes()
    assert not kiosk.ticket_panel.not_printed_label.isVisible()
    assert not kiosk.message_bar.isVisible()


def test_a_printer_that_fails_never_loses_the_ticket(qtbot, hall, clock, backend, tmp_path, monkeypatch):
    def jammed(*_args, **_kwargs):
        raise PrintError("The printer is out of paper.")

    monkeypatch.setattr(printing, "print_ticket", jammed)
    clock.set(at("09:10"))
    kiosk = kiosk_with(qtbot, backend, tmp_path, "system")

    kiosk.issue("BB")
    qtbot.waitUntil(lambda: kiosk.pending_prints == 0, timeout=5000)

    expected = ("Your number is A001 — the ticket could not be printed; please remember your number or ask staff.")
    assert kiosk.ticket_panel.not_printed_label.isVisible()
    assert kiosk.ticket_panel.not_printed_label.text() == expected
    assert kiosk.message_bar.text() == expected
    assert kiosk.ticket_panel.number_label.text() == "A001"
    [ticket] = tickets(hall)
    assert ticket.number == "A001" and ticket.state == "waiting"
    assert ticket.print_status == "failed"
    [document] = ticket_documents(hall)
    assert document.print_status == "failed"
    assert document.note == "The printer is out of paper."


def test_an_escpos_kiosk_prints_the_number_on_the_device(qtbot, hall, clock, backend, tmp_path):
    device = tmp_path / "lp0"
    clock.set(at("09:10"))
    kiosk = kiosk_with(qtbot, backend, tmp_path, f"escpos:file:{device}")

    kiosk.issue("PLAN")
    qtbot.waitUntil(lambda: kiosk.pending_prints == 0, timeout=5000)

    assert b"B001" in device.read_bytes()
    [document] = ticket_documents(hall)
    assert document.print_status == "printed"
    assert [t.print_status for t in tickets(hall)] == ["printed"]


def test_with_no_ticket_printer_the_ticket_is_on_screen_only(qtbot, hall, clock, backend, tmp_path):
    clock.set(at("09:10"))
    kiosk = kiosk_with(qtbot, backend, tmp_path, "none")
    kiosk.issue("BB")
    assert kiosk.pending_prints == 0
    assert ticket_documents(hall) == []
    assert kiosk.ticket_panel.number_label.text() == "A001"


def test_an_archive_that_cannot_be_written_leaves_the_number_on_screen_with_a_warning(qtbot, hall, clock, backend,
                                                                                     tmp_path, monkeypatch):
    full = tmp_path / "a file where the archive folder should be"
    full.write_text("")
    monkeypatch.setattr(paths, "documents_dir", lambda: full)  # a full disk, an offline share
    clock.set(at("09:10"))
    kiosk = kiosk_with(qtbot, backend, tmp_path, "system")

    issued = kiosk.issue("BB")

    assert issued is not None and kiosk.ticket_panel.number_label.text() == "A001"
    assert kiosk.ticket_panel.not_printed_label.isVisible()
    assert "could not be printed" in kiosk.ticket_panel.not_printed_label.text()
    [ticket] = tickets(hall)
    assert ticket.state == "waiting", "the customer keeps their place"
    assert ticket_documents(hall) == [], "nothing half-archived: the slip can be issued again later"


class FakeNetworkPrinter:
    """A thermal printer on the network (localhost): it takes the data and answers real-time status queries
    (DLE EOT) as the roll and cover say; `quiet`: it never answers (some printers do not implement them)."""

    def __init__(self, *, printer: int = 0x12, paper: int = 0x12, quiet: bool = False, paper_after: int | None = None):
        import socket
        import threading

        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.answers = {1: printer, 4: paper}
        self.paper_after, self.quiet = paper_after, quiet
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            connection.settimeout(10)
            while chunk := connection.recv(4096):
                self.received += chunk
                for query in (1, 4):
                    while b"\x10\x04" + bytes([query]) in chunk:
                        chunk = chunk.replace(b"\x10\x04" + bytes([query]), b"", 1)
                        if self.paper_after is not None and b"\x1dV" in self.received and query == 4:
                            self.answers[4] = self.paper_after
                        if not self.quiet:
                            connection.sendall(bytes([self.answers[query]]))

    @property
    def setting(self) -> str:
        return f"escpos:network:127.0.0.1:{self.port}"

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.server.close()

    def print_ticket(self, tmp_path):
        """Print a ticket on this printer, and let it go whatever happens."""
        try:
            return printing.print_ticket(self.setting, pdf_path=tmp_path / "t.pdf", data=samples.ticket("en"),
                                         language="en")
        finally:
            self.close()


@pytest.mark.parametrize(("printer", "paper", "message"), [
    (0x1A, 0x72, "is out of paper: no ticket was printed."),
    (0x1A, 0x12, "is not ready (cover open, paper jam or error): no ticket was printed."),
    (0x12, 0x72, "is out of paper: no ticket was printed."),
])
def test_a_printer_that_says_it_cannot_print_is_not_recorded_as_printed(tmp_path, printer, paper, message):
    fake = FakeNetworkPrinter(printer=printer, paper=paper)
    with pytest.raises(PrintError) as refusal:
        fake.print_ticket(tmp_path)
    assert refusal.value.text() == f"The ticket printer {fake.setting} {message}"
    assert b"\x1dV" not in fake.received  # nothing was sent to print


def test_a_ready_printer_prints_and_one_that_runs_out_while_printing_says_the_ticket_may_be_missing(tmp_path):
    ready = FakeNetworkPrinter()
    result = ready.print_ticket(tmp_path)
    assert result.status == "printed" and b"\x1dV" in ready.received
    running_out = FakeNetworkPrinter(paper_after=0x72)
    with pytest.raises(PrintError) as refusal:
        running_out.print_ticket(tmp_path)
    assert "ran out of paper while printing: the ticket may be missing." in refusal.value.text()


def test_a_printer_that_does_not_answer_status_queries_prints_as_before_within_seconds(tmp_path):
    import time

    quiet = FakeNetworkPrinter(quiet=True)
    started = time.monotonic()
    result = quiet.print_ticket(tmp_path)
    assert result.status == "printed" and b"\x1dV" in quiet.received
    assert time.monotonic() - started < 4  # one second for each unanswered question, not a minute
