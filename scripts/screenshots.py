"""Screenshots of every window on one demo morning, in Chinese, for the README and docs/screenshots.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR] [--lang en]

The morning is built with the workflows on a virtual clock in a temporary store, so the pictures are
the same every time.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COUNTER_APP_DATA_DIR", tempfile.mkdtemp(prefix="counter-shots-"))

from counter_app import i18n  # noqa: E402
from counter_app.clock import VirtualClock  # noqa: E402
from counter_app.models.db import open_store  # noqa: E402
from counter_app.settings import Settings  # noqa: E402
from counter_app.workflows.core import auth  # noqa: E402
from counter_app.workflows.customers import records  # noqa: E402
from counter_app.workflows.oversight import duty, escalation  # noqa: E402
from counter_app.workflows.queue import counters, tickets  # noqa: E402
from counter_app.workflows.replay import demo  # noqa: E402

DAY = dt.date(2026, 3, 2)


def at(hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(DAY, dt.time(hours, minutes))


def build_morning(store, clock):
    def act(fn, **kw):
        with store.write() as session:
            return fn(session, clock, **kw)

    with store.write() as session:
        demo.seed_demo(session, at=dt.datetime.combine(DAY, dt.time(8)), opens=dt.time(9, 0), closes=dt.time(17, 30))
    trainee = act(counters.login, counter_number=2, staff_no="S002", password=demo.DEMO_PASSWORD)
    clerk = act(counters.login, counter_number=1, staff_no="S001", password=demo.DEMO_PASSWORD)
    senior = act(counters.login, counter_number=3, staff_no="S003", password=demo.DEMO_PASSWORD)
    clock.set(at("08:57"))
    act(tickets.issue_ticket, service_code="BB")
    for hhmm, code in (("08:59", "BILL"), ("09:01", "PLAN"), ("09:02", "BB"), ("09:03", "BILL")):
        clock.set(at(hhmm))
        act(tickets.issue_ticket, service_code=code)
    clock.set(at("09:05"))
    for login in (trainee, clerk, senior):
        act(counters.open_counter, counter_number=login.counter_number, staff_id=login.staff_id)
    act(tickets.call_next, counter_number=2, staff_id=trainee.staff_id)
    act(tickets.start_service, counter_number=2, staff_id=trainee.staff_id)
    act(records.open_customer, counter_number=2, staff_id=trainee.staff_id, ref="13812341234")
    clock.set(at("09:06"))
    act(tickets.call_next, counter_number=1, staff_id=clerk.staff_id)
    act(tickets.start_service, counter_number=1, staff_id=clerk.staff_id)
    for hhmm, code in (("09:08", "BB"), ("09:09", "NEW"), ("09:10", "VIP")):
        clock.set(at(hhmm))
        act(tickets.issue_ticket, service_code=code)
    clock.set(at("09:12"))
    act(escalation.request_help, counter_number=2, staff_id=trainee.staff_id, route="mentor",
        reason="系统显示客户有2010年欠费，无法续费")
    clock.set(at("09:13"))
    act(tickets.call_next, counter_number=3, staff_id=senior.staff_id)
    clock.set(at("09:14") + dt.timedelta(seconds=20))
    return trainee, senior


def main(out: Path, language: str = "zh_CN") -> None:
    from PySide6.QtWidgets import QWidget

    from counter_app.ui.app import application
    from counter_app.ui.common.backend import Backend
    from counter_app.ui.common.login import LoginDialog
    from counter_app.ui.counter.window import CounterWindow
    from counter_app.ui.display.voice import Announcer
    from counter_app.ui.display.window import DisplayWindow
    from counter_app.ui.kiosk.window import KioskWindow
    from counter_app.ui.manager.window import ManagerWindow

    auth.use_fast_hashing()
    i18n.set_language(language)
    suffix = "zh" if language == "zh_CN" else language
    app = application([])
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(f"sqlite:///{Path(os.environ['COUNTER_APP_DATA_DIR']) / 'store.sqlite3'}")
    clock = VirtualClock(at("08:40"))
    trainee, _senior = build_morning(store, clock)
    backend = Backend(store, clock, refresh_ms=100000, evaluate_ms=0)
    backend.evaluate_alerts()
    settings = Settings(out / ".settings.json")

    def shoot(widget: QWidget, name: str, size: tuple[int, int]) -> None:
        widget.resize(*size)
        widget.show()
        for _ in range(5):
            app.processEvents()
        name = name.replace("-zh", f"-{suffix}")
        widget.grab().save(str(out / f"{name}.png"))
        print("wrote", out / f"{name}.png")
        widget.hide()  # not close(): a closed counter window would pause its counter for the next picture

    shoot(KioskWindow(backend, settings), "kiosk-zh", (1024, 768))
    shoot(DisplayWindow(backend, settings, Announcer(enabled=False)), "display-zh", (1920, 1080))
    login = LoginDialog(backend, 4)
    login.staff_edit.setText("S004")
    shoot(login, "login-zh", (560, 300))
    shoot(CounterWindow(backend, trainee), "counter-zh", (1366, 900))
    with store.write() as session:
        manager = duty.manager_sign_in(session, clock, staff_no="M001", password=demo.DEMO_PASSWORD)
    shoot(ManagerWindow(backend, manager), "manager-zh", (1440, 900))
    from counter_app.ui.admin.window import AdminWindow
    from counter_app.workflows.admin import edits

    with store.write() as session:
        admin = edits.admin_sign_in(session, clock, staff_no="A001", password=demo.DEMO_PASSWORD)
    admin_window = AdminWindow(backend, admin, settings=settings)
    shoot(admin_window, "admin-zh", (1280, 760))
    admin_window.tabs.setCurrentWidget(admin_window.branch_tab)
    shoot(admin_window, "admin-branch-zh", (1280, 760))
    admin_window.tabs.setCurrentWidget(admin_window.customers_tab)
    shoot(admin_window, "admin-customers-zh", (1280, 760))

    # The planning desk, as --demo fills it, with its PMC planner signed in.
    from counter_app.ui.planning import snapshot
    from counter_app.ui.planning.window import PlanningWindow
    from counter_app.workflows.planning.demo import seed_planning_demo

    with store.write() as session:
        seed_planning_demo(session, at=clock.now())
    with store.write() as session:
        planner = snapshot.sign_in(session, clock, staff_no="F001", password=demo.DEMO_PASSWORD)
    planning = PlanningWindow(backend, planner)
    if planning.orders_table.rowCount():
        planning.orders_table.selectRow(0)
    shoot(planning, "planning-zh", (1440, 900))
    planning.tabs.setCurrentWidget(planning.kpi_tab)
    shoot(planning, "planning-kpi-zh", (1440, 900))
    (out / ".settings.json").unlink(missing_ok=True)
    backend.stop()
    store.dispose()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--lang")]
    lang = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--lang=")), "zh_CN")
    main(Path(args[0]) if args else Path(__file__).resolve().parent.parent / "docs" / "screenshots", lang)
