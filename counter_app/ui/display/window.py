"""The queue display (叫号屏): who is called where, how many wait, how long — or plainly that it cannot tell."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from counter_app.i18n import _, pick
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.display.board import CounterCell, RecentList, ServiceTable, label, restyle, stylesheet
from counter_app.ui.display.voice import Announcer
from counter_app.workflows.queue.board import Board, display_board
from counter_app.workflows.queue.display_settings import DisplaySettings, display_settings
from counter_app.workflows.queue.hours import HallState, HallStatus

SEEN_CALLS_KEPT = 500


def hhmm(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else "—"


def hall_line(hall: HallStatus, now: dt.datetime) -> str:
    if hall.state == HallState.OPEN:
        return _("Open until {time}").format(time=hhmm(hall.closes_at))
    if hall.state == HallState.PRE_OPEN:
        return _("Serving starts at {time}").format(time=hhmm(hall.opens_at))
    if hall.opens_at:
        when = hhmm(hall.opens_at) if hall.opens_at.date() == now.date() else hall.opens_at.strftime("%Y-%m-%d %H:%M")
        return _("The hall is closed. Serving starts again at {when}.").format(when=when)
    return _("The hall is closed.")


VOICE_AFTER_MS = 300


class DisplayWindow(QWidget):
    """The hall's big screen: one column per counter, the waiting table, recent calls, the clock.

    A new call or recall flashes at its counter and is announced; when the store cannot be read,
    the screen says so instead of showing figures it does not have. The branch's display settings (counters
    per row, type size, announce languages) are read on every refresh and applied only when they change: the
    screen runs all day, and a stylesheet or a grid rebuilt on every refresh would cost it for nothing.
    """

    def __init__(self, backend: Backend, settings: Settings, announcer: Announcer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.settings = settings
        self.announcer = announcer
        self.board: Board | None = None
        self.counter_cells: dict[int, CounterCell] = {}
        self.branch_display = DisplaySettings()  # what the screen shows now; the branch's are read on refresh
        self._seen_calls: dict[tuple[int, str, dt.datetime | None], None] | None = None  # None until first load
        self._shown_minute: dt.datetime | None = None
        self._refreshing = False
        self.setObjectName("display")
        self.setStyleSheet(stylesheet(self.branch_display.font_percent))
        self._build()
        backend.changed.connect(self._on_changed)
        backend.availability_changed.connect(self._on_availability_changed)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._on_tick)
        self._clock_timer.start()
        self.refresh()
        # Paint first, then load the voice: the speech engine takes a while, the hall's screen should not wait.
        QTimer.singleShot(VOICE_AFTER_MS, announcer.prepare)

    @property
    def waiting_labels(self):
        return self.services.waiting_labels

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(28, 20, 28, 24)
        root.setSpacing(18)
        header = QHBoxLayout()
        left = QVBoxLayout()
        self.branch_label = label("branch")
        self.hall_label = label("hall")
        left.addWidget(self.branch_label)
        left.addWidget(self.hall_label)
        header.addLayout(left, 1)
        right = QVBoxLayout()
        self.clock_label = label("clock", align=Qt.AlignmentFlag.AlignRight)
        self.open_label = label("openCounters", align=Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.clock_label)
        right.addWidget(self.open_label)
        header.addLayout(right)
        root.addLayout(header)

        self.body = QStackedWidget()
        board_page = QWidget()
        page = QVBoxLayout(board_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(18)
        self.counter_grid = QGridLayout()
        self.counter_grid.setSpacing(14)
        page.addLayout(self.counter_grid, 3)
        lower = QHBoxLayout()
        lower.setSpacing(18)
        self.services = ServiceTable()
        self.recent = RecentList()
        lower.addWidget(self.services, 3)
        lower.addWidget(self.recent, 2)
        page.addLayout(lower, 2)
        self.body.addWidget(board_page)

        unavailable_page = QWidget()
        box = QVBoxLayout(unavailable_page)
        box.addStretch(1)
        self.unavailable_label = label("unavailable", align=Qt.AlignmentFlag.AlignCenter)
        self.unavailable_hint = label("unavailableHint", align=Qt.AlignmentFlag.AlignCenter)
        self.unavailable_hint.setWordWrap(True)
        box.addWidget(self.unavailable_label)
        box.addWidget(self.unavailable_hint)
        box.addStretch(1)
        self.body.addWidget(unavailable_page)
        root.addWidget(self.body, 1)

    def _sync_counters(self, board: Board) -> None:
        numbers = [c.number for c in board.counters]
        if numbers == list(self.counter_cells):
            return
        for cell in self.counter_cells.values():
            self.counter_grid.removeWidget(cell)
            cell.deleteLater()
        self.counter_cells = {number: CounterCell(number) for number in numbers}
        self._place_counters()

    def _place_counters(self) -> None:
        """Lay the counters' cells out, `columns` to a row, in the board's order; each used column as wide."""
        columns = self.branch_display.columns
        for cell in self.counter_cells.values():
            self.counter_grid.removeWidget(cell)
        compact = len(self.counter_cells) > columns
        for index, cell in enumerate(self.counter_cells.values()):
            cell.set_compact(compact)
            self.counter_grid.addWidget(cell, index // columns, index % columns)
        for column in range(max(columns, self.counter_grid.columnCount())):
            self.counter_grid.setColumnStretch(column, 1 if column < columns else 0)

    def _apply_settings(self, wanted: DisplaySettings | None) -> None:
        """Apply the branch's display settings where they changed; None (unread) keeps what is shown."""
        if wanted is None or wanted == self.branch_display:
            return
        shown, self.branch_display = self.branch_display, wanted
        if wanted.font_percent != shown.font_percent:
            self.setStyleSheet(stylesheet(wanted.font_percent))
        if wanted.columns != shown.columns:
            self._place_counters()

    # -- refreshing --------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        try:
            self._refresh()
        finally:
            self._refreshing = False

    def _refresh(self) -> None:
        self._update_clock()
        board = self.backend.query(display_board, recent=max(0, int(self.settings.get("display_recent"))))
        if board is None:
            self.show_unavailable()
            return
        self.board = board
        self._apply_settings(self.backend.query(display_settings))
        self._shown_minute = board.now.replace(second=0)
        branch = pick(board.branch_names)
        self.setWindowTitle(_("Queue display — {branch}").format(branch=branch))
        self.branch_label.setText(branch)
        self.hall_label.setText(hall_line(board.hall, board.now))
        restyle(self.hall_label, "state", str(board.hall.state))
        open_now = sum(1 for c in board.counters if c.state in ("open", "serving"))
        self.open_label.setText(_("Counters open: {open} of {total}").format(open=open_now, total=len(board.counters)))
        self._sync_counters(board)
        for counter in board.counters:
            self.counter_cells[counter.number].show_counter(counter)
        self.services.show_services(board.services, estimates=board.hall.state != HallState.CLOSED)
        self.recent.show_recent(board.recent)
        self.body.setCurrentIndex(0)
        self._announce_new_calls(board)

    def show_unavailable(self) -> None:
        """Say the figures are unknown; never leave old or zero counts on the screen."""
        self.board = None
        self.services.blank()
        self.unavailable_label.setText(_("Data unavailable"))
        self.unavailable_hint.setText(_("The queue cannot be read at the moment. Numbers are still called "
                                        "at the counters; please ask a member of staff."))
        self.open_label.setText("")
        self.hall_label.setText("")
        self.body.setCurrentIndex(1)

    def _announce_new_calls(self, board: Board) -> None:
        """Flash and announce each call or recall not seen before; the first load only remembers."""
        current = [(c.called_at or dt.datetime.min, c.number, c.ticket) for c in board.counters if c.ticket]
        keys = {(number, ticket, called_at) for called_at, number, ticket in current}
        if self._seen_calls is None:
            self._seen_calls = dict.fromkeys(keys)
            return
        for called_at, number, ticket in sorted(current):
            key = (number, ticket, called_at)
            if key in self._seen_calls:
                continue
            self._seen_calls[key] = None
            self.counter_cells[number].flash()
            self.announcer.announce_call(ticket, number, self.branch_display.announce_languages)
        while len(self._seen_calls) > SEEN_CALLS_KEPT:
            self._seen_calls.pop(next(iter(self._seen_calls)))

    def _update_clock(self) -> None:
        now = self.backend.clock.now()
        self.clock_label.setText(now.strftime("%H:%M:%S"))

    # -- slots -------------------------------------------------------------------------------

    def _on_changed(self, _change: object) -> None:
        self.refresh()

    def _on_availability_changed(self, available: bool) -> None:
        if available:
            QTimer.singleShot(0, self.refresh)
        else:
            self.show_unavailable()

    def _on_tick(self) -> None:
        self._update_clock()
        # Estimates and the hall's opening follow the clock as well as the store.
        if self.board is None or self._shown_minute != self.backend.clock.now().replace(second=0):
            self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_F11:
            self.showNormal() if self.isFullScreen() else self.showFullScreen()
        elif event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        else:
            super().keyPressEvent(event)
