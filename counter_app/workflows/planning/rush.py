"""Rush (inserted) orders: production capacity per working day is the shared resource; before PMC accepts a
rush order the desk sees which committed orders it would make slip, and by how many working days.

The rules (docs/planning.md):
- The factory's capacity is a number of load units per working day (`set_capacity`; the newest setting is in
  force). Each product takes `load_per_unit` units per piece (`set_production_load`; 0 for a product that is
  bought in and not made). An order's load is what is still to ship of each line times its product's load.
- The forward capacity schedule starts on the first working day after today. The open orders — every order with
  a committed date and load left — are taken in committed-date order (then by id), each finishing on the
  working day its cumulative load is used up: order i finishes on working day ceil(Σ load up to i / capacity).
- `rush_impact` schedules the rush order first. An order *slips* when it then finishes after its committed date
  and later than it would without the rush; its slip is the working days from its committed date to that day.
  (An order already late without the rush, by as much, is not the rush's doing and is not listed.)
- The rush order is committed to the day its own load is done, or to its computed (review) date if that is
  later: a rush buys production capacity, not drawing or purchasing time.
- Only an order awaiting PMC's confirmation (reviewed, its date computed) can be inserted.

`accept_rush` is PMC's sign-off: the rush order committed, each slipped order's committed date revised with
history (`order_date_revision`: who, when, why) and flagged for its sales owner (`order_flag`), all in one
transaction; the event carries the hash of the sign-off record, so the audit chain covers it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Role
from counter_app.models.planning import (
    ChangeState,
    DateKind,
    Delivery,
    FactoryCapacity,
    OrderChangeRequest,
    OrderFlag,
    Product,
    RushApproval,
    SalesOrder,
    SalesOrderLine,
    SalesOrderState,
)
from counter_app.workflows.core import audit, events
from counter_app.workflows.planning import inputs, roles
from counter_app.workflows.planning.orders import STATE_TEXT, OrderChange, get_order, move, record_date
from counter_app.workflows.planning.working_days import WorkingCalendar, load_calendar

S = SalesOrderState
RUSH_SLIP = "rush_slip"  # OrderFlag.kind


@dataclass(frozen=True)
class Slip:
    """A committed order the rush order pushes past its committed date."""

    order_id: int
    number: str
    committed: dt.date
    new_date: dt.date
    days: int  # working days past the committed date


@dataclass(frozen=True)
class RushImpact:
    order_id: int
    number: str
    load: int  # the rush order's load units
    capacity: int  # units per working day
    finish: dt.date  # the day its load is done when scheduled first
    committed: dt.date  # the date accepting it commits (finish, or its computed date if later)
    slips: list[Slip]


@dataclass(frozen=True)
class OpenLoad:
    order_id: int
    number: str
    committed: dt.date
    load: int


# -- the settings ----------------------------------------------------------------------------------------------

def set_capacity(session: Session, clock: Clock, *, units_per_day: int, staff_id: int) -> int:
    """The factory's production capacity in load units per working day, from now on (the old ones kept)."""
    now = clock.now()
    roles.require(session, staff_id, *roles.MASTER_DATA, refusal=roles.MASTER)
    units = inputs.limited("factory_capacity", "units_per_day", units_per_day, field=N_("Capacity per day"))
    row = FactoryCapacity(units_per_day=units, set_by=staff_id, set_at=now)
    session.add(row)
    session.flush()
    events.record(session, at=now, kind="factory_capacity_set", staff_id=staff_id, units_per_day=units)
    return row.id


def capacity(session: Session) -> int:
    """The capacity in force; refused when the factory has not set one."""
    units = session.exec(select(FactoryCapacity.units_per_day).order_by(FactoryCapacity.id.desc()).limit(1)).first()
    if units is None:
        raise AppError(N_("Set the factory's production capacity per day first."))
    return units


def set_production_load(session: Session, clock: Clock, *, product_code: str, load_per_unit: int,
                        staff_id: int) -> None:
    """The capacity units one piece of a product takes (0: bought in, it uses no production capacity)."""
    roles.require(session, staff_id, *roles.MASTER_DATA, refusal=roles.MASTER)
    product = session.exec(select(Product).where(Product.code == str(product_code).strip())).first()
    if product is None:
        raise AppError(N_("There is no product {code}."), code=product_code)
    product.load_per_unit = inputs.limited("product", "load_per_unit", load_per_unit,
                                           field=N_("Production load per piece"))
    session.add(product)
    events.record(session, at=clock.now(), kind="production_load_set", staff_id=staff_id, product=product.id,
                  load_per_unit=product.load_per_unit)


