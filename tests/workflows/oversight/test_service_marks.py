"""A service's own marks (revision 0015): its wait and service warning marks, its idle limits for a counter
serving it, and its own queue limits — each against a moment worked out by hand, a second before and at it."""

import datetime as dt
import json

from helpers.fixtures import at, open_counter
from helpers.story import act, issue
from sqlmodel import select

from counter_app.models import Alert, AlertKind, BranchSettings, Event, Service
from counter_app.workflows.oversight import alerts, explain
from counter_app.workflows.oversight.timing import Level, level_of, live_timings, seconds_until_warning
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.queue.board import workspace
from counter_app.workflows.replay import demo


def set_service(store, code, **values):
    with store.write() as session:
        service = session.exec(select(Service).where(Service.code == code)).one()
        for key, value in values.items():
            setattr(service, key, value)
        session.add(service)


def set_branch(store, **values):
    with store.write() as session:
        settings = session.get(BranchSettings, 1)
        for key, value in values.items():
            setattr(settings, key, value)
        session.add(settings)


def login_only(store, clock, number, staff_no):
    """A clerk signs in at a counter (demo counter 1: broadband, bill payment, plan changes) and calls nobody."""
    return act(store, clock, counters.login, counter_number=number, staff_no=staff_no,
               password=demo.DEMO_PASSWORD).staff_id


def look_at(store, clock, when):
    """The manager window looks at the hall at one moment (not minute by minute: to the second)."""
    clock.set(when)
    act(store, clock, alerts.evaluate)


def all_alerts(store, kind=None):
    with store.read() as session:
        query = select(Alert).order_by(Alert.id)
        if kind:
            query = query.where(Alert.kind == kind)
        rows = list(session.exec(query))
        session.expunge_all()
        return rows


def open_alerts(store, kind=None):
    return [a for a in all_alerts(store, kind) if a.resolved_at is None]


def texts(store):
    with store.read() as session:
        return [line.text(lambda s: s) for line in alerts.alert_lines(session)]


def one_second_before(hhmm):
    return at(hhmm) - dt.timedelta(seconds=1)


# -- the warning marks of waits and services ---------------------------------------------------------------


def test_a_services_own_warning_mark_replaces_the_branchs_share_of_its_target():
    # A 10-minute target, the branch's share 0.75 (7:30); the service says 6 minutes.
    assert level_of(6 * 60 - 1, 10, 0.75, 6) == Level.OK
    assert level_of(6 * 60, 10, 0.75, 6) == Level.WARNING
    assert level_of(10 * 60 - 1, 10, 0.75, 6) == Level.WARNING
    assert level_of(10 * 60, 10, 0.75, 6) == Level.BREACHED  # the target stays the target
    assert level_of(7 * 60 + 29, 10, 0.75, 0) == Level.OK  # 0: the branch's share, as before
    assert level_of(7 * 60 + 30, 10, 0.75, 0) == Level.WARNING
    assert seconds_until_warning(5 * 60, 10, 0.75, 6) == 60
    assert seconds_until_warning(5 * 60, 10, 0.75) == 150


def test_a_wait_warns_at_its_services_own_mark_not_a_second_before(hall, clock):
    set_service(hall, "BILL", wait_warning_min=4)  # target 10 min: the branch's share would say 09:07:30
    clock.set(at("09:00"))
    bill = issue(hall, clock, "BILL")
    issue(hall, clock, "BB")  # broadband sets no mark: 0.75 of its 15 minutes, 09:11:15

    with hall.read() as session:
        before = {t.number: t.level for t in live_timings(session, one_second_before("09:04"))}
        at_mark = {t.number: t.level for t in live_timings(session, at("09:04"))}
    assert before == {"C001": Level.OK, "A001": Level.OK}
    assert at_mark == {"C001": Level.WARNING, "A001": Level.OK}

    look_at(hall, clock, one_second_before("09:04"))
    assert open_alerts(hall) == []
    look_at(hall, clock, at("09:04"))
    [warning] = open_alerts(hall)
    assert (warning.kind, warning.ticket_id, warning.raised_at) == (AlertKind.WAIT_WARNING, bill.ticket_id, at("09:04"))

    look_at(hall, clock, at("09:11:14"))
    assert [(a.kind, a.ticket_id) for a in open_alerts(hall)] == [(AlertKind.WAIT_BREACH, bill.ticket_id)]
    look_at(hall, clock, at("09:11:15"))
    assert [a.kind for a in open_alerts(hall) if a.ticket_id != bill.ticket_id] == [AlertKind.WAIT_WARNING]


