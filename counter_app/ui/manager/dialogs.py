"""The duty manager's dialogs: signing in, resolving a help request, approving an exception, handing over
and closing a counter whose clerk is gone.

Each runs its workflow itself and shows a refusal inside the dialog, keeping what was typed (except
a password), so a manager never retypes an explanation because one field was missing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from counter_app.i18n import _
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.login import password_to_change
from counter_app.ui.common.widgets import FormDialog
from counter_app.workflows.oversight import approvals, duty, escalation
from counter_app.workflows.oversight.approvals import Approval
from counter_app.workflows.oversight.duty import ManagerLogin
from counter_app.workflows.queue import presence


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _text_edit(placeholder: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(28 * lines)
    return edit


class ManagerSignInDialog(FormDialog):
    """A duty manager signs in with their own number and password; on success `login` holds it."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(_("Duty manager sign-in"), _("Sign in as duty manager"),
                         _("Only duty managers can open this window. You are then on duty until you sign out."),
                         _("Sign in"), parent)
        self.backend = backend
        self.login: ManagerLogin | None = None
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(_("e.g. M001"))
        self.password_edit = _password_edit()
        self.form.addRow(_("Staff number"), self.staff_edit)
        self.form.addRow(_("Password"), self.password_edit)
        self.sign_in_button = self.ok_button
        self.staff_edit.setFocus()

    def _on_ok(self) -> None:
        staff_no, password = self.staff_edit.text().strip(), self.password_edit.text()
        if not staff_no or not password:
            self.message_bar.show_message(_("Enter your staff number and your password."), "error")
            return
        result = act_or_show(self.backend, self.message_bar, duty.manager_sign_in, staff_no=staff_no,
                             password=password)
        chosen = None if result is not None else password_to_change(self.backend, self, staff_no, password)
        if chosen is not None:
            result = act_or_show(self.backend, self.message_bar, duty.manager_sign_in, staff_no=staff_no,
                                 password=chosen)
        self.password_edit.clear()
        if result is None:
            self.password_edit.setFocus()
            return
        self.login = result
        self.accept()


class ResolveDialog(FormDialog):
    """Close a help request: what was done, and what the customer is told (both are required)."""

    def __init__(self, backend: Backend, login: ManagerLogin, row, parent: QWidget | None = None) -> None:
        line = row.line
        super().__init__(_("Resolve help request"),
                         _("Resolve: {ticket} at counter {counter}").format(
                             ticket=line.ticket_number or "—", counter=line.counter_number or "—"),
                         _("The explanation is printed for the customer on the apology notice: write it in plain "
                           "words."), _("Resolve"), parent)
        self.backend = backend
        self.login = login
        self.escalation_id = line.escalation_id
        self.note_edit = _text_edit(_("What was done, for the branch's records"))
        self.explanation_edit = _text_edit(_("What we tell the customer"))
        self.form.addRow(_("Resolution note"), self.note_edit)
        self.form.addRow(_("Explanation for the customer"), self.explanation_edit)
        self.resolve_button = self.ok_button

    def _on_ok(self) -> None:
        # The workflow decides what is missing; its refusal is shown here and the text stays.
        result = act_or_show(self.backend, self.message_bar, escalation.resolve, escalation_id=self.escalation_id,
                             staff_id=self.login.staff_id, note=self.note_edit.toPlainText(),
                             explanation=self.explanation_edit.toPlainText())
        if result is not None:
            self.accept()


