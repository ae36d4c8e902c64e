"""Alerts: conditions found by looking at the queue now, raised once, acknowledged, resolved by themselves.

`evaluate` is idempotent: any window (or the replay, minute by minute) may run it as often as it likes;
a condition that persists keeps its one alert, and a condition that is gone gets its alert resolved.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_, pick
from counter_app.models import (
    Counter,
    CounterService,
    CounterState,
    Event,
    Service,
    Staff,
    Ticket,
    TicketState,
)
from counter_app.models.oversight import Alert, AlertKind, Escalation, EscalationState
from counter_app.models.planning import OrderReview, SalesOrder, SalesOrderState
from counter_app.workflows.core import events, lookup
from counter_app.workflows.oversight import escalation
from counter_app.workflows.oversight.timing import Level, live_timings
from counter_app.workflows.planning.review import DEPARTMENT_TEXT, overdue_reviews
from counter_app.workflows.queue.hours import HallState, branch_settings, business_day, hall_status
from counter_app.workflows.queue.tickets import Change

ALERT_TEXT = {
    AlertKind.IDLE_COUNTER: N_("Counter {counter} is idle while {waiting} customer(s) wait ({minutes} min)"),
    AlertKind.IDLE_BREACH: N_("Counter {counter} has been idle {minutes} min while {waiting} customer(s) wait, "
                              "past the {limit} min limit"),
    AlertKind.WAIT_WARNING: N_("{ticket} has waited {minutes} min (target {target} min)"),
    AlertKind.WAIT_BREACH: N_("{ticket} has waited {minutes} min, over the {target} min target"),
    AlertKind.SERVICE_WARNING: N_("{ticket} at counter {counter}: service {minutes} min (target {target} min)"),
    AlertKind.SERVICE_BREACH: N_("{ticket} at counter {counter}: service {minutes} min, over the {target} min target"),
    AlertKind.QUEUE_LENGTH: N_("{waiting} customers waiting, more than the {limit} allowed"),
    AlertKind.SERVICE_QUEUE_WARNING: N_("{waiting} customers waiting for {service}, past its warning mark of {limit}"),
    AlertKind.SERVICE_QUEUE_BREACH: N_("{waiting} customers waiting for {service}, more than the {limit} allowed"),
    AlertKind.REVIEW_OVERDUE: N_("Sales order {order}: the {department} review was due {deadline} and is not "
                                 "answered"),
}


@dataclass(frozen=True)
class Condition:
    kind: str
    condition: str
    severity: str
    ticket_id: int | None = None
    counter_id: int | None = None
    service_id: int | None = None
    data: dict | None = None


# What a counter does for its customers. Opening or closing a counter is not work: a counter opened at 09:05
# that calls nobody until 09:10 was idle all along (one alert, not one before and one after opening).
COUNTER_WORK = ("staff_logged_in", "ticket_called", "ticket_called_out_of_turn", "ticket_recalled", "ticket_no_show",
                "service_started", "service_finished", "ticket_transferred", "ticket_parked", "ticket_resumed")
# Leaving a pause ends a legitimate break: the idle clock starts again from there.
PAUSE_ENDS = ("counter_opened", "counter_closed")


def idle_since(session: Session, counter: Counter) -> dt.datetime | None:
    """Since when the counter has done nothing for customers: its last work, or the end of its last pause."""
    return _idle_start(session, counter)[0]


def _idle_start(session: Session, counter: Counter) -> tuple[dt.datetime | None, int]:
    """When the counter's idle spell began, and the wrap-up minutes it is allowed when that was a finish."""
    last_work = session.exec(select(Event).where(Event.counter_id == counter.id, Event.kind.in_(COUNTER_WORK))
                             .order_by(Event.id.desc()).limit(1)).first()
    paused = session.exec(select(Event.id).where(Event.counter_id == counter.id, Event.kind == "counter_paused")
                          .order_by(Event.id.desc()).limit(1)).first()
    pause_end = None
    if paused is not None:
        pause_end = session.exec(select(func.min(Event.at)).where(Event.counter_id == counter.id, Event.id > paused,
                                                                   Event.kind.in_(PAUSE_ENDS))).one()
    if last_work is None or (pause_end is not None and pause_end > last_work.at):
        return pause_end or counter.state_since, 0
    wrapup = 0
    if last_work.kind == "service_finished" and last_work.service_id is not None:
        service = session.get(Service, last_work.service_id)
        wrapup = service.target_wrapup_min if service else 0
    return last_work.at, wrapup


