"""Alerts: raised at the right minute, once per condition, acknowledged by a person, resolved by themselves."""

import datetime as dt
import json

from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, issue, refused
from sqlmodel import select

from counter_app.models import (
    Alert,
    AlertKind,
    BranchSettings,
    Escalation,
    EscalationState,
    EscalationStep,
    Event,
    HelpRoute,
    Service,
)
from counter_app.workflows.oversight import alerts, escalation
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo


def evaluate_until(store, clock, hhmm):
    """The manager window evaluates alerts as time passes: every virtual minute up to and including hhmm."""
    target = at(hhmm)
    while clock.now() < target:
        step = clock.now().replace(second=0) + dt.timedelta(minutes=1)
        clock.set(min(step, target))
        act(store, clock, alerts.evaluate)


def evaluate(store, clock):
    return act(store, clock, alerts.evaluate)


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


def login_only(store, clock, number, staff_no):
    """A clerk signs in at a counter and leaves it closed."""
    return act(store, clock, counters.login, counter_number=number, staff_no=staff_no,
               password=demo.DEMO_PASSWORD).staff_id


def set_branch(store, **values):
    with store.write() as session:
        settings = session.get(BranchSettings, 1)
        for key, value in values.items():
            setattr(settings, key, value)
        session.add(settings)


def set_service(store, code, **values):
    with store.write() as session:
        service = session.exec(select(Service).where(Service.code == code)).one()
        for key, value in values.items():
            setattr(service, key, value)
        session.add(service)


# -- idle counters (F1) ------------------------------------------------------------------------


def test_a_logged_in_closed_counter_is_idle_three_minutes_after_opening_time_while_a_customer_waits(hall, clock):
    clock.set(at("08:45"))
    login_only(hall, clock, 1, "S002")
    clock.set(at("08:57"))
    issue(hall, clock, "BB")  # the early ticket: before opening nobody is idle
    evaluate_until(hall, clock, "09:02")
    assert open_alerts(hall) == []

    evaluate_until(hall, clock, "09:03")
    [idle] = open_alerts(hall)
    assert (idle.kind, idle.severity, idle.raised_at) == (AlertKind.IDLE_COUNTER, "warning", at("09:03"))
    data = json.loads(idle.data)
    assert (data["counter"], data["waiting"], data["minutes"], data["state"]) == (1, 1, 3, "closed")
    with hall.read() as session:
        [line] = alerts.alert_lines(session)
    assert line.text(lambda s: s) == "Counter 1 is idle while 1 customer(s) wait (3 min)"


def test_an_open_counter_that_calls_nobody_is_idle_and_opening_does_not_restart_its_idle_clock(hall, clock):
    clock.set(at("08:48"))
    clerk = login_only(hall, clock, 2, "S001")
    clock.set(at("08:59"))
    issue(hall, clock, "BILL")
    evaluate_until(hall, clock, "09:03")
    [raised] = open_alerts(hall, AlertKind.IDLE_COUNTER)
    clock.set(at("09:05"))
    act(hall, clock, counters.open_counter, counter_number=2, staff_id=clerk)
    evaluate_until(hall, clock, "09:09")
    # One idle spell, one alert, counted from opening time: not resolved at 09:05 and raised again at 09:08.
    assert [a.id for a in all_alerts(hall, AlertKind.IDLE_COUNTER)] == [raised.id]
    assert json.loads(open_alerts(hall, AlertKind.IDLE_COUNTER)[0].data)["minutes"] == 9

    clock.set(at("09:10"))
    act(hall, clock, tickets.call_next, counter_number=2, staff_id=clerk)
    evaluate(hall, clock)
    [gone] = all_alerts(hall, AlertKind.IDLE_COUNTER)
    assert gone.resolved_at == at("09:10")


