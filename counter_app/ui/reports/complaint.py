"""A clerk or manager writes down a customer's complaint, with the cause it points at (F9).

The cause sends the complaint to the process — system or data, training, staffing, the customer's
side — rather than only to the clerk who happened to be at the counter.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.i18n import _
from counter_app.models import Ticket
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.texts import RATING_TEXT
from counter_app.ui.common.widgets import FormDialog
from counter_app.workflows.oversight.explain import CAUSE_TEXT
from counter_app.workflows.queue.tickets import Change
from counter_app.workflows.reports import feedback
from counter_app.workflows.reports.feedback import MAX_COMMENT, REASON_TEXT


def _reference_of(session: Session, clock: Clock, *, ticket_id: int) -> str:
    ticket = session.get(Ticket, ticket_id)
    origin = session.get(Ticket, ticket.origin_id or ticket.id) if ticket else None
    return feedback.ticket_reference(origin) if origin else ""


class ComplaintDialog(FormDialog):
    """`ticket` is the visit's ticket id, a reference ("20260302-A001", "A001", "APO-…"), or None to type one.

    On success `change` holds the workflow's Change and the dialog is accepted.
    """

    def __init__(self, backend, staff_id: int, ticket: int | str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            _("Record a complaint"), _("Record a complaint"),
            _("Name the cause the complaint points at, so the branch fixes what broke — not only who was at the "
              "counter."), _("Record the complaint"), parent, width=600)
        self.backend = backend
        self.staff_id = staff_id
        self.change: Change | None = None
        self.reference_edit = QLineEdit()
        self.reference_edit.setPlaceholderText(_("e.g. 20260302-A001, A001 or APO-20260302-0001"))
        if isinstance(ticket, int):
            self.reference_edit.setText(backend.query(_reference_of, ticket_id=ticket) or "")
        elif ticket:
            self.reference_edit.setText(ticket)
        self.cause_combo = QComboBox()
        self.cause_combo.addItem(_("Choose a cause…"), "")
        for cause, text in CAUSE_TEXT.items():
            self.cause_combo.addItem(_(text), str(cause))
        self.rating_combo = QComboBox()
        self.rating_combo.addItem(_("No rating given"), None)
        for rating in range(5, 0, -1):
            self.rating_combo.addItem(f"{rating} — {_(RATING_TEXT[rating])}", rating)
        self.reason_combo = QComboBox()
        self.reason_combo.addItem("—", "")
        for reason, text in REASON_TEXT.items():
            self.reason_combo.addItem(_(text), str(reason))
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setPlaceholderText(_("What the customer complained about, in their words"))
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setFixedHeight(110)
        self.save_button = self.ok_button
        self.form.addRow(_("Ticket or notice reference"), self.reference_edit)
        self.form.addRow(_("Cause"), self.cause_combo)
        self.form.addRow(_("Complaint"), self.comment_edit)
        self.form.addRow(_("Rating (if given)"), self.rating_combo)
        self.form.addRow(_("Reason given"), self.reason_combo)

    def select_cause(self, cause: str) -> None:
        self.cause_combo.setCurrentIndex(max(0, self.cause_combo.findData(cause)))

    def _on_ok(self) -> None:
        comment = self.comment_edit.toPlainText()
        if not self.reference_edit.text().strip():
            self.message_bar.show_message(_("Give the reference on the ticket or the notice."), "error")
            return
        if len(comment.strip()) > MAX_COMMENT:
            self.message_bar.show_message(
                _("The comment is too long: at most {count} characters.").format(count=MAX_COMMENT), "error")
            return
        # The workflow refuses a missing cause or an unknown reference; the text typed stays.
        result = act_or_show(self.backend, self.message_bar, feedback.record_complaint, staff_id=self.staff_id,
                             cause=self.cause_combo.currentData(), comment=comment,
                             reference=self.reference_edit.text().strip(), rating=self.rating_combo.currentData(),
                             reason=self.reason_combo.currentData())
        if result is not None:
            self.change = result
            self.accept()
