"""The report measures on a morning played on the virtual clock, against values worked out by hand."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from helpers.fixtures import DAY, at, open_counter
from helpers.report_day import NEXT_DAY, UNTIL, build_day, day_filter
from helpers.story import act, issue

from counter_app.clock import VirtualClock
from counter_app.errors import AppError
from counter_app.models.db import open_store
from counter_app.workflows import reports
from counter_app.workflows.oversight import alerts, escalation
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo
from counter_app.workflows.reports import ReportFilter, queries
from counter_app.workflows.reports import scope as report_scope


@pytest.fixture
def morning(hall, clock):
    return build_day(hall, clock)


def test_the_breach_report_lists_every_visit_that_broke_a_target_with_its_cause(hall, morning):
    with hall.read() as session:
        rows = reports.breaches(session, day_filter())
    assert [(r.number, r.broken, r.cause) for r in rows] == [
        ("A001", ("wait", "total"), "staffing"),
        ("A002", ("wait",), ""),
        ("C001", ("service",), "training"),
    ]
    a001, a002, c001 = rows
    assert (a001.wait_s, a001.service_s, a001.total_s, a001.total_target_s) == (1800, 300, 2160, 1500)
    assert (a001.counter, a001.staff_no, a001.service_code) == (1, "S001", "BB")
    # the wait counts to the last call: the recall at 09:28
    assert (a002.wait_s, a002.service_s, a002.total_s) == (26 * 60, None, None)
    # the transfer's two legs are one visit: waits and services added, served by the second counter
    assert (c001.legs, c001.wait_s, c001.service_s, c001.total_s) == (2, 120, 32 * 60, 34 * 60)
    assert (c001.counter, c001.staff_no, c001.service_code, c001.total_target_s) == (3, "S004", "BILL", 3600)
    assert len(c001.escalations) == 1 and c001.approvals == ()
    assert c001.ticket_id == morning["C001"]


def test_the_breach_report_filters_by_service_counter_staff_and_cause(hall, morning):
    with hall.read() as session:
        # a visit is in when any of its legs is: C001 came for bill payment and was sent to new line
        assert [r.number for r in reports.breaches(session, day_filter(services=("BILL",)))] == ["C001"]
        assert [r.number for r in reports.breaches(session, day_filter(services=("PLAN",)))] == []
        assert [r.number for r in reports.breaches(session, day_filter(services=("NEW",)))] == ["C001"]
        assert [r.number for r in reports.breaches(session, day_filter(counters=(3,)))] == ["C001"]
        assert [r.number for r in reports.breaches(session, day_filter(staff=("S001",)))] == ["A001", "A002",
                                                                                              "C001"]
        assert [r.number for r in reports.breaches(session, day_filter(causes=("",)))] == ["A002"]
        assert [r.number for r in reports.breaches(session, day_filter(causes=("training", "staffing")))] == [
            "A001", "C001"]
        with pytest.raises(AppError, match="Unknown service"):
            reports.breaches(session, day_filter(services=("NOPE",)))


def test_a_breach_drills_down_to_the_visits_full_timeline(hall, morning):
    with hall.read() as session:
        kinds = [e.kind for e in reports.visit_timeline(session, morning["C001"])]
    assert kinds == ["ticket_issued", "ticket_called", "service_started", "ticket_transferred", "ticket_called",
                     "service_started", "escalation_requested", "service_finished", "breach_cause_recorded"]


def test_service_level_counts_served_customers_within_each_target_per_day_and_service(hall, morning):
    with hall.read() as session:
        rows = reports.service_level(session, day_filter())
    assert [(r.service_code, r.served, r.within, r.share, r.average_wait_s, r.within_service, r.within_visit)
            for r in rows] == [
        ("BB", 1, 0, 0.0, 1800.0, 1, 0),  # A001 waited 30 minutes, served in 5; A002 was a no-show, not counted
        ("BILL", 1, 1, 1.0, 120.0, 0, 0),  # C001, counted under what it came for: served in 30 minutes of 25
    ]
    # the headline is the whole visit: neither customer had every target kept
    assert [(d.served, d.within) for d in reports.service_level_by_day(rows)] == [(2, 0)]


def test_time_bands_put_each_wait_and_service_into_3_minute_bands(hall, morning):
    with hall.read() as session:
        rows = reports.time_bands(session, day_filter())
    assert [r.band for r in rows] == ["0-3", "3-6", "6-9", "9-12", "12-15", "15+"]
    assert [r.waits for r in rows] == [2, 0, 0, 0, 0, 2]  # C001's two legs; A001 30 min, A002 26 min
    assert [r.services for r in rows] == [1, 1, 0, 0, 0, 1]  # 2 min, 5 min, 30 min
    assert rows[0].wait_share == 0.5


def test_time_bands_with_a_cause_count_every_leg_of_the_visits_with_that_cause(hall, morning):
    # C001's cause (training) was named on its second leg; it is the visit's, so its first leg counts too:
    # leg 1 waited 1 min and was served 2 min, leg 2 waited 1 min and was served 30 min
    with hall.read() as session:
        training = reports.time_bands(session, day_filter(causes=("training",)))
        none = reports.time_bands(session, day_filter(causes=("",)))
        wang_training = reports.time_bands(session, day_filter(causes=("training",), staff=("S001",)))
        staffing = reports.time_bands(session, day_filter(causes=("staffing",)))
    assert [r.waits for r in training] == [2, 0, 0, 0, 0, 0]
    assert [r.services for r in training] == [1, 0, 0, 0, 0, 1]
    # no cause recorded: only A002 (waited 26 min, a no-show), not C001's first leg
    assert [r.waits for r in none] == [0, 0, 0, 0, 0, 1] and [r.services for r in none] == [0] * 6
    # 王芳's part of C001: the first leg
    assert [r.waits for r in wang_training] == [1, 0, 0, 0, 0, 0]
    assert [r.services for r in wang_training] == [1, 0, 0, 0, 0, 0]
    # A001, one leg: waited 30 min, served 5
    assert [r.waits for r in staffing] == [0, 0, 0, 0, 0, 1] and [r.services for r in staffing] == [0, 1, 0, 0, 0, 0]


def test_by_hour_with_a_cause_counts_the_visits_with_that_cause(hall, morning):
    with hall.read() as session:
        training = {r.hour: r for r in reports.by_hour(session, day_filter(causes=("training",)))}
        none = {r.hour: r for r in reports.by_hour(session, day_filter(causes=("",)))}
    # C001 arrived at 09:30 and its two legs each waited a minute
    assert (training[9].arrivals, training[9].average_wait_s, training[9].p90_wait_s) == (1, 60, 60)
    assert 8 not in training or training[8].arrivals == 0
    # A002 alone: C001's first leg carries no cause of its own, but C001's cause is training
    assert (none[9].arrivals, none[9].average_wait_s, none[9].p90_wait_s) == (1, 1560, 1560)
    # the counters open do not depend on the cause
    assert training[9].counters_open == none[9].counters_open == round((60 + 26) / 60, 2)


def test_by_hour_gives_arrivals_waits_and_counters_open(hall, morning):
    with hall.read() as session:
        rows = reports.by_hour(session, day_filter())
    cells = {r.hour: r for r in rows}
    assert cells[8].arrivals == 1 and cells[8].average_wait_s == 1800
    assert cells[9].arrivals == 2  # A002, C001: the transferred leg is not a new arrival
    assert cells[9].average_wait_s == (1560 + 60 + 60) / 3 and cells[9].p90_wait_s == 1560
    assert cells[9].counters_open == round((60 + 26) / 60, 2)  # counter 1 all hour, counter 3 from 09:34
    assert cells[10].counters_open == 1.0  # both until the report's moment, 10:30
    assert reports.percentile([5, 1, 3, 2, 4, 6, 7, 8, 9, 10], 0.9) == 9


def test_staff_and_counters_show_work_idle_time_help_and_rates(hall, morning):
    with hall.read() as session:
        people = {r.key: r for r in reports.staff_and_counters(session, day_filter())}
        counters = {r.key: r for r in reports.staff_and_counters(session, day_filter(), group="counter")}
    wang, zhao = people["S001"], people["S004"]
    assert (wang.called, wang.served, wang.average_service_s, wang.no_shows, wang.transfers) == (3, 1, 300.0, 1, 1)
    assert wang.no_show_rate == pytest.approx(1 / 3) and wang.transfer_rate == pytest.approx(1 / 3)
    # 09:00-09:20 open while A001 and A002 waited, and 09:30-09:31 while C001 waited
    assert wang.idle_s == 21 * 60 and (wang.help_requests, wang.automatic_escalations) == (0, 0)
    # 赵静 asked a senior for help at 09:40 (the morning evaluates no alerts: nothing was raised on its own)
    assert (zhao.called, zhao.served, zhao.average_service_s, zhao.idle_s, zhao.help_requests,
            zhao.automatic_escalations) == (1, 1, 1800.0, 0, 1, 0)
    assert counters["1"].idle_s == 21 * 60 and counters["3"].help_requests == 1


def test_help_a_clerk_asked_for_is_counted_apart_from_escalations_the_service_target_raised(hall, clock):
    """F9: a service that ran past its target goes to the duty manager on its own; that is not the clerk asking."""
    clock.set(at("09:00"))
    wang = open_counter(hall, clock, 1, "S001")
    # C001: 王芳 asks a senior for help at 09:02 and finishes at 09:04, within the 5-minute target
    issue(hall, clock, "BILL")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=wang)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=wang)
    clock.set(at("09:02"))
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=wang, route="senior")
    clock.set(at("09:04"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=wang)
    # C002: nobody asks; at 09:10 the service reaches its 5 minutes and the target raises an escalation itself
    clock.set(at("09:05"))
    issue(hall, clock, "BILL")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=wang)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=wang)
    clock.set(at("09:10"))
    act(hall, clock, alerts.evaluate)
    clock.set(at("09:12"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=wang)
    # C003: she asks at 09:13; at 09:17 the target hands her request up: still one she asked for, none new
    issue(hall, clock, "BILL")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=wang)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=wang)
    clock.set(at("09:13"))
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=wang, route="senior")
    clock.set(at("09:17"))
    act(hall, clock, alerts.evaluate)
    clock.set(at("09:18"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=wang)
    with hall.read() as session:
        raised = [(e.auto, e.state) for e in escalation.escalation_lines(session, at("09:18"), include_resolved=True)]
        people = {r.key: r for r in reports.staff_and_counters(session, ReportFilter(DAY, DAY))}
        counters = {r.key: r for r in reports.staff_and_counters(session, ReportFilter(DAY, DAY), group="counter")}
    # the first two ended with their visits, nobody having answered; the third's visit has just ended
    assert raised == [(False, "resolved"), (True, "resolved"), (False, "handed_up")]
    assert (people["S001"].help_requests, people["S001"].automatic_escalations) == (2, 1)
    assert (counters["1"].help_requests, counters["1"].automatic_escalations) == (2, 1)


def test_causes_count_breaches_by_cause_per_day(hall, morning):
    with hall.read() as session:
        rows = reports.causes(session, day_filter())
        weekly = reports.causes(session, day_filter(), grain="week")
    assert [(r.period, r.cause, r.breaches) for r in rows] == [(DAY, "", 1), (DAY, "staffing", 1),
                                                               (DAY, "training", 1)]
    assert {r.period for r in weekly} == {DAY - dt.timedelta(days=DAY.weekday())}


def test_an_empty_day_reports_nothing_rather_than_failing(hall):
    with hall.read() as session:
        f = ReportFilter(NEXT_DAY, NEXT_DAY)
        assert reports.breaches(session, f) == []
        assert reports.service_level(session, f) == []
        assert [r.waits for r in reports.time_bands(session, f)] == [0] * 6
        assert reports.time_bands(session, f)[0].wait_share is None
        assert reports.by_hour(session, f) == []
        assert reports.staff_and_counters(session, f) == []
        assert reports.causes(session, f) == []
        assert reports.satisfaction(session, f) == []
        with pytest.raises(AppError, match="ends before it starts"):
            reports.breaches(session, ReportFilter(NEXT_DAY, DAY))


def test_a_visit_across_midnight_belongs_to_the_day_it_was_issued(store):
    clock = VirtualClock(at("23:30"))
    with store.write() as session:
        demo.seed_demo(session, at=clock.now(), opens=dt.time(9), closes=dt.time(23, 59))
    clerk = open_counter(store, clock, 1, "S001")
    clock.set(at("23:40"))
    ticket = issue(store, clock, "BB").ticket_id
    clock.set(at("23:50"))
    act(store, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    clock.set(at("23:51"))
    act(store, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("00:05", NEXT_DAY))
    act(store, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    with store.read() as session:
        rows = reports.breaches(session, ReportFilter(DAY, DAY))
        assert reports.breaches(session, ReportFilter(NEXT_DAY, NEXT_DAY)) == []
        level = reports.service_level(session, ReportFilter(DAY, NEXT_DAY))
    assert [(r.ticket_id, r.broken, r.wait_s, r.service_s, r.total_s) for r in rows] == [
        (ticket, ("service", "total"), 600, 14 * 60, 25 * 60)]  # 25 min: the total target, reached
    assert rows[0].finished_at == at("00:05", NEXT_DAY)
    assert [(r.business_date, r.served, r.within) for r in level] == [(DAY, 1, 1)]


def test_the_end_of_day_summary_gathers_the_day(hall, morning):
    with hall.read() as session:
        summary = reports.day_summary(session, DAY, UNTIL)
    assert (summary.customers, summary.served, summary.no_shows, summary.still_open) == (3, 2, 1, 0)
    assert (summary.within, summary.service_level) == (1, 0.5)
    assert summary.breaches_by_cause == {"staffing": 1, "": 1, "training": 1}
    assert [(e.number, e.state) for e in summary.open_escalations] == [("C001", "requested")]


def test_a_store_from_before_the_reports_gets_the_durations_of_its_old_tickets(tmp_path):
    import sqlite3

    from alembic import command

    from counter_app.models.db import Store, alembic_config

    path = tmp_path / "old.sqlite3"
    old = Store(f"sqlite:///{path}")
    cfg = alembic_config()
    with old.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003")
    old.dispose()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO service (id, code, name_zh, name_en, prefix, priority, target_wait_min, "
                   "target_service_min, typical_service_min, target_wrapup_min, sort_order, active) "
                   "VALUES (1, 'BB', '宽带续费', 'Broadband', 'A', 0, 15, 10, 4, 2, 0, 1)")
        db.execute("INSERT INTO ticket (id, number, service_id, business_date, seq, priority, state, outcome, early, "
                   "issued_at, queue_at, called_at, recall_count, started_at, finished_at, origin_id, "
                   "breach_cause_note) VALUES (1, 'A001', 1, '2026-03-02', 1, 0, 'done', 'served', 0, "
                   "'2026-03-02 09:00:00.000000', '2026-03-02 09:00:00.000000', '2026-03-02 09:20:00.000000', 0, "
                   "'2026-03-02 09:21:00.000000', '2026-03-02 09:26:30.000000', 1, '')")
    db.close()
    store = open_store(f"sqlite:///{path}")
    try:
        with store.read() as session:
            rows = reports.breaches(session, ReportFilter(DAY, DAY))
        assert [(r.number, r.wait_s, r.service_s, r.total_s, r.broken) for r in rows] == [
            ("A001", 1200, 330, 1590, ("wait", "total"))]
    finally:
        store.dispose()


def test_a_customer_still_at_the_counter_who_waited_too_long_is_already_a_breach(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:01"))
    ticket = issue(hall, clock, "BB").ticket_id
    clock.set(at("09:20"))
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    clock.set(at("09:21"))
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    with hall.read() as session:
        rows = reports.breaches(session, ReportFilter(DAY, DAY, until=at("09:30")))
    # waited 19 minutes (target 15); still being served, so no service or total time yet
    assert [(r.ticket_id, r.broken, r.wait_s, r.service_s, r.total_s, r.finished_at, r.counter) for r in rows] == [
        (ticket, ("wait",), 19 * 60, None, None, None, 1)]


def test_breaches_by_cause_count_the_rows_of_the_breach_report(hall, morning):
    with hall.read() as session:
        listed = reports.breaches(session, day_filter(services=("BILL", "BB")))
        counted = reports.causes(session, day_filter(services=("BILL", "BB")))
    assert sum(r.breaches for r in counted) == len(listed) == 3
    assert {r.cause: r.breaches for r in counted} == {r.cause: 1 for r in listed}


@pytest.mark.sqlite_only("SQLite's query plan; PostgreSQL plans partial indexes by itself")
def test_the_legs_of_transferred_visits_are_read_from_their_own_index(hall, morning):
    # ix_ticket_transfer holds only them; SQLite uses such a partial index only when the query repeats its
    # condition word for word (report_queries.of_transfers), so a year's report never reads the other legs
    with hall.read() as session:
        scope = queries.scope_of(session, day_filter())
        query = queries._breaking_transfers(scope)
        sql = str(query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
        plan = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
        joined = queries.multi_leg_visits(session, scope, breaches_only=True)
    assert any("ix_ticket_transfer" in step[-1] for step in plan)
    assert [(v.ticket_id, v.legs, v.wait_s, v.service_s, v.total_s) for v in joined] == [
        (morning["C001"], 2, 120, 32 * 60, 34 * 60)]


def test_reports_pause_the_garbage_collector_only_while_they_build_their_rows(hall, morning):
    assert gc.isenabled()
    with report_scope.gc_paused():
        with report_scope.gc_paused():  # another report at the same time, on a worker thread, say
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with hall.read() as session:
        reports.breaches(session, day_filter())
    assert gc.isenabled()
    gc.disable()  # a program that runs without the collector keeps it off
    try:
        with hall.read() as session:
            reports.breaches(session, day_filter())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_end_of_day_summary_lists_the_days_open_help_requests_apart_from_older_ones(hall, clock, morning):
    from counter_app.workflows.oversight import escalation

    # The next morning S001 asks for help too; C001's request of the day before is still open.
    clock.set(at("09:05", NEXT_DAY))
    issue(hall, clock, "BB")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=morning["S001"])
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=morning["S001"])
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=morning["S001"], route="senior",
        reason="contract question")
    until = at("18:00", NEXT_DAY)
    with hall.read() as session:
        next_day = reports.day_summary(session, NEXT_DAY, until)
        first_day = reports.day_summary(session, DAY, until)
    assert [(e.number, e.business_date, e.requested_by) for e in next_day.open_escalations] == [
        ("A001", NEXT_DAY, "王芳")]
    assert [(e.number, e.business_date, e.requested_at) for e in next_day.earlier_open_escalations] == [
        ("C001", DAY, at("09:40"))]
    # Summing up the first day again later does not list what was asked after it.
    assert [e.number for e in first_day.open_escalations] == ["C001"]
    assert first_day.earlier_open_escalations == []


def test_the_end_of_day_summary_names_the_event_logs_newest_row(hall, morning):
    from helpers.story import events

    with hall.read() as session:
        summary = reports.day_summary(session, DAY, UNTIL)
    newest = events(hall)[-1]
    assert (summary.head.event_id, summary.head.hash) == (newest.id, newest.hash)
    assert summary.head.anchor == f"{newest.id}:{newest.hash[:16]}"
