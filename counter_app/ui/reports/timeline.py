"""A visit's timeline: every event of a visit in order, in words — the drill-down from a breach."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, select

from counter_app.i18n import N_, _, pick
from counter_app.models.tables import Service
from counter_app.workflows import reports
from counter_app.workflows.reports import exports
from counter_app.workflows.reports.feedback import REASON_TEXT

EVENT_TEXT = {
    "ticket_issued": N_("Ticket issued"),
    "ticket_called": N_("Called"),
    "ticket_called_out_of_turn": N_("Called out of turn"),
    "ticket_recalled": N_("Called again"),
    "ticket_no_show": N_("No-show"),
    "service_started": N_("Service started"),
    "service_finished": N_("Service finished"),
    "ticket_transferred": N_("Transferred"),
    "ticket_parked": N_("Parked"),
    "ticket_resumed": N_("Resumed"),
    "ticket_cancelled": N_("Cancelled"),
    "escalation_requested": N_("Asked for help"),
    "escalation_auto_raised": N_("Help requested automatically"),
    "escalation_accepted": N_("Help accepted"),
    "escalation_handed_up": N_("Handed up to the duty manager"),
    "escalation_resolved": N_("Help request resolved"),
    "escalation_ended": N_("Help request ended with the visit: nobody had answered"),
    "exception_approved": N_("Exception approved"),
    "customer_told": N_("Customer told what was happening"),
    "breach_cause_recorded": N_("Breach cause recorded"),
    "document_issued": N_("Document issued"),
    "document_reprinted": N_("Document reprinted"),
    "document_printed": N_("Document printed"),
    "document_saved": N_("Document saved"),
    "document_declined": N_("Document declined"),
    "document_print_failed": N_("Document not printed"),
    "feedback_recorded": N_("Customer rated the visit"),
    "complaint_recorded": N_("Complaint recorded"),
    "alert_raised": N_("Alert raised"),
    "alert_resolved": N_("Alert cleared"),
    "alert_acknowledged": N_("Alert acknowledged"),
    "customer_opened": N_("Customer identified"),
    "order_created": N_("Order started"),
    "order_signed": N_("Order signed by the customer"),
    "order_cancelled": N_("Order cancelled"),
    "staff_logged_in": N_("Staff signed in at the counter"),
    "staff_logged_out": N_("Staff signed out of the counter"),
    "counter_opened": N_("Counter opened"),
    "counter_paused": N_("Counter paused"),
    "counter_closed": N_("Counter closed"),
    "counter_window_closed": N_("Counter window closed: the customer kept there"),
    "counter_released": N_("Counter closed by the duty manager"),
    "customer_handed_over": N_("Handed over to another counter"),
    "counter_taken_over": N_("Counter taken over with the duty manager's approval"),
    "manager_signed_in": N_("Duty manager signed in"),
    "manager_signed_out": N_("Duty manager signed out"),
    "sign_in_failed": N_("Wrong staff number or password"),
    "staff_locked": N_("Locked after too many wrong passwords"),
    "staff_unlocked": N_("Unlocked by a duty manager"),
    "day_closed": N_("Day closed"),
    "settings_recorded": N_("Branch settings recorded"),
    "priority_given": N_("Given priority"),
    "customer_details_viewed": N_("Customer's full details viewed"),
    "customers_merged": N_("Customer records merged"),
    "customer_erased": N_("Customer's personal data erased"),
    "customer_data_purged": N_("Old customer data purged"),
    "customers_imported": N_("Customers imported"),
    "follow_up_call_recorded": N_("Follow-up call recorded"),
    "customer_data_exported": N_("A customer's data exported"),
    "follow_up_list_printed": N_("Follow-up list printed"),
    "password_changed": N_("Password changed by its owner"),
}


def service_names_by_code(session: Session) -> dict[str, dict[str, str]]:
    """Every service's names by its code, for the timeline's "to …" of a transfer."""
    return {s.code: {"zh": s.name_zh, "en": s.name_en} for s in session.exec(select(Service))}


def event_text(kind: str) -> str:
    return _(EVENT_TEXT[kind]) if kind in EVENT_TEXT else kind


def event_details(entry: reports.TimelineEntry, service_names: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The few facts of an event worth reading: where it went, why, which cause, which rating.

    service_names maps a service code to its names ({"zh": …, "en": …}): a transfer shows the name, not the code.
    """
    d = entry.details
    parts = []
    if d.get("to_service"):
        names = (service_names or {}).get(d["to_service"])
        parts.append(_("to {service}").format(service=pick(names) if names else d["to_service"]))
    if d.get("recall"):
        parts.append(_("call {count}").format(count=d["recall"] + 1))
    if d.get("cause"):
        parts.append(exports.cause_text(d["cause"]))
    if d.get("rating"):
        parts.append(f"{d['rating']}/5")
    if d.get("reason") in REASON_TEXT:
        parts.append(_(REASON_TEXT[d["reason"]]))
    if d.get("escalation"):
        parts.append(_("help request #{id}").format(id=d["escalation"]))
    if d.get("approval"):
        parts.append(_("approval #{id}").format(id=d["approval"]))
    if d.get("reference"):
        parts.append(str(d["reference"]))
    note = d.get("note")
    if note and note not in ("auto", "service target reached"):
        parts.append(str(note))
    return "; ".join(parts)


class TimelineDialog(QDialog):
    """Every event of a visit, in order: the drill-down from a breach."""

    def __init__(self, entries: list[reports.TimelineEntry], title: str, parent: QWidget | None = None,
                 service_names: Mapping[str, Mapping[str, str]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Visit timeline"))
        self.resize(900, 520)
        self.heading = QLabel(title)
        self.heading.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.table = QTableWidget(len(entries), 6)
        self.table.setHorizontalHeaderLabels([_("Time"), _("What happened"), _("Ticket"), _("Counter"), _("Staff"),
                                              _("Details")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, entry in enumerate(entries):
            cells = [entry.at.strftime("%H:%M:%S"), event_text(entry.kind), entry.number or "",
                     str(entry.counter) if entry.counter else "", entry.staff_name,
                     event_details(entry, service_names)]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def kinds(self) -> list[str]:
        return [self.table.item(r, 1).text() for r in range(self.table.rowCount())]
