"""Stories of the branch's display settings: counters per row, the size of the type, the languages a call is
announced in — read from the store, reaching an open display, and cheap when nothing changed. And the windows'
language where a PC chose none: the branch's default."""

import pytest
from helpers.fixtures import at, open_counter
from PySide6.QtCore import QLocale, QObject, Signal

from counter_app import i18n
from counter_app.models import BranchSettings
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.display import window as display_window
from counter_app.ui.display.board import STYLE, stylesheet
from counter_app.ui.display.voice import Announcer
from counter_app.ui.display.window import DisplayWindow
from counter_app.ui.launcher import Launcher
from counter_app.workflows.core import settings_record
from counter_app.workflows.queue import tickets
from counter_app.workflows.queue.board import display_board
from counter_app.workflows.queue.display_settings import DisplaySettings, display_settings


class FakeSpeech(QObject):
    """An engine that says one sentence at a time, in the voice set when it begins (as QTextToSpeech does)."""

    aboutToSynthesize = Signal(int)  # noqa: N815 (Qt's name)

    def __init__(self) -> None:
        super().__init__()
        self._locale = QLocale("en_US")
        self.queue: list[tuple[int, str]] = []
        self.said: list[tuple[str, str]] = []  # (the voice's language, the sentence)
        self.speaking = False
        self._ids = 0

    def availableLocales(self):  # noqa: N802 (Qt's name)
        return [QLocale("en_US"), QLocale("zh_TW"), QLocale("zh_CN")]

    def locale(self):
        return self._locale

    def setLocale(self, locale):  # noqa: N802 (Qt's name)
        self._locale = locale

    def enqueue(self, text: str) -> int:
        self._ids += 1
        self.queue.append((self._ids, text))
        if not self.speaking:
            self.finish()
        return self._ids

    def finish(self) -> None:
        """The sentence being said ends; the next one begins."""
        self.speaking = bool(self.queue)
        if self.queue:
            utterance, text = self.queue.pop(0)
            self.aboutToSynthesize.emit(utterance)
            self.said.append((self._locale.name(), text))


@pytest.fixture
def backend(hall, clock):
    clock.set(at("09:05"))
    backend = Backend(hall, clock, refresh_ms=50)
    yield backend
    backend.stop()


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.json")


def open_display(qtbot, backend, settings, announcer=None) -> DisplayWindow:
    window = DisplayWindow(backend, settings, announcer or Announcer(enabled=False))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    return window


def set_branch(store, clock, **values) -> None:
    """The administrator changes the branch's settings: recorded, so every open window sees the store move."""
    with store.write() as session:
        branch = session.get(BranchSettings, 1)
        for name, value in values.items():
            setattr(branch, name, value)
        session.add(branch)
        settings_record.record(session, at=clock.now(), rows=[branch], why="test")


def cell_positions(display: DisplayWindow) -> dict[int, tuple[int, int]]:
    grid = display.counter_grid
    return {number: grid.getItemPosition(grid.indexOf(cell))[:2] for number, cell in display.counter_cells.items()}


def test_the_branch_settings_are_read_with_their_defaults(hall, clock):
    with hall.read() as session:
        assert display_settings(session) == DisplaySettings(8, 100, ("zh", "en"))
    set_branch(hall, clock, display_columns=3, display_font_percent=150, announce_languages="en,zh")
    with hall.read() as session:
        assert display_settings(session) == DisplaySettings(3, 150, ("en", "zh"))
    set_branch(hall, clock, announce_languages="")
    with hall.read() as session:
        assert display_settings(session).announce_languages == ()


def test_counters_are_laid_out_in_the_branchs_columns(qtbot, hall, clock, backend, settings):
    set_branch(hall, clock, display_columns=4)
    display = open_display(qtbot, backend, settings)
    # the six demo counters, four to a row
    assert cell_positions(display) == {1: (0, 0), 2: (0, 1), 3: (0, 2), 4: (0, 3), 5: (1, 0), 6: (1, 1)}
    cells = display.counter_cells
    assert max(cells[n].width() for n in (1, 4, 5)) - min(cells[n].width() for n in (1, 4, 5)) <= 1  # as wide
    assert cells[1].width() > 1920 / 5


def test_two_rows_of_counters_still_fit_a_1080_line_screen(qtbot, hall, clock, backend, settings):
    """With the demo hall's six counters four to a row, the cells go compact and the board with its waiting
    table and recent calls needs no more than a full-HD screen's height."""
    set_branch(hall, clock, display_columns=4)
    display = open_display(qtbot, backend, settings)
    assert max(row for row, _column in cell_positions(display).values()) == 1
    assert all(cell.ticket_label.property("compact") == "on" for cell in display.counter_cells.values())
    assert display.minimumSizeHint().height() <= 1080
    set_branch(hall, clock, display_columns=8)
    display.refresh()
    assert all(cell.ticket_label.property("compact") == "off" for cell in display.counter_cells.values())


def test_the_type_is_scaled_by_the_branchs_font_percent(qtbot, hall, clock, backend, settings):
    display = open_display(qtbot, backend, settings)
    assert display.styleSheet() == STYLE
    assert display.counter_cells[1].ticket_label.font().pixelSize() == 104
    set_branch(hall, clock, display_font_percent=150)
    display.refresh()
    assert "QLabel#ticket { font-size: 156px;" in display.styleSheet()
    assert "QLabel#clock { font-size: 84px;" in display.styleSheet()
    assert "border: 2px solid" in display.styleSheet()  # only the type grows
    qtbot.waitUntil(lambda: display.counter_cells[1].ticket_label.font().pixelSize() == 156, timeout=1000)
    assert stylesheet(50).count("font-size: 52px") == 1  # the ticket number at half size


