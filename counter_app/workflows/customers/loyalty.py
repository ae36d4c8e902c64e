"""Keeping valuable customers: the high-value customers waiting right now (so the duty manager can step in before
a second bad visit), and the follow-up calls made to customers at risk, with what each came to.

Which customers are at risk is judged from their visits' breaches and complaints, which the queue measures:
`workflows/oversight/customer_history.py` (`at_risk`), above the queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Ticket, TicketState
from counter_app.models.customers import OUTCOME, FollowUpCall
from counter_app.models.oversight import Customer
from counter_app.workflows.core import bounds, events, lookup, masking
from counter_app.workflows.customers import records, segments


@dataclass(frozen=True)
class WaitingCustomer:
    ticket_id: int
    number: str
    customer_id: int
    name_masked: str  # the manager's table may be seen by others: masked (docs/customers.md)
    segment: str
    tier: int
    waiting_since: dt.datetime
    waited_s: int


def waiting_high_value(session: Session, now: dt.datetime) -> list[WaitingCustomer]:
    """The customers of a high-value segment waiting now (identified at the kiosk or linked), longest first."""
    known = segments.segments(session)
    high = {code for code, segment in known.items() if segment.high_value}
    waiting = session.exec(select(Ticket).where(Ticket.state == TicketState.WAITING)
                           .order_by(Ticket.queue_at, Ticket.id)).all()
    found: list[WaitingCustomer] = []
    for ticket in waiting:  # the waiting room, not the year: tens of rows
        customer = session.get(Customer, ticket.customer_id) if ticket.customer_id else None
        if customer is None and ticket.customer_ref:
            try:
                customer = records.find(session, ticket.customer_ref)
            except AppError:
                customer = None
        customer = records.live(session, customer)
        if customer is None or customer.segment not in high:
            continue
        seg = known[customer.segment]
        found.append(WaitingCustomer(ticket.id, ticket.number, customer.id, masking.mask_name(customer.name),
                                     customer.segment, seg.tier, ticket.queue_at,
                                     max(0, int((now - ticket.queue_at).total_seconds()))))
    return found


@dataclass(frozen=True)
class CallRecorded:
    call_id: int
    customer_id: int
    staff_id: int
    called_at: dt.datetime


def record_call(session: Session, clock: Clock, *, customer_id: int, staff_id: int, outcome: str) -> CallRecorded:
    """A follow-up call made, and what it came to (e.g. "apologised; bill corrected; happy to stay")."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    outcome = bounds.text(outcome, field=N_("The call's outcome"), limit=OUTCOME, required=True)
    customer = records.live(session, session.get(Customer, customer_id))
    if customer is None:
        raise AppError(N_("There is no customer record {id}."), id=customer_id)
    if not customer.consent_contact:
        raise AppError(N_("This customer has not agreed to be called after a visit."))
    call = FollowUpCall(customer_id=customer.id, staff_id=staff_id, called_at=now, outcome=outcome)
    session.add(call)
    session.flush()
    events.record(session, at=now, kind="follow_up_call_recorded", staff_id=staff_id, customer=customer.id,
                  call=call.id)
    return CallRecorded(call.id, customer.id, staff_id, now)


def follow_up_calls(session: Session, customer_id: int) -> list[FollowUpCall]:
    """The calls made to this customer (and to records merged into theirs), newest first."""
    return list(session.exec(select(FollowUpCall)
                             .where(col(FollowUpCall.customer_id).in_(records.linked_ids(session, customer_id)))
                             .order_by(FollowUpCall.called_at.desc(), FollowUpCall.id.desc())))
