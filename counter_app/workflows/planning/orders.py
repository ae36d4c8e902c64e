"""Sales orders: the product and material lists, the factory's calendar, entering an order and its triage,
payments; and the order's state machine, written down once (`TRANSITIONS`).

Triage at entry, its rule kept on the order (`SalesOrder.rule`, a key of `RULE_TEXT`):
- a standard product in stock ships once paid (awaiting_payment → ready_to_ship);
- a standard product without stock is planned once the deposit arrives: its committed date is that day plus
  the longest production lead time among its lines, in working days (awaiting_deposit → planned);
- a custom order or a new sample goes to review: five departments' reviews open at once, each due
  `REVIEW_DAYS` working days ahead (in_review; see review.py for what follows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models.planning import (
    DateKind,
    Department,
    FactoryDay,
    Material,
    OrderDateRevision,
    OrderKind,
    OrderReview,
    Payment,
    Product,
    SalesOrder,
    SalesOrderLine,
    SalesOrderState,
)
from counter_app.workflows.core import events, lookup
from counter_app.workflows.planning import inputs, roles
from counter_app.workflows.planning.working_days import load_calendar

S = SalesOrderState
REVIEW_DAYS = 2  # working days a department has to answer a review

# The one place that says which move is allowed from which state.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.AWAITING_PAYMENT: {"paid": S.READY_TO_SHIP},
    S.READY_TO_SHIP: {},
    S.AWAITING_DEPOSIT: {"deposit": S.PLANNED},
    S.PLANNED: {},
    S.IN_REVIEW: {"answers_in": S.AWAITING_PMC, "cannot_meet": S.RETURNED_TO_SALES},
    S.AWAITING_PMC: {"confirm": S.COMMITTED, "override": S.COMMITTED, "rush": S.COMMITTED},
    S.RETURNED_TO_SALES: {"ask_again": S.IN_REVIEW, "answers_in": S.AWAITING_PMC,
                          "cannot_meet": S.RETURNED_TO_SALES},
    S.COMMITTED: {"change": S.IN_REVIEW},  # a change request (changes.py): the touched departments review again
}
STATE_TEXT = {S.AWAITING_PAYMENT: N_("awaiting payment"), S.READY_TO_SHIP: N_("ready to ship"),
              S.AWAITING_DEPOSIT: N_("awaiting the deposit"), S.PLANNED: N_("planned"),
              S.IN_REVIEW: N_("in review"), S.AWAITING_PMC: N_("awaiting PMC's confirmation"),
              S.RETURNED_TO_SALES: N_("returned to sales"), S.COMMITTED: N_("committed")}
RULE_TEXT = {
    "ship_when_paid": N_("A standard product in stock: it ships once paid."),
    "plan_after_deposit": N_("A standard product without stock: it is planned once the deposit arrives, from "
                             "its production lead time."),
    "review": N_("A custom order or a new sample: engineering, purchasing, the warehouse, production and quality "
                 "review it before a date is committed."),
}
KIND_RULE = {OrderKind.STANDARD_IN_STOCK: "ship_when_paid", OrderKind.STANDARD_NO_STOCK: "plan_after_deposit",
             OrderKind.CUSTOM: "review", OrderKind.NEW_SAMPLE: "review"}
PAYMENT_ORDER = [Payment.NONE, Payment.DEPOSIT, Payment.PAID]


@dataclass(frozen=True)
class LineInput:
    """One line as sales enters it; no date: the order's requested date."""

    product_code: str
    quantity: int
    requested_date: dt.date | None = None


@dataclass(frozen=True)
class OrderChange:
    """What an action changed, for the windows to refresh from."""

    kind: str
    order_id: int
    state: str
    committed_date: dt.date | None = None


def move(order: SalesOrder, action: str) -> str:
    allowed = TRANSITIONS[order.state]
    if action not in allowed:
        raise AppError(N_("Sales order {number} is {state}; that step is not possible now."), number=order.number,
                       state=STATE_TEXT[order.state])
    return allowed[action]


def get_order(session: Session, order_id: int) -> SalesOrder:
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise AppError(N_("That sales order does not exist."))
    return order


def order_lines(session: Session, order_id: int) -> list[SalesOrderLine]:
    """The order's lines, in the order they were entered."""
    return list(session.exec(select(SalesOrderLine).where(SalesOrderLine.sales_order_id == order_id)
                             .order_by(SalesOrderLine.id)).all())


