"""Tables for the planning (PMC) desk: products and materials, sales orders under review, the departments'
answers, every requested and committed date, and the factory's own calendar.

A *sales order* is a customer's order to the factory; it is not the counter's *service order*
(`paperwork.ServiceOrder`, 业务受理). The two never share a table or a name.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Column, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from counter_app.models.limits import checks

# column: (lowest, highest), both allowed; the store enforces them (revision 0016), the workflows check them
# with a message first (workflows/planning/inputs.py). A lead time of 10,000 days or a stock of -3 is a slip.
PRODUCT_LIMITS: dict[str, tuple[int, int]] = {"lead_days": (0, 365), "stock": (0, 1_000_000_000),
                                              "load_per_unit": (0, 100_000)}
MATERIAL_LIMITS: dict[str, tuple[int, int]] = {"lead_days": (0, 365), "stock": (0, 1_000_000_000)}
LINE_LIMITS: dict[str, tuple[int, int]] = {"quantity": (1, 1_000_000)}
REVIEW_LIMITS: dict[str, tuple[int, int]] = {"lead_days": (0, 365)}
CAPACITY_LIMITS: dict[str, tuple[int, int]] = {"units_per_day": (1, 100_000_000)}
DELIVERY_LIMITS: dict[str, tuple[int, int]] = {"quantity": (1, 1_000_000)}
PLANNING_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "product": PRODUCT_LIMITS, "material": MATERIAL_LIMITS, "sales_order_line": LINE_LIMITS,
    "order_review": REVIEW_LIMITS, "factory_capacity": CAPACITY_LIMITS, "delivery": DELIVERY_LIMITS,
}
REQUESTED_AHEAD_DAYS = 365 * 2  # a requested date is today or later, and at most two years ahead


class OrderKind(StrEnum):
    STANDARD_IN_STOCK = "standard_in_stock"  # 常规产品, in stock
    STANDARD_NO_STOCK = "standard_no_stock"  # 常规产品, to be made
    CUSTOM = "custom"  # 非标 / 定制件
    NEW_SAMPLE = "new_sample"  # 新研发打样单


class Payment(StrEnum):
    NONE = "none"
    DEPOSIT = "deposit"  # 定金
    PAID = "paid"  # 款到


class SalesOrderState(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"  # stocked standard: ships once paid
    READY_TO_SHIP = "ready_to_ship"
    AWAITING_DEPOSIT = "awaiting_deposit"  # standard without stock: planned once the deposit arrives
    PLANNED = "planned"
    IN_REVIEW = "in_review"  # custom or new sample: the departments answer
    AWAITING_PMC = "awaiting_pmc"  # every answer in, the date computed: PMC confirms or overrides
    RETURNED_TO_SALES = "returned_to_sales"  # the requested date cannot be met
    COMMITTED = "committed"


class Department(StrEnum):
    ENGINEERING = "engineering"  # 研发技术部
    PURCHASING = "purchasing"  # 采购部
    WAREHOUSE = "warehouse"  # 物控 / 仓库
    PRODUCTION = "production"  # 生产部
    QUALITY = "quality"  # 品质部


class ChangeState(StrEnum):
    IN_REVIEW = "in_review"  # the touched departments answer again; PMC commits the date again
    ACKNOWLEDGING = "acknowledging"  # the date is committed again: each department involved acknowledges
    CLOSED = "closed"


class DateKind(StrEnum):
    REQUESTED = "requested"  # the customer's date at entry
    REVISED = "revised"  # a later requested date the customer gave sales
    COMMITTED = "committed"  # the date PMC committed (confirmed or overridden)


class Product(SQLModel, table=True):
    """A product the factory sells, with its standard production lead time (working days) and its stock."""

    __tablename__ = "product"
    __table_args__ = checks("product", PRODUCT_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=20)
    name_zh: str = Field(max_length=60)
    name_en: str = Field(max_length=60)
    lead_days: int = 0
    stock: int = 0
    # a column added to a table with rows: the store fills the old ones with 1 (revision 0017)
    load_per_unit: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})  # production capacity units one piece takes (0: bought in, no production)


class Material(SQLModel, table=True):
    """A purchased material, with its purchasing lead time (working days) and its stock."""

    __tablename__ = "material"
    __table_args__ = checks("material", MATERIAL_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=20)
    name: str = Field(max_length=60)
    lead_days: int = 0
    stock: int = 0


class SalesOrder(SQLModel, table=True):
    """A customer's order (销售订单), from entry through triage and review to a committed delivery date."""

    __tablename__ = "sales_order"
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=30)
    customer: str = Field(max_length=80)
    kind: str = Field(max_length=20)
    payment: str = Field(default=Payment.NONE, max_length=10)
    state: str = Field(max_length=20, index=True)
    rule: str = Field(max_length=30)  # the triage rule's key (planning.triage.RULE_TEXT): shown on the order
    requested_date: dt.date  # the customer's current requested date (history: OrderDateRevision)
    computed_date: dt.date | None = None  # what the review network gives
    critical_path: str = Field(default="", max_length=80)  # departments, comma-separated, in network order
    committed_date: dt.date | None = None
    review_round: int = 1  # raised when sales brings a later date and the "no" answers are asked again
    created_by: int = Field(foreign_key="staff.id")
    created_at: NaiveDatetime
    sales_owner: int | None = Field(default=None, foreign_key="staff.id")


