"""The planning desk is a role of its own: the chooser offers it, the launcher opens it behind a sign-in."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from counter_app.__main__ import ROLES as COMMAND_LINE_ROLES
from counter_app.settings import Settings
from counter_app.ui.chooser import RoleChooser
from counter_app.ui.launcher import ROLES, Launcher
from counter_app.ui.planning.dialogs import PlanningSignInDialog
from counter_app.ui.planning.window import PlanningWindow
from counter_app.workflows.replay import demo


def test_the_chooser_offers_the_planning_desk(qtbot, tmp_path):
    asked = []
    chooser = RoleChooser(asked.append, Settings(tmp_path / "settings.json"))
    qtbot.addWidget(chooser)
    assert chooser.planning_button.text() == "Planning desk (sign in)"
    qtbot.mouseClick(chooser.planning_button, Qt.MouseButton.LeftButton)
    assert asked == ["planning"]
    assert "planning" in ROLES and "planning" in COMMAND_LINE_ROLES


def test_the_launcher_opens_the_desk_for_the_person_who_signed_in(qtbot, backend, tmp_path, monkeypatch):
    def sign_in(dialog):
        dialog.staff_edit.setText("S001")
        dialog.password_edit.setText(demo.DEMO_PASSWORD)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(PlanningSignInDialog, "exec", sign_in)
    launcher = Launcher(backend, Settings(tmp_path / "settings.json"), fullscreen=False)
    window = launcher.open_role("planning")
    try:
        assert isinstance(window, PlanningWindow) and window.staff.staff_no == "S001"
        assert (window.width(), window.height()) == (1440, 900)
    finally:
        window.close()


def test_nobody_signing_in_falls_back_to_the_chooser(qtbot, backend, tmp_path, monkeypatch):
    monkeypatch.setattr(PlanningSignInDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    launcher = Launcher(backend, Settings(tmp_path / "settings.json"), fullscreen=False)
    assert launcher.open_role("planning") is None
    assert [type(w).__name__ for w in launcher.windows] == ["RoleChooser"]
    for window in list(launcher.windows):
        window.close()
