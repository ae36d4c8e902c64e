"""The estimate on a ticket follows the calling rule with ageing: a priority ticket counts the ordinary
customers who have waited the ageing time, or will have by the time it is reached; an ordinary ticket counts
the priority ones waiting.

In the demo hall broadband (BB) takes 4 minutes before any service is timed, customers age at 20 minutes, and
here only counter 1 is open for it, busy with A001: a customer with k people ahead waits (k + 0.5) x 4 minutes,
rounded up (eta.estimate: every open counter busy)."""

from helpers.fixtures import at, open_counter
from helpers.story import act, issue
from sqlmodel import update

from counter_app.models import BranchSettings
from counter_app.workflows.queue import tickets


def counter_1_busy_from_nine(hall, clock) -> int:
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    issue(hall, clock, "BB")  # A001
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    return clerk


def ordinary(hall, clock, *times: str) -> None:
    for hhmm in times:
        clock.set(at(hhmm))
        issue(hall, clock, "BB")


def test_a_priority_ticket_counts_those_aged_already_and_those_who_age_before_it_is_reached(hall, clock):
    clerk = counter_1_busy_from_nine(hall, clock)
    # A002 09:00, A003 09:05, A004 09:10, A005 09:13: they age at 09:20, 09:25, 09:30, 09:33
    ordinary(hall, clock, "09:00", "09:05", "09:10", "09:13")
    clock.set(at("09:22"))
    elderly = issue(hall, clock, "BB", priority_reason="kiosk")  # A006, tier 1
    # Nobody of its tier is ahead. A002 has aged: 1 ahead, expected at 09:22 + 6 = 09:28, by when A003 has aged
    # too: 2 ahead, 09:32, A004 as well: 3 ahead, 09:36, and A005: 4 ahead, 09:22 + 18 = 09:40. Nobody else.
    assert (elderly.ahead, elderly.wait_minutes, elderly.expected_call_at) == (4, 18, at("09:40"))

    # At 09:40 call-next indeed takes the four aged customers first.
    clock.set(at("09:40"))
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)  # A001 served meanwhile
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    called = []
    for _ in range(5):
        called.append(act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk).number)
        act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
        act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    assert called == ["A002", "A003", "A004", "A005", "A006"]


def test_a_priority_ticket_reached_before_the_others_age_counts_none_of_them(hall, clock):
    counter_1_busy_from_nine(hall, clock)
    ordinary(hall, clock, "09:00", "09:05")  # age at 09:20 and 09:25
    clock.set(at("09:06"))
    elderly = issue(hall, clock, "BB", priority_reason="kiosk")
    assert (elderly.ahead, elderly.wait_minutes) == (0, 2)  # expected at 09:08: half the service in progress


def test_a_priority_ticket_counts_its_own_tier_and_the_aged_behind_it(hall, clock):
    counter_1_busy_from_nine(hall, clock)
    ordinary(hall, clock, "09:00")  # A002 ages at 09:20
    clock.set(at("09:12"))
    issue(hall, clock, "BB", priority_reason="kiosk")  # A003, tier 1
    clock.set(at("09:14"))
    second = issue(hall, clock, "BB", priority_reason="kiosk")  # A004, tier 1
    # A003 is ahead: expected at 09:14 + 6 = 09:20, the moment A002 ages: 2 ahead, 09:14 + 10 = 09:24.
    assert (second.ahead, second.wait_minutes) == (2, 10)


def test_an_ordinary_ticket_counts_the_priority_ones_waiting(hall, clock):
    counter_1_busy_from_nine(hall, clock)
    ordinary(hall, clock, "09:01")  # A002
    clock.set(at("09:02"))
    issue(hall, clock, "BB", priority_reason="kiosk")  # A003, tier 1, called before A002
    clock.set(at("09:03"))
    last = issue(hall, clock, "BB")  # A004
    assert (last.ahead, last.wait_minutes) == (2, 10)
    clock.set(at("09:04"))
    # A later priority ticket: A003 ahead; A002 ages at 09:21, after the expected call at 09:04 + 6 = 09:10
    assert (issue(hall, clock, "BB", priority_reason="kiosk").ahead) == 1


def test_without_ageing_a_priority_ticket_counts_only_its_tier_and_above(hall, clock):
    with hall.write() as session:
        session.exec(update(BranchSettings).values(priority_ageing_minutes=0))
    counter_1_busy_from_nine(hall, clock)
    ordinary(hall, clock, "09:00", "09:05")
    clock.set(at("09:40"))  # an hour would change nothing: nobody ages
    elderly = issue(hall, clock, "BB", priority_reason="kiosk")
    assert (elderly.ahead, elderly.wait_minutes) == (0, 2)


def test_before_opening_the_ageing_runs_from_the_ticket_and_the_call_from_opening(hall, clock):
    with hall.write() as session:
        session.exec(update(BranchSettings).values(priority_ageing_minutes=10))
    # The kiosk issues from 08:45; no counter is open, so the five that serve broadband share the queue.
    ordinary(hall, clock, "08:45", "08:46")  # they age at 08:55 and 08:56, before the hall opens at 09:00
    clock.set(at("08:50"))
    elderly = issue(hall, clock, "BB", priority_reason="kiosk")
    # Both will have aged by 09:00: 2 ahead, 2 x 4 minutes over 5 counters = 2 minutes after opening.
    assert elderly.early
    assert (elderly.ahead, elderly.expected_call_at, elderly.wait_minutes) == (2, at("09:02"), 12)