class SalesOrderLine(SQLModel, table=True):
    __tablename__ = "sales_order_line"
    __table_args__ = checks("sales_order_line", LINE_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    sales_order_id: int = Field(foreign_key="sales_order.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    quantity: int
    requested_date: dt.date


class OrderReview(SQLModel, table=True):
    """One department's review of one order in one round (订单评审): opened with a deadline, answered once."""

    __tablename__ = "order_review"
    __table_args__ = (UniqueConstraint("sales_order_id", "department", "round", name="uq_order_review_round"),
                      *checks("order_review", REVIEW_LIMITS))
    id: int | None = Field(default=None, primary_key=True)
    sales_order_id: int = Field(foreign_key="sales_order.id", index=True)
    department: str = Field(max_length=20)
    round: int = 1
    opened_at: NaiveDatetime
    deadline: NaiveDatetime
    answered_by: int | None = Field(default=None, foreign_key="staff.id")
    answered_at: NaiveDatetime | None = None
    can_meet: bool | None = None
    lead_days: int | None = None
    depends_on: str = Field(default="", max_length=500)
    reason_code: str = Field(default="", max_length=30)  # when it cannot meet the date (planning.review.REASONS)
    notes: str = Field(default="", max_length=500)
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # the department's own fields, JSON
    superseded_at: NaiveDatetime | None = None  # asked again in a later round


class OrderDateRevision(SQLModel, table=True):
    """Every requested and committed date an order had, with who gave it, when and why."""

    __tablename__ = "order_date_revision"
    id: int | None = Field(default=None, primary_key=True)
    sales_order_id: int = Field(foreign_key="sales_order.id", index=True)
    kind: str = Field(max_length=12)
    day: dt.date
    by: int = Field(foreign_key="staff.id")
    at: NaiveDatetime
    why: str = Field(default="", max_length=500)


class FactoryDay(SQLModel, table=True):
    """The factory's own calendar: a weekday it is closed, or a weekend day it works (调休)."""

    __tablename__ = "factory_day"
    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(index=True, unique=True)
    closed: bool = True
    note: str = Field(default="", max_length=80)


class FactoryCapacity(SQLModel, table=True):
    """The factory's production capacity in load units per working day; the newest row is the one in force."""

    __tablename__ = "factory_capacity"
    __table_args__ = checks("factory_capacity", CAPACITY_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    units_per_day: int
    set_by: int = Field(foreign_key="staff.id")
    set_at: NaiveDatetime


class OrderChangeRequest(SQLModel, table=True):
    """A change to a sales order after its review (ISO 9001 §8.2.4): what changed, the customer's written
    confirmation, the departments it touches (they review again) and, once it is committed again, close."""

    __tablename__ = "order_change_request"
    id: int | None = Field(default=None, primary_key=True)
    sales_order_id: int = Field(foreign_key="sales_order.id", index=True)
    state: str = Field(max_length=20)
    aspects: str = Field(max_length=80)  # what changed, comma-separated (planning.changes.ASPECTS)
    departments: str = Field(max_length=100)  # who reviews it again and acknowledges it, comma-separated
    review_round: int  # the order's review round the change opened
    before: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # the changed values before, JSON
    after: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # and after, JSON
    specification: str = Field(default="", sa_column=Column(Text, nullable=False))  # the changed specification
    confirmation_file: str = Field(default="", max_length=260)  # under the data directory
    confirmation_sha256: str = Field(default="", max_length=64)
    confirmation_reference: str = Field(default="", max_length=200)  # a signed document's reference
    requested_by: int = Field(foreign_key="staff.id")
    requested_at: NaiveDatetime
    committed_before: dt.date | None = None
    committed_after: dt.date | None = None
    closed_at: NaiveDatetime | None = None


class OrderChangeAck(SQLModel, table=True):
    """One department's acknowledgement of a change, given once."""

    __tablename__ = "order_change_ack"
    __table_args__ = (UniqueConstraint("change_id", "department", name="uq_order_change_ack"),)
    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(foreign_key="order_change_request.id", index=True)
    department: str = Field(max_length=20)
    by: int = Field(foreign_key="staff.id")
    at: NaiveDatetime


class Delivery(SQLModel, table=True):
    """A shipment of part or all of one order line (发货)."""

    __tablename__ = "delivery"
    __table_args__ = checks("delivery", DELIVERY_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    sales_order_id: int = Field(foreign_key="sales_order.id", index=True)
    sales_order_line_id: int = Field(foreign_key="sales_order_line.id", index=True)
    quantity: int
    shipped_on: dt.date
    recorded_by: int = Field(foreign_key="staff.id")
    recorded_at: NaiveDatetime
    note: str = Field(default="", max_length=200)


class RushApproval(SQLModel, table=True):
    """PMC's sign-off of a rush (inserted) order: why, by whom, its date and the orders it made slip (JSON)."""

    __tablename__ = "rush_approval"
    id: int | None = Field(default=None, primary_key=True)
    sales_order_id: int = Field(foreign_key="sales_order.id", index=True)
    reason: str = Field(max_length=500)
    approved_by: int = Field(foreign_key="staff.id")
    approved_at: NaiveDatetime
    committed_date: dt.date
    slips: str = Field(default="[]", sa_column=Column(Text, nullable=False))


class OrderFlag(SQLModel, table=True):
    """A note for an order's sales owner: its committed date slipped for a rush order; seen once read."""

    __tablename__ = "order_flag"
    id: int | None = Field(default=None, primary_key=True)
    sales_order_id: int = Field(foreign_key="sales_order.id", index=True)
    kind: str = Field(max_length=20)
    rush_approval_id: int | None = Field(default=None, foreign_key="rush_approval.id")
    previous_date: dt.date
    new_date: dt.date
    slip_days: int
    owner: int = Field(foreign_key="staff.id", index=True)
    raised_at: NaiveDatetime
    seen_at: NaiveDatetime | None = None
    seen_by: int | None = Field(default=None, foreign_key="staff.id")
