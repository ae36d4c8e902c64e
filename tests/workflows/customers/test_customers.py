"""Finding the customer at the counter by account number or mobile, and linking the visit to them."""

import datetime as dt

import pytest
from helpers.fixtures import at, open_counter
from helpers.story import act, events, issue, refused, ticket
from sqlmodel import select

from counter_app.errors import AppError
from counter_app.models import Customer
from counter_app.workflows.customers import records
from counter_app.workflows.queue import tickets


@pytest.mark.parametrize(("typed", "ref"), [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    (" 138 0013 8000\t", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("0086-13800138000", "13800138000"),
    ("0571-8800123", "05718800123"),  # a broadband account number
    ("bb2026-0042", "BB20260042"),
    ("BB20260042", "BB20260042"),
])
def test_references_are_read_the_way_clerks_type_them(typed, ref):
    assert records.normalise_ref(typed) == ref


@pytest.mark.parametrize("typed", ["", "   ", "abc", "12#45", "张三", "138.0013.8000", "+86 0571 8800123", "x" * 41])
def test_what_is_neither_a_mobile_nor_an_account_number_is_refused(typed):
    with pytest.raises(AppError) as refusal:
        records.normalise_ref(typed)
    assert refusal.value.text() == "Enter the customer's account number or 11-digit mobile number."


def test_a_customer_is_found_by_any_spelling_of_their_reference(hall, clock):
    with hall.write() as session:
        by_phone = records.find_or_create(session, at("09:00"), "138 0013 8000", "王先生")
        by_account = records.find_or_create(session, at("09:00"), "bb2026-0042")
    assert (by_phone.phone, by_phone.account_no, by_phone.name) == ("13800138000", None, "王先生")
    assert (by_account.phone, by_account.account_no) == (None, "BB20260042")
    with hall.read() as session:
        assert records.find(session, "+86 13800138000").id == by_phone.id
        assert records.find(session, "BB2026-0042").id == by_account.id
        assert records.find(session, "13900139000") is None
    with hall.write() as session:
        assert records.find_or_create(session, at("09:05"), "138-0013-8000").id == by_phone.id
    with hall.read() as session:
        assert len(session.exec(select(Customer)).all()) == 2


def _at_counter(store, clock, number=1, staff_no="S001"):
    clock.set(at("09:00"))
    issued = issue(store, clock, "BB")
    clerk = open_counter(store, clock, number, staff_no)
    act(store, clock, tickets.call_next, counter_number=number, staff_id=clerk)
    return issued, clerk


def test_opening_the_customer_links_the_visit_at_the_counter(hall, clock):
    issued, clerk = _at_counter(hall, clock)
    clock.set(at("09:01"))
    card = act(hall, clock, records.open_customer, counter_number=1, staff_id=clerk, ref="138 0013 8000",
               name="王先生")
    assert (card.phone, card.account_no, card.name, card.exceptions, card.visits) == \
        ("13800138000", None, "王先生", [], 1)
    linked = ticket(hall, issued.ticket_id)
    assert (linked.customer_id, linked.customer_ref) == (card.customer_id, "13800138000")
    [opened] = events(hall, "customer_opened")
    assert (opened.at, opened.staff_id, opened.ticket_id) == (at("09:01"), clerk, issued.ticket_id)
    with hall.read() as session:
        assert records.ticket_customer_card(session, clock, ticket_id=issued.ticket_id) == card


def test_correcting_the_customer_relinks_the_visit(hall, clock):
    issued, clerk = _at_counter(hall, clock)
    act(hall, clock, records.open_customer, counter_number=1, staff_id=clerk, ref="13800138000")
    right = act(hall, clock, records.open_customer, counter_number=1, staff_id=clerk, ref="13900139000")
    linked = ticket(hall, issued.ticket_id)
    assert (linked.customer_id, linked.customer_ref) == (right.customer_id, "13900139000")


def test_the_customer_may_be_looked_up_with_nobody_at_the_counter(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    card = act(hall, clock, records.open_customer, counter_number=1, staff_id=clerk, ref="13800138000")
    assert card.visits == 0
    [opened] = events(hall, "customer_opened")
    assert opened.ticket_id is None


def test_a_bad_reference_or_the_wrong_counter_is_refused_and_nothing_is_saved(hall, clock):
    issued, clerk = _at_counter(hall, clock)
    assert refused(hall, clock, records.open_customer, counter_number=1, staff_id=clerk, ref="abc") == \
        "Enter the customer's account number or 11-digit mobile number."
    assert refused(hall, clock, records.open_customer, counter_number=2, staff_id=clerk, ref="13800138000") == \
        "You are not logged in at counter 2."
    assert ticket(hall, issued.ticket_id).customer_id is None
    assert events(hall, "customer_opened") == []
    with hall.read() as session:
        assert session.exec(select(Customer)).all() == []


def test_visits_are_counted_once_each_whatever_their_transfers(hall, clock):
    issued, clerk = _at_counter(hall, clock)
    act(hall, clock, records.open_customer, counter_number=1, staff_id=clerk, ref="13800138000")
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    leg = act(hall, clock, tickets.transfer, counter_number=1, staff_id=clerk, service_code="BILL")
    assert ticket(hall, leg.ticket_id).customer_id == ticket(hall, issued.ticket_id).customer_id

    clock.set(at("10:00") + dt.timedelta(days=1))
    issue(hall, clock, "PLAN")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    card = act(hall, clock, records.open_customer, counter_number=1, staff_id=clerk, ref="138 0013 8000")
    assert card.visits == 2


def test_a_visit_known_by_account_keeps_the_phone_the_clerk_opens_it_by(hall, clock):
    # F6: the kiosk took the account; the clerk types the phone; both now find the one customer.
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=clerk)
        by_account = records.open_customer(session, clock, counter_number=1, staff_id=clerk, ref="BB20100001")
    with hall.write() as session:
        by_phone = records.open_customer(session, clock, counter_number=1, staff_id=clerk, ref="13900000001")
    assert by_phone.customer_id == by_account.customer_id
    assert (by_phone.account_no, by_phone.phone) == ("BB20100001", "13900000001")


def test_a_customers_name_has_a_bound(hall, clock):
    from helpers.fixtures import at, open_counter
    from helpers.story import act, issue, refused

    from counter_app.workflows.queue import tickets

    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    assert refused(hall, clock, records.open_customer, counter_number=1, staff_id=clerk, ref="13812341234",
                   name="王" * 10_000) == "The customer's name is too long: at most 40 characters."
