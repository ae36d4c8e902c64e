"""The duty manager's loyalty view: the customers at risk of leaving (and why), the high-value customers waiting
right now (so the manager can step in before a second bad visit), each customer's satisfaction trend, the
printable follow-up list (logged: it prints consenting customers' phones in full), each follow-up call's outcome,
and merging two records found to be one person (`MergeDialog`).

The manager's screen is seen by whoever stands near it: names are masked here (docs/customers.md). Merging sits
here rather than in the administrator's Customers tab because the workflow allows a senior clerk or a duty
manager, never an administrator: the manager's window is where a merging role is signed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_, _, current_language, pick
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar, fmt_duration
from counter_app.workflows.customers import loyalty, merging, privacy, records, segments
from counter_app.workflows.oversight import customer_history

WAITING_NOW = "#ffe082"  # an at-risk or high-value customer in the hall now: the manager's cue to step in
FALLING = "#b71c1c"  # a satisfaction trend going down


@dataclass(frozen=True)
class LoyaltyView:
    now: dt.datetime
    at_risk: list[customer_history.AtRisk]
    waiting: list[loyalty.WaitingCustomer]
    segment_names: dict[str, str]

    def waiting_for(self, customer_id: int) -> loyalty.WaitingCustomer | None:
        return next((w for w in self.waiting if w.customer_id == customer_id), None)


def loyalty_view(session: Session, clock: Clock) -> LoyaltyView:
    now = clock.now()
    names = {code: pick({"zh": s.name_zh, "en": s.name_en}) for code, s in segments.segments(session).items()}
    return LoyaltyView(now, customer_history.at_risk(session, now), loyalty.waiting_high_value(session, now), names)


def trend_text(risk: customer_history.AtRisk) -> str:
    """The ratings of the customer's last visits, oldest first: "5 → 3 → 2"; "—" when none was given."""
    return " → ".join(str(r) for r in risk.ratings) if risk.ratings else "—"


def print_follow_up_list(session: Session, clock: Clock, *, staff_id: int, language: str):
    """The follow-up list's content, logged as printed by `staff_id` (paperwork/render/follow_up.py)."""
    from counter_app.workflows.paperwork.contents import branch_name
    from counter_app.workflows.paperwork.render import follow_up

    return follow_up.print_follow_up_list(session, clock, staff_id=staff_id, language=language,
                                          branch_name=branch_name(session, language))


