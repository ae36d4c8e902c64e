"""The staff login at a counter: each clerk signs in with their own number and password."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from counter_app.i18n import _, join_list, pick
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import FormDialog
from counter_app.workflows.core import auth
from counter_app.workflows.queue import counters, presence
from counter_app.workflows.queue.board import display_board
from counter_app.workflows.queue.counters import CounterLogin


class ChangePasswordDialog(FormDialog):
    """A person whose password an administrator set chooses their own: the new one twice."""

    def __init__(self, backend: Backend, staff_no: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Choose your password"), _("Choose your own password"),
                         _("An administrator set the password you signed in with. Choose one only you know; "
                           "it takes effect now."), _("Save password"), parent)
        self.backend, self.staff_no, self._password = backend, staff_no, password
        self.new_edit, self.again_edit = QLineEdit(), QLineEdit()
        for edit in (self.new_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(_("Staff number"), QLabel(staff_no))
        self.form.addRow(_("New password"), self.new_edit)
        self.form.addRow(_("New password again"), self.again_edit)
        self.new_edit.setFocus()

    def _on_ok(self) -> None:
        new, again = self.new_edit.text(), self.again_edit.text()
        if new != again:
            self.message_bar.show_message(_("The two new passwords differ: type the same one twice."), "error")
            self.again_edit.clear()
            self.again_edit.setFocus()
            return
        done = act_or_show(self.backend, self.message_bar, auth.change_password, staff_no=self.staff_no,
                           password=self._password, new_password=new)
        if done is not None:
            self._password = ""
            self.accept()


def password_to_change(backend: Backend, parent: QWidget, staff_no: str, password: str) -> str | None:
    """After a refused sign-in: when the refusal was a password an administrator set, let its owner choose their
    own and return it (the sign-in is then tried again with it); None otherwise or when they cancel."""
    if not isinstance(getattr(backend, "last_refusal", None), auth.PasswordChangeRequired):
        return None
    dialog = ChangePasswordDialog(backend, staff_no, password, parent)
    chosen = dialog.new_edit.text() if dialog.exec() == ChangePasswordDialog.DialogCode.Accepted else None
    dialog.deleteLater()
    return chosen


class LoginDialog(FormDialog):
    """Asks for counter, staff number and password; on success `login` holds the CounterLogin.

    A refusal (wrong password, counter in use) is shown inside the dialog; the fields are kept,
    except the password, which is cleared.
    """

    def __init__(self, backend: Backend, counter_number: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Staff login"), _("Log in at a counter"),
                         _("Every call and service is recorded against the person logged in."), _("Log in"), parent,
                         width=520)
        self.backend = backend
        self.login: CounterLogin | None = None
        self.counter_combo = QComboBox()
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(_("e.g. S001"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_button = self.ok_button
        # Taking over a counter another clerk holds (gone home, PC frozen): a duty manager approves on the spot.
        self.take_over_button = QPushButton(_("Take over with a duty manager…"))
        self.take_over_button.setAutoDefault(False)
        self.manager_edit = QLineEdit()
        self.manager_edit.setPlaceholderText(_("e.g. M001"))
        self.manager_password_edit = QLineEdit()
        self.manager_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(_("e.g. 王芳 went home ill"))
        self.take_over_form = QWidget()
        take_over = QFormLayout(self.take_over_form)
        take_over.setContentsMargins(0, 0, 0, 0)
        take_over.addRow(_("Duty manager"), self.manager_edit)
        take_over.addRow(_("Manager's password"), self.manager_password_edit)
        take_over.addRow(_("Reason"), self.reason_edit)
        self.take_over_form.hide()

        self.form.addRow(_("Counter"), self.counter_combo)
        self.form.addRow(_("Staff number"), self.staff_edit)
        self.form.addRow(_("Password"), self.password_edit)
        self.form.addRow(self.take_over_form)
        self.buttons.insertWidget(0, self.take_over_button)
        self.take_over_button.clicked.connect(self._on_take_over_wanted)
        self._fill_counters(counter_number)
        (self.staff_edit if not self.staff_edit.text() else self.password_edit).setFocus()

    def _fill_counters(self, preferred: int | None) -> None:
        """The branch's counters with the services each serves and who holds it now."""
        board = self.backend.query(display_board, recent=0)
        numbers: list[int] = []
        if board is None:
            self.message_bar.show_message(_("The store cannot be read: logging in may fail."), "error")
        else:
            names = {s.code: pick(s.names) for s in board.services}
            for counter in board.counters:
                codes = sorted(counter.service_codes, key=lambda c: list(names).index(c) if c in names else 99)
                services = join_list(names.get(code, code) for code in codes)
                holder = counter.staff_name or _("free")
                self.counter_combo.addItem(
                    _("Counter {number} — {services} ({holder})").format(
                        number=counter.number, services=services, holder=holder),
                    counter.number)
                numbers.append(counter.number)
        if preferred is not None and preferred not in numbers:
            # Keep the number asked for, so the refusal names it instead of silently picking another.
            self.counter_combo.addItem(_("Counter {number}").format(number=preferred), preferred)
        if preferred is not None:
            self.counter_combo.setCurrentIndex(self.counter_combo.findData(preferred))

    def select_counter(self, number: int) -> None:
        index = self.counter_combo.findData(number)
        if index >= 0:
            self.counter_combo.setCurrentIndex(index)

    def _on_ok(self) -> None:
        counter_number = self.counter_combo.currentData()
        staff_no = self.staff_edit.text().strip()
        password = self.password_edit.text()
        if counter_number is None:
            self.message_bar.show_message(_("Choose a counter."), "error")
            return
        if not staff_no or not password:
            self.message_bar.show_message(_("Enter your staff number and your password."), "error")
            (self.staff_edit if not staff_no else self.password_edit).setFocus()
            return
        if self.take_over_form.isVisible():
            result = act_or_show(self.backend, self.message_bar, presence.take_over, counter_number=counter_number,
                                 staff_no=staff_no, password=password, manager_no=self.manager_edit.text().strip(),
                                 manager_password=self.manager_password_edit.text(), reason=self.reason_edit.text())
            self.manager_password_edit.clear()
        else:
            result = act_or_show(self.backend, self.message_bar, counters.login, counter_number=counter_number,
                                 staff_no=staff_no, password=password)
            chosen = None if result is not None else password_to_change(self.backend, self, staff_no, password)
            if chosen is not None:
                result = act_or_show(self.backend, self.message_bar, counters.login, counter_number=counter_number,
                                     staff_no=staff_no, password=chosen)
        self.password_edit.clear()
        if result is None:
            self.password_edit.setFocus()
            return
        self.login = result
        self.message_bar.clear_message()
        self.accept()

    def _on_take_over_wanted(self) -> None:
        self.take_over_form.show()
        self.take_over_button.hide()
        self.login_button.setText(_("Take over"))
        self.message_bar.show_message(_("A duty manager approves with their own number and password; the "
                                        "customers at the counter stay with you."), "info")
        self.manager_edit.setFocus()
