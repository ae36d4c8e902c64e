"""The SQL behind the reports: visits, legs and counter time read with few queries that an index can answer.

Most visits have one leg. Those are read straight from the ticket index (ix_ticket_report holds the
date, the visit, the service, the outcome and the generated seconds), with the targets as a CASE on the
service: no join, no GROUP BY over a year of rows. Visits with transfers are few; their legs are read
by visit and joined here. Counter time (open, serving, customers waiting) comes from the event log and
the ticket rows as intervals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import BreachCause, Counter, Event, Outcome, Service, Staff, Ticket


@dataclass(frozen=True)
class ReportFilter:
    """What a report covers: business dates (inclusive) and, optionally, services, counters, staff, causes.

    `services` are service codes, `counters` counter numbers, `staff` staff numbers; `causes` are
    BreachCause values, "" standing for "no cause recorded yet". `until` is the report's moment (the
    clock's now): a counter still open or a customer still waiting is counted up to it.
    """

    date_from: dt.date
    date_to: dt.date
    services: tuple[str, ...] = ()
    counters: tuple[int, ...] = ()
    staff: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    until: dt.datetime | None = None


@dataclass(frozen=True)
class Scope:
    """A filter resolved against the store: ids, and the branch's services, counters and staff by id."""

    filter: ReportFilter
    services: dict[int, Service]
    counters: dict[int, int]  # counter id -> number
    staff: dict[int, Staff]
    service_ids: frozenset[int] | None
    counter_ids: frozenset[int] | None
    staff_ids: frozenset[int] | None
    causes: frozenset[str] | None

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.filter.date_from, dt.time())

    @property
    def end(self) -> dt.datetime:
        end = dt.datetime.combine(self.filter.date_to + dt.timedelta(days=1), dt.time())
        return min(end, self.filter.until) if self.filter.until else end

    def wait_target(self, service_id: int) -> int:
        return self.services[service_id].target_wait_min * 60

    def service_target(self, service_id: int) -> int:
        return self.services[service_id].target_service_min * 60

    def leg_matches(self, service_id: int, counter_id: int | None, staff_id: int | None) -> bool:
        return ((self.service_ids is None or service_id in self.service_ids)
                and (self.counter_ids is None or counter_id in self.counter_ids)
                and (self.staff_ids is None or staff_id in self.staff_ids))


def scope_of(session: Session, f: ReportFilter) -> Scope:
    if f.date_from > f.date_to:
        raise AppError(N_("The report period ends before it starts ({start} to {end})."),
                       start=f.date_from.isoformat(), end=f.date_to.isoformat())
    services = {s.id: s for s in session.exec(select(Service))}
    counters = dict(session.exec(select(Counter.id, Counter.number)).all())
    staff = {s.id: s for s in session.exec(select(Staff))}
    service_ids = counter_ids = staff_ids = None
    if f.services:
        by_code = {s.code: s.id for s in services.values()}
        unknown = [c for c in f.services if c not in by_code]
        if unknown:
            raise AppError(N_("Unknown service: {code}."), code=", ".join(unknown))
        service_ids = frozenset(by_code[c] for c in f.services)
    if f.counters:
        by_number = {number: cid for cid, number in counters.items()}
        unknown = [str(n) for n in f.counters if n not in by_number]
        if unknown:
            raise AppError(N_("There is no counter {number}."), number=", ".join(unknown))
        counter_ids = frozenset(by_number[n] for n in f.counters)
    if f.staff:
        by_no = {s.staff_no: s.id for s in staff.values()}
        unknown = [n for n in f.staff if n not in by_no]
        if unknown:
            raise AppError(N_("Unknown staff number: {staff_no}."), staff_no=", ".join(unknown))
        staff_ids = frozenset(by_no[n] for n in f.staff)
    causes = None
    if f.causes:
        unknown = [c for c in f.causes if c and c not in set(BreachCause)]
        if unknown:
            raise AppError(N_("Unknown cause: {cause}."), cause=", ".join(unknown))
        causes = frozenset(f.causes)
    return Scope(f, services, counters, staff, service_ids, counter_ids, staff_ids, causes)


def in_period(scope: Scope) -> list:
    """The conditions every leg query starts with: the period, then the service, counter and staff filters."""
    conditions = [Ticket.business_date >= scope.filter.date_from, Ticket.business_date <= scope.filter.date_to]
    if scope.service_ids is not None:
        conditions.append(Ticket.service_id.in_(sorted(scope.service_ids)))
    if scope.counter_ids is not None:
        conditions.append(Ticket.counter_id.in_(sorted(scope.counter_ids)))
    if scope.staff_ids is not None:
        conditions.append(Ticket.staff_id.in_(sorted(scope.staff_ids)))
    return conditions