def risk_reason(risk: customer_history.AtRisk) -> str:
    parts = []
    if risk.breached_visits:
        parts.append(_("{count} visit(s) over target").format(count=risk.breached_visits))
    if risk.complaints:
        parts.append(_("{count} complaint(s)").format(count=risk.complaints))
    return " · ".join(parts)


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([_(c) for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class LoyaltyDialog(QDialog):
    """At risk, waiting now, the follow-up list and the calls; live (the waits run). Opened from the manager's
    window, without blocking it."""

    RISK_COLUMNS = (N_("Customer"), N_("Segment"), N_("Why at risk"), N_("Visits"), N_("Rating"),
                    N_("Last ratings"), N_("Last visit"), N_("May call"), N_("Now"))
    TREND_COLUMN = 5
    WAITING_COLUMNS = (N_("Ticket"), N_("Customer"), N_("Segment"), N_("Waited"), N_("At risk"))

    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.staff_id = backend, staff_id
        self.view: LoyaltyView | None = None
        self.setWindowTitle(_("Loyalty: customers at risk"))
        self.message_bar = MessageBar()
        self.waiting_title = QLabel()
        self.waiting_title.setStyleSheet("font-size: 17px; font-weight: bold; color: #5d4000;")
        self.waiting_table = _table(self.WAITING_COLUMNS)
        self.waiting_table.setMaximumHeight(170)
        self.risk_title = QLabel()
        self.risk_title.setStyleSheet("font-size: 17px; font-weight: bold; color: #8a1c13;")
        self.risk_table = _table(self.RISK_COLUMNS)
        self.risk_table.itemSelectionChanged.connect(self._update_buttons)
        self.outcome_edit = QLineEdit()
        self.outcome_edit.setMaxLength(500)
        self.outcome_edit.setPlaceholderText(_("What the call came to, e.g. apologised; bill corrected; staying"))
        self.record_button = QPushButton(_("Record the call"))
        self.record_button.clicked.connect(self._on_record_call)
        self.print_button = QPushButton(_("Follow-up list (PDF)…"))
        self.print_button.setToolTip(_("The at-risk customers to call; a phone in full only for those who agreed "
                                       "to be called"))
        self.print_button.clicked.connect(self._on_print)
        calls = QHBoxLayout()
        calls.addWidget(QLabel(_("Call made to the selected customer:")))
        calls.addWidget(self.outcome_edit, 1)
        calls.addWidget(self.record_button)
        calls.addSpacing(16)
        calls.addWidget(self.print_button)
        self.merge_button = QPushButton(_("Merge two records…"))
        self.merge_button.setToolTip(_("Two customer records found to be one person"))
        self.merge_button.clicked.connect(self.open_merge)
        self.merge_dialog: MergeDialog | None = None
        calls.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.waiting_title)
        layout.addWidget(self.waiting_table)
        layout.addWidget(self.risk_title)
        layout.addWidget(self.risk_table, 1)
        layout.addLayout(calls)
        self.resize(1100, 620)
        self.timer = QTimer(self)
        self.timer.setInterval(5000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        backend.changed.connect(self._on_backend_changed)
        self.refresh()

    def refresh(self) -> None:
        view = self.backend.query(loyalty_view)
        if view is None:
            return
        selected = self.selected_customer_id()
        self.view = view
        risky = {r.customer_id for r in view.at_risk}
        self.waiting_title.setText(_("High-value customers waiting now: {count}").format(count=len(view.waiting)))
        self.waiting_table.setRowCount(len(view.waiting))
        for row, waiting in enumerate(view.waiting):
            values = (waiting.number, waiting.name_masked, view.segment_names.get(waiting.segment, waiting.segment),
                      fmt_duration(waiting.waited_s), _("yes — step in") if waiting.customer_id in risky else "")
            self._fill(self.waiting_table, row, values, waiting.customer_id, WAITING_NOW)
        self.risk_title.setText(_("At risk in the last {days} days: {count}").format(
            days=customer_history.RISK_DAYS, count=len(view.at_risk)))
        self.risk_table.setRowCount(len(view.at_risk))
        for row, risk in enumerate(view.at_risk):
            waiting = view.waiting_for(risk.customer_id)
            values = (risk.name_masked, view.segment_names.get(risk.segment, risk.segment), risk_reason(risk),
                      str(risk.visits), f"{risk.average_rating:.1f}" if risk.average_rating is not None else "—",
                      trend_text(risk), risk.last_visit.strftime("%Y-%m-%d") if risk.last_visit else "—",
                      _("yes") if risk.consent_contact else _("no consent"),
                      _("waiting now: {ticket}").format(ticket=waiting.number) if waiting else "")
            self._fill(self.risk_table, row, values, risk.customer_id, WAITING_NOW if waiting else None)
            if risk.falling:
                trend = self.risk_table.item(row, self.TREND_COLUMN)
                trend.setForeground(QBrush(QColor(FALLING)))
                trend.setToolTip(_("Satisfaction is falling"))
        ids = [r.customer_id for r in view.at_risk]
        if selected in ids:
            self.risk_table.selectRow(ids.index(selected))
        self._update_buttons()

    @staticmethod
    def _fill(table: QTableWidget, row: int, values, customer_id: int, colour: str | None) -> None:
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, customer_id)
            if colour:
                item.setBackground(QBrush(QColor(colour)))
            table.setItem(row, col, item)

    def selected_customer_id(self) -> int | None:
        rows = self.risk_table.selectionModel().selectedRows() if self.risk_table.selectionModel() else []
        return self.risk_table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole) if rows else None

    def selected_risk(self) -> customer_history.AtRisk | None:
        chosen = self.selected_customer_id()
        return next((r for r in self.view.at_risk if r.customer_id == chosen), None) if self.view else None

    def _update_buttons(self) -> None:
        risk = self.selected_risk()
        self.record_button.setEnabled(risk is not None and risk.consent_contact)
        self.record_button.setToolTip("" if risk is None or risk.consent_contact else
                                      _("This customer has not agreed to be called after a visit."))
        self.print_button.setEnabled(bool(self.view and self.view.at_risk))

    def _on_record_call(self) -> None:
        risk = self.selected_risk()
        if risk is None:
            return
        done = act_or_show(self.backend, self.message_bar, loyalty.record_call, customer_id=risk.customer_id,
                           staff_id=self.staff_id, outcome=self.outcome_edit.text())
        if done is not None:
            self.outcome_edit.clear()
            self.message_bar.show_message(_("The call to {name} is recorded.").format(name=risk.name_masked), "ok",
                                          seconds=8)

    def _on_print(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Follow-up list"), "follow-up.pdf", "PDF (*.pdf)")
        if path:
            self.save_follow_up_list(Path(path))

    def save_follow_up_list(self, path: Path, language: str | None = None) -> Path | None:
        """Render the list (in the screen's language) and write it under a temporary name, then rename. The
        printing is logged first: the phones were read out, whether or not the file is written."""
        from counter_app.workflows.core import files
        from counter_app.workflows.paperwork.render import follow_up

        language = language or current_language()
        data = act_or_show(self.backend, self.message_bar, print_follow_up_list, staff_id=self.staff_id,
                           language=language)
        if data is None:
            return None
        try:
            files.write_bytes_atomically(path, follow_up.render_follow_up_list(data, language=language))
        except (OSError, AppError) as exc:
            self.message_bar.show_message(_("The list could not be saved ({detail}).").format(
                detail=getattr(exc, "strerror", None) or type(exc).__name__), "error")
            return None
        self.message_bar.show_message(_("The follow-up list is written to {file}.").format(file=path), "ok",
                                      seconds=8)
        return path

    def open_merge(self) -> MergeDialog:
        if self.merge_dialog is None:
            self.merge_dialog = MergeDialog(self.backend, self.staff_id, self)
        self.merge_dialog.show()
        self.merge_dialog.raise_()
        return self.merge_dialog

    def _on_backend_changed(self, _change: object) -> None:
        if self.isVisible():
            self.refresh()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.timer.stop()
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.timer.start()
        self.refresh()
        super().showEvent(event)


# -- merging two records -----------------------------------------------------------------------


@dataclass(frozen=True)
class MergeCandidate:
    """A record as the merge dialog shows it: masked (the screen may be seen), with its visits."""

    customer: privacy.MaskedCustomer
    visits: int
    how: str  # how the text found it: account / phone / id_number / id_last4 / ticket


def merge_candidates(session: Session, clock: Clock, text: str) -> list[MergeCandidate]:
    return [MergeCandidate(privacy.masked(f.customer), records.card(session, f.customer).visits, f.how)
            for f in records.search(session, clock, text)]


class MergeSide(QGroupBox):
    """One of the two records: found by what the manager types, chosen among the records it may name, shown
    masked."""

    FIELDS = (("name", N_("Name")), ("phone", N_("Mobile")), ("account_no", N_("Account")), ("id_card", N_("ID card")),
              ("segment", N_("Segment")))

    def __init__(self, title: str, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.backend = backend
        self.candidates: list[MergeCandidate] = []
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(_("Mobile, account, ID number or ID's last 4"))
        self.find_button = QPushButton(_("Find"))
        self.find_button.clicked.connect(self.find)
        self.find_edit.returnPressed.connect(self.find)
        self.choice = QComboBox()
        self.choice.currentIndexChanged.connect(self._show)
        self.values = {name: QLabel("—") for name, _label in self.FIELDS}
        self.visits_label = QLabel("—")
        row = QHBoxLayout()
        row.addWidget(self.find_edit, 1)
        row.addWidget(self.find_button)
        form = QFormLayout()
        for name, label in self.FIELDS:
            form.addRow(_(label), self.values[name])
        form.addRow(_("Visits"), self.visits_label)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.choice)
        layout.addLayout(form)

    def find(self) -> list[MergeCandidate]:
        text = self.find_edit.text()
        self.candidates = self.backend.query(merge_candidates, text=text) or []
        self.choice.clear()
        for candidate in self.candidates:
            masked = candidate.customer
            self.choice.addItem(f"{masked.name or '—'} · {masked.phone or masked.account_no or masked.id_card}")
        self._show()
        return self.candidates

    def clear(self) -> None:
        self.candidates = []
        self.choice.clear()
        self._show()

    def chosen(self) -> MergeCandidate | None:
        index = self.choice.currentIndex()
        return self.candidates[index] if 0 <= index < len(self.candidates) else None

    def _show(self) -> None:
        chosen = self.chosen()
        for name, label in self.values.items():
            label.setText((getattr(chosen.customer, name) or "—") if chosen else "—")
        self.visits_label.setText(str(chosen.visits) if chosen else "—")


class MergeDialog(QDialog):
    """Two records found to be one person, side by side and masked; merged (the right one into the left) by a
    senior clerk or a duty manager with a reason. Anyone else is refused with the workflow's own message."""

    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.staff_id = backend, staff_id
        self.setWindowTitle(_("Merge two customer records"))
        self.message_bar = MessageBar()
        self.keep_side = MergeSide(_("The record kept"), backend)
        self.merge_side = MergeSide(_("The record merged into it"), backend)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setPlaceholderText(_("Why they are one person, e.g. the same ID card"))
        self.merge_button = QPushButton(_("Merge"))
        self.merge_button.clicked.connect(self.merge)
        sides = QHBoxLayout()
        sides.addWidget(self.keep_side, 1)
        sides.addWidget(self.merge_side, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(_("Reason:")))
        bottom.addWidget(self.reason_edit, 1)
        bottom.addWidget(self.merge_button)
        hint = QLabel(_("The visits, documents, calls, accounts and phones move to the kept record; the approvals "
                        "stay on their record and show with the kept one. The merge is in the audit trail."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addLayout(sides, 1)
        layout.addWidget(hint)
        layout.addLayout(bottom)
        self.resize(760, 360)

    def merge(self) -> merging.Merged | None:
        keep, other = self.keep_side.chosen(), self.merge_side.chosen()
        if keep is None or other is None:
            self.message_bar.show_message(_("Find both records first."), "error")
            return None
        merged = act_or_show(self.backend, self.message_bar, merging.merge, keep_id=keep.customer.customer_id,
                             merge_id=other.customer.customer_id, staff_id=self.staff_id,
                             reason=self.reason_edit.text())
        if merged is not None:
            self.reason_edit.clear()
            self.message_bar.show_message(_("The records are merged: {visits} visit(s) and {documents} document(s) "
                                            "moved to {name}.").format(visits=merged.visits,
                                                                        documents=merged.documents,
                                                                        name=keep.customer.name or "—"), "ok",
                                          seconds=10)
            self.keep_side.find()
            self.merge_side.clear()
        return merged
