"""The clerk's counter window: open, pause and close the counter, call and serve customers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from counter_app.i18n import _
from counter_app.ui.backend import Backend
from counter_app.ui.counter_panels import (
    COUNTER_STATE_TEXT,
    ROLE_TEXT,
    CurrentTicketPanel,
    ParkedPanel,
    TransferDialog,
    WaitingPanel,
    act_or_show,
    state_text,
)
from counter_app.ui.widgets import BigButton, MessageBar
from counter_app.workflows import counters, queue
from counter_app.workflows.board import Workspace, workspace
from counter_app.workflows.counters import CounterLogin

STATE_COLOURS = {"closed": "#6b6b6b", "open": "#17502a", "paused": "#8a5a00", "serving": "#0b3d6e"}


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
        self._store_unreadable = False
        self.setWindowTitle(_("Counter {number} — {name}").format(number=login.counter_number, name=login.name))
        self._build()
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self.refresh)
        self.tick_timer.start()
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
        header = QHBoxLayout()
        header.addWidget(self.counter_label)
        header.addSpacing(16)
        header.addWidget(self.staff_label)
        header.addSpacing(16)
        header.addWidget(self.state_label)
        header.addStretch(1)
        for button in (self.open_button, self.pause_button, self.close_button, self.logout_button):
            header.addWidget(button)

        self.message_bar = MessageBar()
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
        actions = QGridLayout()
        actions.addWidget(self.call_next_button, 0, 0, 1, 2)
        for index, button in enumerate((self.recall_button, self.no_show_button, self.start_button,
                                        self.finish_button, self.transfer_button, self.park_button)):
            actions.addWidget(button, 1 + index // 2, index % 2)

        self.parked_panel = ParkedPanel()
        self.parked_list = self.parked_panel.parked_list
        self.resume_button = self.parked_panel.resume_button
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
        self.call_next_button.clicked.connect(lambda: self._act(queue.call_next, _("Calling {number}.")))
        self.recall_button.clicked.connect(lambda: self._act(queue.recall, _("Called {number} again.")))
        self.no_show_button.clicked.connect(lambda: self._act(queue.no_show, _("{number} recorded as a no-show.")))
        self.start_button.clicked.connect(lambda: self._act(queue.start_service, _("Serving {number}.")))
        self.finish_button.clicked.connect(lambda: self._act(queue.finish_service, _("{number} finished.")))
        self.transfer_button.clicked.connect(self._on_transfer)
        self.park_button.clicked.connect(lambda: self._act(queue.park, _("{number} parked.")))
        self.waiting_panel.ticket_chosen.connect(self._on_ticket_chosen)
        self.parked_panel.resume_requested.connect(self._on_resume_requested)

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
        self.state_label.setText(state_text(ws.state, COUNTER_STATE_TEXT)
                                 + (" " + _("since {time}").format(time=since.strftime("%H:%M")) if since else ""))
        colour = STATE_COLOURS.get(ws.state, "#333")
        self.state_label.setStyleSheet(f"font-size: 17px; font-weight: bold; color: white; background: {colour};"
                                       " padding: 4px 12px; border-radius: 4px;")
        current = ws.current
        self.current_panel.show_ticket(current, ws.now)
        self.waiting_panel.show_waiting(ws.waiting, ws.now, ws.other_waiting, mine and current is None)
        self.parked_panel.show_parked(ws.parked, mine and current is None and ws.state != "closed")
        self._enable_buttons(ws, mine)
        if not mine:
            self.message_bar.show_message(
                _("You are no longer logged in at counter {number}. Log out and log in again.")
                .format(number=ws.counter_number), "error")

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
            number = getattr(getattr(result, "change", result), "number", None) or ""
            if done:
                self.message_bar.show_message(done.format(number=number), "ok", seconds=6)
            else:
                self.message_bar.clear_message()
        return result

    def _on_ticket_chosen(self, ticket_id: int) -> None:
        self._act(queue.call_ticket, _("Calling {number}."), ticket_id=ticket_id)

    def _on_resume_requested(self, ticket_id: int) -> None:
        self._act(queue.resume, _("{number} is back at the counter."), ticket_id=ticket_id)

    def _on_transfer(self) -> None:
        ws = self.workspace
        if ws is None or ws.current is None:
            return
        code = TransferDialog.ask(self, ws.all_services, ws.current.service_code)
        if code:
            self._act(queue.transfer, _("{number} transferred: the customer keeps their place."),
                      service_code=code)

    def _on_logout(self) -> None:
        ws = self.workspace
        if ws is not None and ws.staff_id != self.login.staff_id:
            # Someone else holds the counter now: there is nothing to log out of, only the window to leave.
            self.logged_out.emit(self.login.counter_number)
            self.close()
            return
        if self._act(counters.logout) is not None:
            self.logged_out.emit(self.login.counter_number)
            self.close()

    # -- store notifications -------------------------------------------------------------------

    def _on_backend_changed(self, _change: object) -> None:
        self.refresh()

    def _on_availability_changed(self, available: bool) -> None:
        self.refresh()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # Closing the window is not logging out: the clerk stays signed in and can reopen it.
        self.tick_timer.stop()
        super().closeEvent(event)
