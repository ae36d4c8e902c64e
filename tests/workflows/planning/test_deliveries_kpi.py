"""Deliveries per line (in parts, never more than ordered), and each monthly KPI against a hand-computed example."""

import datetime as dt

import pytest
from helpers.story import act, events, refused
from test_order_review import custom_order

from counter_app.workflows.planning import deliveries, kpi, orders
from counter_app.workflows.planning.kpi import LineRecord, OrderRecord, Records, ShipmentRecord
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.working_days import WorkingCalendar

D = dt.date
OCTOBER = D(2026, 10, 1)


# -- deliveries ------------------------------------------------------------------------------------------------

@pytest.fixture
def planned_line(desk) -> int:
    """SO-9, 20 × P-200 planned after the deposit (committed Fri 9 Oct)."""
    order_id = act(desk.store, desk.clock, orders.enter_order, number="SO-9", customer="温州阀门", kind="standard_no_stock",
                   requested_date=D(2026, 10, 30), lines=[LineInput("P-200", 20)], staff_id=desk.sales,
                   payment="deposit").order_id
    with desk.store.read() as session:
        return orders.order_lines(session, order_id)[0].id


def test_a_line_ships_in_parts_and_never_more_than_ordered(desk, planned_line):
    first = act(desk.store, desk.clock, deliveries.record_delivery, line_id=planned_line, quantity=12,
                shipped_on=D(2026, 9, 28), staff_id=desk.warehouse)
    assert first.left == 8
    message = refused(desk.store, desk.clock, deliveries.record_delivery, line_id=planned_line, quantity=9,
                      shipped_on=D(2026, 9, 28), staff_id=desk.warehouse)
    assert message == "Only 8 of 20 on this line are left to ship: 9 is too many."
    assert act(desk.store, desk.clock, deliveries.record_delivery, line_id=planned_line, quantity=8,
               shipped_on=D(2026, 9, 28), staff_id=desk.warehouse).left == 0
    with desk.store.read() as session:
        assert deliveries.shipped_quantity(session, planned_line) == 20
    assert len(events(desk.store, "delivery_recorded")) == 2


def test_a_delivery_tomorrow_or_of_nothing_or_of_an_order_in_review_is_refused(desk, planned_line):
    assert "Shipping date must be between" in refused(desk.store, desk.clock, deliveries.record_delivery,
                                                      line_id=planned_line, quantity=1, shipped_on=D(2026, 9, 29),
                                                      staff_id=desk.warehouse)
    assert refused(desk.store, desk.clock, deliveries.record_delivery, line_id=planned_line, quantity=0,
                   shipped_on=D(2026, 9, 28), staff_id=desk.warehouse) == (
        "Quantity shipped must be a whole number from 1 to 1000000.")
    in_review = custom_order(desk)
    with desk.store.read() as session:
        line = orders.order_lines(session, in_review)[0].id
    assert refused(desk.store, desk.clock, deliveries.record_delivery, line_id=line, quantity=1,
                   shipped_on=D(2026, 9, 28), staff_id=desk.warehouse) == "Sales order SO-7 is in review: it cannot ship yet."
    assert events(desk.store, "delivery_recorded") == []


# -- the KPIs, on records written by hand ----------------------------------------------------------------------

CRIT_P = ("engineering", "purchasing", "production", "quality")
CRIT_W = ("engineering", "warehouse", "production", "quality")
RECORDS = Records(
    orders=[
        OrderRecord(1, D(2026, 9, 28), D(2026, 10, 2), D(2026, 10, 9), CRIT_P),
        OrderRecord(2, D(2026, 10, 5), D(2026, 10, 12), D(2026, 10, 21), CRIT_W),
        OrderRecord(3, D(2026, 10, 12), D(2026, 10, 14), D(2026, 10, 28), CRIT_P),
        OrderRecord(4, D(2026, 10, 1), D(2026, 10, 1), None, ()),  # planned after a deposit: not reviewed
    ],
    lines=[
        LineRecord(1, 11, 10, D(2026, 10, 9)), LineRecord(1, 12, 5, D(2026, 10, 9)),
        LineRecord(2, 21, 20, D(2026, 10, 20)),
        LineRecord(3, 31, 7, D(2026, 11, 3)),
        LineRecord(4, 41, 8, D(2026, 10, 30)),
    ],
    shipments=[
        ShipmentRecord(11, 6, D(2026, 10, 8)), ShipmentRecord(11, 4, D(2026, 10, 12)),  # 4 late
        ShipmentRecord(12, 5, D(2026, 10, 9)),
        ShipmentRecord(21, 20, D(2026, 10, 19)),
        ShipmentRecord(31, 7, D(2026, 10, 30)),
    ],
    returns=[(1, D(2026, 9, 30)), (2, D(2026, 10, 6)), (2, D(2026, 10, 8)), (3, D(2026, 10, 13))],
)
WEEKDAYS = WorkingCalendar()


