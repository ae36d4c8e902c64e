"""What the planning window shows, read in one session into plain records (no Qt): the order list and one order.

The window reads through `Backend.query(order_rows, …)` and `Backend.query(order_view, …)`; it never holds a
session. The rules stay in workflows/planning; this only gathers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.models import Staff
from counter_app.models.planning import (
    Delivery,
    OrderChangeRequest,
    OrderFlag,
    Product,
    SalesOrder,
    SalesOrderLine,
)
from counter_app.workflows.planning import changes, orders, review, roles, rush


@dataclass(frozen=True)
class DeskStaff:
    """Who signed in at the planning desk; every action carries their id."""

    id: int
    staff_no: str
    name: str
    role: str = ""

    @property
    def department(self) -> str | None:
        """The department this person reviews for (None: not a reviewer)."""
        return roles.ROLE_DEPARTMENT.get(self.role)


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    customer: str
    kind: str
    state: str
    requested: dt.date
    committed: dt.date | None
    overdue: int  # reviews past their deadline, unanswered
    flagged: int = 0  # working days its date slipped for a rush order, not yet seen by its sales owner


@dataclass(frozen=True)
class LineView:
    id: int
    code: str
    name: str
    quantity: int
    shipped: int
    requested: dt.date


@dataclass(frozen=True)
class ChangeView:
    """The order's newest change request and who has acknowledged it."""

    id: int
    state: str
    aspects: tuple[str, ...]
    departments: tuple[str, ...]
    reference: str
    file: str
    requested_by: str
    requested_at: dt.datetime
    committed_before: dt.date | None
    committed_after: dt.date | None
    acknowledged: tuple[tuple[str, str, dt.datetime], ...]  # department, by, at
    missing: tuple[str, ...]


@dataclass(frozen=True)
class FlagView:
    id: int
    order_id: int
    number: str
    previous: dt.date
    new: dt.date
    days: int
    raised_at: dt.datetime
    owner: str


@dataclass(frozen=True)
class ReviewView:
    id: int
    department: str
    round: int
    deadline: dt.datetime
    answered_by: str
    answered_at: dt.datetime | None
    can_meet: bool | None
    lead_days: int | None
    depends_on: str
    reason_code: str
    notes: str
    details: dict[str, Any]
    overdue: bool


@dataclass(frozen=True)
class DateView:
    kind: str
    day: dt.date
    by: str
    at: dt.datetime
    why: str


@dataclass(frozen=True)
class OrderView:
    id: int
    number: str
    customer: str
    kind: str
    payment: str
    state: str
    rule: str
    requested: dt.date
    computed: dt.date | None
    committed: dt.date | None
    critical: tuple[str, ...]
    lines: tuple[tuple[str, str, int, dt.date], ...]  # code, names "zh / en", quantity, requested date
    reviews: tuple[ReviewView, ...]  # the ones that stand, one per department
    history: tuple[DateView, ...]
    return_note: review.ReturnNote | None
    allowed: frozenset[str]  # the moves orders.TRANSITIONS allows from the order's state
    line_views: tuple[LineView, ...] = ()
    change: ChangeView | None = None
    flags: tuple[FlagView, ...] = ()  # unseen slip flags on this order


def _names(session: Session) -> dict[int, str]:
    return {s.id: f"{s.name} ({s.staff_no})" for s in session.exec(select(Staff)).all()}


def order_rows(session: Session, clock: Clock, *, state: str | None = None) -> list[OrderRow]:
    """The orders, newest first; `state` keeps one state only."""
    overdue = Counter(r.sales_order_id for r in review.overdue_reviews(session, clock.now()))
    flagged: dict[int, int] = {}
    for order_id, days in session.exec(select(OrderFlag.sales_order_id, OrderFlag.slip_days)
                                       .where(OrderFlag.seen_at.is_(None))):
        flagged[order_id] = flagged.get(order_id, 0) + days
    query = select(SalesOrder).order_by(SalesOrder.id.desc())
    if state:
        query = query.where(SalesOrder.state == state)
    return [OrderRow(o.id, o.number, o.customer, o.kind, o.state, o.requested_date, o.committed_date,
                     overdue.get(o.id, 0), flagged.get(o.id, 0)) for o in session.exec(query).all()]


