"""The business day across midnight: hours past midnight, a hall open round the clock, the customers
still waiting when the date turns, one number never shown twice, and what closing the day does."""

import datetime as dt

import pytest
from helpers.fixtures import DAY, at, open_counter, staff_id
from helpers.story import act, issue, refused, ticket
from sqlmodel import update

from counter_app.models import OpeningHours, TicketState
from counter_app.workflows.oversight import timing
from counter_app.workflows.queue import board, tickets
from counter_app.workflows.queue.hours import HallState, business_day, hall_status, trading_day
from counter_app.workflows.reports import closing

NEXT = DAY + dt.timedelta(days=1)


def set_hours(store, opens: str, closes: str) -> None:
    with store.write() as session:
        session.exec(update(OpeningHours).values(opens=dt.time.fromisoformat(opens),
                                                 closes=dt.time.fromisoformat(closes)))


@pytest.fixture
def late_hall(hall):
    """Open 16:00-02:00 every day."""
    set_hours(hall, "16:00", "02:00")
    return hall


@pytest.fixture
def round_the_clock(hall):
    set_hours(hall, "00:00", "00:00")
    return hall


def status(store, now):
    with store.read() as session:
        return hall_status(session, now)


def test_a_hall_open_past_midnight_is_open_before_and_after_midnight_and_closed_after_its_closing(late_hall, clock):
    assert status(late_hall, at("15:50")).state == HallState.PRE_OPEN
    assert status(late_hall, at("23:59")).state == HallState.OPEN
    after_midnight = status(late_hall, at("01:30", NEXT))
    assert after_midnight.state == HallState.OPEN
    assert (after_midnight.opens_at, after_midnight.closes_at) == (at("16:00"), at("02:00", NEXT))
    closed = status(late_hall, at("02:00", NEXT))
    assert closed.state == HallState.CLOSED and closed.next_issue_at == at("15:45", NEXT)


def test_a_ticket_taken_after_midnight_in_a_late_hall_belongs_to_the_evening_it_continues(late_hall, clock):
    clock.set(at("23:50"))
    first = issue(late_hall, clock, "BILL")
    clock.set(at("00:20", NEXT))
    second = issue(late_hall, clock, "BILL")

    # one day, one numbering: no second C001 after midnight
    assert (first.number, second.number) == ("C001", "C002")
    assert second.ahead == 1
    assert ticket(late_hall, second.ticket_id).business_date == DAY
    with late_hall.read() as session:
        assert trading_day(session, at("00:20", NEXT)) == DAY
        assert trading_day(session, at("16:00", NEXT)) == NEXT


def test_after_midnight_the_waiting_customers_stay_on_the_display_and_are_called_first(round_the_clock, clock):
    clerk = open_counter(round_the_clock, clock, 4, "S001")
    clock.set(at("23:40"))
    evening = [issue(round_the_clock, clock, "BILL") for _ in range(2)]
    clock.set(at("00:05", NEXT))
    morning = issue(round_the_clock, clock, "BILL")

    # The first customer of the new day gets a number nobody in the hall holds, and knows who is ahead.
    assert [t.number for t in evening] == ["C001", "C002"]
    assert morning.number == "C003" and morning.ahead == 2
    with round_the_clock.read() as session:
        shown = board.display_board(session, clock)
        waiting = next(s for s in shown.services if s.code == "BILL")
        assert waiting.waiting == 3 and waiting.oldest_wait_minutes == 25
        # the old day's waits keep running (and warn) after midnight
        late = {t.number: t for t in timing.live_timings(session, clock.now())}
        assert late["C001"].seconds == 25 * 60

    assert act(round_the_clock, clock, tickets.call_next, counter_number=4, staff_id=clerk).number == "C001"


