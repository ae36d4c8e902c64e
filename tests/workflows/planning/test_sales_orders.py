"""Entering a sales order: triage of each kind with its rule on the order, payments, and bad input refused."""

import datetime as dt

import pytest
from helpers.story import act, events, refused
from sqlmodel import select

from counter_app.models.planning import OrderReview, SalesOrder, SalesOrderLine
from counter_app.workflows.planning import orders
from counter_app.workflows.planning.orders import RULE_TEXT, LineInput

LATER = dt.date(2026, 11, 30)


def enter(desk, kind, *, number="SO-1", quantity=10, product="P-100", payment="none", requested=LATER):
    return act(desk.store, desk.clock, orders.enter_order, number=number, customer="宁波海达机械有限公司", kind=kind,
               requested_date=requested, lines=[LineInput(product, quantity)], staff_id=desk.sales,
               payment=payment)


def order(desk, order_id) -> SalesOrder:
    with desk.store.read() as session:
        return session.get(SalesOrder, order_id)


def reviews(desk, order_id) -> list[OrderReview]:
    with desk.store.read() as session:
        return list(session.exec(select(OrderReview).where(OrderReview.sales_order_id == order_id)))


def test_a_stocked_standard_product_ships_once_paid(desk):
    entered = enter(desk, "standard_in_stock")
    placed = order(desk, entered.order_id)
    assert (placed.state, placed.rule, placed.committed_date) == ("awaiting_payment", "ship_when_paid", None)
    assert RULE_TEXT[placed.rule] == "A standard product in stock: it ships once paid."
    assert act(desk.store, desk.clock, orders.record_payment, order_id=entered.order_id, payment="deposit",
               staff_id=desk.sales).state == "awaiting_payment"
    assert act(desk.store, desk.clock, orders.record_payment, order_id=entered.order_id, payment="paid",
               staff_id=desk.sales).state == "ready_to_ship"
    assert reviews(desk, entered.order_id) == []
    assert [e.kind for e in events(desk.store) if e.kind.startswith("sales_order")] == [
        "sales_order_entered", "sales_order_paid", "sales_order_paid"]


def test_a_standard_product_without_stock_is_planned_from_its_lead_time_once_the_deposit_arrives(desk):
    entered = enter(desk, "standard_no_stock", product="P-200")
    assert order(desk, entered.order_id).state == "awaiting_deposit"
    desk.clock.set(dt.datetime(2026, 10, 2, 15, 0))  # a Friday
    paid = act(desk.store, desk.clock, orders.record_payment, order_id=entered.order_id, payment="deposit",
               staff_id=desk.sales)
    # 9 working days after Fri 2 Oct: Mon 5 .. Fri 9 (5), Mon 12 .. Thu 15 (9)
    assert (paid.state, paid.committed_date) == ("planned", dt.date(2026, 10, 15))
    assert order(desk, entered.order_id).rule == "plan_after_deposit"


def test_a_paid_order_without_stock_is_planned_at_entry(desk):
    entered = enter(desk, "standard_no_stock", product="P-200", payment="paid")
    assert (entered.state, entered.committed_date) == ("planned", dt.date(2026, 10, 9))


@pytest.mark.parametrize("kind", ["custom", "new_sample"])
def test_custom_orders_and_new_samples_open_five_reviews_at_once(desk, kind):
    entered = enter(desk, kind)
    placed = order(desk, entered.order_id)
    assert (placed.state, placed.rule) == ("in_review", "review")
    opened = reviews(desk, entered.order_id)
    assert sorted(r.department for r in opened) == ["engineering", "production", "purchasing", "quality",
                                                    "warehouse"]
    # two working days from Monday 09:00
    assert {(r.opened_at, r.deadline, r.answered_at) for r in opened} == {
        (dt.datetime(2026, 9, 28, 9, 0), dt.datetime(2026, 9, 30, 9, 0), None)}


@pytest.mark.parametrize(("quantity", "message"), [
    (0, "Quantity must be a whole number from 1 to 1000000."),
    (-5, "Quantity must be a whole number from 1 to 1000000."),
    (1_000_001, "Quantity must be a whole number from 1 to 1000000."),
    ("ten", "Quantity must be a whole number from 1 to 1000000."),
])
def test_a_quantity_out_of_bounds_is_refused_and_nothing_is_saved(desk, quantity, message):
    assert refused(desk.store, desk.clock, orders.enter_order, number="SO-9", customer="A", kind="custom",
                   requested_date=LATER, lines=[LineInput("P-100", quantity)], staff_id=desk.sales) == message
    with desk.store.read() as session:
        assert session.exec(select(SalesOrder)).all() == []
        assert session.exec(select(SalesOrderLine)).all() == []


@pytest.mark.parametrize("requested", [dt.date(2026, 9, 27), dt.date(2028, 9, 28)])
def test_a_requested_date_in_the_past_or_beyond_two_years_is_refused(desk, requested):
    message = refused(desk.store, desk.clock, orders.enter_order, number="SO-9", customer="A", kind="custom",
                      requested_date=requested, lines=[LineInput("P-100", 1)], staff_id=desk.sales)
    assert message == "Requested date must be between 2026-09-28 and 2028-09-27."


def test_an_order_for_more_than_the_stock_is_not_a_stocked_order(desk):
    assert refused(desk.store, desk.clock, orders.enter_order, number="SO-9", customer="A",
                   kind="standard_in_stock", requested_date=LATER, lines=[LineInput("P-100", 51)],
                   staff_id=desk.sales) == ("Only 50 of P-100 are in stock: enter the order as a standard product "
                                            "without stock.")


def test_a_product_lead_time_out_of_bounds_is_refused(desk):
    for lead in (-3, 10_000):
        assert refused(desk.store, desk.clock, orders.add_product, code="P-9", name_zh="泵", name_en="Pump",
                       lead_days=lead, staff_id=desk.pmc) == \
            "Lead time (working days) must be a whole number from 0 to 365."


def test_an_order_number_is_used_once(desk):
    enter(desk, "custom")
    assert refused(desk.store, desk.clock, orders.enter_order, number="SO-1", customer="A", kind="custom",
                   requested_date=LATER, lines=[LineInput("P-100", 1)], staff_id=desk.sales) == \
        "There is already a sales order SO-1."
