"""Parts of the queue display: a counter's column, the waiting table and the recent calls list."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from counter_app.i18n import N_, _, pick
from counter_app.workflows.queue.board import CounterBoard, RecentCall, ServiceQueue

# Dark, high contrast, big type: read from five metres away in a bright hall.
STYLE = """
DisplayWindow { background: #0b1622; }
QLabel { color: #e8eef5; }
QLabel#branch { font-size: 40px; font-weight: bold; }
QLabel#hall { font-size: 30px; color: #ffd54f; }
QLabel#hall[state="closed"] { color: #ff8a80; }
QLabel#clock { font-size: 56px; font-weight: bold; }
QLabel#openCounters { font-size: 26px; color: #b0c4d8; }
QLabel#panelTitle { font-size: 30px; font-weight: bold; color: #90caf9; }
QLabel#columnHead { font-size: 22px; color: #90a4b8; }
QLabel#serviceName { font-size: 32px; }
QLabel#waiting { font-size: 40px; font-weight: bold; color: #ffffff; }
QLabel#estimate { font-size: 30px; color: #c8e6c9; }
QLabel#recent { font-size: 34px; }
QLabel#unavailable { font-size: 64px; font-weight: bold; color: #ff8a80; }
QLabel#unavailableHint { font-size: 30px; color: #e8eef5; }
QFrame#panel { background: #13243a; border-radius: 12px; }
QFrame#counter { background: #13243a; border: 2px solid #2d4a6b; border-radius: 12px; }
QFrame#counter[state="closed"] { background: #0f1b29; border-color: #1f3042; }
QFrame#counter[state="serving"] { border-color: #ffd54f; }
QLabel#counterName { font-size: 34px; font-weight: bold; }
QLabel#counterState { font-size: 26px; padding: 4px 10px; border-radius: 6px; }
QLabel#counterState[state="open"] { background: #1b5e20; color: #ffffff; }
QLabel#counterState[state="serving"] { background: #ffd54f; color: #1a1a1a; }
QLabel#counterState[state="paused"] { background: #e65100; color: #ffffff; }
QLabel#counterState[state="closed"] { background: #37474f; color: #cfd8dc; }
QLabel#counterState[state="silent"] { background: #37474f; color: #ffcc80; }
QLabel#ticket { font-size: 104px; font-weight: bold; color: #ffd54f; border-radius: 10px; }
QLabel#ticket[flash="on"] { background: #ffd54f; color: #0b1622; }
QLabel#ticket[compact="on"] { font-size: 76px; }
"""

_FONT_SIZE = re.compile(r"font-size: (\d+)px")


def stylesheet(font_percent: int = 100) -> str:
    """STYLE with its type scaled to the branch's `display_font_percent` (a far wall, a small screen); the
    frames, margins and colours stay as they are."""
    if font_percent == 100:
        return STYLE
    return _FONT_SIZE.sub(lambda size: f"font-size: {max(1, round(int(size[1]) * font_percent / 100))}px", STYLE)


# The state a counter is in, in words: colour is never the only sign.
STATE_TEXT = {
    "closed": N_("Closed"),
    "open": N_("Open"),
    "paused": N_("Paused"),
    "serving": N_("Now serving"),
    "silent": N_("Not available"),  # its PC stopped answering: nobody is called there
}
TICKET_HEIGHT, COMPACT_TICKET_HEIGHT = 150, 92  # px for the number called: one row of counters, or more
FLASH_MS = 500
FLASH_TOGGLES = 20  # ~10 s of flashing


def restyle(widget: QWidget, name: str, value: str) -> None:
    """Set a property the stylesheet selects on, and redraw only if it changed."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def label(name: str, text: str = "", *, align: Qt.AlignmentFlag | None = None) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    if align is not None:
        widget.setAlignment(align)
    return widget


class CounterCell(QFrame):
    """One counter's column: its number, its state in words, and the number called there."""

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.setObjectName("counter")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 16, 12, 16)
        layout.setSpacing(12)
        center = Qt.AlignmentFlag.AlignCenter
        self.name_label = label("counterName", align=center)
        self.state_label = label("counterState", align=center)
        self.ticket_label = label("ticket", align=center)
        self.ticket_label.setMinimumHeight(TICKET_HEIGHT)
        self._layout = layout
        layout.addWidget(self.name_label)
        layout.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        layout.addWidget(self.ticket_label)
        layout.addStretch(1)
        self.flashing = False
        self._toggles = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._on_flash_tick)

    def set_compact(self, compact: bool) -> None:
        """Smaller type and margins when the counters take more than one row, so that the board still fits a
        1080-line screen with the waiting table and the recent calls under it."""
        self.ticket_label.setMinimumHeight(COMPACT_TICKET_HEIGHT if compact else TICKET_HEIGHT)
        self._layout.setContentsMargins(12, 8 if compact else 16, 12, 8 if compact else 16)
        self._layout.setSpacing(6 if compact else 12)
        restyle(self.ticket_label, "compact", "on" if compact else "off")

    def show_counter(self, counter: CounterBoard) -> None:
        title = _("Counter {number}").format(number=counter.number)
        self.name_label.setText(f"{title} · {counter.name}" if counter.name else title)
        self.state_label.setText(_(STATE_TEXT.get(counter.state, counter.state)))
        restyle(self.state_label, "state", counter.state)
        restyle(self, "state", counter.state)
        self.ticket_label.setText(counter.ticket or "")
        if counter.ticket is None:
            self.stop_flash()

    def flash(self) -> None:
        """Draw the eye to a number just called or recalled."""
        self.flashing = True
        self._toggles = 0
        restyle(self.ticket_label, "flash", "on")
        self._flash_timer.start()

    def stop_flash(self) -> None:
        self.flashing = False
        self._flash_timer.stop()
        restyle(self.ticket_label, "flash", "off")

    def _on_flash_tick(self) -> None:
        self._toggles += 1
        if self._toggles >= FLASH_TOGGLES:
            self.stop_flash()
            return
        restyle(self.ticket_label, "flash", "off" if self._toggles % 2 else "on")


