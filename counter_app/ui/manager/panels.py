"""The parts of the duty manager's window: counters, queues, alerts, escalations, helpers, approvals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import N_, _
from counter_app.models.oversight import AlertKind
from counter_app.ui.common.widgets import fmt_duration
from counter_app.workflows.oversight.timing import LEVEL_TEXT

# Colour backs up the text, never replaces it: every level is also written out.
LEVEL_STYLE = {"ok": ("#17502a", "#e9f6ec"), "warning": ("#6b4a00", "#ffe9a8"), "breached": ("#ffffff", "#b3261e")}
ALERT_KIND_TEXT = {
    AlertKind.IDLE_COUNTER: N_("Idle counter"),
    AlertKind.WAIT_WARNING: N_("Long wait"),
    AlertKind.WAIT_BREACH: N_("Wait over target"),
    AlertKind.SERVICE_WARNING: N_("Long service"),
    AlertKind.SERVICE_BREACH: N_("Service over target"),
    AlertKind.QUEUE_LENGTH: N_("Queue too long"),
    AlertKind.IDLE_BREACH: N_("Idle counter past its limit"),
    AlertKind.SERVICE_QUEUE_WARNING: N_("Long service queue"),
    AlertKind.SERVICE_QUEUE_BREACH: N_("Service queue too long"),
    AlertKind.REVIEW_OVERDUE: N_("Order review overdue"),
}
ROUTE_TEXT = {"mentor": N_("mentor"), "senior": N_("senior clerks"), "manager": N_("duty manager")}
STEP_TEXT = {"requested": N_("asked for help"), "accepted": N_("accepted"), "handed_up": N_("handed up to the duty manager"),
             "resolved": N_("resolved"), "auto_raised": N_("raised by the service target"),
             "ended": N_("ended with the visit")}
NOTE_TEXT = {"auto": N_("automatically"), "service target reached": N_("service target reached"),
             "visit_ended": N_("the customer left before anyone answered")}


def translated(value: str | None, table: dict[str, str]) -> str:
    if value is None:
        return "—"
    return _(table[value]) if value in table else value


@dataclass(frozen=True)
class Cell:
    text: str
    level: str | None = None  # ok / warning / breached: coloured as such
    tooltip: str = ""
    bold: bool = False


def level_cell(level: str | None) -> Cell:
    return Cell(translated(level, LEVEL_TEXT), level, bold=level == "breached") if level else Cell("—")


def against(seconds: int, target_min: int) -> str:
    return _("{elapsed} / {target} min").format(elapsed=fmt_duration(seconds), target=target_min)


def hhmm(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else "—"


class Table(QTableWidget):
    """A read-only table refilled in place, so the selected row survives a refresh."""

    def __init__(self, headers: Sequence[str], stretch: Sequence[int] = (), parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in stretch or (len(headers) - 1,):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.keys: list[object] = []
        self.fit: tuple[int, int] | None = None

    def fit_rows(self, least: int, most: int) -> None:
        """Be as tall as the rows (between `least` and `most` of them): short lists leave room to others."""
        self.fit = (least, most)
        self._fit_height()

    def _fit_height(self) -> None:
        if self.fit is None:
            return
        rows = min(max(self.rowCount(), self.fit[0]), self.fit[1])
        height = self.horizontalHeader().sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    def fill(self, rows: Sequence[tuple[object, Sequence[Cell]]]) -> None:
        selected = self.selected_key()
        self.keys = [key for key, _cells in rows]
        self.setRowCount(len(rows))
        for row, (_key, cells) in enumerate(rows):
            for column, cell in enumerate(cells):
                # A fresh item each time: simpler than clearing old colours, and a few dozen items a second
                # cost nothing.
                item = QTableWidgetItem(cell.text)
                item.setToolTip(cell.tooltip)
                if cell.bold:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if cell.level in LEVEL_STYLE:
                    fg, bg = LEVEL_STYLE[cell.level]
                    item.setForeground(QBrush(QColor(fg)))
                    item.setBackground(QBrush(QColor(bg)))
                self.setItem(row, column, item)
        self._fit_height()
        if selected in self.keys:
            self.selectRow(self.keys.index(selected))
        else:
            self.clearSelection()

    def selected_key(self) -> object | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self.keys[rows[0].row()] if rows and rows[0].row() < len(self.keys) else None

    def select_key(self, key: object) -> None:
        if key in self.keys:
            self.selectRow(self.keys.index(key))

    def column_texts(self, column: int) -> list[str]:
        return [self.item(row, column).text() for row in range(self.rowCount())]


class Section(QGroupBox):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setStyleSheet("QGroupBox { font-weight: bold; font-size: 16px; margin-top: 10px; padding-top: 6px; }"
                           " QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }"
                           " QTableWidget, QPushButton, QLabel { font-weight: normal; }")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(8, 8, 8, 8)


class CountersPanel(Section):
    """Every counter: state, who is at it, the customer at it, and the service time against its target.
    A counter whose PC stopped answering says since when; its customers can be handed over and it closed.

    Signals: hand_over_requested(int), release_requested(int) — the counter's number.
    """

    hand_over_requested = Signal(int)
    release_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Counters"), parent)
        self.rows: dict[int, object] = {}
        self.table = Table([_("Counter"), _("State"), _("Staff"), _("Ticket"), _("Service time"), _("Level")],
                           (1, 2, 4))
        self.table.fit_rows(4, 12)
        self.body.addWidget(self.table)
        self.hand_over_button = QPushButton(_("Hand customers over…"))
        self.hand_over_button.setToolTip(_("Send the customers of this counter to another open counter"))
        self.release_button = QPushButton(_("Close counter…"))
        self.release_button.setToolTip(_("Close a counter whose clerk is gone, and sign the clerk out"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.hand_over_button)
        buttons.addWidget(self.release_button)
        self.body.addLayout(buttons)
        self.hand_over_button.clicked.connect(lambda: self._emit(self.hand_over_requested))
        self.release_button.clicked.connect(lambda: self._emit(self.release_requested))
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self._on_selection_changed()

    def show_counters(self, rows: Sequence, state_text) -> None:
        self.rows = {row.number: row for row in rows}
        cells = []
        for row in rows:
            if row.seconds is not None:
                time, level = Cell(against(row.seconds, row.target_min), row.level), level_cell(row.level)
            elif row.called_at is not None:
                time, level = Cell(_("called at {time}").format(time=hhmm(row.called_at))), Cell("—")
            else:
                time, level = Cell("—"), Cell("—")
            if row.silent_since is not None:
                state = Cell(_("Not answering since {time}").format(time=hhmm(row.silent_since)), "breached",
                             tooltip=_("The counter's PC stopped answering: hand its customers over or close it."))
            else:
                state = Cell(state_text(row.state))
            cells.append((row.number, [Cell(str(row.number), bold=True), state,
                                       Cell(row.staff_name or "—"), Cell(row.ticket or "—"), time, level]))
        self.table.fill(cells)
        self._on_selection_changed()

    def selected(self):
        return self.rows.get(self.table.selected_key())

    def _emit(self, signal) -> None:
        row = self.selected()
        if row is not None:
            signal.emit(row.number)

    def _on_selection_changed(self) -> None:
        row = self.selected()
        self.hand_over_button.setEnabled(row is not None and bool(row.customers))
        self.release_button.setEnabled(row is not None and (row.state != "closed" or bool(row.staff_name)))


class QueuesPanel(Section):
    """Each service's queue: how many wait and how long the longest has waited against the target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Queue per service"), parent)
        self.table = Table([_("Service"), _("Waiting"), _("Oldest wait"), _("Level")], (0, 2))
        self.table.fit_rows(4, 10)
        self.body.addWidget(self.table)

    def show_queues(self, rows: Sequence) -> None:
        self.table.fill([(row.code, [
            Cell(row.name), Cell(str(row.waiting), bold=row.waiting > 0),
            Cell(against(row.oldest_seconds, row.target_min) if row.waiting else "—", row.level if row.waiting else None),
            level_cell(row.level) if row.waiting else Cell("—"),
        ]) for row in rows])


