"""The archive of issued documents: find one by reference or ticket number, preview it, reprint it.

Used from the counter window and the manager window alike; a reprint is a new archived copy marked
REPRINT, linked to its original, and its print result is recorded like any other.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import N_, _
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar
from counter_app.ui.paperwork.preview import PreviewDialog, open_document_preview
from counter_app.workflows.paperwork import issuing
from counter_app.workflows.paperwork.issuing import DocLine

COLUMNS = (N_("Document"), N_("Reference"), N_("Ticket"), N_("Created"), N_("By"), N_("Print status"), N_("Copy"))


def kind_text(kind: str) -> str:
    return _(issuing.KIND_TEXT[kind]) if kind in issuing.KIND_TEXT else kind


def status_text(status: str) -> str:
    return _(issuing.PRINT_STATUS_TEXT[status]) if status in issuing.PRINT_STATUS_TEXT else status


class ArchiveDialog(QDialog):
    """Search the archive and act on one document. `lines` holds the rows shown; `preview` the last preview."""

    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None, *, query: str = "") -> None:
        super().__init__(parent)
        self.backend = backend
        self.staff_id = staff_id
        self.lines: list[DocLine] = []
        self.preview: PreviewDialog | None = None
        self.setWindowTitle(_("Document archive"))
        self.resize(980, 560)

        title = QLabel(_("Issued documents"))
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        hint = QLabel(_("Search by document reference (ACC-…, RCP-…, APO-…), order reference or ticket number."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.search_edit = QLineEdit(query)
        self.search_edit.setPlaceholderText(_("e.g. A001 or ACC-20260302-0001"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_button = QPushButton(_("Search"))
        self.search_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.search_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty_label = QLabel()
        self.empty_label.setStyleSheet("color: #555;")
        self.message_bar = MessageBar()

        self.preview_button = QPushButton(_("Preview"))
        self.reprint_button = QPushButton(_("Reprint…"))
        self.close_button = QPushButton(_("Close"))
        for button in (self.preview_button, self.reprint_button, self.close_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.reprint_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.message_bar)
        layout.addLayout(buttons)

        self.search_button.clicked.connect(lambda: self.search())
        self.search_edit.returnPressed.connect(lambda: self.search())
        self.preview_button.clicked.connect(lambda: self.preview_selected())
        self.reprint_button.clicked.connect(lambda: self.reprint_selected())
        self.close_button.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self.preview_selected())
        if query:
            self.search()
        self._update_buttons()

    # -- searching ------------------------------------------------------------------------------

    def search(self, reference: str | None = None) -> list[DocLine]:
        if reference is not None:
            self.search_edit.setText(reference)
        term = self.search_edit.text().strip()
        self.message_bar.clear_message()
        found = self.backend.query(issuing.search, reference=term) if term else []
        if found is None:
            self.message_bar.show_message(_("The archive cannot be read right now."), "error")
            found = []
        self._show(found)
        if not term:
            self.empty_label.setText(_("Type a reference or a ticket number."))
        elif not found:
            self.empty_label.setText(_("No document matches {term}.").format(term=term))
        else:
            self.empty_label.setText(_("{count} document(s) found.").format(count=len(found)))
        return found

    def _show(self, lines: list[DocLine], select_id: int | None = None) -> None:
        self.lines = lines
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = (
                kind_text(line.kind),
                line.reference,
                line.ticket_number or "—",
                line.created_at.strftime("%Y-%m-%d %H:%M"),
                line.created_by or _("Kiosk"),
                status_text(line.print_status),
                _("Reprint") if line.reprint else _("Original"),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, line.document_id)
                if line.print_status == "failed":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
            if line.document_id == select_id:
                self.table.selectRow(row)
        if select_id is None and lines:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> DocLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.lines[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.preview_button.setEnabled(chosen)
        self.reprint_button.setEnabled(chosen)

    # -- acting on a document -------------------------------------------------------------------

    def preview_selected(self) -> PreviewDialog | None:
        """Show the archived PDF as it was issued; printing it from here prints that same file."""
        line = self.selected()
        if line is None:
            return None
        self.preview = open_document_preview(
            self.backend, document_id=line.document_id, path=issuing.document_path(line),
            title=f"{kind_text(line.kind)} {line.reference}", staff_id=self.staff_id, parent=self, kind=line.kind)
        self.preview.finished.connect(lambda _result: self._refresh())
        return self.preview

    def reprint_selected(self) -> PreviewDialog | None:
        """A new copy marked REPRINT, shown for printing; the list then shows it beside the original."""
        line = self.selected()
        if line is None:
            return None
        issued = act_or_show(self.backend, self.message_bar, issuing.reprint, document_id=line.document_id,
                             staff_id=self.staff_id)
        if issued is None:
            return None
        self.message_bar.show_message(_("Reprint of {reference} archived.").format(reference=issued.reference), "ok",
                                      seconds=8)
        self._refresh(select_id=issued.document_id)
        self.preview = open_document_preview(
            self.backend, document_id=issued.document_id, path=issued.path,
            title=_("{document} {reference} (reprint)").format(document=kind_text(issued.kind),
                                                               reference=issued.reference),
            staff_id=self.staff_id, parent=self, kind=issued.kind)
        self.preview.finished.connect(lambda _result: self._refresh(select_id=issued.document_id))
        return self.preview

    def _refresh(self, select_id: int | None = None) -> None:
        term = self.search_edit.text().strip()
        if not term:
            return
        current = self.selected()
        found = self.backend.query(issuing.search, reference=term) or []
        self._show(found, select_id or (current.document_id if current else None))
