"""What the counter window adds when time runs over: the prompt to explain, help, the customer's record, breach causes."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import LANGUAGES, N_, _
from counter_app.models import BreachCause, Escalation, Staff
from counter_app.ui.common.widgets import fmt_duration
from counter_app.ui.counter.customer import HistoryList, HistoryView
from counter_app.ui.counter.dialogs import ROUTE_TEXT
from counter_app.workflows.core.masking import mask_account, mask_name, mask_phone
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import escalation, explain
from counter_app.workflows.oversight.approvals import KIND_TEXT
from counter_app.workflows.oversight.escalation import EscalationLine
from counter_app.workflows.oversight.scripts import escalated_script
from counter_app.workflows.oversight.timing import Level
from counter_app.workflows.queue.hours import branch_settings

STEP_TEXT = {"requested": N_("asked"), "accepted": N_("accepted by {name}"), "handed_up": N_("handed up"),
             "auto_raised": N_("raised to the duty manager automatically"), "resolved": N_("resolved by {name}"),
             "ended": N_("ended with the visit: nobody had answered")}


@dataclass(frozen=True)
class OversightView:
    """Everything the counter's oversight panels show, read in one go."""

    warning_share: float  # the branch's: for a service without a warning mark of its own (TicketLine's marks)
    prompt: explain.ExplainPrompt | None
    help: EscalationLine | None  # the latest help request for the current customer
    help_explanation: str  # what to tell the customer, once the request is resolved
    inbox: list[EscalationLine]
    is_helper: bool  # a senior, a duty manager or someone's mentor: sees the help inbox
    mentor_name: str | None
    card: records.CustomerCard | None  # the current customer's record, if identified
    causes_pending: list[explain.CauseOwed]  # this clerk's breached visits today without a cause, newest first


def oversight_view(session: Session, clock: Clock, *, counter_number: int, staff_id: int, language: str,
                   ticket_id: int | None) -> OversightView:
    now = clock.now()
    staff = session.get(Staff, staff_id)
    mentor = session.get(Staff, staff.mentor_id) if staff is not None and staff.mentor_id else None
    is_helper = escalation.is_helper(session, staff_id=staff_id)
    prompt = explain.explain_prompt(session, clock, counter_number=counter_number, language=language)
    lines = escalation.escalation_lines(session, now, include_resolved=True, ticket_id=ticket_id) if ticket_id else []
    help_line = lines[-1] if lines else None
    explanation = ""
    if help_line is not None and help_line.state == "resolved":
        explanation = session.get(Escalation, help_line.escalation_id).customer_explanation
    try:
        inbox = escalation.inbox(session, now, staff_id=staff_id)
    except AppError:  # the staff member was deactivated meanwhile: the window says so elsewhere
        inbox = []
    pending = explain.causes_owed(session, clock, counter_number=counter_number, staff_id=staff_id)
    card = records.ticket_customer_card(session, clock, ticket_id=ticket_id) if ticket_id else None
    return OversightView(branch_settings(session).warning_share, prompt, help_line, explanation, inbox, is_helper,
                         mentor.name if mentor else None, card, pending)


def _frame(name: str, style: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName(name)
    frame.setStyleSheet(f"QFrame#{name} {{ {style} }}")
    return frame


class ExplainBanner(QFrame):
    """"Tell the customer what is happening": the suggested sentence, in the customer's language (F3).

    Signals:
        told(): the clerk has told the customer.
        help_wanted(): the clerk wants to ask for help.
        language_chosen(str): the customer's language for the sentence.
    """

    told = Signal()
    help_wanted = Signal()
    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainBanner")
        self.strong = False
        self.title_label = QLabel(_("Tell the customer what is happening"))
        self.detail_label = QLabel()
        self.script_label = QLabel()
        self.script_label.setWordWrap(True)
        self.language_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setToolTip(_("The customer's language"))
        self.language_combo.currentIndexChanged.connect(
            lambda _index: self.language_chosen.emit(self.language_combo.currentData()))
        self.told_button = QPushButton(_("I have told the customer"))
        self.help_button = QPushButton(_("Ask for help"))
        self.told_button.clicked.connect(self.told)
        self.help_button.clicked.connect(self.help_wanted)
        for button in (self.told_button, self.help_button):
            button.setMinimumHeight(44)
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addSpacing(12)
        top.addWidget(self.detail_label, 1)
        top.addWidget(QLabel(_("Customer's language:")))
        top.addWidget(self.language_combo)
        buttons = QVBoxLayout()
        buttons.addWidget(self.told_button)
        buttons.addWidget(self.help_button)
        body = QHBoxLayout()
        body.addWidget(self.script_label, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(top)
        layout.addLayout(body)
        self.hide()

    def set_language(self, language: str) -> None:
        self.language_combo.blockSignals(True)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(language)))
        self.language_combo.blockSignals(False)

    def show_prompt(self, prompt: explain.ExplainPrompt, script: str, can_ask_help: bool) -> None:
        self.strong = prompt.level == Level.BREACHED
        if self.strong:
            detail = _("{number} is over the service target ({elapsed} / {target}).")
            colours = ("#b3261e", "#8a1c13", "white")
        else:
            detail = _("{number} has reached the warning mark ({elapsed} / {target}).")
            colours = ("#fff1cc", "#c98a00", "#4a3000")
        background, border, text = colours
        self.setStyleSheet(f"QFrame#explainBanner {{ background: {background}; border: 3px solid {border};"
                           f" border-radius: 6px; }} QFrame#explainBanner QLabel {{ color: {text}; }}")
        self.title_label.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.detail_label.setText(detail.format(number=prompt.number, elapsed=fmt_duration(prompt.service_seconds),
                                                target=fmt_duration(prompt.target_min * 60)))
        self.script_label.setText("“" + script + "”")
        self.script_label.setStyleSheet("font-size: 19px;")
        self.help_button.setVisible(can_ask_help)  # help already asked: the strip below says who is on it
        self.show()


