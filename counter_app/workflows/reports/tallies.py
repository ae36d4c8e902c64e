"""Breach tallies of past days: what a year's breach report counts without reading the year's tickets.

A tally holds, for one business day that is over, how many visits broke a target per service (the
visit's first) and cause — the same numbers `report_breaches.breach_summary` counts from the tickets.
It is only a cache:

- it is written for days before today (`closing.tally_days`: when the day is closed, or
  `counter-app db tally`);
- anything that happens to a ticket of a tallied day drops that day's tally in the same transaction
  (`core.events.drop_tally_for_ticket`, called by events.record for every event about a ticket), so a cause recorded
  a week later is counted the next time the report is made;
- a tally counted with other targets than the services have now is not used (`targets_key`);
- a report filtered by service, counter or staff counts from the tickets, as a transferred visit
  counts for every service, counter and person it passed through.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlmodel import Session, select

from counter_app.models import BreachTally, ReportDay, Service


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
