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
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.i18n import pick
from counter_app.models import Counter, Escalation, Event, ExceptionApproval, Outcome, Staff, Ticket
from counter_app.workflows.queue.visits import legs_of
from counter_app.workflows.reports import queries as q
from counter_app.workflows.reports import tallies
from counter_app.workflows.reports.scope import (
    NO_CAUSE,
    REPORT_INDEX,
    Dates,
    ReportFilter,
    Scope,
    as_date,
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
             .where(*_one_leg_conditions(scope))
             .with_hint(Ticket, REPORT_INDEX, "sqlite"))
    return query


PAGE_ROWS = 500  # the rows a window shows at first and fetches at a time
_LIVE_RUNS = 8  # more separate runs of untallied days than this are counted from the tickets in one go


@dataclass(frozen=True)
class BreachSummary:
    """The breach report without its rows: how many visits broke a target, per day, service and cause.

    A year has a hundred thousand breaking visits; a window shows their counts and chart from this and
    their rows a page at a time (`breach_page`). Days that are over are counted from their tallies
    (workflows/tallies.py) when the report is not filtered by service, counter or staff.
    """

    filter: ReportFilter
    counts: dict[tuple[dt.date, int, str], int]  # (business date, first service id, cause) -> breaking visits
    tallied: int = 0  # days counted from their tally rather than from the tickets

    @property
    def visits(self) -> int:
        return sum(self.counts.values())

    def by_cause(self) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for (_day, _service, cause), count in self.counts.items():
            found[cause] += count
        return dict(found)


def breach_summary(session: Session, f: ReportFilter) -> BreachSummary:
    """How many visits broke a target, per day, service and cause: from the tallies of past days, the rest from
    the tickets (counted by SQLite, not read row by row)."""
    scope = scope_of(session, f)
    if not scope.services:
        return BreachSummary(f, {})
    days: set[dt.date] = set()
    rows: list[tuple[dt.date, int, str, int]] = []
    if scope.service_ids is None and scope.counter_ids is None and scope.staff_ids is None:
        days, rows = tallies.tallied(session, f.date_from, f.date_to)
        if f.until is not None:
            days = {day for day in days if day < f.until.date()}
    counts: dict[tuple[dt.date, int, str], int] = defaultdict(int)
    for day, service_id, cause, visits in rows:
        if day in days and (scope.causes is None or cause in scope.causes):
            counts[(day, service_id, cause)] += visits
    untallied = [day for day in (f.date_from + dt.timedelta(days=n) for n in range((f.date_to - f.date_from).days + 1))
                 if day not in days]
    for date_from, date_to in _runs(untallied):
        for key, visits in _counted(session, _within(scope, date_from, date_to)).items():
            if key[0] not in days:
                counts[key] += visits
    return BreachSummary(f, dict(counts), len(days))


