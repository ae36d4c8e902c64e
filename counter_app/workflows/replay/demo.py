"""The demo telecom business hall: services, counters 1-6, staff in every role, opening hours — all in its setup
file, resources/setup/demo-hall.json."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from counter_app import paths
from counter_app.models import BranchSettings, OpeningHours, Service
from counter_app.workflows.admin import setup_file
from counter_app.workflows.core import auth, settings_record
from counter_app.workflows.planning.demo import seed_planning_demo

DEMO_PASSWORD = "demo1234"
DEMO_SETUP = "demo-hall.json"

# The demo is tried at any hour: its hall is open round the clock (closing at its opening time: 24 hours).
DEMO_OPENS, DEMO_CLOSES = dt.time(0, 0), dt.time(0, 0)
DEMO_BRANCH = ("城东营业厅", "East City Business Hall")


def seed_demo(session: Session, *, at: dt.datetime, opens: dt.time = DEMO_OPENS,
              closes: dt.time = DEMO_CLOSES, planning: bool = False) -> bool:
    """Fill an empty store with the demo hall — itself a setup file, resources/setup/demo-hall.json — its
    settings recorded in the event log at `at`, everyone with the demo password; a store that has services
    already is left alone. `opens`/`closes`: other hours for every weekday (tests, scenarios). `planning`: the
    planning desk gets its demo products and orders, and the customers their segment rules and a few known
    customers (`--demo`; tests and scenarios start with an empty desk and no customers)."""
    if session.exec(select(Service)).first() is not None:
        return False
    setup = setup_file.check_setup((paths.setup_dir() / DEMO_SETUP).read_bytes())
    setup["hours"] = [{"weekday": weekday, "opens": opens, "closes": closes} for weekday in range(7)]
    setup_file.import_setup(session, setup=setup, at=at, staff_id=None, why="demo_hall",
                            new_password_hash=auth.hash_password(DEMO_PASSWORD))
    if planning:
        seed_planning_demo(session, at=at)
        seed_customers_demo(session, at=at)
    return True


# A few known customers for `--demo`: a VIP the kiosk recognises by 13800138000 (or account 2001), a customer
# for priority care, a high-value one who agreed to follow-up calls, and an ordinary one.
DEMO_CUSTOMERS = (
    ("account", "name", "phones", "monthly_spend", "customer_since", "need", "consent_contact"),
    ("2001", "周海波", "13800138000", "680", "2015-06-01", "", "yes"),
    ("2002", "钱淑芬", "13900139000", "45", "2008-03-15", "priority_care", "yes"),
    ("2003", "吴建国", "13700137000", "260", "2023-01-10", "", "yes"),
    ("2004", "郑晓雨", "13600136000", "38", "2025-09-01", "", "no"),
)


def seed_customers_demo(session: Session, *, at: dt.datetime) -> bool:
    """The default segment rules and DEMO_CUSTOMERS, recorded by the demo's administrator; a store with customers
    or rules already is left alone."""
    from counter_app.clock import VirtualClock
    from counter_app.models import Customer, Staff
    from counter_app.models.customers import SegmentRule
    from counter_app.workflows.customers import importing, segments

    admin = session.exec(select(Staff.id).where(Staff.staff_no == "A001")).first()
    if admin is None or session.exec(select(Customer.id).limit(1)).first() is not None \
            or session.exec(select(SegmentRule.id).limit(1)).first() is not None:
        return False
    clock = VirtualClock(at)
    segments.install_default_rules(session, clock, staff_id=admin)
    importing.import_rows(session, clock, rows=[(line, list(row)) for line, row in enumerate(DEMO_CUSTOMERS, 1)],
                          staff_id=admin, source="demo")
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
