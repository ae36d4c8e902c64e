"""Opens the window of each role and keeps it alive: chooser, kiosk, display, counter, manager, reports, feedback."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QWidget

from counter_app import i18n
from counter_app.i18n import _
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.workflows.queue.display_settings import default_language

log = logging.getLogger(__name__)

ROLES = ("chooser", "kiosk", "display", "counter", "manager", "reports", "feedback", "admin", "planning")
NORMAL_SIZES = {"chooser": (720, 720), "kiosk": (1024, 768), "display": (1280, 720), "counter": (1280, 800),
                "manager": (1440, 900), "reports": (1440, 900), "feedback": (1280, 800),
                "planning": (1440, 900)}
FULL_SCREEN_ROLES = ("kiosk", "display", "feedback")  # each on a screen of its own


class Launcher(QObject):
    """Opens windows by role; `windows` holds every open one, so none is garbage-collected.

    The kiosk, the display and the feedback screen go full screen when `fullscreen` (they run on their
    own screens); the chooser and the counter window, which share a clerk's desktop with other
    programs, never do. Where nobody chose this PC's language (the command line, its settings), the windows
    take the branch's default language, read from the store when the launcher starts (i18n).
    """

    def __init__(self, backend: Backend, settings: Settings, fullscreen: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.settings = settings
        self.fullscreen = fullscreen
        self.windows: list[QWidget] = []
        if i18n.follows_system():  # nobody chose this PC's language: the branch's default, if the store tells it
            log.info("windows in %s", i18n.adopt_branch_language(backend.query(default_language)))

    def open_role(self, role: str, counter_number: int | None = None) -> QWidget | None:
        """Open the window for a role; for a counter, after a successful staff login (else None)."""
        log.info("opening the %s window", role)
        if role == "chooser":
            from counter_app.ui.chooser import RoleChooser

            return self._show(RoleChooser(self.open_role, self.settings), role, _("Business hall — choose a window"))
        if role == "kiosk":
            # Imported here so that one role's window never needs another's module to start.
            from counter_app.ui.kiosk.window import KioskWindow

            return self._show(KioskWindow(self.backend, self.settings), role, _("Ticket kiosk"))
        if role == "display":
            from counter_app.ui.display.voice import Announcer
            from counter_app.ui.display.window import DisplayWindow

            announcer = Announcer(enabled=bool(self.settings.get("voice")))
            return self._show(DisplayWindow(self.backend, self.settings, announcer), role, _("Queue display"))
        if role == "counter":
            return self._open_counter(counter_number)
        if role == "manager":
            return self._open_manager()
        if role == "reports":
            return self._open_reports()
        if role == "admin":
            return self._open_admin()
        if role == "planning":
            return self._open_planning()
        if role == "feedback":
            from counter_app.ui.feedback.window import FeedbackWindow

            window = FeedbackWindow(self.backend, counter_number or self.settings.get("feedback_counter") or None)
            window.counter_chosen.connect(lambda number: self.settings.set("feedback_counter", number))
            return self._show(window, role, _("Customer feedback"))
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")

    def _sign_in(self, dialog: QDialog, result: str):
        """Run a sign-in dialog; its result attribute, or None (and never a PC left with no window)."""
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        value = getattr(dialog, result) if accepted else None
        dialog.deleteLater()
        if value is None:
            self._ensure_a_window()
        return value

    def _open_counter(self, counter_number: int | None) -> QWidget | None:
        from counter_app.ui.common.login import LoginDialog
        from counter_app.ui.counter.window import CounterWindow

        login = self._sign_in(LoginDialog(self.backend, counter_number), "login")
        if login is None:
            return None
        window = CounterWindow(self.backend, login)
        window.logged_out.connect(self._on_counter_logged_out)
        return self._show(window, "counter", None)

    def _open_manager(self) -> QWidget | None:
        from counter_app.ui.manager.dialogs import ManagerSignInDialog
        from counter_app.ui.manager.window import ManagerWindow

        login = self._sign_in(ManagerSignInDialog(self.backend), "login")
        if login is None:
            return None
        window = ManagerWindow(self.backend, login)
        # The next duty manager signs in on the same PC.
        window.signed_out.connect(lambda: QTimer.singleShot(0, lambda: self.open_role("manager")))
        return self._show(window, "manager", None)

    def _open_admin(self) -> QWidget | None:
        from counter_app.ui.admin.window import AdminSignInDialog, AdminWindow

        admin = self._sign_in(AdminSignInDialog(self.backend), "staff")
        if admin is None:
            return None
        return self._show(AdminWindow(self.backend, admin, settings=self.settings), "admin", None)

    def _open_planning(self) -> QWidget | None:
        from counter_app.ui.planning.dialogs import PlanningSignInDialog
        from counter_app.ui.planning.window import PlanningWindow

        staff = self._sign_in(PlanningSignInDialog(self.backend), "staff")
        if staff is None:
            return None
        return self._show(PlanningWindow(self.backend, staff), "planning", None)

    def _open_reports(self) -> QWidget | None:
        from counter_app.ui.reports.window import ReportsSignInDialog, ReportsWindow

        staff_id = self._sign_in(ReportsSignInDialog(self.backend), "staff_id")
        if staff_id is None:
            return None
        return self._show(ReportsWindow(self.backend, staff_id), "reports", None)

    def _on_counter_logged_out(self, counter_number: int) -> None:
        # After the window's own slot has returned: the next clerk logs in at the same counter.
        QTimer.singleShot(0, lambda: self.open_role("counter", counter_number))

    def _ensure_a_window(self) -> None:
        """Never leave the application running with nothing on screen: fall back to the chooser."""
        if not any(w.isVisible() for w in self.windows):
            self.open_role("chooser")

    def _show(self, window: QWidget, role: str, title: str | None) -> QWidget:
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if title and not window.windowTitle():
            window.setWindowTitle(title)
        self.windows.append(window)
        window.destroyed.connect(lambda *_args, w=window: self._forget(w))
        if self.fullscreen and role in FULL_SCREEN_ROLES:
            window.showFullScreen()
        else:
            window.resize(*NORMAL_SIZES[role])
            window.show()
        return window

    def _forget(self, window: QWidget) -> None:
        self.windows = [w for w in self.windows if w is not window]
