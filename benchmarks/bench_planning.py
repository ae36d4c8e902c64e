"""The planning desk's computations on a factory with 5,000 open orders, each beside a bare baseline (issue 14:
committed-date and rush-impact computation under 100 ms).

- *a committed date*: what the review does when an order's last answer comes in, on that store (its current
  reviews and the working calendar read, `network.schedule` — the critical-path method with its loop check,
  forward and backward passes — and `WorkingCalendar.add`), against a bare forward pass over the same network
  in plain Python, its date read from a list of working days.
- *rush impact*: `rush.rush_impact` on the store (two grouped queries, the calendar, the capacity schedule and the
  slips), against the bare version: one grouped query on the sqlite3 module and a running sum.
- the goal: the two together under 100 ms; and, as a stress figure, the dates of all 5,000 orders computed again
  (the pure part), against the bare forward pass for each.

    python benchmarks/bench_planning.py [--orders 5000]

run.py runs it as its `planning` row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = dt.datetime(2026, 9, 28, 9, 0)
LOAD_SQL = """
SELECT o.id, o.committed_date, sum(l.quantity * p.load_per_unit) - coalesce(
    (SELECT sum(d.quantity * p2.load_per_unit) FROM delivery d JOIN sales_order_line l2 ON l2.id = d.sales_order_line_id
     JOIN product p2 ON p2.id = l2.product_id WHERE d.sales_order_id = o.id), 0)
FROM sales_order o JOIN sales_order_line l ON l.sales_order_id = o.id JOIN product p ON p.id = l.product_id
WHERE o.committed_date IS NOT NULL AND o.id != ? GROUP BY o.id ORDER BY o.committed_date, o.id
"""


def build(path: Path, orders: int) -> tuple[int, list[dict[str, int]]]:
    """A demo store with `orders` committed orders of two lines each (a fifth partly shipped), the factory's
    capacity, and one reviewed order awaiting PMC to insert; returns its id and each order's review lead times."""
    from sqlmodel import select

    from counter_app.clock import VirtualClock
    from counter_app.models import Staff
    from counter_app.models.db import open_store
    from counter_app.models.planning import Delivery, Product, SalesOrder, SalesOrderLine
    from counter_app.workflows.core import auth
    from counter_app.workflows.planning import review, rush
    from counter_app.workflows.planning.orders import LineInput, enter_order
    from counter_app.workflows.planning.review import ReviewAnswer
    from counter_app.workflows.replay import demo

    auth.use_fast_hashing()
    store = open_store(f"sqlite:///{path}")
    clock = VirtualClock(NOW)
    rng = random.Random(14)
    with store.write() as session:
        demo.seed_demo(session, at=NOW, opens=dt.time(9), closes=dt.time(17, 30))
    with store.write() as session:
        pmc = session.exec(select(Staff.id).where(Staff.staff_no == "F001")).one()
        products = [Product(code=f"P{i}", name_zh=f"P{i}", name_en=f"P{i}", lead_days=5, load_per_unit=1 + i % 4)
                    for i in range(50)]
        session.add_all(products)
        session.flush()
        for n in range(orders):
            day = NOW.date() + dt.timedelta(days=rng.randrange(1, 300))
            order = SalesOrder(number=f"SO-{n}", customer="c", kind="custom", state="committed", rule="review",
                               requested_date=day, committed_date=day, created_by=pmc, created_at=NOW)
            session.add(order)
            session.flush()
            for _ in range(2):
                line = SalesOrderLine(sales_order_id=order.id, product_id=rng.choice(products).id,
                                      quantity=rng.randrange(1, 200), requested_date=day)
                session.add(line)
                if n % 5 == 0:
                    session.flush()
                    session.add(Delivery(sales_order_id=order.id, sales_order_line_id=line.id, quantity=1,
                                         shipped_on=NOW.date(), recorded_by=pmc, recorded_at=NOW))
        rush.set_capacity(session, clock, units_per_day=2_000, staff_id=pmc)
        order_id = enter_order(session, clock, number="RUSH", customer="c", kind="custom",
                               requested_date=dt.date(2027, 6, 30), lines=[LineInput("P1", 500)],
                               staff_id=pmc).order_id
        for r in review.current_reviews(session, order_id):
            review.answer_review(session, clock, review_id=r.id, staff_id=pmc,
                                 answer=ReviewAnswer(r.department, True, 1))
    store.dispose()
    leads = [{d: rng.randrange(0, 30) for d in ("engineering", "purchasing", "warehouse", "production", "quality")}
             for _ in range(orders)]
    return order_id, leads


