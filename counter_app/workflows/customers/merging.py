"""Merging two records found to be one person: a senior clerk's or a manager's call, with their own staff id and a
reason, recorded in the event log.

The visits, documents, service orders, follow-up calls, accounts and phones move to the kept record; the other
keeps its row, marked `merged_into`, so that anything still naming it (an old event, a printed reference) leads
to the kept one (`records.live`). The duty managers' approvals stay on the record they were made for: each is
a granting record hashed whole in the event log (core/audit.py), and moving it would make `audit verify` name
it as changed. Every read of a customer's approvals and history takes the merged records in
(`records.linked_ids`), so the next clerk sees them all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import IssuedDocument, Role, ServiceOrder, Ticket
from counter_app.models.customers import NOTES, CustomerAccount, CustomerPhone, FollowUpCall
from counter_app.models.oversight import Customer
from counter_app.workflows.core import bounds, events, lookup
from counter_app.workflows.customers import segments

MERGING_ROLES = {Role.SENIOR, Role.MANAGER}


@dataclass(frozen=True)
class Merged:
    kept_id: int
    merged_id: int
    visits: int  # ticket legs moved
    documents: int
    accounts: int
    phones: int


def _live_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.erased_at is not None:
        raise AppError(N_("There is no customer record {id}."), id=customer_id)
    if customer.merged_into_id is not None:
        raise AppError(N_("Customer record {id} was already merged into {other}."), id=customer_id,
                       other=customer.merged_into_id)
    return customer


def merge(session: Session, clock: Clock, *, keep_id: int, merge_id: int, staff_id: int, reason: str) -> Merged:
    """Merge record `merge_id` into `keep_id`: both histories stay, under the kept record."""
    now = clock.now()
    staff = lookup.staff_by_id(session, staff_id)
    if staff.role not in MERGING_ROLES or not staff.active:
        raise AppError(N_("Only a senior clerk or a manager can merge two customer records."))
    reason = bounds.text(reason, field=N_("The reason for the merge"), limit=bounds.NOTE, required=True)
    if keep_id == merge_id:
        raise AppError(N_("Choose two different customer records to merge."))
    kept, other = _live_customer(session, keep_id), _live_customer(session, merge_id)

    def move(model, column: str = "customer_id") -> int:
        field = getattr(model, column)
        return session.exec(sa.update(model).where(field == other.id).values({column: kept.id})).rowcount or 0

    visits = move(Ticket)
    documents = move(IssuedDocument)
    move(ServiceOrder)
    move(FollowUpCall)
    accounts = move(CustomerAccount)
    has = set(session.exec(select(CustomerPhone.phone).where(CustomerPhone.customer_id == kept.id)))
    phones = 0
    for row in session.exec(select(CustomerPhone).where(CustomerPhone.customer_id == other.id)).all():
        if row.phone in has:
            session.delete(row)
        else:
            row.customer_id = kept.id
            session.add(row)
            phones += 1
    # What the kept record lacks, it takes from the other; the other keeps nothing that finds the person.
    taken = {name: getattr(other, name) for name in ("account_no", "phone", "id_last4", "id_hash")}
    other.account_no = other.phone = other.id_last4 = other.id_hash = None
    other.merged_into_id = kept.id
    session.add(other)
    session.flush()
    for name, value in taken.items():
        if getattr(kept, name) is None and value is not None:
            setattr(kept, name, value)
    kept.name = kept.name or other.name
    kept.need = kept.need or other.need
    kept.language = kept.language or other.language
    kept.monthly_spend = max(kept.monthly_spend, other.monthly_spend)
    if other.customer_since and (kept.customer_since is None or other.customer_since < kept.customer_since):
        kept.customer_since = other.customer_since
    kept.notes = "\n".join(n for n in (kept.notes, other.notes) if n)[:NOTES]
    session.add(kept)
    session.flush()
    segments.resegment(session, today=now.date(), customer_ids=[kept.id])
    events.record(session, at=now, kind="customers_merged", staff_id=staff.id, customer=kept.id,
                  merged=other.id, reason=reason, visits=visits, documents=documents, accounts=accounts, phones=phones)
    return Merged(kept.id, other.id, visits, documents, accounts, phones)
