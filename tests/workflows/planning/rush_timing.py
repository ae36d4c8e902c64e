"""A timing check run by hand, not a test: rush_impact over 5,000 open orders (aim: well under 100 ms).

    .venv/bin/python tests/workflows/planning/rush_timing.py

It builds a throw-away store with 5,000 committed orders of two lines each (plus some deliveries) and times
`rush_impact` (the two grouped queries, the calendar and the schedule) and the pure schedule alone.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from sqlmodel import select

from counter_app.clock import VirtualClock
from counter_app.models import Staff
from counter_app.models.db import open_store
from counter_app.models.planning import Delivery, Product, SalesOrder, SalesOrderLine
from counter_app.workflows.planning import review, rush
from counter_app.workflows.planning.orders import LineInput, enter_order
from counter_app.workflows.planning.review import ReviewAnswer
from counter_app.workflows.planning.working_days import load_calendar
from counter_app.workflows.replay import demo

ORDERS = 5_000
NOW = dt.datetime(2026, 9, 28, 9, 0)


def build(url: str) -> int:
    store = open_store(url)
    clock = VirtualClock(NOW)
    with store.write() as session:
        demo.seed_demo(session, at=NOW, opens=dt.time(9), closes=dt.time(17, 30))
    rng = random.Random(14)
    with store.write() as session:
        staff = session.exec(select(Staff.id)).first()
        products = [Product(code=f"P{i}", name_zh=f"P{i}", name_en=f"P{i}", lead_days=5, load_per_unit=1 + i % 4)
                    for i in range(50)]
        session.add_all(products)
        session.flush()
        for n in range(ORDERS):
            day = NOW.date() + dt.timedelta(days=rng.randrange(1, 300))
            order = SalesOrder(number=f"SO-{n}", customer="c", kind="custom", state="committed", rule="review",
                               requested_date=day, committed_date=day, created_by=staff, created_at=NOW)
            session.add(order)
            session.flush()
            for _ in range(2):
                line = SalesOrderLine(sales_order_id=order.id, product_id=rng.choice(products).id,
                                      quantity=rng.randrange(1, 200), requested_date=day)
                session.add(line)
                if n % 5 == 0:
                    session.flush()
                    session.add(Delivery(sales_order_id=order.id, sales_order_line_id=line.id, quantity=1,
                                         shipped_on=NOW.date(), recorded_by=staff, recorded_at=NOW))
        rush.set_capacity(session, clock, units_per_day=2_000, staff_id=staff)
        order_id = enter_order(session, clock, number="RUSH", customer="c", kind="custom",
                               requested_date=dt.date(2027, 6, 30), lines=[LineInput("P1", 500)],
                               staff_id=staff).order_id
        for r in review.current_reviews(session, order_id):
            review.answer_review(session, clock, review_id=r.id, staff_id=staff,
                                 answer=ReviewAnswer(r.department, True, 1))
    store.dispose()
    return order_id


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'timing.sqlite3'}"
        order_id = build(url)
        store = open_store(url, upgrade=False)
        try:
            with store.read() as session:
                best, impact = float("inf"), None
                for _ in range(10):
                    start = time.perf_counter()
                    impact = rush.rush_impact(session, order_id, NOW)
                    best = min(best, time.perf_counter() - start)
                loads = rush.open_loads(session, exclude=order_id)
                calendar = load_calendar(session)
                bare = float("inf")
                for _ in range(10):
                    start = time.perf_counter()
                    rush.impact_of(impact.load, loads, impact.capacity, calendar, NOW.date())
                    bare = min(bare, time.perf_counter() - start)
        finally:
            store.dispose()
    print(f"{len(loads)} open orders, {len(impact.slips)} slip: rush_impact {best * 1000:.1f} ms "
          f"(the schedule alone {bare * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
