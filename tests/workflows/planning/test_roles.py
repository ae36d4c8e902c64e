"""Who may do what at the planning desk (roles.py): each refusal names who may, and nothing is saved."""

import datetime as dt

import pytest
from helpers.fixtures import staff_id
from helpers.story import act, events, refused
from test_changes import (
    committed,  # noqa: F401  (a fixture)
    line_id,
)
from test_order_review import answer_all, custom_order, review_ids
from test_rush import factory  # noqa: F401  (a fixture)

from counter_app.models import Staff
from counter_app.models.planning import SalesOrder
from counter_app.workflows.core import auth
from counter_app.workflows.planning import changes, deliveries, orders, review, rush
from counter_app.workflows.planning.changes import ChangeInput
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer


def test_a_reviewer_answers_only_their_own_departments_review(desk):
    order_id = custom_order(desk)
    ids = review_ids(desk, order_id)
    assert refused(desk.store, desk.clock, review.answer_review, review_id=ids["engineering"],
                   staff_id=desk.reviewer("purchasing"), answer=ReviewAnswer("engineering", True, 2)) == \
        "Only engineering or PMC can answer engineering's review; you are signed in as Purchasing."
    assert refused(desk.store, desk.clock, review.answer_review, review_id=ids["engineering"], staff_id=desk.sales,
                   answer=ReviewAnswer("engineering", True, 2)) == \
        "Only engineering or PMC can answer engineering's review; you are signed in as Sales."
    assert events(desk.store, "order_review_answered") == []
    # PMC may type in what a department said; the answer records who typed it
    act(desk.store, desk.clock, review.answer_review, review_id=ids["engineering"], staff_id=desk.pmc,
        answer=ReviewAnswer("engineering", True, 2))
    [answered] = events(desk.store, "order_review_answered")
    assert answered.staff_id == desk.pmc


def test_only_pmc_commits_a_date(desk):
    order_id = custom_order(desk)
    answer_all(desk, order_id)
    for who in (desk.sales, desk.reviewer("production"), staff_id(desk.store, "M001")):
        assert refused(desk.store, desk.clock, review.confirm_date, order_id=order_id, staff_id=who) == \
            "Only PMC can commit a delivery date."
        assert refused(desk.store, desk.clock, review.override_date, order_id=order_id, staff_id=who,
                       day=dt.date(2026, 10, 30), reason="客户要求") == "Only PMC can commit a delivery date."
    with desk.store.read() as session:
        assert session.get(SalesOrder, order_id).state == "awaiting_pmc"


def test_only_sales_or_pmc_enter_orders_payments_and_later_dates(desk):
    enter = dict(number="SO-9", customer="温州阀门", kind="standard_no_stock", requested_date=dt.date(2026, 10, 30),
                 lines=[LineInput("P-200", 5)])
    for who in (desk.reviewer("engineering"), desk.warehouse, staff_id(desk.store, "S001")):
        assert refused(desk.store, desk.clock, orders.enter_order, staff_id=who, **enter) == \
            "Only sales or PMC can enter an order."
    order_id = act(desk.store, desk.clock, orders.enter_order, staff_id=desk.pmc, **enter).order_id
    assert refused(desk.store, desk.clock, orders.record_payment, order_id=order_id, payment="deposit",
                   staff_id=desk.warehouse) == "Only sales or PMC can record a payment."
    act(desk.store, desk.clock, orders.record_payment, order_id=order_id, payment="deposit", staff_id=desk.sales)
    returned = custom_order(desk, requested=dt.date(2026, 10, 1))  # too soon: it goes back to sales
    answer_all(desk, returned)
    assert refused(desk.store, desk.clock, review.revise_requested_date, order_id=returned,
                   staff_id=desk.reviewer("production"), day=dt.date(2026, 11, 30), why="客户同意") == \
        "Only sales or PMC can record the customer's later date."


def test_master_data_needs_pmc_or_an_administrator(desk):
    message = "Only PMC or an administrator can change the factory's products, materials, capacity and days."
    for action, kwargs in ((orders.add_product, dict(code="Z", name_zh="Z", name_en="", lead_days=1)),
                           (orders.add_material, dict(code="Z", name="Z", lead_days=1)),
                           (orders.set_factory_day, dict(day=dt.date(2026, 10, 9), closed=True)),
                           (rush.set_capacity, dict(units_per_day=10)),
                           (rush.set_production_load, dict(product_code="P-100", load_per_unit=2))):
        assert refused(desk.store, desk.clock, action, staff_id=desk.sales, **kwargs) == message
    act(desk.store, desk.clock, rush.set_capacity, units_per_day=10, staff_id=staff_id(desk.store, "A001"))