class ApproveDialog(FormDialog):
    """Approve an exception for the customer of a help request; the manager re-enters their credential."""

    def __init__(self, backend: Backend, row, parent: QWidget | None = None) -> None:
        line = row.line
        super().__init__(_("Approve an exception"),
                         _("Exception for {ticket}, asked by {name}").format(
                             ticket=line.ticket_number or "—", name=line.requested_by or "—"),
                         _("The approval stays on the customer's record and every clerk who opens the customer sees "
                           "it. Re-enter your staff number and password to sign it."), _("Approve"), parent)
        self.backend = backend
        self.row = row
        self.approval: Approval | None = None
        self.kind_combo = QComboBox()
        for kind, text in approvals.KIND_TEXT.items():
            self.kind_combo.addItem(_(text), str(kind))
        self.customer_edit = QLineEdit(row.customer_ref or "")
        self.customer_edit.setPlaceholderText(_("Account number or 11-digit mobile number"))
        self.reason_edit = _text_edit(_("Why the exception is right, for the branch's records"), 2)
        self.explanation_edit = _text_edit(_("What the customer will read on the notice"))
        self.remedy_edit = QLineEdit()
        self.remedy_edit.setPlaceholderText(_("e.g. the fee is waived; the flag is removed"))
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText(_("yuan, e.g. 120.00 (empty if no money is involved)"))
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(_("your staff number"))
        self.password_edit = _password_edit()
        for label, widget in ((_("Kind"), self.kind_combo), (_("Customer"), self.customer_edit),
                              (_("Reason"), self.reason_edit), (_("Explanation for the customer"), self.explanation_edit),
                              (_("Remedy"), self.remedy_edit), (_("Amount"), self.amount_edit),
                              (_("Your staff number"), self.staff_edit), (_("Your password"), self.password_edit)):
            self.form.addRow(label, widget)
        self.approve_button = self.ok_button

    def select_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))

    def _on_ok(self) -> None:
        line = self.row.line
        result = act_or_show(
            self.backend, self.message_bar, approvals.approve_exception,
            manager_staff_no=self.staff_edit.text().strip(), manager_password=self.password_edit.text(),
            requested_by=line.requested_by_id, kind=self.kind_combo.currentData(),
            reason=self.reason_edit.toPlainText(), customer_explanation=self.explanation_edit.toPlainText(),
            customer_ref=self.customer_edit.text().strip() or None, ticket_id=self.row.ticket_id,
            escalation_id=line.escalation_id, remedy=self.remedy_edit.text(), amount=self.amount_edit.text(),
        )
        self.password_edit.clear()
        if result is None:
            self.password_edit.setFocus()
            return
        self.approval = result
        self.accept()


class HandOverDialog(FormDialog):
    """Hand the customers of a counter (its PC silent, its clerk gone) to another counter, where they wait
    parked for its clerk; `targets` are the staffed, open counters to choose from."""

    def __init__(self, backend: Backend, login: ManagerLogin, counter_number: int, customers: str,
                 targets: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(_("Hand customers over"), _("Counter {number}: hand its customers over").format(
            number=counter_number),
            _("{customers} wait parked at the counter you choose; its clerk resumes them.").format(
                customers=customers), _("Hand over"), parent)
        self.backend, self.login, self.counter_number = backend, login, counter_number
        self.target_combo = QComboBox()
        for number, who in targets:
            self.target_combo.addItem(_("Counter {number} — {name}").format(number=number, name=who), number)
        self.form.addRow(_("To counter"), self.target_combo)
        self.ok_button.setEnabled(bool(targets))
        if not targets:
            self.message_bar.show_message(_("No other counter is open to take them."), "error")

    def _on_ok(self) -> None:
        target = self.target_combo.currentData()
        if target is None:
            return
        if act_or_show(self.backend, self.message_bar, presence.hand_over, counter_number=self.counter_number,
                       to_counter_number=int(target), manager_id=self.login.staff_id) is not None:
            self.accept()


class ReleaseCounterDialog(FormDialog):
    """Close a counter whose clerk is gone and sign the clerk out of it, with the reason for the log."""

    def __init__(self, backend: Backend, login: ManagerLogin, counter_number: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(_("Close a counter"), _("Close counter {number}").format(number=counter_number),
                         _("The counter is closed and its clerk signed out; they sign in again to reopen it."),
                         _("Close counter"), parent)
        self.backend, self.login, self.counter_number = backend, login, counter_number
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(presence.MAX_REASON)
        self.reason_edit.setPlaceholderText(_("e.g. the PC froze; the clerk went home ill"))
        self.form.addRow(_("Reason"), self.reason_edit)

    def _on_ok(self) -> None:
        if act_or_show(self.backend, self.message_bar, presence.release_counter, counter_number=self.counter_number,
                       manager_id=self.login.staff_id, reason=self.reason_edit.text()) is not None:
            self.accept()
