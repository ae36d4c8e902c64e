"""The customer at the counter: their history as one timeline (approved exceptions first), and their full
details, shown only when the clerk asks and says why (each view is logged: workflows/customers/privacy.py).

What stays on the counter screen is masked (the customer may see it); the unmasked details open in a dialog
of their own, which says the view is logged, and close with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.i18n import N_, _, join_list, pick
from counter_app.models.oversight import Customer
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar, fmt_duration
from counter_app.workflows.customers import privacy, segments
from counter_app.workflows.oversight import customer_history, escalation
from counter_app.workflows.oversight.approvals import KIND_TEXT
from counter_app.workflows.oversight.explain import CAUSE_TEXT
from counter_app.workflows.paperwork.issuing import KIND_TEXT as DOCUMENT_TEXT

BROKEN_TEXT = {"wait": N_("wait"), "service": N_("service"), "total": N_("total")}
EXCEPTION_COLOUR, COMPLAINT_COLOUR, BREACH_COLOUR = "#f3e8ff", "#fdecea", "#fff1cc"


@dataclass(frozen=True)
class HistoryView:
    customer_id: int
    segment: str  # the segment's name in the screen's language
    entries: list[customer_history.HistoryEntry]


def segment_name(session: Session, code: str) -> str:
    known = segments.segments(session).get(code or segments.STANDARD)
    return pick({"zh": known.name_zh, "en": known.name_en}) if known else code


def history_view(session: Session, _clock: Clock, *, customer_id: int) -> HistoryView:
    customer = session.get(Customer, customer_id)
    return HistoryView(customer_id, segment_name(session, customer.segment if customer else ""),
                       customer_history.history(session, customer_id))


def _when(entry) -> str:
    return entry.at.strftime("%Y-%m-%d %H:%M")


def entry_text(entry: customer_history.HistoryEntry) -> str:
    """One line (or two) of the timeline, in the screen's language."""
    if entry.kind == "exception":
        text = _("Approved exception: {kind} — approved by {manager} (asked by {clerk}) on {date}").format(
            kind=_(KIND_TEXT.get(entry.exception, entry.exception)), manager=entry.approved_by,
            clerk=entry.requested_by, date=_when(entry))
        text += "\n" + _("Reason: {reason}").format(reason=entry.reason)
        if entry.customer_explanation:
            text += "\n" + _("Customer was told: {text}").format(text=entry.customer_explanation)
        if entry.remedy or entry.amount:
            text += "\n" + _("Remedy: {remedy} {amount}").format(
                remedy=entry.remedy, amount=_("{amount} yuan").format(amount=entry.amount) if entry.amount else "")
        return text
    if entry.kind == "visit":
        parts = [_("{date} visit {reference}").format(date=_when(entry), reference=entry.reference),
                 join_list(pick(names) for names in entry.service_names) or join_list(entry.services)]
        if entry.wait_s is not None:
            parts.append(_("waited {duration}").format(duration=fmt_duration(entry.wait_s)))
        if entry.service_s is not None:
            parts.append(_("served in {duration}").format(duration=fmt_duration(entry.service_s)))
        if entry.served_by:
            parts.append(_("by {name}").format(name=entry.served_by))
        text = " · ".join(parts)
        if entry.broken:
            text += "\n" + _("Over target: {what}").format(what=join_list(_(BROKEN_TEXT.get(b, b))
                                                                        for b in entry.broken))
            if entry.cause:
                text += " — " + _(CAUSE_TEXT.get(entry.cause, entry.cause))
        return text
    if entry.kind == "escalation":
        text = _("{date} help asked: {state}").format(date=_when(entry),
                                                      state=_(escalation.STATE_TEXT.get(entry.state, entry.state)))
        details = " — ".join(t for t in (entry.reason, entry.resolution_note) if t)
        return text + (f" — {details}" if details else "")
    if entry.kind == "feedback":
        head = _("{date} complaint") if entry.complaint else _("{date} feedback")
        text = head.format(date=_when(entry))
        if entry.rating is not None:
            text += " · " + _("rated {rating}/5").format(rating=entry.rating)
        return text + (f" — {entry.comment}" if entry.comment else "")
    return _("{date} document issued: {kind} {reference}").format(
        date=_when(entry), kind=_(DOCUMENT_TEXT.get(entry.document, entry.document)), reference=entry.reference)


