"""The breach report: every visit that broke its wait, service or total target, with its cause and references,
its drill-down to the visit's timeline, and the breaches counted by cause over time.

A year of a busy branch has a hundred thousand breaking visits (docs/reports.md, "Speed"). The one-leg
visits (95 %) come from one query along the report index that keeps only the breaking legs, comparing
each service's targets as constants; each result row becomes its BreachRow directly. Visits with a
transfer are grouped in SQL from their partial index and only the breaking ones are read and joined.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.i18n import pick
from counter_app.models import Counter, Escalation, Event, ExceptionApproval, Outcome, Staff, Ticket
from counter_app.workflows import report_queries as q
from counter_app.workflows.report_scope import (
    NO_CAUSE,
    REPORT_INDEX,
    Dates,
    ReportFilter,
    Scope,
    as_datetime,
    gc_paused,
    in_period,
    raw,
    scope_of,
)


@dataclass(slots=True)
class BreachRow:
    ticket_id: int  # the visit's first leg: the key for visit_timeline
    business_date: dt.date
    number: str
    service_code: str
    service: str
    issued_at: dt.datetime
    finished_at: dt.datetime | None
    legs: int
    wait_s: int | None
    wait_target_s: int
    service_s: int | None
    service_target_s: int
    total_s: int | None
    total_target_s: int
    broken: tuple[str, ...]  # "wait", "service", "total"
    cause: str
    cause_note: str
    counter: int | None
    staff_no: str
    staff_name: str
    escalations: tuple[int, ...]
    approvals: tuple[int, ...]


_BROKEN = {(w, s, t): tuple(name for name, hit in (("wait", w), ("service", s), ("total", t)) if hit)
           for w in (False, True) for s in (False, True) for t in (False, True)}


def _one_leg_breaks(scope: Scope) -> sa.ColumnElement:
    """A one-leg visit broke a target: per service, plain comparisons with its own targets (no join, no CASE)."""
    targets = scope.targets()
    terms = []
    for service_id in sorted(scope.service_ids if scope.service_ids is not None else targets):
        wait, service, total = targets[service_id]
        terms.append(sa.and_(Ticket.service_id == service_id, sa.or_(
            Ticket.wait_seconds >= wait, Ticket.service_seconds >= service,
            sa.and_(Ticket.outcome == Outcome.SERVED, Ticket.leg_seconds >= total))))
    return sa.or_(*terms)


def _one_leg_query(scope: Scope) -> sa.Select:
    """The breaking one-leg visits, in the order of the report index (day, then issue)."""
    total = sa.case((Ticket.outcome == Outcome.SERVED, Ticket.leg_seconds), else_=None)
    query = (sa.select(Ticket.id, raw(Ticket.business_date), Ticket.number, Ticket.service_id, raw(Ticket.issued_at),
                       raw(Ticket.finished_at), Ticket.wait_seconds, Ticket.service_seconds, total, Ticket.counter_id,
                       Ticket.staff_id, Ticket.breach_cause, Ticket.breach_cause_note)
             .where(*in_period(scope), *q.one_leg(), _one_leg_breaks(scope))
             .with_hint(Ticket, REPORT_INDEX, "sqlite"))
    if scope.causes is not None:  # a one-leg visit's cause is its leg's
        query = query.where(sa.func.coalesce(Ticket.breach_cause, NO_CAUSE).in_(sorted(scope.causes)))
    return query


def breaches(session: Session, f: ReportFilter) -> list[BreachRow]:
    """Every visit whose wait, service or total time broke its target, with its cause and references."""
    scope = scope_of(session, f)
    if not scope.services:
        return []
    with gc_paused():
        return _breach_rows(session, scope)


def _breach_rows(session: Session, scope: Scope) -> list[BreachRow]:
    one_leg = session.connection().execute(_one_leg_query(scope)).all()
    joined = q.multi_leg_visits(session, scope, breaches_only=True)
    if scope.causes is not None:
        joined = [v for v in joined if v.cause in scope.causes]
    legs = {row[0]: row[0] for row in one_leg}
    legs.update((leg_id, v.ticket_id) for v in joined for leg_id in v.leg_ids)
    escalations = q.visit_links(session, legs, Escalation.ticket_id, Escalation.id)
    approvals = q.visit_links(session, legs, ExceptionApproval.ticket_id, ExceptionApproval.id)
    targets = scope.targets()
    services = {sid: (s.code, pick(s.names)) for sid, s in scope.services.items()}
    people = {sid: (s.staff_no, s.name) for sid, s in scope.staff.items()}
    counters, nobody, none, dates = scope.counters, ("", ""), (), Dates()
    parse = dt.datetime.fromisoformat if one_leg and isinstance(one_leg[0][4], str) else as_datetime
    found = []
    append = found.append
    for (ticket_id, day, number, service_id, issued, finished, wait_s, service_s, total_s, counter_id, staff_id,
         cause, note) in one_leg:
        wait_target, service_target, total_target = targets[service_id]
        code, name = services[service_id]
        staff_no, staff_name = people.get(staff_id, nobody)
        append(BreachRow(
            ticket_id, dates[day], number, code, name, parse(issued), parse(finished) if finished else None, 1,
            wait_s, wait_target, service_s, service_target, total_s, total_target,
            _BROKEN[(wait_s is not None and wait_s >= wait_target, service_s is not None and service_s >= service_target,
                     total_s is not None and total_s >= total_target)],
            cause or "", note or "", counters.get(counter_id), staff_no, staff_name,
            escalations.get(ticket_id, none), approvals.get(ticket_id, none)))
    for v in joined:
        code, name = services[v.service_id]
        staff_no, staff_name = people.get(v.staff_id, nobody)
        append(BreachRow(
            v.ticket_id, v.business_date, v.number, code, name, v.issued_at, v.finished_at, v.legs, v.wait_s,
            v.wait_target_s, v.service_s, v.service_target_s, v.total_s, v.total_target_s,
            _BROKEN[(v.wait_breached, v.service_breached, v.total_breached)], v.cause, v.cause_note,
            counters.get(v.counter_id), staff_no, staff_name, escalations.get(v.ticket_id, none),
            approvals.get(v.ticket_id, none)))
    found.sort(key=_issue_order)
    return found


def _issue_order(row: BreachRow) -> int:
    return row.ticket_id  # ids are given at issue


# -- the visit's story -------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # the event kind: ticket_issued, ticket_called, service_started, escalation_requested …
    number: str | None
    counter: int | None
    staff_name: str
    details: dict


def visit_timeline(session: Session, ticket_id: int) -> list[TimelineEntry]:
    """The visit's full story from the event log: every leg, call, recall, help request, approval, feedback."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        return []
    origin_id = ticket.origin_id or ticket.id
    legs = list(session.exec(select(Ticket.id).where(Ticket.origin_id == origin_id))) or [origin_id]
    counters = dict(session.exec(select(Counter.id, Counter.number)).all())
    names = {s.id: s.name for s in session.exec(select(Staff))}
    entries = []
    for event in session.exec(select(Event).where(Event.ticket_id.in_(legs)).order_by(Event.at, Event.id)):
        details = json.loads(event.data or "{}")
        entries.append(TimelineEntry(event.at, event.kind, details.get("number"), counters.get(event.counter_id),
                                     names.get(event.staff_id, ""), details))
    return entries


# -- causes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CauseRow:
    period: dt.date  # the first day of the day, week (Monday) or month
    grain: str  # day / week / month
    cause: str  # a BreachCause value, "" for none recorded
    breaches: int


def grain_for(f: ReportFilter) -> str:
    days = (f.date_to - f.date_from).days + 1
    return "day" if days <= 31 else "week" if days <= 26 * 7 else "month"


def period_start(day: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def causes(session: Session, f: ReportFilter, *, grain: str | None = None) -> list[CauseRow]:
    """Breaches by cause over time: per day, ISO week or month (chosen by the period's length if not given)."""
    grain = grain or grain_for(f)
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    for row in breaches(session, f):
        counts[(period_start(row.business_date, grain), row.cause)] += 1
    return [CauseRow(period, grain, cause, count) for (period, cause), count in sorted(counts.items())]
