"""Service orders: the clerk records the business for the customer at the counter, checked before anything is printed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers.fixtures import DAY, at, open_counter
from sqlmodel import func, select

from counter_app.errors import AppError
from counter_app.models import Customer, Event, ExceptionKind, OrderStatus, ServiceOrder, Ticket
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import approvals
from counter_app.workflows.paperwork import issuing, service_orders
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo

RENEWAL = dict(product="Broadband 100M", effective_from=DAY, term_months=12,
               items=[{"description": "Broadband 100M, 12-month renewal", "amount": "1200.00", "quantity": 1}],
               payment_method="wechat_pay")


@pytest.fixture
def serving(hall, clock):
    """Counter 1 serves a broadband customer, A001."""
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:02"))
    with hall.write() as session:
        ticket = tickets.issue_ticket(session, clock, service_code="BB")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=clerk)
        tickets.start_service(session, clock, counter_number=1, staff_id=clerk)
    return {"clerk": clerk, "ticket_id": ticket.ticket_id}


def create(hall, clock, serving, **changes):
    with hall.write() as session:
        return service_orders.create_service_order(session, clock, counter_number=1, staff_id=serving["clerk"],
                                           **(RENEWAL | changes))


def order(hall, order_id) -> ServiceOrder:
    with hall.read() as session:
        return session.get(ServiceOrder, order_id)


def saved(hall) -> tuple[int, int, int]:
    with hall.read() as session:
        return (session.exec(select(func.count()).select_from(ServiceOrder)).one(),
                session.exec(select(func.count()).select_from(Customer)).one(),
                session.exec(select(func.count()).select_from(Event)).one())


def test_a_renewal_is_recorded_on_the_visit_with_its_end_date_worked_out(hall, clock, serving):
    created = create(hall, clock, serving, customer_phone="138 1234 1234", language="en")

    row = order(hall, created.order_id)
    assert created.reference == "SO-20260302-0001"
    assert (row.ticket_id, row.staff_id, row.status) == (serving["ticket_id"], serving["clerk"], OrderStatus.DRAFT)
    assert row.transaction == "renewal"  # broadband's usual business
    assert (row.effective_from, row.effective_to) == (DAY, dt.date(2027, 3, 1))  # 12 months, less a day
    assert json.loads(row.items) == [{"description": "Broadband 100M, 12-month renewal", "amount": "1200.00",
                                      "quantity": 1}]
    assert (row.customer_phone, row.language, row.created_at) == ("13812341234", "en", at("09:02"))
    assert created.change.kind == "order_created" and created.change.number == "A001"


def test_the_days_orders_are_numbered_in_turn(hall, clock, serving):
    first = create(hall, clock, serving)
    second = create(hall, clock, serving, product="Broadband 200M")
    assert [first.reference, second.reference] == ["SO-20260302-0001", "SO-20260302-0002"]


def test_the_order_takes_the_customer_the_clerk_opened(hall, clock, serving):
    with hall.write() as session:
        card = records.open_customer(session, clock, counter_number=1, staff_id=serving["clerk"],
                                       ref="13912345678", name="Li Lei")

    row = order(hall, create(hall, clock, serving).order_id)

    assert (row.customer_id, row.customer_name, row.customer_phone) == (card.customer_id, "Li Lei", "13912345678")


def test_a_customer_named_only_on_the_order_is_linked_to_the_visit(hall, clock, serving):
    row = order(hall, create(hall, clock, serving, customer_account="0571-8800123").order_id)

    with hall.read() as session:
        ticket = session.get(Ticket, serving["ticket_id"])
    assert row.customer_id is not None and ticket.customer_id == row.customer_id


def test_an_exception_under_the_account_shows_when_the_next_clerk_opens_the_phone_on_the_order(hall, clock, serving):
    # F6: the account and the phone given on one order are one customer, whichever the next clerk types.
    create(hall, clock, serving, customer_account="BB20100001", customer_phone="139 0000 0001")
    with hall.write() as session:
        approvals.approve_exception(session, clock, manager_staff_no="M001", manager_password=demo.DEMO_PASSWORD,
                                    requested_by=serving["clerk"], kind=ExceptionKind.ARREARS_SETTLED,
                                    reason="2010 fee settled", customer_explanation="Paid in 2010; cleared.",
                                    customer_ref="BB20100001")
        tickets.finish_service(session, clock, counter_number=1, staff_id=serving["clerk"])
    next_clerk = open_counter(hall, clock, 2, "S004")
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=2, staff_id=next_clerk)
        card = records.open_customer(session, clock, counter_number=2, staff_id=next_clerk, ref="13900000001")

    assert [e.reason for e in card.exceptions] == ["2010 fee settled"]
    assert (card.account_no, card.phone) == ("BB20100001", "13900000001")


def test_a_phone_that_is_another_customers_is_left_where_it_is(hall, clock, serving):
    with hall.write() as session:
        mine = records.find_or_create(session, clock.now(), "BB20100001").id
        other = records.find_or_create(session, clock.now(), "13900000001").id
    row = order(hall, create(hall, clock, serving, customer_account="BB20100001",
                             customer_phone="13900000001").order_id)
    with hall.read() as session:
        assert row.customer_id == mine
        assert (session.get(Customer, mine).account_no, session.get(Customer, mine).phone) == ("BB20100001", None)
        assert (session.get(Customer, other).account_no, session.get(Customer, other).phone) == \
            (None, "13900000001")


def test_a_mobile_number_follows_the_customer_records_rule(hall, clock, serving):
    with pytest.raises(AppError):
        create(hall, clock, serving, customer_phone="23900000001")


def test_the_clerk_may_say_what_kind_of_business_it_is_and_give_the_end_date(hall, clock, serving):
    row = order(hall, create(hall, clock, serving, transaction="plan_change", term_months=None,
                             effective_to=dt.date(2026, 12, 31)).order_id)
    assert (row.transaction, row.term_months, row.effective_to) == ("plan_change", None, dt.date(2026, 12, 31))


@pytest.mark.parametrize(("start", "months", "end"), [
    (dt.date(2026, 3, 2), 12, dt.date(2027, 3, 1)),
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 27)),  # February has no 31st: to its last day, less one
    (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 14)),
])
def test_the_end_date_of_a_term(start, months, end):
    assert service_orders.add_months(start, months) - dt.timedelta(days=1) == end


@pytest.mark.parametrize(("changes", "message"), [
    ({"product": "  "}, "Enter the product"),
    ({"items": [{"description": "Renewal", "amount": "12.345"}]}, "at most two decimals"),
    ({"items": [{"description": "Renewal", "amount": "twelve"}]}, "must be a number of yuan"),
    ({"items": [{"description": "Refund", "amount": "-5.00"}]}, "from 0 to 1,000,000.00"),
    ({"items": [{"description": "", "amount": "5.00"}]}, "needs a description"),
    ({"items": [{"description": "Router", "amount": "5.00", "quantity": 0}]}, "whole number from 1 to 999"),
    ({"term_months": 0}, "from 1 to 120"),
    # Found accepted or crashing before: bounds on every value (core/bounds.py)
    ({"customer_name": "王" * 10_000}, "The customer's name is too long: at most 40 characters."),
    ({"items": [{"description": "Renewal", "amount": "1e30"}]}, "from 0 to 1,000,000.00"),
    ({"effective_from": DAY.replace(year=1990)}, "The date the business takes effect must be between"),
    ({"term_months": 2**63}, "from 1 to 120"),
    ({"product": "Broadband \ud800"}, "holds a character that cannot be stored"),
    ({"term_months": None, "effective_to": DAY}, "must be after the start date"),
    ({"customer_phone": "1381234"}, "11 digits"),
    ({"payment_method": "cheque"}, "Unknown payment method: cheque."),
    ({"payment_method": "none"}, "Choose how the customer pays the 1200.00 yuan."),
    ({"transaction": "barter"}, "Unknown kind of business"),
    ({"language": "fr"}, "Unknown language"),
])
def test_an_order_that_does_not_add_up_is_refused_and_nothing_is_saved(hall, clock, serving, changes, message):
    before = saved(hall)

    with pytest.raises(AppError, match=message):
        create(hall, clock, serving, customer_account="0571-8800123", **changes)

    assert saved(hall) == before


def test_nothing_to_pay_needs_no_payment_method(hall, clock, serving):
    row = order(hall, create(hall, clock, serving, items=[{"description": "Plan change", "amount": "0"}],
                             payment_method="none", transaction="plan_change").order_id)
    assert json.loads(row.items)[0]["amount"] == "0.00"


def test_an_order_needs_a_customer_at_the_counter(hall, clock):
    clerk = open_counter(hall, clock, 2, "S001")
    with pytest.raises(AppError, match="has no customer at the moment"), hall.write() as session:
        service_orders.create_service_order(session, clock, counter_number=2, staff_id=clerk, **RENEWAL)
    with pytest.raises(AppError, match="not logged in at counter 1"), hall.write() as session:
        service_orders.create_service_order(session, clock, counter_number=1, staff_id=clerk, **RENEWAL)


def test_an_order_is_signed_after_its_form_is_printed_and_a_signed_order_stays(hall, clock, serving):
    created = create(hall, clock, serving)
    with hall.write() as session:
        issuing.issue_acceptance_form(session, clock, order_id=created.order_id, staff_id=serving["clerk"])
    assert order(hall, created.order_id).status == OrderStatus.CONFIRMED

    clock.set(at("09:05"))
    with hall.write() as session:
        service_orders.sign_order(session, clock, order_id=created.order_id, staff_id=serving["clerk"])

    row = order(hall, created.order_id)
    assert (row.status, row.signed_at) == (OrderStatus.SIGNED, at("09:05"))
    with pytest.raises(AppError, match="is signed: that step is not possible now"), hall.write() as session:
        service_orders.cancel_order(session, clock, order_id=created.order_id, staff_id=serving["clerk"])


def test_a_cancelled_order_gets_no_form_and_no_receipt(hall, clock, serving):
    created = create(hall, clock, serving)
    with hall.write() as session:
        service_orders.cancel_order(session, clock, order_id=created.order_id, staff_id=serving["clerk"],
                            reason="customer changed their mind")

    assert order(hall, created.order_id).status == OrderStatus.CANCELLED
    with pytest.raises(AppError, match="is cancelled"), hall.write() as session:
        issuing.issue_acceptance_form(session, clock, order_id=created.order_id, staff_id=serving["clerk"])
    with pytest.raises(AppError, match="was cancelled"), hall.write() as session:
        issuing.issue_receipt(session, clock, order_id=created.order_id, staff_id=serving["clerk"])
    with hall.read() as session:
        logged = session.exec(select(Event).where(Event.kind == "order_cancelled")).one()
    assert json.loads(logged.data)["reason"] == "customer changed their mind"
