"""Finding the branch's things by the names users give them, with a clear refusal when absent."""

from __future__ import annotations

from collections import namedtuple

from sqlalchemy import Row, and_, bindparam, literal
from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, CounterService, Service, Staff, Ticket, TicketState
from counter_app.models.prepared import Prepared
from counter_app.workflows.core import bounds


def service_by_code(session: Session, code: str, *, active_only: bool = True) -> Service:
    code = bounds.text(code, field=N_("A service code"), limit=bounds.CODE)
    service = session.exec(select(Service).where(Service.code == code)).first()
    if service is None or (active_only and not service.active):
        raise AppError(N_("Unknown service: {code}."), code=code)
    return service


def _counter_number(number: int) -> int:
    return bounds.whole(number, field=N_("The counter number"), low=1, high=bounds.MAX_COUNTER)


def _found(counter, number: int):
    """The counter found by its number, or the refusal every look-up of a counter gives."""
    if counter is None:
        raise AppError(N_("There is no counter {number}."), number=number)
    return counter


def _logged_in(counter, counter_number: int, staff_id: int):
    """The counter, provided this staff member is the one logged in at it."""
    if counter.staff_id != staff_id:
        raise AppError(N_("You are not logged in at counter {number}."), number=counter_number)
    return counter


def counter_by_number(session: Session, number: int) -> Counter:
    number = _counter_number(number)
    return _found(session.exec(select(Counter).where(Counter.number == number)).first(), number)


_COUNTER = Counter.__table__
_TICKET = Ticket.__table__
# The write path's look-ups as plain rows (no ORM objects to build, track and flush), built once: compiled once.
_COUNTER_ROW = Prepared(select(_COUNTER.c.id, _COUNTER.c.number, _COUNTER.c.state, _COUNTER.c.staff_id)
                .where(_COUNTER.c.number == bindparam("number")))
_SERVICE_LINKS = Prepared(select(CounterService.__table__.c.service_id, CounterService.__table__.c.rank)
                  .where(CounterService.__table__.c.counter_id == bindparam("counter_id")))
_AT_COUNTER = Prepared(select(_TICKET.c.id, _TICKET.c.number, _TICKET.c.state, _TICKET.c.service_id, _TICKET.c.business_date,
                      _TICKET.c.origin_id, _TICKET.c.started_at)
               .where(_TICKET.c.counter_id == bindparam("counter_id"),
                      _TICKET.c.state.in_([literal(TicketState.CALLED.value), literal(TicketState.SERVING.value)]))
               .limit(1))


# A counter and the customer called to or served at it, in one statement (by the counter's number, then the ticket's
# counter index): call-next, start and finish begin with both.
_CounterRow = namedtuple("CounterRow", "id number state staff_id")
_TicketRow = namedtuple("TicketRow", "id number state service_id business_date origin_id started_at")
_WITH_TICKET = Prepared(
    select(_COUNTER.c.id, _COUNTER.c.number, _COUNTER.c.state, _COUNTER.c.staff_id,
           *(_TICKET.c[name].label(f"ticket_{name}") for name in _TicketRow._fields))
    .select_from(_COUNTER.outerjoin(_TICKET, and_(
        _TICKET.c.counter_id == _COUNTER.c.id,
        _TICKET.c.state.in_([literal(TicketState.CALLED.value), literal(TicketState.SERVING.value)]))))
    .where(_COUNTER.c.number == bindparam("number"))
    .limit(1))


def staffed_counter_with_ticket(session: Session, *, counter_number: int, staff_id: int) -> tuple[Row, Row | None]:
    """staffed_counter_row's counter (the same refusals) and current_ticket_row's ticket (None: nobody), in one
    statement."""
    number = _counter_number(counter_number)
    row = _found(_WITH_TICKET.first(session, {"number": number}), number)
    counter = _logged_in(_CounterRow(*row[:4]), counter_number, staff_id)
    return counter, (_TicketRow(*row[4:]) if row[4] is not None else None)


def counter_row(session: Session, number: int) -> Row:
    """counter_by_number's counter as a row of (id, number, state, staff_id), with the same refusals."""
    number = _counter_number(number)
    return _found(_COUNTER_ROW.first(session, {"number": number}), number)


def staffed_counter_row(session: Session, *, counter_number: int, staff_id: int) -> Row:
    """staffed_counter's counter as a row of (id, number, state, staff_id), with the same refusals."""
    return _logged_in(counter_row(session, counter_number), counter_number, staff_id)


def counter_services(session: Session, counter_id: int) -> list[tuple[int, int]]:
    """The services a counter serves, each with its rank in the counter's preference (queue/priority.py)."""
    return [tuple(link) for link in _SERVICE_LINKS.rows(session, {"counter_id": counter_id})]


def current_ticket_row(session: Session, counter_id: int) -> Row | None:
    """current_ticket as a row of (id, number, state, service_id, business_date, origin_id, started_at)."""
    return _AT_COUNTER.first(session, {"counter_id": counter_id})


def staff_by_id(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise AppError(N_("Unknown staff member."))
    return staff


def staffed_counter(session: Session, *, counter_number: int, staff_id: int) -> Counter:
    """The counter, provided this staff member is the one logged in at it."""
    return _logged_in(counter_by_number(session, counter_number), counter_number, staff_id)


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