class AlertsPanel(Section):
    """Open alerts, newest first; acknowledging says "I have seen it" — the alert ends with its condition."""

    acknowledge_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Alerts"), parent)
        self.table = Table([_("Kind"), _("Alert"), _("Raised"), _("Age"), _("Acknowledged")], (1,))
        self.acknowledge_button = QPushButton(_("Acknowledge"))
        self.acknowledge_button.setEnabled(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.acknowledge_button)
        self.body.addWidget(self.table)
        self.body.addLayout(row)
        self.lines: dict[int, object] = {}
        self.acknowledge_button.clicked.connect(self._on_acknowledge_clicked)
        self.table.itemSelectionChanged.connect(self._enable)

    def show_alerts(self, lines: Sequence, now: dt.datetime) -> None:
        self.lines = {line.alert_id: line for line in lines}
        self.table.fill([(line.alert_id, [
            Cell(translated(line.kind, ALERT_KIND_TEXT), "breached" if line.severity == "breach" else "warning"),
            Cell(line.text(_), tooltip=line.text(_)), Cell(hhmm(line.raised_at)),
            Cell(fmt_duration(int((now - line.raised_at).total_seconds()))),
            Cell(("✓ " + line.acknowledged_by) if line.acknowledged_by else _("not yet")),
        ]) for line in lines])
        self._enable()

    def _enable(self) -> None:
        line = self.lines.get(self.table.selected_key())
        self.acknowledge_button.setEnabled(line is not None and line.acknowledged_by is None)

    def _on_acknowledge_clicked(self) -> None:
        key = self.table.selected_key()
        if key is not None:
            self.acknowledge_requested.emit(key)


