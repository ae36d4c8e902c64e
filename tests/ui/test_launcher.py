"""Stories at start-up: the role chooser, the language, a counter behind its login, the full-screen roles."""

import sys
import types

import pytest
from helpers.fixtures import at, staff_id
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from sqlmodel import select

from counter_app import i18n
from counter_app.models import Counter
from counter_app.settings import Settings
from counter_app.ui.chooser import RoleChooser
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.login import LoginDialog
from counter_app.ui.counter.window import CounterWindow
from counter_app.ui.launcher import Launcher
from counter_app.workflows.replay import demo


@pytest.fixture
def settings(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    settings.set("voice", False)
    return settings


@pytest.fixture
def backend(hall, clock):
    clock.set(at("09:00"))
    backend = Backend(hall, clock, refresh_ms=50)
    yield backend
    backend.stop()


@pytest.fixture
def launcher(qtbot, backend, settings):
    launcher = Launcher(backend, settings, fullscreen=False)
    yield launcher
    for window in list(launcher.windows):
        window.close()


def kinds(launcher):
    return [type(w).__name__ for w in launcher.windows if w.isVisible()]


class ScriptedLogins:
    """Stands in for the person at the login dialog: each exec() plays the next answer."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.seen_counters = []

    def __call__(self, dialog):
        self.seen_counters.append(dialog.counter_combo.currentData())
        staff_no = self.answers.pop(0)
        if staff_no is None:
            dialog.reject()
        else:
            dialog.staff_edit.setText(staff_no)
            dialog.password_edit.setText(demo.DEMO_PASSWORD)
            dialog.login_button.click()
        return dialog.result()


def test_the_chooser_opens_and_its_buttons_ask_for_their_role(qtbot, launcher, settings):
    chooser = launcher.open_role("chooser")
    assert isinstance(chooser, RoleChooser) and chooser in launcher.windows
    assert chooser.isVisible() and not chooser.isFullScreen()
    assert chooser.windowTitle() == "Business hall — choose a window"

    asked = []
    other = RoleChooser(asked.append, settings)
    qtbot.addWidget(other)
    for button in (other.kiosk_button, other.display_button, other.counter_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == ["kiosk", "display", "counter"]


def test_choosing_a_language_saves_it_and_applies_to_windows_opened_next(qtbot, launcher, settings, tmp_path):
    chooser = launcher.open_role("chooser")
    chooser.language_combo.setCurrentIndex(chooser.language_combo.findData("zh_CN"))
    assert Settings(tmp_path / "settings.json").get("language") == "zh_CN"
    assert i18n.current_language() == "zh_CN"
    assert "简体中文" in chooser.language_note.text()


def test_a_counter_opens_after_the_clerk_logs_in(qtbot, hall, launcher, monkeypatch):
    logins = ScriptedLogins("S001")
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: logins(dialog))

    window = launcher.open_role("counter", counter_number=2)

    assert isinstance(window, CounterWindow) and window in launcher.windows
    assert logins.seen_counters == [2]
    assert window.login.counter_number == 2 and window.windowTitle() == "Counter 2 — 王芳"
    assert (window.width(), window.height()) == (1280, 800)
    with hall.read() as session:
        assert session.exec(select(Counter.staff_id).where(Counter.number == 2)).one() == staff_id(hall, "S001")


def test_logging_out_shows_the_login_again_and_the_chooser_when_nobody_logs_in(qtbot, launcher, monkeypatch):
    logins = ScriptedLogins("S001", None)  # a clerk logs in, later logs out; nobody takes the counter
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: logins(dialog))
    window = launcher.open_role("counter", counter_number=2)

    qtbot.mouseClick(window.logout_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: kinds(launcher) == ["RoleChooser"], timeout=1000)
    assert logins.seen_counters == [2, 2]


def test_a_cancelled_login_at_start_up_falls_back_to_the_chooser(qtbot, launcher, monkeypatch):
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert launcher.open_role("counter") is None
    assert kinds(launcher) == ["RoleChooser"]


@pytest.fixture
def fake_role_windows(monkeypatch):
    """Stand-ins for the kiosk and display modules: what the launcher passes, and how it shows them."""
    made = {}

    class KioskWindow(QWidget):
        def __init__(self, backend, settings):
            super().__init__()
            made["kiosk"] = (backend, settings)

    class DisplayWindow(QWidget):
        def __init__(self, backend, settings, announcer):
            super().__init__()
            made["display"] = (backend, settings, announcer)

    monkeypatch.setitem(sys.modules, "counter_app.ui.kiosk.window", types.SimpleNamespace(KioskWindow=KioskWindow))
    monkeypatch.setitem(sys.modules, "counter_app.ui.display.window", types.SimpleNamespace(DisplayWindow=DisplayWindow))
    return made


def test_kiosk_and_display_go_full_screen_and_the_display_gets_its_voice_setting(qtbot, backend, settings,
                                                                                fake_role_windows):
    launcher = Launcher(backend, settings, fullscreen=True)
    kiosk = launcher.open_role("kiosk")
    display = launcher.open_role("display")
    try:
        assert kiosk.isFullScreen() and display.isFullScreen()
        assert (kiosk.windowTitle(), display.windowTitle()) == ("Ticket kiosk", "Queue display")
        assert fake_role_windows["kiosk"] == (backend, settings)
        announcer = fake_role_windows["display"][2]
        assert announcer.enabled is False and announcer.mode == "off"
    finally:
        for window in list(launcher.windows):
            window.close()


def test_windowed_mode_shows_them_at_a_normal_size(qtbot, launcher, fake_role_windows):
    display = launcher.open_role("display")
    assert not display.isFullScreen()
    assert (display.width(), display.height()) == (1280, 720)


def test_an_unknown_role_is_refused(launcher):
    with pytest.raises(ValueError):
        launcher.open_role("no-such-role")
