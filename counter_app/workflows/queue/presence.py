"""Whether a counter is really there: its window says it is alive, closing the window leaves the counter
paused or closed, and a counter whose PC went silent is handled by the duty manager — closed, its
customers handed to another counter, or taken over by another clerk with the manager's approval.

A counter is never left "open" and locked to a clerk who is gone: the display and the estimates stop
counting a silent counter (`is_silent`), the duty manager sees it (`silent_counters`), and closing the
day closes every counter still open (reports/closing.py calls `close_all`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, CounterState, Role, Staff, Ticket, TicketState
from counter_app.workflows.core import auth, events, lookup
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.queue.counters import COUNTER_ROLES, CounterLogin
from counter_app.workflows.queue.hours import HallState, hall_status, hours_on, trading_day
from counter_app.workflows.queue.silence import is_silent, silent_since
from counter_app.workflows.queue.tickets import Change

MANAGING_ROLES = {Role.MANAGER, Role.ADMIN}
MAX_REASON = 200


def heartbeat(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> None:
    """The counter window is alive. Not an event: the log keeps what people did, not that a PC is on."""
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    counter.heartbeat_at = clock.now()
    session.add(counter)


def window_closed(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    """The counter window was closed: with nobody there the counter closes and the clerk is signed out; with
    a customer at it or parked there it is paused and the customer parked at it, kept with the clerk for
    when they return (or for the duty manager to hand over)."""
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    counter.heartbeat_at = None
    session.add(counter)
    at_counter = lookup.current_ticket(session, counter.id)
    if at_counter is None and not lookup.parked_tickets(session, counter.id):
        counters.sign_out(session, clock, counter, staff_id)
        return Change("staff_logged_out", counter_number=counter_number)
    if at_counter is not None:  # kept here, parked: nobody else calls them, the clerk resumes them on return
        tickets.park(session, clock, counter_number=counter_number, staff_id=staff_id)
    if counter.state == CounterState.OPEN:
        counters.set_state(session, clock, counter, CounterState.PAUSED, staff_id, "counter_paused")
    events.record(session, at=clock.now(), kind="counter_window_closed", staff_id=staff_id, counter_id=counter.id,
                  counter=counter.number, state=str(counter.state))
    return Change("counter_window_closed", counter_number=counter_number)


@dataclass(frozen=True)
class SilentCounter:
    number: int
    state: str
    staff_id: int | None
    staff_name: str
    heartbeat_at: dt.datetime
    customers: tuple[str, ...]  # the ticket numbers at it or parked there


def silent_counters(session: Session, now: dt.datetime) -> list[SilentCounter]:
    """Counters not closed whose window stopped saying it is alive: the duty manager's to handle."""
    cutoff = silent_since(session, now)
    found = []
    for counter in session.exec(select(Counter).where(Counter.state != CounterState.CLOSED,
                                                      Counter.heartbeat_at < cutoff).order_by(Counter.number)):
        staff = session.get(Staff, counter.staff_id) if counter.staff_id else None
        here = session.exec(select(Ticket.number).where(
            Ticket.counter_id == counter.id,
            Ticket.state.in_([TicketState.CALLED, TicketState.SERVING, TicketState.PARKED])).order_by(Ticket.id)).all()
        found.append(SilentCounter(counter.number, counter.state, counter.staff_id, staff.name if staff else "",
                                   counter.heartbeat_at, tuple(here)))
    return found


def _manager(session: Session, manager_id: int) -> Staff:
    manager = session.get(Staff, manager_id)
    if manager is None or manager.role not in MANAGING_ROLES or not manager.active:
        raise AppError(N_("Only a duty manager can do this."))
    return manager


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise AppError(N_("Give a reason: it is kept in the event log."))
    if len(reason) > MAX_REASON:
        raise AppError(N_("The reason is too long (at most {limit} characters)."), limit=MAX_REASON)
    return reason


def release_counter(session: Session, clock: Clock, *, counter_number: int, manager_id: int, reason: str) -> Change:
    """The duty manager closes a counter whose clerk is gone, and signs the clerk out of it. Its customers must
    be handed to another counter first: nobody is dropped from the queue by a closing."""
    _manager(session, manager_id)
    reason = _reason(reason)
    counter = lookup.counter_by_number(session, counter_number)
    if counter.state == CounterState.CLOSED and counter.staff_id is None:
        raise AppError(N_("Counter {number} is already closed."), number=counter_number)
    counters.ensure_free(session, counter)
    previous = counter.staff_id
    if counter.state != CounterState.CLOSED:
        counters.set_state(session, clock, counter, CounterState.CLOSED, manager_id, "counter_closed")
    counter.staff_id = None
    counter.heartbeat_at = None
    session.add(counter)
    events.record(session, at=clock.now(), kind="counter_released", staff_id=manager_id, counter_id=counter.id,
                  counter=counter.number, clerk_id=previous, reason=reason)
    return Change("counter_released", counter_number=counter_number)