def bare_dates(leads: list[dict[str, int]], days: list[dt.date]) -> list[dt.date]:
    """The same network's forward pass written out, the date read from the working days after today."""
    out = []
    for d in leads:
        engineering = d["engineering"]
        production = max(engineering + d["purchasing"], engineering + d["warehouse"]) + d["production"]
        out.append(days[production + d["quality"]])
    return out


def bare_impact(db: sqlite3.Connection, rush_id: int, rush_load: int, units: int) -> list[tuple[int, int, int]]:
    """Each open order's finish (working-day index) without and with the rush order first."""
    done, out = 0, []
    for order_id, _committed, load in db.execute(LOAD_SQL, (rush_id,)):
        if load > 0:
            done += load
            out.append((order_id, -(-done // units), -(-(done + rush_load) // units)))
    return out


def best(action, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def measure(folder: Path, orders: int, rounds: int) -> list[tuple[str, float, float]]:
    """(what, counter_app seconds, bare seconds), medians of `rounds`."""
    from counter_app.models.db import open_store
    from counter_app.workflows.planning import network, review, rush
    from counter_app.workflows.planning.working_days import load_calendar

    path = folder / f"planning-{orders}.sqlite3"
    path.unlink(missing_ok=True)
    rush_id, leads = build(path, orders)
    store = open_store(f"sqlite:///{path}", upgrade=False)
    try:
        with store.read() as session:
            calendar = load_calendar(session)
            today = NOW.date()

            def dates() -> None:
                for durations in leads:
                    calendar.add(today, network.schedule(network.REVIEW_NETWORK, durations).length)

            days = [today]
            while len(days) < 200:
                days.append(calendar.add(days[-1], 1))
            def one_date() -> dt.date:
                reviews = review.current_reviews(session, rush_id)
                plan = network.schedule(network.REVIEW_NETWORK, {r.department: r.lead_days for r in reviews})
                return load_calendar(session).add(today, plan.length)

            one_leads = [{r.department: r.lead_days for r in review.current_reviews(session, rush_id)}]
            assert [one_date()] == bare_dates(one_leads, days)
            app_one, _ = best(one_date, rounds * 10)
            bare_one, _ = best(lambda: bare_dates(one_leads, days), rounds * 10)
            app_dates, _ = best(dates, rounds)
            bare_dates_s, _ = best(lambda: bare_dates(leads, days), rounds)
            assert bare_dates(leads, days) == [calendar.add(today, network.schedule(network.REVIEW_NETWORK, d).length)
                                               for d in leads]
            impact = rush.rush_impact(session, rush_id, NOW)
            app_impact, _ = best(lambda: rush.rush_impact(session, rush_id, NOW), rounds)
    finally:
        store.dispose()
    with sqlite3.connect(path) as db:
        bare_impact_s, _ = best(lambda: bare_impact(db, rush_id, impact.load, impact.capacity), rounds)
        assert len(bare_impact(db, rush_id, impact.load, impact.capacity)) == orders  # every one is open
    return [(f"a committed date, {orders} open orders", app_one, bare_one),
            (f"rush impact, {orders} open orders", app_impact, bare_impact_s),
            ("the two (goal < 100 ms)", app_one + app_impact, bare_one + bare_impact_s),
            (f"all {orders} dates again (CPM)", app_dates, bare_dates_s)]


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        for what, app, bare in measure(Path(folder), args.orders, args.rounds):
            print(f"{what:<44} {app * 1000:8.1f} ms   bare {bare * 1000:7.2f} ms   {app / bare:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
