"""The day's summary: what closing the day saves — customers, service level, breaches with causes, open
escalations, satisfaction, and the event log's head that anchors the chain's end."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_app.models import Escalation, EscalationState, Outcome, Ticket, TicketState
from counter_app.workflows.core.audit import ChainHead, chain_head
from counter_app.workflows.reports import queries as q
from counter_app.workflows.reports.breach_report import BreachRow, breaches
from counter_app.workflows.reports.queries import VisitTimes
from counter_app.workflows.reports.satisfaction_report import FeedbackLine, feedback_lines
from counter_app.workflows.reports.scope import ReportFilter


@dataclass(frozen=True)
class OpenEscalation:
    escalation_id: int
    number: str | None
    state: str
    requested_at: dt.datetime
    requested_by: str
    business_date: dt.date  # its ticket's business day (the day it was asked, without a ticket)


@dataclass(frozen=True)
class DaySummary:
    business_date: dt.date
    made_at: dt.datetime
    customers: int  # visits
    served: int
    no_shows: int
    cancelled: int
    still_open: int  # visits not ended when the summary was made
    within: int
    service_level: float | None
    average_wait_s: float | None
    breaches: list[BreachRow]
    breaches_by_cause: dict[str, int]
    open_escalations: list[OpenEscalation]  # asked on this business day and not resolved yet
    ratings: int
    average_rating: float | None
    complaints: int
    comments: list[FeedbackLine]
    # Asked on an earlier day and still not resolved: the manager sees the backlog apart from the day's.
    earlier_open_escalations: list[OpenEscalation]
    # The event log's newest row when the summary was made: printed, it anchors the chain's end (audit.py).
    head: ChainHead | None
    closed_by: str = ""  # who closed the day, when the summary is the page of a closing (closing.py)
    # Tickets of the day still waiting to be called: closing the day takes them off the queue (docs/decisions.md).
    still_waiting: tuple[str, ...] = ()


def day_summary(session: Session, day: dt.date, now: dt.datetime) -> DaySummary:
    """What closing the day saves: customers, service level, breaches with causes, open escalations, satisfaction.

    Open escalations are those asked on `day` and still open now; those still open from earlier days are
    listed apart, each with its day, so that the day's figures are not mixed with an old backlog.
    """
    f = ReportFilter(day, day, until=now)
    scope = q.scope_of(session, f)
    all_visits: list[VisitTimes] = q.visits(session, scope)
    served = [v for v in all_visits if v.served]
    within = sum(1 for v in served if not v.wait_breached)
    waits = [v.wait_s for v in served if v.wait_s is not None]
    breach_rows = breaches(session, f)
    by_cause: dict[str, int] = defaultdict(int)
    for row in breach_rows:
        by_cause[row.cause] += 1
    names = {s.id: s.name for s in scope.staff.values()}
    open_escalations, earlier = [], []
    rows = session.exec(select(Escalation, Ticket.number, Ticket.business_date)
                        .join(Ticket, col(Escalation.ticket_id) == Ticket.id, isouter=True)
                        .where(Escalation.state != EscalationState.RESOLVED)
                        .order_by(Escalation.requested_at, Escalation.id))
    for e, number, business_date in rows:
        asked_on = business_date or e.requested_at.date()
        if asked_on > day:  # a summary of an earlier day does not list what was asked after it
            continue
        (open_escalations if asked_on == day else earlier).append(OpenEscalation(
            e.id, number, e.state, e.requested_at, names.get(e.requested_by, ""), asked_on))
    lines = feedback_lines(session, f)
    ratings = [line.rating for line in lines if line.rating is not None]
    return DaySummary(
        day, now, len(all_visits), len(served),
        sum(1 for v in all_visits if v.outcome == Outcome.NO_SHOW),
        sum(1 for v in all_visits if v.outcome == Outcome.CANCELLED),
        sum(1 for v in all_visits if v.outcome is None),
        within, within / len(served) if served else None, sum(waits) / len(waits) if waits else None,
        breach_rows, dict(by_cause), open_escalations, len(ratings),
        sum(ratings) / len(ratings) if ratings else None, sum(1 for line in lines if line.complaint),
        [line for line in lines if line.comment or line.complaint], earlier, chain_head(session),
        still_waiting=tuple(session.exec(select(Ticket.number).where(
            Ticket.business_date == day, Ticket.state == TicketState.WAITING).order_by(Ticket.queue_at, Ticket.id))),
    )