def target_case(scope: Scope, minutes_of) -> sa.ColumnElement:
    """A service's target in seconds as a CASE on the service id: cheaper than a join on every row."""
    return sa.case({sid: minutes_of(s) * 60 for sid, s in scope.services.items()}, value=Ticket.service_id,
                   else_=None)


# -- visits ------------------------------------------------------------------------------------


@dataclass(slots=True)
class VisitTimes:
    """One customer's visit with its times (seconds) and which targets it broke."""

    ticket_id: int  # the first leg
    business_date: dt.date
    number: str
    service_id: int  # what the customer came for (the first leg)
    legs: int
    issued_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str | None  # of the last leg; None while the visit goes on
    wait_s: int | None  # the legs' waits added up (issue to last call of each leg)
    service_s: int | None
    total_s: int | None  # first issue to last finish, for a visit that ended served
    wait_target_s: int
    service_target_s: int
    total_target_s: int
    wait_breached: bool
    service_breached: bool
    total_breached: bool
    counter_id: int | None  # where the customer was served (the last leg started, else called)
    staff_id: int | None
    cause: str  # "" while nobody named one
    cause_note: str
    leg_ids: tuple[int, ...]

    @property
    def breached(self) -> bool:
        return self.wait_breached or self.service_breached or self.total_breached

    @property
    def served(self) -> bool:
        return self.outcome == Outcome.SERVED


def _raw(column):
    """A date or time column fetched as the driver gives it: SQLite's text is parsed below, much faster."""
    return sa.type_coerce(column, sa.String).label(column.key)


def as_datetime(value) -> dt.datetime | None:
    return value if value is None or isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


_SINGLE_COLUMNS = (Ticket.id, _raw(Ticket.business_date), Ticket.number, Ticket.service_id, _raw(Ticket.issued_at),
                   _raw(Ticket.finished_at), Ticket.outcome, Ticket.wait_seconds, Ticket.service_seconds,
                   Ticket.leg_seconds, Ticket.counter_id, Ticket.staff_id, Ticket.breach_cause,
                   Ticket.breach_cause_note)
# Index hint: SQLite would take the smaller date index and read every ticket row (it does not count the
# generated seconds in the report index as covered); the report index answers the conditions by itself,
# and only the rows that pass are then read: 2-3x faster over a year (docs/reports.md).
REPORT_INDEX = "INDEXED BY ix_ticket_report"


def _sqlite_from_hint(_compiler, _table, text: str) -> str:
    return text


# SQLAlchemy's SQLite compiler drops table hints; SQLite's "INDEXED BY" is exactly such a hint.
if getattr(SQLiteCompiler.get_from_hint_text, "__name__", "") != "_sqlite_from_hint":
    SQLiteCompiler.get_from_hint_text = _sqlite_from_hint


def single_leg_visits(session: Session, scope: Scope, *, breaches_only: bool) -> list[VisitTimes]:
    """Visits of one leg (never transferred): read from the report index, breaking rows only if asked."""
    conditions = in_period(scope) + [Ticket.id == Ticket.origin_id,
                                     Ticket.outcome.is_distinct_from(Outcome.TRANSFERRED)]
    if not scope.services:
        return []
    if breaches_only:
        # the smallest targets first: a plain comparison that most rows fail, before the CASE on the service
        least = min(scope.services.values(), key=lambda s: s.target_wait_min).target_wait_min * 60
        least_service = min(s.target_service_min for s in scope.services.values()) * 60
        least_total = min(s.target_wait_min + s.target_service_min for s in scope.services.values()) * 60
        conditions.append(sa.or_(Ticket.wait_seconds >= least, Ticket.service_seconds >= least_service,
                                 Ticket.leg_seconds >= least_total))
        conditions.append(sa.or_(
            Ticket.wait_seconds >= target_case(scope, lambda s: s.target_wait_min),
            Ticket.service_seconds >= target_case(scope, lambda s: s.target_service_min),
            sa.and_(Ticket.outcome == Outcome.SERVED,
                    Ticket.leg_seconds >= target_case(scope, lambda s: s.target_wait_min + s.target_service_min)),
        ))
    query = sa.select(*_SINGLE_COLUMNS).where(*conditions).with_hint(Ticket, REPORT_INDEX, "sqlite")
    waits = {sid: s.target_wait_min * 60 for sid, s in scope.services.items()}
    services = {sid: s.target_service_min * 60 for sid, s in scope.services.items()}
    served = Outcome.SERVED.value
    found = []
    # A year holds a hundred thousand breaking visits: plain tuples, no ORM, one dataclass per visit.
    for (ticket_id, day, number, service_id, issued, finished, outcome, wait_s, service_s, leg_s, counter_id,
         staff_id, cause, note) in session.connection().execute(query):
        wait_target, service_target = waits[service_id], services[service_id]
        total_s = leg_s if outcome == served else None
        found.append(VisitTimes(
            ticket_id, as_date(day), number, service_id, 1, as_datetime(issued), as_datetime(finished), outcome,
            wait_s, service_s, total_s, wait_target, service_target, wait_target + service_target,
            wait_s is not None and wait_s >= wait_target, service_s is not None and service_s >= service_target,
            total_s is not None and total_s >= wait_target + service_target, counter_id, staff_id, cause or "",
            note or "", (ticket_id,)))
    return found


