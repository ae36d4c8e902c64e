"""Timing against targets: every wait and every service is on time, at its warning mark, or over target."""

import datetime as dt

import pytest
from helpers.fixtures import at, open_counter
from helpers.story import act, issue, ticket
from sqlmodel import select

from counter_app.models import Service
from counter_app.workflows.oversight.timing import Level, level_of, live_timings, visit_breaches
from counter_app.workflows.queue import tickets


@pytest.mark.parametrize(("seconds", "level"), [
    (0, Level.OK),
    (7 * 60 + 29, Level.OK),  # broadband's 10-minute target: the warning mark is at 7:30
    (7 * 60 + 30, Level.WARNING),
    (9 * 60 + 59, Level.WARNING),
    (10 * 60, Level.BREACHED),  # the target itself is already over target
    (3 * 60 * 60, Level.BREACHED),
])
def test_a_service_is_ok_then_at_its_warning_mark_then_over_target(seconds, level):
    assert level_of(seconds, 10, 0.75) == level


def test_the_warning_mark_is_a_share_of_the_target_set_by_the_branch():
    assert level_of(5 * 60, 10, 0.5) == Level.WARNING
    assert level_of(4 * 60 + 59, 10, 0.5) == Level.OK
    assert level_of(8 * 60 + 59, 10, 0.9) == Level.OK
    assert level_of(9 * 60, 10, 0.9) == Level.WARNING


def test_a_service_without_a_target_never_warns():
    assert level_of(10_000, 0, 0.75) == Level.OK


def _timings(store, when):
    with store.read() as session:
        return {t.number: t for t in live_timings(session, when)}


def test_waiting_customers_have_a_running_wait_clock(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")  # A001: wait target 15 min, warning at 11:15
    issue(hall, clock, "BILL")  # C001: wait target 10 min, warning at 7:30

    now = _timings(hall, at("09:08"))
    assert (now["A001"].phase, now["A001"].seconds, now["A001"].target_min, now["A001"].level) == \
        ("wait", 480, 15, Level.OK)
    assert (now["C001"].phase, now["C001"].seconds, now["C001"].level) == ("wait", 480, Level.WARNING)
    assert now["A001"].counter_id is None

    later = _timings(hall, at("09:12"))
    assert (later["A001"].level, later["C001"].level) == (Level.WARNING, Level.BREACHED)


def test_a_called_customer_stops_the_wait_clock_and_starts_nothing_until_served(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:04"))
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    assert _timings(hall, at("09:30")) == {}

    clock.set(at("09:05"))
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    serving = _timings(hall, at("09:13"))["A001"]
    assert (serving.phase, serving.seconds, serving.target_min, serving.level) == ("service", 480, 10, Level.WARNING)
    assert serving.counter_id is not None


def test_a_parked_service_keeps_its_clock_running_but_a_parked_call_has_none(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")  # A001: parked while being served
    issue(hall, clock, "PLAN")  # B001: parked before the service started
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("09:02"))
    act(hall, clock, tickets.park, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.park, counter_number=1, staff_id=clerk)

    timings = _timings(hall, at("09:11"))
    assert set(timings) == {"A001"}
    assert (timings["A001"].phase, timings["A001"].seconds, timings["A001"].level) == \
        ("service", 660, Level.BREACHED)


def test_finished_visits_have_no_running_clock(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("09:03"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    assert _timings(hall, at("10:00")) == {}


def test_a_ticket_left_waiting_yesterday_has_no_clock_today(hall, clock):
    clock.set(at("17:00"))
    issue(hall, clock, "BB")  # the customer left without cancelling; the hall closed at 17:30
    tomorrow = at("17:00") + dt.timedelta(days=1)
    assert _timings(hall, tomorrow) == {}


def _service(store, code):
    with store.read() as session:
        service = session.exec(select(Service).where(Service.code == code)).one()
        session.expunge(service)
        return service


def _visit(store, clock, *, issued, called, started, finished):
    """One broadband customer from the kiosk to the end of their service at counter 1."""
    clock.set(at(issued))
    made = issue(store, clock, "BB")
    clock.set(at(called))
    clerk = open_counter(store, clock, 1, "S001")
    act(store, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    clock.set(at(started))
    act(store, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at(finished))
    act(store, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    return ticket(store, made.ticket_id)


def test_a_visit_within_its_targets_broke_nothing(hall, clock):
    done = _visit(hall, clock, issued="09:00", called="09:14:59", started="09:15", finished="09:24:59")
    assert visit_breaches(done, _service(hall, "BB")) == {"wait": False, "service": False}


def test_a_visit_breaks_its_wait_target_at_the_target_minute(hall, clock):
    done = _visit(hall, clock, issued="09:00", called="09:15", started="09:15", finished="09:20")
    assert visit_breaches(done, _service(hall, "BB")) == {"wait": True, "service": False}


def test_the_seed_visit_broke_its_service_target(hall, clock):
    # 08:57 ticket, called 09:06, served 09:07-09:33: 26 minutes against 10.
    done = _visit(hall, clock, issued="08:57", called="09:06", started="09:07", finished="09:33")
    assert visit_breaches(done, _service(hall, "BB")) == {"wait": False, "service": True}


def test_the_wait_of_a_recalled_customer_runs_to_the_last_call(hall, clock):
    clock.set(at("09:00"))
    made = issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:10"))
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    clock.set(at("09:16"))
    act(hall, clock, tickets.recall, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("09:18"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    assert visit_breaches(ticket(hall, made.ticket_id), _service(hall, "BB")) == {"wait": True, "service": False}