def record_date(session: Session, order: SalesOrder, *, kind: str, day: dt.date, by: int, at: dt.datetime,
                why: str = "") -> OrderDateRevision:
    revision = OrderDateRevision(sales_order_id=order.id, kind=kind, day=day, by=by, at=at, why=why)
    session.add(revision)
    session.flush()
    return revision


# -- the lists and the calendar ------------------------------------------------------------------------------

def add_product(session: Session, clock: Clock, *, code: str, name_zh: str, name_en: str, lead_days: int,
                stock: int = 0, staff_id: int) -> int:
    roles.require(session, staff_id, *roles.MASTER_DATA, refusal=roles.MASTER)
    code = inputs.text(code, field=N_("Product code"), limit=inputs.CODE, required=True)
    if session.exec(select(Product.id).where(Product.code == code)).first() is not None:
        raise AppError(N_("There is already a product {code}."), code=code)
    product = Product(code=code, name_zh=inputs.text(name_zh, field=N_("Name"), limit=inputs.NAME, required=True),
                      name_en=inputs.text(name_en, field=N_("Name"), limit=inputs.NAME),
                      lead_days=inputs.lead_days(lead_days, table="product"),
                      stock=inputs.limited("product", "stock", stock, field=N_("Stock")))
    session.add(product)
    session.flush()
    events.record(session, at=clock.now(), kind="product_added", staff_id=staff_id, product=product.id, code=code,
                  lead_days=product.lead_days, stock=product.stock)
    return product.id


def add_material(session: Session, clock: Clock, *, code: str, name: str, lead_days: int, stock: int = 0,
                 staff_id: int) -> int:
    roles.require(session, staff_id, *roles.MASTER_DATA, refusal=roles.MASTER)
    code = inputs.text(code, field=N_("Material code"), limit=inputs.CODE, required=True)
    if session.exec(select(Material.id).where(Material.code == code)).first() is not None:
        raise AppError(N_("There is already a material {code}."), code=code)
    material = Material(code=code, name=inputs.text(name, field=N_("Name"), limit=inputs.NAME, required=True),
                        lead_days=inputs.lead_days(lead_days, table="material"),
                        stock=inputs.limited("material", "stock", stock, field=N_("Stock")))
    session.add(material)
    session.flush()
    events.record(session, at=clock.now(), kind="material_added", staff_id=staff_id, material=material.id,
                  code=code, lead_days=material.lead_days, stock=material.stock)
    return material.id


def set_factory_day(session: Session, clock: Clock, *, day: dt.date, closed: bool, note: str = "",
                    staff_id: int) -> None:
    """Close a weekday (an inventory day, a shutdown) or open a weekend day (a make-up working day)."""
    roles.require(session, staff_id, *roles.MASTER_DATA, refusal=roles.MASTER)
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise AppError(N_("Give {field} as a date."), field=N_("Day"))
    row = session.exec(select(FactoryDay).where(FactoryDay.day == day)).first() or FactoryDay(day=day)
    row.closed, row.note = bool(closed), inputs.text(note, field=N_("Note"), limit=80)
    session.add(row)
    events.record(session, at=clock.now(), kind="factory_day_set", staff_id=staff_id, day=day, closed=row.closed,
                  note=row.note)


# -- entry and triage ------------------------------------------------------------------------------------------