def test_on_time_delivery_counts_pieces_shipped_by_the_committed_date():
    # October's committed lines: 10 + 5 (order 1) + 20 (order 2) + 8 (order 4) = 43 pieces; on time: 6 + 5 + 20
    rate = kpi.on_time_delivery(RECORDS, OCTOBER)
    assert (rate.part, rate.whole) == (31, 43)
    assert rate.percent == pytest.approx(72.093, abs=0.001)
    assert kpi.on_time_delivery(RECORDS, D(2026, 12, 1)).percent is None


def test_plan_achievement_counts_orders_shipped_in_full_by_their_date():
    # October's plan: orders 1 (in full on 12 Oct, late), 2 (19 Oct, on time), 4 (nothing shipped)
    assert kpi.plan_achievement(RECORDS, OCTOBER) == kpi.Rate(1, 3)
    assert kpi.plan_achievement(RECORDS, D(2026, 11, 1)) == kpi.Rate(1, 1)  # order 3 shipped early


def test_review_accuracy_judges_the_departments_on_the_critical_path():
    # shipped in full vs computed, working days: order 1 Mon 12 vs Fri 9 → +1; order 2 Mon 19 vs Wed 21 → -2;
    # order 3 Fri 30 vs Wed 28 → +2
    accuracy = kpi.review_accuracy(RECORDS, OCTOBER, WEEKDAYS)
    assert (accuracy["engineering"].judged, accuracy["engineering"].within) == (3, 1)
    assert accuracy["engineering"].mean_late_days == pytest.approx(1 / 3)
    assert (accuracy["purchasing"].judged, accuracy["purchasing"].within, accuracy["purchasing"].mean_late_days) == (
        2, 0, 1.5)
    assert (accuracy["warehouse"].judged, accuracy["warehouse"].percent, accuracy["warehouse"].mean_late_days) == (
        1, 100.0, -2)


def test_review_cycle_time_runs_from_entry_to_commitment_in_working_days():
    # order 1: Mon 28 Sep → Fri 2 Oct = 4; order 2: Mon 5 → Mon 12 = 5; order 3: Mon 12 → Wed 14 = 2
    cycle = kpi.review_cycle_time(RECORDS, OCTOBER, WEEKDAYS)
    assert (cycle.orders, cycle.max_days) == (3, 5)
    assert cycle.mean_days == pytest.approx(11 / 3)


def test_returns_to_sales_count_each_return_and_each_order():
    assert kpi.returned_to_sales(RECORDS, OCTOBER) == (3, 2)
    assert kpi.returned_to_sales(RECORDS, D(2026, 9, 1)) == (1, 1)


def test_the_store_gives_the_same_records_the_kpis_read(desk, planned_line):
    act(desk.store, desk.clock, deliveries.record_delivery, line_id=planned_line, quantity=20,
        shipped_on=D(2026, 9, 28), staff_id=desk.warehouse)
    with desk.store.read() as session:
        records = kpi.load_records(session)
    assert [(r.quantity, r.committed) for r in records.lines] == [(20, D(2026, 10, 9))]
    assert kpi.on_time_delivery(records, OCTOBER) == kpi.Rate(20, 20)
    assert [(o.entered, o.committed_on, o.critical) for o in records.orders] == [
        (D(2026, 9, 28), D(2026, 9, 28), ())]
