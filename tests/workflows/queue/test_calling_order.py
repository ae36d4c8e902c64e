"""Call-next follows the calling rule (queue/priority.py) whichever way it reads the queue: a random morning of
tiers, services and ageing, called one by one, against the rule written out in Python."""

import datetime as dt
import random

import pytest
from helpers.fixtures import at, open_counter
from helpers.story import act
from sqlmodel import select
from test_preference import prefer

from counter_app.models import Ticket, TicketState
from counter_app.workflows.core import lookup
from counter_app.workflows.queue import priority, tickets

CODES = ("BB", "BILL", "PLAN")  # counter 1's services in the demo hall


def expected_next(store, now: dt.datetime, ageing: int, ranks: dict[int, int]) -> str:
    """The rule in Python: the tier (aged: the top one), the counter's rank of the service, the queue time, the id."""
    with store.read() as session:
        waiting = session.exec(select(Ticket).where(Ticket.state == TicketState.WAITING)).all()
    aged = now - dt.timedelta(minutes=ageing)

    def key(ticket: Ticket):
        tier = priority.TOP_TIER if ageing and ticket.queue_at <= aged else ticket.priority
        return (-tier, ranks.get(ticket.service_id, 0), ticket.queue_at, ticket.id)

    return min(waiting, key=key).number


@pytest.mark.parametrize("preferred", [None, "BILL"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_call_next_calls_in_the_rules_order(hall, clock, seed, preferred):
    chance = random.Random(seed)
    clerk = open_counter(hall, clock, 1, "S001")
    if preferred:
        prefer(hall, 1, preferred)
    with hall.read() as session:
        ageing = priority.ageing_minutes(session)
        counter = lookup.counter_row(session, 1)
        ranks = dict(lookup.counter_services(session, counter.id))
    assert ageing, "the demo hall ages tickets: the rule's hard part is tested"
    moment, waiting, called = at("08:55"), 0, 0
    for _ in range(160):  # a morning: customers come as others are called, some given a tier at the kiosk
        moment += dt.timedelta(minutes=chance.choice((0, 1, 1, 2)), seconds=chance.choice((0, 0, 30)))
        clock.set(moment)
        if waiting < 3 or chance.random() < 0.55:
            with hall.write() as session:
                tickets.issue_ticket(session, clock, service_code=chance.choice(CODES),
                                     priority=chance.choice((None, None, None, 1, 2)))
            waiting += 1
            continue
        want = expected_next(hall, moment, ageing, ranks if priority.has_preference(ranks) else {})
        assert act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk).number == want
        act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
        act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
        waiting, called = waiting - 1, called + 1
    assert called > 40