def test_a_service_warns_at_its_own_mark_and_the_clerk_is_prompted_then(hall, clock):
    set_service(hall, "BB", service_warning_min=5)  # target 10 min: the branch's share would say 7:30
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)

    def prompt():
        with hall.read() as session:
            return explain.explain_prompt(session, clock, counter_number=1, language="en")

    look_at(hall, clock, one_second_before("09:05"))
    assert open_alerts(hall) == []
    assert prompt() is None
    look_at(hall, clock, at("09:05"))
    [warning] = open_alerts(hall)
    assert (warning.kind, warning.raised_at) == (AlertKind.SERVICE_WARNING, at("09:05"))
    assert prompt().level == Level.WARNING
    look_at(hall, clock, at("09:10"))
    assert [a.kind for a in open_alerts(hall)] == [AlertKind.SERVICE_BREACH]


def test_the_counter_sees_its_customers_with_their_services_marks(hall, clock):
    set_service(hall, "BILL", wait_warning_min=3, service_warning_min=2)
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    issue(hall, clock, "BB")
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:03"))
    with hall.read() as session:
        ws = workspace(session, clock, counter_number=1)
    marks = {line.number: (line.wait_warning_min, line.service_warning_min) for line in ws.waiting}
    assert marks == {"C001": (3, 2), "A001": (0, 0)}
    # What the waiting list colours each row with (ui/counter/panels.py).
    levels = {line.number: level_of(line.leg_wait_seconds(ws.now), line.target_wait_min, 0.75, line.wait_warning_min)
              for line in ws.waiting}
    assert levels == {"C001": Level.WARNING, "A001": Level.OK}


# -- an idle counter, service by service ---------------------------------------------------------------------


def test_a_services_idle_mark_replaces_the_branchs_allowance(hall, clock):
    set_service(hall, "BILL", idle_warning_min=1)  # the branch allows 3 minutes
    clock.set(at("08:45"))
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    look_at(hall, clock, one_second_before("09:01"))
    assert open_alerts(hall) == []
    look_at(hall, clock, at("09:01"))
    [idle] = open_alerts(hall)
    assert (idle.kind, idle.severity, idle.raised_at) == (AlertKind.IDLE_COUNTER, "warning", at("09:01"))
    assert json.loads(idle.data)["limit"] == 1


def test_a_service_may_allow_longer_than_the_branch(hall, clock):
    set_service(hall, "BILL", idle_warning_min=5)
    clock.set(at("08:45"))
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:04:59"))
    assert open_alerts(hall) == []
    look_at(hall, clock, at("09:05"))
    assert [a.raised_at for a in open_alerts(hall, AlertKind.IDLE_COUNTER)] == [at("09:05")]


def test_the_tightest_mark_of_the_services_waiting_decides(hall, clock):
    set_service(hall, "BB", idle_warning_min=5)
    set_service(hall, "BILL", idle_warning_min=2)
    clock.set(at("08:45"))
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    issue(hall, clock, "BILL")
    look_at(hall, clock, one_second_before("09:02"))
    assert open_alerts(hall) == []
    look_at(hall, clock, at("09:02"))
    [idle] = open_alerts(hall)
    data = json.loads(idle.data)
    assert (idle.raised_at, data["limit"], data["waiting"]) == (at("09:02"), 2, 2)