def hand_over(session: Session, clock: Clock, *, counter_number: int, to_counter_number: int, manager_id: int
              ) -> Change:
    """The duty manager hands the customers of a counter (at it or parked there) to another staffed counter,
    where they wait parked for its clerk to resume them: served where they stand, not sent back to the queue."""
    _manager(session, manager_id)
    source = lookup.counter_by_number(session, counter_number)
    target = lookup.counter_by_number(session, to_counter_number)
    if target.id == source.id:
        raise AppError(N_("Choose another counter."))
    if target.staff_id is None or target.state == CounterState.CLOSED:
        raise AppError(N_("Counter {number} is closed: nobody there could serve the customer."),
                       number=to_counter_number)
    if is_silent(target, silent_since(session, clock.now())):
        raise AppError(N_("Counter {number} is not answering either."), number=to_counter_number)
    moving = session.exec(select(Ticket).where(
        Ticket.counter_id == source.id,
        Ticket.state.in_([TicketState.CALLED, TicketState.SERVING, TicketState.PARKED])).order_by(Ticket.id)).all()
    if not moving:
        raise AppError(N_("Counter {number} has no customer to hand over."), number=counter_number)
    now = clock.now()
    for ticket in moving:
        ticket.state = TicketState.PARKED
        ticket.parked_at = ticket.parked_at or now
        ticket.counter_id = target.id
        session.add(ticket)
        events.record(session, at=now, kind="customer_handed_over", staff_id=manager_id, counter_id=target.id,
                      ticket_id=ticket.id, service_id=ticket.service_id, number=ticket.number,
                      from_counter=source.number, counter=target.number)
    return Change("customer_handed_over", moving[0].id, moving[0].number, target.number)


def take_over(session: Session, clock: Clock, *, counter_number: int, staff_no: str, password: str,
              manager_no: str, manager_password: str, reason: str) -> CounterLogin:
    """A clerk takes over a counter another clerk holds, with a duty manager's credential given there and then;
    the customers at the counter stay and the new clerk carries on with them."""
    staff = auth.authenticate(session, staff_no=staff_no, password=password, clock=clock,
                              where=f"counter {counter_number}")
    if staff.role not in COUNTER_ROLES:
        raise AppError(N_("{name} has no counter role."), name=staff.name)
    manager = auth.authenticate(session, staff_no=manager_no, password=manager_password, clock=clock,
                                where=f"take-over of counter {counter_number}")
    _manager(session, manager.id)
    reason = _reason(reason)
    counter = lookup.counter_by_number(session, counter_number)
    previous = counter.staff_id
    if previous in (None, staff.id):
        return counters.login(session, clock, counter_number=counter_number, staff_no=staff_no, password=password)
    elsewhere = session.exec(select(Counter).where(Counter.staff_id == staff.id, Counter.id != counter.id)).first()
    if elsewhere is not None:
        counters.sign_out(session, clock, elsewhere, staff.id)
    counter.staff_id = staff.id
    counter.heartbeat_at = None
    session.add(counter)
    for ticket in session.exec(select(Ticket).where(Ticket.counter_id == counter.id,
                                                    Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]))):
        ticket.staff_id = staff.id
        session.add(ticket)
    events.record(session, at=clock.now(), kind="counter_taken_over", staff_id=staff.id, counter_id=counter.id,
                  counter=counter.number, from_staff_id=previous, approved_by=manager.id, reason=reason)
    return CounterLogin(staff.id, staff.staff_no, staff.name, staff.role, counter.number,
                        Change("counter_taken_over", counter_number=counter.number))


def close_all(session: Session, clock: Clock, *, staff_id: int, through: dt.date) -> list[int]:
    """Closing the day: every counter still open, paused or signed in since `through` or before is closed and
    its clerk signed out; returns their numbers. A counter whose state changed after that day belongs to a
    later day and is left alone; so is a counter still at work (its window answering) while the hall serves
    a later business day (a 24-hour hall closing yesterday at breakfast). A customer still at a counter
    keeps the ticket."""
    closed = []
    now = clock.now()
    hours = hours_on(session, through)
    last = max(dt.datetime.combine(through + dt.timedelta(days=1), dt.time()), hours[1] if hours else dt.datetime.min)
    running = trading_day(session, now) > through and hall_status(session, now).state == HallState.OPEN
    cutoff = silent_since(session, now)
    for counter in session.exec(select(Counter).where(
            sa.or_(Counter.state != CounterState.CLOSED, Counter.staff_id.is_not(None)),
            sa.or_(Counter.state_since.is_(None), Counter.state_since < last)).order_by(Counter.number)):
        if running and counter.state != CounterState.CLOSED and not is_silent(counter, cutoff):
            continue
        if counter.state != CounterState.CLOSED:
            counters.set_state(session, clock, counter, CounterState.CLOSED, staff_id, "counter_closed")
        if counter.staff_id is not None:
            events.record(session, at=clock.now(), kind="staff_logged_out", staff_id=counter.staff_id,
                          counter_id=counter.id, counter=counter.number, by=staff_id)
        counter.staff_id = None
        counter.heartbeat_at = None
        session.add(counter)
        closed.append(counter.number)
    return closed