def counted_from_tickets(session: Session, days: list[dt.date]) -> dict[tuple[dt.date, int, str], int]:
    """The unfiltered counts of the days given, from the tickets: what their tallies hold."""
    scope = scope_of(session, ReportFilter(min(days), max(days))) if days else None
    if scope is None or not scope.services:
        return {}
    wanted = set(days)
    counts: dict[tuple[dt.date, int, str], int] = {}
    for date_from, date_to in _runs(sorted(wanted)):
        counts.update((key, visits) for key, visits in _counted(session, _within(scope, date_from, date_to)).items()
                      if key[0] in wanted)
    return counts


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as runs of consecutive days; one run over them all when there are many."""
    runs: list[list[dt.date]] = []
    for day in days:
        if runs and runs[-1][1] == day - dt.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    if len(runs) > _LIVE_RUNS:
        return [(runs[0][0], runs[-1][1])]
    return [(a, b) for a, b in runs]


def _within(scope: Scope, date_from: dt.date, date_to: dt.date) -> Scope:
    return replace(scope, filter=replace(scope.filter, date_from=date_from, date_to=date_to))


def _counted(session: Session, scope: Scope) -> dict[tuple[dt.date, int, str], int]:
    cause = sa.func.coalesce(Ticket.breach_cause, NO_CAUSE)
    query = (sa.select(raw(Ticket.business_date), Ticket.service_id, cause, sa.func.count())
             .where(*_one_leg_conditions(scope))
             .group_by(Ticket.business_date, Ticket.service_id, cause)
             .with_hint(Ticket, REPORT_INDEX, "sqlite"))
    counts: dict[tuple[dt.date, int, str], int] = defaultdict(int)
    dates = Dates()
    for day, service_id, named, count in session.connection().execute(query):
        counts[(dates[day], service_id, named)] += count
    for v in _breaking_transfers(session, scope):
        counts[(v.business_date, v.service_id, v.cause)] += 1
    return counts


def breach_page(session: Session, f: ReportFilter, *, after: BreachRow | None = None,
                limit: int = PAGE_ROWS) -> list[BreachRow]:
    """The next `limit` rows of the breach report after `after` (from the first when None), in the report's order.

    Read along the report index from where the last page ended, so a page costs the same at the end of
    a year as at its start; the visits with a transfer are joined for the page's days only.
    """
    scope = scope_of(session, f)
    if not scope.services:
        return []
    with gc_paused():
        start = f.date_from if after is None else after.business_date
        # From the last row's day on: the index is read from there, not from the period's first day.
        query = _one_leg_query(_within(scope, start, f.date_to))
        if after is not None:  # keyset: the rows after the last one shown, along the index (date, then visit)
            query = query.where(sa.or_(Ticket.business_date > start, Ticket.origin_id > after.ticket_id))
        one_leg = session.connection().execute(
            query.order_by(Ticket.business_date, Ticket.origin_id).limit(limit)).all()
        full = len(one_leg) == limit
        end = as_date(one_leg[-1][1]) if full else f.date_to
        joined = _breaking_transfers(session, _within(scope, start, end))
        if after is not None:
            joined = [v for v in joined if _visit_order(v) > (after.business_date, after.ticket_id)]
        if full:  # the page ends at its last one-leg row: later transfers belong to later pages
            bound = (end, one_leg[-1][0])
            joined = [v for v in joined if _visit_order(v) < bound]
        return _breach_rows(session, scope, one_leg, joined)[:limit]


def breaches(session: Session, f: ReportFilter) -> list[BreachRow]:
    """Every visit whose wait, service or total time broke its target, with its cause and references."""
    scope = scope_of(session, f)
    if not scope.services:
        return []
    with gc_paused():
        one_leg = session.connection().execute(_one_leg_query(scope)).all()
        return _breach_rows(session, scope, one_leg, _breaking_transfers(session, scope))


def _one_leg_conditions(scope: Scope) -> list:
    conditions = [*in_period(scope), *q.one_leg(), _one_leg_breaks(scope)]
    if scope.causes is not None:  # a one-leg visit's cause is its leg's
        conditions.append(sa.func.coalesce(Ticket.breach_cause, NO_CAUSE).in_(sorted(scope.causes)))
    return conditions


def _breaking_transfers(session: Session, scope: Scope) -> list[q.VisitTimes]:
    """The period's breaking visits with a transfer (their cause filtered per visit), in the report's order."""
    joined = q.multi_leg_visits(session, scope, breaches_only=True)
    if scope.causes is not None:
        joined = [v for v in joined if v.cause in scope.causes]
    joined.sort(key=_visit_order)
    return joined


def _visit_order(v: q.VisitTimes) -> tuple[dt.date, int]:
    return v.business_date, v.ticket_id


def _breach_rows(session: Session, scope: Scope, one_leg: list, joined: list[q.VisitTimes]) -> list[BreachRow]:
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
    found.sort(key=_report_order)
    return found


def _report_order(row: BreachRow) -> tuple[dt.date, int]:
    return row.business_date, row.ticket_id  # ids are given at issue: within a day this is the order of issue


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
    legs = [leg.id for leg in legs_of(session, ticket)]
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
    for (day, _service, cause), count in breach_summary(session, f).counts.items():
        counts[(period_start(day, grain), cause)] += count
    return [CauseRow(period, grain, cause, count) for (period, cause), count in sorted(counts.items())]
