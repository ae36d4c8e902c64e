"""Duty-manager approval of an exception: own credential at the moment of approval, a reason and the
explanation the customer will read (F5); kept on the customer's record (F6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, Role, Staff, Ticket
from counter_app.models.oversight import Customer, Escalation, ExceptionApproval, ExceptionKind
from counter_app.workflows.core import audit, auth, events, lookup
from counter_app.workflows.customers import records
from counter_app.workflows.queue.tickets import Change

KIND_TEXT = {
    ExceptionKind.ARREARS_SETTLED: N_("Old arrears already settled"),
    ExceptionKind.FEE_WAIVER: N_("Fee waiver"),
    ExceptionKind.BACKDATED_RENEWAL: N_("Backdated renewal"),
    ExceptionKind.GOODWILL: N_("Goodwill remedy"),
    ExceptionKind.OTHER: N_("Other exception"),
}


def _yuan(amount: str) -> str:
    """A non-negative sum of yuan, at most to the fen, or "" when no money is involved."""
    if not amount.strip():
        return ""
    try:
        value = Decimal(amount.strip())
        # NaN and Infinity are Decimals too; a sum too large for the context fails to quantize.
        if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
            raise InvalidOperation
        return str(value.quantize(Decimal("0.01")))
    except InvalidOperation as exc:
        raise AppError(N_("The amount must be a number of yuan, e.g. 120.00.")) from exc


@dataclass(frozen=True)
class Approval:
    approval_id: int
    customer_id: int
    approved_by: int
    approved_by_name: str
    approved_at: dt.datetime
    change: Change


def _signed_in(session: Session, staff_id: int) -> bool:
    """Signed in now: at a counter, or on duty at the manager window."""
    staff = session.get(Staff, staff_id)
    if staff is None:
        return False
    at_counter = session.exec(select(Counter.id).where(Counter.staff_id == staff_id).limit(1)).first()
    return at_counter is not None or staff.on_duty_since is not None


def approve_exception(
    session: Session,
    clock: Clock,
    *,
    manager_staff_no: str,
    manager_password: str,
    requested_by: int | None = None,
    kind: str,
    reason: str,
    customer_explanation: str,
    customer_ref: str | None = None,
    ticket_id: int | None = None,
    escalation_id: int | None = None,
    remedy: str = "",
    amount: str = "",
) -> Approval:
    """Approve an exception; refused unless a duty manager re-enters their own credential now."""
    now = clock.now()
    manager = auth.authenticate(session, staff_no=manager_staff_no, password=manager_password, clock=clock,
                                 where="approval")
    if manager.role != Role.MANAGER:
        raise AppError(N_("Only a duty manager can approve an exception."))
    if escalation_id is not None:
        # The help request says who asked and for which visit: the form cannot say otherwise.
        escalation = session.get(Escalation, escalation_id)
        if escalation is None:
            raise AppError(N_("That help request does not exist."))
        if escalation.requested_by is not None:
            if requested_by is not None and requested_by != escalation.requested_by:
                raise AppError(N_("This help request was asked by another clerk: the approval is for them."))
            requested_by = escalation.requested_by
        if ticket_id is not None and escalation.ticket_id is not None and ticket_id != escalation.ticket_id:
            raise AppError(N_("This help request is for another ticket."))
        if ticket_id is None:
            ticket_id = escalation.ticket_id
    else:
        # Without a help request the visit says who asked: the clerk serving it. An argument never does: a
        # caller cannot put an approval on another clerk's name.
        visit = session.get(Ticket, ticket_id) if ticket_id is not None else None
        if ticket_id is not None and visit is None:
            raise AppError(N_("That ticket does not exist."))
        if visit is not None and visit.staff_id is not None:
            if requested_by is not None and requested_by != visit.staff_id:
                raise AppError(N_("This visit is served by another clerk: the approval is for them."))
            requested_by = visit.staff_id
        elif requested_by is not None and not _signed_in(session, requested_by):
            # No visit and no help request (a settlement recorded on a customer alone): the requester must be
            # someone signed in now, at a counter or on duty, not any staff number a caller names.
            raise AppError(N_("Only someone signed in now, at a counter or on duty, can ask for an exception."))
    if requested_by is None:
        raise AppError(N_("Say which clerk asked for the exception."))
    if manager.id == requested_by:
        raise AppError(N_("Nobody approves their own request: another duty manager must approve it."))
    if kind not in set(ExceptionKind):
        raise AppError(N_("Choose what kind of exception is approved."))
    if not reason.strip():
        raise AppError(N_("Give the reason for the approval."))
    if not customer_explanation.strip():
        raise AppError(N_("Write the explanation the customer will read."))
    amount = _yuan(amount)
    lookup.staff_by_id(session, requested_by)
    ticket = session.get(Ticket, ticket_id) if ticket_id is not None else None
    if ticket_id is not None and ticket is None:
        raise AppError(N_("That ticket does not exist."))
    if customer_ref:
        customer = records.find_or_create(session, now, customer_ref)
    elif ticket is not None and ticket.customer_id is not None:
        customer = session.get(Customer, ticket.customer_id)
    else:
        raise AppError(N_("Identify the customer (account number or mobile) so the approval stays on their record."))
    if ticket is not None and ticket.customer_id is None:
        ticket.customer_id = customer.id
        session.add(ticket)
    approval = ExceptionApproval(
        customer_id=customer.id, ticket_id=ticket.id if ticket else None, escalation_id=escalation_id, kind=kind,
        reason=reason.strip(), customer_explanation=customer_explanation.strip(), remedy=remedy.strip(),
        amount=amount, requested_by=requested_by, approved_by=manager.id, approved_at=now,
    )
    session.add(approval)
    session.flush()
    events.record(session, at=now, kind="exception_approved", staff_id=manager.id,
                  ticket_id=ticket.id if ticket else None, approval=approval.id, customer=customer.id,
                  exception_kind=kind, requested_by=requested_by,
                  content=audit.content_hash(approval))  # the whole approval is in the chain (audit.py)
    return Approval(approval.id, customer.id, manager.id, manager.name, now,
                    Change("exception_approved", ticket.id if ticket else None, ticket.number if ticket else None))
