"""The kiosk (取号机): a customer touches a service and gets a ticket that says what to expect.

The ticket is printed as the "ticket_printer" setting says, off the GUI thread; a printer that fails
never loses the ticket: it stays issued, its document is archived as "failed" for a reprint at the
counter, and the kiosk tells the customer their number plainly.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _, current_language, pick
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar
from counter_app.ui.kiosk import vip
from counter_app.ui.kiosk.parts import (  # noqa: F401 (named from the window too)
    STYLE,
    ServiceButton,
    TicketPanel,
    hall_line,
    hhmm,
    not_printed_text,
    when_text,
)
from counter_app.ui.kiosk.vip import VipKeypad
from counter_app.workflows.paperwork.render.data import QueueTicketData
from counter_app.workflows.queue import priority, tickets
from counter_app.workflows.queue.board import Board, display_board
from counter_app.workflows.queue.hours import HallState
from counter_app.workflows.queue.tickets import IssuedTicket

PRELOAD_AFTER_MS = 300
VIP_KEYPAD_SECONDS = 60
VIP_RECOGNISED_SECONDS = 60  # a recognised VIP has this long to touch a service


def _paperwork():
    """The printing and the documents archive, loaded when the first ticket is printed (or just after the
    kiosk is first shown): reportlab and the fonts are not needed to show the services (docs/performance.md)."""
    from counter_app.ui.paperwork import printing
    from counter_app.workflows.paperwork import issuing

    return printing, issuing

class KioskWindow(QWidget):
    """The ticket machine: one big button per service; the ticket shows after a touch.

    Refreshes on `backend.changed`, on availability changes, and as time passes (the hall opens
    and closes by the clock, not by a store change).
    """

    def __init__(self, backend: Backend, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.settings = settings
        self.service_buttons: dict[str, ServiceButton] = {}
        self.last_ticket: IssuedTicket | None = None
        self.vip_ref: str | None = None  # a VIP's card or mobile, recognised, for the next service touched
        self.board: Board | None = None
        self._issuing = False
        self.pending_prints = 0
        self._shown_minute: dt.datetime | None = None
        self.setObjectName("kiosk")
        self.setStyleSheet(STYLE)
        self._build()
        backend.changed.connect(self._on_changed)
        backend.failed.connect(self._on_failed)
        backend.availability_changed.connect(self._on_availability_changed)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._on_tick)
        self._clock_timer.start()
        self._panel_timer = QTimer(self)
        self._panel_timer.setSingleShot(True)
        self._panel_timer.timeout.connect(self.show_services)
        # A recognised VIP who walks away without touching a service is forgotten: the next person at the kiosk
        # must not get their tier, nor have their visit linked to the VIP's record.
        self._vip_timer = QTimer(self)
        self._vip_timer.setSingleShot(True)
        self._vip_timer.timeout.connect(self.forget_vip)
        self.refresh()
        # Paint first, then load what printing needs, before the first customer touches a service.
        QTimer.singleShot(PRELOAD_AFTER_MS, _paperwork)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 18, 24, 18)
        root.setSpacing(12)
        top = QHBoxLayout()
        self.branch_label = QLabel()
        self.branch_label.setObjectName("branch")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clock")
        top.addWidget(self.branch_label, 1)
        top.addWidget(self.clock_label, 0, Qt.AlignmentFlag.AlignRight)
        root.addLayout(top)
        self.hall_label = QLabel()
        self.hall_label.setObjectName("hall")
        self.hall_label.setWordWrap(True)
        root.addWidget(self.hall_label)
        self.message_bar = MessageBar(self)
        root.addWidget(self.message_bar)
        self.stack = QStackedWidget()
        services_page = QWidget()
        page = QVBoxLayout(services_page)
        page.setContentsMargins(0, 0, 0, 0)
        self.prompt_label = QLabel()
        self.prompt_label.setObjectName("prompt")
        page.addWidget(self.prompt_label)
        self.grid = QGridLayout()
        self.grid.setSpacing(16)
        page.addLayout(self.grid, 1)
        # 爱心通道: an elderly or disabled customer, an expectant mother takes a priority ticket themselves; the
        # reason is recorded with the ticket (queue/priority.py) and staff see the tier on their list.
        self.priority_button = QPushButton()
        self.priority_button.setObjectName("priority")
        self.priority_button.setCheckable(True)
        self.priority_button.toggled.connect(self._on_priority_toggled)
        # 会员: a VIP types their card or mobile number; the ticket takes their segment's tier (queue/tickets.py).
        self.vip_button = QPushButton(_("VIP / 会员"))
        self.vip_button.setObjectName("vip")
        self.vip_button.clicked.connect(self.open_vip_keypad)
        extras = QHBoxLayout()
        extras.addStretch(1)
        extras.addWidget(self.priority_button)
        extras.addSpacing(16)
        extras.addWidget(self.vip_button)
        extras.addStretch(1)
        page.addLayout(extras)
        self.stack.addWidget(services_page)
        self.ticket_panel = TicketPanel()
        self.ticket_panel.done_button.clicked.connect(self.show_services)
        self.stack.addWidget(self.ticket_panel)
        self.vip_keypad = VipKeypad()
        self.vip_keypad.entered.connect(self._on_vip_entered)
        self.vip_keypad.cancelled.connect(self.show_services)
        self.stack.addWidget(self.vip_keypad)
        root.addWidget(self.stack, 1)

    def _sync_buttons(self, board: Board) -> None:
        """One button per active service, kept in the board's order."""
        codes = [s.code for s in board.services]
        if codes == list(self.service_buttons):
            return
        for button in self.service_buttons.values():
            self.grid.removeWidget(button)
            button.deleteLater()
        self.service_buttons = {}
        columns = 2 if len(codes) > 3 else 1
        for index, code in enumerate(codes):
            button = ServiceButton(self)
            button.clicked.connect(lambda _checked=False, c=code: self.issue(c))
            self.grid.addWidget(button, index // columns, index % columns)
            self.service_buttons[code] = button

    # -- refreshing --------------------------------------------------------------------------

    def refresh(self) -> None:
        self._update_clock()
        board = self.backend.query(display_board, recent=0)
        self.board = board
        if board is None:
            self._show_unavailable()
            return
        self._shown_minute = board.now.replace(second=0)
        self.setWindowTitle(_("Ticket machine — {branch}").format(branch=pick(board.branch_names)))
        self.branch_label.setText(pick(board.branch_names))
        self._set_hall(hall_line(board.hall, board.now), str(board.hall.state))
        self._sync_buttons(board)
        issuing = board.hall.state != HallState.CLOSED
        self._on_priority_toggled(self.priority_button.isChecked())
        self.priority_button.setEnabled(issuing)
        self.vip_button.setEnabled(issuing)
        if not issuing:
            self.prompt_label.setText("")
        for service in board.services:
            button = self.service_buttons[service.code]
            if service.waiting and issuing:
                detail = _("{count} waiting · about {minutes} min").format(
                    count=service.waiting, minutes=service.wait_minutes)
            elif service.waiting:
                detail = _("{count} waiting").format(count=service.waiting)
            else:
                detail = _("Nobody waiting")
            button.show_service(pick(service.names), detail)
            button.setEnabled(issuing)

    def _show_unavailable(self) -> None:
        self._set_hall(_("Data unavailable — tickets cannot be issued right now. Please ask a member of staff."),
                       "unavailable")
        self.prompt_label.setText("")
        for button in self.service_buttons.values():
            button.setEnabled(False)

    def _set_hall(self, text: str, state: str) -> None:
        self.hall_label.setText(text)
        if self.hall_label.property("state") != state:
            self.hall_label.setProperty("state", state)
            self.hall_label.style().unpolish(self.hall_label)
            self.hall_label.style().polish(self.hall_label)

    def _update_clock(self) -> None:
        self.clock_label.setText(self.backend.clock.now().strftime("%H:%M:%S"))

    # -- the ticket --------------------------------------------------------------------------

    def _on_priority_toggled(self, checked: bool) -> None:
        self.priority_button.setText(_("Priority ticket chosen: touch your service") if checked else
                                     _("Priority: elderly, disabled, expectant mother"))
        if self.vip_ref is not None:
            self.prompt_label.setText(_("Your VIP ticket: touch the service you need:"))
        else:
            self.prompt_label.setText(_("A priority ticket: touch the service you need:") if checked else
                                      _("Touch the service you need:"))

    # -- the VIP -----------------------------------------------------------------------------

    def open_vip_keypad(self) -> None:
        self.message_bar.clear_message()
        self.vip_keypad.start()
        self.stack.setCurrentWidget(self.vip_keypad)
        self._panel_timer.start(VIP_KEYPAD_SECONDS * 1000)  # a keypad left half-typed clears itself

    def _on_vip_entered(self, ref: str) -> None:
        """Recognised: the next service touched gives a ticket with the customer's tier. Never shown: the name or
        the whole number (the kiosk stands in the hall)."""
        found = self.backend.query(vip.recognised, ref=ref)
        self.show_services()
        if found is not None and found.tier > 0:
            self.vip_ref = ref
            self._vip_timer.start(int(VIP_RECOGNISED_SECONDS * 1000))
            self.message_bar.show_message(_("Welcome, VIP member {ref}. Touch the service you need: you will be "
                                            "called first.").format(ref=found.masked_ref), "ok", seconds=60)
        else:
            self.vip_ref = None
            self.message_bar.show_message(_("We could not find a VIP membership for this number. Touch the service "
                                            "you need for an ordinary ticket, or ask a member of staff."),
                                          "info", seconds=30)
        self._on_priority_toggled(self.priority_button.isChecked())

    def forget_vip(self) -> None:
        """The recognised number is dropped (the customer left, or took their ticket)."""
        self._vip_timer.stop()
        if self.vip_ref is not None:
            self.vip_ref = None
            self.message_bar.clear_message()
            self._on_priority_toggled(self.priority_button.isChecked())

    def issue(self, service_code: str) -> IssuedTicket | None:
        """Take a ticket for a service; a refusal shows on the message bar and the kiosk stays usable."""
        self.message_bar.clear_message()
        self._issuing = True
        reason = priority.KIOSK if self.priority_button.isChecked() else None
        try:
            ticket = self.backend.act(tickets.issue_ticket, service_code=service_code, priority_reason=reason,
                                      vip_ref=self.vip_ref)
        finally:
            self._issuing = False
            self._vip_timer.stop()
            self.vip_ref = None
            self.priority_button.setChecked(False)  # the next customer starts from an ordinary ticket
        if ticket is None:
            self.refresh()
            return None
        self.last_ticket = ticket
        self.ticket_panel.show_ticket(ticket)
        self.stack.setCurrentWidget(self.ticket_panel)
        self._panel_timer.start(max(1, int(self.settings.get("kiosk_ticket_seconds"))) * 1000)
        self._print(ticket)
        return ticket

    def _print(self, ticket: IssuedTicket) -> None:
        """Archive the ticket's PDF and print it in the background; "none" leaves the ticket on screen only."""
        setting = str(self.settings.get("ticket_printer") or "none").strip()
        if setting == "none":
            return
        printing, documents = _paperwork()
        language = current_language()
        issued = self.backend.act(documents.issue_ticket_document, ticket_id=ticket.ticket_id, language=language)
        if issued is None:  # the archive refused: the ticket itself is issued all the same
            self._show_not_printed(ticket)
            return
        data = self._ticket_data(ticket, issued.reference, language)
        self.pending_prints += 1
        printing.in_background(
            lambda: printing.print_ticket(setting, pdf_path=issued.path, data=data, language=language),
            lambda outcome: self._on_printed(ticket, issued.document_id, setting, outcome))

    def _ticket_data(self, ticket: IssuedTicket, reference: str, language: str) -> QueueTicketData:
        """The ticket's facts for a printer that takes text rather than the PDF (ESC/POS)."""
        return QueueTicketData(
            reference=reference, number=ticket.number, service_name=pick(ticket.service_names, language),
            branch_name=pick(self.board.branch_names, language) if self.board else "",
            issued_at=ticket.issued_at, people_ahead=ticket.ahead, estimated_wait_minutes=ticket.wait_minutes,
            opens_at=ticket.opens_at if ticket.early else None, estimated_call_at=ticket.expected_call_at)

    def _on_printed(self, ticket: IssuedTicket, document_id: int, setting: str, outcome: object) -> None:
        printing, documents = _paperwork()
        self.pending_prints -= 1
        if isinstance(outcome, printing.PrintResult):
            self.backend.act(documents.record_print, document_id=document_id, status=outcome.status,
                             printer=outcome.printer, note=outcome.note)
            return
        note = outcome.text() if isinstance(outcome, printing.PrintError) else ""
        self.backend.act(documents.record_print, document_id=document_id, status="failed", printer=setting,
                         note=note)
        self._show_not_printed(ticket)

    def _show_not_printed(self, ticket: IssuedTicket) -> None:
        text = not_printed_text(ticket.number)
        self.message_bar.show_message(text, "error", seconds=60)
        if self.last_ticket is not None and self.last_ticket.ticket_id == ticket.ticket_id \
                and self.stack.currentWidget() is self.ticket_panel:
            self.ticket_panel.not_printed_label.setText(text)
            self.ticket_panel.not_printed_label.show()
            # Longer on screen: the customer has no paper to read the number from.
            seconds = max(20, int(self.settings.get("kiosk_ticket_seconds")))
            self._panel_timer.start(seconds * 1000)

    def show_services(self) -> None:
        self._panel_timer.stop()
        if self.stack.currentWidget() is self.vip_keypad:
            self.vip_keypad.start()  # nothing typed stays on the screen for the next customer
        self.stack.setCurrentIndex(0)

    # -- slots -------------------------------------------------------------------------------

    def _on_changed(self, _change: object) -> None:
        self.refresh()

    def _on_failed(self, text: str) -> None:
        # Only this kiosk's own refusals: other windows on the same backend report theirs.
        if self._issuing:
            self.message_bar.show_message(text, "error", seconds=15)

    def _on_availability_changed(self, available: bool) -> None:
        if available:
            QTimer.singleShot(0, self.refresh)
        else:
            self._show_unavailable()

    def _on_tick(self) -> None:
        self._update_clock()
        # The hall opens and closes by the clock: redraw when the minute turns.
        if self._shown_minute != self.backend.clock.now().replace(second=0):
            self.refresh()