# -- the schedule ----------------------------------------------------------------------------------------------

def order_load(session: Session, order_id: int) -> int:
    """Load units still to produce for one order: what is left to ship of each line times its product's load."""
    ordered = session.exec(select(sa.func.coalesce(sa.func.sum(SalesOrderLine.quantity * Product.load_per_unit), 0))
                           .join(Product, Product.id == SalesOrderLine.product_id)
                           .where(SalesOrderLine.sales_order_id == order_id)).one()
    shipped = session.exec(select(sa.func.coalesce(sa.func.sum(Delivery.quantity * Product.load_per_unit), 0))
                           .join(SalesOrderLine, SalesOrderLine.id == Delivery.sales_order_line_id)
                           .join(Product, Product.id == SalesOrderLine.product_id)
                           .where(Delivery.sales_order_id == order_id)).one()
    return int(ordered) - int(shipped)


def open_loads(session: Session, *, exclude: int | None = None) -> list[OpenLoad]:
    """Every order with a committed date and load left, in committed-date order (two grouped queries)."""
    ordered = session.exec(
        select(SalesOrder.id, SalesOrder.number, SalesOrder.committed_date,
               sa.func.sum(SalesOrderLine.quantity * Product.load_per_unit))
        .join(SalesOrderLine, SalesOrderLine.sales_order_id == SalesOrder.id)
        .join(Product, Product.id == SalesOrderLine.product_id)
        .where(SalesOrder.committed_date.is_not(None))
        .group_by(SalesOrder.id, SalesOrder.number, SalesOrder.committed_date)).all()
    shipped = dict(session.exec(
        select(Delivery.sales_order_id, sa.func.sum(Delivery.quantity * Product.load_per_unit))
        .join(SalesOrderLine, SalesOrderLine.id == Delivery.sales_order_line_id)
        .join(Product, Product.id == SalesOrderLine.product_id)
        .group_by(Delivery.sales_order_id)).all())
    loads = [OpenLoad(order_id, number, committed, int(load) - int(shipped.get(order_id, 0)))
             for order_id, number, committed, load in ordered if order_id != exclude]
    loads = [row for row in loads if row.load > 0]
    loads.sort(key=lambda row: (row.committed, row.order_id))
    return loads


