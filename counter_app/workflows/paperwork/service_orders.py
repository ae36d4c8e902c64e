"""The business done at the counter (业务受理): what the acceptance form and the receipt describe.

An order is a small state machine, written down in ORDER_TRANSITIONS:

    draft ──confirm (acceptance form issued)──▶ confirmed ──sign──▶ signed
      └──────────cancel──────────▶ cancelled ◀──────cancel──────┘
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import LANGUAGES, N_
from counter_app.models import Customer, OrderStatus, Service, ServiceOrder, Ticket
from counter_app.workflows.core import bounds, events, lookup
from counter_app.workflows.customers import records
from counter_app.workflows.paperwork.render.data import LineItem, PaymentMethod, Transaction
from counter_app.workflows.queue.tickets import Change

S = OrderStatus
# The one place that says which step is allowed from which state.
ORDER_TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {"confirm": S.CONFIRMED, "cancel": S.CANCELLED},
    S.CONFIRMED: {"sign": S.SIGNED, "cancel": S.CANCELLED},
    S.SIGNED: {},
    S.CANCELLED: {},
}
STATE_TEXT = {
    S.DRAFT: N_("being entered"),
    S.CONFIRMED: N_("waiting for the customer's signature"),
    S.SIGNED: N_("signed"),
    S.CANCELLED: N_("cancelled"),
}
# The kind of business a service usually is; the clerk may say otherwise.
SERVICE_TRANSACTION = {
    "BB": Transaction.RENEWAL,
    "PLAN": Transaction.PLAN_CHANGE,
    "NEW": Transaction.NEW_LINE,
    "BILL": Transaction.BILL_PAYMENT,
}
PHONE = records.PHONE  # one rule for a mobile number, the customer record's
CENT = Decimal("0.01")
# Any constant: on PostgreSQL two PCs numbering the same day's references take turns.
_PG_NUMBERING_LOCK = 7_301_175


@dataclass(frozen=True)
class OrderCreated:
    order_id: int
    reference: str
    change: Change


# -- numbering ---------------------------------------------------------------------------------


def serialise_numbering(session: Session) -> None:
    """SQLite writers already take turns (BEGIN IMMEDIATE); PostgreSQL needs a lock for daily numbers."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text(f"SELECT pg_advisory_xact_lock({_PG_NUMBERING_LOCK})"))


def next_reference(session: Session, column: Any, prefix: str, day: dt.date) -> str:
    """The day's next reference for a prefix: SO-20260302-0001, ACC-20260302-0002 …"""
    serialise_numbering(session)
    stem = f"{prefix}-{day:%Y%m%d}-"
    last = session.exec(select(func.max(column)).where(column.like(f"{stem}%"))).one()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:04d}"


# -- reading back ------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (01-31 + 1 → 02-28)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def items_of(order: ServiceOrder) -> tuple[LineItem, ...]:
    return tuple(LineItem(i["description"], Decimal(i["amount"]), int(i["quantity"])) for i in json.loads(order.items))


def get_order(session: Session, order_id: int) -> ServiceOrder:
    order = session.get(ServiceOrder, order_id)
    if order is None:
        raise AppError(N_("That order does not exist."))
    return order


def move(order: ServiceOrder, action: str) -> str:
    """The state an allowed step leads to; a refusal that names the order's state otherwise."""
    allowed = ORDER_TRANSITIONS[order.status]
    if action not in allowed:
        if action == "sign" and order.status == S.DRAFT:
            raise AppError(N_("Print the acceptance form of {reference} for the customer to read before they sign."),
                           reference=order.reference)
        raise AppError(N_("Order {reference} is {state}: that step is not possible now."),
                       reference=order.reference, state=STATE_TEXT[order.status])
    return allowed[action]


# -- validation --------------------------------------------------------------------------------


def _amount(value: Any, description: str) -> Decimal:
    return bounds.amount(value, field=description)


