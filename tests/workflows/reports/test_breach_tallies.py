"""A year's breach report counts the days that are over from their tallies, and pages its rows.

The tallies are a cache of what the tickets say: these stories check that they give the same counts,
that anything done later to a ticket of a tallied day (a cause named a week on) is counted, that a
changed target is not judged by the old tallies, and that paging through the rows lists every breach once.
"""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.fixtures import DAY, at
from helpers.report_day import NEXT_DAY, build_day
from helpers.story import act, issue
from sqlmodel import select

from counter_app.models import ReportDay, Service
from counter_app.workflows import reports
from counter_app.workflows.oversight import explain
from counter_app.workflows.queue import tickets
from counter_app.workflows.reports import ReportFilter, breach_report, closing


@pytest.fixture
def morning(hall, clock):
    return build_day(hall, clock)


def service_ids(store) -> dict[str, int]:
    with store.read() as session:
        return {s.code: s.id for s in session.exec(select(Service))}


def summary(store, **kw) -> breach_report.BreachSummary:
    with store.read() as session:
        return breach_report.breach_summary(session, ReportFilter(DAY, DAY, **kw))


def tally(store, clock) -> list[dt.date]:
    return act(store, clock, closing.tally_days)


def test_a_days_tally_gives_the_same_counts_as_its_tickets(hall, clock, morning):
    ids = service_ids(hall)
    from_tickets = summary(hall)
    expected = {(DAY, ids["BB"], "staffing"): 1, (DAY, ids["BB"], ""): 1, (DAY, ids["BILL"], "training"): 1}
    assert (from_tickets.counts, from_tickets.tallied) == (expected, 0)

    clock.set(at("08:00", NEXT_DAY))
    assert tally(hall, clock) == [DAY]
    from_tally = summary(hall)
    assert (from_tally.counts, from_tally.tallied) == (expected, 1)
    assert from_tally.by_cause() == {"staffing": 1, "": 1, "training": 1}
    assert tally(hall, clock) == []  # nothing left to tally


def test_today_is_not_tallied_until_it_is_over_or_closed(hall, clock, morning):
    clock.set(at("17:40"))
    assert tally(hall, clock) == []
    assert act(hall, clock, closing.tally_days, through=DAY) == [DAY]  # the end of day closes today


def test_a_cause_named_days_later_is_counted_and_the_day_tallied_again(hall, clock, morning):
    ids = service_ids(hall)
    clock.set(at("08:00", NEXT_DAY))
    tally(hall, clock)
    act(hall, clock, explain.record_breach_cause, ticket_id=morning["A002"], staff_id=morning["M001"],
        cause="customer_side")
    with hall.read() as session:
        assert session.get(ReportDay, DAY) is None  # the cause dropped the day's tally in its own transaction
    later = summary(hall)
    assert later.tallied == 0
    assert later.counts[(DAY, ids["BB"], "customer_side")] == 1 and (DAY, ids["BB"], "") not in later.counts
    assert tally(hall, clock) == [DAY]
    assert summary(hall).counts == later.counts


def test_a_tally_counted_under_other_targets_is_not_used(hall, clock, morning):
    ids = service_ids(hall)
    clock.set(at("08:00", NEXT_DAY))
    tally(hall, clock)
    with hall.write() as session:  # broadband's wait target goes from 15 to 40 minutes
        session.get(Service, ids["BB"]).target_wait_min = 40
    # A001 (waited 30, total 36 of 50) and A002 (waited 26) are within the new targets; C001 still is not
    relaxed = summary(hall)
    assert (relaxed.counts, relaxed.tallied) == ({(DAY, ids["BILL"], "training"): 1}, 0)
    assert tally(hall, clock) == [DAY]
    assert summary(hall).counts == relaxed.counts


def test_filters_by_service_counter_or_staff_count_from_the_tickets_and_causes_from_the_tally(hall, clock, morning):
    ids = service_ids(hall)
    clock.set(at("08:00", NEXT_DAY))
    tally(hall, clock)
    by_cause = summary(hall, causes=("training", ""))
    assert (by_cause.visits, by_cause.tallied) == (2, 1)
    # the transferred visit C001 went through the new-line service: a service filter finds it by any leg
    new_line = summary(hall, services=("NEW",))
    assert (new_line.counts, new_line.tallied) == ({(DAY, ids["BILL"], "training"): 1}, 0)
    at_counter_1 = summary(hall, counters=(1,))
    assert at_counter_1.tallied == 0 and at_counter_1.visits == 3  # C001's first leg was at counter 1


def test_days_without_tickets_are_tallied_as_holding_nothing(hall, clock, morning):
    clock.set(at("08:00", DAY + dt.timedelta(days=4)))
    assert tally(hall, clock) == [DAY + dt.timedelta(days=n) for n in range(4)]
    week = ReportFilter(DAY, DAY + dt.timedelta(days=3))
    with hall.read() as session:
        counted = breach_report.breach_summary(session, week)
    assert (counted.visits, counted.tallied) == (3, 4)


@pytest.mark.parametrize("limit", [1, 2, 500])
def test_paging_lists_every_breach_once_in_the_reports_order(hall, clock, morning, limit):
    # a week on, one more broadband customer waits 30 minutes at counter 1: after the transferred C001
    later = DAY + dt.timedelta(days=7)
    clock.set(at("09:00", later))
    late = issue(hall, clock, "BB").ticket_id
    clock.set(at("09:30", later))
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=morning["S001"])
    f = ReportFilter(DAY, later)
    with hall.read() as session:
        whole = reports.breaches(session, f)
        pages, after = [], None
        while page := breach_report.breach_page(session, f, after=after, limit=limit):
            assert len(page) <= limit
            pages.append(page)
            after = page[-1]
    listed = [row.ticket_id for page in pages for row in page]
    assert listed == [row.ticket_id for row in whole] == [
        morning["A001"], morning["A002"], morning["C001"], late]
    assert len(pages) == -(-4 // limit)
    assert pages[0][0].number == "A001" and pages[-1][-1].wait_s == 30 * 60


def test_closing_the_day_tallies_it(hall, clock, morning, tmp_path):
    from counter_app.workflows.reports import closing

    clock.set(at("17:40"))
    act(hall, clock, closing.close_day, day=DAY, staff_id=morning["M001"], path=tmp_path / "day.pdf", language="en")
    closed = summary(hall)
    assert (closed.tallied, closed.visits) == (1, 3)


def test_the_command_line_tallies_past_days(hall, morning, capsys):
    from counter_app.__main__ import main

    assert main(["db", "tally", "--db", hall.url, "--lang", "en"]) == 0  # the system clock's today is long after DAY
    assert "Tallied the breaches of" in capsys.readouterr().out
    assert summary(hall).tallied == 1
