"""The kiosk's parts: its look, the words for times and the hall, a service's button and the ticket panel.
The window (window.py) puts them together."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _, pick
from counter_app.ui.common.widgets import BigButton
from counter_app.workflows.queue.hours import HallState, HallStatus
from counter_app.workflows.queue.tickets import IssuedTicket

STYLE = """
KioskWindow { background: #f4f7fb; }
QLabel#branch { font-size: 34px; font-weight: bold; color: #0b3d6e; }
QLabel#clock { font-size: 34px; font-weight: bold; color: #0b3d6e; }
QLabel#hall { font-size: 22px; padding: 10px 14px; border-radius: 6px; }
QLabel#hall[state="open"] { background: #e9f6ec; color: #17502a; }
QLabel#hall[state="pre_open"] { background: #fff4d6; color: #6b4a00; }
QLabel#hall[state="closed"], QLabel#hall[state="unavailable"] { background: #fdecea; color: #8a1c13; }
QLabel#prompt { font-size: 24px; color: #333; }
QPushButton#service { padding: 12px; border-radius: 10px; background: #1565c0; border: none; }
QPushButton#service QLabel { color: white; background: transparent; }
QPushButton#service QLabel:disabled { color: #6d7580; }
QLabel#serviceName { font-size: 34px; font-weight: bold; }
QLabel#serviceDetail { font-size: 22px; }
QPushButton#service:pressed { background: #0d47a1; }
QPushButton#service:disabled { background: #c5ccd6; color: #6d7580; }
QFrame#ticket { background: white; border: 3px solid #1565c0; border-radius: 14px; }
QLabel#ticketTitle { font-size: 26px; color: #333; }
QLabel#ticketNumber { font-size: 150px; font-weight: bold; color: #0b3d6e; }
QLabel#ticketService { font-size: 32px; font-weight: bold; }
QLabel#ticketAhead { font-size: 28px; }
QLabel#ticketEta { font-size: 24px; color: #333; }
QLabel#ticketEarly { font-size: 26px; font-weight: bold; color: #6b4a00; background: #fff4d6;
    padding: 10px; border-radius: 6px; }
QLabel#ticketNotPrinted { font-size: 26px; font-weight: bold; color: #8a1c13; background: #fdecea;
    padding: 10px; border-radius: 6px; }
QPushButton#priority { font-size: 22px; padding: 10px 18px; border-radius: 10px; background: #eef2f7;
    color: #0b3d6e; border: 2px solid #90a4c0; }
QPushButton#priority:checked { background: #ffe082; color: #3e2a00; border: 2px solid #c79100; font-weight: bold; }
QPushButton#done { font-size: 26px; background: #1565c0; color: white; border: none; border-radius: 10px; }
QPushButton#done:pressed { background: #0d47a1; }
QPushButton#vip { font-size: 22px; padding: 10px 18px; border-radius: 10px; background: #fff8e1; color: #5d4000;
    border: 2px solid #c79100; font-weight: bold; }
QLabel#vipTitle { font-size: 28px; font-weight: bold; color: #0b3d6e; }
QLabel#vipHint { font-size: 20px; color: #333; }
QLabel#vipTyped { font-size: 40px; font-weight: bold; background: white; border: 2px solid #90a4c0;
    border-radius: 8px; padding: 8px; min-height: 56px; }
QPushButton#key { font-size: 34px; font-weight: bold; border-radius: 10px; background: white;
    border: 2px solid #90a4c0; color: #0b3d6e; }
QPushButton#keyAction { font-size: 24px; border-radius: 10px; background: #eef2f7; border: 2px solid #90a4c0; }
QPushButton#keyOk { font-size: 26px; font-weight: bold; border-radius: 10px; background: #1565c0; color: white;
    border: none; }