def finish_offsets(loads: Sequence[int], units_per_day: int, *, ahead: int = 0) -> list[int]:
    """The working day (1 = the first after today) on which each load, taken in turn, is done; `ahead` units are
    scheduled before them."""
    if units_per_day <= 0:
        raise AppError(N_("The capacity per day must be more than 0."))
    done, offsets = ahead, []
    for load in loads:
        done += load
        offsets.append(-(-done // units_per_day))
    return offsets


def working_days_after(calendar: WorkingCalendar, today: dt.date, count: int) -> list[dt.date]:
    """[today, the 1st working day after today, …, the count-th]: index k is calendar.add(today, k) for k ≥ 1."""
    days, day = [today], today
    while len(days) <= count:
        day += dt.timedelta(days=1)
        if calendar.is_working(day):
            days.append(day)
    return days


def impact_of(rush_load: int, loads: Sequence[OpenLoad], units_per_day: int, calendar: WorkingCalendar,
              today: dt.date) -> tuple[dt.date, list[Slip]]:
    """The rush order's finish day and the slips of the open orders when it is scheduled first (pure)."""
    before = finish_offsets([row.load for row in loads], units_per_day)
    after = finish_offsets([row.load for row in loads], units_per_day, ahead=rush_load)
    rush_offset = max(1, -(-rush_load // units_per_day))
    days = working_days_after(calendar, today, max([rush_offset, *after]))
    slips = []
    for row, old, new in zip(loads, before, after, strict=True):
        new_day = days[new]
        if new > old and new_day > row.committed:
            if row.committed >= today:  # new_day is in `days`, past the committed date: count by index
                late = new - (bisect.bisect_right(days, row.committed) - 1)
            else:  # an order already past due
                late = calendar.between(row.committed, new_day)
            slips.append(Slip(row.order_id, row.number, row.committed, new_day, late))
    return days[rush_offset], slips


def _rush_candidate(session: Session, order_id: int) -> SalesOrder:
    order = get_order(session, order_id)
    if order.state != S.AWAITING_PMC:
        raise AppError(N_("Sales order {number} is {state}: only an order awaiting PMC's confirmation (reviewed, "
                          "its date computed) can be inserted as a rush order."), number=order.number,
                       state=STATE_TEXT[order.state])
    open_change = session.exec(select(OrderChangeRequest.id).where(
        OrderChangeRequest.sales_order_id == order.id, OrderChangeRequest.state != ChangeState.CLOSED)).first()
    if open_change is not None:
        # its re-review is PMC's ordinary confirmation; a rush here would commit the order and leave the change
        # waiting for acknowledgements it can never get
        raise AppError(N_("Sales order {number} has a change under review: confirm its date first; it cannot be "
                          "inserted as a rush order."), number=order.number)
    return order


def rush_impact(session: Session, order_id: int, now: dt.datetime) -> RushImpact:
    """Which committed orders would slip, and by how many working days, if this order were produced first."""
    order = _rush_candidate(session, order_id)
    units = capacity(session)
    calendar = load_calendar(session)
    load = order_load(session, order.id)
    finish, slips = impact_of(load, open_loads(session, exclude=order.id), units, calendar, now.date())
    committed = max(finish, order.computed_date) if order.computed_date else finish
    return RushImpact(order.id, order.number, load, units, finish, committed, slips)


def accept_rush(session: Session, clock: Clock, *, order_id: int, staff_id: int, reason: str) -> OrderChange:
    """PMC signs off a rush order: it is committed, the orders it displaces are given their new dates (with
    history) and flagged for their sales owners."""
    now = clock.now()
    roles.require(session, staff_id, Role.PMC, refusal=roles.RUSH)
    why = inputs.text(reason, field=N_("Reason for the rush order"), required=True, limit=400)
    impact = rush_impact(session, order_id, now)
    order = get_order(session, order_id)
    order.state = move(order, "rush")
    order.committed_date = impact.committed
    session.add(order)
    approval = RushApproval(sales_order_id=order.id, reason=why, approved_by=staff_id, approved_at=now,
                            committed_date=impact.committed,
                            slips=json.dumps([asdict(s) for s in impact.slips], default=str, sort_keys=True))
    session.add(approval)
    session.flush()
    record_date(session, order, kind=DateKind.COMMITTED, day=impact.committed, by=staff_id, at=now,
                why=f"rush order: {why}")
    for slip in impact.slips:
        slipped = get_order(session, slip.order_id)
        slipped.committed_date = slip.new_date
        session.add(slipped)
        record_date(session, slipped, kind=DateKind.COMMITTED, day=slip.new_date, by=staff_id, at=now,
                    why=f"slipped {slip.days} working days for rush order {order.number}: {why}")
        session.add(OrderFlag(sales_order_id=slipped.id, kind=RUSH_SLIP, rush_approval_id=approval.id,
                              previous_date=slip.committed, new_date=slip.new_date, slip_days=slip.days,
                              owner=slipped.sales_owner or slipped.created_by, raised_at=now))
    session.flush()
    # An approval: the event carries the hash of the sign-off it made, so the audit chain covers it.
    events.record(session, at=now, kind="rush_order_accepted", staff_id=staff_id, order=order.id,
                  committed=impact.committed, approval=approval.id, why=why,
                  slipped=[s.order_id for s in impact.slips], content_hash=audit.content_hash(approval))
    return OrderChange("rush_order_accepted", order.id, order.state, impact.committed)


# -- the flags for sales ---------------------------------------------------------------------------------------

def flags_for(session: Session, owner: int, *, unseen_only: bool = True) -> list[OrderFlag]:
    """The flags on a sales owner's orders, newest first (a window lists them)."""
    query = select(OrderFlag).where(OrderFlag.owner == owner)
    if unseen_only:
        query = query.where(OrderFlag.seen_at.is_(None))
    return list(session.exec(query.order_by(OrderFlag.id.desc())).all())


def mark_flag_seen(session: Session, clock: Clock, *, flag_id: int, staff_id: int) -> None:
    now = clock.now()
    flag = session.get(OrderFlag, flag_id)
    if flag is None:
        raise AppError(N_("That flag does not exist."))
    roles.require_self_or(session, staff_id, flag.owner, Role.PMC, refusal=roles.FLAG)
    if flag.seen_at is not None:
        return
    flag.seen_at, flag.seen_by = now, staff_id
    session.add(flag)
    events.record(session, at=now, kind="order_flag_seen", staff_id=staff_id, order=flag.sales_order_id,
                  flag=flag.id)
