"""The service level, time bands and the day by hour: how long customers waited and were served.

Definitions in docs/reports.md; the SQL pieces in report_scope.py and report_queries.py.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from counter_app.models import Outcome, Ticket
from counter_app.workflows.reports import queries as q
from counter_app.workflows.reports.scope import NO_CAUSE, ReportFilter, Scope
from counter_app.workflows.reports.scope import service_name as _service_name

BAND_MINUTES = 3
BAND_COUNT = 6  # 0-3, 3-6, 6-9, 9-12, 12-15, 15+


# -- service level -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLevelRow:
    business_date: dt.date
    service_code: str
    service: str
    served: int  # visits that ended served
    within: int  # of which no leg waited past its target
    share: float | None  # within / served: the wait service level
    average_wait_s: float | None
    within_service: int = 0  # of which no leg's service ran past its target
    within_visit: int = 0  # of which no target was broken: wait, service and the whole visit (the headline)

    @property
    def service_share(self) -> float | None:
        return self.within_service / self.served if self.served else None

    @property
    def visit_share(self) -> float | None:
        return self.within_visit / self.served if self.served else None


def service_level(session: Session, f: ReportFilter) -> list[ServiceLevelRow]:
    """Shares of served customers within the targets, per day and service: the wait, the service, and the whole
    visit (no target broken, docs/reports.md: the headline). A 36-minute visit after a short wait is not 100 %."""
    scope = q.scope_of(session, f)
    counts: dict[tuple[dt.date, int], list[float]] = defaultdict(lambda: [0, 0, 0.0, 0, 0])
    if scope.causes is None:
        wait_target = q.target_case(scope, lambda s: s.target_wait_min)
        service_target = q.target_case(scope, lambda s: s.target_service_min)
        total_target = q.target_case(scope, lambda s: s.target_wait_min + s.target_service_min)
        wait_ok = Ticket.wait_seconds < wait_target
        service_ok = sa.func.coalesce(Ticket.service_seconds, 0) < service_target
        query = (sa.select(Ticket.business_date, Ticket.service_id, sa.func.count(),
                           sa.func.sum(sa.case((wait_ok, 1), else_=0)),
                           sa.func.sum(Ticket.wait_seconds),
                           sa.func.sum(sa.case((service_ok, 1), else_=0)),
                           sa.func.sum(sa.case((sa.and_(wait_ok, service_ok, Ticket.leg_seconds < total_target), 1),
                                               else_=0)))
                 .where(*q.in_period(scope), Ticket.id == Ticket.origin_id, Ticket.outcome == Outcome.SERVED)
                 .group_by(Ticket.business_date, Ticket.service_id)
                 .with_hint(Ticket, q.REPORT_INDEX, "sqlite"))
        for day, service_id, served, within, waited, service_within, visit_within in session.execute(query):
            counts[(day, service_id)] = [served, within or 0, float(waited or 0), service_within or 0,
                                         visit_within or 0]
        joined = [v for v in q.multi_leg_visits(session, scope) if v.served]
    else:  # a cause is a visit's property: read the visits one by one
        joined = [v for v in q.visits(session, scope) if v.served]
    for v in joined:
        cell = counts[(v.business_date, v.service_id)]
        cell[0] += 1
        cell[1] += 0 if v.wait_breached else 1
        cell[2] += v.wait_s or 0
        cell[3] += 0 if v.service_breached else 1
        cell[4] += 0 if v.breached else 1
    rows = []
    for (day, service_id), (served, within, waited, service_within, visit_within) in sorted(
            counts.items(), key=lambda item: (item[0][0], scope.services[item[0][1]].sort_order)):
        rows.append(ServiceLevelRow(day, scope.services[service_id].code, _service_name(scope, service_id),
                                    int(served), int(within), within / served if served else None,
                                    waited / served if served else None, int(service_within), int(visit_within)))
    return rows


@dataclass(frozen=True)
class DayLevel:
    business_date: dt.date
    served: int
    within: int  # within every target: the whole visit
    share: float | None


def service_level_by_day(rows: list[ServiceLevelRow]) -> list[DayLevel]:
    """The per-service rows added up per day (the chart's bars): the whole-visit service level, the headline."""
    days: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        days[row.business_date][0] += row.served
        days[row.business_date][1] += row.within_visit
    return [DayLevel(day, served, within, within / served if served else None)
            for day, (served, within) in sorted(days.items())]


# -- a cause is the visit's ------------------------------------------------------------------------
# Time bands and the day by hour count legs; with a cause filter a leg counts when its visit's cause is one
# of those chosen, as the breach report keeps visits (report_queries.VisitTimes.cause).


def _one_leg_of_causes(scope: Scope) -> list:
    """The legs that are a whole visit, with one of the chosen causes: such a visit's cause is its leg's."""
    return [*q.one_leg(), sa.func.coalesce(Ticket.breach_cause, NO_CAUSE).in_(sorted(scope.causes or ()))]


def _transferred_legs_of_causes(session: Session, scope: Scope) -> list[sa.Row]:
    """The legs of the period's transferred visits whose cause is one of the chosen ones, each leg passing the
    service, counter and staff filters itself (as a leg query counts it).

    The visit's cause is the last one named on any of its legs, as report_queries joins a visit's legs.
    """
    f = scope.filter
    query = (sa.select(Ticket.id, Ticket.origin_id, Ticket.breach_cause, Ticket.service_id, Ticket.counter_id,
                       Ticket.staff_id, Ticket.business_date, Ticket.issued_at, Ticket.wait_seconds,
                       Ticket.service_seconds)
             .where(Ticket.business_date >= f.date_from, Ticket.business_date <= f.date_to, q.of_transfers())
             .order_by(Ticket.id)  # ids are given at issue: the legs of each visit in order
             .with_hint(Ticket, q.TRANSFER_INDEX, "sqlite"))
    legs = session.execute(query).all()
    cause_of: dict[int, str] = {}
    for leg in legs:
        if leg.breach_cause or leg.origin_id not in cause_of:
            cause_of[leg.origin_id] = leg.breach_cause or NO_CAUSE
    return [leg for leg in legs if cause_of[leg.origin_id] in (scope.causes or ())
            and scope.leg_matches(leg.service_id, leg.counter_id, leg.staff_id)]


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
    return max(0, min(seconds // (BAND_MINUTES * 60), BAND_COUNT - 1))


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
        if scope.causes is not None:  # one-leg visits here; the legs of transferred visits below
            query = query.where(*_one_leg_of_causes(scope))
        for index, count in session.execute(query):
            counts[max(0, min(int(index), BAND_COUNT - 1))] += count
    if scope.causes is not None:
        for leg in _transferred_legs_of_causes(session, scope):
            if leg.wait_seconds is not None:
                waits[_band(leg.wait_seconds)] += 1
            if leg.service_seconds is not None:
                services[_band(leg.service_seconds)] += 1
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
    legs = list(session.execute(query)) if scope.causes is None else (
        list(session.execute(query.where(*_one_leg_of_causes(scope))))
        + [(leg.business_date, leg.issued_at.hour, leg.id == leg.origin_id, leg.wait_seconds)
           for leg in _transferred_legs_of_causes(session, scope)])
    arrivals: dict[tuple, int] = defaultdict(int)
    waits: dict[tuple, list[int]] = defaultdict(list)
    days_seen: set[dt.date] = set()
    for day, h, first, wait in legs:
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
