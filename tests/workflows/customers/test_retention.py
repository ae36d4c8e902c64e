"""The retention period runs by itself: a branch setting (default 730 days, at least 90), applied when the duty
manager closes the day, in the closing's own transaction; the statistics stay as they were."""

import dataclasses
import datetime as dt
import json

import pytest
from helpers.fixtures import DAY, at, staff_id
from helpers.story import act, events, refused, ticket
from sqlalchemy.exc import IntegrityError
from visiting import visit

from counter_app.models import BranchSettings
from counter_app.workflows.admin import edits, setup_file
from counter_app.workflows.core import audit
from counter_app.workflows.customers import records
from counter_app.workflows.reports import breach_report, closing
from counter_app.workflows.reports.scope import ReportFilter

LATER = DAY + dt.timedelta(days=400)


def _statistics(hall, until):
    with hall.read() as session:
        f = ReportFilter(DAY - dt.timedelta(days=10), LATER, until=until)
        # the counts, not `tallied`: the closing tallies its days, which is the point of closing
        return ([dataclasses.astuple(r) for r in breach_report.breaches(session, f)],
                breach_report.breach_summary(session, f).counts)


def test_the_branch_keeps_customers_data_730_days_unless_told_otherwise(hall, clock):
    with hall.read() as session:
        assert session.get(BranchSettings, 1).customer_retention_days == 730
        assert setup_file.export_setup(session)["branch"]["customer_retention_days"] == 730
    admin = staff_id(hall, "A001")
    assert "customer_retention_days must be a number from 90 to 3660" in refused(
        hall, clock, edits.save_branch, staff_id=admin, branch={"customer_retention_days": 30})
    act(hall, clock, edits.save_branch, staff_id=admin, branch={"customer_retention_days": 365})
    with hall.read() as session:
        assert session.get(BranchSettings, 1).customer_retention_days == 365
        assert audit.verify(session).ok  # the setting is recorded like the others


def test_the_store_refuses_a_period_shorter_than_the_loyalty_views(hall):
    with pytest.raises(IntegrityError), hall.write() as session:
        session.get(BranchSettings, 1).customer_retention_days = 30
        session.flush()


def test_closing_the_day_purges_visits_older_than_the_retention_and_keeps_the_statistics(hall, clock, tmp_path):
    old = visit(hall, clock, "13800138000", day=DAY, wait_min=20)  # broke its wait target: in the report
    recent = visit(hall, clock, "13900139000", day=LATER, wait_min=20)
    act(hall, clock, edits.save_branch, staff_id=staff_id(hall, "A001"), branch={"customer_retention_days": 365})
    until = at("18:00", LATER)
    before = _statistics(hall, until)
    assert len(before[0]) == 2
    clock.set(until)

    act(hall, clock, closing.close_day, day=LATER, staff_id=staff_id(hall, "M001"), path=tmp_path / "day.pdf",
        language="en")

    assert ticket(hall, old).customer_ref is None and ticket(hall, recent).customer_ref == "13900139000"
    with hall.read() as session:
        assert records.find(session, "13800138000") is None  # not seen for a year: anonymised
        assert records.find(session, "13900139000") is not None
    assert _statistics(hall, until) == before
    [purge] = events(hall, "customer_data_purged")
    [day_closed] = events(hall, "day_closed")
    assert purge.id < day_closed.id  # under the page's anchor
    assert json.loads(purge.data)["retention_days"] == 365 and purge.staff_id == staff_id(hall, "M001")
    counted = json.loads(day_closed.data)
    assert (counted["customers_purged"], counted["visits_purged"]) == (1, 1)


def test_a_refused_closing_purges_nothing(hall, clock, tmp_path):
    old = visit(hall, clock, "13800138000", day=DAY)
    clock.set(at("18:00", LATER))
    assert refused(hall, clock, closing.close_day, day=LATER, staff_id=staff_id(hall, "S001"),
                   path=tmp_path / "day.pdf", language="en") == "Only duty managers and administrators can close the day."
    assert ticket(hall, old).customer_ref == "13800138000" and events(hall, "customer_data_purged") == []
