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

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.models import Staff
from counter_app.models.planning import Product, SalesOrder, SalesOrderLine
from counter_app.workflows.planning import orders, review


@dataclass(frozen=True)
class DeskStaff:
    """Who signed in at the planning desk; every action carries their id."""

    id: int
    staff_no: str
    name: str


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


def _names(session: Session) -> dict[int, str]:
    return {s.id: f"{s.name} ({s.staff_no})" for s in session.exec(select(Staff)).all()}


def order_rows(session: Session, clock: Clock, *, state: str | None = None) -> list[OrderRow]:
    """The orders, newest first; `state` keeps one state only."""
    overdue = Counter(r.sales_order_id for r in review.overdue_reviews(session, clock.now()))
    query = select(SalesOrder).order_by(SalesOrder.id.desc())
    if state:
        query = query.where(SalesOrder.state == state)
    return [OrderRow(o.id, o.number, o.customer, o.kind, o.state, o.requested_date, o.committed_date,
                     overdue.get(o.id, 0)) for o in session.exec(query).all()]


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
    return OrderView(order.id, order.number, order.customer, order.kind, order.payment, order.state, order.rule,
                     order.requested_date, order.computed_date, order.committed_date, review.critical_path(order),
                     lines, reviews, history, note, frozenset(orders.TRANSITIONS[order.state]))


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
    """Any active staff member may act at the planning desk today (docs/planning.md): no role is checked yet."""
    from counter_app.workflows.core import auth

    staff = auth.authenticate(session, staff_no=staff_no, password=password, clock=clock, where="planning")
    return DeskStaff(staff.id, staff.staff_no, staff.name)
