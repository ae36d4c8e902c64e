"""Fixtures: the virtual clock, a fresh store, the demo hall with known opening hours."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.clock import VirtualClock
from counter_app.models.db import Store, open_store
from counter_app.workflows import counters, demo

# A Monday in the seed's spirit: the hall opens at 09:00; the kiosk issues from 08:45.
DAY = dt.date(2026, 3, 2)
OPENS = dt.time(9, 0)
CLOSES = dt.time(17, 30)


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    hours, minutes = hhmm.split(":")[:2]
    seconds = int(hhmm.split(":")[2]) if hhmm.count(":") == 2 else 0
    return dt.datetime.combine(day, dt.time(int(hours), int(minutes), seconds))


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(at("08:40"))


@pytest.fixture
def store(tmp_path) -> Store:
    """An empty, fully migrated SQLite store."""
    s = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield s
    s.dispose()


@pytest.fixture
def hall(store: Store) -> Store:
    """The demo business hall, open 09:00-17:30 every day."""
    with store.write() as session:
        demo.seed_demo(session, opens=OPENS, closes=CLOSES)
    return store


def staff_id(store: Store, staff_no: str) -> int:
    from sqlmodel import select

    from counter_app.models import Staff

    with store.read() as session:
        return session.exec(select(Staff.id).where(Staff.staff_no == staff_no)).one()


def open_counter(store: Store, clock, number: int, staff_no: str) -> int:
    """Log a demo staff member in at a counter and open it; returns their staff id."""
    with store.write() as session:
        login = counters.login(session, clock, counter_number=number, staff_no=staff_no,
                               password=demo.DEMO_PASSWORD)
    with store.write() as session:
        counters.open_counter(session, clock, counter_number=number, staff_id=login.staff_id)
    return login.staff_id
