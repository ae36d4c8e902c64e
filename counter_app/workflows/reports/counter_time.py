"""Counter time for the reports, as intervals: when a counter was open (and under whom), when a customer was
at it, and when customers of its services stood in the queue; idle time is where the first holds and the
others do not. Open and busy times come from the event log, waiting from the ticket rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.models import CounterService, Event, Ticket
from counter_app.workflows.queue.hours import day_starts
from counter_app.workflows.reports.scope import Scope, as_date, as_datetime, raw

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
    query = sa.select(Ticket.service_id, raw(Ticket.business_date), raw(Ticket.issued_at),
                      raw(Ticket.first_called_at), raw(Ticket.finished_at)).where(
        Ticket.business_date >= scope.filter.date_from, Ticket.business_date <= scope.filter.date_to)
    spans: dict[int, list[Interval]] = defaultdict(list)
    day_ends: dict[object, dt.datetime] = {}
    for service_id, day, issued, first_called, finished in session.connection().execute(query):
        stop = as_datetime(first_called or finished)  # a cancelled ticket stops waiting when it is dropped
        if day not in day_ends:  # a customer left waiting stops counting when their business day ends
            day_ends[day] = day_starts(session, as_date(day) + dt.timedelta(days=1))
        stop = min(stop or end, end, day_ends[day])
        issued = max(as_datetime(issued), start)
        if stop > issued:
            spans[service_id].append((issued, stop))
    return {sid: merged(intervals) for sid, intervals in spans.items()}


def counter_services(session: Session) -> dict[int, set[int]]:
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
