"""Putting an archived PDF on paper: any system printer, a PDF file, or (for tickets) an ESC/POS printer.

The PDF is rasterised page by page (QtPdf, or poppler's pdftoppm where the Qt PDF module is missing)
and painted on the printer at up to 300 dpi, so every printer Qt knows prints it the same way.
Every failure is a `PrintError` with a message for the user; nothing here touches the store:
callers record the outcome with `documents.record_print`.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, QRectF, QRunnable, QSize, QSizeF, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from counter_app import paths
from counter_app.errors import PrintError
from counter_app.i18n import N_
from counter_app.models import DocumentKind

log = logging.getLogger(__name__)

try:  # the Qt PDF module is a separate wheel (PySide6-Pdf) since PySide6 6.8
    from PySide6.QtPdf import QPdfDocument
except ImportError:  # pragma: no cover - depends on the installation
    QPdfDocument = None

MAX_PRINT_DPI = 300  # a page rendered finer than this only makes the spool file bigger
MIN_PRINT_DPI = 150


def resolve(path: str | Path) -> Path:
    """An archived document's file: its path is stored relative to the documents folder."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() else paths.documents_dir() / candidate


# -- reading pages ------------------------------------------------------------------------------


class PdfPages:
    """The pages of one PDF as images: `count`, `point_size(i)` and `render(i, pixel_size)`."""

    def __init__(self, path: str | Path) -> None:
        self.path = resolve(path)
        if not self.path.is_file():
            raise PrintError(N_("The document file {file} is missing from the archive."), file=str(self.path))
        self._sizes: list[QSizeF] = []
        self._document = None
        if QPdfDocument is not None:
            self._document = QPdfDocument()
            error = self._document.load(str(self.path))
            if error != QPdfDocument.Error.None_ or self._document.pageCount() < 1:
                raise PrintError(N_("The document {file} cannot be read as a PDF."), file=self.path.name)
            self._sizes = [self._document.pagePointSize(i) for i in range(self._document.pageCount())]
        elif shutil.which("pdftoppm"):
            # Sizes in points: pages rendered at 72 dpi are one pixel per point.
            self._sizes = [QSizeF(image.size()) for image in _pdftoppm(self.path, 72)]
            if not self._sizes:
                raise PrintError(N_("The document {file} cannot be read as a PDF."), file=self.path.name)
        else:
            raise PrintError(N_("This PC cannot show or print PDF files: install the Qt PDF module "
                                "(PySide6-Pdf) or poppler-utils."))

    @property
    def count(self) -> int:
        return len(self._sizes)

    def point_size(self, index: int) -> QSizeF:
        return self._sizes[index]

    def render(self, index: int, size: QSize) -> QImage:
        if self._document is not None:
            image = self._document.render(index, size)
        else:
            dpi = max(1, round(72 * size.width() / max(1.0, self._sizes[index].width())))
            images = _pdftoppm(self.path, dpi, page=index + 1)
            image = images[0] if images else QImage()
        if image.isNull():
            raise PrintError(N_("Page {page} of {file} could not be drawn."), page=index + 1, file=self.path.name)
        if image.hasAlphaChannel():  # QtPdf leaves the paper transparent: make it white, as printed
            paper = QImage(image.size(), QImage.Format.Format_RGB32)
            paper.fill(Qt.GlobalColor.white)
            painter = QPainter(paper)
            painter.drawImage(0, 0, image)
            painter.end()
            image = paper
        return image

    def render_at(self, index: int, dpi: float) -> QImage:
        points = self.point_size(index)
        return self.render(index, QSize(max(1, round(points.width() * dpi / 72)),
                                        max(1, round(points.height() * dpi / 72))))


