"""The reports: where the branch fails its customers, and why (F9). Definitions in docs/reports.md.

Each measure takes the session and a ReportFilter and returns plain rows; times are whole seconds.
The SQL lives in report_queries.py.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.i18n import N_, _, pick
from counter_app.models import (
    Counter,
    Escalation,
    EscalationState,
    Event,
    ExceptionApproval,
    Feedback,
    Outcome,
    Staff,
    Ticket,
)
from counter_app.workflows import report_queries as q
from counter_app.workflows.explain import CAUSE_TEXT
from counter_app.workflows.report_queries import ReportFilter, Scope, VisitTimes

__all__ = ["ReportFilter", "breaches", "visit_timeline", "service_level", "time_bands", "by_hour",
           "staff_and_counters", "causes", "satisfaction", "feedback_comments", "day_summary"]

VIEWS = ("breaches", "service-level", "time-bands", "by-hour", "staff", "causes", "satisfaction")
EXPORT_FORMATS = ("csv", "xlsx", "pdf")
NO_CAUSE = ""
NO_CAUSE_TEXT = N_("No cause recorded")
BAND_MINUTES = 3
BAND_COUNT = 6  # 0-3, 3-6, 6-9, 9-12, 12-15, 15+


def _service_name(scope: Scope, service_id: int | None) -> str:
    return pick(scope.services[service_id].names) if service_id in scope.services else ""


def _staff(scope: Scope, staff_id: int | None) -> tuple[str, str]:
    person = scope.staff.get(staff_id)
    return (person.staff_no, person.name) if person else ("", "")


# -- breaches ----------------------------------------------------------------------------------


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


def breaches(session: Session, f: ReportFilter) -> list[BreachRow]:
    """Every visit whose wait, service or total time broke its target, with its cause and references."""
    scope = q.scope_of(session, f)
    found = q.visits(session, scope, breaches_only=True)
    escalations = q.visit_links(session, found, Escalation.ticket_id, Escalation.id)
    approvals = q.visit_links(session, found, ExceptionApproval.ticket_id, ExceptionApproval.id)
    codes = {sid: s.code for sid, s in scope.services.items()}
    names = {sid: _service_name(scope, sid) for sid in scope.services}
    people = {sid: (s.staff_no, s.name) for sid, s in scope.staff.items()}
    nobody, none = ("", ""), ()
    rows = []
    for v in found:
        staff_no, staff_name = people.get(v.staff_id, nobody)
        broken = _BROKEN[(v.wait_breached, v.service_breached, v.total_breached)]
        rows.append(BreachRow(
            v.ticket_id, v.business_date, v.number, codes[v.service_id], names[v.service_id], v.issued_at,
            v.finished_at, v.legs, v.wait_s, v.wait_target_s, v.service_s, v.service_target_s, v.total_s,
            v.total_target_s, broken, v.cause, v.cause_note, scope.counters.get(v.counter_id), staff_no, staff_name,
            tuple(escalations.get(v.ticket_id, none)), tuple(approvals.get(v.ticket_id, none)),
        ))
    return rows


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


# -- service level -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLevelRow:
    business_date: dt.date
    service_code: str
    service: str
    served: int  # visits that ended served
    within: int  # of which no leg waited past its target
    share: float | None  # within / served
    average_wait_s: float | None


def service_level(session: Session, f: ReportFilter) -> list[ServiceLevelRow]:
    """Share of served customers whose wait stayed within the target, per day and service."""
    scope = q.scope_of(session, f)
    counts: dict[tuple[dt.date, int], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    if scope.causes is None:
        wait_target = q.target_case(scope, lambda s: s.target_wait_min)
        query = (sa.select(Ticket.business_date, Ticket.service_id, sa.func.count(),
                           sa.func.sum(sa.case((Ticket.wait_seconds < wait_target, 1), else_=0)),
                           sa.func.sum(Ticket.wait_seconds))
                 .where(*q.in_period(scope), Ticket.id == Ticket.origin_id, Ticket.outcome == Outcome.SERVED)
                 .group_by(Ticket.business_date, Ticket.service_id)
                 .with_hint(Ticket, q.REPORT_INDEX, "sqlite"))
        for day, service_id, served, within, waited in session.execute(query):
            counts[(day, service_id)] = [served, within or 0, float(waited or 0)]
        joined = [v for v in q.multi_leg_visits(session, scope) if v.served]
    else:  # a cause is a visit's property: read the visits one by one
        joined = [v for v in q.visits(session, scope) if v.served]
    for v in joined:
        cell = counts[(v.business_date, v.service_id)]
        cell[0] += 1
        cell[1] += 0 if v.wait_breached else 1
        cell[2] += v.wait_s or 0
    rows = []
    for (day, service_id), (served, within, waited) in sorted(
            counts.items(), key=lambda item: (item[0][0], scope.services[item[0][1]].sort_order)):
        rows.append(ServiceLevelRow(day, scope.services[service_id].code, _service_name(scope, service_id),
                                    int(served), int(within), within / served if served else None,
                                    waited / served if served else None))
    return rows


@dataclass(frozen=True)
class DayLevel:
    business_date: dt.date
    served: int
    within: int
    share: float | None


def service_level_by_day(rows: list[ServiceLevelRow]) -> list[DayLevel]:
    """The per-service rows added up per day (the chart's bars)."""
    days: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        days[row.business_date][0] += row.served
        days[row.business_date][1] += row.within
    return [DayLevel(day, served, within, within / served if served else None)
            for day, (served, within) in sorted(days.items())]


# -- time bands --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeBandRow:
    band: str  # "0-3", …, "15+"
    from_min: int
    to_min: int | None
    waits: int
    wait_share: float | None
    services: int
    service_share: float | None


def _band(seconds: int) -> int:
    return min(seconds // (BAND_MINUTES * 60), BAND_COUNT - 1)


def band_label(index: int) -> str:
    low = index * BAND_MINUTES
    return f"{low}+" if index == BAND_COUNT - 1 else f"{low}-{low + BAND_MINUTES}"


def time_bands(session: Session, f: ReportFilter) -> list[TimeBandRow]:
    """Waits (each leg's, to its last call) and service times in 3-minute bands."""
    scope = q.scope_of(session, f)
    waits, services = [0] * BAND_COUNT, [0] * BAND_COUNT
    width = BAND_MINUTES * 60
    for column, counts in ((Ticket.wait_seconds, waits), (Ticket.service_seconds, services)):
        band = sa.case((column >= width * (BAND_COUNT - 1), BAND_COUNT - 1), else_=column / width)
        query = (sa.select(band, sa.func.count()).where(*q.in_period(scope), column.is_not(None))
                 .group_by(band).with_hint(Ticket, q.REPORT_INDEX, "sqlite"))
        if scope.causes is not None:
            query = query.where(sa.func.coalesce(Ticket.breach_cause, NO_CAUSE).in_(sorted(scope.causes)))
        for index, count in session.execute(query):
            counts[max(0, min(int(index), BAND_COUNT - 1))] += count
    total_waits, total_services = sum(waits), sum(services)
    return [TimeBandRow(band_label(i), i * BAND_MINUTES, None if i == BAND_COUNT - 1 else (i + 1) * BAND_MINUTES,
                        waits[i], waits[i] / total_waits if total_waits else None,
                        services[i], services[i] / total_services if total_services else None)
            for i in range(BAND_COUNT)]


# -- by hour -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HourRow:
    business_date: dt.date | None  # None: all days of the period together
    hour: int
    arrivals: int  # customers who took a ticket in that hour
    average_wait_s: float | None  # of the legs issued in that hour and called
    p90_wait_s: int | None
    counters_open: float  # counters open on average during the hour


def percentile(values: list[int], share: float) -> int | None:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def by_hour(session: Session, f: ReportFilter, *, per_day: bool = True) -> list[HourRow]:
    """Arrivals, average and 90th-percentile wait and counters open, per hour of the day (per day, or overall)."""
    scope = q.scope_of(session, f)
    hour = sa.extract("hour", Ticket.issued_at)
    query = sa.select(Ticket.business_date, hour, Ticket.id == Ticket.origin_id, Ticket.wait_seconds).where(
        *q.in_period(scope))
    if scope.causes is not None:
        query = query.where(sa.func.coalesce(Ticket.breach_cause, NO_CAUSE).in_(sorted(scope.causes)))
    arrivals: dict[tuple, int] = defaultdict(int)
    waits: dict[tuple, list[int]] = defaultdict(list)
    days_seen: set[dt.date] = set()
    for day, h, first, wait in session.execute(query):
        key = (day if per_day else None, int(h))
        days_seen.add(day)
        if first:
            arrivals[key] += 1
        if wait is not None:
            waits[key].append(wait)
    open_seconds: dict[tuple, float] = defaultdict(float)
    for counter_id, time in q.counter_time(session, scope).items():
        if scope.counter_ids is not None and counter_id not in scope.counter_ids:
            continue
        for staff_id, intervals in time.open.items():
            if scope.staff_ids is not None and staff_id not in scope.staff_ids:
                continue
            for start, end in intervals:
                cursor = start
                while cursor < end:
                    slot_end = min(end, cursor.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1))
                    open_seconds[(cursor.date() if per_day else None, cursor.hour)] += (
                        slot_end - cursor).total_seconds()
                    days_seen.add(cursor.date())
                    cursor = slot_end
    day_count = 1 if per_day else max(1, len(days_seen))
    rows = []
    for key in sorted(set(arrivals) | set(waits) | set(open_seconds), key=lambda k: (k[0] or dt.date.min, k[1])):
        values = waits.get(key, [])
        rows.append(HourRow(key[0], key[1], arrivals.get(key, 0),
                            sum(values) / len(values) if values else None, percentile(values, 0.9),
                            round(open_seconds.get(key, 0.0) / 3600 / day_count, 2)))
    return rows


# -- staff and counters ------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    key: str  # the staff number, or the counter number
    name: str  # the staff member's name, or "Counter 3"
    called: int  # legs called
    served: int
    average_service_s: float | None
    idle_s: int  # open, nobody at the counter, while customers of its services waited
    help_requests: int
    no_shows: int
    transfers: int
    no_show_rate: float | None
    transfer_rate: float | None


def staff_and_counters(session: Session, f: ReportFilter, *, group: str = "staff") -> list[StaffRow]:
    """Per staff member (group="staff") or per counter (group="counter"): work, idle time and help asked."""
    scope = q.scope_of(session, f)
    column = Ticket.staff_id if group == "staff" else Ticket.counter_id
    query = (sa.select(column, sa.func.count(Ticket.wait_seconds),
                       sa.func.sum(sa.case((Ticket.outcome == Outcome.SERVED, 1), else_=0)),
                       sa.func.avg(sa.case((Ticket.outcome == Outcome.SERVED, Ticket.service_seconds), else_=None)),
                       sa.func.sum(sa.case((Ticket.outcome == Outcome.NO_SHOW, 1), else_=0)),
                       sa.func.sum(sa.case((Ticket.outcome == Outcome.TRANSFERRED, 1), else_=0)))
             .where(*q.in_period(scope), column.is_not(None)).group_by(column))
    stats = {row[0]: row[1:] for row in session.execute(query)}
    idle: dict[int, int] = defaultdict(int)
    for (counter_id, staff_id), intervals in q.idle_while_waiting(session, scope).items():
        if ((scope.counter_ids is not None and counter_id not in scope.counter_ids)
                or (scope.staff_ids is not None and staff_id not in scope.staff_ids)):
            continue
        key = staff_id if group == "staff" else counter_id
        if key is not None:
            idle[key] += q.seconds(intervals)
    help_column = Escalation.requested_by if group == "staff" else Escalation.counter_id
    help_query = (sa.select(help_column, sa.func.count()).where(
        Escalation.requested_at >= scope.start, Escalation.requested_at < scope.end, help_column.is_not(None))
        .group_by(help_column))
    helps = dict(session.execute(help_query).all())
    keys = set(stats) | set(idle) | {k for k in helps if k in (scope.staff if group == "staff" else scope.counters)}
    if group == "staff" and scope.staff_ids is not None:
        keys &= scope.staff_ids
    if group == "counter" and scope.counter_ids is not None:
        keys &= scope.counter_ids
    rows = []
    for key in keys:
        called, served, average, no_shows, transfers = stats.get(key, (0, 0, None, 0, 0))
        called, served, no_shows, transfers = int(called), int(served or 0), int(no_shows or 0), int(transfers or 0)
        if group == "staff":
            label, name = _staff(scope, key)
        else:
            label = str(scope.counters[key])
            name = _("Counter {number}").format(number=scope.counters[key])
        rows.append(StaffRow(label, name, called, served, float(average) if average is not None else None,
                             idle.get(key, 0), helps.get(key, 0), no_shows, transfers,
                             no_shows / called if called else None, transfers / called if called else None))
    rows.sort(key=lambda r: (int(r.key) if r.key.isdigit() else 0, r.key))
    return rows


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
    scope = q.scope_of(session, f)
    for v in q.visits(session, scope, breaches_only=True):
        counts[(period_start(v.business_date, grain), v.cause)] += 1
    return [CauseRow(period, grain, cause, count) for (period, cause), count in sorted(counts.items())]


# -- satisfaction ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionRow:
    key: str  # service code, staff number, cause, or wait band ("0-3")
    label: str
    ratings: int
    average: float | None
    satisfied_share: float | None  # ratings of 4 or 5
    dissatisfied: int  # ratings of 1 or 2
    complaints: int


@dataclass(frozen=True)
class FeedbackLine:
    """One rating or complaint with what it is about: the report's comments and its groupings read these."""

    feedback_id: int
    created_at: dt.datetime
    business_date: dt.date
    ticket_id: int
    number: str
    service_code: str
    service: str
    staff_no: str
    staff_name: str
    rating: int | None
    reason: str
    comment: str
    channel: str
    complaint: bool
    cause: str  # the complaint's cause, else the visit's breach cause, else ""
    wait_s: int | None  # the visit's wait


def feedback_lines(session: Session, f: ReportFilter) -> list[FeedbackLine]:
    """Feedback on the visits of the period (by the visit's date), filtered like the other reports."""
    scope = q.scope_of(session, f)
    query = (sa.select(Feedback.id, q._raw(Feedback.created_at), Feedback.ticket_id, Feedback.service_id,
                       Feedback.counter_id, Feedback.staff_id, Feedback.rating, Feedback.reason, Feedback.comment,
                       Feedback.channel, Feedback.is_complaint, Feedback.cause, q._raw(Ticket.business_date),
                       Ticket.number, Ticket.wait_seconds, Ticket.breach_cause, Ticket.service_id)
             .join(Ticket, Ticket.id == Feedback.ticket_id)
             .where(Ticket.business_date >= f.date_from, Ticket.business_date <= f.date_to)
             .order_by(Feedback.created_at, Feedback.id))
    joined = {v.ticket_id: v for v in q.multi_leg_visits(session, scope)}
    codes = {sid: s.code for sid, s in scope.services.items()}
    names = {sid: _service_name(scope, sid) for sid in scope.services}
    lines = []
    for (feedback_id, created, ticket_id, service_id, counter_id, staff_id, rating, reason, comment, channel,
         complaint, own_cause, day, number, wait, cause, first_service) in session.connection().execute(query):
        visit = joined.get(ticket_id)
        if visit is not None:
            wait, cause = visit.wait_s, visit.cause
        service_id = service_id or first_service
        if not scope.leg_matches(service_id, counter_id, staff_id):
            continue
        cause = own_cause or cause or NO_CAUSE
        if scope.causes is not None and cause not in scope.causes:
            continue
        staff_no, staff_name = _staff(scope, staff_id)
        lines.append(FeedbackLine(
            feedback_id, q.as_datetime(created), q.as_date(day), ticket_id, number, codes.get(service_id, ""),
            names.get(service_id, ""), staff_no, staff_name, rating, reason, comment, channel, bool(complaint),
            cause, wait))
    return lines


SATISFACTION_GROUPS = ("service", "staff", "cause", "wait_band")


def satisfaction(session: Session, f: ReportFilter, *, by: str = "service",
                 lines: list[FeedbackLine] | None = None) -> list[SatisfactionRow]:
    """Ratings and complaints grouped by service, staff member, cause or the visit's wait band."""
    if by not in SATISFACTION_GROUPS:
        raise ValueError(by)
    lines = feedback_lines(session, f) if lines is None else lines
    groups: dict[str, list[FeedbackLine]] = defaultdict(list)
    labels: dict[str, str] = {}
    for line in lines:
        if by == "service":
            key, label = line.service_code, line.service
        elif by == "staff":
            key, label = line.staff_no, line.staff_name
        elif by == "cause":
            key = line.cause
            label = _(CAUSE_TEXT[line.cause]) if line.cause in CAUSE_TEXT else _(NO_CAUSE_TEXT)
        else:
            if line.wait_s is None:
                continue
            key = band_label(_band(line.wait_s))
            label = key
        groups[key].append(line)
        labels[key] = label
    rows = []
    for key, members in groups.items():
        ratings = [m.rating for m in members if m.rating is not None]
        rows.append(SatisfactionRow(
            key, labels[key], len(ratings), sum(ratings) / len(ratings) if ratings else None,
            sum(1 for r in ratings if r >= 4) / len(ratings) if ratings else None,
            sum(1 for r in ratings if r <= 2), sum(1 for m in members if m.complaint)))
    if by == "wait_band":
        rows.sort(key=lambda r: int(r.key.split("-")[0].rstrip("+")))
    else:
        rows.sort(key=lambda r: r.key)
    return rows


def feedback_comments(session: Session, f: ReportFilter) -> list[FeedbackLine]:
    """The feedback that says something: a comment, or a complaint."""
    return [line for line in feedback_lines(session, f) if line.comment or line.complaint]


# -- end of day --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenEscalation:
    escalation_id: int
    number: str | None
    state: str
    requested_at: dt.datetime
    requested_by: str


@dataclass(frozen=True)
class DaySummary:
    business_date: dt.date
    made_at: dt.datetime
    customers: int  # visits
    served: int
    no_shows: int
    cancelled: int
    still_open: int  # visits not ended when the summary was made
    within: int
    service_level: float | None
    average_wait_s: float | None
    breaches: list[BreachRow]
    breaches_by_cause: dict[str, int]
    open_escalations: list[OpenEscalation]
    ratings: int
    average_rating: float | None
    complaints: int
    comments: list[FeedbackLine]


def day_summary(session: Session, day: dt.date, now: dt.datetime) -> DaySummary:
    """What closing the day saves: customers, service level, breaches with causes, open escalations, satisfaction."""
    f = ReportFilter(day, day, until=now)
    scope = q.scope_of(session, f)
    all_visits: list[VisitTimes] = q.visits(session, scope)
    served = [v for v in all_visits if v.served]
    within = sum(1 for v in served if not v.wait_breached)
    waits = [v.wait_s for v in served if v.wait_s is not None]
    breach_rows = breaches(session, f)
    by_cause: dict[str, int] = defaultdict(int)
    for row in breach_rows:
        by_cause[row.cause] += 1
    names = {s.id: s.name for s in scope.staff.values()}
    open_escalations = []
    for e in session.exec(select(Escalation).where(Escalation.state != EscalationState.RESOLVED)
                          .order_by(Escalation.requested_at)):
        ticket = session.get(Ticket, e.ticket_id) if e.ticket_id else None
        open_escalations.append(OpenEscalation(e.id, ticket.number if ticket else None, e.state, e.requested_at,
                                               names.get(e.requested_by, "")))
    lines = feedback_lines(session, f)
    ratings = [line.rating for line in lines if line.rating is not None]
    return DaySummary(
        day, now, len(all_visits), len(served),
        sum(1 for v in all_visits if v.outcome == Outcome.NO_SHOW),
        sum(1 for v in all_visits if v.outcome == Outcome.CANCELLED),
        sum(1 for v in all_visits if v.outcome is None),
        within, within / len(served) if served else None, sum(waits) / len(waits) if waits else None,
        breach_rows, dict(by_cause), open_escalations, len(ratings),
        sum(ratings) / len(ratings) if ratings else None, sum(1 for line in lines if line.complaint),
        [line for line in lines if line.comment or line.complaint],
    )
