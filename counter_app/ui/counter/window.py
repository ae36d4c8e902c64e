"""The clerk's counter window: open, pause and close the counter, call and serve customers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from counter_app.i18n import _, current_language
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.texts import COUNTER_STATE_TEXT, state_text
from counter_app.ui.counter.customer import FullDetailsDialog, history_view
from counter_app.ui.counter.dialogs import CustomerDialog, HelpDialog, InboxDialog
from counter_app.ui.counter.layout import CounterLayout
from counter_app.ui.counter.oversight import (
    OversightView,
    banner_script,
    oversight_view,
)
from counter_app.ui.counter.panels import (
    DEFAULT_WARNING_SHARE,
    TransferDialog,
)
from counter_app.workflows.oversight import escalation, explain
from counter_app.workflows.oversight.explain import prompt_is_due
from counter_app.workflows.queue import counters, presence, priority, tickets
from counter_app.workflows.queue.board import Workspace, workspace
from counter_app.workflows.queue.counters import CounterLogin

STATE_COLOURS = {"closed": "#6b6b6b", "open": "#17502a", "paused": "#8a5a00", "serving": "#0b3d6e"}
HEARTBEAT_MS = 30_000  # a third of the branch's default silence limit (90 s)


class CounterWindow(CounterLayout, QMainWindow):
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
        self.details_dialog: FullDetailsDialog | None = None
        self._history_key: tuple | None = None  # the customer (and their record's size) the history was read for
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
        backend.busy_changed.connect(self.message_bar.show_busy)
        self.refresh()

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self._lay_out()

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
        self.waiting_panel.priority_wanted.connect(self._on_priority_wanted)
        self.parked_panel.resume_requested.connect(self._on_resume_requested)
        self.help_button.clicked.connect(self._on_help)
        self.customer_button.clicked.connect(self._on_customer)
        self.customer_panel.full_details_wanted.connect(self._on_full_details)
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
        self._show_history(view.card or opened)
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

    def ask_priority_reason(self) -> str | None:
        """Why this customer goes first (the record keeps it); None when the clerk cancels. Tests answer here."""
        reasons = list(priority.REASONS.items())
        text, ok = QInputDialog.getItem(self, _("Give priority"), _("Why does this customer go first?"),
                                        [_(label) for _code, label in reasons], 0, False)
        if not ok:
            return None
        return next(code for code, label in reasons if _(label) == text)

    def _on_priority_wanted(self, ticket_id: int) -> None:
        reason = self.ask_priority_reason()
        if reason is not None:
            self.give_priority(ticket_id, reason)

    def give_priority(self, ticket_id: int, reason: str) -> None:
        given = act_or_show(self.backend, self.message_bar, priority.give_priority, ticket_id=ticket_id,
                            staff_id=self.login.staff_id, reason=reason)
        if given is not None:
            self.message_bar.show_message(_("{number} is called before the others ({reason}).").format(
                number=given.number, reason=_(priority.REASONS[reason])), "ok", seconds=6)

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

    def _show_history(self, card) -> None:
        """Read the customer's timeline when the customer (or what the store holds of them) changed, not every
        second: a returning customer may have hundreds of visits."""
        key = (card.customer_id, card.visits, len(card.exceptions)) if card is not None else None
        if key == self._history_key:
            return
        self._history_key = key
        if card is not None and (view := self.backend.query(history_view, customer_id=card.customer_id)):
            self.customer_panel.show_history(view)

    def _on_full_details(self, customer_id: int) -> None:
        dialog = self.details_dialog = FullDetailsDialog(self.backend, customer_id, self.login.staff_id, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

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
        self._history_key = None  # a visit finished, feedback came in: the history is read again
        self.refresh()

    def _on_availability_changed(self, available: bool) -> None:
        self.refresh()

    def _on_heartbeat(self) -> None:
        ws = self.workspace
        if ws is None or ws.staff_id == self.login.staff_id:
            self.backend.in_background(f"heartbeat {self.login.counter_number}", presence.heartbeat,
                                       counter_number=self.login.counter_number, staff_id=self.login.staff_id)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # A closed window leaves no counter "open" behind: it closes, or with a customer it pauses and keeps
        # them parked here for the clerk's return (workflows/queue/presence.py).
        self.tick_timer.stop()
        self.heartbeat_timer.stop()
        self.backend.settle()  # a heartbeat on its way lands before the counter is paused or closed
        ws = self.workspace
        if not self._left and (ws is None or ws.staff_id == self.login.staff_id):
            self._left = True
            self.backend.act(presence.window_closed, counter_number=self.login.counter_number,
                             staff_id=self.login.staff_id)
        if self.inbox_dialog is not None:
            self.inbox_dialog.close()
        super().closeEvent(event)
