"""Opening hours, holidays and the pre-opening window: whether the kiosk may issue, and until when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, select

from counter_app.models import BranchSettings, Holiday, OpeningHours


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


def hours_on(session: Session, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """Opening and closing on a day, or None when the hall is shut that day."""
    if session.exec(select(Holiday).where(Holiday.day == day)).first():
        return None
    row = session.exec(select(OpeningHours).where(OpeningHours.weekday == day.weekday())).first()
    if row is None:
        return None
    return dt.datetime.combine(day, row.opens), dt.datetime.combine(day, row.closes)


def hall_status(session: Session, now: dt.datetime) -> HallStatus:
    window = dt.timedelta(minutes=branch_settings(session).pre_open_minutes)
    today = hours_on(session, now.date())
    if today:
        opens, closes = today
        if opens <= now < closes:
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
