"""Tables for watching over the queue: alerts, help requests and escalations, approved exceptions, customers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Column, Index, Text, text
from sqlmodel import Field, SQLModel

from counter_app.models.customers import CUSTOMER_LIMITS
from counter_app.models.limits import checks


class AlertKind(StrEnum):
    IDLE_COUNTER = "idle_counter"  # customers wait while a logged-in counter sits idle (F1)
    IDLE_BREACH = "idle_breach"  # ... past a service's idle breach mark (Service.idle_breach_min)
    WAIT_WARNING = "wait_warning"
    WAIT_BREACH = "wait_breach"
    SERVICE_WARNING = "service_warning"
    SERVICE_BREACH = "service_breach"
    QUEUE_LENGTH = "queue_length"  # the whole hall (BranchSettings.max_queue_length)
    SERVICE_QUEUE_WARNING = "service_queue_warning"  # one service's queue (Service.queue_warning_len)
    SERVICE_QUEUE_BREACH = "service_queue_breach"  # (Service.queue_breach_len)
    REVIEW_OVERDUE = "review_overdue"  # a department's order review past its deadline (planning desk, to PMC)


class EscalationState(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    HANDED_UP = "handed_up"  # passed to the duty manager
    RESOLVED = "resolved"


class HelpRoute(StrEnum):
    MENTOR = "mentor"
    SENIOR = "senior"
    MANAGER = "manager"


class BreachCause(StrEnum):
    SYSTEM_DATA = "system_data"
    TRAINING = "training"
    STAFFING = "staffing"
    CUSTOMER_SIDE = "customer_side"
    OTHER = "other"


class ExceptionKind(StrEnum):
    ARREARS_SETTLED = "arrears_settled"
    FEE_WAIVER = "fee_waiver"
    BACKDATED_RENEWAL = "backdated_renewal"
    GOODWILL = "goodwill"
    OTHER = "other"


class Alert(SQLModel, table=True):
    """A condition that needs a person's eye; raised once per condition, then acknowledged and resolved."""

    __tablename__ = "alert"
    __table_args__ = (
        # at most one unresolved alert per condition, also with several PCs evaluating at once
        Index("uq_alert_open_condition", "condition", unique=True,
              sqlite_where=text("resolved_at IS NULL"), postgresql_where=text("resolved_at IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30, index=True)
    condition: str = Field(max_length=80)  # e.g. "wait_breach:ticket:12", "idle_counter:counter:3"
    severity: str = Field(max_length=10)  # warning / breach
    raised_at: NaiveDatetime = Field(index=True)
    acknowledged_at: NaiveDatetime | None = None
    acknowledged_by: int | None = Field(default=None, foreign_key="staff.id")
    resolved_at: NaiveDatetime | None = None
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    service_id: int | None = Field(default=None, foreign_key="service.id")
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))


def _default(value: str) -> dict:
    return {"server_default": value}


class Customer(SQLModel, table=True):
    """The customer as the branch knows them: found again by any of their accounts (models/customers.py
    CustomerAccount), phones, ID-card digits or today's ticket; their segment and value; their consents.

    `account_no` and `phone` are the first account and phone (what the counter shows); every one the customer
    is found by is in `customer_account` / `customer_phone`. The ID card is never kept: only its last 4 and a
    salted hash of the whole number (workflows/customers/identity.py). An erased customer keeps the row, with
    nothing personal left, so that their visits still count; a merged one points at the record it joined.
    """

    __tablename__ = "customer"
    __table_args__ = checks("customer", CUSTOMER_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    account_no: str | None = Field(default=None, max_length=40, index=True, unique=True)
    phone: str | None = Field(default=None, max_length=20, index=True)
    name: str = ""
    created_at: NaiveDatetime
    id_last4: str | None = Field(default=None, max_length=4, index=True)
    id_hash: str | None = Field(default=None, max_length=64, index=True)
    segment: str = Field(default="", max_length=20, sa_column_kwargs=_default(""))  # a SegmentRule.code
    need: str = Field(default="", max_length=20, sa_column_kwargs=_default(""))  # e.g. priority_care
    monthly_spend: int = Field(default=0, sa_column_kwargs=_default("0"))  # whole yuan
    customer_since: dt.date | None = None  # the tenure counts from here
    language: str = Field(default="", max_length=10, sa_column_kwargs=_default(""))  # zh / en; "": the branch's
    consent_contact: bool = Field(default=False, sa_column_kwargs=_default("0"))  # may be called after a visit
    consent_marketing: bool = Field(default=False, sa_column_kwargs=_default("0"))
    notes: str = Field(default="", max_length=500, sa_column_kwargs=_default(""))
    erased_at: NaiveDatetime | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="customer.id", index=True)


class Escalation(SQLModel, table=True):
    """A clerk's request for help, from asking to resolution; every step is an EscalationStep."""

    __tablename__ = "escalation"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    route: str = Field(max_length=10)  # mentor / senior / manager: who was asked first
    state: str = Field(default=EscalationState.REQUESTED, max_length=12, index=True)
    reason: str = ""
    auto: bool = False  # raised by the service target, not by a person
    requested_by: int | None = Field(default=None, foreign_key="staff.id")
    requested_at: NaiveDatetime
    accepted_by: int | None = Field(default=None, foreign_key="staff.id")
    accepted_at: NaiveDatetime | None = None
    handed_up_at: NaiveDatetime | None = None
    resolved_by: int | None = Field(default=None, foreign_key="staff.id")
    resolved_at: NaiveDatetime | None = None
    resolution_note: str = ""
    customer_explanation: str = ""


class EscalationStep(SQLModel, table=True):
    __tablename__ = "escalation_step"
    id: int | None = Field(default=None, primary_key=True)
    escalation_id: int = Field(foreign_key="escalation.id", index=True)
    at: NaiveDatetime
    action: str = Field(max_length=20)  # requested / accepted / handed_up / resolved
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    note: str = ""


class ExceptionApproval(SQLModel, table=True):
    """A duty manager's approval of an exception, kept on the customer so it is never rediscovered (F6)."""

    __tablename__ = "exception_approval"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)  # a visit's approvals
    escalation_id: int | None = Field(default=None, foreign_key="escalation.id")
    kind: str = Field(max_length=20)
    reason: str
    customer_explanation: str
    remedy: str = ""
    amount: str = ""  # yuan, as entered (Decimal text), empty when no money is involved
    requested_by: int = Field(foreign_key="staff.id")
    approved_by: int = Field(foreign_key="staff.id")
    approved_at: NaiveDatetime