def _quantity(value: Any) -> int | None:
    try:
        return bounds.whole(value, field="quantity", low=1, high=bounds.MAX_QUANTITY)
    except AppError:
        return None


def clean_items(items: list[dict]) -> list[dict]:
    """Each item with a description, an amount in yuan (two decimals) and a whole quantity of at least 1."""
    cleaned = []
    for item in items:
        description = bounds.text(item.get("description"), field=N_("An item's description"), limit=bounds.ITEM)
        if not description:
            raise AppError(N_("Every item needs a description."))
        amount = _amount(item.get("amount", ""), description)
        quantity = _quantity(item.get("quantity", 1))
        if quantity is None:
            raise AppError(N_("The quantity of \"{item}\" must be a whole number from 1 to {limit}."), item=description,
                           limit=bounds.MAX_QUANTITY)
        cleaned.append({"description": description, "amount": str(amount), "quantity": quantity})
    return cleaned


def _phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value or "")
    if phone and not PHONE.match(phone):
        raise AppError(N_("The mobile number must have 11 digits, e.g. 13812341234."))
    return phone


def _effective_to(effective_from: dt.date, term_months: int | None, effective_to: dt.date | None) -> dt.date | None:
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        raise AppError(N_("Give the date the business takes effect."))
    if term_months is not None and (isinstance(term_months, bool) or not isinstance(term_months, int)
                                    or term_months <= 0):
        raise AppError(N_("The term must be a whole number of months, at least 1."))
    if effective_to is None and term_months is not None:
        effective_to = add_months(effective_from, term_months) - dt.timedelta(days=1)
    if effective_to is not None and effective_to <= effective_from:
        raise AppError(N_("The end date ({end}) must be after the start date ({start})."),
                       end=effective_to.isoformat(), start=effective_from.isoformat())
    return effective_to


def _link_customer(session: Session, now: dt.datetime, ticket: Ticket, phone: str, account: str,
                   name: str) -> Customer | None:
    """The visit's customer; one identified only on the order is found (or recorded) and linked to the visit."""
    refs = []
    for ref in (account, phone):
        if not ref:
            continue
        try:
            refs.append(records.normalise_ref(ref))
        except AppError:
            continue  # an account written in another form: the order still keeps it as given
    customer = session.get(Customer, ticket.customer_id) if ticket.customer_id is not None else None
    if customer is None and refs:
        found = [c for c in (records.find(session, ref) for ref in refs) if c is not None]
        customer = found[0] if found else records.find_or_create(session, now, refs[0], name)
        ticket.customer_id = customer.id
        ticket.customer_ref = ticket.customer_ref or refs[0]
        session.add(ticket)
    if customer is not None:
        for ref in refs:  # account and phone on one record, so either finds the customer next time (F6)
            records.remember(session, customer, ref)
    return customer


# -- actions -----------------------------------------------------------------------------------


