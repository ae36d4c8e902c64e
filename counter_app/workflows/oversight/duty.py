"""Who is on duty and who is free to help (F10): the duty manager signs in; clerks are at their counters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, Role, Staff, Ticket
from counter_app.models.oversight import Escalation, EscalationState
from counter_app.workflows.core import auth, events, lookup
from counter_app.workflows.queue.tickets import Change


@dataclass(frozen=True)
class ManagerLogin:
    staff_id: int
    staff_no: str
    name: str
    change: Change


def manager_sign_in(session: Session, clock: Clock, *, staff_no: str, password: str) -> ManagerLogin:
    now = clock.now()
    staff = auth.authenticate(session, staff_no=staff_no, password=password, clock=clock, where="manager window")
    if staff.role != Role.MANAGER:
        raise AppError(N_("Only a duty manager can open the manager window."))
    staff.on_duty_since = now
    session.add(staff)
    events.record(session, at=now, kind="manager_signed_in", staff_id=staff.id)
    return ManagerLogin(staff.id, staff.staff_no, staff.name, Change("manager_signed_in"))


def manager_sign_out(session: Session, clock: Clock, *, staff_id: int) -> Change:
    staff = lookup.staff_by_id(session, staff_id)
    staff.on_duty_since = None
    session.add(staff)
    events.record(session, at=clock.now(), kind="manager_signed_out", staff_id=staff.id)
    return Change("manager_signed_out")


@dataclass(frozen=True)
class Helper:
    staff_id: int
    name: str
    role: str
    counter_number: int | None
    busy_with: str | None  # the ticket at their counter, if any
    since: dt.datetime | None


def helpers(session: Session, _clock: Clock) -> list[Helper]:
    """Senior clerks and duty managers on duty, free ones first."""
    found = []
    for staff in session.exec(select(Staff).where(Staff.role.in_([Role.SENIOR, Role.MANAGER]), Staff.active)):
        counter = session.exec(select(Counter).where(Counter.staff_id == staff.id)).first()
        if counter is None and staff.on_duty_since is None:
            continue
        ticket = lookup.current_ticket(session, counter.id) if counter else None
        if ticket is None:  # helping at another counter is being busy too
            helping = session.exec(select(Ticket).join(Escalation, Escalation.ticket_id == Ticket.id).where(
                Escalation.accepted_by == staff.id, Escalation.state == EscalationState.ACCEPTED)).first()
            ticket = helping
        found.append(Helper(staff.id, staff.name, staff.role, counter.number if counter else None,
                            ticket.number if ticket else None, staff.on_duty_since or counter.state_since))
    return sorted(found, key=lambda h: (h.busy_with is not None, h.role != Role.SENIOR, h.name))
