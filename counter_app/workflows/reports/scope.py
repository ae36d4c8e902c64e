"""What a report covers: the filter, resolved against the store, and the SQL pieces every report query starts with.

A `ReportFilter` names business dates, services, counters, staff and causes as the user sees them; a
`Scope` is that filter with ids and the branch's services, counters and staff by id. The helpers below
give the period conditions, a service's target as SQL, and fetch SQLite's date and time text without
SQLAlchemy's slow parsing.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_, pick
from counter_app.models import BreachCause, Counter, Service, Staff, Ticket
from counter_app.workflows.queue.hours import day_starts

NO_CAUSE = ""
NO_CAUSE_TEXT = N_("No cause recorded")


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
    # The period's first and last moments by business day (queue/hours.py day_starts): a hall open 16:00–02:00
    # counts an approval at 01:00 on the day that opened at 16:00, as its tickets are.
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None

    @property
    def start(self) -> dt.datetime:
        return self.starts_at or dt.datetime.combine(self.filter.date_from, dt.time())

    @property
    def end(self) -> dt.datetime:
        end = self.ends_at or dt.datetime.combine(self.filter.date_to + dt.timedelta(days=1), dt.time())
        return min(end, self.filter.until) if self.filter.until else end

    def wait_target(self, service_id: int) -> int:
        return self.services[service_id].target_wait_min * 60

    def service_target(self, service_id: int) -> int:
        return self.services[service_id].target_service_min * 60

    def targets(self) -> dict[int, tuple[int, int, int]]:
        """Per service id: the wait, service and total-visit targets of a one-leg visit, in seconds."""
        return {sid: (s.target_wait_min * 60, s.target_service_min * 60,
                      (s.target_wait_min + s.target_service_min) * 60) for sid, s in self.services.items()}

    def leg_matches(self, service_id: int, counter_id: int | None, staff_id: int | None) -> bool:
        return ((self.service_ids is None or service_id in self.service_ids)
                and (self.counter_ids is None or counter_id in self.counter_ids)
                and (self.staff_ids is None or staff_id in self.staff_ids))


def service_name(scope: Scope, service_id: int | None) -> str:
    return pick(scope.services[service_id].names) if service_id in scope.services else ""


def staff_of(scope: Scope, staff_id: int | None) -> tuple[str, str]:
    """The staff number and name, or two empty strings."""
    person = scope.staff.get(staff_id)
    return (person.staff_no, person.name) if person else ("", "")


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
    return Scope(f, services, counters, staff, service_ids, counter_ids, staff_ids, causes,
                 day_starts(session, f.date_from), day_starts(session, f.date_to + dt.timedelta(days=1)))


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


# -- fetching ----------------------------------------------------------------------------------


def raw(column):
    """A date or time column fetched as the driver gives it: SQLite's text is parsed below, much faster."""
    return sa.type_coerce(column, sa.String).label(column.key)


def as_datetime(value) -> dt.datetime | None:
    return value if value is None or isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a report builds its rows.

    A year's breach report makes a hundred thousand rows, none of them in a reference cycle; each
    full collection would walk them all again, which doubles the time it takes to build them. The
    collector is switched back on when the last report running in the process (a worker thread's, say)
    is done, as it was before the first.
    """
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


class Dates(dict):
    """Business dates as fetched (SQLite's text, or a date) to dates, each parsed once: a year has 365."""

    def __missing__(self, value) -> dt.date:
        day = self[value] = as_date(value)
        return day


# Index hint: SQLite would take the smaller date index and read every ticket row (it does not count the
# generated seconds in the report index as covered); the report index answers the conditions by itself,
# and only the rows that pass are then read: 2-3x faster over a year (docs/reports.md).
REPORT_INDEX = "INDEXED BY ix_ticket_report"
# The legs of visits with a transfer: a partial index holding only those (5 % of the legs).
TRANSFER_INDEX = "INDEXED BY ix_ticket_transfer"


def _sqlite_from_hint(_compiler, _table, text: str) -> str:
    return text


# SQLAlchemy's SQLite compiler drops table hints; SQLite's "INDEXED BY" is exactly such a hint.
if getattr(SQLiteCompiler.get_from_hint_text, "__name__", "") != "_sqlite_from_hint":
    SQLiteCompiler.get_from_hint_text = _sqlite_from_hint
