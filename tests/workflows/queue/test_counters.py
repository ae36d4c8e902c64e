"""Counters and the people at them: logging in, opening, pausing, moving, and who may do what."""

import datetime as dt

from helpers.fixtures import DAY, at, open_counter, staff_id
from helpers.story import act, counter, events, issue, refused, snapshot, ticket

from counter_app.models import CounterState, TicketState
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo

PASSWORD = demo.DEMO_PASSWORD


def test_only_the_person_logged_in_at_a_counter_acts_there(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    open_counter(hall, clock, 1, "S001")
    intruder = staff_id(hall, "S004")
    before = snapshot(hall)
    for action in (tickets.call_next, tickets.start_service, tickets.recall, counters.pause_counter,
                   counters.close_counter, counters.logout):
        assert refused(hall, clock, action, counter_number=1, staff_id=intruder) == \
            "You are not logged in at counter 1."
    assert refused(hall, clock, tickets.call_ticket, counter_number=1, staff_id=intruder,
                   ticket_id=issued.ticket_id) == "You are not logged in at counter 1."
    assert snapshot(hall) == before


def test_calling_at_a_closed_counter_is_refused_and_changes_nothing(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    login = act(hall, clock, counters.login, counter_number=1, staff_no="S001", password=PASSWORD)
    before = snapshot(hall)
    message = refused(hall, clock, tickets.call_next, counter_number=1, staff_id=login.staff_id)
    assert message == "Counter 1 is closed: open it before calling."
    assert ticket(hall, issued.ticket_id).state == TicketState.WAITING
    assert snapshot(hall) == before


def test_calling_at_a_paused_counter_is_refused_and_changes_nothing(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, counters.pause_counter, counter_number=1, staff_id=clerk)
    before = snapshot(hall)
    message = refused(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    assert message == "Counter 1 is paused: resume service before calling."
    assert refused(hall, clock, tickets.call_ticket, counter_number=1, staff_id=clerk,
                   ticket_id=issued.ticket_id) == message
    assert ticket(hall, issued.ticket_id).state == TicketState.WAITING
    assert snapshot(hall) == before

    act(hall, clock, counters.open_counter, counter_number=1, staff_id=clerk)  # back from the break
    assert act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk).number == "A001"


def test_pausing_keeps_the_customer_at_the_counter(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, counters.pause_counter, counter_number=1, staff_id=clerk)
    assert act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk).kind == "service_finished"
    assert refused(hall, clock, counters.pause_counter, counter_number=1,
                   staff_id=clerk) == "Only an open counter can be paused."


def test_a_counter_with_a_customer_calls_nobody_else(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock)
    issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    assert refused(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk) == \
        "Counter 1 still has A001: finish, park or transfer it first."


def test_a_ticket_called_at_one_counter_cannot_be_called_at_another(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    first = open_counter(hall, clock, 1, "S001")
    second = open_counter(hall, clock, 2, "S004")
    act(hall, clock, tickets.call_ticket, counter_number=1, staff_id=first, ticket_id=issued.ticket_id)
    before = snapshot(hall)
    assert refused(hall, clock, tickets.call_ticket, counter_number=2, staff_id=second,
                   ticket_id=issued.ticket_id) == "A001 is no longer waiting (already called at counter 1)."
    assert refused(hall, clock, tickets.call_next, counter_number=2, staff_id=second) == \
        "Nobody is waiting for the services of counter 2."
    assert snapshot(hall) == before


def test_a_counter_calls_only_for_its_own_services(hall, clock):
    clock.set(at("09:00"))
    vip = issue(hall, clock, "VIP")
    clerk = open_counter(hall, clock, 1, "S001")
    assert refused(hall, clock, tickets.call_ticket, counter_number=1, staff_id=clerk,
                   ticket_id=vip.ticket_id) == "Counter 1 does not serve the service of V001."


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(hall, clock):
    before = snapshot(hall, without_attempts=True)
    for staff_no, password in (("S001", "wrong-password"), ("S999", PASSWORD), ("S001", "")):
        assert refused(hall, clock, counters.login, counter_number=1, staff_no=staff_no,
                       password=password) == "Wrong staff number or password."
    assert snapshot(hall, without_attempts=True) == before
    assert len(events(hall, "sign_in_failed")) == 3, "each try is on record, with where it was made"
    assert counter(hall, 1).staff_id is None


def test_an_administrator_has_no_counter_role(hall, clock):
    assert refused(hall, clock, counters.login, counter_number=1, staff_no="A001",
                   password=PASSWORD) == "刘洋 has no counter role."


def test_logging_in_elsewhere_moves_the_staff_member_and_closes_the_old_counter(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("10:00"))
    login = act(hall, clock, counters.login, counter_number=3, staff_no="S001", password=PASSWORD)
    assert login.staff_id == clerk and login.counter_number == 3
    old = counter(hall, 1)
    assert (old.state, old.staff_id, old.state_since) == (CounterState.CLOSED, None, at("10:00"))
    assert counter(hall, 3).staff_id == clerk


def test_nobody_moves_away_from_a_customer(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock)
    issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    before = snapshot(hall)
    message = "Counter 1 still has A001: finish, park or transfer it first."
    assert refused(hall, clock, counters.login, counter_number=2, staff_no="S001", password=PASSWORD) == message
    assert refused(hall, clock, counters.logout, counter_number=1, staff_id=clerk) == message
    assert refused(hall, clock, counters.close_counter, counter_number=1, staff_id=clerk) == message
    assert snapshot(hall) == before

    act(hall, clock, tickets.park, counter_number=1, staff_id=clerk)
    assert "has parked customers (A001)" in refused(hall, clock, counters.login, counter_number=2,
                                                    staff_no="S001", password=PASSWORD)
    assert counter(hall, 1).staff_id == clerk


def test_another_persons_open_counter_cannot_be_taken_over(hall, clock):
    clock.set(at("09:00"))
    owner = open_counter(hall, clock, 1, "S001")
    before = snapshot(hall)
    assert refused(hall, clock, counters.login, counter_number=1, staff_no="S004", password=PASSWORD) == \
        "Counter 1 is in use by 王芳: they must close it first, or a duty manager can let you take it over."
    act(hall, clock, counters.pause_counter, counter_number=1, staff_id=owner)
    assert "in use by 王芳" in refused(hall, clock, counters.login, counter_number=1, staff_no="S004",
                                      password=PASSWORD)
    assert counter(hall, 1).staff_id == owner
    assert len(snapshot(hall)["event"]) == len(before["event"]) + 1  # only the pause


def test_a_closed_counter_left_signed_in_can_be_taken_by_a_colleague(hall, clock):
    clock.set(at("09:00"))
    owner = open_counter(hall, clock, 1, "S001")
    act(hall, clock, counters.close_counter, counter_number=1, staff_id=owner)
    login = act(hall, clock, counters.login, counter_number=1, staff_no="S004", password=PASSWORD)
    assert counter(hall, 1).staff_id == login.staff_id
    assert refused(hall, clock, counters.open_counter, counter_number=1, staff_id=owner) == \
        "You are not logged in at counter 1."


def test_logging_out_closes_the_counter(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 2, "S001")
    clock.set(at("12:00"))
    act(hall, clock, counters.logout, counter_number=2, staff_id=clerk)
    closed = counter(hall, 2)
    assert (closed.state, closed.staff_id, closed.state_since) == (CounterState.CLOSED, None, at("12:00"))
    assert refused(hall, clock, counters.open_counter, counter_number=2, staff_id=clerk) == \
        "You are not logged in at counter 2."


def test_opening_an_open_counter_or_closing_a_closed_one_is_refused(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    assert refused(hall, clock, counters.open_counter, counter_number=1, staff_id=clerk) == \
        "Counter 1 is already open."
    act(hall, clock, counters.close_counter, counter_number=1, staff_id=clerk)
    assert refused(hall, clock, counters.close_counter, counter_number=1, staff_id=clerk) == \
        "Counter 1 is already closed."
    assert refused(hall, clock, counters.login, counter_number=9, staff_no="S001", password=PASSWORD) == \
        "There is no counter 9."


def test_opening_a_counter_after_closing_time_is_done_with_a_warning(hall, clock):
    clock.set(at("18:00"))  # the hall closed at 17:30
    with hall.write() as session:
        login = counters.login(session, clock, counter_number=1, staff_no="S001", password=demo.DEMO_PASSWORD)
        change = counters.open_counter(session, clock, counter_number=1, staff_id=login.staff_id)
    assert change.warning == "The counter is open, but the hall is closed now: no tickets are issued until it opens."
    clock.set(at("09:00", DAY + dt.timedelta(days=1)))
    with hall.write() as session:
        counters.pause_counter(session, clock, counter_number=1, staff_id=login.staff_id)
        assert counters.open_counter(session, clock, counter_number=1, staff_id=login.staff_id).warning is None
