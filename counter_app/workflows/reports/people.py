"""Staff and counters: customers called and served, service time, idle time while customers waited, help
requests, no-show and transfer rates (docs/reports.md).

A help request is one the clerk asked for. An escalation the service target raised on its own
(`Escalation.auto`) is counted apart: it says the service ran long, not that the clerk asked (F9).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from counter_app.i18n import _
from counter_app.models import Escalation, Outcome, Ticket
from counter_app.workflows.reports import queries as q
from counter_app.workflows.reports.scope import ReportFilter
from counter_app.workflows.reports.scope import staff_of as _staff


@dataclass(frozen=True)
class StaffRow:
    key: str  # the staff number, or the counter number
    name: str  # the staff member's name, or "Counter 3"
    called: int  # legs called
    served: int
    average_service_s: float | None
    idle_s: int  # open, nobody at the counter, while customers of its services waited
    help_requests: int  # asked for by the clerk
    automatic_escalations: int  # raised by the service target, with nobody asking
    no_shows: int
    transfers: int
    no_show_rate: float | None
    transfer_rate: float | None


def staff_and_counters(session: Session, f: ReportFilter, *, group: str = "staff") -> list[StaffRow]:
    """Per staff member (group="staff") or per counter (group="counter"): work, idle time and help asked."""
    scope = q.scope_of(session, f)
    column = Ticket.staff_id if group == "staff" else Ticket.counter_id
    query = (sa.select(column, sa.func.count(Ticket.wait_seconds),
                       sa.func.sum(sa.case((Ticket.outcome == Outcome.SERVED, 1), else_=0)),
                       sa.func.avg(sa.case((Ticket.outcome == Outcome.SERVED, Ticket.service_seconds), else_=None)),
                       sa.func.sum(sa.case((Ticket.outcome == Outcome.NO_SHOW, 1), else_=0)),
                       sa.func.sum(sa.case((Ticket.outcome == Outcome.TRANSFERRED, 1), else_=0)))
             .where(*q.in_period(scope), column.is_not(None)).group_by(column))
    stats = {row[0]: row[1:] for row in session.execute(query)}
    idle: dict[int, int] = defaultdict(int)
    for (counter_id, staff_id), intervals in q.idle_while_waiting(session, scope).items():
        if ((scope.counter_ids is not None and counter_id not in scope.counter_ids)
                or (scope.staff_ids is not None and staff_id not in scope.staff_ids)):
            continue
        key = staff_id if group == "staff" else counter_id
        if key is not None:
            idle[key] += q.seconds(intervals)
    help_column = Escalation.requested_by if group == "staff" else Escalation.counter_id
    help_query = (sa.select(help_column, Escalation.auto, sa.func.count()).where(
        Escalation.requested_at >= scope.start, Escalation.requested_at < scope.end, help_column.is_not(None))
        .group_by(help_column, Escalation.auto))
    helps: dict[int, int] = defaultdict(int)
    automatic: dict[int, int] = defaultdict(int)
    for key, auto, count in session.execute(help_query):
        (automatic if auto else helps)[key] += count
    known = scope.staff if group == "staff" else scope.counters
    keys = set(stats) | set(idle) | {k for k in (*helps, *automatic) if k in known}
    if group == "staff" and scope.staff_ids is not None:
        keys &= scope.staff_ids
    if group == "counter" and scope.counter_ids is not None:
        keys &= scope.counter_ids
    rows = []
    for key in keys:
        called, served, average, no_shows, transfers = stats.get(key, (0, 0, None, 0, 0))
        called, served, no_shows, transfers = int(called), int(served or 0), int(no_shows or 0), int(transfers or 0)
        if group == "staff":
            label, name = _staff(scope, key)
        else:
            label = str(scope.counters[key])
            name = _("Counter {number}").format(number=scope.counters[key])
        rows.append(StaffRow(label, name, called, served, float(average) if average is not None else None,
                             idle.get(key, 0), helps.get(key, 0), automatic.get(key, 0), no_shows, transfers,
                             no_shows / called if called else None, transfers / called if called else None))
    rows.sort(key=lambda r: (int(r.key) if r.key.isdigit() else 0, r.key))
    return rows