@dataclass(slots=True)
class _Leg:
    id: int
    origin_id: int
    business_date: dt.date
    number: str
    service_id: int
    issued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str | None
    wait_seconds: int | None
    service_seconds: int | None
    counter_id: int | None
    staff_id: int | None
    breach_cause: str | None
    breach_cause_note: str | None


_LEG_COLUMNS = (Ticket.id, Ticket.origin_id, _raw(Ticket.business_date), Ticket.number, Ticket.service_id,
                _raw(Ticket.issued_at), _raw(Ticket.started_at), _raw(Ticket.finished_at), Ticket.outcome,
                Ticket.wait_seconds, Ticket.service_seconds, Ticket.counter_id, Ticket.staff_id,
                Ticket.breach_cause, Ticket.breach_cause_note)


def _leg_order(leg: _Leg) -> int:
    return leg.id


def _joined(legs: list[_Leg], waits: dict[int, int], services: dict[int, int]) -> VisitTimes:
    first, last = legs[0], legs[-1]
    waited = [leg.wait_seconds for leg in legs if leg.wait_seconds is not None]
    served = [leg.service_seconds for leg in legs if leg.service_seconds is not None]
    ended = all(leg.outcome is not None for leg in legs)
    total_s = None
    if ended and last.outcome == Outcome.SERVED and last.finished_at is not None:
        total_s = int(round((last.finished_at - first.issued_at).total_seconds()))
    total_target = sum(waits[leg.service_id] + services[leg.service_id] for leg in legs)
    serving = next((leg for leg in reversed(legs) if leg.started_at is not None), None) or next(
        (leg for leg in reversed(legs) if leg.counter_id is not None), last)
    named = [leg for leg in legs if leg.breach_cause]
    return VisitTimes(
        first.id, first.business_date, first.number, first.service_id, len(legs), first.issued_at,
        last.finished_at if ended else None, last.outcome if ended else None,
        sum(waited) if waited else None, sum(served) if served else None, total_s,
        waits[first.service_id], services[first.service_id], total_target,
        any(leg.wait_seconds is not None and leg.wait_seconds >= waits[leg.service_id] for leg in legs),
        any(leg.service_seconds is not None and leg.service_seconds >= services[leg.service_id] for leg in legs),
        total_s is not None and total_s >= total_target,
        serving.counter_id, serving.staff_id,
        named[-1].breach_cause if named else "", named[-1].breach_cause_note or "" if named else "",
        tuple(leg.id for leg in legs),
    )