def _pdftoppm(path: Path, dpi: int, page: int | None = None) -> list[QImage]:
    with tempfile.TemporaryDirectory() as scratch:
        command = ["pdftoppm", "-r", str(dpi), "-png"]
        if page is not None:
            command += ["-f", str(page), "-l", str(page)]
        try:
            subprocess.run([*command, str(path), str(Path(scratch) / "page")], check=True,
                           capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            raise PrintError(N_("The document {file} cannot be read as a PDF."), file=path.name) from exc
        return [QImage(str(png)) for png in sorted(Path(scratch).glob("page*.png"))]


# -- printers -----------------------------------------------------------------------------------


def system_printer(name: str = "") -> QPrinter:
    """A printer of this PC: the named one, or the system default."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        printer.setPrinterName(name)
    return printer


SAVE_AS_FILE = "pdf"  # a printer setting that means: save the document as a file, never print it

# The setting that names the printer of each document kind; a kind not named here, or an empty setting,
# goes to the "document_printer". An A4 receipt goes with the acceptance forms, on the A4 printer.
PRINTER_OPTION = {
    DocumentKind.RECEIPT: "receipt_printer",
    DocumentKind.RECEIPT_A4: "acceptance_printer",
    DocumentKind.ACCEPTANCE: "acceptance_printer",
    DocumentKind.APOLOGY: "apology_printer",
}


def printer_setting(kind: str | None = None, settings=None) -> str:
    """What this PC's settings say for a document kind: a system printer's name, "pdf", or "" (the system default).

    The kind's own setting when it has one, the "document_printer" otherwise.
    """
    from counter_app.settings import Settings

    settings = settings or Settings()
    option = PRINTER_OPTION.get(kind) if kind else None
    value = (settings.get(option) if option else "").strip()
    return value or settings.get("document_printer").strip()


def saves_as_file(kind: str | None = None, settings=None) -> bool:
    """The settings send this kind of document to a PDF file rather than a printer."""
    return printer_setting(kind, settings).lower() == SAVE_AS_FILE


def document_printer(kind: str | None = None, settings=None) -> QPrinter | None:
    """The printer for a kind of document (a `DocumentKind`; None: the "document_printer"), as this PC's
    settings name it; None when they say "pdf": such a document is saved as a file, not printed."""
    if saves_as_file(kind, settings):
        return None
    return system_printer(printer_setting(kind, settings))


def pdf_file_printer(target: str | Path) -> QPrinter:
    """A QPrinter that writes a PDF file: a printer for trials, demos and tests."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    return printer


def printer_label(printer: QPrinter) -> str:
    """How the archive names a printer."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return f"pdf:{printer.outputFileName()}"
    return printer.printerName() or QPrinterInfo.defaultPrinterName() or "system"


def print_pdf(path: str | Path, printer: QPrinter) -> None:
    """Print every page of the PDF on `printer`, each scaled down (never up) to the printable area.

    A PDF-file printer takes the document's own page size, so the copy looks like the original.
    """
    pages = PdfPages(path)
    to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
    # Without any printer installed Qt quietly hands out a PDF printer with no file to write.
    if (to_file and not printer.outputFileName()) or (not to_file and not printer.isValid()):
        raise PrintError(N_("No printer is set up on this PC."))
    if to_file:
        _match_page(printer, pages.point_size(0))
    dpi = max(MIN_PRINT_DPI, min(MAX_PRINT_DPI, printer.resolution()))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(N_("The printer {printer} is not ready."), printer=printer_label(printer))
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for index in range(pages.count):
            if index:
                if to_file:
                    _match_page(printer, pages.point_size(index))
                if not printer.newPage():
                    raise PrintError(N_("The printer {printer} stopped after page {page}."),
                                     printer=printer_label(printer), page=index)
            points = pages.point_size(index)
            area = painter.viewport()
            width = points.width() * printer.resolution() / 72
            height = points.height() * printer.resolution() / 72
            scale = min(1.0, area.width() / width, area.height() / height)
            target = QRectF((area.width() - width * scale) / 2, 0, width * scale, height * scale)
            painter.drawImage(target, pages.render_at(index, dpi))
    finally:
        finished = painter.end()
    if not finished:
        raise PrintError(N_("The printer {printer} did not accept the document."), printer=printer_label(printer))


def _match_page(printer: QPrinter, points: QSizeF) -> None:
    size = QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))


def save_copy(path: str | Path, target: str | Path) -> Path:
    """Copy the archived PDF byte for byte to `target` (a USB stick, a shared folder)."""
    source = resolve(path)
    target = Path(target)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as exc:
        raise PrintError(N_("The PDF could not be saved to {target}: {detail}"), target=str(target),
                         detail=exc.strerror or type(exc).__name__) from exc
    return target


# -- tickets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintResult:
    status: str  # a PrintStatus value: "printed" or "saved"
    printer: str
    note: str = ""


def printed_dir() -> Path:
    """Where the "pdf" ticket printer puts its copies."""
    return paths.data_dir() / "printed"


def print_ticket(setting: str, *, pdf_path: str | Path, data, language: str) -> PrintResult | None:
    """Print a queue ticket as the "ticket_printer" setting says; None when it says "none".

    `data` is the ticket's `QueueTicketData`: an ESC/POS printer gets its facts as text and a QR
    code rather than the PDF, which such printers cannot read.
    """
    setting = (setting or "none").strip()
    kind, _sep, rest = setting.partition(":")
    if kind == "none":
        return None
    if kind == "system":
        printer = system_printer(rest)
        print_pdf(pdf_path, printer)
        return PrintResult("printed", rest or printer_label(printer))
    if kind == "pdf":
        source = resolve(pdf_path)
        copy = save_copy(source, Path(rest) / source.name if rest else printed_dir() / source.name)
        return PrintResult("saved", f"pdf:{copy}")
    if kind == "escpos":
        from counter_app.ui.paperwork import escpos_printer

        escpos_printer.print_ticket(setting, data, language=language)
        return PrintResult("printed", setting)
    raise PrintError(N_("The ticket printer setting {value} is not one this app knows."), value=setting)


class _JobSignals(QObject):
    finished = Signal(object)  # a PrintResult, None, or the PrintError


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object], signals: _JobSignals) -> None:
        super().__init__()
        self.work = work
        self.signals = signals

    def run(self) -> None:
        try:
            outcome = self.work()
        except PrintError as exc:
            outcome = exc
        except Exception as exc:  # a driver's own error: reported like any refusal, never lost
            log.exception("printing failed")
            outcome = PrintError(N_("The printer reported an error: {detail}"), detail=f"{type(exc).__name__}: {exc}")
        self.signals.finished.emit(outcome)


_running: set[_JobSignals] = set()


def in_background(work: Callable[[], object], on_finished: Callable[[object], None]) -> None:
    """Run a print job off the GUI thread; `on_finished` gets its result (or PrintError) on the GUI thread.

    A network printer that does not answer takes seconds to time out; the kiosk must not freeze meanwhile.
    """
    signals = _JobSignals()
    _running.add(signals)

    def done(outcome: object) -> None:
        _running.discard(signals)
        on_finished(outcome)

    signals.finished.connect(done)
    QThreadPool.globalInstance().start(_Job(work, signals))
