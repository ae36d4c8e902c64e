"""The duty manager's window: the whole hall at a glance, alerts, the escalation inbox and approvals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.i18n import _, current_language, join_list, pick
from counter_app.models import Service, Staff
from counter_app.models.oversight import Customer, ExceptionApproval
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.texts import COUNTER_STATE_TEXT, ROLE_TEXT, state_text
from counter_app.ui.common.widgets import MessageBar
from counter_app.ui.manager.dialogs import ApproveDialog, HandOverDialog, ReleaseCounterDialog, ResolveDialog
from counter_app.ui.manager.loyalty import LoyaltyDialog
from counter_app.ui.manager.panels import (
    AlertsPanel,
    ApprovalsPanel,
    CountersPanel,
    EscalationsPanel,
    HelpersPanel,
    QueuesPanel,
)
from counter_app.ui.paperwork.apology_offer import ApologyOfferDialog
from counter_app.ui.paperwork.archive import ArchiveDialog
from counter_app.workflows.core import lookup
from counter_app.workflows.core.masking import mask_ref
from counter_app.workflows.oversight import alerts, approvals, duty, escalation
from counter_app.workflows.oversight.duty import ManagerLogin
from counter_app.workflows.oversight.timing import level_of, live_timings
from counter_app.workflows.paperwork import follow_up
from counter_app.workflows.queue import presence
from counter_app.workflows.queue.board import display_board
from counter_app.workflows.queue.hours import branch_settings, trading_day

# -- what the window shows, read in one session -------------------------------------------------


@dataclass(frozen=True)
class CounterRow:
    number: int
    state: str
    staff_name: str | None
    ticket: str | None
    called_at: dt.datetime | None
    seconds: int | None  # service time, once the service has started
    target_min: int
    level: str | None
    customers: tuple[str, ...] = ()  # the ticket numbers at the counter or parked there
    silent_since: dt.datetime | None = None  # its PC stopped answering: when it last did


@dataclass(frozen=True)
class QueueRow:
    code: str
    name: str
    waiting: int
    oldest_seconds: int
    target_min: int
    level: str


@dataclass(frozen=True)
class EscalationRow:
    line: escalation.EscalationLine
    ticket_id: int | None
    customer_ref: str | None  # to prefill an approval
    visit_finished: bool = False  # the customer was served: an apology notice can be offered
    language: str | None = None  # the language of the visit's order, if any


@dataclass(frozen=True)
class ApprovalRow:
    approval_id: int
    approved_at: dt.datetime
    customer: str | None
    kind: str
    reason: str
    approved_by: str
    requested_by: str


@dataclass(frozen=True)
class ManagerView:
    now: dt.datetime
    waiting_total: int
    counters: list[CounterRow]
    queues: list[QueueRow]
    alerts: list[alerts.AlertLine]
    escalations: list[EscalationRow]
    helpers: list[duty.Helper]
    approvals: list[ApprovalRow]


def manager_view(session: Session, clock: Clock) -> ManagerView:
    now = clock.now()
    board = display_board(session, clock, recent=0)
    share = branch_settings(session).warning_share
    timings = live_timings(session, now)
    services = {s.code: s for s in session.exec(select(Service))}
    counters = []
    silent = {c.number: c.heartbeat_at for c in presence.silent_counters(session, now)}
    for item in board.counters:
        counter = lookup.counter_by_number(session, item.number)
        ticket = lookup.current_ticket(session, counter.id)
        here = tuple(t.number for t in ([ticket] if ticket else []) + lookup.parked_tickets(session, counter.id))
        timing = next((t for t in timings if ticket and t.ticket_id == ticket.id and t.phase == "service"), None)
        counters.append(CounterRow(item.number, item.state, item.staff_name, item.ticket, item.called_at,
                                   timing.seconds if timing else None, timing.target_min if timing else 0,
                                   str(timing.level) if timing else None, here, silent.get(item.number)))
    queues = []
    for item in board.services:
        service = services[item.code]
        oldest = max((t.seconds for t in timings if t.phase == "wait" and t.service_id == service.id), default=0)
        queues.append(QueueRow(item.code, pick(item.names), item.waiting, oldest, item.target_wait_min,
                               str(level_of(oldest, item.target_wait_min, share, service.wait_warning_min))))
    escalations = []
    for line in escalation.escalation_lines(session, now) + follow_up.help_notices_owed(session, clock):
        visit = follow_up.help_visit(session, escalation_id=line.escalation_id)
        escalations.append(EscalationRow(line, visit.ticket_id, visit.customer_ref, visit.served, visit.language))
    names = {s.id: s.name for s in session.exec(select(Staff))}
    midnight = dt.datetime.combine(trading_day(session, now), dt.time())  # the business day's start
    approved = []
    for a in session.exec(select(ExceptionApproval).where(ExceptionApproval.approved_at >= midnight)
                          .order_by(ExceptionApproval.approved_at.desc())):
        customer = session.get(Customer, a.customer_id) if a.customer_id else None
        # The manager's screen is seen by whoever stands near it: the customer's number is masked (PIPL).
        approved.append(ApprovalRow(a.id, a.approved_at, mask_ref(customer.account_no or customer.phone) if customer else None,
                                    a.kind, a.reason, names.get(a.approved_by, "?"), names.get(a.requested_by, "?")))
    return ManagerView(now, board.waiting_total, counters, queues, alerts.alert_lines(session), escalations,
                       duty.helpers(session, clock), approved)


# -- the window ----------------------------------------------------------------------------------


class ManagerWindow(QMainWindow):
    """What a duty manager keeps open all day; every action is recorded against the manager signed in.

    Redraws from `manager_view` on every backend change and once a second, so ages and timers run.

    Signals:
        signed_out(): the manager signed out; the window then closes.
    """

    signed_out = Signal()

    def __init__(self, backend: Backend, login: ManagerLogin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.login = login
        self.view: ManagerView | None = None
        self.dialog: ResolveDialog | ApproveDialog | ApologyOfferDialog | None = None
        self.archive_dialog: ArchiveDialog | None = None
        self.loyalty_dialog: LoyaltyDialog | None = None
        self.setWindowTitle(_("Duty manager — {name}").format(name=login.name))
        self._build()
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self.refresh)
        self.tick_timer.start()
        backend.changed.connect(self._on_backend_changed)
        backend.availability_changed.connect(self._on_availability_changed)
        backend.busy_changed.connect(self.message_bar.show_busy)
        self.refresh()

    def _build(self) -> None:
        title = QLabel(_("Duty manager"))
        title.setStyleSheet("font-size: 24px; font-weight: bold;")
        who = QLabel(_("{name} · {staff_no}").format(name=self.login.name, staff_no=self.login.staff_no))
        who.setStyleSheet("font-size: 17px;")
        self.summary_label = QLabel()
        self.summary_label.setStyleSheet("font-size: 17px; color: #0b3d6e;")
        self.archive_button = QPushButton(_("Archive…"))
        self.archive_button.setToolTip(_("Find an issued document by its reference or ticket number, and reprint it"))
        self.reports_button = QPushButton(_("Reports…"))
        self.reports_button.setToolTip(_("Breaches, service levels, causes and satisfaction"))
        self.loyalty_button = QPushButton(_("Loyalty…"))
        self.loyalty_button.setToolTip(_("Customers at risk, high-value customers waiting now, follow-up calls"))
        self.sign_out_button = QPushButton(_("Sign out"))
        header = QHBoxLayout()
        for widget in (title, who, self.summary_label):
            header.addWidget(widget)
            header.addSpacing(16)
        header.addStretch(1)
        header.addWidget(self.loyalty_button)
        header.addWidget(self.reports_button)
        header.addWidget(self.archive_button)
        header.addWidget(self.sign_out_button)
        self.message_bar = MessageBar()

        self.counters_panel = CountersPanel()
        self.queues_panel = QueuesPanel()
        self.escalations_panel = EscalationsPanel()
        self.helpers_panel = HelpersPanel()
        self.alerts_panel = AlertsPanel()
        self.approvals_panel = ApprovalsPanel()
        # Two columns, each stretched on its own: the lists that grow (escalations, alerts, approvals)
        # take the height that the short ones (counters, queues, helpers) leave.
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.counters_panel)
        left.addWidget(self.escalations_panel)
        left.addWidget(self.alerts_panel, 1)
        right.addWidget(self.queues_panel)
        right.addWidget(self.helpers_panel)
        right.addWidget(self.approvals_panel, 1)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        root = QVBoxLayout()
        root.addLayout(header)
        root.addWidget(self.message_bar)
        root.addLayout(columns, 1)
        central = QWidget()
        central.setLayout(root)
        self.setCentralWidget(central)

        self.sign_out_button.clicked.connect(self._on_sign_out)
        self.archive_button.clicked.connect(self.open_archive)
        self.reports_button.clicked.connect(self.open_reports)
        self.loyalty_button.clicked.connect(self.open_loyalty)
        self.alerts_panel.acknowledge_requested.connect(self._on_acknowledge_requested)
        self.escalations_panel.accept_requested.connect(self._on_accept_requested)
        self.escalations_panel.resolve_requested.connect(self._on_resolve_requested)
        self.escalations_panel.approve_requested.connect(self._on_approve_requested)
        self.escalations_panel.apology_requested.connect(self._on_apology_requested)
        self.counters_panel.hand_over_requested.connect(self._on_hand_over_requested)
        self.counters_panel.release_requested.connect(self._on_release_requested)

    # -- redrawing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        view = self.backend.query(manager_view)
        if view is None:
            self.message_bar.show_message(_("The store cannot be read: what you see may be out of date."), "error")
            return
        if self.view is None and self.message_bar.kind == "error":
            self.message_bar.clear_message()
        self.view = view
        self.summary_label.setText(_("{time} · {waiting} waiting · {alerts} alert(s) · {open} help request(s)").format(
            time=view.now.strftime("%H:%M:%S"), waiting=view.waiting_total, alerts=len(view.alerts),
            open=sum(1 for row in view.escalations if row.line.state != "resolved")))
        self.counters_panel.show_counters(view.counters, lambda s: state_text(s, COUNTER_STATE_TEXT))
        self.queues_panel.show_queues(view.queues)
        self.escalations_panel.show_escalations(view.escalations, view.now, escalation.STATE_TEXT)
        self.helpers_panel.show_helpers(view.helpers, lambda r: state_text(r, ROLE_TEXT))
        self.alerts_panel.show_alerts(view.alerts, view.now)
        self.approvals_panel.show_approvals(view.approvals, approvals.KIND_TEXT)

    def _on_backend_changed(self, _change: object) -> None:
        self.refresh()

    def _on_availability_changed(self, _available: bool) -> None:
        self.refresh()

    # -- actions -------------------------------------------------------------------------------

    def _act(self, action, done: str, **kwargs) -> object | None:
        result = act_or_show(self.backend, self.message_bar, action, **kwargs)
        if result is not None:
            self.message_bar.show_message(done, "ok", seconds=6)
        return result

    def _row(self, escalation_id: int):
        return self.escalations_panel.rows.get(escalation_id)

    def _on_acknowledge_requested(self, alert_id: int) -> None:
        self._act(alerts.acknowledge, _("Alert acknowledged."), alert_id=alert_id, staff_id=self.login.staff_id)

    def _on_accept_requested(self, escalation_id: int) -> None:
        row = self._row(escalation_id)
        self._act(escalation.accept, _("You accepted the help request for {ticket}: go to counter {counter}.").format(
            ticket=row.line.ticket_number or "—", counter=row.line.counter_number or "—"),
            escalation_id=escalation_id, staff_id=self.login.staff_id)

    def _on_resolve_requested(self, escalation_id: int) -> None:
        self._open_dialog(ResolveDialog(self.backend, self.login, self._row(escalation_id), self),
                          _("The help request is resolved; the explanation goes on the customer's notice."))

    def _on_approve_requested(self, escalation_id: int) -> None:
        self._open_dialog(ApproveDialog(self.backend, self._row(escalation_id), self),
                          _("Exception approved and kept on the customer's record."))

    def _on_apology_requested(self, escalation_id: int) -> None:
        row = self._row(escalation_id)
        if row is None or row.ticket_id is None:
            return
        dialog = ApologyOfferDialog(self.backend, row.ticket_id, self.login.staff_id,
                                    row.language or current_language(), self)
        dialog.offer.title_label.setText(f"{row.line.ticket_number} · " + dialog.offer.title_label.text())
        dialog.offer.settled.connect(
            lambda _outcome: self.message_bar.show_message(dialog.offer.message_bar.text(), "ok", seconds=8))
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()

    def _on_hand_over_requested(self, counter_number: int) -> None:
        view = self.view
        if view is None:
            return
        row = next((r for r in view.counters if r.number == counter_number), None)
        customers = join_list(row.customers) if row else ""
        targets = [(r.number, r.staff_name or "") for r in view.counters
                   if r.number != counter_number and r.staff_name and r.state != "closed" and r.silent_since is None]
        self._open_dialog(HandOverDialog(self.backend, self.login, counter_number,
                                         customers or _("Its customers"), targets, self),
                          _("The customers of counter {number} were handed over.").format(number=counter_number))

    def _on_release_requested(self, counter_number: int) -> None:
        self._open_dialog(ReleaseCounterDialog(self.backend, self.login, counter_number, self),
                          _("Counter {number} is closed.").format(number=counter_number))

    def open_reports(self) -> QMainWindow:
        """The reports window for the signed-in manager: their own credential already let them in."""
        from counter_app.ui.reports.window import ReportsWindow

        self.reports_window = ReportsWindow(self.backend, self.login.staff_id)
        self.reports_window.resize(1440, 900)
        self.reports_window.show()
        return self.reports_window

    def open_loyalty(self) -> LoyaltyDialog:
        if self.loyalty_dialog is None:
            self.loyalty_dialog = LoyaltyDialog(self.backend, self.login.staff_id, self)
        self.loyalty_dialog.show()
        self.loyalty_dialog.raise_()
        return self.loyalty_dialog

    def open_archive(self) -> ArchiveDialog:
        self.archive_dialog = ArchiveDialog(self.backend, self.login.staff_id, self)
        self.archive_dialog.open()
        return self.archive_dialog

    def _open_dialog(self, dialog: ResolveDialog | ApproveDialog, done: str) -> None:
        # open(), not exec(): the hall keeps updating underneath while the manager types.
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.message_bar.show_message(done, "ok", seconds=8))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _on_sign_out(self) -> None:
        if act_or_show(self.backend, self.message_bar, duty.manager_sign_out, staff_id=self.login.staff_id) is None:
            return
        self.signed_out.emit()
        self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # Closing the window is not signing out: the manager stays on duty and can reopen it.
        self.tick_timer.stop()
        super().closeEvent(event)
