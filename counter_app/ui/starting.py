"""What a window's start shows first: which window is being opened, painted before the store and the
role's window are loaded (a counter PC starts in a couple of seconds; nobody should look at nothing meanwhile).

Imports only Qt: it is painted before SQLAlchemy, the tables and the windows are imported."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel

from counter_app.i18n import N_, _

WINDOWS = {
    "chooser": N_("Business hall — choose a window"),
    "kiosk": N_("Ticket kiosk"),
    "display": N_("Queue display"),
    "counter": N_("Counter"),
    "manager": N_("Duty manager"),
    "reports": N_("Reports"),
    "feedback": N_("Customer feedback"),
    "admin": N_("Administration"),
    "planning": N_("Planning desk"),
}


class StartScreen(QLabel):
    """Shows "Opening <the window>…" in the user's language until that window shows."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.setObjectName("start-screen")
        self.setWindowTitle("counter_app")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.setStyleSheet("QLabel#start-screen { background: #1f3b57; color: white; font-size: 22px; "
                           "padding: 36px 56px; }")
        self.setText(_("Opening {window}…").format(window=_(WINDOWS.get(role, WINDOWS["chooser"]))))

    def show_now(self) -> None:
        """Show and paint at once, before the caller goes on loading (the event loop is not running yet). It
        closes itself when another window shows (a window, or a counter's sign-in dialog waiting for its clerk)."""
        self.adjustSize()
        self.show()
        QApplication.processEvents()
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and obj is not self and getattr(obj, "isWindow", lambda: False)():
            self.close()
        return False

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)


class PaintTimes(QObject):
    """With COUNTER_APP_PAINT_TIMES=1 (benchmarks/run.py's cold start): print when each top-level window first paints
    (seconds since the epoch) and quit once a window other than the start screen has."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._painted: set[int] = set()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and getattr(obj, "isWindow", lambda: False)() \
                and id(obj) not in self._painted:
            self._painted.add(id(obj))
            print("painted", type(obj).__name__, f"{time.time():.4f}", flush=True, file=sys.stdout)
            if not isinstance(obj, StartScreen):
                self._app.quit()
        return False


def watch_paints(app: QApplication) -> None:
    if os.environ.get("COUNTER_APP_PAINT_TIMES") == "1":
        app.installEventFilter(PaintTimes(app))
