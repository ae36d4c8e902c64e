"""The signed-in sales owner's slip flags: orders of theirs a rush order pushed back, until they mark them seen.

Signals:
    flags_changed(int): the number of unseen flags after a refresh (the window puts it on the tab).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar
from counter_app.ui.planning import snapshot
from counter_app.workflows.planning import rush


class FlagsTab(QWidget):
    flags_changed = Signal(int)

    def __init__(self, backend: Backend, staff_id: int, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.staff_id, self.bar = backend, staff_id, bar
        self.flags: list[snapshot.FlagView] = []
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Order"), _("Committed date was"), _("Now"), _("Slipped (working days)"),
                                              _("Raised at")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.seen_button = QPushButton(_("Mark seen"))
        hint = QLabel(_("Your orders whose committed date a rush order pushed back: tell the customer, then mark the "
                        "flag seen."))
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.seen_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.seen_button.clicked.connect(self.mark_seen)
        self.refresh()

    def refresh(self) -> None:
        flags = self.backend.query(snapshot.my_flags, staff_id=self.staff_id)
        if flags is None:
            return
        self.flags = flags
        self.table.setRowCount(len(flags))
        for row, f in enumerate(flags):
            for column, text in enumerate((f.number, f.previous.isoformat(), f.new.isoformat(), str(f.days),
                                           f"{f.raised_at:%Y-%m-%d %H:%M}")):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, f.id)
                self.table.setItem(row, column, item)
        self.seen_button.setEnabled(bool(flags))
        self.flags_changed.emit(len(flags))

    def mark_seen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        chosen = [self.flags[r.row()] for r in rows] or self.flags[:1]
        for flag in chosen:
            if act_or_show(self.backend, self.bar, rush.mark_flag_seen, flag_id=flag.id, staff_id=self.staff_id) is None:
                return
        self.refresh()
