"""Screenshot of the counter window offering the apology notice after the seed's 36-minute visit, in Chinese.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/counter_apology_screenshot.py [OUT_DIR]

The morning of CASE_STUDY.md §1 is played through the workflows on a virtual clock: A001 taken at 08:57,
served 09:07-09:33 by the trainee with the senior clerk's and the duty manager's help; the renewal's
order is in Chinese. At 09:33 the trainee finishes the visit: the window asks for the breach's cause
and offers the apology and explanation notice.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COUNTER_APP_DATA_DIR", tempfile.mkdtemp(prefix="counter-apology-shot-"))

from sqlmodel import select  # noqa: E402

from counter_app import i18n  # noqa: E402
from counter_app.clock import VirtualClock  # noqa: E402
from counter_app.models import Escalation  # noqa: E402
from counter_app.models.db import open_store  # noqa: E402
from counter_app.workflows.core import auth
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import approvals, duty, escalation
from counter_app.workflows.paperwork import service_orders
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo

DAY = dt.date(2026, 3, 2)


def at(hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(DAY, dt.time(hours, minutes))


def build_morning(store, clock):
    """Returns the trainee's login at counter 1."""

    def act(hhmm, fn, **kw):
        clock.set(at(hhmm))
        with store.write() as session:
            return fn(session, clock, **kw)

    with store.write() as session:
        demo.seed_demo(session, at=dt.datetime.combine(DAY, dt.time(8)), opens=dt.time(9, 0), closes=dt.time(17, 30))
    ticket = act("08:57", tickets.issue_ticket, service_code="BB")
    trainee = act("09:06", counters.login, counter_number=1, staff_no="S002", password=demo.DEMO_PASSWORD)
    me = trainee.staff_id
    act("09:06", counters.open_counter, counter_number=1, staff_id=me)
    act("09:06", tickets.call_next, counter_number=1, staff_id=me)
    act("09:07", tickets.start_service, counter_number=1, staff_id=me)
    act("09:08", records.open_customer, counter_number=1, staff_id=me, ref="0571-8800123", name="王建国")
    act("09:12", escalation.request_help, counter_number=1, staff_id=me, route="mentor",
        reason="系统显示客户有2010年欠费，无法续费")
    with store.read() as session:
        help_id = session.exec(select(Escalation.id)).one()
    senior = act("09:12", counters.login, counter_number=3, staff_no="S003", password=demo.DEMO_PASSWORD)
    act("09:12", counters.open_counter, counter_number=3, staff_id=senior.staff_id)
    act("09:13", escalation.accept, escalation_id=help_id, staff_id=senior.staff_id)
    act("09:20", escalation.hand_up, escalation_id=help_id, staff_id=senior.staff_id, note="无法清除欠费标记")
    act("09:20", tickets.issue_ticket, service_code="BILL")
    manager = act("09:22", duty.manager_sign_in, staff_no="M001", password=demo.DEMO_PASSWORD).staff_id
    act("09:22", escalation.accept, escalation_id=help_id, staff_id=manager)
    act("09:24", tickets.issue_ticket, service_code="BB")
    act("09:27", tickets.issue_ticket, service_code="PLAN")
    act("09:28", approvals.approve_exception, manager_staff_no="M001", manager_password=demo.DEMO_PASSWORD,
        requested_by=me, kind="arrears_settled", reason="2010年已由值班经理处理，欠费标记未清除",
        customer_explanation="经核实，2010年的欠费当时已结清，标记现已清除。", ticket_id=ticket.ticket_id,
        escalation_id=help_id, remedy="本次续费赠送一个月宽带")
    act("09:29", escalation.resolve, escalation_id=help_id, staff_id=manager, note="核实2010年记录后清除欠费标记",
        explanation="您的账户有一笔2010年的欠费记录，当时已由值班经理处理，但系统未作标注，耽误您的时间，非常抱歉。")
    act("09:30", service_orders.create_service_order, counter_number=1, staff_id=me, product="宽带100M",
        effective_from=DAY, term_months=12, items=[{"description": "宽带100M 包年续费", "amount": "1200.00",
                                                    "quantity": 1}],
        payment_method="wechat_pay", customer_phone="13812341234", language="zh_CN")
    act("09:31", tickets.issue_ticket, service_code="BILL")
    act("09:33", tickets.finish_service, counter_number=1, staff_id=me)
    clock.set(at("09:33") + dt.timedelta(seconds=20))
    return trainee


def main(out: Path) -> None:
    from counter_app.ui.app import application
    from counter_app.ui.common.backend import Backend
    from counter_app.ui.counter.window import CounterWindow

    auth.use_fast_hashing()
    i18n.set_language("zh_CN")
    app = application([])
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(f"sqlite:///{Path(os.environ['COUNTER_APP_DATA_DIR']) / 'store.sqlite3'}")
    clock = VirtualClock(at("08:40"))
    trainee = build_morning(store, clock)
    backend = Backend(store, clock, refresh_ms=100000, evaluate_ms=0)
    window = CounterWindow(backend, trainee)
    window.resize(1366, 900)
    window.show()
    for _ in range(5):
        app.processEvents()
    target = out / "counter-apology-zh.png"
    window.grab().save(str(target))
    print("wrote", target)
    window.close()
    backend.stop()
    store.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "screenshots")