class EscalationsPanel(Section):
    """The escalation inbox: open help requests with their live age; the steps of the one selected.

    Requests resolved today stay listed after their visit ended until the customer's apology notice
    is printed or declined, so the manager can offer it (F8).
    """

    accept_requested = Signal(int)
    resolve_requested = Signal(int)
    approve_requested = Signal(int)
    apology_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Help requests and escalations"), parent)
        self.table = Table([_("Ticket"), _("Counter"), _("Asked by"), _("Asked whom"), _("State"), _("Age"),
                            _("Reason")], (6,))
        self.table.fit_rows(3, 8)
        self.steps_label = QLabel()
        self.steps_label.setWordWrap(True)
        self.steps_label.setTextFormat(Qt.TextFormat.PlainText)
        self.steps_label.setStyleSheet("color: #333; background: #f5f5f5; padding: 6px; border-radius: 4px;")
        self.accept_button = QPushButton(_("Accept"))
        self.resolve_button = QPushButton(_("Resolve…"))
        self.approve_button = QPushButton(_("Approve exception…"))
        self.apology_button = QPushButton(_("Apology notice…"))
        self.apology_button.setToolTip(_("Offer the customer an apology and explanation notice"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.accept_button, self.resolve_button, self.approve_button, self.apology_button):
            buttons.addWidget(button)
        self.body.addWidget(self.table)
        self.body.addWidget(self.steps_label)
        self.body.addLayout(buttons)
        self.rows: dict[int, object] = {}
        self.accept_button.clicked.connect(lambda: self._emit(self.accept_requested))
        self.resolve_button.clicked.connect(lambda: self._emit(self.resolve_requested))
        self.approve_button.clicked.connect(lambda: self._emit(self.approve_requested))
        self.apology_button.clicked.connect(lambda: self._emit(self.apology_requested))
        self.table.itemSelectionChanged.connect(self._on_selection_changed)

    def show_escalations(self, rows: Sequence, now: dt.datetime, state_text: dict[str, str]) -> None:
        self.rows = {row.line.escalation_id: row for row in rows}
        cells = []
        for row in rows:
            line = row.line
            level = "breached" if line.state == "handed_up" else ("warning" if line.state == "requested" else None)
            steps = self.steps_text(line)
            cells.append((line.escalation_id, [
                Cell(line.ticket_number or "—", bold=True, tooltip=steps), Cell(str(line.counter_number or "—")),
                Cell(line.requested_by or "—", tooltip=steps),
                Cell(translated(line.route, ROUTE_TEXT) + (" · " + _("automatic") if line.auto else "")),
                Cell(translated(line.state, state_text), level, tooltip=steps),
                Cell(fmt_duration(line.age_seconds)),
                Cell(translated(line.reason, NOTE_TEXT) or "—", tooltip=steps),
            ]))
        self.table.fill(cells)
        if self.table.selected_key() is None and self.table.keys:
            self.table.selectRow(0)
        self._on_selection_changed()

    @staticmethod
    def steps_text(line) -> str:
        parts = []
        for at, action, who, note in line.steps:
            text = _("{time} {who} {action}").format(time=at.strftime("%H:%M:%S"), who=who or _("the system"),
                                                     action=translated(action, STEP_TEXT))
            parts.append(text + (f" — {translated(note, NOTE_TEXT)}" if note else ""))
        return "\n".join(parts)

    def selected(self):
        return self.rows.get(self.table.selected_key())

    def _on_selection_changed(self) -> None:
        row = self.selected()
        state = row.line.state if row else None
        self.accept_button.setEnabled(state in ("requested", "handed_up"))
        self.resolve_button.setEnabled(row is not None and state != "resolved")
        self.approve_button.setEnabled(row is not None and state != "resolved" and row.line.requested_by_id is not None)
        self.apology_button.setEnabled(row is not None and row.visit_finished)
        self.steps_label.setText(self.steps_text(row.line) if row else _("No open help requests."))

    def _emit(self, signal) -> None:
        row = self.selected()
        if row is not None:
            signal.emit(row.line.escalation_id)


class HelpersPanel(Section):
    """Senior clerks and duty managers on duty: free ones first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Who is free to help"), parent)
        self.table = Table([_("Name"), _("Role"), _("Counter"), _("Now")], (3,))
        self.table.fit_rows(2, 6)
        self.body.addWidget(self.table)

    def show_helpers(self, helpers: Sequence, role_text) -> None:
        self.table.fill([(h.staff_id, [
            Cell(h.name, bold=True), Cell(role_text(h.role)), Cell(str(h.counter_number or "—")),
            Cell(_("serving {ticket}").format(ticket=h.busy_with), "warning") if h.busy_with
            else Cell(_("free"), "ok"),
        ]) for h in helpers])


class ApprovalsPanel(Section):
    """Exceptions approved today: what, for whom, by whom, at whose request."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Approvals today"), parent)
        self.table = Table([_("Time"), _("Customer"), _("Exception"), _("Approved by"), _("Asked by")], (2,))
        self.body.addWidget(self.table)

    def show_approvals(self, rows: Sequence, kind_text: dict[str, str]) -> None:
        self.table.fill([(row.approval_id, [
            Cell(hhmm(row.approved_at)), Cell(row.customer or "—"),
            Cell(translated(row.kind, kind_text), tooltip=row.reason), Cell(row.approved_by),
            Cell(row.requested_by),
        ]) for row in rows])
