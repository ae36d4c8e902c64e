"""Priority by rule: staff give a waiting customer priority for a recorded reason, and ageing keeps an
ordinary customer from waiting for ever behind a stream of priority tickets."""

import json

import pytest
from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, events, issue, refused
from sqlmodel import update

from counter_app.models import BranchSettings
from counter_app.workflows.queue import priority, tickets


def call_order(store, clock, counter: int, clerk: int, count: int) -> list[str]:
    called = []
    for _ in range(count):
        called.append(act(store, clock, tickets.call_next, counter_number=counter, staff_id=clerk).number)
        act(store, clock, tickets.start_service, counter_number=counter, staff_id=clerk)
        act(store, clock, tickets.finish_service, counter_number=counter, staff_id=clerk)
    return called


def test_a_customer_given_priority_is_called_before_the_older_tickets_of_the_service(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    for _ in range(5):
        issue(hall, clock, "BB")
        clock.advance(minutes=1)
    elderly = issue(hall, clock, "BB")  # A006, an elderly customer the floor walker sees
    act(hall, clock, priority.give_priority, ticket_id=elderly.ticket_id, staff_id=clerk, reason="elderly")

    assert call_order(hall, clock, 1, clerk, 3) == ["A006", "A001", "A002"]
    [given] = events(hall, "priority_given")
    assert json.loads(given.data)["reason"] == "elderly" and given.staff_id == clerk


def test_an_ordinary_customer_who_has_waited_the_ageing_time_goes_before_newer_priority_ones(hall, clock):
    clerk = open_counter(hall, clock, 6, "S001")  # counter 6 serves VIP (tier 1) and BB
    clock.set(at("09:00"))
    ordinary = issue(hall, clock, "BB")  # A001 at 09:00
    clock.set(at("09:15"))
    issue(hall, clock, "VIP")  # V001
    clock.set(at("09:16"))
    issue(hall, clock, "VIP")  # V002
    clock.set(at("09:19"))
    # 19 minutes: not aged yet (the demo's rule is 20), the VIP tier goes first
    assert call_order(hall, clock, 6, clerk, 1) == ["V001"]
    clock.set(at("09:21"))
    # A001 has waited 21 minutes: called like the top tier, before the newer V002
    assert call_order(hall, clock, 6, clerk, 2) == [ordinary.number, "V002"]


def test_without_ageing_priority_tiers_always_go_first(hall, clock):
    with hall.write() as session:
        session.exec(update(BranchSettings).values(priority_ageing_minutes=0))
    clerk = open_counter(hall, clock, 6, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clock.set(at("10:00"))
    issue(hall, clock, "VIP")
    assert call_order(hall, clock, 6, clerk, 2) == ["V001", "A001"]


def test_priority_is_refused_with_a_reason_when_it_cannot_be_given(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    waiting = issue(hall, clock, "BB")
    vip = issue(hall, clock, "VIP")
    assert refused(hall, clock, priority.give_priority, ticket_id=waiting.ticket_id, staff_id=clerk,
                   reason="because") == "Choose why this customer is given priority."
    assert refused(hall, clock, priority.give_priority, ticket_id=vip.ticket_id, staff_id=clerk,
                   reason="vip") == "V001 already has priority."
    away = staff_id(hall, "S004")  # a clerk not signed in anywhere
    assert refused(hall, clock, priority.give_priority, ticket_id=waiting.ticket_id, staff_id=away,
                   reason="elderly") == "Only staff at work can give a customer priority."
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    assert refused(hall, clock, priority.give_priority, ticket_id=waiting.ticket_id, staff_id=clerk,
                   reason="elderly") == "A001 is no longer waiting."
    assert events(hall, "priority_given") == []


@pytest.mark.parametrize("reason", sorted(priority.REASONS))
def test_every_reason_is_recorded(hall, clock, reason):
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    ticket = issue(hall, clock, "BB")
    assert act(hall, clock, priority.give_priority, ticket_id=ticket.ticket_id, staff_id=clerk,
               reason=reason).priority == priority.GIVEN_TIER
    assert json.loads(events(hall, "priority_given")[0].data)["reason"] == reason
