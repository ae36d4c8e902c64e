"""Telling the customer (F3) and naming the cause of a breach (F9): the clerk's two duties when time runs over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import BreachCause, Outcome, Service, Ticket, TicketState
from counter_app.workflows.core import events, lookup
from counter_app.workflows.oversight.scripts import explanation_script
from counter_app.workflows.oversight.timing import Level, level_of, service_seconds
from counter_app.workflows.queue import visits
from counter_app.workflows.queue.hours import branch_settings, business_day
from counter_app.workflows.queue.tickets import Change

CAUSE_TEXT = {
    BreachCause.SYSTEM_DATA: N_("System or data problem"),
    BreachCause.TRAINING: N_("Training"),
    BreachCause.STAFFING: N_("Staffing"),
    BreachCause.CUSTOMER_SIDE: N_("Customer side"),
    BreachCause.OTHER: N_("Other"),
}


@dataclass(frozen=True)
class ExplainPrompt:
    """Whether the counter window must ask the clerk to explain, and what they might say."""

    ticket_id: int
    number: str
    level: Level
    service_seconds: int
    target_min: int
    script: str
    told_at: object  # datetime | None


def explain_prompt(session: Session, clock: Clock, *, counter_number: int, language: str) -> ExplainPrompt | None:
    """A prompt once the service reaches its warning mark (the service's own, or the branch's share of its
    target) and the clerk has not yet told the customer."""
    now = clock.now()
    counter = lookup.counter_by_number(session, counter_number)
    ticket = lookup.current_ticket(session, counter.id)
    if ticket is None or ticket.state != TicketState.SERVING:
        return None
    service = session.get(Service, ticket.service_id)
    seconds = service_seconds(ticket, now)
    level = level_of(seconds, service.target_service_min, branch_settings(session).warning_share,
                     service.service_warning_min)
    if level == Level.OK:
        return None
    left = max(1, round(service.target_service_min - seconds / 60)) if level == Level.WARNING else 5
    return ExplainPrompt(ticket.id, ticket.number, level, seconds, service.target_service_min,
                         explanation_script(service, minutes=left, language=language), ticket.customer_told_at)


def prompt_is_due(prompt: ExplainPrompt | None, now: dt.datetime) -> bool:
    """Ask at the warning mark until told; at the target ask again unless told since it was reached.

    Telling the customer at the warning mark promised a time that the target has now broken: the
    customer is owed a second word, so an earlier "told" does not silence the stronger prompt.
    """
    if prompt is None:
        return False
    if prompt.told_at is None:
        return True
    if prompt.level != Level.BREACHED:
        return False
    breached_at = now - dt.timedelta(seconds=prompt.service_seconds) + dt.timedelta(minutes=prompt.target_min)
    return prompt.told_at < breached_at


def told_customer(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    """"I have told the customer": recorded with the time."""
    now = clock.now()
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    ticket = lookup.current_ticket(session, counter.id)
    if ticket is None:
        raise AppError(N_("Counter {number} has no customer at the moment."), number=counter_number)
    ticket.customer_told_at = now
    session.add(ticket)
    events.record(session, at=now, kind="customer_told", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, number=ticket.number)
    return Change("customer_told", ticket.id, ticket.number, counter_number)


visit_legs = visits.legs_of  # every leg of the visit a ticket belongs to, first leg first


def visit_ended(legs: list[Ticket]) -> bool:
    return all(leg.state == TicketState.DONE for leg in legs)


def visit_breached(session: Session, legs: list[Ticket]) -> bool:
    """As the reports judge a visit (docs/reports.md "breach", visits.measure)."""
    return visits.measure(session, legs).breached


def record_breach_cause(session: Session, clock: Clock, *, ticket_id: int, staff_id: int, cause: str,
                        note: str = "") -> Change:
    """Why a finished visit broke its target: system/data, training, staffing, customer side, other.

    `ticket_id` is any leg of the visit; the cause is written on its last leg (the reports take the
    last one named).
    """
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise AppError(N_("That ticket does not exist."))
    if cause not in set(BreachCause):
        raise AppError(N_("Choose a cause from the list."))
    if cause == BreachCause.OTHER and not note.strip():
        raise AppError(N_("Say in a note what the other cause was."))
    legs = visit_legs(session, ticket)
    if not visit_ended(legs):
        raise AppError(N_("The cause is recorded when the visit has ended."))
    if not visit_breached(session, legs):
        raise AppError(N_("{ticket} met its targets: there is no breach to explain."), ticket=ticket.number)
    last = legs[-1]
    last.breach_cause = cause
    last.breach_cause_note = note.strip()
    last.breach_cause_by = staff_id
    session.add(last)
    events.record(session, at=now, kind="breach_cause_recorded", staff_id=staff_id, ticket_id=last.id,
                  number=last.number, cause=cause, note=note.strip())
    return Change("breach_cause_recorded", last.id, last.number)


def needs_cause(session: Session, _clock: Clock, *, ticket_id: int) -> bool:
    """True for an ended, breached visit (any of its legs) whose cause nobody has named yet."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        return False
    legs = visit_legs(session, ticket)
    if not visit_ended(legs) or any(leg.breach_cause for leg in legs):
        return False
    return visit_breached(session, legs)


RECENT_VISITS = 20  # how far back the counter looks for visits still owed a cause


class CauseOwed(NamedTuple):
    """A finished visit of this clerk's that broke its target and whose cause nobody has named yet."""

    ticket_id: int
    number: str


def causes_owed(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> list[CauseOwed]:
    """This clerk's visits served at this counter today that owe a cause (F9); newest first.

    The question stays until someone (the clerk, or the duty manager from the breach report) names the
    cause, whoever comes to the counter meanwhile.
    """
    counter = lookup.counter_by_number(session, counter_number)
    finished = session.exec(select(Ticket).where(
        Ticket.counter_id == counter.id, Ticket.staff_id == staff_id, Ticket.state == TicketState.DONE,
        Ticket.outcome == Outcome.SERVED, business_day(session, clock.now()).tickets(), Ticket.breach_cause.is_(None),
    ).order_by(Ticket.finished_at.desc()).limit(RECENT_VISITS)).all()
    return [CauseOwed(t.id, t.number) for t in finished if needs_cause(session, clock, ticket_id=t.id)]