def _idle_marks(branch_minutes: int, services: dict[int, Service], theirs: list[tuple[int, dt.datetime]],
               idle_from: list[dt.datetime | None]) -> tuple[tuple[dt.datetime, int], tuple[dt.datetime, int] | None]:
    """When an idle counter passes its warning mark and its breach mark (None: no service sets one), each with
    the mark in minutes.

    Each service waited for sets its own marks (Service.idle_warning_min, 0: the branch's idle_alert_minutes;
    Service.idle_breach_min, 0: none), counted from when its first customer began to wait beside the idle
    counter: the first mark passed decides. A tight mark does not count a later customer's minutes from an
    earlier customer's arrival at another service.
    """
    first: dict[int, dt.datetime] = {}
    for service_id, queued in theirs:
        first[service_id] = min(queued, first.get(service_id, queued))
    warnings, breaches = [], []
    for service_id, queued in first.items():
        service = services[service_id]
        start = max(filter(None, [queued, *idle_from]))
        mark = service.idle_warning_min or branch_minutes
        warnings.append((start + dt.timedelta(minutes=mark), mark))
        if service.idle_breach_min:
            breaches.append((start + dt.timedelta(minutes=service.idle_breach_min), service.idle_breach_min))
    return min(warnings), min(breaches, default=None)


def _conditions(session: Session, now: dt.datetime) -> list[Condition]:
    branch = branch_settings(session)
    found: list[Condition] = []
    numbers = dict(session.exec(select(Counter.id, Counter.number)).all())
    for timing in live_timings(session, now):
        if timing.level == Level.OK:
            continue
        breach = timing.level == Level.BREACHED
        kind = {("wait", False): AlertKind.WAIT_WARNING, ("wait", True): AlertKind.WAIT_BREACH,
                ("service", False): AlertKind.SERVICE_WARNING, ("service", True): AlertKind.SERVICE_BREACH}[
            (timing.phase, breach)]
        found.append(Condition(kind, f"{kind}:ticket:{timing.ticket_id}", "breach" if breach else "warning",
                               timing.ticket_id, timing.counter_id, timing.service_id,
                               {"ticket": timing.number, "minutes": timing.seconds // 60, "target": timing.target_min,
                                "counter": numbers.get(timing.counter_id)}))
    # The business day's queue only: a ticket left waiting when the hall closed is history (timing.live_timings).
    # For idleness a transferred customer waits at the new service from the transfer (the leg's issue).
    waiting = session.exec(select(Ticket.service_id, Ticket.issued_at).where(
        Ticket.state == TicketState.WAITING, business_day(session, now).tickets())).all()
    services = {s.id: s for s in session.exec(select(Service))}
    # Idle: staff logged in, counter not paused, nobody at it, while customers of its services wait (F1).
    # Before opening time nobody is idle: the early ticket already told the customer when serving starts.
    hall = hall_status(session, now)
    counters = [] if hall.state != HallState.OPEN else session.exec(select(Counter).where(Counter.staff_id.is_not(None),
                                                      Counter.state != CounterState.PAUSED)).all()
    for counter in counters:
        if lookup.current_ticket(session, counter.id) is not None:
            continue
        served = set(session.exec(select(CounterService.service_id).where(CounterService.counter_id == counter.id)))
        theirs = [(service_id, queued) for service_id, queued in waiting if service_id in served]
        if not theirs:
            continue
        started, wrapup = _idle_start(session, counter)
        since = max(filter(None, [started, min(queued for _service, queued in theirs), hall.opens_at]))
        warning, breach = _idle_marks(branch.idle_alert_minutes, services, theirs, [started, hall.opens_at])
        if wrapup:
            # Just after a finish the clerk is allowed the service's wrap-up (notes, filing) before calling again.
            allowed = started + dt.timedelta(minutes=wrapup)
            warning = (max(warning[0], allowed), warning[1])
            breach = (max(breach[0], allowed), breach[1]) if breach else None
        data = {"counter": counter.number, "waiting": len(theirs), "minutes": int((now - since).total_seconds() / 60),
                "state": counter.state}
        if breach and now >= breach[0]:
            found.append(Condition(AlertKind.IDLE_BREACH, f"idle_breach:counter:{counter.id}", "breach",
                                   counter_id=counter.id, data={**data, "limit": breach[1]}))
        elif now >= warning[0]:
            found.append(Condition(AlertKind.IDLE_COUNTER, f"idle_counter:counter:{counter.id}", "warning",
                                   counter_id=counter.id, data={**data, "limit": warning[1]}))
    if branch.max_queue_length and len(waiting) > branch.max_queue_length:
        found.append(Condition(AlertKind.QUEUE_LENGTH, "queue_length", "warning",
                               data={"waiting": len(waiting), "limit": branch.max_queue_length}))
    # A service's own queue limits (0: none), beside the whole hall's: past the breach mark, the breach alone.
    per_service: dict[int, int] = {}
    for service_id, _queued in waiting:
        per_service[service_id] = per_service.get(service_id, 0) + 1
    for service_id, count in sorted(per_service.items()):
        service = services[service_id]
        if service.queue_breach_len and count > service.queue_breach_len:
            kind, severity, limit = AlertKind.SERVICE_QUEUE_BREACH, "breach", service.queue_breach_len
        elif service.queue_warning_len and count > service.queue_warning_len:
            kind, severity, limit = AlertKind.SERVICE_QUEUE_WARNING, "warning", service.queue_warning_len
        else:
            continue
        found.append(Condition(kind, f"{kind}:service:{service.id}", severity, service_id=service.id,
                               data={"service": service.code, "service_names": service.names, "waiting": count,
                                     "limit": limit}))
    return found + _review_conditions(session, now)