def test_a_number_still_in_the_hall_is_not_given_again_but_a_number_served_before_midnight_may_be(
        round_the_clock, clock):
    clerk = open_counter(round_the_clock, clock, 4, "S001")
    clock.set(at("23:30"))
    served = issue(round_the_clock, clock, "BILL")  # C001: served before midnight
    act(round_the_clock, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    act(round_the_clock, clock, tickets.start_service, counter_number=4, staff_id=clerk)
    act(round_the_clock, clock, tickets.finish_service, counter_number=4, staff_id=clerk)
    at_counter = issue(round_the_clock, clock, "BILL")  # C002: called, still at the counter at midnight
    act(round_the_clock, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    waiting = issue(round_the_clock, clock, "BILL")  # C003: still waiting at midnight
    assert (served.number, at_counter.number, waiting.number) == ("C001", "C002", "C003")

    clock.set(at("00:01", NEXT))
    new_day = [issue(round_the_clock, clock, "BILL").number for _ in range(3)]

    assert new_day == ["C001", "C004", "C005"]
    with round_the_clock.read() as session:
        shown = board.display_board(session, clock)
        on_screen = [c.ticket for c in shown.counters if c.ticket] + [r.number for r in shown.recent]
        assert len(on_screen) == len(set(on_screen))  # yesterday's C001 is not on the recent calls
        assert "C001" not in [r.number for r in shown.recent]


def test_a_hall_that_closed_starts_its_next_day_with_an_empty_queue(hall, clock):
    clerk = open_counter(hall, clock, 4, "S001")
    clock.set(at("17:00"))
    left = issue(hall, clock, "BILL")
    clock.set(at("09:05", NEXT))
    fresh = issue(hall, clock, "BILL")

    assert fresh.number == "C001" and fresh.ahead == 0
    with hall.read() as session:
        assert [t.ticket_id for t in timing.live_timings(session, clock.now())] == [fresh.ticket_id]  # not timed
    called = act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    assert called.ticket_id == fresh.ticket_id
    assert ticket(hall, left.ticket_id).state == TicketState.WAITING  # history: not called a day late


def test_closing_the_day_lists_who_still_waits_and_takes_them_off_the_queue(round_the_clock, clock, tmp_path):
    clerk = open_counter(round_the_clock, clock, 4, "S001")
    manager = staff_id(round_the_clock, "M001")
    clock.set(at("23:40"))
    old = [issue(round_the_clock, clock, "BILL") for _ in range(2)]
    clock.set(at("00:10", NEXT))
    new = issue(round_the_clock, clock, "BILL")
    with round_the_clock.read() as session:
        assert business_day(session, clock.now()).queue_from == DAY

    closed = act(round_the_clock, clock, closing.close_day, day=DAY, staff_id=manager, path=tmp_path / "day.pdf",
                 language="en")

    assert closed.summary.still_waiting == ("C001", "C002")
    with round_the_clock.read() as session:
        assert business_day(session, clock.now()).queue_from == NEXT
        shown = board.display_board(session, clock)
        assert next(s for s in shown.services if s.code == "BILL").waiting == 1
        assert [t.number for t in timing.live_timings(session, clock.now())] == [new.number]
    assert act(round_the_clock, clock, tickets.call_next, counter_number=4, staff_id=clerk).ticket_id == new.ticket_id
    assert {ticket(round_the_clock, t.ticket_id).state for t in old} == {TicketState.WAITING}


def test_the_kiosk_of_a_late_hall_is_closed_between_its_closing_and_the_next_pre_opening(late_hall, clock):
    clock.set(at("03:00", NEXT))
    assert "15:45" in refused(late_hall, clock, tickets.issue_ticket, service_code="BB")


def test_a_late_halls_reports_count_help_and_idle_time_after_midnight_on_the_evening_they_continue(late_hall, clock):
    """Help asked at 01:00 and a counter idle from 23:50 to 00:30 belong to the business day that opened at
    16:00, not to the calendar day after it (reports/scope.py, counter_time.py)."""
    from counter_app.workflows.oversight import escalation
    from counter_app.workflows.reports import people
    from counter_app.workflows.reports.scope import ReportFilter

    clock.set(at("23:40"))
    clerk = open_counter(late_hall, clock, 1, "S001")
    clock.set(at("23:50"))
    waiting = issue(late_hall, clock, "BB")
    clock.set(at("00:30", NEXT))
    act(late_hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    clock.set(at("01:00", NEXT))
    act(late_hall, clock, escalation.request_help, counter_number=1, staff_id=clerk, route="manager")

    def row(day):
        with late_hall.read() as session:
            rows = people.staff_and_counters(session, ReportFilter(day, day, until=at("01:30", NEXT)),
                                             group="counter")
        return next((r for r in rows if r.key == "1"), None)

    evening = row(DAY)
    assert evening.help_requests == 1 and evening.called == 1
    assert evening.idle_s == 40 * 60  # the customer waited 23:50 to 00:30 while counter 1 sat idle
    following = row(NEXT)
    assert following is None or (following.help_requests, following.idle_s) == (0, 0)
    assert ticket(late_hall, waiting.ticket_id).business_date == DAY
