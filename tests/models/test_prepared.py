"""The hot path's prepared statements (models/prepared.py) write and read exactly what the ORM does, on SQLite and
on PostgreSQL; and a SQLite writer waits its turn for the write lock, then gives up within its wait."""

import datetime as dt
import threading
import time

import pytest
import sqlalchemy as sa
from helpers.fixtures import at

from counter_app.models import Ticket, TicketState
from counter_app.models.db import WROTE, Store, store_busy
from counter_app.models.prepared import Prepared
from counter_app.workflows.queue import tickets

T = Ticket.__table__
CALL = Prepared(sa.update(T).where(T.c.id == sa.bindparam("ticket"), T.c.state == TicketState.WAITING)
                .values(state=TicketState.CALLED, called_at=sa.bindparam("now"), counter_id=None))
READ = Prepared(sa.select(T.c.id, T.c.number, T.c.state, T.c.business_date, T.c.called_at, T.c.queue_at)
                .where(T.c.id == sa.bindparam("ticket")))


def test_a_prepared_change_and_read_are_the_orms_values(hall, clock):
    clock.set(at("09:00"))
    with hall.write() as session:
        issued = tickets.issue_ticket(session, clock, service_code="BB")
    called_at = dt.datetime(2026, 3, 2, 9, 5, 7, 123456)
    with hall.write() as session:
        assert CALL.run(session, {"ticket": issued.ticket_id, "now": called_at}) == 1
        assert session.info[WROTE], "a prepared change counts as written (the change notification)"
        assert CALL.run(session, {"ticket": issued.ticket_id, "now": called_at}) == 0, "compare-and-set: once only"
    with hall.read() as session:
        ticket = session.get(Ticket, issued.ticket_id)
        assert (ticket.state, ticket.called_at) == (TicketState.CALLED, called_at)
        row = READ.one(session, {"ticket": issued.ticket_id})
        assert row == (ticket.id, ticket.number, ticket.state, ticket.business_date, called_at, ticket.queue_at)
        assert isinstance(row.business_date, dt.date) and isinstance(row.called_at, dt.datetime)
        assert READ.first(session, {"ticket": -1}) is None
        assert READ.scalar(session, {"ticket": issued.ticket_id}) == issued.ticket_id


def test_with_someone_listening_to_the_statements_they_are_seen_and_answer_the_same(hall, clock):
    clock.set(at("09:00"))
    with hall.write() as session:
        issued = tickets.issue_ticket(session, clock, service_code="BB")
    with hall.read() as session:
        quiet = READ.one(session, {"ticket": issued.ticket_id})
    seen = []
    listener = lambda _c, _cur, statement, *_rest: seen.append(statement)  # noqa: E731
    sa.event.listen(hall.engine, "before_cursor_execute", listener)
    try:
        with hall.read() as session:
            heard = READ.one(session, {"ticket": issued.ticket_id})
    finally:
        sa.event.remove(hall.engine, "before_cursor_execute", listener)
    assert tuple(heard) == tuple(quiet)
    assert any(statement.startswith("SELECT ticket.id, ticket.number") for statement in seen)


def test_a_list_parameter_cannot_be_prepared(hall):
    prepared = Prepared(sa.select(T.c.id).where(T.c.id.in_(sa.bindparam("ids", expanding=True))))
    with hall.read() as session, pytest.raises(ValueError, match="list parameter"):
        prepared.rows(session, {"ids": [1, 2]})


def test_a_sqlite_writer_waits_for_the_write_lock_and_gives_up_within_its_wait(tmp_path, postgres):
    if postgres is not None:
        pytest.skip("SQLite's write lock; PostgreSQL's lock_timeout is tested in test_postgres.py")
    from counter_app.models.db import open_store

    url = f"sqlite:///{tmp_path / 'turns.sqlite3'}"
    open_store(url).dispose()
    holder, other = Store(url), Store(url)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with holder.write() as session:
            session.execute(sa.text("CREATE TABLE held (x INTEGER)"))
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(5)
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError) as refused, other.write(wait_ms=150) as session:
            session.execute(sa.text("CREATE TABLE other (x INTEGER)"))
        waited = time.monotonic() - started
        assert store_busy(refused.value)
        assert 0.14 <= waited < 1.0, waited  # its wait, not SQLite's half minute
        threading.Timer(0.2, release.set).start()
        started = time.monotonic()
        with other.write(wait_ms=3000) as session:  # the holder commits after 0.2 s: this one goes on then
            session.execute(sa.text("INSERT INTO held VALUES (1)"))
        assert time.monotonic() - started < 1.0
    finally:
        release.set()
        thread.join(5)
        holder.dispose()
        other.dispose()
    with Store(url).read() as session:
        assert session.execute(sa.text("SELECT x FROM held")).scalars().all() == [1]