def multi_leg_visits(session: Session, scope: Scope, *, breaches_only: bool = False) -> list[VisitTimes]:
    """Visits with transfers, their legs joined; kept when any leg passes the service/counter/staff filters.

    With `breaches_only`, the visits are first grouped in SQL from the report index alone and only the
    legs of breaking ones are read. A transfer ends one leg when it issues the next, so a visit's total
    (first issue to last finish) is the sum of its legs' issue-to-finish seconds.
    """
    f = scope.filter
    # A leg of such a visit was transferred, or is not the first (legs share the business date).
    of_transfers = (Ticket.business_date >= f.date_from, Ticket.business_date <= f.date_to,
                    sa.or_(Ticket.id != Ticket.origin_id, Ticket.outcome == Outcome.TRANSFERRED))
    if breaches_only and scope.services:
        served = sa.case((Ticket.outcome == Outcome.SERVED, 1), else_=0)
        broken = (sa.select(Ticket.origin_id).where(*of_transfers).with_hint(Ticket, REPORT_INDEX, "sqlite")
                  .group_by(Ticket.origin_id)
                  .having(sa.or_(
                      sa.func.max(sa.case((Ticket.wait_seconds >= target_case(scope, lambda s: s.target_wait_min),
                                           1), else_=0)) == 1,
                      sa.func.max(sa.case((Ticket.service_seconds >= target_case(
                          scope, lambda s: s.target_service_min), 1), else_=0)) == 1,
                      sa.and_(sa.func.count(Ticket.outcome) == sa.func.count(), sa.func.sum(served) == 1,
                              sa.func.sum(Ticket.leg_seconds) >= sa.func.sum(target_case(
                                  scope, lambda s: s.target_wait_min + s.target_service_min))),
                  )))
        query = sa.select(*_LEG_COLUMNS).where(Ticket.origin_id.in_(broken))
    else:
        query = sa.select(*_LEG_COLUMNS).where(*of_transfers).with_hint(Ticket, REPORT_INDEX, "sqlite")
    by_visit: dict[int, list[_Leg]] = defaultdict(list)
    for (ticket_id, origin_id, day, number, service_id, issued, started, finished, outcome, wait_s, service_s,
         counter_id, staff_id, cause, note) in session.connection().execute(query):
        by_visit[origin_id].append(_Leg(ticket_id, origin_id, as_date(day), number, service_id, as_datetime(issued),
                                        as_datetime(started), as_datetime(finished), outcome, wait_s, service_s,
                                        counter_id, staff_id, cause, note))
    waits = {sid: s.target_wait_min * 60 for sid, s in scope.services.items()}
    services = {sid: s.target_service_min * 60 for sid, s in scope.services.items()}
    return [_joined(sorted(legs, key=_leg_order), waits, services) for legs in by_visit.values()
            if any(scope.leg_matches(leg.service_id, leg.counter_id, leg.staff_id) for leg in legs)]


def _visit_order(v: VisitTimes) -> int:
    return v.ticket_id  # ids are given at issue, so this is the order of issue


def visits(session: Session, scope: Scope, *, breaches_only: bool = False) -> list[VisitTimes]:
    """Every visit of the period (or only those that broke a target), by date and issue time."""
    found = single_leg_visits(session, scope, breaches_only=breaches_only)
    found += [v for v in multi_leg_visits(session, scope, breaches_only=breaches_only)
              if v.breached or not breaches_only]
    if scope.causes is not None:
        found = [v for v in found if v.cause in scope.causes]
    found.sort(key=_visit_order)
    return found


def visit_links(session: Session, found: list[VisitTimes], ticket_column, id_column) -> dict[int, list[int]]:
    """Ids of escalations or approvals per visit (first leg id), for the given visits.

    Read by the range of the visits' leg ids (an index range, no join), then kept for their legs.
    """
    origin_of = {leg_id: v.ticket_id for v in found for leg_id in v.leg_ids}
    links: dict[int, list[int]] = defaultdict(list)
    if not origin_of:
        return links
    rows = session.connection().execute(
        sa.select(ticket_column, id_column)
        .where(ticket_column >= min(origin_of), ticket_column <= max(origin_of)).order_by(id_column))
    for ticket_id, link_id in rows:
        origin_id = origin_of.get(ticket_id)
        if origin_id is not None:
            links[origin_id].append(link_id)
    return links


# -- counter time ------------------------------------------------------------------------------

Interval = tuple[dt.datetime, dt.datetime]

