"""A counter window that closes leaves no counter "open" behind, and a counter whose PC went silent is
handed over by the duty manager: stories across windows and PCs (two engines on one store)."""

import pytest
from helpers.fixtures import at, open_counter
from helpers.story import act, counter, issue, ticket
from PySide6.QtCore import Qt

from counter_app.models import CounterState, TicketState
from counter_app.models.db import Store
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.counter.window import CounterWindow
from counter_app.ui.display.voice import Announcer
from counter_app.ui.display.window import DisplayWindow
from counter_app.ui.manager.dialogs import HandOverDialog
from counter_app.ui.manager.window import ManagerWindow
from counter_app.workflows.oversight import duty
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo


@pytest.fixture
def other_pc(hall, clock):
    """The hall's display PC: its own engine on the same store, polling as a real one does."""
    store = Store(hall.url)
    backend = Backend(store, clock, refresh_ms=50, evaluate_ms=0)
    yield backend
    backend.stop()
    store.dispose()


def counter_window(qtbot, hall, clock, backend, number=1, staff_no="S001") -> CounterWindow:
    with hall.write() as session:
        login = counters.login(session, clock, counter_number=number, staff_no=staff_no, password=demo.DEMO_PASSWORD)
    win = CounterWindow(backend, login)
    qtbot.addWidget(win)
    win.show()
    return win


def test_closing_a_counter_window_with_a_customer_shows_the_counter_paused_on_the_display(
        qtbot, hall, clock, backend, other_pc, tmp_path):
    clock.set(at("09:00"))
    display = DisplayWindow(other_pc, Settings(tmp_path / "display.json"), Announcer(enabled=False))
    qtbot.addWidget(display)
    display.show()
    win = counter_window(qtbot, hall, clock, backend)
    clerk = win.login.staff_id
    act(hall, clock, counters.open_counter, counter_number=1, staff_id=clerk)
    taken = issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    qtbot.waitUntil(lambda: display.counter_cells[1].ticket_label.text() == taken.number, timeout=1000)

    win.close()

    qtbot.waitUntil(lambda: display.counter_cells[1].state_label.text() == "Paused", timeout=1000)
    assert display.counter_cells[1].ticket_label.text() != taken.number, "nobody is called to a paused counter"
    assert ticket(hall, taken.ticket_id).state == TicketState.PARKED
    assert counter(hall, 1).staff_id == clerk


def test_closing_an_empty_counter_window_closes_the_counter(qtbot, hall, clock, backend):
    clock.set(at("09:00"))
    win = counter_window(qtbot, hall, clock, backend)
    act(hall, clock, counters.open_counter, counter_number=1, staff_id=win.login.staff_id)
    win.close()
    assert (counter(hall, 1).state, counter(hall, 1).staff_id) == (CounterState.CLOSED, None)


def test_the_duty_manager_sees_a_silent_counter_and_hands_its_customer_over(qtbot, hall, clock, backend, monkeypatch):
    clock.set(at("09:00"))
    gone = counter_window(qtbot, hall, clock, backend)  # its window says it is alive as it opens
    act(hall, clock, counters.open_counter, counter_number=1, staff_id=gone.login.staff_id)
    taken = issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=gone.login.staff_id)
    other = open_counter(hall, clock, 2, "S004")
    qtbot.waitUntil(lambda: counter(hall, 1).heartbeat_at is not None, timeout=2000)  # said on a pool thread
    gone.heartbeat_timer.stop()  # the PC freezes: no more heartbeats, no closing either
    gone.tick_timer.stop()
    gone._left = True
    with hall.write() as session:
        login = duty.manager_sign_in(session, clock, staff_no="M001", password=demo.DEMO_PASSWORD)
    manager = ManagerWindow(backend, login)
    qtbot.addWidget(manager)
    manager.show()
    opened = []
    monkeypatch.setattr(HandOverDialog, "open", lambda self: opened.append(self))

    clock.advance(seconds=91)
    manager.refresh()
    panel = manager.counters_panel
    row = panel.table.keys.index(1)
    assert panel.table.item(row, 1).text() == "Not answering since 09:00"
    panel.table.selectRow(row)
    assert panel.hand_over_button.isEnabled()
    qtbot.mouseClick(panel.hand_over_button, Qt.MouseButton.LeftButton)

    [dialog] = opened
    assert dialog.target_combo.count() == 1 and dialog.target_combo.currentData() == 2
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    moved = ticket(hall, taken.ticket_id)
    assert (moved.state, moved.counter_id) == (TicketState.PARKED, counter(hall, 2).id)
    act(hall, clock, tickets.resume, counter_number=2, staff_id=other, ticket_id=taken.ticket_id)
    assert ticket(hall, taken.ticket_id).staff_id == other


def test_while_another_pc_holds_the_lock_the_counter_says_busy_retrying_and_keeps_its_picture(
        qtbot, hall, clock, backend):
    import sqlite3
    import time

    if not hall.url.startswith("sqlite"):
        pytest.skip("holds SQLite's write lock from another connection")
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clock.advance(minutes=14)  # past the wait's warning mark: the alert check has something to write
    win = counter_window(qtbot, hall, clock, backend)
    waiting_before = win.waiting_table.rowCount()
    busy = "The store is busy (another PC is writing, a report or a backup is running): retrying."
    other_pc = sqlite3.connect(hall.url.split("///", 1)[1], isolation_level=None)
    other_pc.execute("BEGIN IMMEDIATE")  # a long report, a backup, a stuck PC
    try:
        started = time.monotonic()
        backend.evaluate_alerts_in_background()  # the window's bookkeeping write, now stuck behind the lock
        qtbot.waitUntil(lambda: win.message_bar.text().startswith(busy), timeout=3000)
        assert time.monotonic() - started < 2.0, "busy is shown within about a second"
        clock.advance(minutes=1)
        win.refresh()  # the window still reads and redraws: the picture and the clock go on
        assert win.waiting_table.rowCount() == waiting_before
    finally:
        other_pc.execute("ROLLBACK")
        other_pc.close()
    qtbot.waitUntil(lambda: not win.message_bar.text(), timeout=5000)
    assert not backend.busy
