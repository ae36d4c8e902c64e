"""What each printed document shows: plain frozen records that the workflows fill from the store.

Names and free texts (branch, service, product, explanations, terms) arrive already in the
customer's language; the renderers translate only their own labels. Times are naive branch-local
datetimes, like everything in the store. Amounts are Decimal yuan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from counter_app.i18n import N_


def minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    """Whole minutes from start to end, rounded half up: what a customer would call "36 minutes"."""
    if start is None or end is None:
        return None
    return whole_minutes(int((end - start).total_seconds()))


def whole_minutes(seconds: int) -> int:
    """Seconds as whole minutes, rounded half up (never below 0)."""
    return (max(0, seconds) + 30) // 60


@dataclass(frozen=True)
class VisitTimes:
    """A visit's moments (its first issue; the last leg's call, start and finish), and its wait and service.

    The wait and service are the reports' (workflows/visits.py): each leg's added up, a transferred leg
    waiting from the transfer. A record kept before they were (None) shows the moments' differences,
    as it did when it was printed.
    """

    issued_at: dt.datetime
    called_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    wait_seconds: int | None = None
    service_seconds: int | None = None

    @property
    def wait_minutes(self) -> int | None:
        if self.wait_seconds is not None:
            return whole_minutes(self.wait_seconds)
        return minutes_between(self.issued_at, self.called_at)

    @property
    def service_minutes(self) -> int | None:
        if self.service_seconds is not None:
            return whole_minutes(self.service_seconds)
        return minutes_between(self.started_at, self.finished_at)

    @property
    def total_minutes(self) -> int | None:
        return minutes_between(self.issued_at, self.finished_at)


@dataclass(frozen=True)
class QueueTicketData:
    reference: str  # what the QR code carries; unique across days, e.g. "20260302-A001"
    number: str
    service_name: str
    branch_name: str
    issued_at: dt.datetime
    people_ahead: int
    estimated_wait_minutes: int
    opens_at: dt.datetime | None = None  # set when the ticket was taken before serving starts (F1)
    estimated_call_at: dt.datetime | None = None
    reprint: bool = False
    branch_contact: str = ""  # the address and hotline under the name, when the branch gave them
    feedback_address: str = ""  # where customers send feedback (a URL, an e-mail), printed when the branch gave one


@dataclass(frozen=True)
class LineItem:
    description: str
    amount: Decimal
    quantity: int = 1

    @property
    def total(self) -> Decimal:
        return self.amount * self.quantity

    @property
    def text(self) -> str:
        return self.description if self.quantity == 1 else f"{self.description} × {self.quantity}"


class PaymentMethod(StrEnum):
    CASH = "cash"
    BANK_CARD = "bank_card"
    WECHAT_PAY = "wechat_pay"
    ALIPAY = "alipay"
    ACCOUNT = "account"  # charged to the customer's telecom account
    NONE = "none"  # nothing to pay


PAYMENT_TEXT = {
    PaymentMethod.CASH: N_("Cash"),
    PaymentMethod.BANK_CARD: N_("Bank card"),
    PaymentMethod.WECHAT_PAY: N_("WeChat Pay"),
    PaymentMethod.ALIPAY: N_("Alipay"),
    PaymentMethod.ACCOUNT: N_("Charged to your account"),
    PaymentMethod.NONE: N_("Nothing to pay"),
}

ROLE_TEXT = {
    "clerk": N_("Clerk"),
    "trainee": N_("Trainee"),
    "senior": N_("Senior clerk"),
    "manager": N_("Duty manager"),
    "admin": N_("Administrator"),
}


def _total(items: tuple[LineItem, ...]) -> Decimal:
    return sum((item.total for item in items), Decimal("0.00"))


@dataclass(frozen=True)
class ReceiptData:
    reference: str
    branch_name: str
    ticket_number: str
    service_name: str
    items: tuple[LineItem, ...]
    payment_method: PaymentMethod
    issued_at: dt.datetime
    clerk_staff_no: str
    visit: VisitTimes
    counter_number: int | None = None
    reprint: bool = False
    branch_contact: str = ""  # the address and hotline under the name, when the branch gave them
    feedback_address: str = ""  # where customers send feedback (a URL, an e-mail), printed when the branch gave one
    logo: str = ""  # the branch's logo, a PNG in base64, drawn above its name ("" none; render/branding.py)

    @property
    def total(self) -> Decimal:
        return _total(self.items)


class Transaction(StrEnum):
    """The kind of business on an acceptance form; it chooses the plain-language summary."""

    RENEWAL = "renewal"
    PLAN_CHANGE = "plan_change"
    NEW_LINE = "new_line"
    BILL_PAYMENT = "bill_payment"
    OTHER = "other"


@dataclass(frozen=True)
class Customer:
    """The customer as given; the documents mask what they print."""

    name: str
    phone: str
    id_number: str = ""
    account_number: str = ""


@dataclass(frozen=True)
class AcceptanceFormData:
    reference: str
    branch_name: str
    issued_at: dt.datetime
    service_name: str  # 宽带续费
    transaction: Transaction
    product: str  # 宽带100M / Broadband 100M
    effective_from: dt.date
    items: tuple[LineItem, ...]
    customer: Customer
    clerk_staff_no: str
    term_months: int | None = None
    effective_to: dt.date | None = None
    payment_method: PaymentMethod | None = None
    ticket_number: str | None = None
    counter_number: int | None = None
    terms: tuple[str, ...] = ()  # in the customer's language; empty: the standard terms
    remarks: tuple[str, ...] = ()  # e.g. an approved exception that applies to this business
    reprint: bool = False
    branch_contact: str = ""  # the address and hotline under the name, when the branch gave them
    feedback_address: str = ""  # where customers send feedback (a URL, an e-mail), printed when the branch gave one
    logo: str = ""  # the branch's logo, a PNG in base64, drawn above its name ("" none; render/branding.py)

    @property
    def total(self) -> Decimal:
        return _total(self.items)


@dataclass(frozen=True)
class Approval:
    """An exception or remedy a manager approved, as it is printed for the customer."""

    what: str  # customer-facing text, e.g. "The 2010 arrears flag was cleared: it had been settled."
    approver_name: str
    approver_role: str  # a role code (manager …) or a free title
    approved_at: dt.datetime


@dataclass(frozen=True)
class LegMinutes:
    """One queue of a transferred visit as the notice states it: its service, and its own wait and service
    against that service's own targets (the targets a leg is judged by, workflows/visits.py)."""

    service_name: str
    wait_minutes: int | None  # None: not called (yet)
    wait_target_minutes: int
    service_minutes: int | None  # None: not started (yet)
    service_target_minutes: int