class ServiceTable(QFrame):
    """Per service: how many wait and how long a newcomer would wait."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        self.title = label("panelTitle")
        layout.addWidget(self.title)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(30)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 2)
        self.heads = [label("columnHead"), label("columnHead", align=Qt.AlignmentFlag.AlignRight),
                      label("columnHead", align=Qt.AlignmentFlag.AlignRight)]
        for column, head in enumerate(self.heads):
            self.grid.addWidget(head, 0, column)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.name_labels: dict[str, QLabel] = {}
        self.waiting_labels: dict[str, QLabel] = {}
        self.estimate_labels: dict[str, QLabel] = {}

    def show_services(self, services: list[ServiceQueue], *, estimates: bool = True) -> None:
        """`estimates` off while the hall is closed: a wait counted in hours until tomorrow helps nobody."""
        self.title.setText(_("Waiting now"))
        for head, text in zip(self.heads, (_("Service"), _("Waiting"), _("Estimated wait")), strict=True):
            head.setText(text)
        if [s.code for s in services] != list(self.waiting_labels):
            self._rebuild([s.code for s in services])
        for service in services:
            self.name_labels[service.code].setText(pick(service.names))
            self.waiting_labels[service.code].setText(str(service.waiting))
            if not estimates:
                estimate = "—"
            elif service.wait_minutes:
                estimate = _("about {minutes} min").format(minutes=service.wait_minutes)
            else:
                estimate = _("no wait")
            self.estimate_labels[service.code].setText(estimate)

    def blank(self) -> None:
        """No figures at all when the store cannot be read: a wrong 0 is worse than none."""
        for mapping in (self.waiting_labels, self.estimate_labels):
            for widget in mapping.values():
                widget.setText("—")

    def _rebuild(self, codes: list[str]) -> None:
        for mapping in (self.name_labels, self.waiting_labels, self.estimate_labels):
            for widget in mapping.values():
                self.grid.removeWidget(widget)
                widget.deleteLater()
            mapping.clear()
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, code in enumerate(codes, start=1):
            self.name_labels[code] = label("serviceName")
            self.waiting_labels[code] = label("waiting", align=right)
            self.estimate_labels[code] = label("estimate", align=right)
            self.grid.addWidget(self.name_labels[code], row, 0)
            self.grid.addWidget(self.waiting_labels[code], row, 1)
            self.grid.addWidget(self.estimate_labels[code], row, 2)


class RecentList(QFrame):
    """The last few numbers called, newest first, with where to go."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        self.title = label("panelTitle")
        layout.addWidget(self.title)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(6)
        layout.addLayout(self.rows_layout)
        layout.addStretch(1)
        self.rows: list[QLabel] = []

    def show_recent(self, recent: list[RecentCall]) -> None:
        self.title.setText(_("Recently called"))
        while len(self.rows) < len(recent):
            row = label("recent")
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        for row, call in zip(self.rows, recent, strict=False):
            row.setText(_("{number}  →  counter {counter}").format(number=call.number, counter=call.counter_number))
            row.show()
        for row in self.rows[len(recent):]:
            row.hide()