def test_a_clerk_who_just_signed_in_has_the_idle_allowance_from_signing_in(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clock.set(at("09:10"))
    login_only(hall, clock, 1, "S001")
    evaluate_until(hall, clock, "09:12")
    assert open_alerts(hall, AlertKind.IDLE_COUNTER) == []
    evaluate_until(hall, clock, "09:13")
    assert [a.raised_at for a in open_alerts(hall, AlertKind.IDLE_COUNTER)] == [at("09:13")]


def test_no_idle_alert_without_waiting_customers_of_the_counters_services(hall, clock):
    clock.set(at("09:00"))
    open_counter(hall, clock, 4, "S004")  # counter 4: bill payment and new lines only
    issue(hall, clock, "BB")
    evaluate_until(hall, clock, "09:20")
    assert open_alerts(hall, AlertKind.IDLE_COUNTER) == []


def test_no_idle_alert_for_a_counter_nobody_is_logged_in_at(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    evaluate_until(hall, clock, "09:10")
    assert open_alerts(hall, AlertKind.IDLE_COUNTER) == []


def test_a_paused_counter_is_not_idle_and_its_idle_clock_restarts_when_it_reopens(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, counters.pause_counter, counter_number=1, staff_id=clerk)
    issue(hall, clock, "BB")
    evaluate_until(hall, clock, "09:10")
    assert open_alerts(hall) == []

    act(hall, clock, counters.open_counter, counter_number=1, staff_id=clerk)
    evaluate_until(hall, clock, "09:12")
    assert open_alerts(hall, AlertKind.IDLE_COUNTER) == []
    evaluate_until(hall, clock, "09:13")
    assert [a.raised_at for a in open_alerts(hall, AlertKind.IDLE_COUNTER)] == [at("09:13")]


def test_after_a_finish_the_clerk_has_the_services_wrap_up_time(hall, clock):
    set_service(hall, "BB", target_wrapup_min=5)
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("09:05"))
    issue(hall, clock, "BB")
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    evaluate_until(hall, clock, "09:09")  # past the branch's 3 minutes, inside broadband's 5-minute wrap-up
    assert open_alerts(hall, AlertKind.IDLE_COUNTER) == []
    evaluate_until(hall, clock, "09:10")
    assert [a.raised_at for a in open_alerts(hall, AlertKind.IDLE_COUNTER)] == [at("09:10")]


def test_a_short_wrap_up_does_not_shorten_the_branchs_idle_allowance(hall, clock):
    set_service(hall, "BB", target_wrapup_min=1)
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("09:01"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    evaluate_until(hall, clock, "09:03")
    assert open_alerts(hall, AlertKind.IDLE_COUNTER) == []
    evaluate_until(hall, clock, "09:04")
    assert len(open_alerts(hall, AlertKind.IDLE_COUNTER)) == 1


def test_the_branch_sets_how_long_customers_may_wait_beside_an_idle_counter(hall, clock):
    set_branch(hall, idle_alert_minutes=1)
    clock.set(at("09:00"))
    login_only(hall, clock, 1, "S001")
    issue(hall, clock, "BB")
    evaluate_until(hall, clock, "09:01")
    assert [a.raised_at for a in open_alerts(hall)] == [at("09:01")]


def test_no_idle_alert_after_closing_time(hall, clock):
    clock.set(at("17:20"))
    login_only(hall, clock, 1, "S001")
    issue(hall, clock, "BB")
    evaluate_until(hall, clock, "17:29")
    [idle] = open_alerts(hall, AlertKind.IDLE_COUNTER)
    evaluate_until(hall, clock, "17:30")
    assert open_alerts(hall, AlertKind.IDLE_COUNTER) == []
    assert all_alerts(hall, AlertKind.IDLE_COUNTER)[0].resolved_at == at("17:30")


def test_a_ticket_left_waiting_yesterday_raises_nothing_today(hall, clock):
    clock.set(at("17:00"))
    issue(hall, clock, "BB")  # the customer went home; the hall closed at 17:30
    clock.set(at("08:50") + dt.timedelta(days=1))
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:30") + dt.timedelta(days=1))
    evaluate(hall, clock)
    assert open_alerts(hall) == []


# -- waits and services ------------------------------------------------------------------------


def test_a_wait_warns_at_its_mark_and_breaches_at_its_target(hall, clock):
    clock.set(at("09:00"))
    bill = issue(hall, clock, "BILL")  # wait target 10 min: warning at 09:07:30, breach at 09:10
    evaluate_until(hall, clock, "09:07")
    assert open_alerts(hall) == []
    evaluate_until(hall, clock, "09:08")
    [warning] = open_alerts(hall)
    assert (warning.kind, warning.severity, warning.ticket_id, warning.raised_at) == \
        (AlertKind.WAIT_WARNING, "warning", bill.ticket_id, at("09:08"))

    evaluate_until(hall, clock, "09:10")
    [breach] = open_alerts(hall)
    assert (breach.kind, breach.severity, breach.raised_at) == (AlertKind.WAIT_BREACH, "breach", at("09:10"))
    assert all_alerts(hall, AlertKind.WAIT_WARNING)[0].resolved_at == at("09:10")
    with hall.read() as session:
        [line] = alerts.alert_lines(session)
    assert line.text(lambda s: s) == "C001 has waited 10 min, over the 10 min target"

    clerk = open_counter(hall, clock, 4, "S004")
    clock.set(at("09:12"))
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    evaluate(hall, clock)
    assert open_alerts(hall) == []
    assert all_alerts(hall, AlertKind.WAIT_BREACH)[0].resolved_at == at("09:12")


def test_a_service_warns_at_its_mark_and_breaches_at_its_target(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")  # service target 10 min: warning at 7:30
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    evaluate_until(hall, clock, "09:07")
    assert open_alerts(hall) == []
    evaluate_until(hall, clock, "09:08")
    [warning] = open_alerts(hall)
    assert (warning.kind, warning.raised_at) == (AlertKind.SERVICE_WARNING, at("09:08"))
    with hall.read() as session:
        [line] = alerts.alert_lines(session)
    assert line.text(lambda s: s) == "A001 at counter 1: service 8 min (target 10 min)"

    evaluate_until(hall, clock, "09:10")
    [breach] = open_alerts(hall)
    assert (breach.kind, breach.severity, breach.raised_at) == (AlertKind.SERVICE_BREACH, "breach", at("09:10"))

    clock.set(at("09:14"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    evaluate(hall, clock)
    assert open_alerts(hall) == []


def test_too_many_waiting_customers_raise_one_queue_alert(hall, clock):
    set_branch(hall, max_queue_length=3)
    clock.set(at("09:00"))
    for _ in range(3):
        issue(hall, clock, "BILL")
    evaluate(hall, clock)
    assert open_alerts(hall, AlertKind.QUEUE_LENGTH) == []
    issue(hall, clock, "NEW")
    evaluate(hall, clock)
    issue(hall, clock, "PLAN")
    evaluate(hall, clock)
    [long_queue] = open_alerts(hall, AlertKind.QUEUE_LENGTH)
    assert json.loads(long_queue.data) == {"waiting": 5, "limit": 3}  # kept up to date while it lasts

    clerk = open_counter(hall, clock, 1, "S001")
    for _ in range(2):
        act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
        act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
        act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    evaluate(hall, clock)
    assert open_alerts(hall, AlertKind.QUEUE_LENGTH) == []


def test_a_queue_limit_of_zero_means_no_limit(hall, clock):
    set_branch(hall, max_queue_length=0)
    clock.set(at("09:00"))
    for _ in range(40):
        issue(hall, clock, "NEW")
    evaluate(hall, clock)
    assert open_alerts(hall, AlertKind.QUEUE_LENGTH) == []


# -- once per condition ------------------------------------------------------------------------


def test_evaluating_again_and_again_never_duplicates_an_alert_or_its_event(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    login_only(hall, clock, 1, "S001")
    clock.set(at("09:08"))
    first = evaluate(hall, clock)
    assert sorted(c.kind for c in first) == ["alert_raised", "alert_raised"]  # the wait warning, the idle counter
    for _ in range(5):
        assert evaluate(hall, clock) == []
    clock.set(at("09:08:40"))
    assert evaluate(hall, clock) == []
    assert len(all_alerts(hall)) == 2
    with hall.read() as session:
        raised = session.exec(select(Event).where(Event.kind == "alert_raised")).all()
    assert len(raised) == 2


def test_a_condition_that_comes_back_later_is_a_new_alert(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    evaluate_until(hall, clock, "09:03")
    [first] = open_alerts(hall, AlertKind.IDLE_COUNTER)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    evaluate(hall, clock)
    assert open_alerts(hall, AlertKind.IDLE_COUNTER) == []

    clock.set(at("09:05"))
    issue(hall, clock, "BB")
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    evaluate_until(hall, clock, "09:08")
    [again] = open_alerts(hall, AlertKind.IDLE_COUNTER)
    assert again.id != first.id and again.raised_at == at("09:08")
    assert [a.resolved_at for a in all_alerts(hall, AlertKind.IDLE_COUNTER)] == [at("09:03"), None]


# -- acknowledging -----------------------------------------------------------------------------


def test_acknowledging_records_who_and_when_and_only_once(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    evaluate_until(hall, clock, "09:08")
    [alert] = open_alerts(hall)
    manager = staff_id(hall, "M001")
    clock.set(at("09:09"))
    change = act(hall, clock, alerts.acknowledge, alert_id=alert.id, staff_id=manager)
    assert change.kind == "alert_acknowledged"
    [seen] = all_alerts(hall)
    assert (seen.acknowledged_by, seen.acknowledged_at, seen.resolved_at) == (manager, at("09:09"), None)
    with hall.read() as session:
        [line] = alerts.alert_lines(session)
    assert line.acknowledged_by == "陈刚"

    clock.set(at("09:10"))
    assert refused(hall, clock, alerts.acknowledge, alert_id=alert.id, staff_id=staff_id(hall, "S003")) == \
        "This alert was already acknowledged."
    assert all_alerts(hall)[0].acknowledged_by == manager
    assert refused(hall, clock, alerts.acknowledge, alert_id=999, staff_id=manager) == "That alert does not exist."


def test_an_acknowledged_alert_still_resolves_by_itself(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BILL")
    evaluate_until(hall, clock, "09:08")
    [alert] = open_alerts(hall)
    act(hall, clock, alerts.acknowledge, alert_id=alert.id, staff_id=staff_id(hall, "M001"))
    clerk = open_counter(hall, clock, 4, "S004")
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    evaluate(hall, clock)
    assert all_alerts(hall)[0].resolved_at == at("09:08")


# -- the service target escalates by itself ----------------------------------------------------


def _serving(store, clock, counter, staff_no):
    clock.set(at("09:00"))
    issue(store, clock, "BB")
    clerk = open_counter(store, clock, counter, staff_no)
    act(store, clock, tickets.call_next, counter_number=counter, staff_id=clerk)
    act(store, clock, tickets.start_service, counter_number=counter, staff_id=clerk)
    return clerk


def _escalations(store):
    with store.read() as session:
        rows = list(session.exec(select(Escalation).order_by(Escalation.id)))
        steps = {e.id: [(s.action, s.staff_id, s.at) for s in session.exec(
            select(EscalationStep).where(EscalationStep.escalation_id == e.id).order_by(EscalationStep.id))]
            for e in rows}
        session.expunge_all()
        return rows, steps


def test_a_service_at_its_target_goes_to_the_duty_manager_on_its_own(hall, clock):
    clerk = _serving(hall, clock, 1, "S001")
    evaluate_until(hall, clock, "09:09")
    assert _escalations(hall)[0] == []
    evaluate_until(hall, clock, "09:10")
    [raised], steps = _escalations(hall)
    assert (raised.state, raised.route, raised.auto, raised.requested_by, raised.requested_at) == \
        (EscalationState.HANDED_UP, HelpRoute.MANAGER, True, clerk, at("09:10"))
    assert steps[raised.id] == [("auto_raised", None, at("09:10"))]

    evaluate_until(hall, clock, "09:20")  # the breach persists: still one escalation
    assert len(_escalations(hall)[0]) == 1
    with hall.read() as session:
        assert [line.escalation_id for line in escalation.inbox(session, at("09:20"),
                                                                 staff_id=staff_id(hall, "M001"))] == [raised.id]


def test_a_request_a_senior_accepted_is_handed_up_at_the_service_target(hall, clock):
    trainee = _serving(hall, clock, 1, "S002")
    clock.set(at("09:05"))
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=trainee, route=HelpRoute.MENTOR,
        reason="old fee on the account")
    senior = staff_id(hall, "S003")
    act(hall, clock, escalation.accept, escalation_id=1, staff_id=senior)
    evaluate_until(hall, clock, "09:10")
    [request], steps = _escalations(hall)
    assert (request.state, request.auto, request.accepted_by, request.handed_up_at) == \
        (EscalationState.HANDED_UP, False, None, at("09:10"))
    assert steps[request.id] == [("requested", trainee, at("09:05")), ("accepted", senior, at("09:05")),
                                 ("handed_up", None, at("09:10"))]


def test_a_request_the_duty_manager_already_holds_is_left_with_them(hall, clock):
    clerk = _serving(hall, clock, 1, "S001")
    clock.set(at("09:05"))
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=clerk, route=HelpRoute.MANAGER)
    manager = staff_id(hall, "M001")
    act(hall, clock, escalation.accept, escalation_id=1, staff_id=manager)
    evaluate_until(hall, clock, "09:10")
    [request], steps = _escalations(hall)
    assert (request.state, request.accepted_by) == (EscalationState.ACCEPTED, manager)
    assert [action for action, _, _ in steps[request.id]] == ["requested", "accepted"]
    assert [a.kind for a in open_alerts(hall)] == [AlertKind.SERVICE_BREACH]


def quiet(store, clock) -> bool:
    with store.read() as session:
        return alerts.nothing_to_watch(session, clock.now())


def test_there_is_nothing_to_watch_only_while_nobody_is_in_the_hall_and_no_alert_is_open(hall, clock):
    clock.set(at("09:00"))
    s001 = open_counter(hall, clock, 1, "S001")
    assert quiet(hall, clock)  # an open counter and nobody waiting: no alert can come
    issue(hall, clock, "BB")
    assert not quiet(hall, clock)
    evaluate_until(hall, clock, "09:14")  # the wait warning is up
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=s001)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=s001)
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=s001)
    with hall.read() as session:
        assert session.exec(select(Alert).where(Alert.resolved_at.is_(None))).first() is not None
    assert not quiet(hall, clock)  # the open alert still has to be resolved
    act(hall, clock, alerts.evaluate)
    assert quiet(hall, clock)


def test_the_periodic_check_writes_only_when_something_is_due(hall, clock):
    # The windows look every few seconds; a look that finds nothing new takes no write lock.
    clock.set(at("09:00"))
    with hall.read() as session:
        assert not alerts.due(session, clock)  # an empty hall
    issue(hall, clock, "BB")
    with hall.read() as session:
        assert not alerts.due(session, clock)  # a customer who just came: no alert yet
    clock.advance(minutes=12)  # past the warning mark of the 15-minute wait
    with hall.read() as session:
        assert alerts.due(session, clock)
    assert act(hall, clock, alerts.evaluate)
    with hall.read() as session:
        assert not alerts.due(session, clock)  # raised: nothing more until the figures move
    clock.advance(minutes=1)
    with hall.read() as session:
        assert alerts.due(session, clock)  # the minutes in the alert are brought up to date
    act(hall, clock, alerts.evaluate)
    clock.advance(seconds=20)
    with hall.read() as session:
        assert not alerts.due(session, clock)
