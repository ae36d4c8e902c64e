"""The parts of the counter window: the customer at the counter, the waiting list, the parked list."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import N_, _, pick
from counter_app.ui.common.texts import TICKET_STATE_TEXT, state_text
from counter_app.ui.common.widgets import fmt_duration
from counter_app.workflows.core.masking import mask_ref
from counter_app.workflows.oversight.timing import LEVEL_TEXT, Level, level_of
from counter_app.workflows.queue.board import TicketLine

T = TypeVar("T")

OVER = "#b3261e"
# Text and colour for each timing level: the text says it too, colour is never the only sign.
LEVEL_COLOURS = {Level.OK: "#17502a", Level.WARNING: "#8a5a00", Level.BREACHED: OVER}
LEVEL_BACKGROUNDS = {Level.OK: "#e9f6ec", Level.WARNING: "#fff1cc", Level.BREACHED: "#fdecea"}
DEFAULT_WARNING_SHARE = 0.75


def duration_words(seconds: int) -> str:
    """A duration in words ("9 min 20 s"), never "09:20", which reads as a time of day next to a clock."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if minutes:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=secs)
    return _("{seconds} s").format(seconds=secs)


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 17px; font-weight: bold; color: #333;")
    return label


class CurrentTicketPanel(QFrame):
    """The customer at the counter: number, service, state and the live wait or service timer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("currentPanel")
        self.setStyleSheet("QFrame#currentPanel { background: #f7f9fc; border: 1px solid #c9d3e0;"
                           " border-radius: 6px; }")
        self.caption = QLabel()
        self.caption.setStyleSheet("color: #555;")
        self.number_label = QLabel("—")
        self.number_label.setStyleSheet("font-size: 72px; font-weight: bold; color: #0b3d6e;")
        self.service_label = QLabel()
        self.service_label.setStyleSheet("font-size: 20px;")
        self.customer_label = QLabel()
        self.state_label = QLabel()
        self.state_label.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.timer_label = QLabel()
        self.level_label = QLabel()
        self.level_label.hide()
        timer_font = QFont(self.timer_label.font())
        timer_font.setStyleHint(QFont.StyleHint.Monospace)
        self.timer_label.setFont(timer_font)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.number_label)
        top.addSpacing(24)
        details = QVBoxLayout()
        details.addStretch(1)
        for label in (self.service_label, self.customer_label, self.state_label):
            details.addWidget(label)
        details.addStretch(1)
        top.addLayout(details, 1)
        layout.addWidget(self.caption)
        layout.addLayout(top)
        timer_row = QHBoxLayout()
        timer_row.addWidget(self.timer_label)
        timer_row.addSpacing(12)
        timer_row.addWidget(self.level_label)
        timer_row.addStretch(1)
        layout.addLayout(timer_row)
        layout.addWidget(self.note_label)

    def show_ticket(self, line: TicketLine | None, now: dt.datetime,
                    warning_share: float = DEFAULT_WARNING_SHARE) -> None:
        if line is None:
            self.caption.setText(_("At the counter"))
            self.number_label.setText("—")
            self.service_label.setText(_("No customer at the counter"))
            self.customer_label.setText("")
            self.state_label.setText("")
            self.timer_label.setText("")
            self.note_label.setText("")
            self.level_label.hide()
            return
        self.caption.setText(_("At the counter"))
        self.number_label.setText(line.number)
        service = pick(line.service_names)
        if line.transferred:
            service = _("{service} (transferred)").format(service=service)
        self.service_label.setText(service)
        # Masked, as on every document: the customer may see this screen (docs/customers.md).
        self.customer_label.setText(_("Customer: {ref}").format(ref=mask_ref(line.customer_ref) or "—"))
        self.state_label.setText(state_text(line.state, TICKET_STATE_TEXT))
        if line.state == "serving":
            elapsed, target = line.service_seconds(now), line.target_service_min * 60
            level = level_of(elapsed, line.target_service_min, warning_share, line.service_warning_min)
            text = _("In service {duration} / target {target} min").format(
                duration=duration_words(elapsed), target=line.target_service_min)
            if level == Level.BREACHED:
                note = _("Over the service target by {over}.").format(over=duration_words(elapsed - target))
            elif level == Level.WARNING:
                note = _("Warning mark passed: {left} left before the service target.").format(
                    left=duration_words(target - elapsed))
            else:
                note = _("Service time against the service's target.")
            badge = _("Service: {level}").format(level=_(LEVEL_TEXT[level]))
            size = 34
        else:
            waited, target = line.wait_seconds(now), line.target_wait_min * 60
            level = level_of(line.leg_wait_seconds(now), line.target_wait_min, warning_share, line.wait_warning_min)
            since = int((now - line.called_at).total_seconds()) if line.called_at else 0
            text = _("Waited {wait} · called {since} ago").format(wait=duration_words(waited),
                                                                 since=duration_words(since))
            note = (_("Waited longer than the wait target of {target} min.").format(target=line.target_wait_min)
                    if level == Level.BREACHED else _("Wait target {target} min.").format(target=line.target_wait_min))
            if line.recall_count:
                note += " " + _("Recalled {count} time(s).").format(count=line.recall_count)
            badge = _("Wait: {level}").format(level=_(LEVEL_TEXT[level]))
            size = 24
        colour = LEVEL_COLOURS[level]
        self.timer_label.setText(text)
        self.timer_label.setStyleSheet(f"font-size: {size}px; font-weight: bold; color: {colour};")
        self.level_label.setText(badge)
        self.level_label.setStyleSheet(f"font-size: 16px; font-weight: bold; color: {colour};"
                                       f" background: {LEVEL_BACKGROUNDS[level]}; border: 1px solid {colour};"
                                       " border-radius: 4px; padding: 2px 10px;")
        self.level_label.show()
        self.note_label.setText(note)
        self.note_label.setStyleSheet(f"color: {colour if level != Level.OK else '#555'};")


class WaitingPanel(QWidget):
    """The customers this counter can call, in calling order, with how long each has waited.

    Signals:
        ticket_chosen(int): the clerk double-clicked a row or pressed "Call this one" (ticket id).
        priority_wanted(int): the clerk pressed "Give priority…" for the selected customer (ticket id).
    """

    ticket_chosen = Signal(int)
    priority_wanted = Signal(int)
    COLUMNS = (N_("Number"), N_("Service"), N_("Priority"), N_("Waited"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = _title("")
        self.waiting_table = QTableWidget(0, len(self.COLUMNS))
        self.waiting_table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.waiting_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.waiting_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.waiting_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.waiting_table.verticalHeader().setVisible(False)
        header = self.waiting_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.waiting_table.cellDoubleClicked.connect(self._on_row_double_clicked)
        self.waiting_table.itemSelectionChanged.connect(self._update_button)
        self.call_selected_button = QPushButton(_("Call this one"))
        self.call_selected_button.setToolTip(_("Call the selected customer out of turn"))
        self.call_selected_button.clicked.connect(self._on_call_selected)
        self.priority_button = QPushButton(_("Give priority…"))
        self.priority_button.setToolTip(_("An elderly or disabled customer, an expectant mother, a VIP, an "
                                          "appointment: called before the others, the reason on record"))
        self.priority_button.clicked.connect(self._on_priority)
        self.other_label = QLabel()
        self.other_label.setStyleSheet("color: #555;")
        self.other_label.setWordWrap(True)
        self._ids: list[int] = []
        self._can_call = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.waiting_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.other_label, 1)
        row.addWidget(self.priority_button)
        row.addWidget(self.call_selected_button)
        layout.addLayout(row)

    def show_waiting(self, lines: list[TicketLine], now: dt.datetime, other_waiting: int, can_call: bool,
                     warning_share: float = DEFAULT_WARNING_SHARE) -> None:
        self.title_label.setText(_("Waiting for this counter: {count}").format(count=len(lines)))
        self.other_label.setText(_("{count} more waiting for services this counter does not serve.")
                                 .format(count=other_waiting) if other_waiting else "")
        ids = [line.ticket_id for line in lines]
        table = self.waiting_table
        if ids != self._ids:
            # Rebuild only when the queue changed, so the clerk's selection survives the 1 s refresh.
            selected = self.selected_ticket_id()
            table.setRowCount(len(lines))
            for row, line in enumerate(lines):
                number = QTableWidgetItem(line.number)
                number.setData(Qt.ItemDataRole.UserRole, line.ticket_id)
                service = pick(line.service_names)
                if line.transferred:
                    service = _("{service} (transferred)").format(service=service)
                priority = _("Normal") if line.priority <= 0 else _("Priority {tier}").format(tier=line.priority)
                for col, item in enumerate((number, QTableWidgetItem(service), QTableWidgetItem(priority))):
                    table.setItem(row, col, item)
                table.setItem(row, 3, QTableWidgetItem())
            self._ids = ids
            if selected in ids:
                table.selectRow(ids.index(selected))
        for row, line in enumerate(lines):
            waited = line.wait_seconds(now)
            level = level_of(line.leg_wait_seconds(now), line.target_wait_min, warning_share, line.wait_warning_min)
            item = table.item(row, 3)
            # Not colour alone: the level is also in the text.
            item.setText(_("{waited} {level}").format(waited=fmt_duration(waited), level=_(LEVEL_TEXT[level])))
            item.setData(Qt.ItemDataRole.UserRole, str(level))
            item.setForeground(QBrush(QColor(LEVEL_COLOURS[level])))
            item.setBackground(QBrush(QColor(LEVEL_BACKGROUNDS[level])))
        self._can_call = can_call
        self._update_button()

    def selected_ticket_id(self) -> int | None:
        rows = self.waiting_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.waiting_table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def _update_button(self) -> None:
        self.call_selected_button.setEnabled(self._can_call and self.selected_ticket_id() is not None)
        self.priority_button.setEnabled(self.selected_ticket_id() is not None)

    def _on_priority(self) -> None:
        ticket_id = self.selected_ticket_id()
        if ticket_id is not None:
            self.priority_wanted.emit(ticket_id)

    def _on_row_double_clicked(self, row: int, _column: int) -> None:
        if self._can_call:
            self.ticket_chosen.emit(self.waiting_table.item(row, 0).data(Qt.ItemDataRole.UserRole))

    def _on_call_selected(self) -> None:
        ticket_id = self.selected_ticket_id()
        if ticket_id is not None:
            self.ticket_chosen.emit(ticket_id)


class ParkedPanel(QWidget):
    """Customers put on hold at this counter.

    Signals:
        resume_requested(int): bring this parked ticket back (ticket id).
    """

    resume_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = _title("")
        self.parked_list = QListWidget()
        self.parked_list.setMaximumHeight(110)
        self.resume_button = QPushButton(_("Resume"))
        self.resume_button.clicked.connect(self._on_resume)
        self._can_resume = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        row = QHBoxLayout()
        row.addWidget(self.parked_list, 1)
        row.addWidget(self.resume_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)

    def show_parked(self, lines: list[TicketLine], can_resume: bool) -> None:
        self.title_label.setText(_("Parked: {count}").format(count=len(lines)))
        ids = [line.ticket_id for line in lines]
        if ids != [self.parked_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.parked_list.count())]:
            self.parked_list.clear()
            for line in lines:
                where = _("service started") if line.started_at else _("called")
                item = QListWidgetItem(f"{line.number}  ·  {pick(line.service_names)}  ·  {where}")
                item.setData(Qt.ItemDataRole.UserRole, line.ticket_id)
                self.parked_list.addItem(item)
        self._can_resume = can_resume and bool(lines)
        self.resume_button.setEnabled(self._can_resume)

    def _on_resume(self) -> None:
        item = self.parked_list.currentItem() or self.parked_list.item(0)
        if item is not None and self._can_resume:
            self.resume_requested.emit(item.data(Qt.ItemDataRole.UserRole))


class TransferDialog(QDialog):
    """Choose the service a customer is sent on to; they keep their place by the original issue time."""

    def __init__(self, services: list[tuple[str, dict[str, str]]], exclude: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Transfer to another service"))
        self.service_combo = QComboBox()
        for code, names in services:
            if code != exclude:
                self.service_combo.addItem(pick(names), code)
        explain = QLabel(_("The customer keeps the same number and their place by the time they first "
                           "took it."))
        explain.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Transfer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Send the customer to:")))
        layout.addWidget(self.service_combo)
        layout.addWidget(explain)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget, services: list[tuple[str, dict[str, str]]], exclude: str | None) -> str | None:
        """The chosen service code, or None when the clerk cancels."""
        dialog = cls(services, exclude, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.service_combo.currentData()