@dataclass(frozen=True)
class ApologyData:
    reference: str
    branch_name: str
    issued_at: dt.datetime
    ticket_number: str
    service_name: str
    visit: VisitTimes
    target_wait_minutes: int
    target_service_minutes: int
    explanation: str  # entered when the escalation was resolved, for the customer
    counter_number: int | None = None
    escalated: bool = False
    approvals: tuple[Approval, ...] = ()
    remedy: str = ""  # a goodwill gesture not covered by an approval
    signed_by_name: str = ""
    signed_by_role: str = ""
    feedback_url: str = ""  # what the QR carries; the reference alone when empty
    reprint: bool = False
    branch_contact: str = ""  # the address and hotline under the name, when the branch gave them
    feedback_address: str = ""  # where customers send feedback (a URL, an e-mail), printed when the branch gave one
    logo: str = ""  # the branch's logo, a PNG in base64, drawn above its name ("" none; render/branding.py)

    # Which targets the visit broke, as the reports judge it (each leg against its own service's targets):
    # "wait", "service", "total". None in a record kept before it was.
    broken: tuple[str, ...] | None = None

    # The visit's legs, first first. With more than one, the notice states each queue's wait and each service
    # against its own targets; empty in a record kept before it did (the visit's sums are told then).
    legs: tuple[LegMinutes, ...] = ()

    @property
    def took_too_long(self) -> bool:
        """Some target was broken: only then does the notice apologise for the time the visit took."""
        if self.broken is not None:
            return bool(self.broken)
        return self.wait_breached or self.service_breached

    # "Breached" is at or past the target, counted in seconds, as the live timers and reports count it.
    @property
    def wait_breached(self) -> bool:
        if self.broken is not None:
            return "wait" in self.broken
        v = self.visit
        return v.called_at is not None and (v.called_at - v.issued_at).total_seconds() >= self.target_wait_minutes * 60

    @property
    def service_breached(self) -> bool:
        if self.broken is not None:
            return "service" in self.broken
        v = self.visit
        return (v.started_at is not None and v.finished_at is not None
                and (v.finished_at - v.started_at).total_seconds() >= self.target_service_minutes * 60)
