"""Satisfaction feedback and complaints: a customer rates a finished visit, a clerk records a complaint (F9).

A visit is found by what the customer holds: the reference printed on the ticket ("20260302-A001"),
the number alone (today's), or the reference of a document handed out for it (the apology notice).
Feedback is stored against the visit's first leg, with the staff member, service and counter that
served it, so the reports can read satisfaction by service, staff, cause and wait.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import (
    BreachCause,
    Counter,
    Feedback,
    FeedbackChannel,
    FeedbackReason,
    IssuedDocument,
    Outcome,
    Service,
    Staff,
    Ticket,
    TicketState,
)
from counter_app.workflows.core import events, lookup
from counter_app.workflows.queue import visits
from counter_app.workflows.queue.hours import trading_day
from counter_app.workflows.queue.tickets import Change

REASON_TEXT = {
    FeedbackReason.WAIT_TIME: N_("I waited too long"),
    FeedbackReason.SERVICE_TIME: N_("The service took too long"),
    FeedbackReason.NOT_TOLD: N_("Nobody told me what was happening"),
    FeedbackReason.NOT_RESOLVED: N_("My problem was not solved"),
    FeedbackReason.STAFF_MANNER: N_("The clerk's manner"),
    FeedbackReason.WELL_SERVED: N_("I was served well"),
    FeedbackReason.OTHER: N_("Something else"),
}
CHANNEL_TEXT = {
    FeedbackChannel.FEEDBACK_WINDOW: N_("Feedback screen"),
    FeedbackChannel.NOTICE_REFERENCE: N_("Reference on a notice"),
    FeedbackChannel.CLERK_RECORDED: N_("Recorded by staff"),
}
RATINGS = range(1, 6)
MAX_COMMENT = 1000

ticket_reference = visits.reference  # the reference printed on the paper ticket (windows use it from here)
Visit = visits.Visit


def visit_of(session: Session, ticket_id: int) -> Visit:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise AppError(N_("That ticket does not exist."))
    return visits.visit_of(session, ticket)


def find_visit(session: Session, reference: str, *, today: dt.date) -> Visit:
    """The visit named by a ticket reference, a number (today's) or a document reference."""
    named = visits.parse_reference(reference, today=today)
    if named is not None:
        origin = visits.first_leg_named(session, *named)
        if origin is not None:
            return visit_of(session, origin.id)
    document = session.exec(select(IssuedDocument).where(IssuedDocument.reference == reference.strip().upper())
                            .order_by(IssuedDocument.id)).first()
    if document is not None and document.ticket_id is not None:
        return visit_of(session, document.ticket_id)
    raise AppError(N_("No visit has the reference {reference}: check the number and the date on the ticket."),
                   reference=reference.strip())


def _visit(session: Session, clock: Clock, reference: str | None, ticket_id: int | None) -> Visit:
    if ticket_id is not None:
        return visit_of(session, ticket_id)
    if reference and reference.strip():
        return find_visit(session, reference, today=trading_day(session, clock.now()))
    raise AppError(N_("Give the reference on the ticket or the notice."))


def _clean_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise AppError(N_("The comment is too long: at most {count} characters."), count=MAX_COMMENT)
    return comment


def _check_reason(reason: str) -> str:
    if reason and reason not in set(FeedbackReason):
        raise AppError(N_("Choose a reason from the list."))
    return reason


def _rated(session: Session, origin_id: int) -> bool:
    """A visit is rated once; a complaint about it is not a rating."""
    return session.exec(select(Feedback.id).where(
        Feedback.ticket_id == origin_id, Feedback.rating.is_not(None),
        Feedback.is_complaint.is_(False))).first() is not None


def _refuse_unless_rateable(session: Session, visit: Visit) -> None:
    if not visit.ended:
        raise AppError(N_("The visit of {ticket} has not ended yet: feedback is taken after the service."),
                       ticket=visit.origin.number)
    if _rated(session, visit.origin.id):
        raise AppError(N_("The visit of {ticket} has already been rated. Thank you!"), ticket=visit.origin.number)


def _counter_number(session: Session, counter_id: int | None) -> int | None:
    counter = session.get(Counter, counter_id) if counter_id else None
    return counter.number if counter else None


def record_feedback(
    session: Session,
    clock: Clock,
    *,
    rating: int,
    channel: str,
    reference: str | None = None,
    ticket_id: int | None = None,
    reason: str = "",
    comment: str = "",
    recorded_by: int | None = None,
) -> Change:
    """A customer's rating (1-5) of a finished visit, with an optional reason and comment; one per visit."""
    now = clock.now()
    if channel not in set(FeedbackChannel):
        raise AppError(N_("Unknown feedback channel: {channel}."), channel=channel)
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise AppError(N_("Choose a rating from 1 to 5."))
    reason = _check_reason(reason)
    comment = _clean_comment(comment)
    if channel == FeedbackChannel.CLERK_RECORDED:
        if recorded_by is None:
            raise AppError(N_("Say who recorded the feedback."))
        lookup.staff_by_id(session, recorded_by)
    visit = _visit(session, clock, reference, ticket_id)
    _refuse_unless_rateable(session, visit)
    leg = visit.serving_leg
    feedback = Feedback(
        ticket_id=visit.origin.id, reference=(reference or "").strip().upper()[:40], staff_id=leg.staff_id,
        service_id=leg.service_id, counter_id=leg.counter_id, rating=rating, reason=reason, comment=comment,
        channel=channel, created_at=now, recorded_by=recorded_by,
    )
    session.add(feedback)
    session.flush()
    events.record(session, at=now, kind="feedback_recorded", staff_id=recorded_by, counter_id=leg.counter_id,
                  ticket_id=visit.origin.id, service_id=leg.service_id, number=visit.origin.number,
                  feedback=feedback.id, rating=rating, reason=reason, channel=channel)
    return Change("feedback_recorded", visit.origin.id, visit.origin.number,
                  _counter_number(session, leg.counter_id))


def record_complaint(
    session: Session,
    clock: Clock,
    *,
    staff_id: int,
    cause: str,
    comment: str,
    reference: str | None = None,
    ticket_id: int | None = None,
    rating: int | None = None,
    reason: str = "",
) -> Change:
    """A complaint told to a clerk or manager, with the cause it points at (system, training, staffing …)."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    if cause not in set(BreachCause):
        raise AppError(N_("Choose a cause from the list."))
    comment = _clean_comment(comment)
    if not comment:
        raise AppError(N_("Write down what the customer complained about."))
    if rating is not None and (isinstance(rating, bool) or rating not in RATINGS):
        raise AppError(N_("Choose a rating from 1 to 5."))
    reason = _check_reason(reason)
    visit = _visit(session, clock, reference, ticket_id)
    leg = visit.serving_leg
    feedback = Feedback(
        ticket_id=visit.origin.id, reference=(reference or "").strip().upper()[:40], staff_id=leg.staff_id,
        service_id=leg.service_id, counter_id=leg.counter_id, rating=rating, reason=reason, comment=comment,
        channel=FeedbackChannel.CLERK_RECORDED, is_complaint=True, cause=cause, created_at=now,
        recorded_by=staff_id,
    )
    session.add(feedback)
    session.flush()
    events.record(session, at=now, kind="complaint_recorded", staff_id=staff_id, counter_id=leg.counter_id,
                  ticket_id=visit.origin.id, service_id=leg.service_id, number=visit.origin.number,
                  feedback=feedback.id, cause=cause)
    return Change("complaint_recorded", visit.origin.id, visit.origin.number,
                  _counter_number(session, leg.counter_id))


@dataclass(frozen=True)
class VisitToRate:
    """What the customer-facing feedback window shows after a service, or for a reference the customer
    typed: whose visit, served by whom, where."""

    ticket_id: int
    number: str
    service_names: dict[str, str]
    staff_name: str
    counter_number: int | None  # None for a visit that never reached a counter
    finished_at: dt.datetime | None


def visit_to_rate(session: Session, now: dt.datetime, *, counter_number: int,
                  within_minutes: int = 5) -> VisitToRate | None:
    """The visit just finished at this counter, if it ended in the last minutes and has no rating yet."""
    counter = lookup.counter_by_number(session, counter_number)
    leg = session.exec(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.state == TicketState.DONE,
                             Ticket.outcome == Outcome.SERVED, Ticket.finished_at.is_not(None))
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(1)
    ).first()
    if leg is None or now - leg.finished_at > dt.timedelta(minutes=within_minutes):
        return None
    if lookup.current_ticket(session, counter.id) is not None:
        return None  # the next customer is already at the counter
    origin_id = leg.origin_id or leg.id
    if _rated(session, origin_id):
        return None
    service = session.get(Service, leg.service_id)
    staff = session.get(Staff, leg.staff_id) if leg.staff_id else None
    return VisitToRate(origin_id, leg.number, service.names, staff.name if staff else "", counter.number,
                       leg.finished_at)


def visit_by_reference(session: Session, clock: Clock, *, reference: str) -> VisitToRate:
    """The visit named by the reference on a ticket or notice, for a customer who rates it later.

    Refused, in words the customer reads, if nothing has that reference, the visit has not ended or it
    was already rated: the same checks `record_feedback` makes, asked before the customer chooses.
    """
    visit = find_visit(session, reference, today=trading_day(session, clock.now()))
    _refuse_unless_rateable(session, visit)
    leg = visit.serving_leg
    service = session.get(Service, leg.service_id)
    staff = session.get(Staff, leg.staff_id) if leg.staff_id else None
    return VisitToRate(visit.origin.id, visit.origin.number, service.names, staff.name if staff else "",
                       _counter_number(session, leg.counter_id), visit.legs[-1].finished_at)
