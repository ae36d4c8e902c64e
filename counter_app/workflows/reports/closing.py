"""Closing the day: the day's summary saved as one PDF page, and a `day_closed` row in the event log; the
customers' personal data past the branch's retention period is purged with it.

Both happen in one transaction: if the page cannot be written nothing is recorded, and the manager can
try again. The page prints the `day_closed` row itself as the event log's head, so the printed page
anchors the chain's end (audit.py); the row keeps the head before it and the day's headline numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app import paths
from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_, pick
from counter_app.models import BreachTally, Event, ReportDay, Role, Staff, Ticket
from counter_app.models.db import after_commit
from counter_app.workflows import reports
from counter_app.workflows.core import audit, events, files, lookup
from counter_app.workflows.core.audit import ChainHead
from counter_app.workflows.customers import privacy
from counter_app.workflows.queue import presence
from counter_app.workflows.queue.hours import branch_settings, trading_day
from counter_app.workflows.queue.tickets import Change
from counter_app.workflows.reports import breach_report, tallies
from counter_app.workflows.reports.export_pdf import render_day_summary

CLOSING_ROLES = {Role.MANAGER, Role.ADMIN}


@dataclass(frozen=True)
class DayClosed:
    business_date: dt.date
    path: Path
    head: ChainHead  # the day_closed row: the anchor the page prints
    summary: reports.DaySummary
    change: Change


@dataclass(frozen=True)
class DayClosing:
    """An earlier closing of a day, as the event log holds it."""

    at: dt.datetime
    staff_name: str
    anchor: str


def close_day(session: Session, clock: Clock, *, day: dt.date, staff_id: int, path: Path,
              language: str) -> DayClosed:
    """Record that `staff_id` closed `day` and save the day's page to `path` (the caller may print it)."""
    now = clock.now()
    staff = lookup.staff_by_id(session, staff_id)
    if staff.role not in CLOSING_ROLES:
        raise AppError(N_("Only duty managers and administrators can close the day."))
    # Counters left open close with the day: none stays "open" and locked to a clerk who has gone home.
    counters_closed = presence.close_all(session, clock, staff_id=staff.id, through=day)
    # The retention period runs out with the day: old visits lose their customer's personal data in this same
    # transaction (its own `customer_data_purged` event when it found anything, before the anchor; the counts in
    # `day_closed`); the day's figures do not change.
    purged = privacy.purge_expired(session, clock, retention_days=branch_settings(session).customer_retention_days,
                                   staff_id=staff.id)
    summary = reports.day_summary(session, day, now)
    event = events.record(
        session, at=now, kind="day_closed", staff_id=staff.id, day=day.isoformat(), customers=summary.customers,
        served=summary.served, no_shows=summary.no_shows, still_open=summary.still_open, within=summary.within,
        service_level=None if summary.service_level is None else round(summary.service_level, 4),
        breaches=len(summary.breaches), open_escalations=len(summary.open_escalations),
        earlier_open_escalations=len(summary.earlier_open_escalations), ratings=summary.ratings,
        complaints=summary.complaints, head_before=summary.head.anchor if summary.head else None,
        page=path.name, counters_closed=counters_closed, left_waiting=list(summary.still_waiting),
        customers_purged=purged.customers, visits_purged=purged.tickets)
    head = ChainHead(event.id, event.hash, event.at)
    summary = dataclasses.replace(summary, head=head, closed_by=staff.name)
    tally_days(session, clock, through=day)  # the day is over: its breaches are counted for the reports
    settings = branch_settings(session)
    page = render_day_summary(summary, branch=pick({"zh": settings.name_zh, "en": settings.name_en}),
                              language=language)

    def save_page() -> None:
        # After the commit: the page prints the day_closed row as the log's anchor, and a page must never
        # anchor a row that a crash kept out of the store. The page can be made again from the store.
        try:
            files.write_bytes_atomically(path, page)
        except OSError as exc:
            raise AppError(N_("The day is closed, but its page could not be saved ({detail}): make it again with "
                              "counter-app report end-of-day."), detail=exc.strerror or type(exc).__name__) from exc

    after_commit(session, save_page)
    store_url = session.get_bind().url.render_as_string(hide_password=False)
    # The day's anchor is also kept beside the backups: outside the store, checked by `audit verify`.
    after_commit(session, lambda: audit.keep_anchor(paths.backups_dir(), store_url, day, head))
    return DayClosed(day, path, head, summary, Change("day_closed"))


def day_closings(session: Session, day: dt.date) -> list[DayClosing]:
    """Who closed `day` already, and when, oldest first (closing again saves a new page beside the first)."""
    found = []
    for event, name in session.exec(select(Event, Staff.name).join(Staff, Event.staff_id == Staff.id, isouter=True)
                                    .where(Event.kind == "day_closed").order_by(Event.id)):
        if json.loads(event.data).get("day") == day.isoformat():
            found.append(DayClosing(event.at, name or "", ChainHead(event.id, event.hash, event.at).anchor))
    return found


def tally_days(session: Session, clock: Clock, *, through: dt.date | None = None) -> list[dt.date]:
    """Tally every past day (from the first ticket's) that has no current tally; returns the days tallied.

    Days before the clock's today are over; `through` also counts a day closed early (the end of
    day closes today). A day's tally is written with the targets it was counted under.
    """
    events.hold_chain_lock(session)  # no ticket changes between the counting and the writing (PostgreSQL)
    now = clock.now()
    last = max(trading_day(session, now) - dt.timedelta(days=1), through or dt.date.min)
    first = session.exec(select(sa.func.min(Ticket.business_date))).one()
    if first is None or first > last:
        return []
    key = tallies.targets_key(session)
    done = tallies.tallied_days(session, first, last)
    # Every day from the first ticket on, also those without tickets: a report then knows they hold nothing.
    missing = [day for day in (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
               if day not in done]
    if not missing:
        return []
    counts = breach_report.counted_from_tickets(session, missing)
    session.exec(sa.delete(BreachTally).where(BreachTally.business_date.in_(missing)))
    session.exec(sa.delete(ReportDay).where(ReportDay.business_date.in_(missing)))
    session.flush()
    session.add_all(ReportDay(business_date=day, targets=key, tallied_at=now) for day in missing)
    session.flush()
    session.add_all(BreachTally(business_date=day, service_id=service_id, cause=cause, visits=visits)
                    for (day, service_id, cause), visits in counts.items())
    session.flush()
    return missing
