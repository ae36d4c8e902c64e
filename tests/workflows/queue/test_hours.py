"""Opening hours at the kiosk: the pre-opening window, closed hours, holidays and shut weekdays."""

import datetime as dt

import pytest
from helpers.fixtures import DAY, at
from sqlmodel import delete, select

from counter_app.errors import AppError
from counter_app.models import BranchSettings, Holiday, OpeningHours, Ticket
from counter_app.workflows.queue import tickets as queue
from counter_app.workflows.queue.hours import HallState, hall_status

TUESDAY = DAY + dt.timedelta(days=1)
WEDNESDAY = DAY + dt.timedelta(days=2)


def issue(store, clock, code="BB"):
    with store.write() as session:
        return queue.issue_ticket(session, clock, service_code=code)


def refusal(store, clock, code="BB") -> str:
    with pytest.raises(AppError) as refused:
        issue(store, clock, code)
    return refused.value.text()


def tickets(store) -> int:
    with store.read() as session:
        return len(session.exec(select(Ticket)).all())


def test_a_ticket_taken_in_the_quarter_hour_before_opening_says_when_serving_starts(hall, clock):
    clock.set(at("08:45"))
    first = issue(hall, clock)
    clock.set(at("08:57"))
    second = issue(hall, clock)

    for ticket in (first, second):
        assert ticket.early
        assert ticket.opens_at == at("09:00")
        assert ticket.expected_call_at >= at("09:00")
    assert first.wait_minutes == 15  # nobody ahead: called at opening
    assert second.ahead == 1


def test_tickets_taken_after_opening_are_not_early(hall, clock):
    clock.set(at("09:00"))
    ticket = issue(hall, clock)
    assert not ticket.early
    assert ticket.opens_at is None
    assert ticket.expected_call_at == at("09:00")


def test_before_the_pre_opening_window_the_kiosk_names_todays_first_issuing_time(hall, clock):
    clock.set(at("08:44:59"))
    assert "2026-03-02 08:45" in refusal(hall, clock)
    assert tickets(hall) == 0


def test_after_closing_the_kiosk_names_tomorrows_first_issuing_time(hall, clock):
    clock.set(at("17:29:59"))
    issue(hall, clock)
    clock.set(at("17:30"))
    assert "2026-03-03 08:45" in refusal(hall, clock)
    assert tickets(hall) == 1


def test_a_holiday_is_closed_and_the_next_issuing_time_skips_it(hall, clock):
    with hall.write() as session:
        session.add(Holiday(day=TUESDAY, note="Lantern festival"))
    clock.set(at("18:00"))
    assert "2026-03-04 08:45" in refusal(hall, clock)
    clock.set(at("10:00", TUESDAY))
    assert "2026-03-04 08:45" in refusal(hall, clock)
    with hall.read() as session:
        status = hall_status(session, clock.now())
    assert status.state == HallState.CLOSED
    assert status.opens_at == at("09:00", WEDNESDAY)


def test_a_weekday_without_opening_hours_is_closed(hall, clock):
    with hall.write() as session:
        session.exec(delete(OpeningHours).where(OpeningHours.weekday == TUESDAY.weekday()))
    clock.set(at("11:00", TUESDAY))
    assert "2026-03-04 08:45" in refusal(hall, clock)
    clock.set(at("08:45", WEDNESDAY))
    assert issue(hall, clock).early


def test_the_branch_can_widen_the_pre_opening_window(hall, clock):
    with hall.write() as session:
        settings = session.get(BranchSettings, 1)
        settings.pre_open_minutes = 30
        session.add(settings)
    clock.set(at("08:41"))  # outside the default quarter hour, inside the half hour
    ticket = issue(hall, clock)
    assert ticket.early and ticket.opens_at == at("09:00")
    assert ticket.wait_minutes == 19


def test_the_hall_status_walks_through_a_day(hall, clock):
    moments = {
        "08:40": HallState.CLOSED,
        "08:45": HallState.PRE_OPEN,
        "08:59:59": HallState.PRE_OPEN,
        "09:00": HallState.OPEN,
        "17:29:59": HallState.OPEN,
        "17:30": HallState.CLOSED,
    }
    with hall.read() as session:
        for hhmm, expected in moments.items():
            assert hall_status(session, at(hhmm)).state == expected, hhmm
        assert hall_status(session, at("08:40")).next_issue_at == at("08:45")
        assert hall_status(session, at("17:30")).next_issue_at == at("08:45", TUESDAY)
        assert hall_status(session, at("09:30")).closes_at == at("17:30")
