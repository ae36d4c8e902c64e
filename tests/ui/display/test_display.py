"""Stories on the queue display: who waits, who is called where, the voice, and an unreadable store."""

import pytest
from helpers.fixtures import at, open_counter

from counter_app.models.db import Store
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.display.voice import Announcer
from counter_app.ui.display.window import DisplayWindow
from counter_app.ui.kiosk.window import KioskWindow
from counter_app.workflows.queue import counters, tickets


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.json")


@pytest.fixture
def backend(hall, clock):
    backend = Backend(hall, clock, refresh_ms=50)
    yield backend
    backend.stop()


@pytest.fixture
def announcer(qapp):
    return Announcer(enabled=False)


@pytest.fixture
def display(qtbot, backend, settings, announcer):
    window = DisplayWindow(backend, settings, announcer)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    return window


def issue(store, clock, service_code="BB"):
    with store.write() as session:
        return tickets.issue_ticket(session, clock, service_code=service_code)


def act(store, clock, action, **kwargs):
    with store.write() as session:
        return action(session, clock, **kwargs)


def test_a_ticket_from_the_kiosk_shows_one_waiting(qtbot, hall, clock, backend, settings, display):
    clock.set(at("09:05"))
    display.refresh()
    assert display.waiting_labels["BB"].text() == "0"
    kiosk = KioskWindow(backend, settings)
    qtbot.addWidget(kiosk)
    kiosk.issue("BB")
    qtbot.waitUntil(lambda: display.waiting_labels["BB"].text() == "1", timeout=1000)
    assert display.waiting_labels["PLAN"].text() == "0"


def test_a_call_at_counter_1_shows_and_is_announced(qtbot, hall, clock, display, announcer):
    clock.set(at("08:57"))
    issue(hall, clock)
    qtbot.waitUntil(lambda: display.waiting_labels["BB"].text() == "1", timeout=1000)
    assert display.hall_label.text() == "Serving starts at 09:00"
    clerk = open_counter(hall, clock, 1, "S002")
    clock.set(at("09:05"))

    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)

    cell = display.counter_cells[1]
    qtbot.waitUntil(lambda: cell.ticket_label.text() == "A001", timeout=1000)
    assert cell.state_label.text() == "Now serving"
    assert cell.flashing
    assert display.waiting_labels["BB"].text() == "0"
    # the branch's announce languages, as the demo hall has them: Chinese, then English
    assert announcer.spoken == ["请A001号到1号窗口办理", "Number A001, please go to counter 1."]
    assert "A001" in display.recent.rows[0].text()
    # the number stays up while the customer is served, and is not announced again
    with qtbot.waitSignal(display.backend.changed, timeout=1000):  # the display redraws first
        act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    assert cell.ticket_label.text() == "A001"
    assert announcer.spoken == ["请A001号到1号窗口办理", "Number A001, please go to counter 1."]


def test_a_recall_is_announced_again(qtbot, hall, clock, display, announcer):
    clock.set(at("09:05"))
    clerk = open_counter(hall, clock, 3, "S001")
    issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=3, staff_id=clerk)
    qtbot.waitUntil(lambda: len(announcer.spoken) == 2, timeout=1000)  # in Chinese, then in English
    display.counter_cells[3].stop_flash()
    clock.advance(seconds=40)

    act(hall, clock, tickets.recall, counter_number=3, staff_id=clerk)

    qtbot.waitUntil(lambda: len(announcer.spoken) == 4, timeout=1000)
    assert announcer.spoken[2:] == ["请A001号到3号窗口办理", "Number A001, please go to counter 3."]
    assert display.counter_cells[3].flashing


def test_calls_made_before_the_display_started_are_not_announced(qtbot, hall, clock, backend, settings, announcer):
    clock.set(at("09:05"))
    clerk = open_counter(hall, clock, 2, "S001")
    issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=2, staff_id=clerk)
    window = DisplayWindow(backend, settings, announcer)
    qtbot.addWidget(window)
    assert window.counter_cells[2].ticket_label.text() == "A001"
    assert not window.counter_cells[2].flashing
    assert announcer.spoken == []


def test_counters_show_their_state_in_words(qtbot, hall, clock, display):
    clock.set(at("09:05"))
    clerk = open_counter(hall, clock, 4, "S004")
    act(hall, clock, counters.pause_counter, counter_number=4, staff_id=clerk)
    open_counter(hall, clock, 5, "S001")
    qtbot.waitUntil(lambda: display.counter_cells[4].state_label.text() == "Paused", timeout=1000)
    assert display.counter_cells[5].state_label.text() == "Open"
    assert display.counter_cells[1].state_label.text() == "Closed"
    assert display.open_label.text() == "Counters open: 1 of 6"


def test_an_unreadable_store_says_data_unavailable_never_zero_waiting(qtbot, hall, clock, display):
    clock.set(at("09:05"))
    issue(hall, clock)
    qtbot.waitUntil(lambda: display.waiting_labels["BB"].text() == "1", timeout=1000)

    with hall.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE event RENAME TO event_gone")

    qtbot.waitUntil(lambda: display.unavailable_label.isVisible(), timeout=1000)
    assert display.unavailable_label.text() == "Data unavailable"
    assert all(label.text() == "—" for label in display.waiting_labels.values())
    assert not display.services.isVisible()

    with hall.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE event_gone RENAME TO event")

    qtbot.waitUntil(lambda: display.waiting_labels["BB"].text() == "1", timeout=1000)
    assert not display.unavailable_label.isVisible()


def test_a_failed_read_shows_data_unavailable(qtbot, hall, clock, display, monkeypatch):
    clock.set(at("09:05"))
    monkeypatch.setattr(display.backend, "query", lambda *a, **kw: None)
    display.refresh()
    assert display.unavailable_label.isVisible()
    assert all(label.text() == "—" for label in display.waiting_labels.values())


def test_a_store_on_another_engine_is_seen_within_a_second(qtbot, hall, clock, display):
    clock.set(at("09:05"))
    other_pc = Store(hall.url)
    issue(other_pc, clock, "BILL")
    qtbot.waitUntil(lambda: display.waiting_labels["BILL"].text() == "1", timeout=1000)
    other_pc.dispose()


def test_the_voice_is_loaded_after_the_first_picture_not_before(qtbot, backend, tmp_path):
    from counter_app.settings import Settings
    from counter_app.ui.display import window as display_window

    announcer = Announcer(enabled=True)
    assert announcer.mode == "pending" and announcer._speech is None and announcer._chime is None
    win = display_window.DisplayWindow(backend, Settings(tmp_path / "settings.json"), announcer)
    qtbot.addWidget(win)
    assert announcer.mode == "pending"  # the window is built and drawn without the speech engine
    qtbot.waitUntil(lambda: announcer.mode in ("voice", "chime"), timeout=3000)
