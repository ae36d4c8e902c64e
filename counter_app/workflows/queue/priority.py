"""Priority in the queue, by rules that are data: tiers, and ageing.

A ticket's tier (0: ordinary) comes from its service (VIP) or is given to a waiting customer by staff — an
elderly or disabled customer, an expectant mother, a VIP recognised, an appointment — with the reason
recorded. Call-next takes the highest tier first, then the earliest place in the queue. So that no ordinary
customer waits for ever behind a stream of priority ones, a customer who has waited the branch's
`priority_ageing_minutes` is called like the highest tier (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, Role, Ticket, TicketState
from counter_app.models.limits import SERVICE_LIMITS
from counter_app.workflows.core import events, lookup
from counter_app.workflows.queue.hours import branch_settings

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


def calling_order(session: Session, now: dt.datetime) -> list[ColumnElement]:
    """ORDER BY for the queue, in the order call-next takes it: the tier (an aged ticket as the top one), the
    place in the queue, the ticket."""
    ageing = branch_settings(session).priority_ageing_minutes
    if not ageing:
        return [Ticket.priority.desc(), Ticket.queue_at, Ticket.id]
    aged = now - dt.timedelta(minutes=ageing)
    return [case((Ticket.queue_at <= aged, TOP_TIER), else_=Ticket.priority).desc(), Ticket.queue_at, Ticket.id]


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
