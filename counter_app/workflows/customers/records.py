"""Finding the customer at the counter, and what the next clerk must see at once (F6)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session, or_, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Staff, Ticket
from counter_app.models.oversight import Customer, ExceptionApproval
from counter_app.workflows.core import bounds, events, lookup

PHONE = re.compile(r"^1\d{10}$")  # a mainland mobile number
COUNTRY_CODE = re.compile(r"^(\+86|0086)(?=1\d{10}$)")
ACCOUNT = re.compile(r"^[A-Z0-9]{4,40}$")


def normalise_ref(ref: str) -> str:
    """One spelling per customer: spaces and dashes dropped, +86 dropped from a mobile, accounts upper case.

    Without it "138 0013 8000" and "+86 13800138000" would be two customers, and an exception approved
    for one would not show when the next clerk opens the other (F6).
    """
    cleaned = COUNTRY_CODE.sub("", re.sub(r"[\s-]", "", ref or "")).upper()
    if not (PHONE.match(cleaned) or ACCOUNT.match(cleaned)):
        raise AppError(N_("Enter the customer's account number or 11-digit mobile number."))
    return cleaned


def find(session: Session, ref: str) -> Customer | None:
    ref = normalise_ref(ref)
    return session.exec(select(Customer).where(or_(Customer.account_no == ref, Customer.phone == ref))).first()


def find_or_create(session: Session, now: dt.datetime, ref: str, name: str = "") -> Customer:
    name = bounds.text(name, field=N_("The customer's name"), limit=bounds.NAME)
    ref = normalise_ref(ref)
    customer = find(session, ref)
    if customer is None:
        is_phone = bool(PHONE.match(ref))
        customer = Customer(account_no=None if is_phone else ref, phone=ref if is_phone else None, name=name,
                            created_at=now)
        session.add(customer)
        session.flush()
    return customer


def remember(session: Session, customer: Customer, ref: str) -> None:
    """Keep a second identifier on the customer (the phone beside the account, or the other way round),
    so whichever one the next clerk types finds the same record (F6).

    Nothing changes when the customer already has that kind of identifier, when the reference is not one,
    or when it already belongs to a different customer: merging two records is not the counter's call.
    """
    try:
        ref = normalise_ref(ref)
    except AppError:
        return
    column = "phone" if PHONE.match(ref) else "account_no"
    if getattr(customer, column) or find(session, ref) is not None:
        return
    setattr(customer, column, ref)
    session.add(customer)


@dataclass(frozen=True)
class ApprovedException:
    approval_id: int
    kind: str
    reason: str
    customer_explanation: str
    remedy: str
    amount: str
    approved_by: str
    approved_at: dt.datetime
    requested_by: str


@dataclass(frozen=True)
class CustomerCard:
    customer_id: int
    account_no: str | None
    phone: str | None
    name: str
    exceptions: list[ApprovedException]
    visits: int


def exceptions_of(session: Session, customer_id: int) -> list[ApprovedException]:
    names = {s.id: s.name for s in session.exec(select(Staff))}
    rows = session.exec(select(ExceptionApproval).where(ExceptionApproval.customer_id == customer_id)
                        .order_by(ExceptionApproval.approved_at.desc())).all()
    return [ApprovedException(a.id, a.kind, a.reason, a.customer_explanation, a.remedy, a.amount,
                              names.get(a.approved_by, "?"), a.approved_at, names.get(a.requested_by, "?"))
            for a in rows]


def card(session: Session, customer: Customer) -> CustomerCard:
    visits = len(session.exec(select(Ticket.id).where(Ticket.customer_id == customer.id,
                                                        Ticket.transferred_from_id.is_(None))).all())
    return CustomerCard(customer.id, customer.account_no, customer.phone, customer.name,
                        exceptions_of(session, customer.id), visits)


def open_customer(session: Session, clock: Clock, *, counter_number: int, staff_id: int, ref: str,
                  name: str = "") -> CustomerCard:
    """The clerk identifies the customer at the counter; the current visit is linked to them."""
    now = clock.now()
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    ticket = lookup.current_ticket(session, counter.id)
    known = session.get(Customer, ticket.customer_id) if ticket is not None and ticket.customer_id else None
    if known is not None and find(session, ref) is None:
        remember(session, known, ref)  # the visit's customer, now also known by this reference
    customer = find_or_create(session, now, ref, name)
    if ticket is not None and ticket.customer_id != customer.id:
        # The reference the clerk identified them by replaces what was typed at the kiosk or opened by mistake.
        ticket.customer_id = customer.id
        ticket.customer_ref = customer.account_no or customer.phone
        session.add(ticket)
    events.record(session, at=now, kind="customer_opened", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id if ticket else None, customer=customer.id,
                  exceptions=len(exceptions_of(session, customer.id)))
    return card(session, customer)


def ticket_customer_card(session: Session, _clock: Clock, *, ticket_id: int) -> CustomerCard | None:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.customer_id is None:
        return None
    customer = session.get(Customer, ticket.customer_id)
    return card(session, customer) if customer else None
