"""Every query of the counter's day reads what it needs through an index, on a store with a year of history.

A query that reads the whole ticket or event table is cheap on the first day and costs a branch seconds in
its third year (500,000 tickets). Here a year of a small branch is generated, a morning is run through the
workflows the windows use, every SELECT they send is captured, and SQLite's plan of each is checked: no
full scan of the tickets or the events. (A sort of one day's rows is allowed: it does not grow with years.)
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from counter_app.clock import VirtualClock
from counter_app.models.db import open_store
from counter_app.workflows.oversight import alerts, timing
from counter_app.workflows.queue import board, counters, tickets
from counter_app.workflows.replay import demo

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import generate_year  # noqa: E402

pytestmark = pytest.mark.sqlite_only("checks SQLite's query plans")

FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 365
# A full scan of these tables grows with the years. "SCAN event" ordered by its key with a LIMIT reads the
# newest row only (the chain's head), so the plan of exactly that query is allowed.
FULL_SCAN = re.compile(r"^SCAN (ticket|event)\b(?!.*USING (COVERING )?INDEX)")
HEAD_OF_LOG = re.compile(r"FROM event ORDER BY event\.id DESC\s+LIMIT")


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    path = tmp_path_factory.mktemp("year") / "year.sqlite3"
    generate_year.generate(path, days=DAYS, per_day=30, first_day=FIRST_DAY)
    return path


def the_counters_morning(store, clock) -> None:
    """What the windows do on a morning: issue, call, serve, transfer, park, redraw, check alerts."""
    with store.write() as s:
        login = counters.login(s, clock, counter_number=1, staff_no="S001", password=demo.DEMO_PASSWORD)
    with store.write() as s:
        counters.open_counter(s, clock, counter_number=1, staff_id=login.staff_id)
    for code in ("BILL", "BB", "BILL", "PLAN"):
        with store.write() as s:
            tickets.issue_ticket(s, clock, service_code=code)
    steps = [tickets.call_next, tickets.recall, tickets.start_service, tickets.finish_service, tickets.call_next,
             tickets.start_service, tickets.park]
    for step in steps:
        clock.advance(minutes=1)
        with store.write() as s:
            step(s, clock, counter_number=1, staff_id=login.staff_id)
    with store.write() as s:
        tickets.call_next(s, clock, counter_number=1, staff_id=login.staff_id)
    with store.write() as s:
        tickets.transfer(s, clock, counter_number=1, staff_id=login.staff_id, service_code="NEW")
    with store.read() as s:
        board.display_board(s, clock)
        board.workspace(s, clock, counter_number=1)
        timing.live_timings(s, clock.now())
        alerts.nothing_to_watch(s, clock.now())
    with store.write() as s:
        alerts.evaluate(s, clock)


def test_no_query_of_the_counters_day_reads_a_whole_year(year, tmp_path):
    store = open_store(f"sqlite:///{year}")
    clock = VirtualClock(dt.datetime.combine(FIRST_DAY + dt.timedelta(days=DAYS), dt.time(9)))
    sent: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, params, _context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            sent.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        the_counters_morning(store, clock)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    assert len(sent) > 100  # the morning really ran
    whole_reads = {}
    with store.engine.connect() as connection:
        for statement, params in sent:
            plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)]
            if any(FULL_SCAN.match(step) for step in plan) and not HEAD_OF_LOG.search(" ".join(statement.split())):
                whole_reads[" ".join(statement.split())[-300:]] = plan
    store.dispose()
    assert whole_reads == {}