class HelpStrip(QFrame):
    """The help request for the customer at the counter: whom, its state and age, every step (F4, F10).

    Signals:
        hand_up_wanted(int): the requester passes it to the duty manager (escalation id).
    """

    hand_up_wanted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpStrip")
        self.setStyleSheet("QFrame#helpStrip { background: #eef0fb; border: 2px solid #5060b0; border-radius: 6px; }")
        self.state_label = QLabel()
        self.state_label.setStyleSheet("font-size: 17px; font-weight: bold; color: #27357a;")
        self.steps_label = QLabel()
        self.steps_label.setWordWrap(True)
        self.hand_up_button = QPushButton(_("Hand up to the duty manager"))
        self.hand_up_button.clicked.connect(lambda: self.hand_up_wanted.emit(self._escalation_id))
        self._escalation_id = 0
        top = QHBoxLayout()
        top.addWidget(self.state_label, 1)
        top.addWidget(self.hand_up_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.steps_label)
        self.hide()

    def show_help(self, line: EscalationLine | None, explanation: str, staff_id: int) -> None:
        if line is None:
            self.hide()
            return
        self._escalation_id = line.escalation_id
        asked = _("the duty manager (automatically)") if line.auto else _(ROUTE_TEXT.get(line.route, line.route))
        self.state_label.setText(_("Help for {ticket}: {state} · {age}").format(
            ticket=line.ticket_number or "—", state=_(escalation.STATE_TEXT.get(line.state, line.state)),
            age=fmt_duration(line.age_seconds)))
        asked = _("Asked: {whom}").format(whom=asked) + (f" — {line.reason}" if line.reason and not line.auto else "")
        steps = " · ".join(f"{at:%H:%M} " + _(STEP_TEXT.get(action, action)).format(name=name or "—")
                           for at, action, name, _note in line.steps)
        rows = [escape(asked), escape(steps)]
        if explanation:
            rows.append("<b>" + escape(_("Tell the customer: {text}").format(text=explanation)) + "</b>")
        self.steps_label.setText("<br>".join(rows))
        self.hand_up_button.setVisible(line.requested_by_id == staff_id and line.state in ("requested", "accepted"))
        self.show()


