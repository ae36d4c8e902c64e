"""The demo telecom business hall: services, counters 1-6, staff in every role, opening hours."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from counter_app.models import BranchSettings, Counter, CounterService, OpeningHours, Role, Service, Staff
from counter_app.workflows.core import auth, settings_record

DEMO_PASSWORD = "demo1234"

SERVICES = [
    # code, zh, en, prefix, priority, wait target, service target, typical minutes
    ("BB", "宽带续费", "Broadband renewal", "A", 0, 15, 10, 4.0),
    ("PLAN", "套餐变更", "Mobile plan change", "B", 0, 15, 12, 6.0),
    ("BILL", "缴费", "Bill payment", "C", 0, 10, 5, 2.0),
    ("NEW", "新装", "New line", "D", 0, 20, 25, 12.0),
    ("VIP", "VIP服务", "VIP service", "V", 1, 5, 15, 6.0),
]

COUNTERS = {1: ("BB", "PLAN", "BILL"), 2: ("BB", "PLAN", "BILL"), 3: ("BB", "PLAN", "BILL", "NEW"),
            4: ("BILL", "NEW"), 5: ("BB", "PLAN", "BILL", "NEW"), 6: ("VIP", "BB")}

STAFF = [
    # staff number, name, role, mentor's staff number
    ("S003", "张伟", Role.SENIOR, None),
    ("S001", "王芳", Role.CLERK, None),
    ("S002", "李明", Role.TRAINEE, "S003"),
    ("S004", "赵静", Role.CLERK, None),
    ("M001", "陈刚", Role.MANAGER, None),
    ("A001", "刘洋", Role.ADMIN, None),
]


# The demo is tried at any hour: its hall is open round the clock (closing at its opening time: 24 hours).
DEMO_OPENS, DEMO_CLOSES = dt.time(0, 0), dt.time(0, 0)
DEMO_BRANCH = ("城东营业厅", "East City Business Hall")


def seed_demo(session: Session, *, at: dt.datetime, opens: dt.time = DEMO_OPENS,
              closes: dt.time = DEMO_CLOSES) -> bool:
    """Fill an empty store with the demo hall, its settings recorded in the event log at `at`; a store that
    has services already is left alone."""
    if session.exec(select(Service)).first() is not None:
        return False
    session.add(BranchSettings(id=1, name_zh=DEMO_BRANCH[0], name_en=DEMO_BRANCH[1]))
    for weekday in range(7):
        session.add(OpeningHours(weekday=weekday, opens=opens, closes=closes))
    by_code: dict[str, Service] = {}
    for order, (code, zh, en, prefix, priority, wait, serve, typical) in enumerate(SERVICES):
        service = Service(code=code, name_zh=zh, name_en=en, prefix=prefix, priority=priority,
                          target_wait_min=wait, target_service_min=serve, typical_service_min=typical,
                          sort_order=order)
        session.add(service)
        by_code[code] = service
    session.flush()
    for number, codes in COUNTERS.items():
        counter = Counter(number=number)
        session.add(counter)
        session.flush()
        for code in codes:
            session.add(CounterService(counter_id=counter.id, service_id=by_code[code].id))
    password_hash = auth.hash_password(DEMO_PASSWORD)
    people: dict[str, Staff] = {}
    for staff_no, name, role, mentor in STAFF:
        staff = Staff(staff_no=staff_no, name=name, role=role, password_hash=password_hash,
                      mentor_id=people[mentor].id if mentor else None)
        session.add(staff)
        session.flush()
        people[staff_no] = staff
    settings_record.record(session, at=at, rows=settings_record.all_rows(session), why="demo_hall")
    return True


def keep_demo_open(session: Session, *, at: dt.datetime) -> bool:
    """A demo store made when the demo hall kept 07:00-22:00 (or 00:00-23:59) opens round the clock too; any other branch's
    hours are its own and are left alone. Returns whether anything changed."""
    branch = session.get(BranchSettings, 1)
    if branch is None or (branch.name_zh, branch.name_en) != DEMO_BRANCH:
        return False
    changed = []
    for hours in session.exec(select(OpeningHours)):
        if (hours.opens, hours.closes) != (DEMO_OPENS, DEMO_CLOSES):
            hours.opens, hours.closes = DEMO_OPENS, DEMO_CLOSES
            session.add(hours)
            changed.append(hours)
    if changed:
        settings_record.record(session, at=at, rows=changed, why="demo_hall_round_the_clock")
    return bool(changed)
