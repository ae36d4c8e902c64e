"""The reports: where the branch fails its customers, and why (F9). Definitions in docs/reports.md.

Each measure takes the session and a ReportFilter and returns plain rows; times are whole seconds.
The measures live by subject and are all importable from here:

- report_breaches.py: breaches, visit_timeline, causes
- report_times.py: service_level, time_bands, by_hour
- report_people.py: staff_and_counters
- report_satisfaction.py: satisfaction, feedback_lines, feedback_comments
- this module: day_summary, what closing the day saves

The SQL lives in report_scope.py (the filter), report_queries.py (visits) and report_counter_time.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_app.models import Escalation, EscalationState, Outcome, Ticket
from counter_app.workflows import report_queries as q
from counter_app.workflows.audit import ChainHead, chain_head
from counter_app.workflows.report_breaches import (
    BreachRow,
    CauseRow,
    TimelineEntry,
    breaches,
    causes,
    grain_for,
    period_start,
    visit_timeline,
)
from counter_app.workflows.report_people import StaffRow, staff_and_counters
from counter_app.workflows.report_queries import VisitTimes
from counter_app.workflows.report_satisfaction import (
    SATISFACTION_GROUPS,
    FeedbackLine,
    SatisfactionRow,
    feedback_comments,
    feedback_lines,
    satisfaction,
)
from counter_app.workflows.report_scope import NO_CAUSE, NO_CAUSE_TEXT, ReportFilter
from counter_app.workflows.report_times import (
    BAND_COUNT,
    BAND_MINUTES,
    DayLevel,
    HourRow,
    ServiceLevelRow,
    TimeBandRow,
    band_label,
    by_hour,
    percentile,
    service_level,
    service_level_by_day,
    time_bands,
)

__all__ = ["ReportFilter", "breaches", "visit_timeline", "service_level", "time_bands", "by_hour",
           "staff_and_counters", "causes", "satisfaction", "feedback_comments", "day_summary",
           "BreachRow", "TimelineEntry", "ServiceLevelRow", "DayLevel", "service_level_by_day", "TimeBandRow",
           "band_label", "HourRow", "percentile", "StaffRow", "CauseRow", "grain_for", "period_start",
           "SatisfactionRow", "FeedbackLine", "feedback_lines", "SATISFACTION_GROUPS", "OpenEscalation",
           "DaySummary", "VIEWS", "EXPORT_FORMATS", "NO_CAUSE", "NO_CAUSE_TEXT", "BAND_MINUTES", "BAND_COUNT"]

VIEWS = ("breaches", "service-level", "time-bands", "by-hour", "staff", "causes", "satisfaction")
EXPORT_FORMATS = ("csv", "xlsx", "pdf")


# -- end of day --------------------------------------------------------------------------------


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
    )
