"""Ticket numbers: a prefix and a daily sequence per service, restarting each business day."""

import datetime as dt

import pytest
from helpers.fixtures import DAY, at, open_counter
from helpers.story import act
from sqlmodel import select

from counter_app.errors import AppError
from counter_app.models import Ticket
from counter_app.workflows.queue import board, tickets

TUESDAY = DAY + dt.timedelta(days=1)


def issue(store, clock, code):
    with store.write() as session:
        return tickets.issue_ticket(session, clock, service_code=code).number


def test_numbers_count_up_per_service(hall, clock):
    clock.set(at("09:00"))
    assert [issue(hall, clock, "BB") for _ in range(3)] == ["A001", "A002", "A003"]


def test_each_service_has_its_own_sequence(hall, clock):
    clock.set(at("09:00"))
    assert issue(hall, clock, "BB") == "A001"
    assert issue(hall, clock, "BILL") == "C001"
    assert issue(hall, clock, "BB") == "A002"
    assert issue(hall, clock, "PLAN") == "B001"
    assert issue(hall, clock, "VIP") == "V001"
    assert issue(hall, clock, "BILL") == "C002"


def test_the_next_business_day_starts_again_at_001_and_keeps_yesterday(hall, clock):
    clock.set(at("16:00"))
    issue(hall, clock, "BB")
    issue(hall, clock, "BB")
    clock.set(at("09:00", TUESDAY))
    assert issue(hall, clock, "BB") == "A001"
    with hall.read() as session:
        rows = session.exec(select(Ticket.business_date, Ticket.number).order_by(Ticket.id)).all()
    assert rows == [(DAY, "A001"), (DAY, "A002"), (TUESDAY, "A001")]


def test_a_transferred_customer_keeps_their_number_without_using_one_of_the_target(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    sid = open_counter(hall, clock, 1, "S001")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=sid)
    with hall.write() as session:
        tickets.transfer(session, clock, counter_number=1, staff_id=sid, service_code="BILL")
    assert issue(hall, clock, "BILL") == "C001"


def test_an_unknown_service_is_refused_and_nothing_is_issued(hall, clock):
    clock.set(at("09:00"))
    with pytest.raises(AppError) as refused:
        issue(hall, clock, "NOPE")
    assert refused.value.text() == "Unknown service: NOPE."
    with hall.read() as session:
        assert session.exec(select(Ticket)).all() == []


def test_a_ticket_left_waiting_yesterday_does_not_jump_todays_queue(hall, clock):
    clock.set(at("17:20"))
    issue(hall, clock, "BB")  # the customer went home at closing time without being called
    clock.set(at("09:00", TUESDAY))
    today = act(hall, clock, tickets.issue_ticket, service_code="BB")
    assert (today.number, today.ahead, today.wait_minutes) == ("A001", 0, 0)
    with hall.read() as session:
        shown = board.display_board(session, clock)
        assert shown.waiting_total == 1
        assert [line.ticket_id for line in board.workspace(session, clock, counter_number=1).waiting] == \
            [today.ticket_id]
    clerk = open_counter(hall, clock, 1, "S001")
    assert act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk).ticket_id == today.ticket_id
