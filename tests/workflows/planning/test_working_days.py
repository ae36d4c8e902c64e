"""The factory's working calendar: weekends, public holidays, its own closed days and worked weekends."""

import datetime as dt

import pytest

from counter_app.workflows.planning.working_days import (
    WorkingCalendar,
    add_working_days,
    calendar_of,
    working_days_between,
)

MON, FRI, SAT = dt.date(2026, 9, 28), dt.date(2026, 10, 2), dt.date(2026, 10, 3)
NATIONAL_DAY = [dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)]  # Thu 1 .. Wed 7, across a weekend


def test_working_days_skip_the_weekend():
    assert add_working_days(dt.date(2026, 9, 25), 1) == MON  # Fri + 1 is the Monday
    assert add_working_days(MON, 4) == dt.date(2026, 10, 2)
    assert add_working_days(SAT, 0) == dt.date(2026, 10, 5)  # nothing to do yet: the next working day


def test_a_holiday_across_a_weekend_and_a_closed_day_are_skipped_and_a_worked_saturday_counts():
    calendar = calendar_of(holidays=NATIONAL_DAY, closed=[dt.date(2026, 10, 9)], opened=[dt.date(2026, 10, 10)])
    # Tue 29, Wed 30, (1-7 holiday), Thu 8, (Fri 9 closed), Sat 10 worked, (Sun 11), Mon 12
    assert calendar.add(MON, 5) == dt.date(2026, 10, 12)
    assert calendar.add(MON, 3) == dt.date(2026, 10, 8)
    assert not calendar.is_working(dt.date(2026, 10, 5)) and calendar.is_working(dt.date(2026, 10, 10))


def test_counting_is_the_inverse_of_adding():
    calendar = calendar_of(holidays=NATIONAL_DAY)
    for days in range(0, 40):
        assert calendar.between(MON, calendar.add(MON, days)) == days
    assert working_days_between(MON, FRI) == 4
    assert working_days_between(FRI, MON) == -4
    assert calendar.between(dt.date(2026, 9, 30), dt.date(2026, 10, 8)) == 1
    # from a closed day too: an answer that came in on Saturday 26 Sep starts the work on Monday
    saturday = dt.date(2026, 9, 26)
    for days in range(1, 20):
        assert calendar.between(saturday, calendar.add(saturday, days)) == days
    assert calendar.add(saturday, 1) == MON


def test_no_negative_days_are_added():
    with pytest.raises(ValueError):
        WorkingCalendar().add(MON, -1)
