"""The customer-facing feedback screen (a tablet or second screen at a counter): rate the visit just finished.

After the clerk finishes a service, the screen offers that visit: five big buttons from 很不满意 to
非常满意, an optional reason and comment, Submit. A customer who left can rate later with the
reference printed on the ticket or on the apology notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import _, pick
from counter_app.models import Counter, FeedbackChannel
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.texts import RATING_TEXT
from counter_app.ui.common.widgets import BigButton, MessageBar
from counter_app.workflows.queue.hours import branch_settings
from counter_app.workflows.reports import feedback
from counter_app.workflows.reports.feedback import MAX_COMMENT, REASON_TEXT

RATING_COLOURS = {1: "#c62828", 2: "#ef6c00", 3: "#9e9d24", 4: "#2e7d32", 5: "#1b5e20"}
THANKS_SECONDS = 8
LOOK_EVERY_MS = 5000  # a finished visit is offered for a few minutes only: look again now and then

STYLE = """
FeedbackWindow { background: #f4f7fb; }
QLabel#branch { font-size: 30px; font-weight: bold; color: #0b3d6e; }
QLabel#heading { font-size: 40px; font-weight: bold; color: #0b3d6e; }
QLabel#visit { font-size: 24px; color: #333; }
QLabel#hint { font-size: 22px; color: #555; }
QLabel#thanks { font-size: 64px; font-weight: bold; color: #17502a; }
QPushButton#rating { font-size: 26px; font-weight: bold; border-radius: 12px; background: white;
    border: 3px solid #c5ccd6; color: #333; }
QPushButton#reason { font-size: 20px; padding: 10px 16px; border-radius: 18px; background: white;
    border: 2px solid #c5ccd6; }
QPushButton#reason:checked { background: #1565c0; color: white; border-color: #1565c0; }
QPushButton#primary { font-size: 26px; background: #1565c0; color: white; border: none; border-radius: 10px; }
QPushButton#primary:disabled { background: #c5ccd6; color: #6d7580; }
QPushButton#secondary { font-size: 22px; border-radius: 10px; background: white; border: 2px solid #c5ccd6;
    color: #333; }
QLineEdit { font-size: 24px; padding: 10px; }
"""


@dataclass(frozen=True)
class RateTarget:
    """The visit the screen asks about, and how the customer reached it."""

    ticket_id: int
    number: str
    service: str
    staff_name: str
    counter_number: int | None
    channel: str
    reference: str = ""

    @classmethod
    def of(cls, visit: feedback.VisitToRate, channel: str, reference: str = "") -> RateTarget:
        return cls(visit.ticket_id, visit.number, pick(visit.service_names), visit.staff_name,
                   visit.counter_number, channel, reference)


def offered_visit(session: Session, clock: Clock, *, counter_number: int) -> RateTarget | None:
    """The visit just finished at this counter, if it is still to be rated."""
    visit = feedback.visit_to_rate(session, clock.now(), counter_number=counter_number)
    return RateTarget.of(visit, FeedbackChannel.FEEDBACK_WINDOW) if visit is not None else None


def screen_setup(session: Session, clock: Clock) -> tuple[str, list[int]]:
    settings = branch_settings(session)
    numbers = list(session.exec(select(Counter.number).order_by(Counter.number)))
    return pick({"zh": settings.name_zh, "en": settings.name_en}), numbers


class CustomerMessageBar(MessageBar):
    """The message bar in type a customer reads from arm's length."""

    def show_message(self, text: str, kind: str = "info", *, seconds: int = 0) -> None:
        super().show_message(text, kind, seconds=seconds)
        self.setStyleSheet(self.styleSheet().replace("font-size:15px", "font-size:22px"))


def _label(name: str, text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class FeedbackWindow(QWidget):
    """Pages: waiting (idle), rate, reference, thanks.

    Signals:
        feedback_recorded(int): a rating was saved (the visit's first-leg ticket id).
        counter_chosen(int): staff set the screen up for this counter (kept in the PC's settings).
    """

    feedback_recorded = Signal(int)
    counter_chosen = Signal(int)
    PAGES = ("idle", "rate", "reference", "thanks")

    def __init__(self, backend: Backend, counter_number: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.target: RateTarget | None = None
        self.rating: int | None = None
        self._declined: set[int] = set()  # visits the customer chose not to rate: not offered again
        self.setObjectName("feedback")
        self.setStyleSheet(STYLE)
        self.setWindowTitle(_("Customer feedback"))
        branch, numbers = backend.query(screen_setup) or ("", [])
        self._build(branch, numbers, counter_number)
        backend.changed.connect(lambda _change: self.refresh())
        self._look_timer = QTimer(self)
        self._look_timer.setInterval(LOOK_EVERY_MS)
        self._look_timer.timeout.connect(self.refresh)
        self._look_timer.start()
        self._thanks_timer = QTimer(self)
        self._thanks_timer.setSingleShot(True)
        self._thanks_timer.setInterval(THANKS_SECONDS * 1000)
        self._thanks_timer.timeout.connect(self.show_idle)
        self.show_idle()

    def _lock(self, counter_number: int) -> None:
        """A screen set up for one counter stays on it: the customer cannot switch to another counter's visit."""
        if self.counter_combo.findData(counter_number) < 0:
            self.counter_combo.addItem(_("Counter {number}").format(number=counter_number), counter_number)
        self.counter_combo.setCurrentIndex(self.counter_combo.findData(counter_number))
        self.counter_combo.hide()
        self.setup_button.hide()
        self.counter_label.setText(_("Counter {number}").format(number=counter_number))
        self.counter_label.show()

    def _on_counter_chosen(self, counter_number: int | None) -> None:
        if counter_number is not None:
            self._lock(int(counter_number))
            self.counter_chosen.emit(int(counter_number))

    # -- layout --------------------------------------------------------------------------------

    def _build(self, branch: str, numbers: list[int], counter_number: int | None) -> None:
        self.counter_combo = QComboBox()
        for number in numbers:
            self.counter_combo.addItem(_("Counter {number}").format(number=number), number)
        top = QHBoxLayout()
        top.addWidget(_label("branch", branch, wrap=False), 1, Qt.AlignmentFlag.AlignLeft)
        top.addWidget(self.counter_combo)
        # Choosing the counter is staff's set-up, done once: a customer never sees the selector afterwards.
        self.setup_button = QPushButton(_("Use this screen at this counter"))
        top.addWidget(self.setup_button)
        self.counter_label = _label("counter", "", wrap=False)
        top.addWidget(self.counter_label)
        self.counter_label.hide()
        if counter_number is not None:
            self._lock(counter_number)
        self.counter_combo.currentIndexChanged.connect(lambda _i: self.show_idle())
        self.setup_button.clicked.connect(lambda: self._on_counter_chosen(self.counter_combo.currentData()))

        self.pages = QStackedWidget()
        for page in (self._idle_page(), self._rate_page(), self._reference_page(), self._thanks_page()):
            self.pages.addWidget(page)
        self.message_bar = CustomerMessageBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message_bar)

    def _idle_page(self) -> QWidget:
        page = QWidget()
        self.reference_start_button = BigButton(_("Rate a visit with the reference on your ticket or notice"),
                                                height=84)
        self.reference_start_button.setObjectName("secondary")
        self.reference_start_button.clicked.connect(self.show_reference)
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        layout.addWidget(_label("heading", _("Thank you for visiting")))
        layout.addWidget(_label("hint", _("After your service at the counter, you can rate it here.")))
        layout.addStretch(3)
        layout.addWidget(self.reference_start_button)
        return page

    def _rate_page(self) -> QWidget:
        page = QWidget()
        self.visit_label = _label("visit")
        self.rating_group = QButtonGroup(self)
        self.rating_buttons: dict[int, QPushButton] = {}
        ratings = QHBoxLayout()
        ratings.setSpacing(16)
        for rating in range(1, 6):
            button = QPushButton(f"{rating}\n{_(RATING_TEXT[rating])}")
            button.setObjectName("rating")
            button.setCheckable(True)
            button.setMinimumHeight(140)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(f"QPushButton#rating:checked {{ background: {RATING_COLOURS[rating]}; "
                                 f"color: white; border-color: {RATING_COLOURS[rating]}; }}")
            self.rating_group.addButton(button, rating)
            self.rating_buttons[rating] = button
            ratings.addWidget(button)
        self.rating_group.idClicked.connect(self._on_rating_chosen)
        self.reason_buttons: dict[str, QPushButton] = {}
        reasons = QHBoxLayout()
        reasons.addStretch(1)
        for reason, text in REASON_TEXT.items():
            chip = QPushButton(_(text))
            chip.setObjectName("reason")
            chip.setCheckable(True)
            chip.toggled.connect(lambda checked, r=str(reason): self._on_reason_toggled(r, checked))
            self.reason_buttons[str(reason)] = chip
            reasons.addWidget(chip)
        reasons.addStretch(1)
        self.comment_edit = QLineEdit()
        self.comment_edit.setMaxLength(MAX_COMMENT)
        self.comment_edit.setPlaceholderText(_("Anything else you want to tell us? (optional)"))
        self.not_now_button = BigButton(_("Not now"), height=72)
        self.not_now_button.setObjectName("secondary")
        self.submit_button = BigButton(_("Submit"), height=72)
        self.submit_button.setObjectName("primary")
        self.not_now_button.clicked.connect(self._on_not_now)
        self.submit_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.not_now_button, 1)
        buttons.addWidget(self.submit_button, 2)
        layout = QVBoxLayout(page)
        layout.setSpacing(18)
        layout.addWidget(_label("heading", _("How satisfied are you with this visit?")))
        layout.addWidget(self.visit_label)
        layout.addSpacing(8)
        layout.addLayout(ratings)
        layout.addWidget(_label("hint", _("What mattered most? (optional)")))
        layout.addLayout(reasons)
        layout.addWidget(self.comment_edit)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _reference_page(self) -> QWidget:
        page = QWidget()
        self.reference_edit = QLineEdit()
        self.reference_edit.setMaxLength(40)
        self.reference_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reference_edit.setPlaceholderText("20260302-A001")
        self.reference_edit.returnPressed.connect(self.find_reference)
        back = BigButton(_("Back"), height=72)
        back.setObjectName("secondary")
        back.clicked.connect(self.show_idle)
        self.find_button = BigButton(_("Find my visit"), height=72)
        self.find_button.setObjectName("primary")
        self.find_button.clicked.connect(self.find_reference)
        buttons = QHBoxLayout()
        buttons.addWidget(back, 1)
        buttons.addWidget(self.find_button, 2)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(_label("heading", _("Rate a visit")))
        layout.addWidget(_label("hint", _("Type the reference printed on your ticket or on the notice you were "
                                          "given, for example 20260302-A001 or APO-20260302-0001.")))
        layout.addWidget(self.reference_edit)
        layout.addStretch(2)
        layout.addLayout(buttons)
        return page

    def _thanks_page(self) -> QWidget:
        page = QWidget()
        self.thanks_detail = _label("hint")
        self.done_button = BigButton(_("Done"), height=72)
        self.done_button.setObjectName("secondary")
        self.done_button.clicked.connect(self.show_idle)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(_label("thanks", _("Thank you!")))
        layout.addWidget(self.thanks_detail)
        layout.addStretch(2)
        layout.addWidget(self.done_button)
        return page

    # -- pages ---------------------------------------------------------------------------------

    def page(self) -> str:
        return self.PAGES[self.pages.currentIndex()]

    def counter_number(self) -> int | None:
        return self.counter_combo.currentData()

    def show_idle(self) -> None:
        self._thanks_timer.stop()
        self.target = None
        self.message_bar.clear_message()
        self.pages.setCurrentIndex(self.PAGES.index("idle"))
        self.refresh()

    def show_reference(self) -> None:
        self.target = None
        self.reference_edit.clear()
        self.message_bar.clear_message()
        self.pages.setCurrentIndex(self.PAGES.index("reference"))
        self.reference_edit.setFocus()

    def show_rate(self, target: RateTarget) -> None:
        self.target = target
        self.rating = None
        self.rating_group.setExclusive(False)
        for button in [*self.rating_buttons.values(), *self.reason_buttons.values()]:
            button.setChecked(False)
        self.rating_group.setExclusive(True)
        self.comment_edit.clear()
        self.submit_button.setEnabled(False)
        where = _("served by {name} at counter {counter}").format(
            name=target.staff_name or "—", counter=target.counter_number or "—")
        ticket = _("Ticket {number}").format(number=target.number)
        self.visit_label.setText(f"{ticket} · {target.service} · {where}")
        self.message_bar.clear_message()
        self.pages.setCurrentIndex(self.PAGES.index("rate"))

    def refresh(self) -> None:
        """Offer the visit just finished at this counter; withdraw it once the next customer is called."""
        page = self.page()
        if page in ("reference", "thanks") or (page == "rate" and self.target
                                                and self.target.channel != FeedbackChannel.FEEDBACK_WINDOW):
            return
        number = self.counter_number()
        offered = self.backend.query(offered_visit, counter_number=number) if number is not None else None
        if offered is not None and offered.ticket_id in self._declined:
            offered = None
        if page == "idle":
            if offered is not None:
                self.show_rate(offered)
        elif offered is None or offered.ticket_id != self.target.ticket_id:
            if self.rating is not None:
                return  # the customer has started: let them finish
            if offered is not None:
                self.show_rate(offered)
            else:
                self.show_idle()

    # -- actions -------------------------------------------------------------------------------

    def _on_rating_chosen(self, rating: int) -> None:
        self.rating = rating
        self.submit_button.setEnabled(True)

    def choose_rating(self, rating: int) -> None:
        self.rating_buttons[rating].click()

    def _on_reason_toggled(self, reason: str, checked: bool) -> None:
        if checked:  # one reason at most; touching the chosen one again clears it
            for other, chip in self.reason_buttons.items():
                if other != reason and chip.isChecked():
                    chip.setChecked(False)

    def chosen_reason(self) -> str:
        return next((reason for reason, chip in self.reason_buttons.items() if chip.isChecked()), "")

    def _on_not_now(self) -> None:
        if self.target is not None and self.target.channel == FeedbackChannel.FEEDBACK_WINDOW:
            self._declined.add(self.target.ticket_id)
        self.show_idle()

    def find_reference(self) -> None:
        reference = self.reference_edit.text().strip()
        if not reference:
            self.message_bar.show_message(_("Give the reference on the ticket or the notice."), "error")
            return
        try:
            visit = self.backend.query(feedback.visit_by_reference, reference=reference)
        except AppError as exc:
            self.message_bar.show_message(exc.text(), "error")
            return
        if visit is None:
            self.message_bar.show_message(_("The store cannot be read. Try again in a moment."), "error")
            return
        self.show_rate(RateTarget.of(visit, FeedbackChannel.NOTICE_REFERENCE, reference.upper()))

    def submit(self) -> None:
        if self.target is None or self.rating is None:
            self.message_bar.show_message(_("Choose a rating from 1 to 5."), "error")
            return
        target = self.target
        result = act_or_show(self.backend, self.message_bar, feedback.record_feedback, rating=self.rating,
                             channel=target.channel, ticket_id=target.ticket_id, reference=target.reference or None,
                             reason=self.chosen_reason(), comment=self.comment_edit.text())
        if result is None:
            return
        self.target = None
        self.thanks_detail.setText(_("Your rating helps us improve our service."))
        self.pages.setCurrentIndex(self.PAGES.index("thanks"))
        self._thanks_timer.start()
        self.feedback_recorded.emit(target.ticket_id)
