"""A counter's preference among its services: within a priority tier, call-next takes the preferred service
first; a higher tier, or a customer who has waited the ageing time, still goes first. No preference: as before."""

from helpers.fixtures import at, open_counter
from helpers.story import act, issue
from sqlalchemy.dialects import sqlite
from sqlmodel import select, update

from counter_app.models import Counter, CounterService, Service
from counter_app.workflows.queue import board, priority, tickets


def prefer(store, counter_number: int, *codes: str) -> None:
    """As the setup file's "preference": the listed services rank 0, 1, ..; the counter's others share the next."""
    with store.write() as session:
        counter_id = session.exec(select(Counter.id).where(Counter.number == counter_number)).one()
        ids = dict(session.exec(select(Service.code, Service.id)).all())
        session.exec(update(CounterService).where(CounterService.counter_id == counter_id).values(rank=len(codes)))
        for rank, code in enumerate(codes):
            session.exec(update(CounterService).where(CounterService.counter_id == counter_id,
                                                      CounterService.service_id == ids[code]).values(rank=rank))


def call_order(store, clock, counter: int, clerk: int, count: int) -> list[str]:
    called = []
    for _ in range(count):
        called.append(act(store, clock, tickets.call_next, counter_number=counter, staff_id=clerk).number)
        act(store, clock, tickets.start_service, counter_number=counter, staff_id=clerk)
        act(store, clock, tickets.finish_service, counter_number=counter, staff_id=clerk)
    return called


def waiting_list(store, clock, counter: int) -> list[str]:
    with store.read() as session:
        return [line.number for line in board.workspace(session, clock, counter_number=counter).waiting]


def queue_at(store, clock, *tickets_at: tuple[str, str]) -> None:
    for hhmm, code in tickets_at:
        clock.set(at(hhmm))
        issue(store, clock, code)


def test_within_a_tier_the_counter_calls_its_preferred_service_first(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")  # counter 1 serves BB, BILL and PLAN
    prefer(hall, 1, "BILL")  # BILL rank 0; BB and PLAN share rank 1, so between them the queue decides
    queue_at(hall, clock, ("09:00", "BB"), ("09:01", "PLAN"), ("09:02", "BILL"), ("09:03", "BILL"),
             ("09:04", "BB"))
    clock.set(at("09:05"))
    expected = ["C001", "C002", "A001", "B001", "A002"]
    assert waiting_list(hall, clock, 1) == expected  # the clerk's list is in the order call-next takes it
    assert call_order(hall, clock, 1, clerk, 5) == expected


def test_a_second_preference_orders_the_rest(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    prefer(hall, 1, "PLAN", "BB")  # PLAN 0, BB 1, BILL 2
    queue_at(hall, clock, ("09:00", "BILL"), ("09:01", "BB"), ("09:02", "PLAN"))
    clock.set(at("09:05"))
    assert call_order(hall, clock, 1, clerk, 3) == ["B001", "A001", "C001"]


def test_a_higher_tier_goes_before_the_preferred_service(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    prefer(hall, 1, "BILL")
    queue_at(hall, clock, ("09:00", "BILL"), ("09:01", "PLAN"), ("09:02", "BILL"))
    elderly = issue(hall, clock, "BB", priority_reason="elderly")  # A001 at 09:02, tier 1
    clock.set(at("09:05"))
    assert elderly.number == "A001"
    assert call_order(hall, clock, 1, clerk, 4) == ["A001", "C001", "C002", "B001"]


def test_a_customer_who_has_waited_the_ageing_time_goes_before_a_preferred_one(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    prefer(hall, 1, "BILL")
    # B001 (PLAN) 09:00, C001 (BILL) 09:01, C002 (BILL) 09:10, A001 (BB, tier 1) 09:12; the demo ages at 20 min
    queue_at(hall, clock, ("09:00", "PLAN"), ("09:01", "BILL"), ("09:10", "BILL"))
    clock.set(at("09:12"))
    issue(hall, clock, "BB", priority_reason="elderly")
    clock.set(at("09:21"))
    # At 09:21 B001 (21 min) and C001 (20 min) have aged: the top tier, where the preference puts C001 first.
    # Then A001's tier 1, then C002 (11 min, tier 0) — after B001, although BILL is preferred.
    assert waiting_list(hall, clock, 1) == ["C001", "B001", "A001", "C002"]
    assert call_order(hall, clock, 1, clerk, 4) == ["C001", "B001", "A001", "C002"]


def test_another_counter_keeps_its_own_order(hall, clock):
    prefer(hall, 1, "BILL")
    clerk = open_counter(hall, clock, 2, "S004")  # counter 2 serves the same services, with no preference
    queue_at(hall, clock, ("09:00", "BB"), ("09:01", "PLAN"), ("09:02", "BILL"))
    clock.set(at("09:05"))
    assert call_order(hall, clock, 2, clerk, 3) == ["A001", "B001", "C001"]


def sql(clauses) -> list[str]:
    return [str(c.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})) for c in clauses]


def test_without_a_preference_the_order_is_exactly_as_before(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    prefer(hall, 1)  # an empty preference: every service rank 0
    with hall.write() as session:  # all ranked alike at another number: still no preference
        session.exec(update(CounterService).where(CounterService.counter_id == 2).values(rank=3))
    with hall.read() as session:
        plain = sql(priority.calling_order(session, at("09:30")))
        for number in (1, 2):
            counter_id = session.exec(select(Counter.id).where(Counter.number == number)).one()
            assert sql(priority.calling_order(session, at("09:30"), counter_id=counter_id)) == plain
    assert len(plain) == 3  # the tier (with ageing), the place in the queue, the id

    queue_at(hall, clock, ("09:00", "BILL"), ("09:01", "BB"), ("09:02", "PLAN"), ("09:03", "BILL"))
    clock.set(at("09:05"))
    assert call_order(hall, clock, 1, clerk, 4) == ["C001", "A001", "B001", "C002"]


def test_without_a_preference_call_next_reads_its_indexes_and_sorts_nothing(hall, clock):
    """The plan of call-next's pick, on SQLite, under the ageing rule: the earliest waiting ticket from
    ix_ticket_queue_time, and (nobody aged yet) the first by tier from ix_ticket_waiting; no sort in either."""
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    sent = []

    def capture(_conn, _cursor, statement, params, _context, _many):
        if "ORDER BY" in statement and "FROM ticket" in statement and "LIMIT" in statement:
            sent.append((statement, params))

    from sqlalchemy import event

    event.listen(hall.engine, "before_cursor_execute", capture)
    try:
        act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    finally:
        event.remove(hall.engine, "before_cursor_execute", capture)
    if hall.engine.dialect.name != "sqlite":
        return
    plans = []
    with hall.engine.connect() as connection:
        for statement, params in sent:
            plans.append(" ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                               params)))
    assert len(plans) == 2, plans
    assert "ix_ticket_queue_time" in plans[0] and "ix_ticket_waiting" in plans[1], plans
    assert not any("TEMP B-TREE" in plan for plan in plans), plans
