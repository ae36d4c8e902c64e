"""One morning at the demo hall, with hand-computed measures, for the report and export tests.

    08:50  A001 (broadband) taken before opening            09:00  counter 1 opens (S001 王芳)
    09:02  A002 (broadband)
    09:20  counter 1 calls A001: waited 30 min (target 15)   09:21-09:26 served, 5 min
    09:26  counter 1 calls A002; 09:28 recall; 09:29 no-show (waited 26 min, to the recall)
    09:30  C001 (bill payment); 09:31 called at counter 1, transferred to new line at 09:33
    09:34  counter 3 opens (S004 赵静) and calls C001 (leg 2 waited 1 min); served 09:34-10:04 (30 min, target 25)
    09:40  S004 asks a senior for help
    Causes: A001 staffing, C001 training; A002 none. The report's moment: 10:30.
"""

from __future__ import annotations

import datetime as dt

from counter_app.workflows.oversight import escalation, explain
from counter_app.workflows.queue import tickets
from counter_app.workflows.reports import ReportFilter
from helpers.fixtures import DAY, at, open_counter, staff_id
from helpers.story import act, issue

UNTIL = at("10:30")


def build_day(store, clock) -> dict[str, int]:
    """Play the morning; returns the first-leg ticket ids by number."""
    clock.set(at("08:50"))
    a001 = issue(store, clock, "BB").ticket_id
    clock.set(at("09:00"))
    s001 = open_counter(store, clock, 1, "S001")
    clock.set(at("09:02"))
    a002 = issue(store, clock, "BB").ticket_id
    clock.set(at("09:20"))
    act(store, clock, tickets.call_next, counter_number=1, staff_id=s001)
    clock.set(at("09:21"))
    act(store, clock, tickets.start_service, counter_number=1, staff_id=s001)
    clock.set(at("09:26"))
    act(store, clock, tickets.finish_service, counter_number=1, staff_id=s001)
    act(store, clock, tickets.call_next, counter_number=1, staff_id=s001)
    clock.set(at("09:28"))
    act(store, clock, tickets.recall, counter_number=1, staff_id=s001)
    clock.set(at("09:29"))
    act(store, clock, tickets.no_show, counter_number=1, staff_id=s001)
    clock.set(at("09:30"))
    c001 = issue(store, clock, "BILL").ticket_id
    clock.set(at("09:31"))
    act(store, clock, tickets.call_next, counter_number=1, staff_id=s001)
    act(store, clock, tickets.start_service, counter_number=1, staff_id=s001)
    clock.set(at("09:33"))
    act(store, clock, tickets.transfer, counter_number=1, staff_id=s001, service_code="NEW")
    clock.set(at("09:34"))
    s004 = open_counter(store, clock, 3, "S004")
    act(store, clock, tickets.call_next, counter_number=3, staff_id=s004)
    act(store, clock, tickets.start_service, counter_number=3, staff_id=s004)
    clock.set(at("09:40"))
    act(store, clock, escalation.request_help, counter_number=3, staff_id=s004, route="senior",
        reason="account locked")
    clock.set(at("10:04"))
    act(store, clock, tickets.finish_service, counter_number=3, staff_id=s004)
    clock.set(at("10:10"))
    act(store, clock, explain.record_breach_cause, ticket_id=a001, staff_id=s001, cause="staffing")
    with store.read() as session:
        from sqlmodel import select

        from counter_app.models import Ticket

        leg2 = session.exec(select(Ticket.id).where(Ticket.origin_id == c001, Ticket.id != c001)).one()
    act(store, clock, explain.record_breach_cause, ticket_id=leg2, staff_id=s004, cause="training")
    return {"A001": a001, "A002": a002, "C001": c001, "C001/2": leg2, "S001": s001, "S004": s004,
            "M001": staff_id(store, "M001")}


def day_filter(**kw) -> ReportFilter:
    return ReportFilter(DAY, DAY, until=UNTIL, **kw)


NEXT_DAY = DAY + dt.timedelta(days=1)