"""


def hhmm(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else "—"


def when_text(moment: dt.datetime | None, now: dt.datetime) -> str:
    """A time today as 09:00; on another day with its date."""
    if moment is None:
        return "—"
    return hhmm(moment) if moment.date() == now.date() else moment.strftime("%Y-%m-%d %H:%M")


def not_printed_text(number: str) -> str:
    return _("Your number is {number} — the ticket could not be printed; please remember your number "
             "or ask staff.").format(number=number)


def hall_line(hall: HallStatus, now: dt.datetime) -> str:
    """What the kiosk says about the hall, in the customer's words."""
    if hall.state == HallState.OPEN:
        return _("Open now, serving until {time}. Please take a ticket.").format(time=hhmm(hall.closes_at))
    if hall.state == HallState.PRE_OPEN:
        return _("Serving starts at {time} — tickets are issued now.").format(time=hhmm(hall.opens_at))
    if hall.next_issue_at:
        return _("The hall is closed. Tickets are issued again from {when}.").format(
            when=when_text(hall.next_issue_at, now))
    return _("The hall is closed.")


class ServiceButton(BigButton):
    """A service's touch target: its name large, the queue behind it smaller."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, height=120)
        self.setObjectName("service")
        # Few services make tall buttons: the whole screen is the target a finger aims at.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMaximumHeight(220)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.name_label = QLabel()
        self.name_label.setObjectName("serviceName")
        self.detail_label = QLabel()
        self.detail_label.setObjectName("serviceDetail")
        for child in (self.name_label, self.detail_label):
            child.setAlignment(Qt.AlignmentFlag.AlignCenter)
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            # A long name wraps onto a second line on a narrow kiosk instead of losing its first letters.
            child.setWordWrap(True)
            layout.addWidget(child)
        layout.addStretch(1)

    def show_service(self, name: str, detail: str) -> None:
        self.name_label.setText(name)
        self.detail_label.setText(detail)
        self.setAccessibleName(f"{name}. {detail}")


class TicketPanel(QFrame):
    """The ticket just issued, large enough to read from a step back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 20, 30, 20)
        layout.setSpacing(10)
        self.title = self._label("ticketTitle", layout)
        self.number_label = self._label("ticketNumber", layout)
        self.service_label = self._label("ticketService", layout)
        self.ahead_label = self._label("ticketAhead", layout)
        self.eta_label = self._label("ticketEta", layout)
        self.early_label = self._label("ticketEarly", layout)
        self.not_printed_label = self._label("ticketNotPrinted", layout)
        self.not_printed_label.hide()
        layout.addStretch(1)
        self.done_button = BigButton(parent=self, height=64)
        self.done_button.setObjectName("done")
        layout.addWidget(self.done_button)

    @staticmethod
    def _label(name: str, layout: QVBoxLayout) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(name != "ticketNumber")
        layout.addWidget(label)
        return label

    def show_ticket(self, ticket: IssuedTicket) -> None:
        self.title.setText(_("Your number · VIP priority") if ticket.vip else _("Your number"))
        self.number_label.setText(ticket.number)
        self.service_label.setText(pick(ticket.service_names))
        if ticket.ahead:
            self.ahead_label.setText(_("People ahead of you: {count}").format(count=ticket.ahead))
        else:
            self.ahead_label.setText(_("Nobody is ahead of you."))
        if ticket.early and ticket.opens_at:
            self.eta_label.setText(_("Issued at {time}").format(time=hhmm(ticket.issued_at)))
            self.early_label.setText(_("Serving starts at {opens}. Estimated call time: {call}.").format(
                opens=hhmm(ticket.opens_at), call=hhmm(ticket.expected_call_at)))
            self.early_label.show()
        else:
            self.eta_label.setText(_("Estimated wait: about {minutes} min (call around {call})").format(
                minutes=ticket.wait_minutes, call=hhmm(ticket.expected_call_at)))
            self.early_label.hide()
        self.not_printed_label.hide()
        self.done_button.setText(_("OK"))
