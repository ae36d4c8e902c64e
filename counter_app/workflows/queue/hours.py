"""Opening hours, holidays and the pre-opening window: whether the kiosk may issue, and until when; and
the hall's business (trading) day, which may run past midnight.

A weekday's interval may end after midnight: `closes` at or before `opens` means the next calendar day
(16:00-02:00 closes at 02:00 the next morning; 00:00-00:00 is round the clock). Whatever happens inside
a day's interval belongs to that day: its tickets are numbered, queued, reported and closed with it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from counter_app.models import BranchSettings, Event, Holiday, OpeningHours, Ticket, TicketState
from counter_app.models.db import SETTINGS_CACHE


class HallState(StrEnum):
    OPEN = "open"
    PRE_OPEN = "pre_open"  # before opening, inside the window in which tickets are issued
    CLOSED = "closed"


@dataclass(frozen=True)
class HallStatus:
    state: HallState
    opens_at: dt.datetime | None  # today's (or the coming) opening
    closes_at: dt.datetime | None
    next_issue_at: dt.datetime | None  # when the kiosk issues again, if it is closed now


def branch_settings(session: Session) -> BranchSettings:
    settings = session.get(BranchSettings, 1)
    return settings or BranchSettings()


def _calendar(session: Session) -> tuple[dict[int, tuple[dt.time, dt.time]], set[dt.date]]:
    """The weekly hours and the holidays, read once per transaction (every queue action asks several times).
    Whatever writes them records them (core/settings_record.py), which forgets this copy."""
    calendar = session.info.get(SETTINGS_CACHE)
    if calendar is None:
        hours = {row.weekday: (row.opens, row.closes) for row in session.exec(select(OpeningHours))}
        holidays = set(session.exec(select(Holiday.day)))
        calendar = session.info[SETTINGS_CACHE] = (hours, holidays)
    return calendar


def hours_on(session: Session, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """Opening and closing of the business day `day`, or None when the hall is shut that day.

    The closing may be on the next calendar day (hours past midnight, or round the clock)."""
    weekly, holidays = _calendar(session)
    if day in holidays or day.weekday() not in weekly:
        return None
    opens_at, closes_at = weekly[day.weekday()]
    opens = dt.datetime.combine(day, opens_at)
    closes = dt.datetime.combine(day, closes_at)
    if closes <= opens:  # past midnight: 16:00-02:00, or 00:00-00:00 round the clock
        closes += dt.timedelta(days=1)
    return opens, closes


def trading_day(session: Session, now: dt.datetime) -> dt.date:
    """The business day `now` belongs to: yesterday's while yesterday's hours run past midnight into now."""
    yesterday = now.date() - dt.timedelta(days=1)
    hours = hours_on(session, yesterday)
    if hours and hours[0] <= now < hours[1]:
        return yesterday
    return now.date()


def day_starts(session: Session, day: dt.date) -> dt.datetime:
    """The first moment of the business day `day` (trading_day's rule turned round): its midnight, or where the
    day before's hours end when they run past it (16:00–02:00 → 02:00)."""
    midnight = dt.datetime.combine(day, dt.time())
    before = hours_on(session, day - dt.timedelta(days=1))
    return max(midnight, before[1]) if before else midnight


@dataclass(frozen=True)
class BusinessDay:
    """The trading day now, and the earliest day whose waiting customers are still in the queue."""

    day: dt.date
    queue_from: dt.date

    def holds(self, day: dt.date) -> bool:
        return self.queue_from <= day <= self.day

    def tickets(self) -> ColumnElement[bool]:
        """The tickets of the days still in the queue (a condition for a query on Ticket)."""
        if self.queue_from == self.day:
            return Ticket.business_date == self.day
        return and_(Ticket.business_date >= self.queue_from, Ticket.business_date <= self.day)

    def days(self) -> list[dt.date]:
        return [self.queue_from + dt.timedelta(days=n) for n in range((self.day - self.queue_from).days + 1)]


def openings(session: Session, day: BusinessDay) -> dict[dt.date, dt.datetime | None]:
    """When each day still in the queue opened (None: shut), for wait clocks that start at opening."""
    return {d: (hours[0] if (hours := hours_on(session, d)) else None) for d in day.days()}


# A hall open round the clock without anybody closing a day keeps at most this many days in its queue.
QUEUE_DAYS_LIMIT = 7


def closed_days(session: Session, since: dt.date) -> set[dt.date]:
    """The business days from `since` on that a duty manager has closed (a day is closed after it began)."""
    rows = session.exec(select(Event.data).where(Event.kind == "day_closed",
                                                 Event.at >= dt.datetime.combine(since, dt.time())))
    days = set()
    for data in rows:
        try:
            days.add(dt.date.fromisoformat(json.loads(data)["day"]))
        except (ValueError, KeyError, TypeError):
            continue
    return days


def business_day(session: Session, now: dt.datetime) -> BusinessDay:
    """The trading day, and how far back its queue reaches.

    A customer still waiting when the day turns stays in the queue, in order, while the hall stays open
    without a break (a 24-hour hall at midnight, a day that runs into the next one's opening) and until a
    duty manager closes their day. A hall that closed in between starts its next day with an empty queue:
    whoever was left waiting at closing has gone home (docs/decisions.md).
    """
    day = trading_day(session, now)
    closed = closed_days(session, day - dt.timedelta(days=QUEUE_DAYS_LIMIT))
    first = day
    hours = hours_on(session, first)
    for _ in range(QUEUE_DAYS_LIMIT):
        before = first - dt.timedelta(days=1)
        earlier = hours_on(session, before)
        if before in closed or earlier is None or hours is None or earlier[1] < hours[0]:
            break
        first, hours = before, earlier
    if first < day:  # from the first of those days on which somebody is still in the hall
        oldest = session.exec(select(func.min(Ticket.business_date)).where(
            Ticket.business_date >= first, Ticket.business_date < day, Ticket.state != TicketState.DONE)).one()
        first = oldest or day
    return BusinessDay(day, first)


def hall_status(session: Session, now: dt.datetime) -> HallStatus:
    window = dt.timedelta(minutes=branch_settings(session).pre_open_minutes)
    for day in (now.date() - dt.timedelta(days=1), now.date()):
        hours = hours_on(session, day)
        if hours:
            opens, closes = hours
            if opens <= now < closes:
                # Round the clock, today's interval starts where yesterday's ended: one open hall.
                return HallStatus(HallState.OPEN, opens, closes, None)
            if opens - window <= now < opens:
                return HallStatus(HallState.PRE_OPEN, opens, closes, None)
    for offset in range(0, 15):
        day = now.date() + dt.timedelta(days=offset)
        hours = hours_on(session, day)
        if hours and hours[0] - window > now:
            return HallStatus(HallState.CLOSED, hours[0], hours[1], hours[0] - window)
    return HallStatus(HallState.CLOSED, None, None, None)


def wait_clock_start(queue_at: dt.datetime, opens_at: dt.datetime | None) -> dt.datetime:
    """Where a live wait clock starts: the moment given, but never before the hall opens.

    Nobody can serve before opening, and the early ticket already told the customer when serving
    starts (F1); so a wait warns and breaches only for time the hall was open. Reports keep the
    customer's whole wait (called - issued, docs/reports.md).
    """
    return max(queue_at, opens_at) if opens_at else queue_at