def _review_condition(review_id: int) -> str:
    return f"{AlertKind.REVIEW_OVERDUE}:review:{review_id}"


def _review_conditions(session: Session, now: dt.datetime) -> list[Condition]:
    """An order review past its deadline with no answer, on an order still in review: one alert to PMC per
    review, naming the order and the department; it resolves when the department answers (or the review is
    superseded, or the order leaves review). Its figures do not move with the clock: the deadline is the fact."""
    overdue = overdue_reviews(session, now)
    if not overdue:
        return []
    numbers = dict(session.exec(select(SalesOrder.id, SalesOrder.number).where(
        SalesOrder.id.in_({r.sales_order_id for r in overdue}))).all())
    return [Condition(AlertKind.REVIEW_OVERDUE, _review_condition(r.id), "warning",
                      data={"order": numbers[r.sales_order_id], "department": r.department, "review": r.id,
                            "deadline": r.deadline.strftime("%Y-%m-%d %H:%M")})
            for r in overdue]


def _overdue_review_ids(session: Session, now: dt.datetime) -> set[int]:
    """One read through the orders' state index: the unanswered reviews past their deadline on orders in review."""
    return set(session.exec(select(OrderReview.id).join(SalesOrder, SalesOrder.id == OrderReview.sales_order_id)
                            .where(SalesOrder.state == SalesOrderState.IN_REVIEW, OrderReview.answered_at.is_(None),
                                   OrderReview.superseded_at.is_(None), OrderReview.deadline < now)).all())


def next_review_deadline(session: Session, now: dt.datetime) -> dt.datetime | None:
    """The next moment an alert can appear with nobody in the hall: the earliest deadline, not passed yet, of an
    unanswered review on an order in review. The replay sleeps until just after it (docs/scenarios.md)."""
    return session.exec(select(func.min(OrderReview.deadline)).join(SalesOrder,
                                                                     SalesOrder.id == OrderReview.sales_order_id)
                        .where(SalesOrder.state == SalesOrderState.IN_REVIEW, OrderReview.answered_at.is_(None),
                               OrderReview.superseded_at.is_(None), OrderReview.deadline >= now)).one()


def nothing_to_watch(session: Session, now: dt.datetime) -> bool:
    """No customer waits or is served, no counter alert is open, and every overdue review has its alert (and
    only those): `evaluate` would change nothing until something happens or the next review deadline passes
    (`next_review_deadline`).

    Every counter condition `evaluate` raises needs a customer waiting today or at a counter (live_timings, idle
    counters, the hall's and each service's queue length), and only an open alert can be resolved. An overdue
    review's alert does not move with the clock: it is raised once and resolved by an answer, so an open one
    needs no watching, but a review overdue without its alert (or an alert whose review was answered) does.
    """
    # Two reads, each on an index (an OR would read the whole history when nobody is in the hall).
    at_counters = session.exec(select(Ticket.id).join(Counter, Counter.id == Ticket.counter_id).where(
        Ticket.state.in_([TicketState.CALLED, TicketState.SERVING, TicketState.PARKED])).limit(1)).first()
    waiting = session.exec(select(Ticket.id).where(
        Ticket.state == TicketState.WAITING, business_day(session, now).tickets()).limit(1)).first()
    if at_counters is not None or waiting is not None:
        return False
    waiting_help = session.exec(select(Escalation.id).where(
        Escalation.state.in_([EscalationState.REQUESTED, EscalationState.HANDED_UP])).limit(1)).first()
    if waiting_help is not None:  # it may end with its visit (escalation.end_with_visits)
        return False
    open_alerts = session.exec(select(Alert.kind, Alert.condition).where(Alert.resolved_at.is_(None))).all()
    if any(kind != AlertKind.REVIEW_OVERDUE for kind, _condition in open_alerts):
        return False
    reviews = {condition for _kind, condition in open_alerts}
    return reviews == {_review_condition(r) for r in _overdue_review_ids(session, now)}


