"""Windows hear of changes made elsewhere: another window, or another PC on the same store."""

from helpers.fixtures import at

from counter_app.models.db import Store
from counter_app.ui.common.backend import Backend
from counter_app.workflows.queue import tickets


def test_change_made_by_another_process_reaches_a_window_within_a_second(qtbot, hall, clock):
    clock.set(at("09:10"))
    other_pc = Store(hall.url)  # a second engine: what another process sees
    backend = Backend(hall, clock, refresh_ms=100)
    qtbot.wait(150)  # the first poll learns the current revision
    with qtbot.waitSignal(backend.changed, timeout=1000) as blocker:
        with other_pc.write() as session:
            tickets.issue_ticket(session, clock, service_code="BB")
    assert blocker.args == [None]  # a change seen from outside, not one of this window's actions
    backend.stop()
    other_pc.dispose()


def test_refused_action_reports_in_the_users_language_and_saves_nothing(qtbot, hall, clock):
    clock.set(at("18:30"))  # after closing
    backend = Backend(hall, clock, refresh_ms=1000)
    with qtbot.waitSignal(backend.failed, timeout=1000) as blocker:
        result = backend.act(tickets.issue_ticket, service_code="BB")
    assert result is None
    assert "closed" in blocker.args[0]
    with hall.read() as session:
        from sqlmodel import select

        from counter_app.models import Ticket

        assert session.exec(select(Ticket)).all() == []
    backend.stop()


def test_an_unreadable_store_is_reported_not_mistaken_for_an_empty_queue(qtbot, hall, clock, tmp_path):
    backend = Backend(hall, clock, refresh_ms=50)
    with qtbot.waitSignal(backend.availability_changed, timeout=1000) as blocker:
        with hall.engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE event RENAME TO event_gone")
    assert blocker.args == [False]
    assert not backend.available
    backend.stop()


def test_a_window_keeps_going_while_another_pc_holds_the_write_lock(qtbot, hall, clock):
    """The periodic alert check writes on a pool thread: a store locked elsewhere does not stop the window."""
    import sqlite3
    import time

    import pytest

    from counter_app.ui.common.backend import Backend

    if not hall.url.startswith("sqlite"):
        pytest.skip("holds SQLite's write lock from another connection")
    from helpers.story import issue

    clock.set(clock.now().replace(hour=9))
    issue(hall, clock, "BB")
    clock.advance(minutes=14)  # past the wait's warning mark: the alert check has something to write
    backend = Backend(hall, clock, refresh_ms=50, evaluate_ms=0)
    other_pc = sqlite3.connect(hall.url.split("///", 1)[1], isolation_level=None)
    other_pc.execute("BEGIN IMMEDIATE")  # a long report, a backup, a stuck PC
    try:
        started = time.monotonic()
        backend.evaluate_alerts_in_background()
        backend.evaluate_alerts_in_background()  # the same work is not queued twice behind the lock
        assert time.monotonic() - started < 0.5, "the window's thread did not wait for the lock"
        assert backend.query(lambda session, _clock: 1) == 1, "reading goes on (write-ahead log)"
        assert set(backend._running) == {"alerts"}
    finally:
        other_pc.execute("ROLLBACK")
        other_pc.close()
    qtbot.waitUntil(lambda: not backend._running, timeout=5000)
    backend.stop()


def test_a_click_while_another_pc_holds_the_lock_answers_within_two_seconds(qtbot, hall, clock):
    import sqlite3
    import time

    import pytest

    from counter_app.ui.common.backend import Backend
    from counter_app.workflows.queue import tickets

    if not hall.url.startswith("sqlite"):
        pytest.skip("holds SQLite's write lock from another connection")
    backend = Backend(hall, clock, refresh_ms=50, evaluate_ms=0)
    refusals = []
    backend.failed.connect(refusals.append)
    clock.set(clock.now().replace(hour=9))
    other_pc = sqlite3.connect(hall.url.split("///", 1)[1], isolation_level=None)
    other_pc.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert backend.act(tickets.issue_ticket, service_code="BB") is None
        assert time.monotonic() - started < 2.5
        assert refusals == ["The store is busy (another PC is writing, a report or a backup is running): nothing "
                            "was saved. Please try again in a moment."]
    finally:
        other_pc.execute("ROLLBACK")
        other_pc.close()
    assert backend.act(tickets.issue_ticket, service_code="BB").number == "A001", "once free, it works again"
    backend.stop()


def test_a_window_copies_the_write_ahead_log_into_the_store_so_that_a_click_does_not(qtbot, hall, clock, monkeypatch):
    """SQLite: clicks' commits leave the log to the windows (models/engines.py, WAL_BACKSTOP_PAGES); a window's timer
    copies it, off its own thread."""
    from counter_app.ui.common import backend as backend_module

    if not hall.is_sqlite:
        return
    with hall.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10_000
    clock.set(at("09:00"))
    for _ in range(30):  # some hundreds of pages: under SQLite's own 1,000, over nothing
        with hall.write() as session:
            tickets.issue_ticket(session, clock, service_code="BB")
    monkeypatch.setattr(backend_module, "CHECKPOINT_MS", 50)
    copied = []
    original = Store.checkpoint
    monkeypatch.setattr(Store, "checkpoint", lambda self: copied.append(original(self)))
    window = Backend(hall, clock, refresh_ms=10_000, evaluate_ms=0)
    try:
        qtbot.waitUntil(lambda: len(copied) >= 2, timeout=3000)
        window.settle()
    finally:
        window.stop()
    frames, done = copied[0]
    assert frames > 0 and done == frames, copied[0]  # the window copied the morning's log, all of it
