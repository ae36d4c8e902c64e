"""Deliveries (发货): what was shipped of each order line, and when. A line may ship in parts; never more than
was ordered. Only an order with a committed date, or a stocked order that is paid (ready to ship), ships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Role
from counter_app.models.planning import Delivery, SalesOrderLine, SalesOrderState
from counter_app.workflows.core import bounds, events
from counter_app.workflows.planning import inputs, roles
from counter_app.workflows.planning.orders import STATE_TEXT, get_order

S = SalesOrderState
# An order under change or in review keeps its committed date and may go on shipping what is ready.
SHIPPABLE = {S.COMMITTED, S.PLANNED, S.READY_TO_SHIP, S.IN_REVIEW, S.AWAITING_PMC, S.RETURNED_TO_SALES}


@dataclass(frozen=True)
class Shipped:
    """A delivery recorded, and what is left of its line."""

    delivery_id: int
    order_id: int
    line_id: int
    quantity: int
    left: int


def shipped_quantity(session: Session, line_id: int) -> int:
    return int(session.exec(select(sa.func.coalesce(sa.func.sum(Delivery.quantity), 0))
                            .where(Delivery.sales_order_line_id == line_id)).one())


def record_delivery(session: Session, clock: Clock, *, line_id: int, quantity: int, shipped_on: dt.date,
                    staff_id: int, note: str = "") -> Shipped:
    """Part or all of a line shipped on a day (today or earlier, not before the order was entered)."""
    now = clock.now()
    roles.require(session, staff_id, Role.WAREHOUSE, Role.PMC, refusal=roles.DELIVER)
    line = session.get(SalesOrderLine, line_id)
    if line is None:
        raise AppError(N_("That order line does not exist."))
    order = get_order(session, line.sales_order_id)
    if order.state not in SHIPPABLE or (order.state != S.READY_TO_SHIP and order.committed_date is None):
        raise AppError(N_("Sales order {number} is {state}: it cannot ship yet."), number=order.number,
                       state=STATE_TEXT[order.state])
    quantity = inputs.limited("delivery", "quantity", quantity, field=N_("Quantity shipped"))
    day = bounds.plausible_date(shipped_on, field=N_("Shipping date"), today=now.date(),
                                past_days=max(0, (now.date() - order.created_at.date()).days), ahead_days=0)
    left = line.quantity - shipped_quantity(session, line.id)
    if quantity > left:
        raise AppError(N_("Only {left} of {ordered} on this line are left to ship: {quantity} is too many."),
                       left=left, ordered=line.quantity, quantity=quantity)
    delivery = Delivery(sales_order_id=order.id, sales_order_line_id=line.id, quantity=quantity, shipped_on=day,
                        recorded_by=staff_id, recorded_at=now, note=inputs.text(note, field=N_("Note"), limit=200))
    session.add(delivery)
    session.flush()
    events.record(session, at=now, kind="delivery_recorded", staff_id=staff_id, order=order.id, line=line.id,
                  delivery=delivery.id, quantity=quantity, shipped_on=day)
    return Shipped(delivery.id, order.id, line.id, quantity, left - quantity)


def deliveries(session: Session, order_id: int) -> list[Delivery]:
    """The order's deliveries, in the order they were recorded."""
    return list(session.exec(select(Delivery).where(Delivery.sales_order_id == order_id)
                             .order_by(Delivery.id)).all())
