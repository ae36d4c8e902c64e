"""Help requests and escalation: a state machine with every step recorded (F4, F10).

    requested ──accept──▶ accepted ──resolve──▶ resolved
        │                    │
        └──hand_up──▶ handed_up ◀──hand_up──┘   (handed_up ──accept (duty manager)──▶ accepted)
    requested, handed_up ──end (the visit ended, nobody had answered)──▶ resolved

A request nobody answered ends with its visit (`end_with_visits`): nobody is sent to an empty counter, and
the customer's notice does not say the case was passed on when it was not.

Once handed up, the request belongs to the duty manager: the colleague who handed it up no longer holds it
(the step trail keeps who it was) and cannot resolve it alone.
An escalation cannot be resolved without a resolution note and an explanation for the customer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, Role, Staff, Ticket, TicketState
from counter_app.models.oversight import Escalation, EscalationState, EscalationStep, HelpRoute
from counter_app.workflows.core import events, lookup
from counter_app.workflows.queue.tickets import Change

S = EscalationState
# The one place that says which move is allowed from which state.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.REQUESTED: {"accept": S.ACCEPTED, "hand_up": S.HANDED_UP, "resolve": S.RESOLVED, "end": S.RESOLVED},
    S.ACCEPTED: {"hand_up": S.HANDED_UP, "resolve": S.RESOLVED},
    S.HANDED_UP: {"accept": S.ACCEPTED, "resolve": S.RESOLVED, "end": S.RESOLVED},
    S.RESOLVED: {},
}
HELPER_ROLES = {Role.SENIOR, Role.MANAGER}
STATE_TEXT = {S.REQUESTED: N_("requested"), S.ACCEPTED: N_("accepted"), S.HANDED_UP: N_("with the duty manager"),
              S.RESOLVED: N_("resolved")}


def _move(escalation: Escalation, action: str) -> str:
    allowed = TRANSITIONS[escalation.state]
    if action not in allowed:
        raise AppError(N_("This help request is already {state}; that step is not possible now."),
                       state=STATE_TEXT[escalation.state])
    return allowed[action]


def _step(session: Session, escalation: Escalation, now: dt.datetime, action: str, staff_id: int | None,
          note: str = "") -> None:
    session.add(EscalationStep(escalation_id=escalation.id, at=now, action=action, staff_id=staff_id, note=note))
    events.record(session, at=now, kind=f"escalation_{action}", staff_id=staff_id, counter_id=escalation.counter_id,
                  ticket_id=escalation.ticket_id, escalation=escalation.id, note=note)


def _get(session: Session, escalation_id: int) -> Escalation:
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise AppError(N_("That help request does not exist."))
    return escalation


ENDED_NOTE = "visit_ended"  # the note of a request that ended with its visit (translated where shown)


def answered(session: Session, escalation_id: int) -> bool:
    """Someone took the request on: a colleague or the duty manager accepted it at some point."""
    return session.exec(select(EscalationStep.id).where(EscalationStep.escalation_id == escalation_id,
                                                        EscalationStep.action == "accepted")).first() is not None


def _visit_over(session: Session, escalation: Escalation) -> bool:
    ticket = session.get(Ticket, escalation.ticket_id) if escalation.ticket_id else None
    return ticket is not None and ticket.state == TicketState.DONE


def unanswered_and_over(session: Session, escalation: Escalation) -> bool:
    """A request still waiting for someone whose customer has left the counter: it ends with the visit."""
    return (escalation.state in (S.REQUESTED, S.HANDED_UP) and _visit_over(session, escalation)
            and not answered(session, escalation.id))


def visits_ended(session: Session) -> bool:
    """Whether a request nobody answered has a visit that is over (`end_with_visits` would end it); reads only."""
    return any(unanswered_and_over(session, e) for e in session.exec(select(Escalation).where(
        Escalation.state.in_([S.REQUESTED, S.HANDED_UP]), Escalation.ticket_id.is_not(None))))


def end_with_visits(session: Session, clock: Clock) -> list[Change]:
    """End the requests nobody answered whose visit is over (called wherever alerts are evaluated)."""
    now = clock.now()
    changes = []
    for escalation in session.exec(select(Escalation).where(Escalation.state.in_([S.REQUESTED, S.HANDED_UP]),
                                                            Escalation.ticket_id.is_not(None))).all():
        if not unanswered_and_over(session, escalation):
            continue
        escalation.state = _move(escalation, "end")
        escalation.resolved_at = now
        escalation.resolution_note = ENDED_NOTE
        session.add(escalation)
        _step(session, escalation, now, "ended", None, ENDED_NOTE)
        changes.append(Change("escalation_ended", escalation.ticket_id))
    return changes


def open_for_ticket(session: Session, ticket_id: int) -> Escalation | None:
    return session.exec(select(Escalation).where(
        Escalation.ticket_id == ticket_id, Escalation.state != S.RESOLVED)).first()


def request_help(session: Session, clock: Clock, *, counter_number: int, staff_id: int, route: str,
                 reason: str = "") -> Change:
    """The Help button: ask the mentor, the senior clerks, or the duty manager."""
    now = clock.now()
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    staff = lookup.staff_by_id(session, staff_id)
    if route not in set(HelpRoute):
        raise AppError(N_("Choose whom to ask: mentor, senior clerk or duty manager."))
    if route == HelpRoute.MENTOR and staff.mentor_id is None:
        raise AppError(N_("You have no mentor on record: ask a senior clerk or the duty manager."))
    ticket = lookup.current_ticket(session, counter.id)
    if ticket is not None and (existing := open_for_ticket(session, ticket.id)) is not None:
        raise AppError(N_("Help for {ticket} was already asked at {time}."), ticket=ticket.number,
                       time=existing.requested_at.strftime("%H:%M"))
    escalation = Escalation(ticket_id=ticket.id if ticket else None, counter_id=counter.id, route=route,
                            reason=reason.strip(), requested_by=staff_id, requested_at=now)
    session.add(escalation)
    session.flush()
    _step(session, escalation, now, "requested", staff_id, reason.strip())
    return Change("help_requested", ticket.id if ticket else None, ticket.number if ticket else None,
                  counter.number)


def may_accept(escalation: Escalation, helper: Staff, requester: Staff | None) -> bool:
    if requester is not None and helper.id == requester.id:
        return False
    if escalation.state == S.HANDED_UP or escalation.route == HelpRoute.MANAGER:
        return helper.role == Role.MANAGER
    if escalation.route == HelpRoute.MENTOR and requester is not None and requester.mentor_id == helper.id:
        return True
    return helper.role in HELPER_ROLES


def is_helper(session: Session, *, staff_id: int) -> bool:
    """Whether the counter keeps the help inbox in view, empty or not: a senior, a duty manager or a mentor.

    Anyone else sees it only while a request is theirs to take (see `inbox`).
    """
    staff = session.get(Staff, staff_id)
    if staff is None:
        return False
    return staff.role in HELPER_ROLES or session.exec(
        select(Staff.id).where(Staff.mentor_id == staff_id)).first() is not None


def accept(session: Session, clock: Clock, *, escalation_id: int, staff_id: int) -> Change:
    now = clock.now()
    escalation = _get(session, escalation_id)
    helper = lookup.staff_by_id(session, staff_id)
    requester = session.get(Staff, escalation.requested_by) if escalation.requested_by else None
    new_state = _move(escalation, "accept")
    if unanswered_and_over(session, escalation):
        raise AppError(N_("The customer has left the counter: this help request ended with the visit."))
    if not may_accept(escalation, helper, requester):
        if requester is not None and helper.id == requester.id:
            raise AppError(N_("You cannot accept your own help request."))
        if escalation.state == S.HANDED_UP or escalation.route == HelpRoute.MANAGER:
            raise AppError(N_("This request waits for the duty manager: only a duty manager can accept it."))
        raise AppError(N_("Only the mentor, a senior clerk or the duty manager can accept this request."))
    escalation.state = new_state
    escalation.accepted_by = staff_id
    escalation.accepted_at = now
    session.add(escalation)
    _step(session, escalation, now, "accepted", staff_id)
    return Change("help_accepted", escalation.ticket_id)


def hand_up(session: Session, clock: Clock, *, escalation_id: int, staff_id: int | None, note: str = "",
            auto: bool = False) -> Change:
    """Pass the request to the duty manager: by the requester, the helper, or the service target itself."""
    now = clock.now()
    escalation = _get(session, escalation_id)
    new_state = _move(escalation, "hand_up")
    # Before anyone accepts, accepted_by is None: a hand-up "by nobody" must not pass as the helper's.
    if not auto and (staff_id is None or staff_id not in (escalation.requested_by, escalation.accepted_by)):
        raise AppError(N_("Only the clerk who asked or the colleague helping can hand this request up."))
    _hand_up(session, escalation, now, new_state, staff_id, note.strip() or ("auto" if auto else ""))
    return Change("help_handed_up", escalation.ticket_id)


def _hand_up(session: Session, escalation: Escalation, now: dt.datetime, new_state: str, staff_id: int | None,
             note: str) -> None:
    """The duty manager holds the request now: whoever had accepted it lets go of it."""
    escalation.state = new_state
    escalation.handed_up_at = now
    escalation.accepted_by = None
    escalation.accepted_at = None
    session.add(escalation)
    _step(session, escalation, now, "handed_up", staff_id, note)


def resolve(session: Session, clock: Clock, *, escalation_id: int, staff_id: int, note: str,
            explanation: str) -> Change:
    """Close the request: what was done (for the branch) and what to tell the customer (for the notice)."""
    now = clock.now()
    escalation = _get(session, escalation_id)
    new_state = _move(escalation, "resolve")
    staff = lookup.staff_by_id(session, staff_id)
    if escalation.state == S.HANDED_UP and staff.role != Role.MANAGER:
        raise AppError(N_("This request is with the duty manager: only a duty manager can resolve it now."))
    if staff_id != escalation.accepted_by and staff.role != Role.MANAGER:
        raise AppError(N_("Only the colleague who accepted this request or a duty manager can resolve it."))
    if not note.strip():
        raise AppError(N_("Write what was done (the resolution note) before resolving."))
    if not explanation.strip():
        raise AppError(N_("Write the explanation for the customer before resolving."))
    escalation.state = new_state
    escalation.resolved_by = staff_id
    escalation.resolved_at = now
    escalation.resolution_note = note.strip()
    escalation.customer_explanation = explanation.strip()
    session.add(escalation)
    _step(session, escalation, now, "resolved", staff_id, note.strip())
    return Change("help_resolved", escalation.ticket_id)


def auto_escalate(session: Session, now: dt.datetime, ticket: Ticket) -> Escalation:
    """A service past its target goes to the duty manager, asked for or not (F3)."""
    escalation = open_for_ticket(session, ticket.id)
    if escalation is None:
        escalation = Escalation(ticket_id=ticket.id, counter_id=ticket.counter_id, route=HelpRoute.MANAGER,
                                state=S.HANDED_UP, auto=True, requested_by=ticket.staff_id, requested_at=now,
                                handed_up_at=now, reason="")
        # No English text in the store: the screens say "raised automatically" from the auto flag.
        session.add(escalation)
        session.flush()
        _step(session, escalation, now, "auto_raised", None)
    elif escalation.state != S.HANDED_UP and not _with_manager(session, escalation):
        _hand_up(session, escalation, now, _move(escalation, "hand_up"), None, "auto")
    return escalation


def _with_manager(session: Session, escalation: Escalation) -> bool:
    helper = session.get(Staff, escalation.accepted_by) if escalation.accepted_by else None
    return helper is not None and helper.role == Role.MANAGER


@dataclass(frozen=True)
class EscalationLine:
    escalation_id: int
    state: str
    route: str
    auto: bool
    reason: str
    ticket_number: str | None
    counter_number: int | None
    requested_by: str | None
    requested_by_id: int | None
    requested_at: dt.datetime
    accepted_by: str | None
    accepted_by_id: int | None
    age_seconds: int
    steps: list[tuple[dt.datetime, str, str | None, str]]


def escalation_lines(session: Session, now: dt.datetime, *, include_resolved: bool = False,
                     ticket_id: int | None = None) -> list[EscalationLine]:
    query = select(Escalation).order_by(Escalation.requested_at, Escalation.id)
    if not include_resolved:
        query = query.where(Escalation.state != S.RESOLVED)
    if ticket_id is not None:
        query = query.where(Escalation.ticket_id == ticket_id)
    names = {s.id: s.name for s in session.exec(select(Staff))}
    numbers = dict(session.exec(select(Counter.id, Counter.number)).all())
    lines = []
    for e in session.exec(query):
        ticket = session.get(Ticket, e.ticket_id) if e.ticket_id else None
        steps = [(s.at, s.action, names.get(s.staff_id), s.note) for s in session.exec(
            select(EscalationStep).where(EscalationStep.escalation_id == e.id).order_by(EscalationStep.id))]
        end = e.resolved_at or now
        lines.append(EscalationLine(
            e.id, e.state, e.route, e.auto, e.reason, ticket.number if ticket else None,
            numbers.get(e.counter_id), names.get(e.requested_by), e.requested_by, e.requested_at,
            names.get(e.accepted_by), e.accepted_by, int((end - e.requested_at).total_seconds()), steps,
        ))
    return lines


def inbox(session: Session, now: dt.datetime, *, staff_id: int) -> list[EscalationLine]:
    """Open requests this person may accept: their trainee's, a senior's queue, or the duty manager's."""
    helper = lookup.staff_by_id(session, staff_id)
    result = []
    for line in escalation_lines(session, now):
        escalation = session.get(Escalation, line.escalation_id)
        requester = session.get(Staff, escalation.requested_by) if escalation.requested_by else None
        if unanswered_and_over(session, escalation):
            continue  # ends with its visit: nobody is sent to an empty counter
        if escalation.state in (S.REQUESTED, S.HANDED_UP) and may_accept(escalation, helper, requester):
            result.append(line)
        elif escalation.accepted_by == staff_id:
            result.append(line)
    return result
