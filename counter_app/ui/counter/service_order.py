"""The business accepted at the counter (业务受理): the clerk enters it, the customer reads the form (F7).

Two steps in one dialog. First the clerk enters the order; on "Create and show the form" the order
is recorded, its acceptance form issued and opened in a large preview for the customer to read
before it is printed for signature. Then the dialog offers what follows: show the form again,
note the signature, and the receipt on the 80 mm roll or on A4. The workflow's refusals (a phone
number with 10 digits, an amount with three decimals) show inside the dialog, the fields kept.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import LANGUAGES, N_, _, current_language
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar
from counter_app.ui.paperwork.preview import PreviewDialog, open_document_preview
from counter_app.workflows.paperwork import issuing, service_orders
from counter_app.workflows.paperwork.issuing import IssuedDoc
from counter_app.workflows.paperwork.render.data import PAYMENT_TEXT, PaymentMethod, Transaction
from counter_app.workflows.paperwork.render.fonts import unprintable
from counter_app.workflows.paperwork.service_orders import OrderCreated

TRANSACTION_TEXT = {
    Transaction.RENEWAL: N_("Renewal"),
    Transaction.PLAN_CHANGE: N_("Plan change"),
    Transaction.NEW_LINE: N_("New line"),
    Transaction.BILL_PAYMENT: N_("Bill payment"),
    Transaction.OTHER: N_("Other business"),
}


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ServiceOrderDialog(QDialog):
    """Enter an order for the customer at the counter; afterwards `order`, `acceptance`, `receipt` hold
    what was made and `preview` the document last shown."""

    def __init__(self, backend: Backend, counter_number: int, staff_id: int, parent: QWidget | None = None, *,
                 ticket_number: str = "", product: str = "", customer_name: str = "", customer_phone: str = "",
                 customer_id_number: str = "", customer_account: str = "", language: str | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.counter_number = counter_number
        self.staff_id = staff_id
        self.order: OrderCreated | None = None
        self.acceptance: IssuedDoc | None = None
        self.receipt: IssuedDoc | None = None
        self.preview: PreviewDialog | None = None
        self.setWindowTitle(_("Business for the customer"))
        self.resize(820, 780)
        self.message_bar = MessageBar()
        self.stack = QStackedWidget()
        self.stack.addWidget(self._form_page(ticket_number))
        self.stack.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message_bar)
        self.product_edit.setText(product)
        self.name_edit.setText(customer_name)
        self.phone_edit.setText(customer_phone)
        self.id_edit.setText(customer_id_number)
        self.account_edit.setText(customer_account)
        wanted = language or current_language()
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(wanted)))
        self._update_total()

    # -- step 1: the order ----------------------------------------------------------------------

    def _form_page(self, ticket_number: str) -> QWidget:
        page = QWidget()
        title = QLabel(_("New business at counter {number}").format(number=self.counter_number)
                       + (f" · {ticket_number}" if ticket_number else ""))
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.transaction_combo = QComboBox()
        self.transaction_combo.addItem(_("As the service suggests"), None)
        for value, text in TRANSACTION_TEXT.items():
            self.transaction_combo.addItem(_(text), str(value))
        self.product_edit = QLineEdit()
        self.product_edit.setPlaceholderText(_("e.g. Broadband 100M"))
        self.term_spin = QSpinBox()
        self.term_spin.setRange(0, 120)
        self.term_spin.setValue(12)
        self.term_spin.setSpecialValueText(_("no fixed term"))
        self.term_spin.setSuffix(" " + _("months"))
        today = qdate(self.backend.clock.now().date())
        self.from_edit = QDateEdit(today)
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("yyyy-MM-dd")
        self.to_check = QCheckBox(_("Another end date"))
        self.to_edit = QDateEdit(today.addYears(1))
        self.to_edit.setCalendarPopup(True)
        self.to_edit.setDisplayFormat("yyyy-MM-dd")
        self.to_edit.setEnabled(False)
        self.to_check.toggled.connect(self.to_edit.setEnabled)
        self.to_check.toggled.connect(lambda _checked: self._sync_end())
        self.term_spin.valueChanged.connect(lambda _months: self._sync_end())
        self.from_edit.dateChanged.connect(lambda _day: self._sync_end())
        self._sync_end()
        to_row = QHBoxLayout()
        to_row.addWidget(self.to_check)
        to_row.addWidget(self.to_edit, 1)
        business = QFormLayout()
        business.addRow(_("Kind of business"), self.transaction_combo)
        business.addRow(_("Product or plan"), self.product_edit)
        business.addRow(_("Term"), self.term_spin)
        business.addRow(_("Effective from"), self.from_edit)
        business.addRow(_("Effective until"), to_row)
        business_box = QGroupBox(_("Business"))
        business_box.setLayout(business)

        self.items_table = QTableWidget(0, 2)
        self.items_table.setHorizontalHeaderLabels([_("Description"), _("Amount (yuan)")])
        self.items_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.items_table.verticalHeader().hide()
        self.items_table.setMinimumHeight(110)
        self.items_table.itemChanged.connect(lambda _item: self._update_total())
        self.add_item_button = QPushButton(_("Add item"))
        self.remove_item_button = QPushButton(_("Remove item"))
        for button in (self.add_item_button, self.remove_item_button):
            button.setAutoDefault(False)
        self.add_item_button.clicked.connect(lambda: self.add_item())
        self.remove_item_button.clicked.connect(self._remove_item)
        self.total_label = QLabel()
        self.total_label.setStyleSheet("font-weight: bold;")
        self.payment_combo = QComboBox()
        for method in PaymentMethod:
            self.payment_combo.addItem(_(PAYMENT_TEXT[method]), str(method))
        item_buttons = QHBoxLayout()
        item_buttons.addWidget(self.add_item_button)
        item_buttons.addWidget(self.remove_item_button)
        item_buttons.addStretch(1)
        item_buttons.addWidget(self.total_label)
        charges = QVBoxLayout()
        charges.addWidget(self.items_table)
        charges.addLayout(item_buttons)
        payment = QFormLayout()
        payment.addRow(_("Payment"), self.payment_combo)
        charges.addLayout(payment)
        charges_box = QGroupBox(_("Charges"))
        charges_box.setLayout(charges)
        self.add_item()

        self.name_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText(_("11 digits, e.g. 13812341234"))
        self.id_edit = QLineEdit()
        self.account_edit = QLineEdit()
        self.language_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        customer = QFormLayout()
        customer.addRow(_("Name"), self.name_edit)
        customer.addRow(_("Mobile number"), self.phone_edit)
        customer.addRow(_("ID number"), self.id_edit)
        customer.addRow(_("Account number"), self.account_edit)
        customer.addRow(_("Documents in"), self.language_combo)
        customer_box = QGroupBox(_("Customer (printed masked)"))
        customer_box.setLayout(customer)

        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.create_button = QPushButton(_("Create and show the form"))
        self.create_button.setDefault(True)
        self.create_button.setMinimumHeight(40)
        self.cancel_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self.create)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(business_box)
        layout.addWidget(charges_box, 1)
        layout.addWidget(customer_box)
        layout.addLayout(buttons)
        return page

    def _sync_end(self) -> None:
        """Unless the clerk sets another end date, show the one the term gives (12 months from 03-02: 03-01)."""
        months = self.term_spin.value()
        if not self.to_check.isChecked() and months:
            end = service_orders.add_months(pydate(self.from_edit.date()), months) - dt.timedelta(days=1)
            self.to_edit.setDate(qdate(end))

    def add_item(self, description: str = "", amount: str = "") -> None:
        row = self.items_table.rowCount()
        self.items_table.insertRow(row)
        self.items_table.setItem(row, 0, QTableWidgetItem(description))
        self.items_table.setItem(row, 1, QTableWidgetItem(amount))

    def _remove_item(self) -> None:
        row = self.items_table.currentRow()
        if row >= 0:
            self.items_table.removeRow(row)
        self._update_total()

    def items(self) -> list[dict]:
        """The rows the clerk filled in; wholly empty rows are left out."""
        found = []
        for row in range(self.items_table.rowCount()):
            cells = [self.items_table.item(row, column) for column in (0, 1)]
            description, amount = (cell.text().strip() if cell else "" for cell in cells)
            if description or amount:
                found.append({"description": description, "amount": amount, "quantity": 1})
        return found

    def _update_total(self) -> None:
        try:
            total = sum(float(item["amount"].replace(",", "")) for item in self.items() if item["amount"])
        except ValueError:
            self.total_label.setText(_("Total: —"))
            return
        self.total_label.setText(_("Total: {amount} yuan").format(amount=f"{total:,.2f}"))

    def set_payment(self, method: str) -> None:
        self.payment_combo.setCurrentIndex(self.payment_combo.findData(method))

    def create(self) -> OrderCreated | None:
        """Record the order, issue its acceptance form and show it to the customer."""
        self.message_bar.clear_message()
        term = self.term_spin.value() or None
        self.order = act_or_show(
            self.backend, self.message_bar, service_orders.create_service_order, counter_number=self.counter_number,
            staff_id=self.staff_id, product=self.product_edit.text(), effective_from=pydate(self.from_edit.date()),
            items=self.items(), payment_method=self.payment_combo.currentData(), term_months=term,
            effective_to=pydate(self.to_edit.date()) if self.to_check.isChecked() else None,
            transaction=self.transaction_combo.currentData(), customer_name=self.name_edit.text(),
            customer_phone=self.phone_edit.text(), customer_id_number=self.id_edit.text(),
            customer_account=self.account_edit.text(), language=self.language_combo.currentData())
        if self.order is None:
            return None
        self.order_label.setText(_("Order {reference} is recorded.").format(reference=self.order.reference))
        missing = unprintable(self.name_edit.text(), self.product_edit.text(),
                              *(item["description"] for item in self.items()))
        if missing:  # the form would print them blank: the clerk writes them in by hand
            self.order_label.setText(self.order_label.text() + "\n" + _(
                "These characters cannot be printed and stay blank on the form: {chars}. Write them in by hand "
                "before the customer signs.").format(chars=" ".join(missing)))
        self.stack.setCurrentIndex(1)
        self.show_acceptance_form()
        return self.order

    # -- step 2: the form, the signature, the receipt -------------------------------------------

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.order_label = QLabel()
        self.order_label.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.form_label = QLabel()
        self.form_label.setWordWrap(True)
        self.form_label.setStyleSheet("font-size: 16px;")
        self.show_form_button = QPushButton(_("Show the acceptance form"))
        self.signed_button = QPushButton(_("The customer has signed"))
        self.receipt_roll_button = QPushButton(_("Receipt (80 mm)"))
        self.receipt_a4_button = QPushButton(_("Receipt (A4)"))
        self.cancel_order_button = QPushButton(_("Cancel this order"))
        self.close_button = QPushButton(_("Close"))
        self.show_form_button.clicked.connect(self.show_acceptance_form)
        self.signed_button.clicked.connect(self.mark_signed)
        self.receipt_roll_button.clicked.connect(lambda: self.issue_receipt(a4=False))
        self.receipt_a4_button.clicked.connect(lambda: self.issue_receipt(a4=True))
        self.cancel_order_button.clicked.connect(self.cancel_order)
        self.close_button.clicked.connect(self.accept)
        receipt_hint = QLabel(_("Then offer the receipt:"))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.order_label)
        layout.addWidget(self.form_label)
        for button in (self.show_form_button, self.signed_button):
            button.setMinimumHeight(44)
            layout.addWidget(button)
        layout.addWidget(receipt_hint)
        receipts = QHBoxLayout()
        for button in (self.receipt_roll_button, self.receipt_a4_button):
            button.setMinimumHeight(44)
            receipts.addWidget(button)
        layout.addLayout(receipts)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.cancel_order_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        return page

    def show_acceptance_form(self) -> PreviewDialog | None:
        """Issue the form once (later: the same archived file) and show it large for the customer to read."""
        if self.order is None:
            return None
        if self.acceptance is None:
            self.acceptance = act_or_show(self.backend, self.message_bar, issuing.issue_acceptance_form,
                                          order_id=self.order.order_id, staff_id=self.staff_id)
            if self.acceptance is None:
                self.form_label.setText(_("The acceptance form could not be made; try again."))
                return None
        self.form_label.setText(_("Acceptance form {reference}: let the customer read it on screen, then print "
                                  "it for signature.").format(reference=self.acceptance.reference))
        self.preview = open_document_preview(
            self.backend, document_id=self.acceptance.document_id, path=self.acceptance.path,
            title=_("Acceptance form {reference}").format(reference=self.acceptance.reference),
            staff_id=self.staff_id, parent=self,
            intro=_("Please let the customer read the whole form before printing it for signature."))
        return self.preview

    def mark_signed(self) -> None:
        if self.order is None:
            return
        if act_or_show(self.backend, self.message_bar, service_orders.sign_order, order_id=self.order.order_id,
                       staff_id=self.staff_id) is not None:
            self.signed_button.setEnabled(False)
            self.message_bar.show_message(_("Signature noted."), "ok", seconds=6)

    def issue_receipt(self, *, a4: bool) -> PreviewDialog | None:
        if self.order is None:
            return None
        receipt = act_or_show(self.backend, self.message_bar, issuing.issue_receipt,
                              order_id=self.order.order_id, staff_id=self.staff_id, a4=a4)
        if receipt is None:
            return None
        self.receipt = receipt
        self.preview = open_document_preview(
            self.backend, document_id=receipt.document_id, path=receipt.path,
            title=_("Receipt {reference}").format(reference=receipt.reference), staff_id=self.staff_id,
            parent=self, actions=("print", "save", "decline"))
        return self.preview

    def cancel_order(self) -> None:
        if self.order is None:
            return
        if act_or_show(self.backend, self.message_bar, service_orders.cancel_order, order_id=self.order.order_id,
                       staff_id=self.staff_id) is not None:
            self.message_bar.show_message(_("Order {reference} is cancelled.").format(
                reference=self.order.reference), "info")
            for button in (self.show_form_button, self.signed_button, self.receipt_roll_button,
                           self.receipt_a4_button, self.cancel_order_button):
                button.setEnabled(False)
