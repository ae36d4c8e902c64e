"""Priority in the queue, by rules that are data: tiers, and ageing.

A ticket's tier (0: ordinary) comes from its service (VIP) or is given to a waiting customer by staff — an
elderly or disabled customer, an expectant mother, a VIP recognised, an appointment — with the reason
recorded. So that no ordinary customer waits for ever behind a stream of priority ones, a customer who has
waited the branch's `priority_ageing_minutes` is called like the highest tier (docs/decisions.md).

The calling rule — call-next takes, and a counter's waiting list shows, the waiting tickets in this order:
1. the tier, highest first (an aged ticket counts as the top tier);
2. within a tier, the counter's preference among its services (`CounterService.rank`, lower first; the
   branch sets it as a counter's "preference" in the setup file). A counter whose services all share one rank
   has no preference, and its ORDER BY is exactly the one without this step, so that the first waiting
   ticket is still read from the index `ix_ticket_waiting` (tests/models/test_query_plans.py);
3. the place in the queue (the first leg's issue time: a transfer keeps it), earliest first;
4. the ticket's id, so two tickets taken in the same second keep the order they were taken in.
So a preferred service never goes before a higher tier, and an aged ticket of another service goes before a
preferred one that has not aged. The estimate of a new ticket's wait follows the same rule (queue/eta.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, Role, Ticket, TicketState
from counter_app.models.limits import SERVICE_LIMITS
from counter_app.workflows.core import events, lookup
from counter_app.workflows.queue import hours

TOP_TIER = int(SERVICE_LIMITS["priority"][1])
REASONS = {
    "elderly": N_("Elderly customer"),
    "disabled": N_("Customer with a disability"),
    "expectant": N_("Expectant mother"),
    "vip": N_("VIP customer"),
    "appointment": N_("Appointment"),
}
GIVEN_TIER = 1  # staff give the first priority tier; the VIP service's own tier is its setting
KIOSK = "kiosk"  # the customer chose the priority button at the kiosk (elderly, disabled, expectant mother)


def calling_order(session: Session, now: dt.datetime, *, counter_id: int | None = None) -> list[ColumnElement]:
    """ORDER BY for the queue, in the order call-next takes it (the module's rule): the tier (an aged ticket as
    the top one), the preference of the counter `counter_id` among its services (if it has one), the place in
    the queue, the ticket."""
    session.flush()  # the look-ups below are Core statements: settings changed in this transaction count
    ageing = ageing_minutes(session)
    ranks = dict(lookup.counter_services(session, counter_id)) if counter_id is not None else {}
    return order_by(aged=now - dt.timedelta(minutes=ageing) if ageing else None, ranks=ranks)




def ageing_minutes(session: Session) -> int:
    """The branch's `priority_ageing_minutes` (0: no ageing), kept with the hall's calendar (queue/hours.py)."""
    return hours.ageing_minutes(session)


def order_by(*, aged: dt.datetime | BindParameter | None, ranks: dict[int, int]) -> list[ColumnElement]:
    """The calling rule as ORDER BY: `aged`, the queue time at or before which a ticket counts as the top tier
    (None: no ageing); `ranks`, the counter's rank of each of its services (all equal: no preference)."""
    ticket = Ticket.__table__.c
    if aged is not None:
        tier = case((ticket.queue_at <= aged, TOP_TIER), else_=ticket.priority).desc()
    else:
        tier = ticket.priority.desc()
    preference = _preference(ranks)
    return [tier, *([preference] if preference is not None else []), ticket.queue_at, ticket.id]


def has_preference(ranks: dict[int, int]) -> bool:
    """Whether a counter prefers some of its services to others (ranks not all equal)."""
    return len(set(ranks.values())) >= 2


def _preference(ranks: dict[int, int]) -> ColumnElement | None:
    """The counter's rank of a ticket's service, as SQL; None where the counter prefers none of its services."""
    if not has_preference(ranks):
        return None
    # a service the counter does not serve (the waiting list reads the whole queue) comes last
    return case(ranks, value=Ticket.__table__.c.service_id, else_=max(ranks.values()) + 1)


def give_priority(session: Session, clock: Clock, *, ticket_id: int, staff_id: int, reason: str) -> Ticket:
    """Staff at work (at a counter, or the duty manager on duty, or a senior clerk on the floor) give a waiting
    customer the first priority tier, for a reason the record keeps."""
    if reason not in REASONS:
        raise AppError(N_("Choose why this customer is given priority."))
    staff = lookup.staff_by_id(session, staff_id)
    at_counter = session.exec(select(Counter.id).where(Counter.staff_id == staff.id).limit(1)).first()
    if at_counter is None and staff.on_duty_since is None and staff.role not in (Role.SENIOR, Role.MANAGER):
        raise AppError(N_("Only staff at work can give a customer priority."))
    ticket = session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None:
        raise AppError(N_("That ticket does not exist."))
    if ticket.state != TicketState.WAITING:
        raise AppError(N_("{ticket} is no longer waiting."), ticket=ticket.number)
    if ticket.priority >= GIVEN_TIER:
        raise AppError(N_("{ticket} already has priority."), ticket=ticket.number)
    ticket.priority = GIVEN_TIER
    session.add(ticket)
    events.record(session, at=clock.now(), kind="priority_given", staff_id=staff.id, ticket_id=ticket.id,
                  service_id=ticket.service_id, number=ticket.number, reason=reason, tier=GIVEN_TIER)
    return ticket
