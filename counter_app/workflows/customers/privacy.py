"""A customer's personal data under China's PIPL: masked wherever a customer or a bystander may see it, shown in
full only to an active staff member who says why (each view logged), exported on request (logged too), erased on request,
and purged once the retention period has passed. The statistics never change: a visit keeps its times, its
service and its (anonymous) customer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Feedback, IssuedDocument, Role, Service, ServiceOrder, Ticket
from counter_app.models.customers import CustomerAccount, CustomerPhone, FollowUpCall
from counter_app.models.db import after_commit
from counter_app.models.oversight import Customer, ExceptionApproval
from counter_app.workflows.core import bounds, events, lookup, masking
from counter_app.workflows.customers import records

# The branch's `customer_retention_days` (models/limits.py; purged when the day is closed, reports/closing.py):
# two years keep a year-on-year comparison and the time a complaint or a billing dispute may take; the at-risk
# view looks back 90 days only (docs/customers.md).
DEFAULT_RETENTION_DAYS = 730
MIN_RETENTION_DAYS = 90  # the loyalty view's window: a shorter period would blind it
ERASING_ROLES = {Role.SENIOR, Role.MANAGER, Role.ADMIN}
BATCH = 500


@dataclass(frozen=True)
class MaskedCustomer:
    """What a screen a customer or bystander may see shows of a customer (display, ticket, documents, the screen
    turned to the customer, the manager's tables)."""

    customer_id: int
    name: str
    phone: str | None
    account_no: str | None
    id_card: str  # the last 4 behind stars, or ""
    segment: str


def mask_id_last4(last4: str | None) -> str:
    return "*" * 14 + last4 if last4 else ""


def masked(customer: Customer) -> MaskedCustomer:
    return MaskedCustomer(customer.id, masking.mask_name(customer.name), masking.mask_phone(customer.phone or "")
                          or None, masking.mask_account(customer.account_no or "") or None,
                          mask_id_last4(customer.id_last4), customer.segment)


@dataclass(frozen=True)
class FullDetails:
    customer_id: int
    name: str
    accounts: list[str]
    phones: list[str]
    id_last4: str | None  # the whole number is never kept
    segment: str
    need: str
    monthly_spend: int
    customer_since: dt.date | None
    language: str
    consent_contact: bool
    consent_marketing: bool
    notes: str
    created_at: dt.datetime


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise AppError(N_("There is no customer record {id}."), id=customer_id)
    return customer


def _details(session: Session, customer: Customer) -> FullDetails:
    accounts = list(session.exec(select(CustomerAccount.account_no).where(CustomerAccount.customer_id == customer.id)
                                 .order_by(CustomerAccount.id)))
    phones = list(session.exec(select(CustomerPhone.phone).where(CustomerPhone.customer_id == customer.id)
                               .order_by(CustomerPhone.id)))
    return FullDetails(customer.id, customer.name, accounts, phones, customer.id_last4, customer.segment, customer.need,
                       customer.monthly_spend, customer.customer_since, customer.language, customer.consent_contact,
                       customer.consent_marketing, customer.notes, customer.created_at)


def full_details(session: Session, clock: Clock, *, customer_id: int, staff_id: int, why: str) -> FullDetails:
    """The customer's details unmasked, for an active staff member who says why; the view is logged."""
    now = clock.now()
    staff = lookup.staff_by_id(session, staff_id)  # refuses one who left
    if staff.locked_at is not None:
        raise AppError(N_("Unknown staff member."))
    why = bounds.text(why, field=N_("Why you need the full details"), limit=bounds.NOTE, required=True)
    customer = _customer(session, customer_id)
    if customer.erased_at is not None:
        raise AppError(N_("This customer's personal data was erased."))
    events.record(session, at=now, kind="customer_details_viewed", staff_id=staff.id, customer=customer.id, why=why)
    return _details(session, customer)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_customer(session: Session, customer_id: int) -> dict:
    """One customer's data (and that of records merged into theirs), JSON-ready: what the branch holds on them."""
    customer = _customer(session, customer_id)
    ids = records.linked_ids(session, customer.id)
    details = asdict(_details(session, customer))
    details["customer_since"], details["created_at"] = _iso(customer.customer_since), _iso(customer.created_at)
    codes = dict(session.exec(select(Service.id, Service.code)).all())
    legs = session.exec(select(Ticket).where(col(Ticket.customer_id).in_(ids)).order_by(Ticket.issued_at, Ticket.id))
    visits = [{"number": t.number, "day": _iso(t.business_date), "service": codes.get(t.service_id),
               "issued_at": _iso(t.issued_at), "called_at": _iso(t.called_at), "started_at": _iso(t.started_at),
               "finished_at": _iso(t.finished_at), "outcome": t.outcome, "reference": t.customer_ref}
              for t in legs]
    leg_ids = list(session.exec(select(Ticket.id).where(col(Ticket.customer_id).in_(ids))))
    approvals = [{"kind": a.kind, "reason": a.reason, "customer_explanation": a.customer_explanation,
                  "remedy": a.remedy, "amount": a.amount, "approved_at": _iso(a.approved_at)}
                 for a in session.exec(select(ExceptionApproval).where(col(ExceptionApproval.customer_id).in_(ids))
                                       .order_by(ExceptionApproval.approved_at))]
    feedback = [{"created_at": _iso(f.created_at), "rating": f.rating, "reason": f.reason, "comment": f.comment,
                 "complaint": f.is_complaint}
                for f in session.exec(select(Feedback).where(col(Feedback.ticket_id).in_(leg_ids))
                                      .order_by(Feedback.created_at))] if leg_ids else []
    documents = [{"kind": d.kind, "reference": d.reference, "created_at": _iso(d.created_at), "language": d.language}
                 for d in session.exec(select(IssuedDocument).where(col(IssuedDocument.customer_id).in_(ids))
                                       .order_by(IssuedDocument.created_at))]
    orders = [{"reference": o.reference, "created_at": _iso(o.created_at), "transaction": o.transaction,
               "product": o.product, "name": o.customer_name, "phone": o.customer_phone,
               "id_number": o.customer_id_number, "account": o.customer_account, "status": o.status}
              for o in session.exec(select(ServiceOrder).where(col(ServiceOrder.customer_id).in_(ids))
                                    .order_by(ServiceOrder.created_at))]
    calls = [{"called_at": _iso(c.called_at), "outcome": c.outcome}
             for c in session.exec(select(FollowUpCall).where(col(FollowUpCall.customer_id).in_(ids))
                                   .order_by(FollowUpCall.called_at))]
    return {"customer": details, "erased_at": _iso(customer.erased_at), "visits": visits, "approvals": approvals,
            "feedback": feedback, "documents": documents, "service_orders": orders, "follow_up_calls": calls}


def export_for(session: Session, clock: Clock, *, customer_id: int, staff_id: int) -> dict:
    """`export_customer` for an active staff member, at the customer's request: a full view of their data, so it
    is logged (`customer_data_exported`: who, when, which customer and the records merged into theirs)."""
    now = clock.now()
    staff = lookup.staff_by_id(session, staff_id)
    if staff.locked_at is not None:
        raise AppError(N_("Unknown staff member."))
    data = export_customer(session, customer_id)
    events.record(session, at=now, kind="customer_data_exported", staff_id=staff.id, customer=customer_id,
                  records=records.linked_ids(session, customer_id))
    return data


def _personal_values(session: Session, chunk: list[int]) -> tuple[set[str], list[str]]:
    """What identifies these customers as written anywhere (names, phones, accounts, ID numbers on their
    service orders), and the archived records (JSON beside each PDF) of their documents."""
    values: set[str] = set()
    for customer in session.exec(select(Customer).where(col(Customer.id).in_(chunk))):
        values.update(v for v in (customer.name, customer.phone, customer.account_no) if v)
    values.update(session.exec(select(CustomerPhone.phone).where(col(CustomerPhone.customer_id).in_(chunk))))
    values.update(session.exec(select(CustomerAccount.account_no).where(col(CustomerAccount.customer_id).in_(chunk))))
    orders = session.exec(select(ServiceOrder).where(col(ServiceOrder.customer_id).in_(chunk))).all()
    for order in orders:
        values.update(v for v in (order.customer_name, order.customer_phone, order.customer_id_number,
                                  order.customer_account) if v)
    documents = session.exec(select(IssuedDocument.path).where(sa.or_(
        col(IssuedDocument.customer_id).in_(chunk),
        col(IssuedDocument.service_order_id).in_([o.id for o in orders] or [-1])))).all()
    return {v for v in values if len(v) >= 2}, list(documents)


def _scrub_archive(relative_paths: list[str], values: set[str]) -> None:
    """After the erasure commits: every archived record of these documents loses the personal values (a reprint
    then prints blanks where they stood); the PDFs printed masked data only. A record that cannot be read or
    written is left and logged, never a reason to undo the erasure."""
    import json
    import logging

    from counter_app import paths
    from counter_app.workflows.core import files

    def scrub(value):
        if isinstance(value, str):
            for personal in sorted(values, key=len, reverse=True):
                value = value.replace(personal, "")
            return value
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        return value

    for relative in relative_paths:
        record = (paths.documents_dir() / relative).with_suffix(".json")
        try:
            if not record.is_file():
                continue
            data = json.loads(record.read_text(encoding="utf-8"))
            files.write_bytes_atomically(record, json.dumps(scrub(data), ensure_ascii=False, indent=1).encode("utf-8"))
        except (OSError, ValueError):
            logging.getLogger(__name__).warning("an archived record could not be scrubbed: %s", record)


def _anonymise(session: Session, ids: list[int], now: dt.datetime) -> None:
    """Nothing personal left on these records and their visits; the visits keep their times and customer."""
    for chunk in (ids[i:i + BATCH] for i in range(0, len(ids), BATCH)):
        values, documents = _personal_values(session, chunk)
        if documents and values:
            after_commit(session, lambda documents=documents, values=values: _scrub_archive(documents, values))
        refs = sorted(values)
        if refs:  # a visit that named them by phone or account without being linked to the record
            session.exec(sa.update(Ticket).where(col(Ticket.customer_ref).in_(refs)).values(customer_ref=None))
        session.exec(sa.delete(CustomerAccount).where(col(CustomerAccount.customer_id).in_(chunk)))
        session.exec(sa.delete(CustomerPhone).where(col(CustomerPhone.customer_id).in_(chunk)))
        session.exec(sa.update(Ticket).where(col(Ticket.customer_id).in_(chunk), col(Ticket.customer_ref).is_not(None))
                     .values(customer_ref=None))
        session.exec(sa.update(ServiceOrder).where(col(ServiceOrder.customer_id).in_(chunk))
                     .values(customer_name="", customer_phone="", customer_id_number="", customer_account=""))
        session.exec(sa.update(FollowUpCall).where(col(FollowUpCall.customer_id).in_(chunk)).values(outcome=""))
        session.exec(sa.update(Customer).where(col(Customer.id).in_(chunk)).values(
            name="", account_no=None, phone=None, id_last4=None, id_hash=None, need="", monthly_spend=0,
            customer_since=None, language="", consent_contact=False, consent_marketing=False, notes="",
            erased_at=sa.func.coalesce(Customer.erased_at, now)))
    session.expire_all()  # the rows in hand held the data just cleared


@dataclass(frozen=True)
class Erased:
    customer_id: int
    records: int  # this one and those merged into it


def erase(session: Session, clock: Clock, *, customer_id: int, staff_id: int, reason: str) -> Erased:
    """The customer asked to be forgotten: their record is anonymised (the segment stays, for the statistics)."""
    now = clock.now()
    staff = lookup.staff_by_id(session, staff_id)
    if staff.role not in ERASING_ROLES:
        raise AppError(N_("Only a senior clerk, a manager or an administrator can erase a customer's data."))
    reason = bounds.text(reason, field=N_("The reason for the erasure"), limit=bounds.NOTE, required=True)
    customer = _customer(session, customer_id)
    if customer.erased_at is not None:
        raise AppError(N_("This customer's personal data was erased."))
    ids = records.linked_ids(session, customer.id)
    _anonymise(session, ids, now)
    events.record(session, at=now, kind="customer_erased", staff_id=staff.id, customer=customer_id, records=len(ids),
                  reason=reason)
    return Erased(customer_id, len(ids))


@dataclass(frozen=True)
class Purged:
    before: dt.datetime
    tickets: int  # visits whose customer reference was dropped
    service_orders: int
    customers: int  # records anonymised: no visit since `before`


def purge_expired(session: Session, clock: Clock, *, retention_days: int = DEFAULT_RETENTION_DAYS,
                  staff_id: int | None = None) -> Purged:
    """Drop the personal data of visits older than the retention period, and anonymise the customers not seen
    since; the visits keep their times, so the statistics stay as they were."""
    now = clock.now()
    retention_days = bounds.whole(retention_days, field=N_("The retention period in days"), low=MIN_RETENTION_DAYS,
                                  high=100 * 366)
    before = now - dt.timedelta(days=retention_days)
    tickets = session.exec(sa.update(Ticket).where(Ticket.business_date < before.date(),
                                                   col(Ticket.customer_ref).is_not(None))
                           .values(customer_ref=None)).rowcount or 0
    # the archived records of those old orders' documents lose the same values once this commits
    old_orders = session.exec(select(ServiceOrder).where(
        ServiceOrder.created_at < before,
        (ServiceOrder.customer_name != "") | (ServiceOrder.customer_phone != "")
        | (ServiceOrder.customer_id_number != "") | (ServiceOrder.customer_account != ""))).all()
    values = {v for o in old_orders for v in (o.customer_name, o.customer_phone, o.customer_id_number,
                                              o.customer_account) if v and len(v) >= 2}
    documents = list(session.exec(select(IssuedDocument.path).where(
        col(IssuedDocument.service_order_id).in_([o.id for o in old_orders] or [-1]))))
    if documents and values:
        after_commit(session, lambda: _scrub_archive(documents, values))
    orders = session.exec(sa.update(ServiceOrder).where(
        ServiceOrder.created_at < before,
        (ServiceOrder.customer_name != "") | (ServiceOrder.customer_phone != "")
        | (ServiceOrder.customer_id_number != "") | (ServiceOrder.customer_account != ""))
        .values(customer_name="", customer_phone="", customer_id_number="", customer_account="")).rowcount or 0
    recent = select(Ticket.id).where(Ticket.customer_id == Customer.id, Ticket.issued_at >= before).exists()
    stale = list(session.exec(select(Customer.id).where(Customer.erased_at.is_(None), Customer.created_at < before,
                                                        ~recent)))
    _anonymise(session, stale, now)
    if not (tickets or orders or stale):
        return Purged(before, 0, 0, 0)  # run at every closing of the day: a purge of nothing is no event
    events.record(session, at=now, kind="customer_data_purged", staff_id=staff_id, retention_days=retention_days,
                  before=before.isoformat(), tickets=tickets, service_orders=orders, customers=len(stale))
    return Purged(before, tickets, orders, len(stale))
