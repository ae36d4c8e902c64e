"""The planning desk's dialogs on one order: PMC's sign-off of a rush order (the slips it causes shown first),
and a change request with the customer's written confirmation (a file, or a signed document's reference).

Each runs its workflow through `act_or_show`: a refusal shows in the dialog's own bar with the fields kept.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from counter_app.errors import AppError
from counter_app.i18n import _
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import DateEdit, FormDialog
from counter_app.ui.planning import snapshot
from counter_app.ui.planning.dialogs import QUANTITY_MAX, qdate
from counter_app.workflows.planning import changes, orders, rush
from counter_app.workflows.planning.changes import ChangeInput
from counter_app.workflows.planning.orders import LineInput

SLIP = QColor("#f8d0cc")


class RushDialog(FormDialog):
    """What inserting an order awaiting PMC would do — each committed order that would slip, by how many working
    days, its old and new date — and PMC's sign-off with a reason. On success `change` holds the OrderChange."""

    def __init__(self, backend: Backend, staff_id: int, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(_("Rush order"), _("Insert as a rush order?"),
                         _("Production capacity per day is shared: producing this order first pushes these "
                           "committed orders back. Their new dates are recorded with your reason and their sales "
                           "owners are told."), _("Sign off rush order"), parent, width=720)
        self.backend, self.staff_id, self.order_id = backend, staff_id, order_id
        self.change: orders.OrderChange | None = None
        self.impact: rush.RushImpact | None = None
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.slips_table = QTableWidget(0, 4)
        self.slips_table.setHorizontalHeaderLabels([_("Order"), _("Committed date"), _("New date"),
                                                    _("Slips (working days)")])
        self.slips_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.slips_table.verticalHeader().setVisible(False)
        self.slips_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.slips_table.setMinimumHeight(180)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(_("e.g. the customer's line is down; approved by the general manager"))
        self.form.addRow(self.summary_label)
        self.form.addRow(_("Orders that slip"), self.slips_table)
        self.form.addRow(_("Reason (required)"), self.reason_edit)
        self.show_impact(backend.query(snapshot.rush_impact, order_id=order_id))

    def show_impact(self, impact: rush.RushImpact | AppError | None) -> None:
        if not isinstance(impact, rush.RushImpact):
            self.message_bar.show_message(impact.text() if isinstance(impact, AppError) else
                                          _("The store cannot be read."), "error")
            self.ok_button.setEnabled(False)
            return
        self.impact = impact
        self.summary_label.setText(_(
            "{number}: {load} load units at {capacity} a day, done on {finish}; it would be committed to "
            "{committed}. {count} committed orders would slip.").format(
            number=impact.number, load=impact.load, capacity=impact.capacity, finish=impact.finish.isoformat(),
            committed=impact.committed.isoformat(), count=len(impact.slips)))
        self.slips_table.setRowCount(len(impact.slips))
        for row, slip in enumerate(impact.slips):
            for column, text in enumerate((slip.number, slip.committed.isoformat(), slip.new_date.isoformat(),
                                           str(slip.days))):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setBackground(QBrush(SLIP))
                self.slips_table.setItem(row, column, item)

    def _on_ok(self) -> None:
        change = act_or_show(self.backend, self.message_bar, rush.accept_rush, order_id=self.order_id,
                             staff_id=self.staff_id, reason=self.reason_edit.text())
        if change is not None:
            self.change = change
            self.accept()


class ChangeRequestDialog(FormDialog):
    """Sales records what the customer changed on a committed order — quantities, the requested date, the
    specification, lines removed or added — with their written confirmation. On success `result_change` holds the
    ChangeResult (the departments it touches review the order again)."""

    def __init__(self, backend: Backend, staff_id: int, order: snapshot.OrderView,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Change request"), _("Change to sales order {number}").format(number=order.number),
                         _("Only the departments the change touches review the order again; each of them then "
                           "acknowledges it. The customer's written confirmation is required."),
                         _("Record change"), parent, width=760)
        self.backend, self.staff_id, self.order = backend, staff_id, order
        self.result_change: changes.ChangeResult | None = None
        self.lines_table = QTableWidget(len(order.line_views), 4)
        self.lines_table.setHorizontalHeaderLabels([_("Product"), _("Quantity now"), _("New quantity"), _("Remove")])
        self.lines_table.verticalHeader().setVisible(False)
        self.lines_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lines_table.setMinimumHeight(110)
        for row, line in enumerate(order.line_views):
            self.lines_table.setItem(row, 0, QTableWidgetItem(f"{line.code} {line.name}"))
            self.lines_table.setItem(row, 1, QTableWidgetItem(str(line.quantity)))
            amount = QSpinBox()
            amount.setRange(1, QUANTITY_MAX)
            amount.setValue(line.quantity)
            self.lines_table.setCellWidget(row, 2, amount)
            self.lines_table.setCellWidget(row, 3, QCheckBox())
        self.add_product_combo = QComboBox()
        self.add_product_combo.addItem("—", None)
        for code, label in backend.query(snapshot.products) or []:
            self.add_product_combo.addItem(label, code)
        self.add_quantity_spin = QSpinBox()
        self.add_quantity_spin.setRange(1, QUANTITY_MAX)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_product_combo, 1)
        add_row.addWidget(self.add_quantity_spin)
        self.date_check = QCheckBox(_("The customer asks for another date"))
        self.date_edit = DateEdit()
        self.date_edit.setDate(qdate(order.requested))
        self.date_edit.setEnabled(False)
        self.date_check.toggled.connect(self.date_edit.setEnabled)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_check)
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)
        self.specification_edit = QPlainTextEdit()
        self.specification_edit.setPlaceholderText(_("The changed specification, in words (empty: unchanged)"))
        self.specification_edit.setFixedHeight(70)
        self.reference_edit = QLineEdit()
        self.reference_edit.setPlaceholderText(_("e.g. the customer's signed letter HD-2026-091"))
        self.file_path: Path | None = None
        self.file_label = QLabel(_("No file chosen"))
        self.file_button = QPushButton(_("Choose file…"))
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_button)
        file_row.addWidget(self.file_label, 1)
        self.form.addRow(_("Lines"), self.lines_table)
        self.form.addRow(_("Add a line"), add_row)
        self.form.addRow(_("Requested date"), date_row)
        self.form.addRow(_("Specification"), self.specification_edit)
        self.form.addRow(_("Signed reference"), self.reference_edit)
        self.form.addRow(_("Or the confirmation as a file"), file_row)
        self.file_button.clicked.connect(self._on_choose_file)

    def _on_choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("The customer's written confirmation"), "",
                                                      _("Scans and documents (*.pdf *.png *.jpg *.jpeg *.tif);;"
                                                        "All files (*)"))
        if chosen:
            self.choose_file(Path(chosen))

    def choose_file(self, path: Path) -> None:
        self.file_path = path
        self.file_label.setText(str(path))

    def change_input(self) -> ChangeInput:
        quantities, removed = {}, []
        for row, line in enumerate(self.order.line_views):
            if self.lines_table.cellWidget(row, 3).isChecked():
                removed.append(line.id)
            elif self.lines_table.cellWidget(row, 2).value() != line.quantity:
                quantities[line.id] = self.lines_table.cellWidget(row, 2).value()
        added = []
        if self.add_product_combo.currentData():
            added.append(LineInput(self.add_product_combo.currentData(), self.add_quantity_spin.value()))
        return ChangeInput(quantities=quantities, remove_lines=removed, add_lines=added,
                           requested_date=self.date_edit.date().toPython() if self.date_check.isChecked() else None,
                           specification=self.specification_edit.toPlainText(),
                           confirmation_file=self.file_path, confirmation_reference=self.reference_edit.text())

    def _on_ok(self) -> None:
        result = act_or_show(self.backend, self.message_bar, changes.request_change, order_id=self.order.id,
                             staff_id=self.staff_id, change=self.change_input())
        if result is not None:
            self.result_change = result
            self.accept()
