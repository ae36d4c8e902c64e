"""Finding the customer at the counter, and what the next clerk must see at once (F6)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Staff, Ticket
from counter_app.models.customers import CustomerAccount, CustomerPhone
from counter_app.models.oversight import Customer, ExceptionApproval
from counter_app.workflows.core import bounds, events, lookup
from counter_app.workflows.customers import identity

PHONE = re.compile(r"^1\d{10}$")  # a mainland mobile number
COUNTRY_CODE = re.compile(r"^(\+86|0086)(?=1\d{10}$)")
ACCOUNT = re.compile(r"^[A-Z0-9]{4,40}$")
TICKET_NUMBER = re.compile(r"^[A-Z]{1,3}\d{3,6}$")  # A012, as printed on the ticket (queue/visits.py)


def normalise_ref(ref: str) -> str:
    """One spelling per customer: spaces and dashes dropped, +86 dropped from a mobile, accounts upper case.

    Without it "138 0013 8000" and "+86 13800138000" would be two customers, and an exception approved
    for one would not show when the next clerk opens the other (F6).
    """
    cleaned = COUNTRY_CODE.sub("", re.sub(r"[\s-]", "", ref or "")).upper()
    if not (PHONE.match(cleaned) or ACCOUNT.match(cleaned)):
        raise AppError(N_("Enter the customer's account number or 11-digit mobile number."))
    return cleaned


def live(session: Session, customer: Customer | None) -> Customer | None:
    """The record a customer is kept in now: a merged record's, followed to the one it joined; None if erased."""
    seen: set[int] = set()
    while customer is not None and customer.merged_into_id is not None and customer.id not in seen:
        seen.add(customer.id)
        customer = session.get(Customer, customer.merged_into_id)
    return None if customer is None or customer.erased_at is not None else customer


def linked_ids(session: Session, customer_id: int) -> list[int]:
    """The customer's id and those of every record merged into it (and into those): their history is one."""
    found, frontier = [customer_id], [customer_id]
    while frontier:
        frontier = [i for i in session.exec(select(Customer.id).where(col(Customer.merged_into_id).in_(frontier)))
                    if i not in found]
        found += frontier
    return found


def find(session: Session, ref: str) -> Customer | None:
    """The customer an account or mobile number names (the first recorded, if a family shares a phone)."""
    ref = normalise_ref(ref)
    if PHONE.match(ref):
        owner = session.exec(select(CustomerPhone.customer_id).where(CustomerPhone.phone == ref)
                             .order_by(CustomerPhone.customer_id).limit(1)).first()
    else:
        owner = session.exec(select(CustomerAccount.customer_id).where(CustomerAccount.account_no == ref)).first()
    if owner is None:  # a row written before revision 0018's tables, or by hand
        owner = session.exec(select(Customer.id).where((Customer.account_no == ref) | (Customer.phone == ref))
                             .order_by(Customer.id).limit(1)).first()
    return live(session, session.get(Customer, owner)) if owner is not None else None


def attach(session: Session, customer: Customer, ref: str, at: dt.datetime) -> bool:
    """Record an account or phone (normalised) on this customer; the first of each kind becomes the one shown.

    Returns False when an account already belongs to another customer (an account names one customer).
    """
    if PHONE.match(ref):
        if session.exec(select(CustomerPhone.id).where(CustomerPhone.customer_id == customer.id,
                                                       CustomerPhone.phone == ref)).first() is None:
            session.add(CustomerPhone(customer_id=customer.id, phone=ref, added_at=at))
        customer.phone = customer.phone or ref
    else:
        owner = session.exec(select(CustomerAccount.customer_id).where(CustomerAccount.account_no == ref)).first()
        if owner is not None and owner != customer.id:
            return False
        if owner is None:
            session.add(CustomerAccount(customer_id=customer.id, account_no=ref, added_at=at))
        if customer.account_no is None and session.exec(select(Customer.id).where(
                Customer.account_no == ref)).first() is None:
            customer.account_no = ref
    session.add(customer)
    session.flush()
    return True


def find_or_create(session: Session, now: dt.datetime, ref: str, name: str = "") -> Customer:
    name = bounds.text(name, field=N_("The customer's name"), limit=bounds.NAME)
    ref = normalise_ref(ref)
    customer = find(session, ref)
    if customer is None:
        customer = Customer(name=name, created_at=now)
        session.add(customer)
        session.flush()
        attach(session, customer, ref, now)
    return customer


