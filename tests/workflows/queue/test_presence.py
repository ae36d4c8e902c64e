"""A counter is never stranded: a closed window pauses or closes it, a silent PC is seen and handled by the
duty manager, a clerk takes over with the manager's approval, and closing the day closes what is left."""

from helpers.fixtures import DAY, at, open_counter, staff_id
from helpers.story import act, counter, events, issue, refused, ticket
from sqlmodel import select

from counter_app.models import Counter, CounterState, TicketState
from counter_app.workflows.queue import board, eta, presence, tickets
from counter_app.workflows.reports import closing


def beat(store, clock, number, clerk):
    act(store, clock, presence.heartbeat, counter_number=number, staff_id=clerk)


def board_state(store, clock, number) -> str:
    with store.read() as session:
        found = board.display_board(session, clock)
    return next(c.state for c in found.counters if c.number == number)


def test_closing_the_window_of_an_empty_counter_closes_it_and_frees_it_for_anyone(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, presence.window_closed, counter_number=1, staff_id=clerk)
    assert (counter(hall, 1).state, counter(hall, 1).staff_id) == (CounterState.CLOSED, None)
    assert board_state(hall, clock, 1) == "closed"
    open_counter(hall, clock, 1, "S004")  # nobody is refused "in use by 王芳"


def test_closing_the_window_with_a_customer_pauses_the_counter_and_keeps_the_customer(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    taken = issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, presence.window_closed, counter_number=1, staff_id=clerk)
    assert counter(hall, 1).state == CounterState.PAUSED
    assert counter(hall, 1).staff_id == clerk, "the clerk comes back to the customer"
    assert ticket(hall, taken.ticket_id).state == TicketState.PARKED, "kept at this counter, not called by another"
    assert ticket(hall, taken.ticket_id).counter_id == counter(hall, 1).id
    assert board_state(hall, clock, 1) == "paused"
    assert [e.kind for e in events(hall)][-3:] == ["ticket_parked", "counter_paused", "counter_window_closed"]

    open_counter(hall, clock, 1, "S001")  # back at the desk
    act(hall, clock, tickets.resume, counter_number=1, staff_id=clerk, ticket_id=taken.ticket_id)
    assert ticket(hall, taken.ticket_id).state == TicketState.CALLED


def test_a_counter_whose_window_stops_answering_is_silent_and_no_longer_counted_as_open(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    beat(hall, clock, 1, clerk)
    for _ in range(3):
        issue(hall, clock)
    with hall.read() as session:
        assert eta.capacity(session, 1, clock.now()).open == 1
        assert presence.silent_counters(session, clock.now()) == []

    clock.advance(seconds=91)  # the branch's silence limit is 90 s
    with hall.read() as session:
        assert eta.capacity(session, 1, clock.now()).open == 0
        [silent] = presence.silent_counters(session, clock.now())
    assert (silent.number, silent.staff_name, silent.heartbeat_at) == (1, "王芳", at("09:00"))
    assert board_state(hall, clock, 1) == "silent"

    beat(hall, clock, 1, clerk)  # the PC is back
    assert board_state(hall, clock, 1) == "open"


def test_a_counter_driven_without_a_window_is_never_silent(hall, clock):
    clock.set(at("09:00"))
    open_counter(hall, clock, 1, "S001")
    clock.advance(minutes=180)
    with hall.read() as session:
        assert presence.silent_counters(session, clock.now()) == []
    assert board_state(hall, clock, 1) == "open"


def test_the_duty_manager_hands_a_silent_counters_customer_to_another_counter(hall, clock):
    clock.set(at("09:00"))
    gone = open_counter(hall, clock, 1, "S001")
    other = open_counter(hall, clock, 2, "S004")
    manager = staff_id(hall, "M001")
    taken = issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=gone)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=gone)
    beat(hall, clock, 1, gone)
    clock.advance(minutes=5)

    assert "Give a reason" in refused(hall, clock, presence.release_counter, counter_number=1, manager_id=manager,
                                      reason=" ")
    assert "still has A001" in refused(hall, clock, presence.release_counter, counter_number=1,
                                       manager_id=manager, reason="PC froze")
    assert refused(hall, clock, presence.hand_over, counter_number=1, to_counter_number=2,
                   manager_id=gone) == "Only a duty manager can do this."

    act(hall, clock, presence.hand_over, counter_number=1, to_counter_number=2, manager_id=manager)
    moved = ticket(hall, taken.ticket_id)
    assert (moved.state, moved.counter_id) == (TicketState.PARKED, counter(hall, 2).id)
    act(hall, clock, tickets.resume, counter_number=2, staff_id=other, ticket_id=taken.ticket_id)
    assert ticket(hall, taken.ticket_id).state == TicketState.SERVING, "served on, not sent back to the queue"

    act(hall, clock, presence.release_counter, counter_number=1, manager_id=manager, reason="PC froze")
    assert (counter(hall, 1).state, counter(hall, 1).staff_id) == (CounterState.CLOSED, None)
    [released] = events(hall, "counter_released")
    assert (released.staff_id, '"reason": "PC froze"' in released.data) == (manager, True)


def test_a_clerk_takes_over_a_counter_with_the_duty_managers_credential(hall, clock):
    clock.set(at("09:00"))
    gone = open_counter(hall, clock, 1, "S001")
    taken = issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=gone)
    wrong = refused(hall, clock, presence.take_over, counter_number=1, staff_no="S004", password="demo1234",
                    manager_no="S003", manager_password="demo1234", reason="王芳 went home ill")
    assert wrong == "Only a duty manager can do this."
    assert counter(hall, 1).staff_id == gone

    login = act(hall, clock, presence.take_over, counter_number=1, staff_no="S004", password="demo1234",
                manager_no="M001", manager_password="demo1234", reason="王芳 went home ill")
    assert (login.name, counter(hall, 1).staff_id) == ("赵静", login.staff_id)
    assert ticket(hall, taken.ticket_id).staff_id == login.staff_id, "the new clerk carries on with the customer"
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=login.staff_id)
    [over] = events(hall, "counter_taken_over")
    assert over.staff_id == login.staff_id and f'"approved_by": {staff_id(hall, "M001")}' in over.data


def test_closing_the_day_closes_the_counters_left_open(hall, clock, tmp_path):
    clock.set(at("09:00"))
    open_counter(hall, clock, 1, "S001")
    open_counter(hall, clock, 2, "S004")
    clock.set(at("17:40"))
    manager = staff_id(hall, "M001")
    done = act(hall, clock, closing.close_day, day=DAY, staff_id=manager, path=tmp_path / "day.pdf",
               language="en")
    assert done.business_date == DAY
    with hall.read() as session:
        left = session.exec(select(Counter).where(Counter.state != CounterState.CLOSED)).all()
        signed_in = session.exec(select(Counter).where(Counter.staff_id.is_not(None))).all()
    assert (left, signed_in) == ([], [])
    [closed] = events(hall, "day_closed")
    assert '"counters_closed": [1, 2]' in closed.data