def test_a_tight_mark_counts_from_its_own_customers_arrival(hall, clock):
    set_service(hall, "BB", idle_warning_min=5)
    set_service(hall, "BILL", idle_warning_min=2)
    clock.set(at("08:45"))
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BB")  # broadband's 5 minutes: due at 09:05
    clock.set(at("09:02"))
    issue(hall, clock, "BILL")  # bill payment's 2 minutes from 09:02: due at 09:04, not at once
    look_at(hall, clock, at("09:02"))
    look_at(hall, clock, one_second_before("09:04"))
    assert open_alerts(hall) == []
    look_at(hall, clock, at("09:04"))
    [idle] = open_alerts(hall)
    data = json.loads(idle.data)
    assert (idle.raised_at, data["limit"], data["minutes"]) == (at("09:04"), 2, 4)  # idle since 09:00


def test_a_service_without_a_mark_of_its_own_keeps_the_branchs(hall, clock):
    set_service(hall, "BILL", idle_warning_min=5)  # broadband sets none (0): the branch's 3 minutes
    clock.set(at("08:45"))
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    issue(hall, clock, "BB")
    look_at(hall, clock, one_second_before("09:03"))
    assert open_alerts(hall) == []
    look_at(hall, clock, at("09:03"))
    [idle] = open_alerts(hall)
    assert (idle.kind, json.loads(idle.data)["limit"]) == (AlertKind.IDLE_COUNTER, 3)


def test_an_idle_counter_past_a_services_breach_mark_raises_a_breach_that_the_call_clears(hall, clock):
    set_service(hall, "BILL", idle_warning_min=1, idle_breach_min=3)
    clock.set(at("08:45"))
    clerk = login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:01"))
    [warning] = open_alerts(hall)
    assert warning.kind == AlertKind.IDLE_COUNTER

    look_at(hall, clock, one_second_before("09:03"))
    assert [a.kind for a in open_alerts(hall)] == [AlertKind.IDLE_COUNTER]
    look_at(hall, clock, at("09:03"))
    [breach] = open_alerts(hall)
    assert (breach.kind, breach.severity, breach.condition, breach.raised_at) == \
        (AlertKind.IDLE_BREACH, "breach", f"idle_breach:counter:{breach.counter_id}", at("09:03"))
    # The warning gives way to the breach, as a wait's does: two alerts, one after the other.
    assert all_alerts(hall, AlertKind.IDLE_COUNTER)[0].resolved_at == at("09:03")
    assert texts(hall) == ["Counter 1 has been idle 3 min while 1 customer(s) wait, past the 3 min limit"]

    for _ in range(3):  # evaluated again and again: still one alert, one event
        look_at(hall, clock, at("09:04"))
    assert len(all_alerts(hall, AlertKind.IDLE_BREACH)) == 1
    with hall.read() as session:
        raised = session.exec(select(Event).where(Event.kind == "alert_raised")).all()
    assert [json.loads(e.data)["alert_kind"] for e in raised] == ["idle_counter", "idle_breach"]

    clock.set(at("09:05"))
    act(hall, clock, counters.open_counter, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, alerts.evaluate)
    assert open_alerts(hall) == []
    assert all_alerts(hall, AlertKind.IDLE_BREACH)[0].resolved_at == at("09:05")


def test_the_tightest_breach_mark_of_the_services_waiting_decides(hall, clock):
    set_service(hall, "BB", idle_warning_min=2, idle_breach_min=8)
    set_service(hall, "BILL", idle_warning_min=4, idle_breach_min=5)
    clock.set(at("08:45"))
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:02"))
    assert [(a.kind, json.loads(a.data)["limit"]) for a in open_alerts(hall)] == [(AlertKind.IDLE_COUNTER, 2)]
    look_at(hall, clock, one_second_before("09:05"))
    assert [a.kind for a in open_alerts(hall)] == [AlertKind.IDLE_COUNTER]
    look_at(hall, clock, at("09:05"))
    assert [(a.kind, json.loads(a.data)["limit"]) for a in open_alerts(hall)] == [(AlertKind.IDLE_BREACH, 5)]


