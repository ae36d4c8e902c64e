"""A rush order inserted ahead of the committed ones: the desk sees exactly which orders slip and by how many
working days; PMC's sign-off revises their dates with history and flags them for their sales owners."""

import datetime as dt

import pytest
from helpers.story import act, events, refused
from sqlmodel import select

from counter_app.models.planning import OrderFlag, RushApproval
from counter_app.workflows.core import audit
from counter_app.workflows.planning import orders, review, rush
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer

REQUESTED = dt.date(2026, 10, 30)
RUSH_LEADS = {"engineering": 0, "purchasing": 1, "warehouse": 0, "production": 1, "quality": 0}


def product(desk, code, lead, load=1):
    act(desk.store, desk.clock, orders.add_product, code=code, name_zh=code, name_en=code, lead_days=lead,
        staff_id=desk.pmc)
    if load != 1:
        act(desk.store, desk.clock, rush.set_production_load, product_code=code, load_per_unit=load,
            staff_id=desk.pmc)


def planned(desk, number, code, quantity) -> int:
    """A standard order without stock, planned at once: committed to today + the product's lead time."""
    return act(desk.store, desk.clock, orders.enter_order, number=number, customer="宁波海达", kind="standard_no_stock",
               requested_date=REQUESTED, lines=[LineInput(code, quantity)], staff_id=desk.sales, payment="deposit",
               sales_owner=desk.sales).order_id


def reviewed(desk, number, code, quantity) -> int:
    """A custom order every department answered: awaiting PMC, its date computed."""
    order_id = act(desk.store, desk.clock, orders.enter_order, number=number, customer="杭州精工", kind="custom",
                   requested_date=REQUESTED, lines=[LineInput(code, quantity)], staff_id=desk.sales).order_id
    with desk.store.read() as session:
        ids = {r.department: r.id for r in review.current_reviews(session, order_id)}
    for department, lead in RUSH_LEADS.items():
        act(desk.store, desk.clock, review.answer_review, review_id=ids[department], staff_id=desk.reviewer(department),
            answer=ReviewAnswer(department, True, lead))
    return order_id


@pytest.fixture
def factory(desk):
    """Capacity 10 units a day. Committed: A 20 units due Wed 30 Sep, B 10 due Thu 1 Oct, C 30 due Fri 9 Oct.
    Without a rush (from Tue 29): A done day 2 (Wed 30), B day 3 (Thu 1), C day 6 (Tue 6): all on time."""
    act(desk.store, desk.clock, rush.set_capacity, units_per_day=10, staff_id=desk.pmc)
    product(desk, "X", 2)
    product(desk, "Y", 3)
    product(desk, "R-1", 0, load=3)
    ids = {"A": planned(desk, "SO-A", "X", 20), "B": planned(desk, "SO-B", "Y", 10),
           "C": planned(desk, "SO-C", "P-200", 30), "R": reviewed(desk, "SO-R", "R-1", 5)}  # R: 5 × 3 = 15 units
    return ids


def impact(desk, order_id):
    with desk.store.read() as session:
        return rush.rush_impact(session, order_id, desk.clock.now())


def test_a_rush_order_reports_the_exact_slips_of_the_orders_it_displaces(desk, factory):
    seen = impact(desk, factory["R"])
    # R first: 15 units, done day 2 (Wed 30). A: 35 → day 4 (Fri 2), 2 working days past Wed 30.
    # B: 45 → day 5 (Mon 5), 2 past Thu 1 (Fri 2, Mon 5). C: 75 → day 8 (Thu 8), still before Fri 9: no slip.
    assert (seen.load, seen.finish, seen.committed) == (15, dt.date(2026, 9, 30), dt.date(2026, 9, 30))
    assert [(s.number, s.committed, s.new_date, s.days) for s in seen.slips] == [
        ("SO-A", dt.date(2026, 9, 30), dt.date(2026, 10, 2), 2),
        ("SO-B", dt.date(2026, 10, 1), dt.date(2026, 10, 5), 2),
    ]


def test_pmc_signs_off_and_the_slipped_orders_are_revised_and_flagged(desk, factory):
    done = act(desk.store, desk.clock, rush.accept_rush, order_id=factory["R"], staff_id=desk.pmc,
               reason="客户停线，总经理批准插单")
    assert (done.state, done.committed_date) == ("committed", dt.date(2026, 9, 30))
    with desk.store.read() as session:
        a = orders.get_order(session, factory["A"])
        c = orders.get_order(session, factory["C"])
        assert (a.committed_date, c.committed_date) == (dt.date(2026, 10, 2), dt.date(2026, 10, 9))
        last = review.date_history(session, factory["A"])[-1]
        assert (last.kind, last.day, last.by) == ("committed", dt.date(2026, 10, 2), desk.pmc)
        assert "SO-R" in last.why and "插单" in last.why
        flags = rush.flags_for(session, desk.sales)
        assert sorted((f.sales_order_id, f.slip_days, f.new_date) for f in flags) == [
            (factory["A"], 2, dt.date(2026, 10, 2)), (factory["B"], 2, dt.date(2026, 10, 5))]
        approval = session.exec(select(RushApproval)).one()
        [accepted] = events(desk.store, "rush_order_accepted")
        assert audit.content_hash(approval) in accepted.data
        assert accepted.staff_id == desk.pmc
    # the new dates are the plan now: the same rush asked again is not possible, and nothing more slips
    assert "committed" in refused(desk.store, desk.clock, rush.accept_rush, order_id=factory["R"],
                                  staff_id=desk.pmc, reason="again")


def test_an_order_not_awaiting_pmc_is_not_inserted_and_nothing_is_saved(desk, factory):
    message = refused(desk.store, desk.clock, rush.accept_rush, order_id=factory["A"], staff_id=desk.pmc,
                      reason="urgent")
    assert message.startswith("Sales order SO-A is planned: only an order awaiting PMC's confirmation")
    assert "Reason for the rush order" in refused(desk.store, desk.clock, rush.accept_rush,
                                                  order_id=factory["R"], staff_id=desk.pmc, reason="  ")
    with desk.store.read() as session:
        assert orders.get_order(session, factory["R"]).state == "awaiting_pmc"
        assert session.exec(select(OrderFlag)).all() == []
    assert events(desk.store, "rush_order_accepted") == []


def test_capacity_must_be_set_and_above_zero(desk):
    assert refused(desk.store, desk.clock, rush.set_capacity, units_per_day=0, staff_id=desk.pmc) == (
        "Capacity per day must be a whole number from 1 to 100000000.")
    order_id = reviewed(desk, "SO-R", "P-100", 5)
    with desk.store.read() as session, pytest.raises(Exception) as no_capacity:
        rush.rush_impact(session, order_id, desk.clock.now())
    assert "capacity" in str(no_capacity.value)


def test_shipped_pieces_no_longer_take_capacity(desk, factory):
    from counter_app.workflows.planning import deliveries

    with desk.store.read() as session:
        [line] = [line for line in orders.order_lines(session, factory["A"])]
    act(desk.store, desk.clock, deliveries.record_delivery, line_id=line.id, quantity=20,
        shipped_on=dt.date(2026, 9, 28), staff_id=desk.pmc)
    # A is shipped: R 15 (day 2), B 25 → day 3 (Thu 1, on time), C 55 → day 6: nothing slips
    assert impact(desk, factory["R"]).slips == []
