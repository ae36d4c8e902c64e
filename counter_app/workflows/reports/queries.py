"""The SQL behind the reports: a period's visits, read with few queries that an index can answer.

Most visits have one leg. Those are read straight from the ticket index (ix_ticket_report holds the
date, the visit, the service, the outcome and the generated seconds), with the targets as a CASE on the
service: no join, no GROUP BY over a year of rows. Visits with transfers are few; their legs sit in a
partial index of their own (ix_ticket_transfer) and are joined here. The filter and scope are in
report_scope.py, counter time in report_counter_time.py (both re-exported here).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from counter_app.models import Outcome, Ticket
from counter_app.workflows.queue.visits import measured
from counter_app.workflows.reports.counter_time import (  # noqa: F401  (re-exported)
    CounterTime,
    Interval,
    counter_services,
    counter_time,
    idle_while_waiting,
    intersected,
    merged,
    seconds,
    subtracted,
    waiting_time,
)
from counter_app.workflows.reports.scope import (  # noqa: F401  (re-exported)
    REPORT_INDEX,
    TRANSFER_INDEX,
    Dates,
    ReportFilter,
    Scope,
    as_date,
    as_datetime,
    gc_paused,
    in_period,
    raw,
    scope_of,
    target_case,
)

_raw = raw  # the name the reports used first


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


def one_leg() -> list:
    """The legs that are a whole visit: first legs never transferred (the report index holds both columns)."""
    return [Ticket.id == Ticket.origin_id, Ticket.outcome.is_distinct_from(Outcome.TRANSFERRED)]


def of_transfers() -> sa.ColumnElement:
    """The legs of visits with a transfer, spelled as ix_ticket_transfer's WHERE (SQLite wants it literally)."""
    return sa.or_(Ticket.id != Ticket.origin_id, Ticket.outcome == sa.literal_column("'transferred'"))


_SINGLE_COLUMNS = (Ticket.id, raw(Ticket.business_date), Ticket.number, Ticket.service_id, raw(Ticket.issued_at),
                   raw(Ticket.finished_at), Ticket.outcome, Ticket.wait_seconds, Ticket.service_seconds,
                   Ticket.leg_seconds, Ticket.counter_id, Ticket.staff_id, Ticket.breach_cause,
                   Ticket.breach_cause_note)


def single_leg_visits(session: Session, scope: Scope) -> list[VisitTimes]:
    """Visits of one leg (never transferred), read along the report index."""
    if not scope.services:
        return []
    query = (sa.select(*_SINGLE_COLUMNS).where(*in_period(scope), *one_leg())
             .with_hint(Ticket, REPORT_INDEX, "sqlite"))
    targets = scope.targets()
    served = Outcome.SERVED.value
    dates = Dates()
    found = []
    # A year holds hundreds of thousands of visits: plain tuples, no ORM, one dataclass per visit.
    for (ticket_id, day, number, service_id, issued, finished, outcome, wait_s, service_s, leg_s, counter_id,
         staff_id, cause, note) in session.connection().execute(query).all():
        wait_target, service_target, total_target = targets[service_id]
        total_s = leg_s if outcome == served else None
        found.append(VisitTimes(
            ticket_id, dates[day], number, service_id, 1, as_datetime(issued), as_datetime(finished), outcome,
            wait_s, service_s, total_s, wait_target, service_target, total_target,
            wait_s is not None and wait_s >= wait_target, service_s is not None and service_s >= service_target,
            total_s is not None and total_s >= total_target, counter_id, staff_id, cause or "", note or "",
            (ticket_id,)))
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


_LEG_COLUMNS = (Ticket.id, Ticket.origin_id, raw(Ticket.business_date), Ticket.number, Ticket.service_id,
                raw(Ticket.issued_at), raw(Ticket.started_at), raw(Ticket.finished_at), Ticket.outcome,
                Ticket.wait_seconds, Ticket.service_seconds, Ticket.counter_id, Ticket.staff_id,
                Ticket.breach_cause, Ticket.breach_cause_note)


def _joined(legs: list[_Leg], waits: dict[int, int], services: dict[int, int]) -> VisitTimes:
    """One visit from its legs (in order): its measures by the rule every visit is measured by
    (visits.measured), the serving leg and the last cause named (as visits.Visit picks them, in one loop here:
    a year's report joins thousands of visits)."""
    first, last = legs[0], legs[-1]
    (wait_s, service_s, total_s, wait_target, service_target, total_target, wait_broken, service_broken,
     total_broken, ended) = measured(legs, waits, services)
    started = called = named = None
    for leg in legs:
        if leg.started_at is not None:
            started = leg
        if leg.counter_id is not None:
            called = leg
        if leg.breach_cause:
            named = leg
    serving = started or called or last  # served where the customer last sat down, else was last called
    return VisitTimes(
        first.id, first.business_date, first.number, first.service_id, len(legs), first.issued_at,
        last.finished_at if ended else None, last.outcome if ended else None, wait_s, service_s, total_s,
        wait_target, service_target, total_target, wait_broken, service_broken, total_broken,
        serving.counter_id, serving.staff_id, named.breach_cause if named else "",
        (named.breach_cause_note or "") if named else "", tuple(leg.id for leg in legs),
    )


