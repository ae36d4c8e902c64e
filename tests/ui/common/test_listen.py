"""On a shared PostgreSQL store, a change made on one PC reaches another PC's windows as it commits
(LISTEN/NOTIFY), not at their next poll; the listener comes back by itself when its connection is lost."""

import subprocess
import sys
import time

import pytest
from helpers.fixtures import at
from sqlmodel import select, text

from counter_app.models.db import open_store
from counter_app.ui.common.backend import Backend
from counter_app.workflows.queue import tickets

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def other_pc(hall):
    """A second engine on the same database: another PC."""
    other = open_store(hall.engine.url.render_as_string(hide_password=False))
    yield other
    other.dispose()


@pytest.fixture
def backend(qtbot, hall, clock):
    clock.set(at("09:05"))
    backend = Backend(hall, clock, refresh_ms=600_000, evaluate_ms=0)  # no polling to speak of: only NOTIFY
    qtbot.waitUntil(lambda: backend.listener.connected, timeout=5000)
    yield backend
    backend.stop()


def test_a_ticket_taken_on_another_pc_reaches_this_one_within_200_ms(qtbot, backend, other_pc, clock):
    seen = []
    backend.changed.connect(lambda change: seen.append((time.time(), change)))
    with other_pc.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    committed = time.time()
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen[0][1] is None  # another PC's change: every window looks again
    assert seen[0][0] - committed < 0.2
    assert backend.last_notified_at is not None and backend.last_notified_at <= seen[0][0]


def test_a_change_from_another_process_arrives_and_reads_change_nothing(qtbot, backend, hall, clock):
    seen = []
    backend.changed.connect(lambda change: seen.append(change))
    with hall.read() as session:  # a read sends nothing
        session.exec(text("SELECT 1")).one()
    qtbot.wait(300)
    assert seen == []
    url = hall.engine.url.render_as_string(hide_password=False)
    script = ("import datetime as dt, sys; from counter_app.clock import VirtualClock; "
              "from counter_app.models.db import open_store; from counter_app.workflows.queue import tickets; "
              "s = open_store(sys.argv[1]); w = s.write(); session = w.__enter__(); "
              "tickets.issue_ticket(session, VirtualClock(dt.datetime.fromisoformat(sys.argv[2])), service_code='PLAN'); "
              "w.__exit__(None, None, None); s.dispose()")
    subprocess.run([sys.executable, "-c", script, url, clock.now().isoformat()], check=True, timeout=60)
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)


def test_the_listener_reconnects_after_its_connection_is_killed(qtbot, backend, other_pc, clock):
    with other_pc.write() as session:  # the server ends the listening connection, as a restart would
        session.exec(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()"))
    qtbot.waitUntil(lambda: not backend.listener.connected, timeout=5000)
    qtbot.waitUntil(lambda: backend.listener.connected, timeout=10000)
    seen = []
    backend.changed.connect(lambda change: seen.append(change))
    with other_pc.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)


def test_a_change_flushed_only_by_the_commit_is_announced_too(qtbot, backend, other_pc, clock):
    """A heartbeat sets a column and lets the commit flush it: the other PCs hear of it all the same."""
    from counter_app.models import Counter

    seen = []
    backend.changed.connect(lambda change: seen.append(change))
    before = backend.last_notified_at
    with other_pc.write() as session:
        counter = session.exec(select(Counter).where(Counter.number == 1)).one()
        counter.heartbeat_at = clock.now()
        session.add(counter)
    qtbot.waitUntil(lambda: backend.last_notified_at != before, timeout=2000)