def due(session: Session, clock: Clock) -> bool:
    """Whether `evaluate` would change anything now: an alert to raise or resolve, a figure in one to bring up
    to date, a help request to end with its visit. It only reads, so the windows' check every few seconds
    takes no write lock while nothing happens (docs/performance.md)."""
    now = clock.now()
    current = {c.condition: c for c in _conditions(session, now)}
    open_alerts = {a.condition: a for a in session.exec(select(Alert).where(Alert.resolved_at.is_(None)))}
    if current.keys() != open_alerts.keys():
        return True
    if any(c.data and json.dumps(c.data, ensure_ascii=False) != open_alerts[key].data for key, c in current.items()):
        return True
    return escalation.visits_ended(session)


def evaluate(session: Session, clock: Clock) -> list[Change]:
    """Raise alerts for new conditions, resolve those whose condition is gone, escalate breached services."""
    now = clock.now()
    current = {c.condition: c for c in _conditions(session, now)}
    open_alerts = {a.condition: a for a in session.exec(select(Alert).where(Alert.resolved_at.is_(None)))}
    changes: list[Change] = escalation.end_with_visits(session, clock)
    for key, alert in open_alerts.items():
        if key not in current:
            alert.resolved_at = now
            session.add(alert)
            events.record(session, at=now, kind="alert_resolved", ticket_id=alert.ticket_id,
                          counter_id=alert.counter_id, alert=alert.id, alert_kind=alert.kind)
            changes.append(Change("alert_resolved", alert.ticket_id))
        elif current[key].data:
            alert.data = json.dumps(current[key].data, ensure_ascii=False)  # keep minutes up to date
            session.add(alert)
    for key, cond in current.items():
        if key in open_alerts:
            continue
        alert = Alert(kind=cond.kind, condition=key, severity=cond.severity, raised_at=now, ticket_id=cond.ticket_id,
                      counter_id=cond.counter_id, service_id=cond.service_id,
                      data=json.dumps(cond.data or {}, ensure_ascii=False))
        session.add(alert)
        session.flush()
        events.record(session, at=now, kind="alert_raised", ticket_id=cond.ticket_id, counter_id=cond.counter_id,
                      service_id=cond.service_id, alert=alert.id, alert_kind=cond.kind, **(cond.data or {}))
        changes.append(Change("alert_raised", cond.ticket_id))
        if cond.kind == AlertKind.SERVICE_BREACH:
            ticket = session.get(Ticket, cond.ticket_id)
            if ticket is not None and ticket.state == TicketState.SERVING:
                escalation.auto_escalate(session, now, ticket)
    return changes


def acknowledge(session: Session, clock: Clock, *, alert_id: int, staff_id: int) -> Change:
    now = clock.now()
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise AppError(N_("That alert does not exist."))
    if alert.acknowledged_at is not None:
        raise AppError(N_("This alert was already acknowledged."))
    lookup.staff_by_id(session, staff_id)
    alert.acknowledged_at = now
    alert.acknowledged_by = staff_id
    session.add(alert)
    events.record(session, at=now, kind="alert_acknowledged", staff_id=staff_id, alert=alert.id)
    return Change("alert_acknowledged", alert.ticket_id)


@dataclass(frozen=True)
class AlertLine:
    alert_id: int
    kind: str
    severity: str
    raised_at: dt.datetime
    acknowledged_by: str | None
    resolved_at: dt.datetime | None
    data: dict

    def text(self, translate) -> str:
        values = {k: ("—" if v is None else v) for k, v in self.data.items()}
        if isinstance(self.data.get("service_names"), dict):  # a service is named in the window's language
            values["service"] = pick(self.data["service_names"]) or values.get("service", "—")
        if self.data.get("department") in DEPARTMENT_TEXT:  # a department is named in the window's language
            values["department"] = translate(DEPARTMENT_TEXT[self.data["department"]])
        return translate(ALERT_TEXT[self.kind]).format(**values)


def alert_lines(session: Session, *, open_only: bool = True, since: dt.datetime | None = None) -> list[AlertLine]:
    query = select(Alert).order_by(Alert.raised_at.desc(), Alert.id.desc())
    if open_only:
        query = query.where(Alert.resolved_at.is_(None))
    if since is not None:
        query = query.where(Alert.raised_at >= since)
    names = {s.id: s.name for s in session.exec(select(Staff))}
    return [AlertLine(a.id, a.kind, a.severity, a.raised_at, names.get(a.acknowledged_by), a.resolved_at,
                      json.loads(a.data or "{}")) for a in session.exec(query)]
