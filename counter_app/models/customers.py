"""Tables around the customer record (the `customer` row itself is in models/oversight.py): the accounts and
phones a customer is found by, the segment rules, the follow-up calls, and the salt of the ID-card hashes.

The bounds of every number a customer record or a segment rule holds are here, once: the store enforces them
(CHECK constraints, revision 0018) and the workflows check them with a message first (workflows/customers).
"""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from counter_app.models.limits import checks

# column: (lowest, highest), both allowed. A monthly spend of a billion yuan or a tier of 42 is a slip.
CUSTOMER_LIMITS: dict[str, tuple[int, int]] = {"monthly_spend": (0, 10_000_000)}  # whole yuan a month
SEGMENT_RULE_LIMITS: dict[str, tuple[int, int]] = {
    "position": (0, 999),
    "min_monthly_spend": (0, 10_000_000),
    "min_tenure_months": (0, 1200),
    "tier": (0, 9),  # the queue's priority tiers (SERVICE_LIMITS["priority"])
}
CUSTOMER_TABLE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "customer": CUSTOMER_LIMITS, "segment_rule": SEGMENT_RULE_LIMITS,
}
ACCOUNT = 40  # an account or card number
PHONE = 20
SEGMENT = 20  # a segment's code
NEED = 20  # a need's code, e.g. priority_care
LANGUAGE = 10
NOTES = 500
OUTCOME = 500  # what a follow-up call came to


class CustomerAccount(SQLModel, table=True):
    """One of a customer's account (or VIP card) numbers: one account belongs to one customer."""

    __tablename__ = "customer_account"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    account_no: str = Field(max_length=ACCOUNT, index=True, unique=True)
    added_at: NaiveDatetime


class CustomerPhone(SQLModel, table=True):
    """One of a customer's phone numbers; a family may share one, so a phone may name several customers."""

    __tablename__ = "customer_phone"
    __table_args__ = (UniqueConstraint("customer_id", "phone", name="uq_customer_phone"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    phone: str = Field(max_length=PHONE, index=True)
    added_at: NaiveDatetime


class SegmentRule(SQLModel, table=True):
    """One line of the branch's segmentation: the first rule (by position) a customer meets gives the segment.

    A rule is met when the customer spends at least `min_monthly_spend` a month, has been a customer for at
    least `min_tenure_months`, and — when the rule names a need — has that need (e.g. priority care).
    """

    __tablename__ = "segment_rule"
    __table_args__ = checks("segment_rule", SEGMENT_RULE_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    position: int = Field(index=True)  # the order the rules are read in
    code: str = Field(max_length=SEGMENT)
    name_zh: str = Field(max_length=40)
    name_en: str = Field(max_length=40)
    min_monthly_spend: int = 0
    min_tenure_months: int = 0
    need: str = Field(default="", max_length=NEED)
    tier: int = 0  # the priority tier the segment gives at the kiosk and in the queue
    high_value: bool = False  # the duty manager watches these customers while they wait


class FollowUpCall(SQLModel, table=True):
    """A call to a customer after a bad visit (the loyalty view's list), and what it came to."""

    __tablename__ = "follow_up_call"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    called_at: NaiveDatetime
    outcome: str = Field(default="", max_length=OUTCOME)


class CustomerSecret(SQLModel, table=True):
    """The store's salt for ID-card hashes: one row, made on first use (workflows/customers/identity.py)."""

    __tablename__ = "customer_secret"
    id: int | None = Field(default=None, primary_key=True)
    salt: str = Field(max_length=64)