def find_by_id_number(session: Session, id_number: str) -> Customer | None:
    """The customer whose ID-card hash matches the whole number typed (nothing else of it is kept)."""
    digest = identity.id_hash(session, id_number, create=False)
    if digest is None:
        return None
    found = session.exec(select(Customer).where(Customer.id_hash == digest).order_by(Customer.id).limit(1)).first()
    return live(session, found)


def candidates_by_id_last4(session: Session, last4: str, *, limit: int = 20) -> list[Customer]:
    """The customers whose ID card ends so: a list to choose from with the customer, never a match on its own."""
    last4 = re.sub(r"\s", "", last4 or "").upper()
    if not identity.LAST4.match(last4):
        return []
    rows = session.exec(select(Customer).where(Customer.id_last4 == last4, Customer.erased_at.is_(None),
                                               Customer.merged_into_id.is_(None))
                        .order_by(Customer.id).limit(limit)).all()
    return list(rows)


def find_by_ticket(session: Session, now: dt.datetime, number: str) -> Customer | None:
    """The customer of a ticket number taken in the last day (the number the customer holds, e.g. A012)."""
    number = (number or "").strip().upper()
    if not TICKET_NUMBER.match(number):
        return None
    row = session.exec(select(Ticket.customer_id, Ticket.customer_ref).where(
        Ticket.business_date >= (now - dt.timedelta(days=1)).date(), Ticket.number == number,
        Ticket.issued_at <= now).order_by(Ticket.issued_at.desc(), Ticket.id.desc()).limit(1)).first()
    if row is None:
        return None
    customer_id, ref = row
    if customer_id is not None:
        return live(session, session.get(Customer, customer_id))
    try:
        return find(session, ref) if ref else None
    except AppError:
        return None


@dataclass(frozen=True)
class Found:
    customer: Customer
    how: str  # account / phone / id_number / id_last4 / ticket


def search(session: Session, clock: Clock, text: str) -> list[Found]:
    """Whatever the clerk typed — an account, a mobile, a whole ID number, an ID card's last 4 or today's ticket
    number — the customers it may name, surest first. Never refuses: text that names nobody finds nobody."""
    text = str(text or "")[:80]
    found: list[Found] = []

    def add(customer: Customer | None, how: str) -> None:
        if customer is not None and all(f.customer.id != customer.id for f in found):
            found.append(Found(customer, how))

    if identity.is_id_number(text):
        add(find_by_id_number(session, text), "id_number")
    try:
        ref = normalise_ref(text)
    except AppError:
        ref = None
    if ref is not None:
        add(find(session, ref), "phone" if PHONE.match(ref) else "account")
    add(find_by_ticket(session, clock.now(), text), "ticket")
    for customer in candidates_by_id_last4(session, text):
        add(customer, "id_last4")
    return found


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
    attach(session, customer, ref, customer.created_at)


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
    segment: str = ""
    language: str = ""


def exceptions_of(session: Session, customer_id: int) -> list[ApprovedException]:
    """The approved exceptions, newest first, of this customer and of every record merged into theirs (an
    approval is a granting record, hashed whole in the event log: a merge leaves it on the record it was made
    for, and the lookups follow the merge)."""
    rows = session.exec(select(ExceptionApproval)
                        .where(col(ExceptionApproval.customer_id).in_(linked_ids(session, customer_id)))
                        .order_by(ExceptionApproval.approved_at.desc(), ExceptionApproval.id.desc())).all()
    wanted = {a.approved_by for a in rows} | {a.requested_by for a in rows}
    names = dict(session.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_(wanted))).all()) if wanted else {}
    return [ApprovedException(a.id, a.kind, a.reason, a.customer_explanation, a.remedy, a.amount,
                              names.get(a.approved_by, "?"), a.approved_at, names.get(a.requested_by, "?"))
            for a in rows]


def card(session: Session, customer: Customer) -> CustomerCard:
    visits = len(session.exec(select(Ticket.id).where(col(Ticket.customer_id).in_(linked_ids(session, customer.id)),
                                                        Ticket.transferred_from_id.is_(None))).all())
    return CustomerCard(customer.id, customer.account_no, customer.phone, customer.name,
                        exceptions_of(session, customer.id), visits, customer.segment, customer.language)


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
