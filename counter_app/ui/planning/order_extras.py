"""Beside the selected order's date history: its deliveries (shipped of ordered, per line; a shipment recorded
here) and its change request (what changed, the customer's confirmation, who has and has not acknowledged it).

Views only: `show_order(OrderView)` draws; the window wires the buttons to the workflows.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import N_, _, join_list
from counter_app.models.planning import ChangeState
from counter_app.ui.common.widgets import DateEdit
from counter_app.ui.planning.snapshot import OrderView
from counter_app.workflows.planning import changes, orders, review

DONE = QColor("#dcefdc")
MISSING = QColor("#fff4d6")
CHANGE_STATE_TEXT = {ChangeState.IN_REVIEW: N_("under review again"),
                     ChangeState.ACKNOWLEDGING: N_("waiting for acknowledgements"), ChangeState.CLOSED: N_("closed")}


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class DeliveriesBox(QWidget):
    """Each line's shipped and ordered quantity; a shipment of the chosen line (quantity, day)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines_table = _table([_("Product"), _("Ordered"), _("Shipped"), _("Left"), _("Requested date")])
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(1, 1_000_000)
        self.shipped_on_edit = DateEdit()
        self.record_button = QPushButton(_("Record shipment"))
        form = QGridLayout()
        form.addWidget(QLabel(_("Quantity")), 0, 0)
        form.addWidget(self.quantity_spin, 0, 1)
        form.addWidget(QLabel(_("Shipped on")), 0, 2)
        form.addWidget(self.shipped_on_edit, 0, 3)
        form.addWidget(self.record_button, 0, 4)
        form.setColumnStretch(5, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines_table, 1)
        layout.addLayout(form)
        self.line_ids: list[int] = []
        self.lines_table.itemSelectionChanged.connect(self._on_line_chosen)

    def show_order(self, order: OrderView | None, today) -> None:
        views = order.line_views if order is not None else ()
        chosen = self.line_id()
        self.line_ids = [line.id for line in views]
        self.lines_table.setRowCount(len(views))
        for row, line in enumerate(views):
            left = line.quantity - line.shipped
            for column, text in enumerate((f"{line.code} {line.name}", str(line.quantity), str(line.shipped),
                                           str(left), line.requested.isoformat())):
                item = QTableWidgetItem(text)
                if left == 0:
                    item.setBackground(QBrush(DONE))
                self.lines_table.setItem(row, column, item)
        if chosen in self.line_ids:
            self.lines_table.selectRow(self.line_ids.index(chosen))
        elif self.line_ids:
            self.lines_table.selectRow(0)
        self.shipped_on_edit.setDate(today)
        can_ship = order is not None and (order.committed is not None or order.state == orders.S.READY_TO_SHIP)
        for widget in (self.quantity_spin, self.shipped_on_edit, self.record_button):
            widget.setEnabled(can_ship)

    def line_id(self) -> int | None:
        rows = self.lines_table.selectionModel().selectedRows()
        return self.line_ids[rows[0].row()] if rows and rows[0].row() < len(self.line_ids) else None

    def choose_line(self, index: int) -> None:
        self.lines_table.selectRow(index)

    def _on_line_chosen(self) -> None:
        row = self.lines_table.currentRow()
        left = self.lines_table.item(row, 3) if row >= 0 else None
        if left is not None and int(left.text()) > 0:
            self.quantity_spin.setValue(int(left.text()))


class ChangeBox(QWidget):
    """The order's newest change request: what changed, the confirmation, the departments involved and their
    acknowledgements; a new change request, and an acknowledgement for a department."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.change_id: int | None = None
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.acks_table = _table([_("Department"), _("Acknowledged by"), _("When")])
        self.department_combo = QComboBox()
        self.acknowledge_button = QPushButton(_("Acknowledge"))
        self.request_button = QPushButton(_("Change request…"))
        buttons = QGridLayout()
        buttons.addWidget(self.request_button, 0, 0)
        buttons.addWidget(QLabel(_("For")), 0, 2)
        buttons.addWidget(self.department_combo, 0, 3)
        buttons.addWidget(self.acknowledge_button, 0, 4)
        buttons.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.acks_table, 1)
        layout.addLayout(buttons)

    def show_order(self, order: OrderView | None, department: str | None) -> None:
        """`department`: the signed-in person's (chosen first for the acknowledgement)."""
        change = order.change if order is not None else None
        self.change_id = change.id if change is not None else None
        self.request_button.setEnabled(order is not None and "change" in order.allowed)
        self.department_combo.clear()
        self.acks_table.setRowCount(0)
        if change is None:
            self.summary_label.setText(_("No change request on this order.") if order is not None else "")
            self.acknowledge_button.setEnabled(False)
            return
        what = join_list([_(changes.ASPECT_TEXT.get(a, a)) for a in change.aspects])
        confirmation = change.reference or change.file
        self.summary_label.setText(_(
            "Change {id} ({state}): {what}. Confirmed by the customer: {confirmation}. Requested by {by}, {at}.\n"
            "Committed date before {before}, after {after}.").format(
            id=change.id, state=_(CHANGE_STATE_TEXT.get(change.state, change.state)), what=what,
            confirmation=confirmation, by=change.requested_by, at=f"{change.requested_at:%Y-%m-%d %H:%M}",
            before=change.committed_before.isoformat() if change.committed_before else "—",
            after=change.committed_after.isoformat() if change.committed_after else "—"))
        done = {d: (by, at) for d, by, at in change.acknowledged}
        self.acks_table.setRowCount(len(change.departments))
        for row, dept in enumerate(change.departments):
            by, at = done.get(dept, (_("not acknowledged yet"), None))
            for column, text in enumerate((_(review.DEPARTMENT_TEXT[dept]), by,
                                           f"{at:%Y-%m-%d %H:%M}" if at else "")):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(DONE if at else MISSING))
                self.acks_table.setItem(row, column, item)
        for dept in change.missing:
            self.department_combo.addItem(_(review.DEPARTMENT_TEXT[dept]), dept)
        if department is not None:
            self.department_combo.setCurrentIndex(max(0, self.department_combo.findData(department)))
        self.acknowledge_button.setEnabled(change.state == ChangeState.ACKNOWLEDGING and bool(change.missing))

    def missing(self) -> list[str]:
        return [self.acks_table.item(r, 0).text() for r in range(self.acks_table.rowCount())
                if not self.acks_table.item(r, 2).text()]