_OPENS = {"counter_opened"}
_STOPS = {"counter_paused", "counter_closed"}
_BUSY_STARTS = {"ticket_called", "ticket_called_out_of_turn", "ticket_resumed"}
_BUSY_ENDS = {"ticket_no_show", "service_finished", "ticket_transferred", "ticket_parked"}


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of intervals as sorted, disjoint intervals."""
    result: list[list[dt.datetime]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if result and start <= result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(s, e) for s, e in result]


def intersected(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Where two sorted, disjoint interval lists overlap."""
    result, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def subtracted(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """The parts of sorted, disjoint `a` outside sorted, disjoint `b`."""
    result, j = [], 0
    for start, end in a:
        while j < len(b) and b[j][1] <= start:
            j += 1
        k, cursor = j, start
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cursor:
                result.append((cursor, b[k][0]))
            cursor = max(cursor, b[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def seconds(intervals: Iterable[Interval]) -> int:
    return int(sum((end - start).total_seconds() for start, end in intervals))


@dataclass(frozen=True)
class CounterTime:
    """One counter's time in the period: open (by whom), serving, and open while customers of its services waited."""

    open: dict[int | None, list[Interval]]  # staff id -> intervals the counter was open under them
    busy: list[Interval]


def _counter_events(session: Session, scope: Scope, kinds: set[str]) -> dict[int, list]:
    """Events of some kinds per counter: the last one before the period (the state it started in) and all in it."""
    by_counter: dict[int, list] = defaultdict(list)
    before = (sa.select(Event.counter_id, sa.func.max(Event.id))
              .where(Event.kind.in_(sorted(kinds)), Event.at < scope.start, Event.counter_id.is_not(None))
              .group_by(Event.counter_id))
    ids = [row[1] for row in session.execute(before)]
    query = sa.select(Event.id, Event.at, Event.kind, Event.counter_id, Event.staff_id).where(
        sa.or_(Event.id.in_(ids), sa.and_(Event.kind.in_(sorted(kinds)), Event.at >= scope.start,
                                           Event.at < scope.end, Event.counter_id.is_not(None))))
    for row in session.execute(query.order_by(Event.at, Event.id)):
        by_counter[row.counter_id].append(row)
    return by_counter


def counter_time(session: Session, scope: Scope) -> dict[int, CounterTime]:
    """Per counter id: when it was open (state open, paused excluded) and when a customer was at it."""
    start, end = scope.start, scope.end
    result: dict[int, CounterTime] = {}
    states = _counter_events(session, scope, _OPENS | _STOPS)
    busy_events = _counter_events(session, scope, _BUSY_STARTS | _BUSY_ENDS)
    for counter_id in scope.counters:
        open_by: dict[int | None, list[Interval]] = defaultdict(list)
        since, staff = None, None
        for row in states.get(counter_id, []):
            at = max(row.at, start)
            if row.kind in _OPENS:
                if since is None:
                    since, staff = at, row.staff_id
            elif since is not None:
                open_by[staff].append((since, at))
                since = None
        if since is not None and since < end:
            open_by[staff].append((since, end))
        busy, since = [], None
        for row in busy_events.get(counter_id, []):
            at = max(row.at, start)
            if row.kind in _BUSY_STARTS:
                since = since or at
            elif since is not None:
                busy.append((since, at))
                since = None
        if since is not None and since < end:
            busy.append((since, end))
        result[counter_id] = CounterTime({k: merged(v) for k, v in open_by.items()}, merged(busy))
    return result


def waiting_time(session: Session, scope: Scope) -> dict[int, list[Interval]]:
    """Per service id: when at least one of its customers stood in the queue (issued, not yet called)."""
    start, end = scope.start, scope.end
    query = sa.select(Ticket.service_id, _raw(Ticket.business_date), _raw(Ticket.issued_at),
                      _raw(Ticket.first_called_at), _raw(Ticket.finished_at)).where(
        Ticket.business_date >= scope.filter.date_from, Ticket.business_date <= scope.filter.date_to)
    raw: dict[int, list[Interval]] = defaultdict(list)
    day_ends: dict[object, dt.datetime] = {}
    for service_id, day, issued, first_called, finished in session.connection().execute(query):
        stop = as_datetime(first_called or finished)  # a cancelled ticket stops waiting when it is dropped
        if day not in day_ends:
            day_ends[day] = dt.datetime.combine(as_date(day) + dt.timedelta(days=1), dt.time())
        stop = min(stop or end, end, day_ends[day])
        issued = max(as_datetime(issued), start)
        if stop > issued:
            raw[service_id].append((issued, stop))
    return {sid: merged(intervals) for sid, intervals in raw.items()}


def counter_services(session: Session) -> dict[int, set[int]]:
    from counter_app.models import CounterService

    served: dict[int, set[int]] = defaultdict(set)
    for link in session.exec(select(CounterService)):
        served[link.counter_id].add(link.service_id)
    return served


def idle_while_waiting(session: Session, scope: Scope) -> dict[tuple[int, int | None], list[Interval]]:
    """Per (counter id, staff id): when the counter was open, nobody at it, and its customers waited."""
    waiting = waiting_time(session, scope)
    services = counter_services(session)
    result: dict[tuple[int, int | None], list[Interval]] = {}
    for counter_id, time in counter_time(session, scope).items():
        queue = merged(i for sid in services.get(counter_id, ()) for i in waiting.get(sid, ()))
        for staff_id, opened in time.open.items():
            idle = intersected(subtracted(opened, time.busy), queue)
            if idle:
                result[(counter_id, staff_id)] = idle
    return result
