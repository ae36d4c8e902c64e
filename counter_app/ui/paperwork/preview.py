"""On-screen preview of an issued document, large enough to read before it is printed or signed (F7).

    dialog = PreviewDialog(path, _("Acceptance form"), parent, actions=("print", "save", "decline"))
    dialog.outcome_reported.connect(...)   # printed / saved / declined / failed, after every attempt
    dialog.open()

`open_document_preview` does the same for an archived document and records every outcome with
`documents.record_print`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _
from counter_app.ui.common.widgets import MessageBar
from counter_app.ui.paperwork import printing
from counter_app.ui.paperwork.printing import PdfPages, PrintError

try:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - depends on the installation
    QPdfDocument = QPdfView = None

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 5.0


class Outcome(StrEnum):
    """What became of a previewed document; the values are `PrintStatus` values."""

    PRINTED = "printed"
    SAVED = "saved"
    DECLINED = "declined"
    FAILED = "failed"


class PageImages(QScrollArea):
    """The pages as images, one under the other: the viewer when the Qt PDF module is missing."""

    def __init__(self, pages: PdfPages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = pages
        self.zoom = 1.0
        self.fit_width = True
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        holder = QWidget()
        holder.setStyleSheet("background: #7a7f87;")
        self._layout = QVBoxLayout(holder)
        self._layout.setSpacing(12)
        self._labels = [QLabel() for _page in range(pages.count)]
        for label in self._labels:
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._layout.addWidget(label)
        self._layout.addStretch(1)
        self.setWidget(holder)

    def effective_zoom(self) -> float:
        if not self.fit_width:
            return self.zoom
        width = self.pages.point_size(0).width() * self.logicalDpiX() / 72
        return max(ZOOM_MIN, (self.viewport().width() - 40) / max(1.0, width))

    def set_zoom(self, zoom: float | None) -> None:
        """A zoom factor, or None to fit the page width."""
        self.fit_width = zoom is None
        self.zoom = zoom or self.zoom
        self.redraw()

    def redraw(self) -> None:
        zoom = self.effective_zoom()
        ratio = self.devicePixelRatioF()
        for index, label in enumerate(self._labels):
            image = self.pages.render_at(index, 72 * zoom * ratio * self.logicalDpiX() / 72)
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.fit_width:
            self.redraw()


class PreviewDialog(QDialog):
    """A document shown large, with Print…, Save as PDF… and optional Decline.

    Signals:
        outcome_reported(str, str, str): outcome (an `Outcome` value), printer, note — after every
            print, save or decline, failed attempts included, so the archive can record each.

    `kind` (a `DocumentKind`) chooses the printer this PC's settings give that kind of document; where they
    say "pdf", Print… asks where to save the file, as Save as PDF… does. `choose_printer` and
    `choose_save_path` ask the user; tests replace them.
    """

    outcome_reported = Signal(str, str, str)

    def __init__(self, pdf_path: str | Path, title: str, parent: QWidget | None = None,
                 actions: Sequence[str] = ("print", "save"), *, intro: str = "", printer_name: str | None = None,
                 save_name: str = "", kind: str | None = None) -> None:
        super().__init__(parent)
        self.pdf_path = printing.resolve(pdf_path)
        self.outcome: Outcome | None = None
        self.printer_name = printer_name
        self.kind = kind
        self.save_name = save_name or self.pdf_path.name
        self.setWindowTitle(title)
        self.setObjectName("preview")
        self.pdf_view = None
        self.pages_view: PageImages | None = None
        self.message_bar = MessageBar()

        heading = QLabel(title)
        heading.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.intro_label = QLabel(intro)
        self.intro_label.setWordWrap(True)
        self.intro_label.setStyleSheet("font-size: 18px; color: #0b3d6e; background: #e8f1fb; padding: 6px 10px;"
                                       " border-radius: 4px;")
        self.intro_label.setVisible(bool(intro))
        self.zoom_out_button = QPushButton(_("Smaller"))
        self.zoom_in_button = QPushButton(_("Larger"))
        self.fit_button = QPushButton(_("Fit width"))
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(60)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tools = QHBoxLayout()
        tools.addWidget(heading, 1)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            tools.addWidget(widget)

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        if "decline" in actions:
            self._add_button(row, "decline", _("Customer declines"), self.decline)
        row.addStretch(1)
        if "save" in actions:
            self._add_button(row, "save", _("Save as PDF…"), self._on_save)
        if "print" in actions:
            label = _("Print to a PDF file…") if self.prints_to_file() else _("Print…")
            self._add_button(row, "print", label, self._on_print)
            self.buttons["print"].setDefault(True)
        self._add_button(row, "close", _("Close"), self.reject)
        self.extra_row = row

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(tools)
        layout.addWidget(self.intro_label)
        layout.addWidget(self._make_view(), 1)
        layout.addWidget(self.message_bar)
        layout.addLayout(row)

        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.fit_button.clicked.connect(self.fit_width)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom_by(ZOOM_STEP))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom_by(1 / ZOOM_STEP))
        self._size_to_screen()

    # -- the view -------------------------------------------------------------------------------

    def _make_view(self) -> QWidget:
        if QPdfView is not None:
            self.document = QPdfDocument(self)
            self.document.load(str(self.pdf_path))
            if self.document.status() == QPdfDocument.Status.Ready:
                self.pdf_view = QPdfView(self)
                self.pdf_view.setDocument(self.document)
                self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
                self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
                self.pdf_view.setPageSpacing(16)
                self.pdf_view.setStyleSheet("QPdfView { background: #7a7f87; }")
                self.pdf_view.zoomFactorChanged.connect(lambda _f: self._show_zoom())
                self._show_zoom()
                return self.pdf_view
        try:
            self.pages_view = PageImages(PdfPages(self.pdf_path), self)
        except PrintError as exc:
            self._set_buttons_enabled(False)
            placeholder = QLabel(exc.text())
            placeholder.setWordWrap(True)
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return placeholder
        self._show_zoom()
        return self.pages_view

    def _size_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen else None
        width = min(1280, int(area.width() * 0.9)) if area else 1280
        height = min(900, int(area.height() * 0.92)) if area else 900
        self.resize(max(width, 640), max(height, 480))

    def zoom_factor(self) -> float:
        """The zoom as the user sees it: 1.0 is the page at its printed size."""
        if self.pdf_view is not None:
            if self.pdf_view.zoomMode() == QPdfView.ZoomMode.Custom:
                return self.pdf_view.zoomFactor()
            page = self.document.pagePointSize(0).width() * self.pdf_view.logicalDpiX() / 72
            margins = self.pdf_view.documentMargins()
            usable = self.pdf_view.viewport().width() - margins.left() - margins.right()
            return max(ZOOM_MIN, usable / max(1.0, page))
        return self.pages_view.effective_zoom() if self.pages_view else 1.0

    def zoom_by(self, step: float) -> None:
        zoom = min(ZOOM_MAX, max(ZOOM_MIN, self.zoom_factor() * step))
        if self.pdf_view is not None:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.pdf_view.setZoomFactor(zoom)
        elif self.pages_view is not None:
            self.pages_view.set_zoom(zoom)
        self._show_zoom()

    def fit_width(self) -> None:
        if self.pdf_view is not None:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif self.pages_view is not None:
            self.pages_view.set_zoom(None)
        self._show_zoom()

    def _show_zoom(self) -> None:
        self.zoom_label.setText(f"{round(self.zoom_factor() * 100)} %")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._show_zoom)  # after the view has taken its new size

    # -- actions --------------------------------------------------------------------------------

    def _add_button(self, row: QHBoxLayout, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(40)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        row.addWidget(button)
        self.buttons[name] = button
        return button

    def add_action(self, text: str, slot: Callable[[], None]) -> QPushButton:
        """An extra button left of Save and Print, e.g. "Receipt on A4"."""
        button = QPushButton(text)
        button.setMinimumHeight(40)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        self.extra_row.insertWidget(1 if "decline" in self.buttons else 0, button)
        return button

    def _set_buttons_enabled(self, enabled: bool) -> None:
        for name, button in self.buttons.items():
            if name != "close":
                button.setEnabled(enabled)

    def prints_to_file(self) -> bool:
        """This PC's settings save this kind of document as a PDF file instead of printing it ("pdf")."""
        return self.printer_name is None and printing.saves_as_file(self.kind)

    def choose_printer(self) -> QPrinter | None:
        """Ask which printer; the one this PC's settings give the document's kind is preselected."""
        if self.printer_name is not None:
            printer = printing.system_printer(self.printer_name)
        else:
            printer = printing.document_printer(self.kind)
        if printer is None:  # the settings say "pdf": there is no printer to ask about
            return None
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print {title}").format(title=self.windowTitle()))
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def choose_save_path(self) -> str:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), str(Path.home() / self.save_name),
                                                    _("PDF files (*.pdf)"))
        return path

    def _on_print(self) -> None:
        if self.prints_to_file():
            self._on_save()
            return
        printer = self.choose_printer()
        if printer is not None:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Print on the given printer; a failure stays in the dialog so another printer can be tried."""
        label = printing.printer_label(printer)
        try:
            printing.print_pdf(self.pdf_path, printer)
        except PrintError as exc:
            self._report(Outcome.FAILED, label, exc.text())
            self.message_bar.show_message(
                _("Not printed: {reason} Try another printer, or save the PDF.").format(reason=exc.text()), "error")
            return False
        self._report(Outcome.PRINTED, label)
        self.accept()
        return True

    def _on_save(self) -> None:
        target = self.choose_save_path()
        if target:
            self.save_to(target)

    def save_to(self, target: str | Path) -> bool:
        try:
            saved = printing.save_copy(self.pdf_path, target)
        except PrintError as exc:
            self._report(Outcome.FAILED, f"pdf:{target}", exc.text())
            self.message_bar.show_message(exc.text(), "error")
            return False
        self._report(Outcome.SAVED, f"pdf:{saved}")
        self.accept()
        return True

    def decline(self) -> None:
        self._report(Outcome.DECLINED, "")
        self.accept()

    def _report(self, outcome: Outcome, printer: str, note: str = "") -> None:
        self.outcome = outcome
        self.outcome_reported.emit(str(outcome), printer, note)


def open_document_preview(backend, *, document_id: int, path: str | Path, title: str, staff_id: int | None,
                          parent: QWidget | None = None, actions: Sequence[str] = ("print", "save"),
                          intro: str = "", modal: bool = False, kind: str | None = None) -> PreviewDialog:
    """Preview an archived document; every print, save, decline or failure goes into the archive.

    `kind` (a `DocumentKind`) chooses the printer; when not given it is read from the archive.
    """
    from counter_app.workflows.paperwork import issuing

    if kind is None:
        kind = backend.query(issuing.document_kind, document_id=document_id)
    dialog = PreviewDialog(path, title, parent, actions, intro=intro, kind=kind)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def record(outcome: str, printer: str, note: str) -> None:
        backend.act(issuing.record_print, document_id=document_id, status=outcome, printer=printer, note=note,
                    staff_id=staff_id)

    dialog.outcome_reported.connect(record)
    if modal:
        dialog.exec()
    else:
        dialog.open()
    return dialog