class CustomerPanel(QFrame):
    """The customer at the counter; approved exceptions first, in a box nobody can miss (F6), then their history.

    Everything here is masked: the customer may see this screen. The full details open on demand, in a dialog.

    Signals:
        full_details_wanted(int): the clerk pressed "Show full details…" (customer id).
    """

    full_details_wanted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card: records.CustomerCard | None = None
        self._segment: tuple[int, str] = (0, "")  # the customer's segment name, read with their history
        self.setObjectName("customerPanel")
        self.setStyleSheet("QFrame#customerPanel { background: #fafafa; border: 1px solid #c9d3e0; border-radius: 6px; }")
        self.exceptions_box = _frame("exceptionsBox", "background: #f3e8ff; border: 3px solid #6a2c91; border-radius: 6px;")
        self.exceptions_title = QLabel()
        self.exceptions_title.setStyleSheet("font-size: 17px; font-weight: bold; color: #4a1a6b;")
        self.exceptions_label = QLabel()
        self.exceptions_label.setWordWrap(True)
        self.exceptions_label.setStyleSheet("color: #2a0d3d;")
        box = QVBoxLayout(self.exceptions_box)
        box.setContentsMargins(10, 8, 10, 8)
        box.addWidget(self.exceptions_title)
        box.addWidget(self.exceptions_label)
        self.none_label = QLabel(_("No approved exceptions on record."))
        self.none_label.setStyleSheet("color: #555;")
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setStyleSheet("font-size: 16px;")
        self.full_details_button = QPushButton(_("Show full details…"))
        self.full_details_button.setToolTip(_("The unmasked name, numbers and notes; each view is logged"))
        self.full_details_button.clicked.connect(
            lambda: self.full_details_wanted.emit(self.card.customer_id) if self.card else None)
        self.history_title = QLabel(_("Customer history"))
        self.history_title.setStyleSheet("font-weight: bold; color: #333;")
        self.history_list = HistoryList()
        details = QHBoxLayout()
        details.addWidget(self.details_label, 1)
        details.addWidget(self.full_details_button, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.exceptions_box)
        layout.addWidget(self.none_label)
        layout.addLayout(details)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history_list)
        self.hide()

    def show_card(self, card: records.CustomerCard | None, segment: str = "") -> None:
        self.card = card
        if card is None:
            self.hide()
            return
        # Masked: the screen may be turned to the customer, and others stand near it (docs/customers.md).
        who = [mask_name(card.name)] if card.name else []
        if card.account_no:
            who.append(_("account {account}").format(account=mask_account(card.account_no)))
        if card.phone:
            who.append(_("mobile {phone}").format(phone=mask_phone(card.phone)))
        if not segment and self._segment[0] == card.customer_id:
            segment = self._segment[1]
        if segment:
            who.append(_("segment: {segment}").format(segment=segment))
        self.details_label.setText(_("Customer: {who} · visits: {visits}").format(who=" · ".join(who),
                                                                                  visits=card.visits))
        self.exceptions_box.setVisible(bool(card.exceptions))
        self.none_label.setVisible(not card.exceptions)
        self.exceptions_title.setText(_("Approved exceptions on record: {count}").format(count=len(card.exceptions)))
        blocks = []
        for item in card.exceptions:
            head = _("{kind} — approved by {manager} on {date}").format(
                kind=_(KIND_TEXT.get(item.kind, item.kind)), manager=item.approved_by,
                date=item.approved_at.strftime("%Y-%m-%d %H:%M"))
            lines = [_("Reason: {reason}").format(reason=item.reason),
                     _("Customer was told: {text}").format(text=item.customer_explanation)]
            if item.remedy or item.amount:
                lines.append(_("Remedy: {remedy} {amount}").format(
                    remedy=item.remedy, amount=(_("{amount} yuan").format(amount=item.amount) if item.amount else "")))
            blocks.append("<br>".join([f"<b>{escape(head)}</b>", *map(escape, lines)]))
        self.exceptions_label.setText("<br><br>".join(blocks))
        self.show()

    def show_history(self, view: HistoryView) -> None:
        self._segment = (view.customer_id, view.segment)
        if self.card is not None and view.customer_id == self.card.customer_id:
            self.show_card(self.card)
        self.history_list.show_history(view.entries)


class BreachCausePanel(QFrame):
    """After a visit that broke its target: why? Stays until the cause is recorded, so nothing is lost (F9).

    Signals:
        cause_chosen(int, str, str): ticket id, cause, note.
    """

    cause_chosen = Signal(int, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("causePanel")
        self.setStyleSheet("QFrame#causePanel { background: #fdecea; border: 2px solid #b3261e; border-radius: 6px; }")
        self.ticket_id: int | None = None
        self.question_label = QLabel()
        self.question_label.setWordWrap(True)
        self.question_label.setStyleSheet("font-weight: bold; color: #8a1c13;")
        self.cause_combo = QComboBox()
        self.cause_combo.addItem(_("Choose a cause…"), "")
        for cause in BreachCause:
            self.cause_combo.addItem(_(explain.CAUSE_TEXT[cause]), str(cause))
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(200)
        self.note_edit.setPlaceholderText(_("Note (required for Other)"))
        self.record_button = QPushButton(_("Record cause"))
        self.record_button.clicked.connect(self._on_record)
        row = QHBoxLayout()
        row.addWidget(self.cause_combo)
        row.addWidget(self.note_edit, 1)
        row.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.question_label)
        layout.addLayout(row)
        self.hide()

    def show_pending(self, pending: list[explain.CauseOwed]) -> None:
        if not pending:
            self.ticket_id = None
            self.hide()
            return
        ticket_id, number = pending[0]
        if ticket_id != self.ticket_id:
            self.ticket_id = ticket_id
            self.cause_combo.setCurrentIndex(0)
            self.note_edit.clear()
        text = _("{number} went over its target. What was the cause?").format(number=number)
        if len(pending) > 1:
            text += " " + _("({count} more visits are waiting for a cause.)").format(count=len(pending) - 1)
        self.question_label.setText(text)
        self.show()

    def _on_record(self) -> None:
        if self.ticket_id is not None:
            self.cause_chosen.emit(self.ticket_id, self.cause_combo.currentData() or "", self.note_edit.text())


def banner_script(view: OversightView, language: str) -> str:
    """The suggested sentence; once a colleague has taken the request, say who is helping."""
    script = view.prompt.script if view.prompt else ""
    if view.help is not None and view.help.accepted_by and view.help.state != "resolved":
        gap = "" if language.startswith("zh") else " "  # Chinese sentences follow each other without a space
        script += gap + escalated_script(view.help.accepted_by, language=language)
    return script
