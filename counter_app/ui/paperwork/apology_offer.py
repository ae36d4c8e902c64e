"""The counter offers an apology and explanation notice when a visit broke its targets or was escalated (F8).

The offer says why, in words and with the real minutes; "Show the notice" issues it (archived) and
previews it; printing it or the customer declining it is recorded against the archived notice.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app.i18n import _
from counter_app.models import DocumentKind
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar
from counter_app.ui.paperwork.preview import PreviewDialog, open_document_preview
from counter_app.workflows.paperwork import issuing
from counter_app.workflows.paperwork.issuing import ApologyDue, DueReason, IssuedDoc

STYLE = """
QFrame#apologyOffer { background: #fff8e6; border: 2px solid #e0b54a; border-radius: 8px; }
QLabel#apologyTitle { font-size: 18px; font-weight: bold; color: #6b4a00; }
QLabel#apologyReasons { font-size: 16px; color: #333; }
"""


def reason_lines(due: ApologyDue) -> list[str]:
    """Each reason as a sentence with its minutes, as the clerk would tell the customer."""
    lines = []
    for reason in due.reasons:
        if reason == DueReason.WAIT_BREACHED and due.wait_minutes is not None:
            lines.append(_("The customer waited {minutes} min; the target is {target} min.").format(
                minutes=due.wait_minutes, target=due.target_wait_minutes))
        elif reason == DueReason.SERVICE_BREACHED and due.service_minutes is not None:
            lines.append(_("The service took {minutes} min; the target is {target} min.").format(
                minutes=due.service_minutes, target=due.target_service_minutes))
        else:
            lines.append(_(issuing.REASON_TEXT.get(reason, reason)))
    return lines


class ApologyOffer(QFrame):
    """Why a notice is offered, with Show the notice… and Customer declines.

    Signals:
        settled(str): the notice was printed, saved or declined (a `PrintStatus` value); the
            counter window may hide the offer.
    """

    settled = Signal(str)

    def __init__(self, backend: Backend, ticket_id: int, staff_id: int, language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.ticket_id = ticket_id
        self.staff_id = staff_id
        self.language = language
        self.due: ApologyDue | None = None
        self.notice: IssuedDoc | None = None
        self.document_id: int | None = None
        self.preview: PreviewDialog | None = None
        self.outcome: str | None = None
        self.setObjectName("apologyOffer")
        self.setStyleSheet(STYLE)
        self.title_label = QLabel(_("Offer the customer an apology and explanation notice"))
        self.title_label.setObjectName("apologyTitle")
        self.title_label.setWordWrap(True)
        self.reasons_label = QLabel()
        self.reasons_label.setObjectName("apologyReasons")
        self.reasons_label.setWordWrap(True)
        self.message_bar = MessageBar()
        self.show_button = QPushButton(_("Show the notice…"))
        self.show_button.setMinimumHeight(40)
        self.decline_button = QPushButton(_("Customer declines"))
        self.decline_button.setMinimumHeight(40)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.title_label)
        layout.addWidget(self.reasons_label)
        layout.addWidget(self.message_bar)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.show_button.clicked.connect(self.show_notice)
        self.decline_button.clicked.connect(self.decline)
        self.refresh()

    def refresh(self) -> ApologyDue | None:
        self.due = self.backend.query(issuing.apology_due, ticket_id=self.ticket_id)
        if self.due is None:
            self.reasons_label.setText(_("This visit kept to its targets: no notice is due."))
        else:
            self.document_id = self.document_id or self.due.document_id
            reasons = "".join(f"\n• {line}" for line in reason_lines(self.due))
            self.reasons_label.setText(_("Why: {reasons}").format(reasons=reasons))
        self.show_button.setEnabled(self.due is not None or self.document_id is not None)
        self.decline_button.setEnabled(self.due is not None and self.outcome is None)
        return self.due

    def _issue(self) -> int | None:
        """The visit's notice: issued now, or the one already archived."""
        if self.document_id is not None:
            return self.document_id
        self.notice = act_or_show(self.backend, self.message_bar, issuing.issue_apology, ticket_id=self.ticket_id,
                                  staff_id=self.staff_id, language=self.language)
        self.document_id = self.notice.document_id if self.notice else None
        return self.document_id

    def _path(self, document_id: int):
        if self.notice is not None and self.notice.document_id == document_id:
            return self.notice.path
        lines = self.backend.query(issuing.documents_of, ticket_id=self.ticket_id) or []
        line = next(line for line in lines if line.document_id == document_id)
        return issuing.document_path(line)

    def show_notice(self) -> PreviewDialog | None:
        document_id = self._issue()
        if document_id is None:
            return None
        self.preview = open_document_preview(
            self.backend, document_id=document_id, path=self._path(document_id),
            title=_("Apology and explanation"), staff_id=self.staff_id, parent=self.window(),
            actions=("print", "save", "decline"), kind=DocumentKind.APOLOGY,
            intro=_("Hand the customer the notice, or let them read it here. If they do not want it, "
                    "press Customer declines."))
        self.preview.outcome_reported.connect(self._on_outcome)
        return self.preview

    def decline(self) -> None:
        """The customer does not want the notice: it stays archived, marked declined."""
        document_id = self._issue()
        if document_id is None:
            return
        if self.backend.act(issuing.record_print, document_id=document_id, status="declined",
                            staff_id=self.staff_id) is not None:
            self._on_outcome("declined", "", "")

    def _on_outcome(self, outcome: str, _printer: str, _note: str) -> None:
        if outcome == "failed":
            self.message_bar.show_message(_("The notice was not printed; it is archived and can be reprinted."),
                                          "error")
            return
        self.outcome = outcome
        texts = {"printed": _("Notice printed."), "saved": _("Notice saved as PDF."),
                 "declined": _("The customer declined the notice; that is recorded.")}
        self.message_bar.show_message(texts.get(outcome, outcome), "ok")
        self.decline_button.setEnabled(False)
        self.settled.emit(outcome)


class ApologyOfferDialog(QDialog):
    """The offer on its own, for a window that has no room to mount it."""

    def __init__(self, backend: Backend, ticket_id: int, staff_id: int, language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Apology and explanation"))
        self.offer = ApologyOffer(backend, ticket_id, staff_id, language, self)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.offer)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.offer.settled.connect(lambda _outcome: self.accept())
        self.setMinimumWidth(640)
        self.adjustSize()