def create_service_order(
    session: Session,
    clock: Clock,
    *,
    counter_number: int,
    staff_id: int,
    product: str,
    effective_from: dt.date,
    items: list[dict],
    payment_method: str,
    term_months: int | None = None,
    effective_to: dt.date | None = None,
    transaction: str | None = None,
    customer_name: str = "",
    customer_phone: str = "",
    customer_id_number: str = "",
    customer_account: str = "",
    language: str = "zh_CN",
) -> OrderCreated:
    """Record the business the clerk is doing for the customer at the counter, before any form is printed."""
    now = clock.now()
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    ticket = lookup.current_ticket(session, counter.id)
    if ticket is None:
        raise AppError(N_("Counter {number} has no customer at the moment."), number=counter_number)
    service = session.get(Service, ticket.service_id)
    product = bounds.text(product, field=N_("The product or plan"), limit=bounds.PRODUCT)
    if not product:
        raise AppError(N_("Enter the product or plan the customer is taking."))
    customer_name = bounds.text(customer_name, field=N_("The customer's name"), limit=bounds.NAME)
    customer_id_number = bounds.text(customer_id_number, field=N_("The ID number"), limit=bounds.ID_NUMBER)
    customer_account = bounds.text(customer_account, field=N_("The account number"), limit=bounds.ID_NUMBER)
    bounds.plausible_date(effective_from, field=N_("The date the business takes effect"), today=now.date())
    if term_months is not None:
        term_months = bounds.whole(term_months, field=N_("The term in months"), low=1, high=bounds.MAX_TERM_MONTHS)
    cleaned = clean_items(items)
    effective_to = _effective_to(effective_from, term_months, effective_to)
    if payment_method not in set(PaymentMethod):
        raise AppError(N_("Unknown payment method: {method}."), method=str(payment_method))
    total = sum((Decimal(i["amount"]) * i["quantity"] for i in cleaned), Decimal("0.00"))
    if total > 0 and payment_method == PaymentMethod.NONE:
        raise AppError(N_("Choose how the customer pays the {total} yuan."), total=str(total))
    transaction = transaction or SERVICE_TRANSACTION.get(service.code, Transaction.OTHER)
    if transaction not in set(Transaction):
        raise AppError(N_("Unknown kind of business: {transaction}."), transaction=str(transaction))
    if language not in LANGUAGES:
        raise AppError(N_("Unknown language for the documents: {language}."), language=str(language))
    phone = _phone(customer_phone)
    customer = _link_customer(session, now, ticket, phone, customer_account.strip(), customer_name.strip())
    order = ServiceOrder(
        reference=next_reference(session, ServiceOrder.reference, "SO", now.date()),
        ticket_id=ticket.id,
        customer_id=customer.id if customer else None,
        service_id=service.id,
        staff_id=staff_id,
        counter_id=counter.id,
        created_at=now,
        transaction=str(transaction),
        product=product,
        term_months=term_months,
        effective_from=effective_from,
        effective_to=effective_to,
        items=json.dumps(cleaned, ensure_ascii=False),
        payment_method=str(payment_method),
        customer_name=customer_name.strip() or (customer.name if customer else ""),
        customer_phone=phone or ((customer.phone or "") if customer else ""),
        customer_id_number=customer_id_number.strip(),
        customer_account=customer_account.strip() or ((customer.account_no or "") if customer else ""),
        language=language,
        status=S.DRAFT,
    )
    session.add(order)
    session.flush()
    events.record(session, at=now, kind="order_created", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=service.id, order=order.id, reference=order.reference,
                  transaction=order.transaction, total=str(total))
    return OrderCreated(order.id, order.reference, Change("order_created", ticket.id, ticket.number, counter.number))


def sign_order(session: Session, clock: Clock, *, order_id: int, staff_id: int) -> Change:
    """The customer signed the printed acceptance form."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    order = get_order(session, order_id)
    order.status = move(order, "sign")
    order.signed_at = now
    session.add(order)
    events.record(session, at=now, kind="order_signed", staff_id=staff_id, counter_id=order.counter_id,
                  ticket_id=order.ticket_id, order=order.id, reference=order.reference)
    return _change("order_signed", session, order)


def cancel_order(session: Session, clock: Clock, *, order_id: int, staff_id: int, reason: str = "") -> Change:
    """The customer changed their mind before signing, or the clerk entered the wrong business."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    order = get_order(session, order_id)
    order.status = move(order, "cancel")
    session.add(order)
    events.record(session, at=now, kind="order_cancelled", staff_id=staff_id, counter_id=order.counter_id,
                  ticket_id=order.ticket_id, order=order.id, reference=order.reference, reason=reason.strip())
    return _change("order_cancelled", session, order)


def _change(kind: str, session: Session, order: ServiceOrder) -> Change:
    ticket = session.get(Ticket, order.ticket_id) if order.ticket_id else None
    return Change(kind, order.ticket_id, ticket.number if ticket else None)
