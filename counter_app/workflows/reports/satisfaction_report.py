"""Satisfaction: customers' ratings and complaints by service, staff member, cause and wait, and the comments.

Feedback is recorded by feedback.py; a rating takes its visit's cause and wait (docs/reports.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from counter_app.i18n import _
from counter_app.models import Feedback, Ticket
from counter_app.workflows.oversight.explain import CAUSE_TEXT
from counter_app.workflows.reports import queries as q
from counter_app.workflows.reports.scope import NO_CAUSE, NO_CAUSE_TEXT, ReportFilter
from counter_app.workflows.reports.scope import service_name as _service_name
from counter_app.workflows.reports.scope import staff_of as _staff
from counter_app.workflows.reports.times import _band, band_label


@dataclass(frozen=True)
class SatisfactionRow:
    key: str  # service code, staff number, cause, or wait band ("0-3")
    label: str
    ratings: int
    average: float | None
    satisfied_share: float | None  # ratings of 4 or 5
    dissatisfied: int  # ratings of 1 or 2
    complaints: int


@dataclass(frozen=True)
class FeedbackLine:
    """One rating or complaint with what it is about: the report's comments and its groupings read these."""

    feedback_id: int
    created_at: dt.datetime
    business_date: dt.date
    ticket_id: int
    number: str
    service_code: str
    service: str
    staff_no: str
    staff_name: str
    rating: int | None
    reason: str
    comment: str
    channel: str
    complaint: bool
    cause: str  # the complaint's cause, else the visit's breach cause, else ""
    wait_s: int | None  # the visit's wait


def feedback_lines(session: Session, f: ReportFilter) -> list[FeedbackLine]:
    """Feedback on the visits of the period (by the visit's date), filtered like the other reports."""
    scope = q.scope_of(session, f)
    query = (sa.select(Feedback.id, q.raw(Feedback.created_at), Feedback.ticket_id, Feedback.service_id,
                       Feedback.counter_id, Feedback.staff_id, Feedback.rating, Feedback.reason, Feedback.comment,
                       Feedback.channel, Feedback.is_complaint, Feedback.cause, q.raw(Ticket.business_date),
                       Ticket.number, Ticket.wait_seconds, Ticket.breach_cause, Ticket.service_id)
             .join(Ticket, Ticket.id == Feedback.ticket_id)
             .where(Ticket.business_date >= f.date_from, Ticket.business_date <= f.date_to)
             .order_by(Feedback.created_at, Feedback.id))
    joined = {v.ticket_id: v for v in q.multi_leg_visits(session, scope)}
    codes = {sid: s.code for sid, s in scope.services.items()}
    names = {sid: _service_name(scope, sid) for sid in scope.services}
    lines = []
    for (feedback_id, created, ticket_id, service_id, counter_id, staff_id, rating, reason, comment, channel,
         complaint, own_cause, day, number, wait, cause, first_service) in session.connection().execute(query):
        visit = joined.get(ticket_id)
        if visit is not None:
            wait, cause = visit.wait_s, visit.cause
        service_id = service_id or first_service
        if not scope.leg_matches(service_id, counter_id, staff_id):
            continue
        cause = own_cause or cause or NO_CAUSE
        if scope.causes is not None and cause not in scope.causes:
            continue
        staff_no, staff_name = _staff(scope, staff_id)
        lines.append(FeedbackLine(
            feedback_id, q.as_datetime(created), q.as_date(day), ticket_id, number, codes.get(service_id, ""),
            names.get(service_id, ""), staff_no, staff_name, rating, reason, comment, channel, bool(complaint),
            cause, wait))
    return lines


SATISFACTION_GROUPS = ("service", "staff", "cause", "wait_band")


def satisfaction(session: Session, f: ReportFilter, *, by: str = "service",
                 lines: list[FeedbackLine] | None = None) -> list[SatisfactionRow]:
    """Ratings and complaints grouped by service, staff member, cause or the visit's wait band."""
    if by not in SATISFACTION_GROUPS:
        raise ValueError(by)
    lines = feedback_lines(session, f) if lines is None else lines
    groups: dict[str, list[FeedbackLine]] = defaultdict(list)
    labels: dict[str, str] = {}
    for line in lines:
        if by == "service":
            key, label = line.service_code, line.service
        elif by == "staff":
            key, label = line.staff_no, line.staff_name
        elif by == "cause":
            key = line.cause
            label = _(CAUSE_TEXT[line.cause]) if line.cause in CAUSE_TEXT else _(NO_CAUSE_TEXT)
        else:
            if line.wait_s is None:
                continue
            key = band_label(_band(line.wait_s))
            label = key
        groups[key].append(line)
        labels[key] = label
    rows = []
    for key, members in groups.items():
        ratings = [m.rating for m in members if m.rating is not None]
        rows.append(SatisfactionRow(
            key, labels[key], len(ratings), sum(ratings) / len(ratings) if ratings else None,
            sum(1 for r in ratings if r >= 4) / len(ratings) if ratings else None,
            sum(1 for r in ratings if r <= 2), sum(1 for m in members if m.complaint)))
    if by == "wait_band":
        rows.sort(key=lambda r: int(r.key.split("-")[0].rstrip("+")))
    else:
        rows.sort(key=lambda r: r.key)
    return rows


def feedback_comments(session: Session, f: ReportFilter) -> list[FeedbackLine]:
    """The feedback that says something: a comment, or a complaint."""
    return [line for line in feedback_lines(session, f) if line.comment or line.complaint]
