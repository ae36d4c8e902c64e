"""A window's start paints first: the start screen names the window being opened, in the user's language, before the
store and the tables are imported, and goes when that window (or a sign-in dialog) shows."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from counter_app import i18n
from counter_app.ui.starting import StartScreen

ROOT = Path(__file__).resolve().parents[2]


def test_the_start_screen_names_the_window_in_the_users_language_and_goes_when_a_window_shows(qtbot):
    i18n.set_language("zh_CN")
    try:
        starting = StartScreen("display")
        qtbot.addWidget(starting)
        starting.show_now()
        assert starting.isVisible() and "正在打开叫号屏" in starting.text(), starting.text()
        assert not starting.grab().isNull()
        signing_in = QDialog()  # a counter's sign-in dialog comes before its window
        qtbot.addWidget(signing_in)
        signing_in.show()
        qtbot.waitUntil(lambda: not starting.isVisible(), timeout=2000)
        child = QWidget(signing_in)  # a widget inside a window is not a window: nothing more happens
        child.show()
    finally:
        i18n.set_language("en")
    assert "Queue display" in StartScreen("display").text()
    assert "choose a window" in StartScreen("nonsense").text()


def test_the_start_screen_is_painted_before_sqlalchemy_is_imported():
    """main() up to the start screen: the arguments (with every subcommand's help) and Qt, not the store's code."""
    probe = ("import sys\n"
             "import counter_app.__main__ as start\n"
             "start._speak_argparse(); start._parser().parse_args(['--role', 'kiosk'])\n"
             "from counter_app.ui.app import application\n"
             "from counter_app.ui.starting import StartScreen\n"
             "app = application([]); StartScreen('kiosk').show_now()\n"
             "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'reportlab', 'alembic') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_started_window_reports_its_paints_for_the_cold_start_benchmark(tmp_path):
    store = tmp_path / "start.sqlite3"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COUNTER_APP_PAINT_TIMES="1",
               COUNTER_APP_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "counter_app", "--demo", "--role", "kiosk", "--windowed", "--db",
                           f"sqlite:///{store}"], capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
    painted = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("painted ")]
    assert painted[:1] == ["StartScreen"] and "KioskWindow" in painted, (done.stdout, done.stderr[-800:])
    assert done.returncode == 0
