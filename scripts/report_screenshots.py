"""Screenshots of the reports window and the customer feedback screen, in Chinese, for docs/screenshots.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/report_screenshots.py [OUT_DIR]

A busy morning at the demo hall is played through the workflows on a virtual clock (seeded, so the
pictures are the same every time): four counters, one of them the trainee's, more customers than
they can serve at the peak, breach causes recorded by the clerks, and ratings on the feedback screen.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COUNTER_APP_DATA_DIR", tempfile.mkdtemp(prefix="counter-report-shots-"))

from counter_app import i18n  # noqa: E402
from counter_app.clock import VirtualClock  # noqa: E402
from counter_app.errors import AppError  # noqa: E402
from counter_app.models.db import open_store  # noqa: E402
from counter_app.workflows.core import auth  # noqa: E402
from counter_app.workflows.oversight import escalation, explain  # noqa: E402
from counter_app.workflows.queue import counters, tickets  # noqa: E402
from counter_app.workflows.replay import demo  # noqa: E402
from counter_app.workflows.reports import feedback  # noqa: E402

DAY = dt.date(2026, 3, 2)
CLERKS = {1: "S001", 2: "S002", 4: "S004", 6: "S003"}  # counter 6 serves the VIP customers
SLOWER = {2: 1.7}  # the trainee
ARRIVALS_PER_MINUTE = {9: 0.5, 10: 0.7, 11: 0.6, 12: 0.35}  # the peak is more than four counters serve
MIX = {"BB": 30, "PLAN": 20, "BILL": 35, "NEW": 8, "VIP": 7}
TYPICAL = {"BB": 5, "PLAN": 7, "BILL": 2.5, "NEW": 14, "VIP": 7}


def at(hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(DAY, dt.time(hours, minutes))


def build_morning(store, clock, rng: random.Random) -> dict[int, int]:
    """Customers arrive 09:00-12:30 and are served at four counters until none waits; returns the staff ids."""

    def act(fn, **kw):
        with store.write() as session:
            return fn(session, clock, **kw)

    def attempt(fn, **kw):
        try:
            return act(fn, **kw)
        except AppError:
            return None

    with store.write() as session:
        demo.seed_demo(session, at=dt.datetime.combine(DAY, dt.time(8)), opens=dt.time(9, 0), closes=dt.time(17, 30))
    clock.set(at("08:50"))
    staff = {}
    for number, staff_no in CLERKS.items():
        login = act(counters.login, counter_number=number, staff_no=staff_no, password=demo.DEMO_PASSWORD)
        staff[number] = login.staff_id
    for _minute in range(3):
        act(tickets.issue_ticket, service_code=rng.choices(list(MIX), weights=list(MIX.values()))[0])
        clock.advance(minutes=3)
    clock.set(at("09:00"))
    for number in CLERKS:
        act(counters.open_counter, counter_number=number, staff_id=staff[number])
    busy_until: dict[int, dt.datetime | None] = dict.fromkeys(CLERKS)
    service_of: dict[int, str] = {}
    while clock.now() < at("12:30") or (clock.now() < at("14:00") and (any(busy_until.values()) or _waiting(store))):
        now = clock.now()
        if now < at("12:30") and rng.random() < ARRIVALS_PER_MINUTE.get(now.hour, 0):
            attempt(tickets.issue_ticket, service_code=rng.choices(list(MIX), weights=list(MIX.values()))[0])
        for number in CLERKS:
            until = busy_until[number]
            if until is not None and now >= until:
                done = act(tickets.finish_service, counter_number=number, staff_id=staff[number])
                _after_service(act, attempt, rng, done.ticket_id, number, staff[number], service_of.pop(number))
                busy_until[number] = None
            if busy_until[number] is None:
                called = attempt(tickets.call_next, counter_number=number, staff_id=staff[number])
                if called is not None:
                    act(tickets.start_service, counter_number=number, staff_id=staff[number])
                    code = _service_code(store, called.ticket_id)
                    minutes = rng.lognormvariate(0, 0.45) * TYPICAL[code] * SLOWER.get(number, 1.0)
                    busy_until[number] = now + dt.timedelta(minutes=max(1.0, minutes))
                    service_of[number] = code
                    if number == 2 and minutes > 12:
                        attempt(escalation.request_help, counter_number=2, staff_id=staff[2], route="mentor",
                                reason="系统提示账户异常")
        clock.advance(minutes=1)
    return staff


def _waiting(store) -> bool:
    from sqlmodel import select

    from counter_app.models import Ticket, TicketState

    with store.read() as session:
        return session.exec(select(Ticket.id).where(Ticket.state == TicketState.WAITING)).first() is not None


def _service_code(store, ticket_id: int) -> str:
    from counter_app.models import Service, Ticket

    with store.read() as session:
        return session.get(Service, session.get(Ticket, ticket_id).service_id).code


def _after_service(act, attempt, rng, ticket_id, number, staff_id, code) -> None:
    """The clerk names the cause of a breach (most of the time); the customer rates the visit (often)."""
    with_cause = attempt(explain.record_breach_cause, ticket_id=ticket_id, staff_id=staff_id,
                         cause=_cause(rng, number)) if rng.random() < 0.8 else None
    if rng.random() < 0.6:
        rating = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 3, 6, 8] if with_cause is None else [3, 4, 3, 2, 1])[0]
        attempt(feedback.record_feedback, rating=rating, channel="feedback_window", ticket_id=ticket_id,
                reason="well_served" if rating >= 4 else "wait_time")


def _cause(rng: random.Random, number: int) -> str:
    if number == 2:
        return rng.choice(["training", "training", "system_data"])
    return rng.choices(["staffing", "system_data", "customer_side"], weights=[6, 3, 2])[0]


def main(out: Path) -> None:
    from PySide6.QtWidgets import QWidget

    from counter_app.ui.app import application
    from counter_app.ui.common.backend import Backend
    from counter_app.ui.feedback.window import FeedbackWindow
    from counter_app.ui.reports.window import ReportsWindow

    auth.use_fast_hashing()
    i18n.set_language("zh_CN")
    app = application([])
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(f"sqlite:///{Path(os.environ['COUNTER_APP_DATA_DIR']) / 'store.sqlite3'}")
    clock = VirtualClock(at("08:40"))
    staff = build_morning(store, clock, random.Random(20260302))
    backend = Backend(store, clock, refresh_ms=100000, evaluate_ms=0)

    def settle(widget: QWidget, size: tuple[int, int]) -> None:
        widget.resize(*size)
        widget.show()
        for _ in range(5):
            app.processEvents()

    def save(widget: QWidget, name: str) -> None:
        widget.grab().save(str(out / f"{name}.png"))
        print("wrote", out / f"{name}.png")

    reports = ReportsWindow(backend, staff[1])
    settle(reports, (1440, 900))
    while reports.busy():
        app.processEvents()
    reports.views["breaches"].splitter.setSizes([340, 440])
    settle(reports, (1440, 900))
    save(reports, "reports-zh")
    reports.close()

    # The feedback screen at counter 1, just after 王芳 finished serving the next customer.
    with store.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    for fn in (tickets.call_next, tickets.start_service):
        with store.write() as session:
            fn(session, clock, counter_number=1, staff_id=staff[1])
    clock.advance(minutes=4)
    with store.write() as session:
        tickets.finish_service(session, clock, counter_number=1, staff_id=staff[1])
    screen = FeedbackWindow(backend, counter_number=1)
    settle(screen, (1280, 800))
    screen.choose_rating(5)
    screen.reason_buttons["well_served"].setChecked(True)
    settle(screen, (1280, 800))
    save(screen, "feedback-zh")
    screen.close()
    backend.stop()
    store.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "screenshots")