def test_only_the_warehouse_or_pmc_record_a_delivery(desk):
    order_id = act(desk.store, desk.clock, orders.enter_order, number="SO-9", customer="温州阀门",
                   kind="standard_no_stock", requested_date=dt.date(2026, 10, 30), lines=[LineInput("P-200", 5)],
                   staff_id=desk.sales, payment="deposit").order_id
    with desk.store.read() as session:
        line = orders.order_lines(session, order_id)[0].id
    assert refused(desk.store, desk.clock, deliveries.record_delivery, line_id=line, quantity=1,
                   shipped_on=dt.date(2026, 9, 28), staff_id=desk.sales) == \
        "Only the warehouse or PMC can record a delivery."
    assert events(desk.store, "delivery_recorded") == []


def test_a_change_is_acknowledged_by_each_department_itself(desk, committed):  # noqa: F811
    assert refused(desk.store, desk.clock, changes.request_change, order_id=committed,
                   staff_id=desk.reviewer("engineering"),
                   change=ChangeInput(quantities={line_id(desk, committed): 35}, confirmation_reference="HD-1")) == \
        "Only sales or PMC can record a change request."
    done = act(desk.store, desk.clock, changes.request_change, order_id=committed, staff_id=desk.sales,
               change=ChangeInput(requested_date=dt.date(2026, 11, 2), confirmation_reference="HD-1"))
    ids = review_ids(desk, committed)
    act(desk.store, desk.clock, review.answer_review, review_id=ids["production"], staff_id=desk.reviewer("production"),
        answer=ReviewAnswer("production", True, 4))
    act(desk.store, desk.clock, review.confirm_date, order_id=committed, staff_id=desk.pmc)
    assert refused(desk.store, desk.clock, changes.acknowledge_change, change_id=done.change_id,
                   department="production", staff_id=desk.reviewer("quality")) == \
        "Only production or PMC can acknowledge a change for production; you are signed in as Quality."
    assert act(desk.store, desk.clock, changes.acknowledge_change, change_id=done.change_id, department="production",
               staff_id=desk.reviewer("production")).state == "closed"


def test_rush_sign_off_is_pmcs_and_a_flag_is_its_owners(desk, factory):  # noqa: F811
    assert refused(desk.store, desk.clock, rush.accept_rush, order_id=factory["R"], staff_id=desk.sales,
                   reason="插单") == "Only PMC can sign off a rush order."
    act(desk.store, desk.clock, rush.accept_rush, order_id=factory["R"], staff_id=desk.pmc, reason="插单")
    with desk.store.read() as session:
        flag = rush.flags_for(session, desk.sales)[0]
    assert refused(desk.store, desk.clock, rush.mark_flag_seen, flag_id=flag.id, staff_id=desk.other_sales) == \
        "Only the order's sales owner or PMC can mark this flag seen."
    act(desk.store, desk.clock, rush.mark_flag_seen, flag_id=flag.id, staff_id=desk.sales)


def test_a_pmc_password_is_as_long_as_a_managers():
    with pytest.raises(Exception, match="at least 8 characters"):
        auth.hash_password("1234", role="pmc")
    assert auth.hash_password("1234", role="sales")


def test_a_planner_whose_password_an_administrator_reset_acts_again_only_after_choosing_their_own(desk):
    from counter_app.workflows.admin import staff as admin_staff
    from counter_app.workflows.replay import demo

    order_id = custom_order(desk)
    answer_all(desk, order_id)
    with desk.store.read() as session:
        planner = session.get(Staff, desk.pmc).staff_no
    with desk.store.write() as session:  # the password leaked: the administrator sets a new one
        admin_staff.set_password(session, desk.clock, staff_no=planner, password="temp-pass-1", admin_no="A001",
                                 admin_password=demo.DEMO_PASSWORD)
    assert refused(desk.store, desk.clock, review.confirm_date, order_id=order_id, staff_id=desk.pmc) == \
        "Your password was set by an administrator: sign in again and choose your own first."
    with desk.store.write() as session:
        auth.change_password(session, desk.clock, staff_no=planner, password="temp-pass-1", new_password="own-pass-22")
    act(desk.store, desk.clock, review.confirm_date, order_id=order_id, staff_id=desk.pmc)
