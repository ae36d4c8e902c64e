"""Counter sessions and states: logging in at a counter, opening, pausing and closing it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, CounterState, Role, Staff
from counter_app.workflows.core import auth, events, lookup
from counter_app.workflows.queue.hours import HallState, hall_status
from counter_app.workflows.queue.tickets import Change

COUNTER_ROLES = {Role.CLERK, Role.TRAINEE, Role.SENIOR, Role.MANAGER}


@dataclass(frozen=True)
class CounterLogin:
    staff_id: int
    staff_no: str
    name: str
    role: str
    counter_number: int
    change: Change


def ensure_free(session: Session, counter: Counter) -> None:
    """A counter is closed or left only with nobody at it and nobody parked there (nobody could resume them)."""
    busy = lookup.current_ticket(session, counter.id)
    if busy is not None:
        raise AppError(N_("Counter {number} still has {ticket}: finish, park or transfer it first."),
                       number=counter.number, ticket=busy.number)
    parked = lookup.parked_tickets(session, counter.id)
    if parked:
        raise AppError(N_("Counter {number} has parked customers ({tickets}): resume or transfer them first."),
                       number=counter.number, tickets=", ".join(t.number for t in parked))


def set_state(session: Session, clock: Clock, counter: Counter, state: CounterState, staff_id: int | None,
               kind: str) -> Change:
    now = clock.now()
    counter.state = state
    counter.state_since = now
    session.add(counter)
    events.record(session, at=now, kind=kind, staff_id=staff_id, counter_id=counter.id,
                  counter=counter.number, state=str(state))
    return Change(kind, counter_number=counter.number)


def login(session: Session, clock: Clock, *, counter_number: int, staff_no: str, password: str) -> CounterLogin:
    """Sign a staff member in at a counter with their own credential."""
    staff: Staff = auth.authenticate(session, staff_no=staff_no, password=password, clock=clock,
                                     where=f"counter {counter_number}")
    if staff.role not in COUNTER_ROLES:
        raise AppError(N_("{name} has no counter role."), name=staff.name)
    counter = lookup.counter_by_number(session, counter_number)
    if counter.senior_only and staff.role not in (Role.SENIOR, Role.MANAGER):
        raise AppError(N_("Counter {number} is for senior clerks: {name} cannot sign in at it."),
                       number=counter_number, name=staff.name)
    if counter.staff_id not in (None, staff.id):
        holder = session.get(Staff, counter.staff_id)
        if counter.state != CounterState.CLOSED or lookup.current_ticket(session, counter.id):
            raise AppError(N_("Counter {number} is in use by {name}: they must close it first, or a duty manager "
                              "can let you take it over."),
                           number=counter_number, name=holder.name if holder else "?")
    elsewhere = session.exec(select(Counter).where(Counter.staff_id == staff.id, Counter.id != counter.id)).first()
    if elsewhere is not None:
        # One person, one counter: leaving the old one is allowed only when no customer is there.
        sign_out(session, clock, elsewhere, staff.id)
    counter.staff_id = staff.id
    session.add(counter)
    events.record(session, at=clock.now(), kind="staff_logged_in", staff_id=staff.id, counter_id=counter.id,
                  counter=counter.number, staff_no=staff.staff_no)
    return CounterLogin(staff.id, staff.staff_no, staff.name, staff.role, counter.number,
                        Change("staff_logged_in", counter_number=counter.number))


def logout(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    sign_out(session, clock, counter, staff_id)
    return Change("staff_logged_out", counter_number=counter_number)


def sign_out(session: Session, clock: Clock, counter: Counter, staff_id: int) -> None:
    """Close the counter if it is not closed yet and sign the staff member out of it."""
    ensure_free(session, counter)
    if counter.state != CounterState.CLOSED:
        set_state(session, clock, counter, CounterState.CLOSED, staff_id, "counter_closed")
    counter.staff_id = None
    session.add(counter)
    events.record(session, at=clock.now(), kind="staff_logged_out", staff_id=staff_id, counter_id=counter.id,
                  counter=counter.number)


def open_counter(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    if counter.state == CounterState.OPEN:
        raise AppError(N_("Counter {number} is already open."), number=counter_number)
    change = set_state(session, clock, counter, CounterState.OPEN, staff_id, "counter_opened")
    if hall_status(session, clock.now()).state == HallState.CLOSED:
        # Allowed (a clerk may stay on a late customer), but nobody can take a ticket: say so.
        return dataclasses.replace(change, warning=N_("The counter is open, but the hall is closed now: no "
                                                      "tickets are issued until it opens."))
    return change


def pause_counter(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    """Stop calling new customers; a customer already at the counter is still served."""
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    if counter.state != CounterState.OPEN:
        raise AppError(N_("Only an open counter can be paused."))
    return set_state(session, clock, counter, CounterState.PAUSED, staff_id, "counter_paused")


def close_counter(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    if counter.state == CounterState.CLOSED:
        raise AppError(N_("Counter {number} is already closed."), number=counter_number)
    ensure_free(session, counter)
    return set_state(session, clock, counter, CounterState.CLOSED, staff_id, "counter_closed")
