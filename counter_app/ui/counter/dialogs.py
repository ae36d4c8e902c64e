"""The counter's oversight dialogs: asking for help, the helper's inbox, resolving a request, finding a customer.

Every dialog opens without blocking the counter (`open()`), so the clerk keeps seeing the customer's timer.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.i18n import N_, _
from counter_app.models import HelpRoute
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar, fmt_duration
from counter_app.workflows.customers import identity, privacy, records
from counter_app.workflows.oversight import escalation
from counter_app.workflows.oversight.escalation import EscalationLine
from counter_app.workflows.queue.counters import CounterLogin

ROUTE_TEXT = {HelpRoute.MENTOR: N_("the mentor"), HelpRoute.SENIOR: N_("a senior clerk"),
              HelpRoute.MANAGER: N_("the duty manager")}
AUTO_REASON = N_("Raised automatically at the service target")
OLD_AUTO_REASON = "service target reached"  # what automatic requests stored before the reason was left empty


def reason_text(line: EscalationLine) -> str:
    """The clerk's own words as typed; an automatic request in the reader's language."""
    if line.auto and line.reason in ("", OLD_AUTO_REASON):
        return _(AUTO_REASON)
    return line.reason


def _buttons(ok_text: str, dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.rejected.connect(dialog.reject)
    return buttons


class HelpDialog(QDialog):
    """Whom to ask: the clerk's own mentor (named, only if they have one), a senior clerk, or the duty manager."""

    def __init__(self, mentor_name: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Ask for help"))
        self.group = QButtonGroup(self)
        self.route_buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Whom do you want to ask?")))
        choices = [(HelpRoute.SENIOR, _("A senior clerk (whoever is free)")),
                   (HelpRoute.MANAGER, _("The duty manager"))]
        if mentor_name:
            choices.insert(0, (HelpRoute.MENTOR, _("My mentor: {name}").format(name=mentor_name)))
        for route, text in choices:
            button = QRadioButton(text)
            button.setStyleSheet("font-size: 17px; padding: 4px;")
            self.group.addButton(button)
            self.route_buttons[str(route)] = button
            layout.addWidget(button)
        next(iter(self.route_buttons.values())).setChecked(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(120)
        self.reason_edit.setPlaceholderText(_("Optional: what is the problem, in a few words"))
        layout.addWidget(self.reason_edit)
        buttons = _buttons(_("Ask for help"), self)
        buttons.accepted.connect(self.accept)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)

    def route(self) -> str:
        return next(route for route, button in self.route_buttons.items() if button.isChecked())

    def reason(self) -> str:
        return self.reason_edit.text().strip()


class ResolveDialog(QDialog):
    """Close a help request: what was done, and what the customer is told. Both are required."""

    def __init__(self, backend: Backend, line: EscalationLine, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.line = line
        self.staff_id = staff_id
        self.setWindowTitle(_("Resolve help request for {ticket}").format(ticket=line.ticket_number or "—"))
        self.message_bar = MessageBar()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(_("What was done (for the branch)"))
        self.note_edit.setFixedHeight(70)
        self.explanation_edit = QPlainTextEdit()
        self.explanation_edit.setPlaceholderText(_("What the customer is told (printed on their notice)"))
        self.explanation_edit.setFixedHeight(70)
        form = QFormLayout()
        form.addRow(_("Resolution note"), self.note_edit)
        form.addRow(_("Explanation for the customer"), self.explanation_edit)
        buttons = _buttons(_("Resolve"), self)
        buttons.accepted.connect(self._on_resolve)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 280)

    def _on_resolve(self) -> None:
        # The workflow refuses a missing note or explanation; the refusal stays in this dialog.
        done = act_or_show(self.backend, self.message_bar, escalation.resolve, escalation_id=self.line.escalation_id,
                           staff_id=self.staff_id, note=self.note_edit.toPlainText(),
                           explanation=self.explanation_edit.toPlainText())
        if done is not None:
            self.accept()


@dataclass(frozen=True)
class Candidate:
    """A customer the clerk's words may name, masked (the customer may see the list), and how it was found."""

    customer_id: int
    ref: str | None  # what opens the record: its account, else its mobile
    masked: privacy.MaskedCustomer
    how: str


HOW_TEXT = {"account": N_("account"), "phone": N_("mobile"), "id_number": N_("ID number"),
            "id_last4": N_("ID card's last 4"), "ticket": N_("today's ticket")}


def candidates(session: Session, clock: Clock, *, text: str) -> list[Candidate]:
    return [Candidate(f.customer.id, f.customer.account_no or f.customer.phone, privacy.masked(f.customer), f.how)
            for f in records.search(session, clock, text)]


def candidate_text(candidate: Candidate) -> str:
    masked = candidate.masked
    parts = [masked.name or _("(no name)"), masked.phone or "", masked.account_no or "", masked.id_card]
    return " · ".join(p for p in parts if p) + "  — " + _("found by {how}").format(
        how=_(HOW_TEXT.get(candidate.how, candidate.how)))


class CustomerDialog(QDialog):
    """Find the customer at the counter by mobile, account, the whole ID number, the ID card's last 4 (a list to
    choose from with the customer) or today's ticket number; the visit is linked to them. A mobile or account
    that names nobody yet records a new customer.

    Signals:
        customer_opened(object): the `customers.CustomerCard` of the customer found or recorded.
    """

    customer_opened = Signal(object)

    def __init__(self, backend: Backend, login: CounterLogin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.login = login
        self.found: list[Candidate] = []
        self.setWindowTitle(_("Customer"))
        self.message_bar = MessageBar()
        self.ref_edit = QLineEdit()
        self.ref_edit.setPlaceholderText(_("Mobile, account, ID number, ID's last 4 or ticket"))
        self.ref_edit.setMaxLength(40)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(_("Optional, for a new customer"))
        form = QFormLayout()
        form.addRow(_("Find by"), self.ref_edit)
        form.addRow(_("Name"), self.name_edit)
        self.candidates_label = QLabel(_("Several customers match: choose the one in front of you."))
        self.candidates_list = QListWidget()
        self.candidates_list.itemDoubleClicked.connect(lambda _item: self._on_choose())
        self.choose_button = QPushButton(_("Open this one"))
        self.choose_button.clicked.connect(self._on_choose)
        for widget in (self.candidates_label, self.candidates_list, self.choose_button):
            widget.hide()
        buttons = _buttons(_("Open customer"), self)
        buttons.accepted.connect(self._on_open)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addLayout(form)
        layout.addWidget(self.candidates_label)
        layout.addWidget(self.candidates_list)
        layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(buttons)
        self.resize(560, 200)

    def _on_open(self) -> None:
        text = self.ref_edit.text().strip()
        found = self.backend.query(candidates, text=text) or []
        sure = [c for c in found if c.how != "id_last4"]
        if len(found) == 1 and sure:
            self._open(found[0].ref)
        elif found:
            self._show_candidates(found)
        elif records.TICKET_NUMBER.match(text.upper()) or identity.LAST4.match(text.upper()) \
                or identity.is_id_number(text):
            # Not a mobile or an account to record a new customer by: it names nobody we know.
            self.message_bar.show_message(_("No customer found by {text}.").format(text=text), "error")
        else:
            self._open(text)

    def _show_candidates(self, found: list[Candidate]) -> None:
        self.found = found
        self.candidates_list.clear()
        for candidate in found:
            self.candidates_list.addItem(QListWidgetItem(candidate_text(candidate)))
        self.candidates_list.setCurrentRow(0)
        for widget in (self.candidates_label, self.candidates_list, self.choose_button):
            widget.show()
        self.message_bar.clear_message()

    def _on_choose(self) -> None:
        row = self.candidates_list.currentRow()
        if 0 <= row < len(self.found):
            self._open(self.found[row].ref)

    def _open(self, ref: str | None) -> None:
        if not ref:
            self.message_bar.show_message(_("This record has no mobile or account to open it by."), "error")
            return
        card = act_or_show(self.backend, self.message_bar, records.open_customer,
                           counter_number=self.login.counter_number, staff_id=self.login.staff_id,
                           ref=ref, name=self.name_edit.text().strip())
        if card is not None:
            self.customer_opened.emit(card)
            self.accept()


class InboxDialog(QDialog):
    """Help requests this person may take on, live: accept, hand up to the duty manager, resolve."""

    COLUMNS = (N_("Ticket"), N_("Counter"), N_("From"), N_("Asked for"), N_("State"), N_("Age"), N_("Reason"))

    def __init__(self, backend: Backend, login: CounterLogin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.login = login
        self.lines: list[EscalationLine] = []
        self.resolve_dialog: ResolveDialog | None = None
        self.setWindowTitle(_("Help requests for you"))
        self.message_bar = MessageBar()
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel(_("Nobody is asking for your help right now."))
        self.empty_label.setStyleSheet("color: #555;")
        self.accept_button = QPushButton(_("Accept"))
        self.hand_up_button = QPushButton(_("Hand up to the duty manager"))
        self.resolve_button = QPushButton(_("Resolve…"))
        close_button = QPushButton(_("Close"))
        self.accept_button.clicked.connect(self._on_accept)
        self.hand_up_button.clicked.connect(self._on_hand_up)
        self.resolve_button.clicked.connect(self._on_resolve)
        close_button.clicked.connect(self.close)
        row = QHBoxLayout()
        for button in (self.accept_button, self.hand_up_button, self.resolve_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.resize(760, 320)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        backend.changed.connect(self._on_backend_changed)
        self.refresh()

    def refresh(self) -> None:
        lines = self.backend.query(lambda session, clock: escalation.inbox(session, clock.now(),
                                                                            staff_id=self.login.staff_id))
        if lines is None:
            return
        selected = self.selected_line()
        self.lines = lines
        self.empty_label.setVisible(not lines)
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            values = (line.ticket_number or "—", str(line.counter_number or "—"), line.requested_by or "—",
                      _(ROUTE_TEXT.get(line.route, line.route)),
                      _(escalation.STATE_TEXT.get(line.state, line.state)), fmt_duration(line.age_seconds),
                      reason_text(line))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, line.escalation_id)
                self.table.setItem(row, col, item)
        ids = [line.escalation_id for line in lines]
        if selected is not None and selected.escalation_id in ids:
            self.table.selectRow(ids.index(selected.escalation_id))
        elif lines and selected is None:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_line(self) -> EscalationLine | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.lines):
            return None
        return self.lines[rows[0].row()]

    def _update_buttons(self) -> None:
        line = self.selected_line()
        mine = line is not None and line.accepted_by_id == self.login.staff_id
        self.accept_button.setEnabled(line is not None and line.state in ("requested", "handed_up") and not mine)
        self.hand_up_button.setEnabled(mine and line.state == "accepted")
        self.resolve_button.setEnabled(line is not None and (mine or self.login.role == "manager"))

    def _on_accept(self) -> None:
        line = self.selected_line()
        if line and act_or_show(self.backend, self.message_bar, escalation.accept,
                                escalation_id=line.escalation_id, staff_id=self.login.staff_id):
            self.message_bar.show_message(_("You are helping at counter {number}.").format(
                number=line.counter_number or "—"), "ok", seconds=6)

    def _on_hand_up(self) -> None:
        line = self.selected_line()
        if line and act_or_show(self.backend, self.message_bar, escalation.hand_up,
                                escalation_id=line.escalation_id, staff_id=self.login.staff_id):
            self.message_bar.show_message(_("Handed up to the duty manager."), "ok", seconds=6)

    def _on_resolve(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        self.resolve_dialog = ResolveDialog(self.backend, line, self.login.staff_id, self)
        self.resolve_dialog.open()

    def _on_backend_changed(self, _change: object) -> None:
        if self.isVisible():
            self.refresh()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.timer.stop()
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.timer.start()
        self.refresh()
        super().showEvent(event)