def test_no_idle_breach_without_a_waiting_customer_of_a_service_that_sets_one(hall, clock):
    set_service(hall, "BILL", idle_warning_min=1, idle_breach_min=2)
    clock.set(at("08:45"))
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BB")  # broadband: the branch's 3 minutes, no breach mark
    look_at(hall, clock, at("09:10"))
    assert [(a.kind, json.loads(a.data)["limit"]) for a in all_alerts(hall)] == [(AlertKind.IDLE_COUNTER, 3)]


# -- a service's own queue ------------------------------------------------------------------------------------


def test_a_services_queue_warns_past_its_warning_mark_and_breaches_past_its_breach_mark(hall, clock):
    set_service(hall, "BILL", queue_warning_len=2, queue_breach_len=3)
    clock.set(at("09:00"))
    for _ in range(5):
        issue(hall, clock, "BB")  # broadband sets no limit of its own; the hall allows 30
    for _ in range(2):
        issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:00"))
    assert open_alerts(hall) == []

    issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:00"))
    [warning] = open_alerts(hall)
    assert (warning.kind, warning.severity, warning.service_id, json.loads(warning.data)["waiting"]) == \
        (AlertKind.SERVICE_QUEUE_WARNING, "warning", warning.service_id, 3)
    assert texts(hall) == ["3 customers waiting for Bill payment, past its warning mark of 2"]

    issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:01"))
    [breach] = open_alerts(hall)
    assert (breach.kind, breach.severity, breach.raised_at) == (AlertKind.SERVICE_QUEUE_BREACH, "breach", at("09:01"))
    assert all_alerts(hall, AlertKind.SERVICE_QUEUE_WARNING)[0].resolved_at == at("09:01")
    assert texts(hall) == ["4 customers waiting for Bill payment, more than the 3 allowed"]

    clerk = open_counter(hall, clock, 4, "S004")  # counter 4: bill payment and new lines
    clock.set(at("09:02"))
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    act(hall, clock, alerts.evaluate)
    assert all_alerts(hall, AlertKind.SERVICE_QUEUE_BREACH)[0].resolved_at == at("09:02")  # by itself
    assert [a.kind for a in open_alerts(hall)] == [AlertKind.SERVICE_QUEUE_WARNING]  # 3 still wait: a new warning

    act(hall, clock, tickets.start_service, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.finish_service, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    act(hall, clock, alerts.evaluate)
    assert [a for a in open_alerts(hall) if a.kind.startswith("service_queue")] == []


def test_a_services_queue_names_it_in_the_windows_language(hall, clock):
    from counter_app import i18n

    set_service(hall, "BILL", queue_breach_len=1)  # a breach mark alone, without a warning mark
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:00"))
    assert [a.kind for a in open_alerts(hall)] == [AlertKind.SERVICE_QUEUE_BREACH]
    i18n.set_language("zh_CN")
    assert "缴费" in texts(hall)[0]


def test_a_service_queue_limit_of_zero_is_no_limit_and_the_halls_limit_still_counts_everyone(hall, clock):
    set_branch(hall, max_queue_length=3)
    clock.set(at("09:00"))
    for _ in range(4):
        issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:00"))
    assert [a.kind for a in open_alerts(hall)] == [AlertKind.QUEUE_LENGTH]


def test_once_every_customer_is_served_there_is_nothing_left_to_watch(hall, clock):
    set_service(hall, "BILL", idle_warning_min=1, idle_breach_min=2, queue_breach_len=0, queue_warning_len=0)
    clock.set(at("08:45"))
    clerk = login_only(hall, clock, 1, "S001")
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    look_at(hall, clock, at("09:02"))
    assert [a.kind for a in open_alerts(hall)] == [AlertKind.IDLE_BREACH]
    with hall.read() as session:
        assert not alerts.nothing_to_watch(session, clock.now())
    act(hall, clock, counters.open_counter, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    with hall.read() as session:
        assert not alerts.nothing_to_watch(session, clock.now())  # the breach is still open: it must resolve
    act(hall, clock, alerts.evaluate)
    with hall.read() as session:
        assert alerts.nothing_to_watch(session, clock.now())