def entry_colour(entry: customer_history.HistoryEntry) -> str | None:
    if entry.kind == "exception":
        return EXCEPTION_COLOUR
    if entry.kind == "feedback" and entry.complaint:
        return COMPLAINT_COLOUR
    if entry.kind == "visit" and entry.broken:
        return BREACH_COLOUR
    return None


class HistoryList(QListWidget):
    """The customer's timeline: approved exceptions first (bold, on purple), then the rest, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.setMinimumHeight(120)
        self.setMaximumHeight(220)

    def show_history(self, entries: list[customer_history.HistoryEntry]) -> None:
        self.clear()
        if not entries:
            self.addItem(_("No earlier visits on record."))
            return
        for entry in entries:
            item = QListWidgetItem(entry_text(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.kind)
            if (colour := entry_colour(entry)) is not None:
                item.setBackground(QBrush(QColor(colour)))
            if entry.kind == "exception":
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.addItem(item)

    def kinds(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]


class FullDetailsDialog(QDialog):
    """The customer's details unmasked, for the signed-in clerk who says why; the view is logged."""

    def __init__(self, backend: Backend, customer_id: int, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.customer_id, self.staff_id = backend, customer_id, staff_id
        self.details: privacy.FullDetails | None = None
        self.setWindowTitle(_("Customer's full details"))
        self.setMinimumWidth(560)
        notice = self.notice_label = QLabel(_("This view is logged: your name, the time and your reason are kept in the event log. "
                          "Turn the screen away from the customer and others before you show the details."))
        notice.setWordWrap(True)
        notice.setStyleSheet("background: #fff1cc; color: #4a3000; border: 1px solid #c98a00; padding: 8px;"
                             " border-radius: 4px;")
        self.message_bar = MessageBar()
        self.why_edit = QLineEdit()
        self.why_edit.setMaxLength(200)
        self.why_edit.setPlaceholderText(_("e.g. the customer asked to check their registered mobile"))
        self.show_button = QPushButton(_("Show the details"))
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self._on_show)
        why_row = QHBoxLayout()
        why_row.addWidget(QLabel(_("Why you need them:")))
        why_row.addWidget(self.why_edit, 1)
        why_row.addWidget(self.show_button)
        self.details_form = QFormLayout()
        self.details_box = QWidget()
        self.details_box.setLayout(self.details_form)
        self.details_box.hide()
        close_button = QPushButton(_("Close"))
        close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(notice)
        layout.addWidget(self.message_bar)
        layout.addLayout(why_row)
        layout.addWidget(self.details_box)
        layout.addWidget(close_button, 0, Qt.AlignmentFlag.AlignRight)

    def _on_show(self) -> None:
        details = act_or_show(self.backend, self.message_bar, privacy.full_details, customer_id=self.customer_id,
                              staff_id=self.staff_id, why=self.why_edit.text())
        if details is None:
            return
        self.details = details
        self.why_edit.setEnabled(False)
        self.show_button.setEnabled(False)
        yes, no = _("yes"), _("no")
        rows = [(_("Name"), details.name or "—"), (_("Accounts"), join_list(details.accounts) or "—"),
                (_("Mobiles"), join_list(details.phones) or "—"),
                (_("ID card"), privacy.mask_id_last4(details.id_last4) or "—"),
                (_("Monthly spend"), _("{amount} yuan").format(amount=details.monthly_spend)),
                (_("Customer since"), details.customer_since.isoformat() if details.customer_since else "—"),
                (_("Agreed to be called"), yes if details.consent_contact else no),
                (_("Agreed to marketing"), yes if details.consent_marketing else no),
                (_("Notes"), details.notes or "—")]
        for label, value in rows:
            field = QLabel(escape(value).replace("\n", "<br>"))
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setWordWrap(True)
            self.details_form.addRow(label, field)
        self.details_box.show()
        self.message_bar.show_message(_("Shown and logged."), "ok")

    def shown_text(self) -> str:
        """Every value the dialog shows (for tests)."""
        return " ".join(self.details_form.itemAt(i).widget().text() for i in range(self.details_form.count())
                        if self.details_form.itemAt(i).widget() is not None)
