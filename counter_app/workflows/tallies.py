"""Breach tallies of past days: what a year's breach report counts without reading the year's tickets.

A tally holds, for one business day that is over, how many visits broke a target per service (the
visit's first) and cause — the same numbers `report_breaches.breach_summary` counts from the tickets.
It is only a cache:

- it is written for days before today (`tally_days`: when the day is closed, or `counter-app db tally`);
- anything that happens to a ticket of a tallied day drops that day's tally in the same transaction
  (`drop_for_ticket`, called by events.record for every event about a ticket), so a cause recorded
  a week later is counted the next time the report is made;
- a tally counted with other targets than the services have now is not used (`targets_key`);
- a report filtered by service, counter or staff counts from the tickets, as a transferred visit
  counts for every service, counter and person it passed through.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.models import BreachTally, ReportDay, Service, Ticket


def targets_key(session: Session) -> str:
    """Every service's wait and service targets, as a digest: a tally counted under other targets is stale."""
    rows = session.exec(select(Service.id, Service.target_wait_min, Service.target_service_min)
                        .order_by(Service.id)).all()
    return hashlib.sha256(";".join(f"{sid}:{wait}:{serve}" for sid, wait, serve in rows).encode()).hexdigest()


def tallied_days(session: Session, date_from: dt.date, date_to: dt.date) -> set[dt.date]:
    """The days of the period whose tally is there and was counted under today's targets."""
    return tallied(session, date_from, date_to)[0]


def tallied(session: Session, date_from: dt.date, date_to: dt.date
            ) -> tuple[set[dt.date], list[tuple[dt.date, int, str, int]]]:
    """The period's days with a current tally, and their (day, service id, cause, visits) rows.

    One statement, so that a tally dropped by another PC meanwhile is either read whole or not at all.
    """
    query = (select(ReportDay.business_date, BreachTally.service_id, BreachTally.cause, BreachTally.visits)
             .join(BreachTally, BreachTally.business_date == ReportDay.business_date, isouter=True)
             .where(ReportDay.business_date >= date_from, ReportDay.business_date <= date_to,
                    ReportDay.targets == targets_key(session)))
    days: set[dt.date] = set()
    rows = []
    for day, service_id, cause, visits in session.exec(query).all():
        days.add(day)
        if service_id is not None:
            rows.append((day, service_id, cause, visits))
    return days, rows


def tally_days(session: Session, clock: Clock, *, through: dt.date | None = None) -> list[dt.date]:
    """Tally every past day (from the first ticket's) that has no current tally; returns the days tallied.

    Days before the clock's today are over; `through` also counts a day closed early (the end of
    day closes today). A day's tally is written with the targets it was counted under.
    """
    from counter_app.workflows import events, report_breaches  # the counting itself is the breach report's

    events.hold_chain_lock(session)  # no ticket changes between the counting and the writing (PostgreSQL)
    now = clock.now()
    last = max(now.date() - dt.timedelta(days=1), through or dt.date.min)
    first = session.exec(select(sa.func.min(Ticket.business_date))).one()
    if first is None or first > last:
        return []
    key = targets_key(session)
    done = tallied_days(session, first, last)
    # Every day from the first ticket on, also those without tickets: a report then knows they hold nothing.
    missing = [day for day in (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
               if day not in done]
    if not missing:
        return []
    counts = report_breaches.counted_from_tickets(session, missing)
    session.exec(sa.delete(BreachTally).where(BreachTally.business_date.in_(missing)))
    session.exec(sa.delete(ReportDay).where(ReportDay.business_date.in_(missing)))
    session.flush()
    session.add_all(ReportDay(business_date=day, targets=key, tallied_at=now) for day in missing)
    session.flush()
    session.add_all(BreachTally(business_date=day, service_id=service_id, cause=cause, visits=visits)
                    for (day, service_id, cause), visits in counts.items())
    session.flush()
    return missing


def drop_for_ticket(session: Session, ticket_id: int) -> None:
    """Something happened to this ticket: its day's tally (and its visit's first day's) no longer holds."""
    origin = select(Ticket.origin_id).where(Ticket.id == ticket_id).scalar_subquery()
    days = select(Ticket.business_date).where(sa.or_(Ticket.id == ticket_id, Ticket.id == origin))
    session.exec(sa.delete(BreachTally).where(BreachTally.business_date.in_(days)))
    session.exec(sa.delete(ReportDay).where(ReportDay.business_date.in_(days)))
