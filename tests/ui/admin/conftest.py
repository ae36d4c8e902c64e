"""The administrator's window signed in as the demo hall's administrator (A001, 刘洋), this PC's settings in a
temporary file and two made-up system printers, so that no test depends on the machine it runs on."""

import pytest
from helpers.fixtures import at

from counter_app.settings import Settings
from counter_app.ui.admin import this_pc
from counter_app.ui.admin.window import AdminSignInDialog, AdminWindow
from counter_app.workflows.replay import demo

PRINTERS = ["Hall laser", "Receipt 80 mm"]


@pytest.fixture
def pc_settings(tmp_path):
    return Settings(path=tmp_path / "settings.json")


@pytest.fixture
def admin_window(qtbot, hall, clock, backend, pc_settings, monkeypatch):
    monkeypatch.setattr(this_pc, "system_printers", lambda: list(PRINTERS))
    clock.set(at("09:00"))
    dialog = AdminSignInDialog(backend)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText("A001")
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    dialog.ok_button.click()
    assert dialog.staff is not None
    window = AdminWindow(backend, dialog.staff, settings=pc_settings)
    window.open_dialogs = []
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    return window