def test_a_call_is_announced_in_the_branchs_languages_in_order(qtbot, hall, clock, backend, settings):
    speech = FakeSpeech()
    announcer = Announcer(enabled=True, speech=speech)
    set_branch(hall, clock, announce_languages="en,zh")
    display = open_display(qtbot, backend, settings, announcer)
    clerk = open_counter(hall, clock, 2, "S001")
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=2, staff_id=clerk)

    qtbot.waitUntil(lambda: len(announcer.spoken) == 2, timeout=1000)
    assert announcer.spoken == ["Number A001, please go to counter 2.", "请A001号到2号窗口办理"]
    assert speech.said == [("en_US", "Number A001, please go to counter 2.")]  # the Chinese waits its turn
    speech.finish()
    assert speech.said[1] == ("zh_CN", "请A001号到2号窗口办理")  # in a Chinese voice, of the mainland's
    assert display.counter_cells[2].flashing


def test_a_branch_with_no_announce_language_hears_the_chime_alone(qtbot, hall, clock, backend, settings):
    class Chime:
        played = 0

        def play(self):
            self.played += 1

    speech, chime = FakeSpeech(), Chime()
    announcer = Announcer(enabled=True, speech=speech)
    announcer._make_chime = lambda: chime  # the PC's sound file and player
    set_branch(hall, clock, announce_languages="")
    display = open_display(qtbot, backend, settings, announcer)
    clerk = open_counter(hall, clock, 2, "S001")
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=2, staff_id=clerk)
    qtbot.waitUntil(lambda: display.counter_cells[2].flashing, timeout=1000)
    assert (announcer.chimed, chime.played) == (1, 1)
    assert announcer.spoken == [] and speech.said == []


def test_a_change_in_the_store_reaches_the_open_display(qtbot, hall, clock, backend, settings):
    display = open_display(qtbot, backend, settings)
    assert cell_positions(display)[6] == (0, 5)
    set_branch(hall, clock, display_columns=2, display_font_percent=80, announce_languages="zh")
    # nobody touches the display: the store's revision moved, and its next refresh applies the settings
    qtbot.waitUntil(lambda: cell_positions(display)[6] == (2, 1), timeout=1000)
    assert cell_positions(display)[3] == (1, 0)
    assert "QLabel#ticket { font-size: 83px;" in display.styleSheet()
    assert display.branch_display.announce_languages == ("zh",)


def test_a_thousand_refreshes_with_unchanged_settings_rebuild_nothing(qtbot, hall, clock, backend, settings,
                                                                    monkeypatch):
    set_branch(hall, clock, display_columns=4, display_font_percent=120)
    display = open_display(qtbot, backend, settings)
    assert "font-size: 125px" in display.styleSheet()
    with hall.read() as session:  # the board as it stands: the settings are what this story reads each time
        board = display_board(session, clock)
    monkeypatch.setattr(display_window, "display_board", lambda _session, _clock, **_kw: board)
    calls = {"setStyleSheet": 0, "stylesheet": 0, "place": 0}

    def counted(name, real):
        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(display, "setStyleSheet", counted("setStyleSheet", display.setStyleSheet))
    monkeypatch.setattr(display_window, "stylesheet", counted("stylesheet", display_window.stylesheet))
    monkeypatch.setattr(display, "_place_counters", counted("place", display._place_counters))
    reads = []
    real_query = backend.query
    monkeypatch.setattr(backend, "query", lambda reader, **kw: reads.append(reader) or real_query(reader, **kw))

    for _ in range(1000):
        display.refresh()

    assert reads.count(display_settings) == 1000  # read every time …
    assert calls == {"setStyleSheet": 0, "stylesheet": 0, "place": 0}  # … applied never
    set_branch(hall, clock, display_font_percent=121)
    display.refresh()
    assert calls == {"setStyleSheet": 1, "stylesheet": 1, "place": 0}


# -- the windows' language where the PC chose none ----------------------------------------------


@pytest.fixture
def chinese_pc(monkeypatch):
    """A PC whose system speaks Chinese, with no language chosen on the command line or in its settings."""
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    i18n.set_language(i18n.system_language())
    assert i18n.follows_system()


def test_a_pc_with_no_language_of_its_own_takes_the_branchs(qtbot, hall, clock, backend, settings, chinese_pc):
    set_branch(hall, clock, default_language="en")
    settings.set("voice", False)
    launcher = Launcher(backend, settings, fullscreen=False)
    assert i18n.current_language() == "en"
    display = launcher.open_role("display")
    qtbot.addWidget(display)
    assert display.windowTitle() == "Queue display — East City Business Hall"


def test_a_language_chosen_for_the_pc_stays(qtbot, hall, clock, backend, settings):
    set_branch(hall, clock, default_language="en")
    i18n.set_language("zh_CN")  # the command line's or this PC's setting
    Launcher(backend, settings, fullscreen=False)
    assert i18n.current_language() == "zh_CN"


def test_an_unreadable_store_leaves_the_system_language(qtbot, hall, clock, backend, settings, chinese_pc,
                                                       monkeypatch):
    set_branch(hall, clock, default_language="en")
    monkeypatch.setattr(backend, "query", lambda *_a, **_kw: None)
    Launcher(backend, settings, fullscreen=False)
    assert i18n.current_language() == "zh_CN"


def test_a_store_with_no_branch_yet_leaves_the_system_language(store, clock, chinese_pc):
    from counter_app.workflows.queue.display_settings import default_language

    with store.read() as session:
        assert default_language(session) is None
    assert i18n.adopt_branch_language(None) == "zh_CN"
