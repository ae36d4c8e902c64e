"""Two counters in two OS processes never call the same ticket; two kiosks never share a number.

Both run on the store of the run: SQLite, or PostgreSQL when COUNTER_APP_TEST_PG is set.
"""

import datetime as dt
import json
import subprocess
import sys
import textwrap
import threading
from collections import Counter as Tally
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers.fixtures import at, open_counter
from sqlmodel import func, select

from counter_app.models import Counter, CounterService, Event, Service, Ticket, TicketState
from counter_app.models.db import Store
from counter_app.workflows.queue import tickets as queue

TICKETS = 1000
CALLS_PER_COUNTER = 500
# On PostgreSQL each step is a round trip to the server; half the morning races just as often per call.
PG_SHARE = 2

# One counter's morning: wait for the go, then call, start and finish 500 times, each its own
# transaction, as the counter window would. Prints the ids it called, as JSON.
COUNTER_PROCESS = textwrap.dedent("""
    import datetime as dt, json, sys
    from counter_app.clock import VirtualClock
    from counter_app.models.db import Store
    from counter_app.workflows.core import auth
    from counter_app.workflows.queue import tickets

    auth.use_fast_hashing()
    url, counter, staff_id, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    store = Store(url)
    clock = VirtualClock(dt.datetime.fromisoformat(sys.argv[5]))
    print("ready", flush=True)
    sys.stdin.readline()
    called = []
    for _ in range(calls):
        with store.write() as session:
            called.append(tickets.call_next(session, clock, counter_number=counter, staff_id=staff_id).ticket_id)
        with store.write() as session:
            tickets.start_service(session, clock, counter_number=counter, staff_id=staff_id)
        clock.advance(seconds=1)
        with store.write() as session:
            tickets.finish_service(session, clock, counter_number=counter, staff_id=staff_id)
    store.dispose()
    print(json.dumps(called), flush=True)
""")


@pytest.mark.slow
def test_two_counter_processes_call_every_ticket_exactly_once(hall, clock):
    waiting, calls_each = (TICKETS, CALLS_PER_COUNTER) if hall.is_sqlite else \
        (TICKETS // PG_SHARE, CALLS_PER_COUNTER // PG_SHARE)
    clock.set(at("09:00"))
    with hall.write() as session:
        queue.issue_ticket(session, clock, service_code="BB")
        first = session.exec(select(Ticket)).one()
        # The rest of a busy morning's queue, written in bulk: issuing each at the kiosk is not the point here.
        session.add_all(
            Ticket(number=f"A{seq:03d}", service_id=first.service_id, business_date=first.business_date, seq=seq,
                   issued_at=first.issued_at + dt.timedelta(seconds=seq), queue_at=first.queue_at + dt.timedelta(seconds=seq))
            for seq in range(2, waiting + 1)
        )
    with hall.read() as session:
        bb = session.exec(select(Service.id).where(Service.code == "BB")).one()
        assert session.exec(select(func.count()).select_from(Ticket).where(Ticket.state == "waiting")).one() == waiting
        # Counters 1 and 2 both serve broadband in the demo hall.
        for number in (1, 2):
            counter_id = session.exec(select(Counter.id).where(Counter.number == number)).one()
            assert session.get(CounterService, (counter_id, bb)) is not None
    staff = {1: open_counter(hall, clock, 1, "S001"), 2: open_counter(hall, clock, 2, "S004")}

    start = (clock.now() + dt.timedelta(minutes=1)).isoformat()
    workers = {
        number: subprocess.Popen(
            [sys.executable, "-c", COUNTER_PROCESS, hall.url, str(number), str(staff_id),
             str(calls_each), start],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for number, staff_id in staff.items()
    }
    try:
        for worker in workers.values():
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers.values():  # both start together
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = {}
        for number, worker in workers.items():
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            results[number] = json.loads(out.strip().splitlines()[-1])
    finally:
        for worker in workers.values():
            if worker.poll() is None:
                worker.kill()

    assert [len(results[1]), len(results[2])] == [calls_each, calls_each]
    assert not set(results[1]) & set(results[2])
    with hall.read() as session:
        tickets = session.exec(select(Ticket)).all()
        assert len(tickets) == waiting
        assert all(t.state == TicketState.DONE and t.outcome == "served" for t in tickets)
        by_counter = Tally(t.counter_id for t in tickets)
        assert sorted(by_counter.values()) == [calls_each, calls_each]
        ticket_ids = {t.id for t in tickets}
        calls = session.exec(select(Event.ticket_id).where(Event.kind == "ticket_called")).all()
    assert len(calls) == waiting
    assert len(set(calls)) == waiting  # no ticket called twice
    assert set(calls) == ticket_ids == set(results[1]) | set(results[2])


ISSUES_PER_KIOSK = 25


def test_two_kiosks_issuing_the_same_service_at_the_same_instant_never_share_or_skip_a_number(hall, clock):
    """Two kiosk PCs, each with its own connection; in every round both press "broadband" together."""
    clock.set(at("09:00"))
    kiosks = [Store(hall.url), Store(hall.url)]
    together = threading.Barrier(len(kiosks), timeout=60)

    def morning_at(kiosk: Store) -> list[str]:
        numbers = []
        try:
            for _ in range(ISSUES_PER_KIOSK):
                together.wait()
                with kiosk.write() as session:
                    numbers.append(queue.issue_ticket(session, clock, service_code="BB").number)
        except threading.BrokenBarrierError:
            pass  # the other kiosk failed: its error is the one to read
        except BaseException:
            together.abort()  # the other kiosk must not wait for a press that never comes
            raise
        return numbers

    try:
        with ThreadPoolExecutor(len(kiosks)) as pool:
            first, second = pool.map(morning_at, kiosks)
    finally:
        for kiosk in kiosks:
            kiosk.dispose()

    assert len(first) == len(second) == ISSUES_PER_KIOSK
    assert not set(first) & set(second)
    assert sorted(first + second) == [f"A{seq:03d}" for seq in range(1, 2 * ISSUES_PER_KIOSK + 1)]
    with hall.read() as session:
        issued = session.exec(select(Event.data).where(Event.kind == "ticket_issued")).all()
    assert sorted(json.loads(data)["number"] for data in issued) == sorted(first + second)
