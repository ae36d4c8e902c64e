"""Finding the branch's things by the names users give them, with a clear refusal when absent."""

from __future__ import annotations

from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, CounterService, Service, Staff, Ticket, TicketState
from counter_app.workflows.core import bounds


def service_by_code(session: Session, code: str, *, active_only: bool = True) -> Service:
    code = bounds.text(code, field=N_("A service code"), limit=bounds.CODE)
    service = session.exec(select(Service).where(Service.code == code)).first()
    if service is None or (active_only and not service.active):
        raise AppError(N_("Unknown service: {code}."), code=code)
    return service


def counter_by_number(session: Session, number: int) -> Counter:
    number = bounds.whole(number, field=N_("The counter number"), low=1, high=bounds.MAX_COUNTER)
    counter = session.exec(select(Counter).where(Counter.number == number)).first()
    if counter is None:
        raise AppError(N_("There is no counter {number}."), number=number)
    return counter


def staff_by_id(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise AppError(N_("Unknown staff member."))
    return staff


def staffed_counter(session: Session, *, counter_number: int, staff_id: int) -> Counter:
    """The counter, provided this staff member is the one logged in at it."""
    counter = counter_by_number(session, counter_number)
    if counter.staff_id != staff_id:
        raise AppError(N_("You are not logged in at counter {number}."), number=counter_number)
    return counter


def counter_service_ids(session: Session, counter_id: int) -> list[int]:
    return list(session.exec(select(CounterService.service_id).where(CounterService.counter_id == counter_id)))


def current_ticket(session: Session, counter_id: int) -> Ticket | None:
    """The customer called to or being served at the counter, if any."""
    return session.exec(
        select(Ticket).where(
            Ticket.counter_id == counter_id,
            Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]),
        )
    ).first()


def parked_tickets(session: Session, counter_id: int) -> list[Ticket]:
    return list(session.exec(
        select(Ticket)
        .where(Ticket.counter_id == counter_id, Ticket.state == TicketState.PARKED)
        .order_by(Ticket.parked_at)
    ))
