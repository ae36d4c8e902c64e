"""The clerk's counter window: open, pause and close the counter, call and serve customers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _, current_language
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.texts import COUNTER_STATE_TEXT, ROLE_TEXT, state_text
from counter_app.ui.common.widgets import BigButton, MessageBar
from counter_app.ui.counter.dialogs import CustomerDialog, HelpDialog, InboxDialog
from counter_app.ui.counter.oversight import (
    BreachCausePanel,
    CustomerPanel,
    ExplainBanner,
    HelpStrip,
    OversightView,
    banner_script,
    oversight_view,
)
from counter_app.ui.counter.panels import (
    DEFAULT_WARNING_SHARE,
    CurrentTicketPanel,
    ParkedPanel,
    TransferDialog,
    WaitingPanel,
)
from counter_app.ui.counter.paperwork import CounterDocuments
from counter_app.workflows.oversight import escalation, explain
from counter_app.workflows.oversight.explain import prompt_is_due
from counter_app.workflows.queue import counters, presence, tickets
from counter_app.workflows.queue.board import Workspace, workspace
from counter_app.workflows.queue.counters import CounterLogin

STATE_COLOURS = {"closed": "#6b6b6b", "open": "#17502a", "paused": "#8a5a00", "serving": "#0b3d6e"}
# Disabled, the Help button still reads: dark grey on pale grey-blue (contrast about 5:1), not white on lavender.
HELP_STYLE = ("QPushButton { background: #3d4fa8; color: white; font-weight: bold; font-size: 18px; }"
              " QPushButton:disabled { background: #e3e6f0; color: #5b6070; }")


HEARTBEAT_MS = 30_000  # a third of the branch's default silence limit (90 s)


class CounterWindow(QMainWindow):
    """One counter as its logged-in clerk sees it; every action is recorded against that clerk.

    Redraws from `workflows.board.workspace` on every backend change and once a second, so the
    timers run and changes made at other counters or PCs show up.

    Signals:
        logged_out(int): the clerk logged out of this counter (its number); the window then closes.
    """

    logged_out = Signal(int)

    def __init__(self, backend: Backend, login: CounterLogin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.login = login
        self.workspace: Workspace | None = None
        self.view: OversightView | None = None
        self._store_unreadable = False
        # The customer's language for the suggested sentence: the screen's, until the clerk picks another.
        self._language = current_language()
        self._language_ticket: int | None = None
        self._opened_card: tuple[object, int | None] | None = None  # a card opened here, and for which ticket
        self.help_dialog: HelpDialog | None = None
        self.customer_dialog: CustomerDialog | None = None
        self.inbox_dialog: InboxDialog | None = None
        self.setWindowTitle(_("Counter {number} — {name}").format(number=login.counter_number, name=login.name))
        self._build()
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self.refresh)
        self.tick_timer.start()
        # The counter says it is alive; silent for the branch's limit, the duty manager sees it as gone.
        self._left = False
        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.setInterval(HEARTBEAT_MS)
        self.heartbeat_timer.timeout.connect(self._on_heartbeat)
        self.heartbeat_timer.start()
        self._on_heartbeat()
        backend.changed.connect(self._on_backend_changed)
        backend.availability_changed.connect(self._on_availability_changed)
        self.refresh()

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.counter_label = QLabel(_("Counter {number}").format(number=self.login.counter_number))
        self.counter_label.setStyleSheet("font-size: 26px; font-weight: bold;")
        self.staff_label = QLabel(_("{name} · {role} · {staff_no}").format(
            name=self.login.name, role=state_text(self.login.role, ROLE_TEXT), staff_no=self.login.staff_no))
        self.staff_label.setStyleSheet("font-size: 17px;")
        self.state_label = QLabel()
        self.open_button = QPushButton(_("Open service"))
        self.pause_button = QPushButton(_("Pause"))
        self.close_button = QPushButton(_("Close counter"))
        self.logout_button = QPushButton(_("Log out"))
        self.inbox_button = QPushButton()
        self.inbox_button.hide()
        self.message_bar = MessageBar(reserve_lines=2)
        # Business…, Archive… and the apology offers (F7, F8) live in their own module.
        self.documents = CounterDocuments(self.backend, self.login, self.message_bar, self)
        self.business_button = self.documents.business_button
        self.archive_button = self.documents.archive_button
        self.apology_panel = self.documents.apology_panel
        header = QHBoxLayout()
        header.addWidget(self.counter_label)
        header.addSpacing(16)
        header.addWidget(self.staff_label)
        header.addSpacing(16)
        header.addWidget(self.state_label)
        header.addStretch(1)
        for button in (self.inbox_button, self.archive_button, self.open_button, self.pause_button, self.close_button,
                       self.logout_button):
            header.addWidget(button)

        self.current_panel = CurrentTicketPanel()
        self.current_label = self.current_panel.number_label
        self.timer_label = self.current_panel.timer_label

        self.call_next_button = BigButton(_("Call next"), height=84)
        self.call_next_button.setStyleSheet("font-size: 26px; font-weight: bold;")
        self.recall_button = BigButton(_("Recall"), height=52)
        self.no_show_button = BigButton(_("No-show"), height=52)
        self.start_button = BigButton(_("Start service"), height=52)
        self.finish_button = BigButton(_("Finish service"), height=52)
        self.transfer_button = BigButton(_("Transfer…"), height=52)
        self.park_button = BigButton(_("Park"), height=52)
        self.customer_button = BigButton(_("Customer…"), height=52)
        self.customer_button.setToolTip(_("Identify the customer by account number or mobile"))
        self.help_button = BigButton(_("Help"), height=52)
        self.help_button.setStyleSheet(HELP_STYLE)
        self.help_button.setToolTip(_("Ask your mentor, a senior clerk or the duty manager for help"))
        actions = QGridLayout()
        actions.addWidget(self.call_next_button, 0, 0, 1, 3)
        # The everyday steps first; the ones a slip makes costly (no-show asks first, park, transfer) in a row
        # of their own below a gap, never where "start" or "finish" was a moment ago.
        for index, button in enumerate((self.recall_button, self.start_button, self.finish_button,
                                        self.customer_button, self.business_button, self.help_button)):
            actions.addWidget(button, 1 + index // 3, index % 3)
        actions.setRowMinimumHeight(3, 14)
        for index, button in enumerate((self.no_show_button, self.park_button, self.transfer_button)):
            actions.addWidget(button, 4, index)

        self.parked_panel = ParkedPanel()
        self.parked_list = self.parked_panel.parked_list
        self.resume_button = self.parked_panel.resume_button
        self.explain_banner = ExplainBanner()
        self.help_strip = HelpStrip()
        self.cause_panel = BreachCausePanel()
        self.customer_panel = CustomerPanel()
        left = QVBoxLayout()
        left.addWidget(self.current_panel)
        left.addLayout(actions)
        left.addSpacing(8)
        left.addWidget(self.parked_panel)
        left.addStretch(1)

        self.waiting_panel = WaitingPanel()
        self.waiting_table = self.waiting_panel.waiting_table
        self.call_selected_button = self.waiting_panel.call_selected_button
        right = QVBoxLayout()
        # What is about this customer sits beside the timer; the waiting list gives up the room it needs.
        # The prompt to explain comes and goes here, on the right: the buttons on the left never move.
        right.addWidget(self.explain_banner)
        right.addWidget(self.customer_panel)
        right.addWidget(self.help_strip)
        right.addWidget(self.cause_panel)
        right.addWidget(self.apology_panel)
        right.addWidget(self.waiting_panel, 1)

        body = QHBoxLayout()
        body.addLayout(left, 5)
        body.addSpacing(12)
        body.addLayout(right, 4)
        root = QVBoxLayout()
        root.addLayout(header)
        root.addWidget(self.message_bar)
        root.addLayout(body, 1)
        central = QWidget()
        central.setLayout(root)
        self.setCentralWidget(central)

        self.open_button.clicked.connect(lambda: self._act(counters.open_counter, _("The counter is open: you can call.")))
        self.pause_button.clicked.connect(lambda: self._act(counters.pause_counter, _("The counter is paused.")))
        self.close_button.clicked.connect(lambda: self._act(counters.close_counter, _("The counter is closed.")))
        self.logout_button.clicked.connect(self._on_logout)
        self.call_next_button.clicked.connect(lambda: self._act(tickets.call_next, _("Calling {number}.")))
        self.recall_button.clicked.connect(lambda: self._act(tickets.recall, _("Called {number} again.")))
        self.no_show_button.clicked.connect(self._on_no_show)
        self.start_button.clicked.connect(lambda: self._act(tickets.start_service, _("Serving {number}.")))
        self.finish_button.clicked.connect(lambda: self._act(tickets.finish_service, _("{number} finished.")))
        self.transfer_button.clicked.connect(self._on_transfer)
        self.park_button.clicked.connect(lambda: self._act(tickets.park, _("{number} parked.")))
        self.waiting_panel.ticket_chosen.connect(self._on_ticket_chosen)
        self.parked_panel.resume_requested.connect(self._on_resume_requested)
        self.help_button.clicked.connect(self._on_help)
        self.customer_button.clicked.connect(self._on_customer)
        self.inbox_button.clicked.connect(self._on_inbox)
        self.explain_banner.told.connect(
            lambda: self._act(explain.told_customer, _("Recorded: you told the customer ({number}).")))
        self.explain_banner.help_wanted.connect(self._on_help)
        self.explain_banner.language_chosen.connect(self._on_language_chosen)
        self.help_strip.hand_up_wanted.connect(self._on_hand_up)
        self.cause_panel.cause_chosen.connect(self._on_cause_chosen)

    # -- redrawing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        ws = self.backend.query(workspace, counter_number=self.login.counter_number)
        if ws is None:
            self._store_unreadable = True
            self.message_bar.show_message(_("The store cannot be read: what you see may be out of date."), "error")
            return
        if self._store_unreadable:
            self._store_unreadable = False
            self.message_bar.clear_message()
        self.workspace = ws
        mine = ws.staff_id == self.login.staff_id
        # "since" is when the counter last opened, paused or closed: it would mislead next to "serving".
        since = ws.state_since if ws.state != "serving" else None
        # A time alone would read as today's: "open since 22:16" the next morning means yesterday evening.
        when = since.strftime("%H:%M") if since and since.date() == ws.now.date() else (
            since.strftime("%Y-%m-%d %H:%M") if since else "")
        self.state_label.setText(state_text(ws.state, COUNTER_STATE_TEXT)
                                 + (" " + _("since {time}").format(time=when) if since else ""))
        colour = STATE_COLOURS.get(ws.state, "#333")
        self.state_label.setStyleSheet(f"font-size: 17px; font-weight: bold; color: white; background: {colour};"
                                       " padding: 4px 12px; border-radius: 4px;")
        current = ws.current
        view = self._read_oversight(ws)
        share = view.warning_share if view else DEFAULT_WARNING_SHARE
        self.current_panel.show_ticket(current, ws.now, share)
        self.waiting_panel.show_waiting(ws.waiting, ws.now, ws.other_waiting, mine and current is None, share)
        self.parked_panel.show_parked(ws.parked, mine and current is None and ws.state != "closed")
        self._enable_buttons(ws, mine)
        if view is not None:
            self._show_oversight(view, ws, mine)
        if not mine:
            self.message_bar.show_message(
                _("You are no longer logged in at counter {number}. Log out and log in again.")
                .format(number=ws.counter_number), "error")

    def _read_oversight(self, ws: Workspace) -> OversightView | None:
        ticket_id = ws.current.ticket_id if ws.current else None
        if ticket_id != self._language_ticket:  # a new customer: back to the screen's language
            self._language_ticket = ticket_id
            self._language = current_language()
            self.explain_banner.set_language(self._language)
        return self.backend.query(oversight_view, counter_number=self.login.counter_number,
                                  staff_id=self.login.staff_id, language=self._language, ticket_id=ticket_id)

    def _show_oversight(self, view: OversightView, ws: Workspace, mine: bool) -> None:
        self.view = view
        ticket_id = ws.current.ticket_id if ws.current else None
        help_open = view.help is not None and view.help.state != "resolved"
        if mine and prompt_is_due(view.prompt, ws.now):
            self.explain_banner.show_prompt(view.prompt, banner_script(view, self._language), not help_open)
        else:
            self.explain_banner.hide()
        self.help_strip.show_help(view.help, view.help_explanation, self.login.staff_id)
        self.cause_panel.show_pending(view.causes_pending if mine else [])
        opened = self._opened_card[0] if self._opened_card and self._opened_card[1] == ticket_id else None
        self.customer_panel.show_card(view.card or opened)
        self.documents.refresh(ws, mine, self._language, view.card or opened)
        waiting_help = sum(1 for line in view.inbox if line.state != "accepted")
        self.inbox_button.setVisible(view.is_helper or bool(view.inbox))
        self.inbox_button.setText(_("Help requests: {count}").format(count=len(view.inbox)))
        self.inbox_button.setStyleSheet("background: #c95f00; color: white; font-weight: bold;" if waiting_help else "")
        self.help_button.setEnabled(mine and ws.current is not None and not help_open)
        self.help_button.setToolTip(_("Help is already asked for this customer.") if help_open
                                    else _("Ask your mentor, a senior clerk or the duty manager for help"))
        self.customer_button.setEnabled(mine)

    def _enable_buttons(self, ws: Workspace, mine: bool) -> None:
        current = ws.current
        called = mine and current is not None and current.state == "called"
        self.open_button.setEnabled(mine and ws.state in ("closed", "paused"))
        self.pause_button.setEnabled(mine and ws.state in ("open", "serving"))
        self.close_button.setEnabled(mine and ws.state != "closed" and current is None)
        self.logout_button.setEnabled(not mine or current is None)
        # Call next stays pressable at a paused or closed counter: the refusal says what to do.
        self.call_next_button.setEnabled(mine and current is None)
        self.call_next_button.setToolTip(
            _("Open service before calling.") if ws.state in ("closed", "paused")
            else _("Call the next customer in calling order."))
        self.recall_button.setEnabled(called)
        may_no_show = called and current.recall_count >= ws.recalls_before_no_show
        self.no_show_button.setEnabled(may_no_show)
        if current is not None and not may_no_show and current.state == "called":
            self.no_show_button.setToolTip(
                _("Recall {needed} time(s) before recording a no-show (recalled {done}).")
                .format(needed=ws.recalls_before_no_show, done=current.recall_count))
        else:
            self.no_show_button.setToolTip(_("The called customer did not come."))
        self.start_button.setEnabled(called)
        self.finish_button.setEnabled(mine and current is not None and current.state == "serving")
        self.transfer_button.setEnabled(mine and current is not None)
        self.park_button.setEnabled(mine and current is not None)

    # -- actions -------------------------------------------------------------------------------

    def _act(self, action: Callable[..., Any], done: str | None = None, **kwargs: Any) -> Any:
        """Run an action as this clerk at this counter; say what happened, or why it was refused."""
        result = act_or_show(self.backend, self.message_bar, action, counter_number=self.login.counter_number,
                             staff_id=self.login.staff_id, **kwargs)
        if result is not None:
            change = getattr(result, "change", result)
            number = getattr(change, "number", None) or ""
            if getattr(change, "warning", None):
                self.message_bar.show_message(_(change.warning), "error", seconds=15)
            elif done:
                self.message_bar.show_message(done.format(number=number), "ok", seconds=6)
            else:
                self.message_bar.clear_message()
        return result

    def _on_no_show(self) -> None:
        number = self.workspace.current.number if self.workspace and self.workspace.current else ""
        if self.confirm(_("Record {number} as a no-show? The customer loses their place in the queue.").format(
                number=number)):
            self._act(tickets.no_show, _("{number} recorded as a no-show."))

    def confirm(self, question: str) -> bool:
        """Ask before an action that cannot be undone; tests answer for the clerk."""
        answer = QMessageBox.question(self, _("Please confirm"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _on_ticket_chosen(self, ticket_id: int) -> None:
        self._act(tickets.call_ticket, _("Calling {number}."), ticket_id=ticket_id)

    def _on_resume_requested(self, ticket_id: int) -> None:
        self._act(tickets.resume, _("{number} is back at the counter."), ticket_id=ticket_id)

    def _on_transfer(self) -> None:
        ws = self.workspace
        if ws is None or ws.current is None:
            return
        code = TransferDialog.ask(self, ws.all_services, ws.current.service_code)
        if code:
            self._act(tickets.transfer, _("{number} transferred: the customer keeps their place."),
                      service_code=code)

    def _on_help(self) -> None:
        dialog = self.help_dialog = HelpDialog(self.view.mentor_name if self.view else None, self)
        dialog.accepted.connect(lambda: self._act(
            escalation.request_help, _("Help asked for {number}: you will see here who takes it."),
            route=dialog.route(), reason=dialog.reason()))
        dialog.open()

    def _on_hand_up(self, escalation_id: int) -> None:
        if act_or_show(self.backend, self.message_bar, escalation.hand_up, escalation_id=escalation_id,
                       staff_id=self.login.staff_id):
            self.message_bar.show_message(_("Handed up to the duty manager."), "ok", seconds=6)

    def _on_customer(self) -> None:
        dialog = self.customer_dialog = CustomerDialog(self.backend, self.login, self)
        dialog.customer_opened.connect(self._on_customer_opened)
        dialog.open()

    def _on_customer_opened(self, card) -> None:
        ws = self.workspace
        self._opened_card = (card, ws.current.ticket_id if ws and ws.current else None)
        self.customer_panel.show_card(card)
        if card.exceptions:
            self.message_bar.show_message(_("This customer has {count} approved exception(s) on record: read them "
                                            "before you go on.").format(count=len(card.exceptions)), "info")
        self.refresh()

    def _on_inbox(self) -> None:
        if self.inbox_dialog is None:
            self.inbox_dialog = InboxDialog(self.backend, self.login, self)
        self.inbox_dialog.show()
        self.inbox_dialog.raise_()

    def _on_cause_chosen(self, ticket_id: int, cause: str, note: str) -> None:
        done = act_or_show(self.backend, self.message_bar, explain.record_breach_cause, ticket_id=ticket_id,
                           staff_id=self.login.staff_id, cause=cause, note=note)
        if done is not None:
            self.message_bar.show_message(_("Cause recorded for {number}.").format(number=done.number), "ok", seconds=6)

    def _on_language_chosen(self, language: str) -> None:
        self._language = language
        self.refresh()

    def _on_logout(self) -> None:
        ws = self.workspace
        if ws is not None and ws.staff_id != self.login.staff_id:
            # Someone else holds the counter now: there is nothing to log out of, only the window to leave.
            self.logged_out.emit(self.login.counter_number)
            self.close()
            return
        if self._act(counters.logout) is not None:
            self._left = True
            self.logged_out.emit(self.login.counter_number)
            self.close()

    # -- store notifications -------------------------------------------------------------------

    def _on_backend_changed(self, _change: object) -> None:
        self.refresh()

    def _on_availability_changed(self, available: bool) -> None:
        self.refresh()

    def _on_heartbeat(self) -> None:
        ws = self.workspace
        if ws is None or ws.staff_id == self.login.staff_id:
            self.backend.touch(presence.heartbeat, counter_number=self.login.counter_number,
                               staff_id=self.login.staff_id)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # A closed window leaves no counter "open" behind: it closes, or with a customer it pauses and keeps
        # them parked here for the clerk's return (workflows/queue/presence.py).
        self.tick_timer.stop()
        self.heartbeat_timer.stop()
        ws = self.workspace
        if not self._left and (ws is None or ws.staff_id == self.login.staff_id):
            self._left = True
            self.backend.act(presence.window_closed, counter_number=self.login.counter_number,
                             staff_id=self.login.staff_id)
        if self.inbox_dialog is not None:
            self.inbox_dialog.close()
        super().closeEvent(event)
