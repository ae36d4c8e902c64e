"""The estimated wait on a ticket: people ahead, recent service times, counters serving the service."""

import datetime as dt

from helpers.fixtures import at, open_counter
from helpers.story import issue, serve_next
from sqlmodel import select

from counter_app.models import BranchSettings, Service
from counter_app.workflows.queue import eta, tickets


def average(store, code) -> float:
    with store.read() as session:
        service = session.exec(select(Service).where(Service.code == code)).one()
        return eta.average_service_minutes(session, service)


def test_people_ahead_counts_only_waiting_customers_of_the_same_service(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    issue(hall, clock, "PLAN")
    issue(hall, clock, "BB")
    issue(hall, clock, "VIP")
    issue(hall, clock, "BILL")
    assert issue(hall, clock, "BB").ahead == 2

    sid = open_counter(hall, clock, 1, "S001")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=sid)  # A001 leaves the queue
    assert issue(hall, clock, "BB").ahead == 2  # A002 and A003


def test_before_any_service_the_typical_time_is_used_and_shared_by_the_open_counters(hall, clock):
    clock.set(at("09:00"))
    open_counter(hall, clock, 1, "S001")  # broadband is typically 4 minutes
    for _ in range(3):
        issue(hall, clock, "BB")
    ticket = issue(hall, clock, "BB")
    assert ticket.ahead == 3
    assert ticket.wait_minutes == 12
    assert ticket.expected_call_at == at("09:12")

    open_counter(hall, clock, 2, "S004")
    ticket = issue(hall, clock, "BB")
    assert ticket.ahead == 4
    assert ticket.wait_minutes == 8  # 4 people x 4 minutes over two counters


def test_the_average_comes_from_recently_served_customers(hall, clock):
    clock.set(at("09:00"))
    assert average(hall, "BB") == 4.0
    sid = open_counter(hall, clock, 1, "S001")
    for _ in range(2):
        issue(hall, clock, "BB")
    serve_next(hall, clock, 1, sid, minutes=10)
    serve_next(hall, clock, 1, sid, minutes=6)
    assert average(hall, "BB") == 8.0
    assert average(hall, "PLAN") == 6.0  # another service keeps its own figure

    for _ in range(2):
        issue(hall, clock, "BB")
    assert issue(hall, clock, "BB").wait_minutes == 16  # two ahead at 8 minutes, one counter


def test_only_the_most_recent_services_count(hall, clock):
    with hall.write() as session:
        settings = session.get(BranchSettings, 1)
        settings.eta_sample_size = 2
        session.add(settings)
    clock.set(at("09:00"))
    sid = open_counter(hall, clock, 1, "S001")
    for _ in range(3):
        issue(hall, clock, "BB")
    for minutes in (30, 3, 5):
        serve_next(hall, clock, 1, sid, minutes=minutes)
    assert average(hall, "BB") == 4.0


def test_no_shows_and_cancellations_do_not_count_as_services(hall, clock):
    clock.set(at("09:00"))
    sid = open_counter(hall, clock, 1, "S001")
    first = issue(hall, clock, "BB")
    issue(hall, clock, "BB")
    with hall.write() as session:
        tickets.cancel(session, clock, ticket_id=first.ticket_id, staff_id=sid)
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=sid)
    clock.advance(minutes=20)
    with hall.write() as session:
        tickets.recall(session, clock, counter_number=1, staff_id=sid)
    with hall.write() as session:
        tickets.no_show(session, clock, counter_number=1, staff_id=sid)
    assert average(hall, "BB") == 4.0


def test_an_early_ticket_is_expected_to_be_called_after_opening(hall, clock):
    clock.set(at("08:45"))
    issue(hall, clock, "BB")
    issue(hall, clock, "BB")
    clock.set(at("08:50"))
    ticket = issue(hall, clock, "BB")
    assert ticket.early and ticket.ahead == 2
    # No counter is open yet: all five that serve broadband share the queue once the hall opens.
    assert ticket.expected_call_at == at("09:00") + dt.timedelta(minutes=2)
    assert ticket.wait_minutes == 12


def test_with_every_open_counter_busy_nobody_ahead_still_means_a_short_wait(hall, clock):
    clock.set(at("09:00"))
    sid = open_counter(hall, clock, 1, "S001")  # the only open counter for broadband, 4 minutes typical
    first = issue(hall, clock, "BB")
    assert first.wait_minutes == 0  # a free counter: called at once
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=sid)
    second = issue(hall, clock, "BB")
    assert (second.ahead, second.wait_minutes) == (0, 2)  # half of the service in progress


def test_the_kiosk_the_display_and_the_ticket_give_one_estimate(hall, clock):
    """What the display and the kiosk's tile say for a ticket taken now is what that ticket then prints."""
    from counter_app.workflows.queue import board

    def shown_then_printed(code="BB") -> tuple[int, int]:
        with hall.read() as session:
            shown = next(s.wait_minutes for s in board.display_board(session, clock).services if s.code == code)
        return shown, issue(hall, clock, code).wait_minutes

    clock.set(at("08:50"))  # before opening: the wait runs from 09:00
    assert shown_then_printed() == (10, 10)
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    assert shown_then_printed() == (4, 4)  # one ahead, 4 minutes, one counter
    for _ in range(2):
        serve_next(hall, clock, 1, clerk, minutes=4)
    assert shown_then_printed() == (0, 0)  # nobody ahead, the counter free
    open_counter(hall, clock, 2, "S004")  # a second, free counter: the next customer is called at once
    with hall.read() as session:
        waiting = next(s.waiting for s in board.display_board(session, clock).services if s.code == "BB")
    assert waiting == 1 and shown_then_printed() == (0, 0)
