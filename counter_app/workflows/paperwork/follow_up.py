"""The help requests a duty manager follows up with a notice: the visit a request was about, and the
resolved requests whose served customer is still owed the printed explanation (F4, F8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.models import Customer, Outcome, Ticket, TicketState
from counter_app.models.oversight import Escalation, EscalationState
from counter_app.workflows.oversight import escalation
from counter_app.workflows.paperwork import contents
from counter_app.workflows.paperwork.issuing import notice_settled, order_language
from counter_app.workflows.queue.hours import trading_day


@dataclass(frozen=True)
class HelpVisit:
    """The visit a help request was about, as the duty manager needs it to follow the request up."""

    ticket_id: int | None  # None: help was asked with nobody at the counter
    customer_ref: str | None  # the customer's account or mobile, to prefill an approval
    served: bool  # the visit ended with the customer served: an apology notice can be offered
    language: str | None  # the language of the visit's order, if any


def _served(legs: list[Ticket]) -> bool:
    """The visit's last leg ended with the customer served (not transferred on, not a no-show)."""
    return legs[-1].state == TicketState.DONE and legs[-1].outcome == Outcome.SERVED


def help_visit(session: Session, *, escalation_id: int) -> HelpVisit:
    """The help request's visit: its ticket, its customer, whether it ended served, its order's language."""
    request = session.get(Escalation, escalation_id)
    ticket_id = request.ticket_id if request is not None else None
    ticket = session.get(Ticket, ticket_id) if ticket_id else None
    if ticket is None:
        return HelpVisit(ticket_id, None, False, None)
    legs = contents.visit_legs(session, ticket)
    customer = session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    ref = (customer.account_no or customer.phone) if customer else ticket.customer_ref
    return HelpVisit(ticket_id, ref, _served(legs), order_language(session, [leg.id for leg in legs]))


def help_notices_owed(session: Session, clock: Clock) -> list[escalation.EscalationLine]:
    """Help requests resolved today whose customer was served and whose notice is not yet printed, saved or
    declined; oldest resolved first.

    A resolved request drops out of the open list, but its customer is owed the explanation on paper: the
    duty manager keeps it in view until the notice is settled, wherever the clerk's counter is by then.
    """
    now = clock.now()
    midnight = dt.datetime.combine(trading_day(session, now), dt.time())  # the business day's start
    owed = []
    for request in session.exec(select(Escalation).where(
            Escalation.state == EscalationState.RESOLVED, Escalation.resolved_at >= midnight,
            Escalation.ticket_id.is_not(None)).order_by(Escalation.resolved_at)):
        legs = contents.visit_legs(session, session.get(Ticket, request.ticket_id))
        if _served(legs) and not notice_settled(session, [leg.id for leg in legs]):
            owed += [line for line in escalation.escalation_lines(session, now, include_resolved=True,
                                                                   ticket_id=request.ticket_id)
                     if line.escalation_id == request.id]
    return owed