def _breaking_transfers(scope: Scope) -> sa.Select:
    """The first-leg ids of the period's transferred visits that broke a target, grouped from the partial index.

    A transfer ends one leg when it issues the next, so a visit's total (first issue to last finish) is
    the sum of its legs' issue-to-finish seconds.
    """
    f = scope.filter
    served = sa.case((Ticket.outcome == Outcome.SERVED, 1), else_=0)
    return (sa.select(Ticket.origin_id)
            .where(Ticket.business_date >= f.date_from, Ticket.business_date <= f.date_to, of_transfers())
            .with_hint(Ticket, TRANSFER_INDEX, "sqlite")
            .group_by(Ticket.origin_id)
            .having(sa.or_(
                sa.func.max(sa.case((Ticket.wait_seconds >= target_case(scope, lambda s: s.target_wait_min), 1),
                                    else_=0)) == 1,
                sa.func.max(sa.case((Ticket.service_seconds >= target_case(scope, lambda s: s.target_service_min),
                                     1), else_=0)) == 1,
                sa.and_(sa.func.count(Ticket.outcome) == sa.func.count(), sa.func.sum(served) == 1,
                        sa.func.sum(Ticket.leg_seconds) >= sa.func.sum(target_case(
                            scope, lambda s: s.target_wait_min + s.target_service_min))),
            )))


def multi_leg_visits(session: Session, scope: Scope, *, breaches_only: bool = False) -> list[VisitTimes]:
    """Visits with transfers, their legs joined; kept when any leg passes the service/counter/staff filters.

    With `breaches_only`, the visits are first grouped in SQL from the partial index alone and only the
    legs of the breaking ones are read.
    """
    if not scope.services:
        return []
    if breaches_only:
        query = sa.select(*_LEG_COLUMNS).where(Ticket.origin_id.in_(_breaking_transfers(scope)))
    else:
        f = scope.filter
        query = (sa.select(*_LEG_COLUMNS)
                 .where(Ticket.business_date >= f.date_from, Ticket.business_date <= f.date_to, of_transfers())
                 .with_hint(Ticket, TRANSFER_INDEX, "sqlite"))
    by_visit: dict[int, list[_Leg]] = defaultdict(list)
    dates = Dates()
    for (ticket_id, origin_id, day, number, service_id, issued, started, finished, outcome, wait_s, service_s,
         counter_id, staff_id, cause, note) in session.connection().execute(query).all():
        by_visit[origin_id].append(_Leg(ticket_id, origin_id, dates[day], number, service_id, as_datetime(issued),
                                        as_datetime(started), as_datetime(finished), outcome, wait_s, service_s,
                                        counter_id, staff_id, cause, note))
    waits = {sid: s.target_wait_min * 60 for sid, s in scope.services.items()}
    services = {sid: s.target_service_min * 60 for sid, s in scope.services.items()}
    found = [_joined(sorted(legs, key=_leg_id), waits, services) for legs in by_visit.values()
             if any(scope.leg_matches(leg.service_id, leg.counter_id, leg.staff_id) for leg in legs)]
    return [v for v in found if v.breached] if breaches_only else found


def _leg_id(leg: _Leg) -> int:
    return leg.id


def _visit_order(v: VisitTimes) -> int:
    return v.ticket_id  # ids are given at issue, so this is the order of issue


def visits(session: Session, scope: Scope) -> list[VisitTimes]:
    """Every visit of the period, in the order of issue (the breaches have a faster way: report_breaches.py)."""
    with gc_paused():  # a year is hundreds of thousands of visits (report_scope.gc_paused)
        found = single_leg_visits(session, scope) + multi_leg_visits(session, scope)
        if scope.causes is not None:
            found = [v for v in found if v.cause in scope.causes]
        found.sort(key=_visit_order)
    return found


def visit_links(session: Session, legs: dict[int, int], ticket_column, id_column) -> dict[int, tuple[int, ...]]:
    """Ids of escalations or approvals per visit (first leg id), in order, for the legs given as {leg id: first leg id}.

    Read along the index on their ticket over the range of the leg ids (no join), then kept for the legs given.
    """
    links: dict[int, list[int]] = defaultdict(list)
    if legs:
        rows = session.connection().execute(
            sa.select(ticket_column, id_column).where(ticket_column >= min(legs), ticket_column <= max(legs))).all()
        for ticket_id, link_id in rows:
            origin_id = legs.get(ticket_id)
            if origin_id is not None:
                links[origin_id].append(link_id)
    return {origin_id: tuple(sorted(ids)) if len(ids) > 1 else (ids[0],) for origin_id, ids in links.items()}