def order_view(session: Session, clock: Clock, *, order_id: int) -> OrderView:
    order = orders.get_order(session, order_id)
    names = _names(session)
    late = {r.id for r in review.overdue_reviews(session, clock.now())}
    lines = tuple((p.code, f"{p.name_zh} / {p.name_en}" if p.name_en else p.name_zh, line.quantity,
                   line.requested_date)
                  for line, p in session.exec(select(SalesOrderLine, Product)
                                              .join(Product, Product.id == SalesOrderLine.product_id)
                                              .where(SalesOrderLine.sales_order_id == order.id)
                                              .order_by(SalesOrderLine.id)).all())
    reviews = tuple(ReviewView(r.id, r.department, r.round, r.deadline, names.get(r.answered_by, ""),
                               r.answered_at, r.can_meet, r.lead_days, r.depends_on, r.reason_code, r.notes,
                               json.loads(r.details or "{}"), r.id in late)
                    for r in review.current_reviews(session, order.id))
    history = tuple(DateView(d.kind, d.day, names.get(d.by, ""), d.at, d.why)
                    for d in review.date_history(session, order.id))
    note = review.return_note(session, order.id) if order.state == orders.S.RETURNED_TO_SALES else None
    shipped = dict(session.exec(select(Delivery.sales_order_line_id, sa.func.sum(Delivery.quantity))
                                .where(Delivery.sales_order_id == order.id)
                                .group_by(Delivery.sales_order_line_id)).all())
    line_views = tuple(LineView(line.id, p.code, p.name_zh, line.quantity, int(shipped.get(line.id, 0)),
                                line.requested_date)
                       for line, p in session.exec(select(SalesOrderLine, Product)
                                                   .join(Product, Product.id == SalesOrderLine.product_id)
                                                   .where(SalesOrderLine.sales_order_id == order.id)
                                                   .order_by(SalesOrderLine.id)).all())
    flags = tuple(_flag(f, order.number, names) for f in session.exec(
        select(OrderFlag).where(OrderFlag.sales_order_id == order.id, OrderFlag.seen_at.is_(None))
        .order_by(OrderFlag.id)).all())
    return OrderView(order.id, order.number, order.customer, order.kind, order.payment, order.state, order.rule,
                     order.requested_date, order.computed_date, order.committed_date, review.critical_path(order),
                     lines, reviews, history, note, frozenset(orders.TRANSITIONS[order.state]), line_views,
                     _change(session, order.id, names), flags)


def _flag(flag: OrderFlag, number: str, names: dict[int, str]) -> FlagView:
    return FlagView(flag.id, flag.sales_order_id, number, flag.previous_date, flag.new_date, flag.slip_days,
                    flag.raised_at, names.get(flag.owner, ""))


def _change(session: Session, order_id: int, names: dict[int, str]) -> ChangeView | None:
    """The order's newest change request, open or closed."""
    change = session.exec(select(OrderChangeRequest).where(OrderChangeRequest.sales_order_id == order_id)
                          .order_by(OrderChangeRequest.id.desc())).first()
    if change is None:
        return None
    acks = tuple((a.department, names.get(a.by, ""), a.at) for a in changes.acknowledgements(session, change.id))
    return ChangeView(change.id, change.state, tuple(change.aspects.split(",")), changes.involved(change),
                      change.confirmation_reference, change.confirmation_file, names.get(change.requested_by, ""),
                      change.requested_at, change.committed_before, change.committed_after, acks,
                      changes.missing_acknowledgements(session, change.id))


def my_flags(session: Session, _clock: Clock, *, staff_id: int) -> list[FlagView]:
    """The signed-in person's unseen slip flags (they are the sales owner), newest first."""
    names = _names(session)
    numbers = dict(session.exec(select(SalesOrder.id, SalesOrder.number)).all())
    return [_flag(f, numbers.get(f.sales_order_id, ""), names) for f in rush.flags_for(session, staff_id)]


def rush_impact(session: Session, clock: Clock, *, order_id: int) -> rush.RushImpact | AppError:
    """What inserting the order would do, or why it cannot be inserted (no capacity set, the wrong state)."""
    try:
        return rush.rush_impact(session, order_id, clock.now())
    except AppError as refusal:
        return refusal


def products(session: Session, _clock: Clock) -> list[tuple[str, str]]:
    """(code, "code — names") of every product, for the new order's lines."""
    return [(p.code, f"{p.code} — {p.name_zh}" + (f" / {p.name_en}" if p.name_en else ""))
            for p in session.exec(select(Product).order_by(Product.code)).all()]


def open_reviews(session: Session, _clock: Clock, *, order_id: int) -> list[tuple[int, str]]:
    """(review id, department) of the order's unanswered reviews."""
    return [(r.id, r.department) for r in review.current_reviews(session, order_id) if r.answered_at is None]


def next_number(session: Session, clock: Clock) -> str:
    """A suggestion for a new order's number: SO-<year>-<next four digits>; sales may type another."""
    count = len(session.exec(select(SalesOrder.id)).all())
    return f"SO-{clock.now():%Y}-{count + 1:04d}"


def sign_in(session: Session, clock: Clock, *, staff_no: str, password: str) -> DeskStaff:
    """Any active staff member may sign in and read the desk; each action checks their role (roles.py)."""
    from counter_app.workflows.core import auth

    staff = auth.authenticate(session, staff_no=staff_no, password=password, clock=clock, where="planning")
    return DeskStaff(staff.id, staff.staff_no, staff.name, staff.role)
