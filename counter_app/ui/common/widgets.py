"""Small widgets every window shares: the message bar, big touch buttons and the form dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _


class MessageBar(QLabel):
    """An inline message that never blocks the window: refusals, confirmations, warnings."""

    STYLES = {
        "error": "background:#fdecea; color:#8a1c13; border:1px solid #e0a39d;",
        "info": "background:#e8f1fb; color:#0b3d6e; border:1px solid #9cc0e6;",
        "ok": "background:#e9f6ec; color:#17502a; border:1px solid #9fd1ad;",
    }

    def __init__(self, parent: QWidget | None = None, *, reserve_lines: int = 0) -> None:
        """`reserve_lines`: keep room for that many lines even when empty, so that what is below never moves
        (a button grid that jumps as a message comes and goes sends a click to the wrong button)."""
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("messageBar")
        self.kind = ""
        self.reserve_lines = reserve_lines
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_message)
        if reserve_lines:
            self.setFixedHeight(reserve_lines * 22 + 18)  # lines of the 15 px message text, and its padding
        else:
            self.hide()

    def show_busy(self, busy: bool) -> None:
        """While the window's writes wait for another PC's lock: "busy, retrying"; gone once they go through."""
        text = _("The store is busy (another PC is writing, a report or a backup is running): retrying. "
                 "What you see is kept and the clock goes on.")
        if busy:
            self.show_message(text, "warning")
        elif self.text() == text:
            self.clear_message()

    def show_message(self, text: str, kind: str = "info", *, seconds: int = 0) -> None:
        self.kind = kind
        self.setText(text)
        self.setStyleSheet(f"QLabel#messageBar {{{self.STYLES.get(kind, '')} padding:8px; border-radius:4px;"
                           " font-size:15px;}")
        self.show()
        if seconds:
            self._timer.start(seconds * 1000)
        else:
            self._timer.stop()

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        if self.reserve_lines:
            self.setStyleSheet("QLabel#messageBar { background: transparent; border: none; }")
        else:
            self.hide()


class BigButton(QPushButton):
    """A button a finger can hit: for the kiosk and the counter's main actions."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, height: int = 64) -> None:
        super().__init__(text, parent)
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)


def fmt_duration(seconds: int) -> str:
    """mm:ss, or h:mm:ss past an hour."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class FormDialog(QDialog):
    """Title, heading, an optional hint, a form (`self.form`), the message bar and Cancel/OK: the look of the staff
    login. Subclasses fill the form and implement `_on_ok`, which accepts on success."""

    def __init__(self, title: str, heading: str, hint: str, ok_text: str, parent: QWidget | None = None, *,
                 width: int = 560) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        heading_label = QLabel(heading)
        heading_label.setStyleSheet("font-size: 22px; font-weight: bold;")
        hint_label = QLabel(hint)
        hint_label.setWordWrap(True)
        hint_label.setStyleSheet("color: #555;")
        hint_label.setVisible(bool(hint))
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.message_bar = MessageBar()
        self.ok_button = QPushButton(ok_text)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAutoDefault(False)
        buttons = self.buttons = QHBoxLayout()  # a subclass may put a button of its own on the left
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(heading_label)
        layout.addWidget(hint_label)
        layout.addLayout(self.form)
        layout.addWidget(self.message_bar)
        layout.addLayout(buttons)
        self.ok_button.clicked.connect(self._on_ok)
        self.cancel_button.clicked.connect(self.reject)

    def _on_ok(self) -> None:
        raise NotImplementedError


class DateEdit(QDateEdit):
    """A date that can be typed as well as picked: entering the field selects the year, a click selects the
    part under the pointer, and typed digits fill it and move on (2025, 11, 05). A plain QDateEdit ignores
    digits until a part is selected, so typing seemed to do nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        QTimer.singleShot(0, lambda: self.setSelectedSection(QDateTimeEdit.Section.YearSection))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().mouseReleaseEvent(event)
        self.setSelectedSection(self.currentSection())
