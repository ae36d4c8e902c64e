"""A customer is found by phone or account, and their history read, through indexes: on a small store generated as
the benchmark generates its million (benchmarks/bench_customers.py), every SELECT the lookup and the history send
is planned by SQLite without a full scan of the customers, their phones and accounts, or the tickets."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from counter_app.models.db import open_store
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import customer_history

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_customers  # noqa: E402

pytestmark = pytest.mark.sqlite_only("checks SQLite's query plans")

FULL_SCAN = re.compile(r"^SCAN (customer|customer_phone|customer_account|ticket|feedback)\b"
                       r"(?!.*USING (COVERING )?INDEX)")


def plans_of(store, read) -> dict[str, list[str]]:
    sent: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, params, _context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            sent.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        with store.read() as session:
            read(session)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    assert sent
    with store.engine.connect() as connection:
        return {" ".join(statement.split()): [row[-1] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, params)] for statement, params in sent}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("customers") / "customers.sqlite3"
    bench_customers.generate(path, customers=3000, visits=40, others=3000)
    opened = open_store(f"sqlite:///{path}")
    yield opened
    opened.dispose()


def whole_reads(plans: dict[str, list[str]]) -> dict[str, list[str]]:
    return {statement[-300:]: plan for statement, plan in plans.items() if any(FULL_SCAN.match(s) for s in plan)}


def test_the_lookup_by_phone_or_account_uses_an_index(store):
    def look_up(session):
        assert records.find(session, bench_customers.phone_of(1234)).id == 1235
        assert records.find(session, "AC0000002000").id == 2000

    plans = plans_of(store, look_up)
    assert whole_reads(plans) == {}
    assert any("USING INDEX ix_customer_phone_phone" in " ".join(plan) for plan in plans.values()), plans


def test_the_history_of_a_loyal_customer_uses_indexes(store):
    plans = plans_of(store, lambda session: customer_history.history(session, 1))
    assert whole_reads(plans) == {}
