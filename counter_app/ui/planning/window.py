"""The planning (PMC) desk's window: sales orders from entry through parallel review to a committed delivery date.

Tabs: the orders — the list (filtered by state, overdue reviews and slipped dates marked) above the selected
order (order_panel.py: its reviews, PMC's decision, deliveries, changes); the signed-in person's slip flags
(flags.py); the monthly KPIs (kpi_tab.py); the factory's master data (master_data.py). Dialogs: a new order and
a department's answer (dialogs.py), a rush order's sign-off and a change request (order_dialogs.py); the review
record and the commitment letter (documents.py). Every action is one workflow call through `act_or_show`: a
refusal — the wrong role among them (workflows/planning/roles.py) — shows in this window's bar, nothing is
half-saved; each action carries the signed-in person's id.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import AppError
from counter_app.i18n import _, join_list
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import FormDialog, MessageBar
from counter_app.ui.planning import documents, snapshot
from counter_app.ui.planning.dialogs import AnswerReviewDialog, NewOrderDialog
from counter_app.ui.planning.flags import FlagsTab
from counter_app.ui.planning.kpi_tab import KpiTab
from counter_app.ui.planning.master_data import MasterDataTab
from counter_app.ui.planning.order_dialogs import ChangeRequestDialog, RushDialog
from counter_app.ui.planning.order_panel import OVERDUE, OrderPanel
from counter_app.workflows.paperwork.render.planning_docs import KIND_TEXT
from counter_app.workflows.planning import changes, deliveries, orders, review, roles

FLAGGED = QBrush(OVERDUE)


class PlanningWindow(QWidget):
    """Sales orders and their review for one signed-in staff member (`staff`: a snapshot.DeskStaff).

    Redraws whenever the backend says the store changed (this window's actions, another PC's).
    """

    def __init__(self, backend: Backend, staff: snapshot.DeskStaff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.staff = backend, staff
        self.order_id: int | None = None
        self.rows: list[snapshot.OrderRow] = []
        self.open_dialogs: list | None = None  # tests set a list: dialogs are shown and kept there, not exec'd
        self.last_document = None  # the path of the newest printed document
        self.setWindowTitle(_("Planning desk — {name}").format(name=staff.name))
        title = QLabel(_("Planning desk"))
        title.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.state_combo = QComboBox()
        self.state_combo.addItem(_("All states"), None)
        for state, text in orders.STATE_TEXT.items():
            self.state_combo.addItem(_(text), str(state))
        self.new_order_button = QPushButton(_("New order…"))
        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(QLabel(_("{name} · {staff_no} · {role}").format(
            name=staff.name, staff_no=staff.staff_no, role=_(roles.role_text(staff.role)))))
        header.addStretch(1)
        header.addWidget(QLabel(_("State")))
        header.addWidget(self.state_combo)
        header.addWidget(self.new_order_button)
        self.message_bar = MessageBar()
        self.orders_table = QTableWidget(0, 8)
        self.orders_table.setHorizontalHeaderLabels([
            _("Number"), _("Customer"), _("Kind"), _("State"), _("Requested date"), _("Committed date"),
            _("Overdue reviews"), _("Flags")])
        self.orders_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.orders_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.orders_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.orders_table.verticalHeader().setVisible(False)
        self.orders_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.orders_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.panel = OrderPanel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.orders_table)
        # On a short screen the selected order scrolls rather than its parts drawing over each other.
        panel_scroll = QScrollArea()
        panel_scroll.setWidgetResizable(True)
        panel_scroll.setFrameShape(QFrame.Shape.NoFrame)
        panel_scroll.setWidget(self.panel)
        splitter.addWidget(panel_scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([240, 660])  # the list shows about six orders; the rest is the selected one
        self.orders_table.setMinimumHeight(120)
        self.flags_tab = FlagsTab(backend, staff.id, self.message_bar)
        self.kpi_tab = KpiTab(backend, self.message_bar)
        self.master_tab = MasterDataTab(backend, staff.id, self.message_bar)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, _("Orders"))
        self.tabs.addTab(self.flags_tab, _("Flags"))
        self.tabs.addTab(self.kpi_tab, _("KPIs"))
        self.tabs.addTab(self.master_tab, _("Master data"))
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)

        self.state_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.new_order_button.clicked.connect(self.new_order)
        self.orders_table.itemSelectionChanged.connect(self._on_selection_changed)
        self.panel.answer_button.clicked.connect(lambda: self.answer_review())
        self.panel.confirm_button.clicked.connect(self.confirm)
        self.panel.override_button.clicked.connect(self.override)
        self.panel.revise_button.clicked.connect(self.revise)
        self.panel.record_button.clicked.connect(lambda: self.print_document("review_record"))
        self.panel.letter_button.clicked.connect(lambda: self.print_document("commitment_letter"))
        self.panel.rush_button.clicked.connect(lambda: self.rush())
        self.panel.change_box.request_button.clicked.connect(lambda: self.request_change())
        self.panel.change_box.acknowledge_button.clicked.connect(self.acknowledge)
        self.panel.deliveries_box.record_button.clicked.connect(self.record_delivery)
        self.flags_tab.flags_changed.connect(self._on_flags_changed)
        self._on_flags_changed(len(self.flags_tab.flags))
        backend.changed.connect(self._on_store_changed)
        self.refresh()

    # -- reading -------------------------------------------------------------------------------------

    def _on_store_changed(self, _change: object) -> None:
        self.refresh()
        self.flags_tab.refresh()
        self.master_tab.refresh()

    def _on_flags_changed(self, count: int) -> None:
        self.tabs.setTabText(1, _("Flags ({count})").format(count=count) if count else _("Flags"))

    def refresh(self) -> None:
        rows = self.backend.query(snapshot.order_rows, state=self.state_combo.currentData())
        if rows is None:
            return
        self.rows = rows
        table = self.orders_table
        table.blockSignals(True)
        table.setRowCount(len(rows))
        selected = -1
        for r, row in enumerate(rows):
            overdue = _("{count} overdue").format(count=row.overdue) if row.overdue else ""
            flagged = _("⚑ slipped {days} working days").format(days=row.flagged) if row.flagged else ""
            cells = (row.number, row.customer, _(KIND_TEXT.get(row.kind, row.kind)),
                     _(orders.STATE_TEXT.get(row.state, row.state)), row.requested.isoformat(),
                     row.committed.isoformat() if row.committed else "", overdue, flagged)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.overdue:
                    item.setBackground(QBrush(OVERDUE if c == 6 else QColor("#fff4f2")))
                if c == 7 and row.flagged:
                    item.setBackground(FLAGGED)
                table.setItem(r, c, item)
            if row.id == self.order_id:
                selected = r
        if selected >= 0:
            table.selectRow(selected)
        else:
            table.clearSelection()
        table.blockSignals(False)
        self._show_order()

    def _on_selection_changed(self) -> None:
        picked = self.orders_table.selectionModel().selectedRows()
        self.order_id = self.rows[picked[0].row()].id if picked else None
        self._show_order()

    def _show_order(self) -> None:
        view = None
        if self.order_id is not None and any(row.id == self.order_id for row in self.rows):
            view = self.backend.query(snapshot.order_view, order_id=self.order_id)
        today = self.backend.clock.now().date()
        self.panel.show_order(view, today=QDate(today.year, today.month, today.day),
                              department=self.staff.department)

    def select_order(self, number: str) -> None:
        for r, row in enumerate(self.rows):
            if row.number == number:
                self.orders_table.selectRow(r)

    # -- acting --------------------------------------------------------------------------------------

    def _run(self, dialog: FormDialog) -> bool:
        """Shown modal; tests drive the dialog themselves (`open_dialogs`)."""
        if self.open_dialogs is not None:
            self.open_dialogs.append(dialog)
            dialog.show()
            return False
        return dialog.exec() == FormDialog.DialogCode.Accepted

    def new_order(self) -> NewOrderDialog:
        dialog = NewOrderDialog(self.backend, self.staff.id, self)
        dialog.accepted.connect(lambda: self._on_entered(dialog))
        self._run(dialog)
        return dialog

    def _on_entered(self, dialog: NewOrderDialog) -> None:
        if dialog.change is None:
            return
        self.state_combo.setCurrentIndex(0)
        self.order_id = dialog.change.order_id
        self.refresh()
        self.message_bar.show_message(_("Order {number} is entered: {state}.").format(
            number=self.panel.order.number if self.panel.order else "",
            state=_(orders.STATE_TEXT[dialog.change.state])), "ok", seconds=8)

    def answer_review(self, department: str | None = None) -> AnswerReviewDialog | None:
        order = self.panel.order
        if order is None:
            self.message_bar.show_message(_("Choose an order first."), "error")
            return None
        waiting = self.backend.query(snapshot.open_reviews, order_id=order.id) or []
        dialog = AnswerReviewDialog(self.backend, self.staff.id, order.number, waiting, self, department=department)
        dialog.accepted.connect(lambda: self._on_answered(dialog))
        self._run(dialog)
        return dialog

    def _on_answered(self, dialog: AnswerReviewDialog) -> None:
        change = dialog.change
        if change is None:
            return
        if change.kind == "sales_order_computed":
            text, kind = _("Every answer is in: the date is computed. PMC confirms or overrides it."), "ok"
        elif change.kind == "sales_order_returned":
            text, kind = _("The requested date cannot be met: the order goes back to sales with the reasons."), "info"
        else:
            text, kind = _("The answer is recorded."), "ok"
        self.message_bar.show_message(text, kind, seconds=8)

    def confirm(self) -> orders.OrderChange | None:
        if self.order_id is None:
            return None
        change = act_or_show(self.backend, self.message_bar, review.confirm_date, order_id=self.order_id,
                             staff_id=self.staff.id)
        if change is not None:
            self.message_bar.show_message(_("The date {date} is committed.").format(
                date=change.committed_date.isoformat()), "ok", seconds=8)
        return change

    def override(self) -> orders.OrderChange | None:
        if self.order_id is None:
            return None
        change = act_or_show(self.backend, self.message_bar, review.override_date, order_id=self.order_id,
                             staff_id=self.staff.id, day=self.panel.override_date_edit.date().toPython(),
                             reason=self.panel.override_reason_edit.text())
        if change is not None:
            self.panel.override_reason_edit.clear()
            self.message_bar.show_message(_("The date {date} is committed, with your reason.").format(
                date=change.committed_date.isoformat()), "ok", seconds=8)
        return change

    def revise(self) -> orders.OrderChange | None:
        if self.order_id is None:
            return None
        change = act_or_show(self.backend, self.message_bar, review.revise_requested_date, order_id=self.order_id,
                             staff_id=self.staff.id, day=self.panel.revise_date_edit.date().toPython(),
                             why=self.panel.revise_why_edit.text())
        if change is not None:
            self.panel.revise_why_edit.clear()
            self.message_bar.show_message(_("The later requested date is recorded: {state}.").format(
                state=_(orders.STATE_TEXT[change.state])), "ok", seconds=8)
        return change

    def rush(self) -> RushDialog | None:
        """PMC sees which committed orders the selected one would push back, then signs it off."""
        if self.order_id is None:
            return None
        dialog = RushDialog(self.backend, self.staff.id, self.order_id, self)
        dialog.accepted.connect(lambda: self._on_rushed(dialog))
        self._run(dialog)
        return dialog

    def _on_rushed(self, dialog: RushDialog) -> None:
        if dialog.change is not None:
            self.message_bar.show_message(_("Rush order committed to {date}; {count} orders slipped and their "
                                            "sales owners are flagged.").format(
                date=dialog.change.committed_date.isoformat(), count=len(dialog.impact.slips)), "ok", seconds=8)

    def request_change(self) -> ChangeRequestDialog | None:
        order = self.panel.order
        if order is None:
            return None
        dialog = ChangeRequestDialog(self.backend, self.staff.id, order, self)
        dialog.accepted.connect(lambda: self._on_change_requested(dialog))
        self._run(dialog)
        return dialog

    def _on_change_requested(self, dialog: ChangeRequestDialog) -> None:
        result = dialog.result_change
        if result is not None:
            self.message_bar.show_message(_("The change is recorded: {departments} review the order again.").format(
                departments=join_list([_(review.DEPARTMENT_TEXT[d]) for d in result.departments])), "ok", seconds=8)

    def acknowledge(self) -> changes.ChangeResult | None:
        box = self.panel.change_box
        department = box.department_combo.currentData()
        if box.change_id is None or department is None:
            return None
        result = act_or_show(self.backend, self.message_bar, changes.acknowledge_change, change_id=box.change_id,
                             department=department, staff_id=self.staff.id)
        if result is not None:
            text = (_("Every department has acknowledged the change: it is closed.") if result.state == "closed"
                    else _("{department} has acknowledged the change.").format(
                        department=_(review.DEPARTMENT_TEXT[department])))
            self.message_bar.show_message(text, "ok", seconds=8)
        return result

    def record_delivery(self) -> deliveries.Shipped | None:
        box = self.panel.deliveries_box
        line_id = box.line_id()
        if line_id is None:
            self.message_bar.show_message(_("Choose a line first."), "error")
            return None
        shipped = act_or_show(self.backend, self.message_bar, deliveries.record_delivery, line_id=line_id,
                              quantity=box.quantity_spin.value(), shipped_on=box.shipped_on_edit.date().toPython(),
                              staff_id=self.staff.id)
        if shipped is not None:
            self.message_bar.show_message(_("{quantity} shipped; {left} left on this line.").format(
                quantity=shipped.quantity, left=shipped.left), "ok", seconds=8)
        return shipped

    def print_document(self, kind: str):
        """Draw the review record or the commitment letter in the chosen language and preview it."""
        if self.order_id is None:
            return None
        language = self.panel.doc_language_combo.currentData()
        try:
            drawn = documents.draw(self.backend, kind, order_id=self.order_id, language=language)
        except AppError as refusal:
            self.message_bar.show_message(refusal.text(), "error")
            return None
        if drawn is None:
            self.message_bar.show_message(_("The store cannot be read: nothing was printed."), "error")
            return None
        number, pdf = drawn
        try:
            self.last_document = documents.write(number, kind, language, pdf)
        except OSError as exc:
            self.message_bar.show_message(_("The document could not be saved ({detail}).").format(
                detail=exc.strerror or type(exc).__name__), "error")
            return None
        dialog = documents.preview(self.last_document, kind, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.open_dialogs is not None:
            self.open_dialogs.append(dialog)
        dialog.open()
        return dialog
