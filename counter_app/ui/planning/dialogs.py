"""The planning desk's dialogs: signing in, entering a sales order, and a department's answer to its review.

Each runs its workflow through `act_or_show`: a refusal shows in the dialog's own bar with the fields kept,
and nothing is saved until the dialog's one action goes through.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QWidget,
)

from counter_app.i18n import _
from counter_app.models.planning import OrderKind, Payment
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.login import password_to_change
from counter_app.ui.common.widgets import DateEdit, FormDialog
from counter_app.ui.planning import snapshot
from counter_app.workflows.paperwork.render.planning_docs import KIND_TEXT, PAYMENT_TEXT
from counter_app.workflows.planning import orders, review
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer

QUANTITY_MAX = 1_000_000


def qdate(day) -> QDate:
    return QDate(day.year, day.month, day.day)


class PlanningSignInDialog(FormDialog):
    """Sign in at the planning desk with one's own number and password; on success `staff` holds who."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(_("Planning desk sign-in"), _("Sign in to the planning desk"),
                         _("Orders, answers and dates are recorded against the person signed in."), _("Sign in"),
                         parent, width=480)
        self.backend = backend
        self.staff: snapshot.DeskStaff | None = None
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(_("e.g. M001"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(_("Staff number"), self.staff_edit)
        self.form.addRow(_("Password"), self.password_edit)
        self.staff_edit.setFocus()

    def _on_ok(self) -> None:
        staff_no, password = self.staff_edit.text().strip(), self.password_edit.text()
        self.password_edit.clear()
        if not staff_no or not password:
            self.message_bar.show_message(_("Enter your staff number and your password."), "error")
            return
        staff = act_or_show(self.backend, self.message_bar, snapshot.sign_in, staff_no=staff_no, password=password)
        chosen = None if staff is not None else password_to_change(self.backend, self, staff_no, password)
        if chosen is not None:
            staff = act_or_show(self.backend, self.message_bar, snapshot.sign_in, staff_no=staff_no,
                                password=chosen)
        if staff is not None:
            self.staff = staff
            self.accept()


class NewOrderDialog(FormDialog):
    """Sales enters an order: customer, kind, payment, the requested date and its lines. On success `change`
    holds the workflow's OrderChange (triage has run: the order's rule says what happens next)."""

    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(_("New sales order"), _("Enter a customer's order"),
                         _("Triage decides at once what happens to it: a stocked standard product ships once paid, "
                           "one to be made is planned once the deposit arrives, a custom order or a new sample "
                           "goes to review."), _("Enter order"), parent, width=760)
        self.backend, self.staff_id = backend, staff_id
        self.change: orders.OrderChange | None = None
        self.products = backend.query(snapshot.products) or []
        self.number_edit = QLineEdit(backend.query(snapshot.next_number) or "")
        self.customer_edit = QLineEdit()
        self.customer_edit.setPlaceholderText(_("e.g. 华东机械有限公司"))
        self.kind_combo = QComboBox()
        for kind in OrderKind:
            self.kind_combo.addItem(_(KIND_TEXT[kind]), str(kind))
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(str(OrderKind.CUSTOM)))
        self.payment_combo = QComboBox()
        for payment in Payment:
            self.payment_combo.addItem(_(PAYMENT_TEXT[payment]), str(payment))
        today = backend.clock.now().date()
        self.requested_edit = DateEdit()
        self.requested_edit.setDate(qdate(today))
        self.lines_table = QTableWidget(0, 3)
        self.lines_table.setHorizontalHeaderLabels([_("Product"), _("Quantity"), _("Requested date")])
        self.lines_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lines_table.verticalHeader().setVisible(False)
        self.lines_table.setMinimumHeight(150)
        self.add_line_button = QPushButton(_("Add line"))
        self.remove_line_button = QPushButton(_("Remove line"))
        line_buttons = QHBoxLayout()
        line_buttons.addStretch(1)
        line_buttons.addWidget(self.add_line_button)
        line_buttons.addWidget(self.remove_line_button)
        self.form.addRow(_("Order number"), self.number_edit)
        self.form.addRow(_("Customer"), self.customer_edit)
        self.form.addRow(_("Kind"), self.kind_combo)
        self.form.addRow(_("Payment"), self.payment_combo)
        self.form.addRow(_("Requested date"), self.requested_edit)
        self.form.addRow(_("Lines"), self.lines_table)
        self.form.addRow("", line_buttons)
        self.add_line_button.clicked.connect(lambda: self.add_line())
        self.remove_line_button.clicked.connect(self._on_remove_line)
        if self.products:
            self.add_line()
        else:
            self.message_bar.show_message(_("There are no products yet: add the factory's products first."), "error")

    def add_line(self, code: str | None = None, quantity: int = 1) -> int:
        row = self.lines_table.rowCount()
        self.lines_table.insertRow(row)
        product = QComboBox()
        for value, label in self.products:
            product.addItem(label, value)
        if code is not None:
            product.setCurrentIndex(max(0, product.findData(code)))
        amount = QSpinBox()
        amount.setRange(1, QUANTITY_MAX)
        amount.setValue(quantity)
        day = DateEdit()
        day.setDate(self.requested_edit.date())
        self.lines_table.setCellWidget(row, 0, product)
        self.lines_table.setCellWidget(row, 1, amount)
        self.lines_table.setCellWidget(row, 2, day)
        return row

    def _on_remove_line(self) -> None:
        row = self.lines_table.currentRow()
        self.lines_table.removeRow(row if row >= 0 else self.lines_table.rowCount() - 1)

    def lines(self) -> list[LineInput]:
        return [LineInput(self.lines_table.cellWidget(r, 0).currentData(), self.lines_table.cellWidget(r, 1).value(),
                          self.lines_table.cellWidget(r, 2).date().toPython())
                for r in range(self.lines_table.rowCount())]

    def _on_ok(self) -> None:
        change = act_or_show(self.backend, self.message_bar, orders.enter_order, number=self.number_edit.text(),
                             customer=self.customer_edit.text(), kind=self.kind_combo.currentData(),
                             payment=self.payment_combo.currentData(),
                             requested_date=self.requested_edit.date().toPython(), lines=self.lines(),
                             staff_id=self.staff_id, sales_owner=self.staff_id)
        if change is not None:
            self.change = change
            self.accept()


class AnswerReviewDialog(FormDialog):
    """A department answers its review on its own typed form (review.FORMS) beside what every form asks: can we
    meet the requested date, our lead time in working days, what it depends on, a reason for a "no", notes."""

    def __init__(self, backend: Backend, staff_id: int, order_number: str, open_reviews: list[tuple[int, str]],
                 parent: QWidget | None = None, *, department: str | None = None) -> None:
        super().__init__(_("Answer review"), _("Review of sales order {number}").format(number=order_number),
                         _("Each department answers once; a \"no\" needs a reason."), _("Record answer"), parent,
                         width=560)
        self.backend, self.staff_id = backend, staff_id
        self.change: orders.OrderChange | None = None
        self.department_combo = QComboBox()
        self.fields: dict[str, dict[str, QWidget]] = {}
        self.stack = QStackedWidget()
        for review_id, dept in open_reviews:
            self.department_combo.addItem(_(review.DEPARTMENT_TEXT[dept]), (review_id, dept))
            self.stack.addWidget(self._department_page(dept))
        self.can_meet_combo = QComboBox()
        self.can_meet_combo.addItem(_("yes"), True)
        self.can_meet_combo.addItem(_("no"), False)
        self.lead_spin = QSpinBox()
        self.lead_spin.setRange(0, 365)
        self.lead_spin.setSuffix(" " + _("working days"))
        self.depends_edit = QLineEdit()
        self.reason_combo = QComboBox()
        self.reason_combo.addItem("—", "")
        for code, text in review.REASONS.items():
            self.reason_combo.addItem(_(text), code)
        self.notes_edit = QLineEdit()
        self.form.addRow(_("Department"), self.department_combo)
        self.form.addRow(_("Can we meet the requested date"), self.can_meet_combo)
        self.form.addRow(_("Our lead time"), self.lead_spin)
        self.form.addRow(_("Depends on"), self.depends_edit)
        self.form.addRow(_("Reason (for a \"no\")"), self.reason_combo)
        self.form.addRow(_("Notes"), self.notes_edit)
        self.form.addRow(self.stack)
        self.department_combo.currentIndexChanged.connect(self.stack.setCurrentIndex)
        if department is not None:
            self.choose(department)

    def _department_page(self, department: str) -> QWidget:
        page = QWidget()
        layout = QFormLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        widgets: dict[str, QWidget] = {}
        for name, kind in review.FORMS[department].items():
            if kind == "yes_no":
                widget = QComboBox()
                widget.addItem("—", None)
                widget.addItem(_("yes"), True)
                widget.addItem(_("no"), False)
            elif kind == "text":
                widget = QLineEdit()
            else:
                widget = QSpinBox()
                widget.setRange(*kind)
            widgets[name] = widget
            layout.addRow(_(review.FIELD_TEXT[name]), widget)
        self.fields[department] = widgets
        return page

    def choose(self, department: str) -> None:
        for index in range(self.department_combo.count()):
            if self.department_combo.itemData(index)[1] == department:
                self.department_combo.setCurrentIndex(index)

    def details(self, department: str) -> dict:
        given = {}
        for name, widget in self.fields[department].items():
            if isinstance(widget, QComboBox):
                if widget.currentData() is not None:
                    given[name] = widget.currentData()
            elif isinstance(widget, QLineEdit):
                if widget.text().strip():
                    given[name] = widget.text()
            else:
                given[name] = widget.value()
        return given

    def _on_ok(self) -> None:
        chosen = self.department_combo.currentData()
        if chosen is None:
            self.message_bar.show_message(_("No review of this order is waiting for an answer."), "error")
            return
        review_id, department = chosen
        answer = ReviewAnswer(department, self.can_meet_combo.currentData(), self.lead_spin.value(),
                              depends_on=self.depends_edit.text(), reason_code=self.reason_combo.currentData(),
                              notes=self.notes_edit.text(), details=self.details(department))
        change = act_or_show(self.backend, self.message_bar, review.answer_review, review_id=review_id,
                             staff_id=self.staff_id, answer=answer)
        if change is not None:
            self.change = change
            self.accept()
