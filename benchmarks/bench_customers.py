"""Customers at scale: a lookup by phone among 1,000,000 customers (goal: under 5 ms) and the history of a
customer with 500 visits (goal: under 50 ms), each beside a bare sqlite3 query on the same store. Run by run.py's
"customers" row; `generate` also makes the small store tests/models/test_customer_query_plans.py reads.

The customers go in by executemany on the sqlite3 module into a migrated store (the workflows would take an hour
and write an event log no benchmark needs), then ANALYZE, as a store that has run for a while has statistics.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import statistics
import time
from pathlib import Path

BATCH = 50_000
FIRST_DAY = dt.date(2024, 1, 1)


def phone_of(n: int) -> str:
    return f"1{3 + n % 7}{n:09d}"


def generate(path: Path, *, customers: int, visits: int, others: int = 0) -> int:
    """A migrated store at `path` with the demo hall, `customers` customers (a phone and an account each),
    `visits` served visits for the first (phone 13000000000) and `others` for customers drawn at random (so the
    tickets and ratings are not all hers), a rating on one visit in five; returns her id."""
    from counter_app.models.db import open_store
    from counter_app.workflows.core import auth
    from counter_app.workflows.replay import demo

    auth.use_fast_hashing()
    if path.exists():
        path.unlink()
    store = open_store(f"sqlite:///{path}", create=True)
    with store.write() as session:
        demo.seed_demo(session, at=dt.datetime.combine(FIRST_DAY, dt.time(7)), opens=dt.time(0), closes=dt.time(0))
    store.dispose()
    created = f"{FIRST_DAY.isoformat()} 08:00:00.000000"
    with sqlite3.connect(path) as db:
        service_id, counter_id, staff_id = (db.execute(q).fetchone()[0] for q in (
            "SELECT id FROM service WHERE code = 'BB'", "SELECT min(id) FROM counter", "SELECT min(id) FROM staff"))
        for start in range(0, customers, BATCH):
            ids = range(start + 1, min(customers, start + BATCH) + 1)
            db.executemany("INSERT INTO customer (id, account_no, phone, name, created_at) VALUES (?, ?, ?, ?, ?)",
                           ((n, f"AC{n:010d}", phone_of(n - 1), f"客户{n}", created) for n in ids))
            db.executemany("INSERT INTO customer_phone (customer_id, phone, added_at) VALUES (?, ?, ?)",
                           ((n, phone_of(n - 1), created) for n in ids))
            db.executemany("INSERT INTO customer_account (customer_id, account_no, added_at) VALUES (?, ?, ?)",
                           ((n, f"AC{n:010d}", created) for n in ids))
        rng = random.Random(15)
        tickets, ratings = [], []
        for v in range(visits + others):
            day = FIRST_DAY + dt.timedelta(days=v % 700)
            owner = 1 if v < visits else rng.randint(2, customers)
            issued = dt.datetime.combine(day, dt.time(10))
            called = issued + dt.timedelta(minutes=rng.randint(1, 25))
            started, finished = called + dt.timedelta(minutes=1), called + dt.timedelta(minutes=rng.randint(3, 15))
            tickets.append((v + 1, f"A{v // 700 + 1:03d}", service_id, day.isoformat(), v // 700 + 1, 0, "done", 0,
                            issued, issued, called, called, started, finished, 0, counter_id, staff_id, v + 1,
                            "served", "", owner))
            if v % 5 == 0:
                ratings.append((v + 1, rng.randint(1, 5), issued + dt.timedelta(hours=1)))
        db.executemany("INSERT INTO ticket (id, number, service_id, business_date, seq, priority, state, early, "
                       "issued_at, queue_at, called_at, first_called_at, started_at, finished_at, recall_count, "
                       "counter_id, staff_id, origin_id, outcome, breach_cause_note, customer_id) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [tuple(str(x) if isinstance(x, dt.datetime) else x for x in row) for row in tickets])
        db.executemany("INSERT INTO feedback (ticket_id, reference, rating, reason, comment, channel, is_complaint, "
                       "created_at) VALUES (?, '', ?, '', '', 'feedback_window', 0, ?)",
                       [(t, r, str(at)) for t, r, at in ratings])
        db.commit()
        db.execute("ANALYZE")
    return 1


def _p50(action, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(folder: Path, customers: int, visits: int, rounds: int, others: int = 0) -> list[tuple[str, float, float]]:
    """(what, counter_app's p50 in s, bare p50 in s) for the lookup and the history."""
    from counter_app.models.db import open_store
    from counter_app.workflows.customers import records
    from counter_app.workflows.oversight import customer_history

    path = folder / f"customers-{customers}.sqlite3"
    start = time.perf_counter()
    loyal = generate(path, customers=customers, visits=visits, others=others)
    print(f"  ({customers:,} customers, {visits} visits of one and {others:,} of others generated in "
          f"{time.perf_counter() - start:.1f} s)", flush=True)
    rng = random.Random(7)
    phones = [phone_of(rng.randrange(customers)) for _ in range(rounds)]
    store = open_store(f"sqlite:///{path}")
    bare = sqlite3.connect(path)
    found = []
    try:
        with store.read() as session:
            asked = iter(phones * 2)
            app = _p50(lambda: records.find(session, next(asked)), rounds)
            asked = iter(phones * 2)
            base = _p50(lambda: bare.execute("SELECT customer_id FROM customer_phone WHERE phone = ? "
                                             "ORDER BY customer_id LIMIT 1", (next(asked),)).fetchone(), rounds)
            found.append((f"lookup by phone ({customers:,})", app, base))
            assert len(customer_history.history(session, loyal)) >= visits
            app = _p50(lambda: customer_history.history(session, loyal), max(3, rounds // 10))
            base = _p50(lambda: bare.execute("SELECT * FROM ticket WHERE customer_id = ?", (loyal,)).fetchall(),
                        max(3, rounds // 10))
            found.append((f"history, {visits} visits", app, base))
    finally:
        bare.close()
        store.dispose()
    return found
