"""Opening hours, holidays and the pre-opening window: whether the kiosk may issue, and until when; and
the hall's business (trading) day, which may run past midnight.

A weekday's interval may end after midnight: `closes` at or before `opens` means the next calendar day
(16:00-02:00 closes at 02:00 the next morning; 00:00-00:00 is round the clock). Whatever happens inside
a day's interval belongs to that day: its tickets are numbered, queued, reported and closed with it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, bindparam, func, literal
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from counter_app.models import BranchSettings, Event, Holiday, OpeningHours, Ticket, TicketState
from counter_app.models.db import (
    CALENDAR_EVENTS,
    CALENDAR_KEPT,
    CALENDAR_TOUCHED,
    SETTINGS_CACHE,
    calendar_generation,
)
from counter_app.models.prepared import Prepared


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


@dataclass(frozen=True)
class _Calendar:
    """The weekly hours and the holidays, and (`closings`) when each day closed from `closings_from` on.

    `through`: the newest event id when this copy was last found current; `generation`: the Store's count of
    its own calendar writes then (models/db.py); `kept`: whether it came from, and may go back to, the Store's
    holder (a transaction that touched the calendar reads it for itself)."""

    weekly: dict[int, tuple[dt.time, dt.time]]
    holidays: frozenset[dt.date]
    ageing: int  # the branch's priority_ageing_minutes (queue/priority.py), a recorded setting like the hours
    through: int
    generation: int
    kept: bool
    closings: tuple[tuple[dt.datetime, dt.date], ...] = ()
    closings_from: dt.date | None = None


_E = Event.__table__.c
_T = Ticket.__table__.c
_HEAD = select(func.max(_E.id)).scalar_subquery()
# Anything that changes the calendar on any PC records a `settings_recorded` or `day_closed` event, and events
# commit in the order of their ids (the chain's lock, core/events.py): one newer than `through` is a change.
_CHANGED = select(func.max(_E.id)).where(_E.kind.in_([literal(kind) for kind in sorted(CALENDAR_EVENTS)]),
                                         _E.id > bindparam("through")).scalar_subquery()
_OLDEST = select(func.min(_T.business_date)).where(
    _T.business_date >= bindparam("first"), _T.business_date < bindparam("day"),
    _T.state != TicketState.DONE).scalar_subquery()
_B = BranchSettings.__table__.c
_AGEING = Prepared(select(_B.priority_ageing_minutes).where(_B.id == 1))
_STAMP = Prepared(select(_HEAD, _CHANGED))
_STAMP_AND_OLDEST = Prepared(select(_HEAD, _CHANGED, _OLDEST))
_HEAD_ONLY = Prepared(select(_HEAD))
_OLDEST_ONLY = Prepared(select(_OLDEST))
_UNREAD = object()
_CLOSINGS_MARGIN = dt.timedelta(days=31)  # closings read this far before the queue's reach, for the days to come


def _read(session: Session, *, through: int, generation: int, kept: bool) -> _Calendar:
    weekly = {row.weekday: (row.opens, row.closes) for row in session.exec(select(OpeningHours))}
    holidays = frozenset(session.exec(select(Holiday.day)))
    ageing = _AGEING.scalar(session)
    return _Calendar(weekly, holidays, BranchSettings().priority_ageing_minutes if ageing is None else ageing,
                     through, generation, kept)


def _current(session: Session, window: tuple[dt.date, dt.date] | None = None) -> tuple[_Calendar, object]:
    """The calendar for this transaction, checked against the store once; with `window` (first, day), guessed
    from the kept copy, the oldest day in it with somebody still in the hall rides in the same statement.

    A Store keeps its copy between transactions; each transaction reads one cheap stamp (the newest event id, and
    whether any settings or closed-day event came after the copy's: both by index) and reads the calendar
    again only when it changed, here or on another PC."""
    holder = session.info.get(CALENDAR_KEPT)
    if holder is None or session.info.get(CALENDAR_TOUCHED):
        calendar = session.info[SETTINGS_CACHE] = _read(session, through=0, generation=0, kept=False)
        return calendar, _UNREAD
    generation = calendar_generation(holder)
    kept = holder.get("calendar")
    if kept is not None and kept.generation == generation:
        params = {"through": kept.through}
        if window is not None:
            params.update(first=window[0], day=window[1])
            head, changed, oldest = _STAMP_AND_OLDEST.one(session, params)
        else:
            (head, changed), oldest = _STAMP.one(session, params), _UNREAD
        # nothing recorded since, and the same log (not one restored from a backup behind it)
        if changed is None and (head or 0) >= kept.through:
            if (head or 0) > kept.through:
                kept = holder["calendar"] = dataclasses.replace(kept, through=head or 0)
            session.info[SETTINGS_CACHE] = kept
            return kept, oldest
    head = _HEAD_ONLY.scalar(session) or 0
    calendar = holder["calendar"] = session.info[SETTINGS_CACHE] = _read(
        session, through=head, generation=generation, kept=True)
    return calendar, _UNREAD


def _calendar(session: Session) -> _Calendar:
    """The weekly hours and the holidays, checked once per transaction (every queue action asks several times).
    Whatever writes them records them (core/settings_record.py), which forgets this transaction's copy."""
    calendar = session.info.get(SETTINGS_CACHE)
    return calendar if calendar is not None else _current(session)[0]


def ageing_minutes(session: Session) -> int:
    """The branch's `priority_ageing_minutes` (0: no ageing), with the hall's calendar: read again only when a
    setting was recorded since (here or on another PC)."""
    return _calendar(session).ageing


def _hours(calendar: _Calendar, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    if day in calendar.holidays or day.weekday() not in calendar.weekly:
        return None
    opens_at, closes_at = calendar.weekly[day.weekday()]
    opens = dt.datetime.combine(day, opens_at)
    closes = dt.datetime.combine(day, closes_at)
    if closes <= opens:  # past midnight: 16:00-02:00, or 00:00-00:00 round the clock
        closes += dt.timedelta(days=1)
    return opens, closes


def hours_on(session: Session, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """Opening and closing of the business day `day`, or None when the hall is shut that day.

    The closing may be on the next calendar day (hours past midnight, or round the clock)."""
    return _hours(_calendar(session), day)


def trading_day(session: Session, now: dt.datetime) -> dt.date:
    """The business day `now` belongs to: yesterday's while yesterday's hours run past midnight into now."""
    return _trading_day(_calendar(session), now)


def _trading_day(calendar: _Calendar, now: dt.datetime) -> dt.date:
    yesterday = now.date() - dt.timedelta(days=1)
    hours = _hours(calendar, yesterday)
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
    return {day for _at, day in _closings(session, since)}


def _closings(session: Session, since: dt.date) -> list[tuple[dt.datetime, dt.date]]:
    """When each day was closed, for the closings from `since` on."""
    rows = session.exec(select(Event.at, Event.data).where(Event.kind == "day_closed",
                                                           Event.at >= dt.datetime.combine(since, dt.time())))
    found = []
    for at, data in rows:
        try:
            found.append((at, dt.date.fromisoformat(json.loads(data)["day"])))
        except (ValueError, KeyError, TypeError):
            continue
    return found


def _closed(session: Session, calendar: _Calendar, since: dt.date) -> set[dt.date]:
    """closed_days(since), from the kept calendar's closings when it has them (read once more when it does not
    reach back far enough). A transaction that reads its own calendar reads them itself, as its own closing
    of a day would not be in a kept copy."""
    if not calendar.kept:
        return closed_days(session, since)
    if calendar.closings_from is None or since < calendar.closings_from:
        reach = since - _CLOSINGS_MARGIN
        calendar = dataclasses.replace(calendar, closings=tuple(_closings(session, reach)), closings_from=reach)
        session.info[SETTINGS_CACHE] = calendar
        holder = session.info.get(CALENDAR_KEPT)
        if holder is not None:
            holder["calendar"] = calendar
    start = dt.datetime.combine(since, dt.time())
    return {day for at, day in calendar.closings if at >= start}


def _reach(session: Session, calendar: _Calendar, day: dt.date) -> dt.date:
    """The first of the days up to `day` the hall stayed open through without a break, and nobody closed."""
    closed = _closed(session, calendar, day - dt.timedelta(days=QUEUE_DAYS_LIMIT))
    first = day
    hours = _hours(calendar, first)
    for _ in range(QUEUE_DAYS_LIMIT):
        before = first - dt.timedelta(days=1)
        earlier = _hours(calendar, before)
        if before in closed or earlier is None or hours is None or earlier[1] < hours[0]:
            break
        first, hours = before, earlier
    return first


def _guess(session: Session, now: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """business_day's window (its first day, its day) as the Store's kept calendar says, when it can say without
    reading anything: checked in the same statement as the stamp (_current)."""
    holder = session.info.get(CALENDAR_KEPT)
    kept = holder.get("calendar") if holder is not None and not session.info.get(CALENDAR_TOUCHED) else None
    if kept is None or kept.closings_from is None:
        return None
    day = _trading_day(kept, now)
    if day - dt.timedelta(days=QUEUE_DAYS_LIMIT) < kept.closings_from:
        return None
    first = _reach(session, kept, day)
    return (first, day) if first < day else None


def business_day(session: Session, now: dt.datetime) -> BusinessDay:
    """The trading day, and how far back its queue reaches.

    A customer still waiting when the day turns stays in the queue, in order, while the hall stays open
    without a break (a 24-hour hall at midnight, a day that runs into the next one's opening) and until a
    duty manager closes their day. A hall that closed in between starts its next day with an empty queue:
    whoever was left waiting at closing has gone home (docs/decisions.md).
    """
    calendar, oldest, guess = session.info.get(SETTINGS_CACHE), _UNREAD, None
    if calendar is None:  # the transaction's first look: the stamp, and the oldest live day if it can be guessed
        guess = _guess(session, now)
        calendar, oldest = _current(session, guess)
    day = _trading_day(calendar, now)
    first = _reach(session, calendar, day)
    if first < day:  # from the first of those days on which somebody is still in the hall
        if oldest is _UNREAD or guess != (first, day):
            oldest = _OLDEST_ONLY.scalar(session, {"first": first, "day": day})
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
