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
