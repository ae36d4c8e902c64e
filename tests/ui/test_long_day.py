"""A window stays open from opening to closing: thousands of refreshes keep every reference to None and
keep memory flat.

On Python 3.11 None is still reference-counted. PySide6 6.12.0 dropped one reference on every Qt call that
returns None, and the counter and duty manager windows, which redraw every second, died within half an hour
("Fatal Python error: none_dealloc"). A refresh may keep references (the count may rise); it must never
lose any, and Python's memory and the process's size must not grow with the number of refreshes.

COUNTER_APP_LONG_DAY_REFRESHES sets how many (CI runs the default; docs/performance.md has a longer run).
"""

from __future__ import annotations

import gc
import os
import sys
import tracemalloc
from pathlib import Path

import pytest
from helpers.fixtures import at, open_counter, staff_id

from counter_app.settings import Settings
from counter_app.ui.counter.window import CounterWindow
from counter_app.ui.display.voice import Announcer
from counter_app.ui.display.window import DisplayWindow
from counter_app.ui.feedback.window import FeedbackWindow
from counter_app.ui.kiosk.window import KioskWindow
from counter_app.ui.manager.window import ManagerWindow
from counter_app.ui.reports.window import ReportsWindow
from counter_app.workflows.oversight import duty, escalation
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo

REFRESHES = int(os.environ.get("COUNTER_APP_LONG_DAY_REFRESHES", "1000"))
REPORT_RUNS = max(40, REFRESHES // 20)  # a report is made on demand, not every second
PYTHON_GROWTH_LIMIT = 256 * 1024  # bytes Python may still hold after the refreshes (caches, interned text)
RSS_GROWTH_LIMIT = 24 * 1024 * 1024  # the process, allocator slack included


def rss() -> int:
    """The process's resident size in bytes (Linux), or 0 where /proc is not there."""
    statm = Path("/proc/self/statm")
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") if statm.exists() else 0


def busy_hall(hall, clock):
    """Tickets waiting, one customer served at counter 2, and a help request for the duty manager."""
    clock.set(at("09:00"))
    trainee = open_counter(hall, clock, 2, "S002")
    for _ in range(3):
        with hall.write() as session:
            tickets.issue_ticket(session, clock, service_code="BB")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=2, staff_id=trainee)
    with hall.write() as session:
        tickets.start_service(session, clock, counter_number=2, staff_id=trainee)
    clock.set(at("09:08"))
    with hall.write() as session:
        escalation.request_help(session, clock, counter_number=2, staff_id=trainee, route="manager",
                                reason="arrears flag")


def build(kind, hall, clock, backend, tmp_path):
    if kind == "counter":
        with hall.write() as session:
            login = counters.login(session, clock, counter_number=1, staff_no="S001", password=demo.DEMO_PASSWORD)
        return CounterWindow(backend, login)
    if kind == "manager":
        with hall.write() as session:
            login = duty.manager_sign_in(session, clock, staff_no="M001", password=demo.DEMO_PASSWORD)
        return ManagerWindow(backend, login)
    if kind == "display":
        return DisplayWindow(backend, Settings(tmp_path / "settings.json"), Announcer(enabled=False))
    if kind == "kiosk":
        return KioskWindow(backend, Settings(tmp_path / "settings.json"))
    if kind == "reports":
        return ReportsWindow(backend, staff_id(hall, "M001"))
    if kind == "admin":
        from counter_app.ui.admin.window import AdminWindow
        from counter_app.workflows.admin import edits

        with hall.write() as session:
            admin = edits.admin_sign_in(session, clock, staff_no="A001", password=demo.DEMO_PASSWORD)
        return AdminWindow(backend, admin)
    if kind == "planning":
        from counter_app.ui.planning import snapshot
        from counter_app.ui.planning.window import PlanningWindow
        from counter_app.workflows.planning.demo import seed_planning_demo

        with hall.write() as session:
            seed_planning_demo(session, at=clock.now())
        with hall.write() as session:
            planner = snapshot.sign_in(session, clock, staff_no="F001", password=demo.DEMO_PASSWORD)
        return PlanningWindow(backend, planner)
    return FeedbackWindow(backend, counter_number=2)


def refresher(kind, win, qtbot, clock):
    """One refresh as the running window does it: the timers' redraw, or for the reports a report run."""
    if kind == "reports":
        def run_report():
            win.run_view(win.current_view(), force=True)
            qtbot.waitUntil(lambda: not win.busy(), timeout=10_000)
        return run_report

    def refresh():
        win.refresh()
        clock.advance(seconds=1)
    return refresh


@pytest.mark.parametrize("kind", ["counter", "manager", "display", "kiosk", "feedback", "reports", "admin",
                                  "planning"])
def test_a_window_refreshed_all_day_keeps_none_and_its_memory(qtbot, hall, clock, backend, tmp_path, kind):
    busy_hall(hall, clock)
    backend.stop()  # only the refreshes below run, as many as asked
    win = build(kind, hall, clock, backend, tmp_path)
    qtbot.addWidget(win)
    for timer in ("tick_timer", "heartbeat_timer"):
        if hasattr(win, timer):
            getattr(win, timer).stop()
    win.resize(1440, 900)
    win.show()
    step = refresher(kind, win, qtbot, clock)
    times = REPORT_RUNS if kind == "reports" else REFRESHES
    for _ in range(max(10, times // 10)):  # caches, fonts and the first layouts settle first
        step()
    gc.collect()
    none_before, rss_before = sys.getrefcount(None), rss()
    tracemalloc.start()
    try:
        held_before = tracemalloc.get_traced_memory()[0]
        for _ in range(times):
            step()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - held_before
    finally:
        tracemalloc.stop()
    lost = none_before - sys.getrefcount(None)
    assert lost <= 0, f"{kind}: {lost} references to None lost over {times} refreshes"
    assert held < PYTHON_GROWTH_LIMIT, f"{kind}: Python holds {held} bytes more after {times} refreshes"
    assert rss() - rss_before < RSS_GROWTH_LIMIT, f"{kind}: the process grew {rss() - rss_before} bytes"
