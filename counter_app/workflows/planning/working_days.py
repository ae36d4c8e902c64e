"""The factory's working calendar: which days count, adding working days to a date, counting them between two.

Pure functions on an immutable `WorkingCalendar`; `load_calendar` reads one from the store (public holidays
from the hall's `holiday` table, the factory's own days from `factory_day`). A factory day decides its date
whatever else says (a closed weekday, or a weekend worked to make up for a holiday, 调休); otherwise a public
holiday is closed, and so are Saturday and Sunday.

Counting convention: work starts the day *after* a date. `add(start, n)` is the day on which n working days
after `start` are done (`add(Mon, 1)` is Tue; `add(d, 0)` is d itself, or the next working day if d is
closed); `between(a, b)` counts the working days d with a < d <= b, so `between(a, add(a, n)) == n`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlmodel import Session, select

from counter_app.models import Holiday
from counter_app.models.planning import FactoryDay

WEEKEND = frozenset({5, 6})  # Saturday, Sunday
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkingCalendar:
    """Holidays closed, weekends closed unless `factory` opens them; `factory` maps a date to closed (True/False)."""

    holidays: frozenset[dt.date] = frozenset()
    factory: Mapping[dt.date, bool] = field(default_factory=dict)

    def is_working(self, day: dt.date) -> bool:
        if day in self.factory:
            return not self.factory[day]
        return day not in self.holidays and day.weekday() not in WEEKEND

    def add(self, start: dt.date, days: int) -> dt.date:
        """The day on which `days` working days after `start` are done (0: start, rolled to a working day)."""
        if days < 0:
            raise ValueError("working days to add must not be negative")
        day, left = start, days
        if not self.is_working(day):
            # Work begins on the first working day after a closed start, and that day is the first of `days`:
            # from a Saturday, one working day is done on Monday (between(Sat, Mon) == 1).
            while not self.is_working(day):
                day += ONE_DAY
            left = max(0, days - 1)
        while left:
            day += ONE_DAY
            if self.is_working(day):
                left -= 1
        return day

    def between(self, first: dt.date, last: dt.date) -> int:
        """Working days d with first < d <= last; negative when last is before first."""
        if last < first:
            return -self.between(last, first)
        count, day = 0, first
        while day < last:
            day += ONE_DAY
            count += self.is_working(day)
        return count


def calendar_of(holidays: Iterable[dt.date] = (), closed: Iterable[dt.date] = (),
                opened: Iterable[dt.date] = ()) -> WorkingCalendar:
    """A calendar from plain dates: public holidays, the factory's closed days and its worked weekend days."""
    factory = {day: True for day in closed}
    factory.update({day: False for day in opened})
    return WorkingCalendar(frozenset(holidays), factory)


def add_working_days(start: dt.date, days: int, calendar: WorkingCalendar | None = None) -> dt.date:
    return (calendar or WorkingCalendar()).add(start, days)


def working_days_between(first: dt.date, last: dt.date, calendar: WorkingCalendar | None = None) -> int:
    return (calendar or WorkingCalendar()).between(first, last)


def load_calendar(session: Session) -> WorkingCalendar:
    """The calendar the store holds now (both tables are a few rows a year)."""
    holidays = frozenset(session.exec(select(Holiday.day)))
    factory = {day: closed for day, closed in session.exec(select(FactoryDay.day, FactoryDay.closed))}
    return WorkingCalendar(holidays, factory)