def enter_order(session: Session, clock: Clock, *, number: str, customer: str, kind: str, requested_date: dt.date,
                lines: Sequence[LineInput], staff_id: int, payment: str = Payment.NONE,
                sales_owner: int | None = None) -> OrderChange:
    """Sales enters an order; triage decides at once what happens to it, and says why on the order."""
    now = clock.now()
    roles.require(session, staff_id, *roles.SALES_OR_PMC, refusal=roles.ENTER)
    if sales_owner is not None:
        lookup.staff_by_id(session, sales_owner)
    number = inputs.text(number, field=N_("Order number"), limit=inputs.NUMBER, required=True)
    if session.exec(select(SalesOrder.id).where(SalesOrder.number == number)).first() is not None:
        raise AppError(N_("There is already a sales order {number}."), number=number)
    customer = inputs.text(customer, field=N_("Customer"), limit=inputs.CUSTOMER, required=True)
    if kind not in set(OrderKind):
        raise AppError(N_("Choose the kind of order: standard in stock, standard without stock, custom or new "
                          "sample."))
    if payment not in set(Payment):
        raise AppError(N_("Choose the payment: none, deposit or paid."))
    requested = inputs.requested_date(requested_date, today=now.date())
    if not lines:
        raise AppError(N_("An order needs at least one line."))
    checked: list[tuple[Product, int, dt.date]] = []
    for line in lines:
        product = session.exec(select(Product).where(Product.code == str(line.product_code).strip())).first()
        if product is None:
            raise AppError(N_("There is no product {code}."), code=line.product_code)
        quantity = inputs.quantity(line.quantity)
        day = requested if line.requested_date is None else inputs.requested_date(line.requested_date,
                                                                                  today=now.date())
        if kind == OrderKind.STANDARD_IN_STOCK and product.stock < quantity:
            raise AppError(N_("Only {stock} of {code} are in stock: enter the order as a standard product without "
                              "stock."), stock=product.stock, code=product.code)
        checked.append((product, quantity, day))
    rule = KIND_RULE[kind]
    state = {"ship_when_paid": S.AWAITING_PAYMENT, "plan_after_deposit": S.AWAITING_DEPOSIT,
             "review": S.IN_REVIEW}[rule]
    order = SalesOrder(number=number, customer=customer, kind=kind, payment=Payment.NONE, state=state, rule=rule,
                       requested_date=requested, created_by=staff_id, created_at=now, sales_owner=sales_owner)
    session.add(order)
    session.flush()
    for product, quantity, day in checked:
        session.add(SalesOrderLine(sales_order_id=order.id, product_id=product.id, quantity=quantity,
                                   requested_date=day))
    record_date(session, order, kind=DateKind.REQUESTED, day=requested, by=staff_id, at=now)
    if rule == "review":
        open_reviews(session, order, now=now, departments=list(Department))
    events.record(session, at=now, kind="sales_order_entered", staff_id=staff_id, order=order.id, number=number,
                  order_kind=kind, rule=rule, state=state, requested=requested)
    if payment != Payment.NONE:
        return _pay(session, order, payment=payment, staff_id=staff_id, now=now)
    return OrderChange("sales_order_entered", order.id, order.state)


def open_reviews(session: Session, order: SalesOrder, *, now: dt.datetime, departments: Sequence[str]) -> None:
    """One review per department, all at once, each due REVIEW_DAYS working days from now."""
    due = dt.datetime.combine(load_calendar(session).add(now.date(), REVIEW_DAYS), now.time())
    for department in departments:
        session.add(OrderReview(sales_order_id=order.id, department=department, round=order.review_round,
                                opened_at=now, deadline=due))
    session.flush()


def record_payment(session: Session, clock: Clock, *, order_id: int, payment: str, staff_id: int) -> OrderChange:
    """A deposit or the full payment arrived: a stocked order may ship, an order to be made is planned."""
    roles.require(session, staff_id, *roles.SALES_OR_PMC, refusal=roles.PAY)
    if payment not in (Payment.DEPOSIT, Payment.PAID):
        raise AppError(N_("Choose the payment: none, deposit or paid."))
    order = get_order(session, order_id)
    if PAYMENT_ORDER.index(payment) <= PAYMENT_ORDER.index(order.payment):
        raise AppError(N_("Sales order {number} already has this payment recorded."), number=order.number)
    return _pay(session, order, payment=payment, staff_id=staff_id, now=clock.now())


def _pay(session: Session, order: SalesOrder, *, payment: str, staff_id: int, now: dt.datetime) -> OrderChange:
    order.payment = payment
    if order.state == S.AWAITING_PAYMENT and payment == Payment.PAID:
        order.state = move(order, "paid")
    elif order.state == S.AWAITING_DEPOSIT:
        order.state = move(order, "deposit")
        longest = max(session.exec(select(Product.lead_days).join(SalesOrderLine,
                                                                  SalesOrderLine.product_id == Product.id)
                                   .where(SalesOrderLine.sales_order_id == order.id)).all())
        order.computed_date = order.committed_date = load_calendar(session).add(now.date(), longest)
        record_date(session, order, kind=DateKind.COMMITTED, day=order.committed_date, by=staff_id, at=now,
                    why="planned_after_deposit")
    session.add(order)
    events.record(session, at=now, kind="sales_order_paid", staff_id=staff_id, order=order.id, payment=payment,
                  state=order.state, committed=order.committed_date)
    return OrderChange("sales_order_paid", order.id, order.state, order.committed_date)