def test_an_event_sent_with_the_commit_is_in_the_store_for_whatever_the_transaction_sends_next(hall, clock):
    """On PostgreSQL call-next's event goes with the COMMIT in one pipeline (events.record(last=True)); anything the
    transaction sends after it, by any way, sends it first; a rollback keeps nothing of it."""
    from helpers.fixtures import open_counter
    from sqlmodel import func, select

    from counter_app.models import Event
    from counter_app.workflows.core import audit

    clock.set(at("09:00"))
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
        tickets.issue_ticket(session, clock, service_code="BB")
    staff = open_counter(hall, clock, 1, "S001")
    count = sa.select(sa.func.count()).select_from(Event.__table__).where(Event.__table__.c.kind == "ticket_called")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=staff)
        assert session.connection().execute(count).scalar() == 1, "a Core statement on the connection"
    with hall.write() as session:
        tickets.start_service(session, clock, counter_number=1, staff_id=staff)
        assert session.exec(select(func.count()).select_from(Event).where(Event.kind == "service_started")).one() == 1
    with hall.write() as session:
        tickets.finish_service(session, clock, counter_number=1, staff_id=staff)
        assert session.connection().exec_driver_sql(
            "SELECT count(*) FROM event WHERE kind = 'service_finished'").scalar() == 1, "the driver's own SQL"

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=staff)
        raise Abandoned
    with hall.write() as session:
        assert tickets.call_next(session, clock, counter_number=1, staff_id=staff).number == "A002"
    with hall.read() as session:
        assert session.exec(select(Event.kind).where(Event.kind.like("ticket_called"))).all() == ["ticket_called"] * 2
        assert audit.verify(session).first_bad_id is None


def test_a_click_that_cannot_have_the_chains_lock_in_time_is_busy_and_saves_nothing(hall, clock, postgres):
    """PostgreSQL: the lock taken in the commit's pipeline obeys the click's short wait like any other lock; the
    driver's error is reported as SQLAlchemy's, so the window says "busy, try again"."""
    if postgres is None:
        pytest.skip("the pipelined commit is PostgreSQL's")
    from helpers.fixtures import open_counter

    from counter_app.workflows.core import events

    clock.set(at("09:00"))
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    staff = open_counter(hall, clock, 1, "S001")
    with hall.write() as other_pc:  # another PC is appending to the log: it holds the chain's lock until it commits
        events.hold_chain_lock(other_pc)
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError) as refused, hall.write(wait_ms=300) as session:
            tickets.call_next(session, clock, counter_number=1, staff_id=staff)
        assert store_busy(refused.value) and time.monotonic() - started < 2
    with hall.read() as session:
        assert session.get(Ticket, 1).state == TicketState.WAITING, "nothing of the refused click was kept"
    with hall.write() as session:
        assert tickets.call_next(session, clock, counter_number=1, staff_id=staff).number == "A001"


def test_a_counter_calling_locks_only_the_ticket_it_calls(hall, clock, postgres):
    """PostgreSQL, under the ageing rule: the earliest waiting ticket is looked at, not locked, unless it is the
    one called; another counter calling meanwhile gets it instead of skipping it."""
    if postgres is None:
        pytest.skip("row locks and SKIP LOCKED are PostgreSQL's")
    from helpers.fixtures import open_counter

    first, second = open_counter(hall, clock, 1, "S001"), open_counter(hall, clock, 2, "S002")
    for hhmm, tier in (("09:00", None), ("09:01", 1), ("09:02", None)):  # A001, A002 given a tier, A003
        clock.set(at(hhmm))
        with hall.write() as session:
            tickets.issue_ticket(session, clock, service_code="BB", priority=tier)
    clock.set(at("09:05"))  # nobody has waited the ageing minutes: the tier decides
    other_pc = Store(hall.url)
    try:
        with other_pc.write() as session:  # counter 1 calls A002 and has not committed yet
            assert tickets.call_next(session, clock, counter_number=1, staff_id=first).number == "A002"
            with hall.write(wait_ms=3000) as meanwhile:
                assert tickets.call_next(meanwhile, clock, counter_number=2, staff_id=second).number == "A001"
    finally:
        other_pc.dispose()
