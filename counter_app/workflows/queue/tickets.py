"""The walk-in queue: calling, recalling, no-shows, service, transfers, parking (issuing: kiosk.py).

Every function here is one user action: it takes the session and the clock, checks the rules,
changes what it must, appends to the event log and returns a `Change`. The caller commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Row, bindparam, func, literal, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Counter, CounterState, Outcome, Service, Ticket, TicketState
from counter_app.models.prepared import Prepared
from counter_app.workflows.core import events, lookup
from counter_app.workflows.queue import priority as prio
from counter_app.workflows.queue.change import Change
from counter_app.workflows.queue.hours import branch_settings, business_day
from counter_app.workflows.queue.kiosk import IssuedTicket, issue_ticket  # noqa: F401 - the kiosk's action, as before

# -- calling -----------------------------------------------------------------------------------


def _ready_counter(session: Session, *, counter_number: int, staff_id: int) -> Counter:
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    _check_ready(session, counter, counter_number)
    return counter


def _check_ready(session: Session, counter: Counter | Row, counter_number: int, busy: Row | None = None,
                 read: bool = True) -> None:
    """The counter may call: open, and nobody at it (`busy`, when the caller read it with the counter: `read`
    False)."""
    if counter.state == CounterState.CLOSED:
        raise AppError(N_("Counter {number} is closed: open it before calling."), number=counter_number)
    if counter.state == CounterState.PAUSED:
        raise AppError(N_("Counter {number} is paused: resume service before calling."), number=counter_number)
    if read:
        busy = lookup.current_ticket_row(session, counter.id)
    if busy is not None:
        raise AppError(N_("Counter {number} still has {ticket}: finish, park or transfer it first."),
                       number=counter_number, ticket=busy.number)


def _mark_called(session: Session, now: dt.datetime, ticket: Ticket, counter: Counter, staff_id: int,
                 kind: str) -> Change:
    ticket.state = TicketState.CALLED
    ticket.called_at = now
    ticket.first_called_at = ticket.first_called_at or now
    ticket.counter_id = counter.id
    ticket.staff_id = staff_id
    session.add(ticket)
    events.record(session, at=now, kind=kind, staff_id=staff_id, counter_id=counter.id, ticket_id=ticket.id,
                  service_id=ticket.service_id, number=ticket.number, counter=counter.number)
    return Change("ticket_called", ticket.id, ticket.number, counter.number)


# -- the write path of call-next, start and finish: plain statements, built once -----------------------------
# Each state change is a compare-and-set: UPDATE … WHERE id = … AND state = <the state it was read in>, so a
# ticket another PC changed meanwhile is never changed twice (a called ticket is never called again).

_T = Ticket.__table__
_PICKS: dict[tuple[str, tuple[tuple[int, int], ...], bool], Prepared] = {}
_CALL = Prepared(update(_T).where(_T.c.id == bindparam("ticket"), _T.c.state == TicketState.WAITING)
         .values(state=TicketState.CALLED, called_at=bindparam("now"),
                 first_called_at=func.coalesce(_T.c.first_called_at, bindparam("now")),
                 counter_id=bindparam("counter"), staff_id=bindparam("staff")))
_START = Prepared(update(_T).where(_T.c.id == bindparam("ticket"), _T.c.state == TicketState.CALLED)
          .values(state=TicketState.SERVING, started_at=bindparam("now"), staff_id=bindparam("staff")))
_FINISH = Prepared(update(_T).where(_T.c.id == bindparam("ticket"), _T.c.state == TicketState.SERVING)
           .values(state=TicketState.DONE, outcome=Outcome.SERVED, finished_at=bindparam("now")))
CHANGE_ATTEMPTS = 3


def _pick(order: str, ranks: dict[int, int], one_day: bool) -> Prepared:
    """Call-next's pick for a counter's services, built once per shape: `order` "tiers" (the index's order: the
    tier, then the place in the queue), "ageing" (an aged ticket as the top tier, and the counter's preference
    if it has one: a sort) or "earliest" (the place in the queue alone, across tiers). `one_day`: the queue is
    the business day's alone (`day` only: the index's order is the pick's, no sort), else from `since` to `day`
    (a 24-hour hall's queue running on past midnight: the days' rows are sorted)."""
    key = (order, tuple(sorted(ranks.items())), one_day)
    statement = _PICKS.get(key)
    if statement is None:
        if len(_PICKS) > 1000:  # a branch whose counters keep changing their services: forget the old shapes
            _PICKS.clear()
        ordering = [_T.c.queue_at, _T.c.id] if order == "earliest" else prio.order_by(
            aged=bindparam("aged", type_=_T.c.queue_at.type) if order == "ageing" else None, ranks=ranks)
        statement = _PICKS[key] = Prepared(
            select(_T.c.id, _T.c.number, _T.c.service_id, _T.c.business_date, _T.c.origin_id, _T.c.queue_at)
            .where(_T.c.state == TicketState.WAITING, _T.c.service_id.in_([literal(int(s)) for s in sorted(ranks)]),
                   *((_T.c.business_date == bindparam("day"),) if one_day else
                     (_T.c.business_date >= bindparam("since"), _T.c.business_date <= bindparam("day"))))
            .order_by(*ordering)
            .limit(1))
        if order != "earliest":  # the earliest is only looked at: it is locked when it is the one called
            statement = _PICKS[key] = Prepared(statement.statement.with_for_update(skip_locked=True))
    return statement


# PostgreSQL: the earliest waiting ticket, once it is known to be the one called, locked as the picks lock theirs
_STILL_WAITING = Prepared(select(_T.c.id, _T.c.number, _T.c.service_id, _T.c.business_date, _T.c.origin_id,
                                 _T.c.queue_at)
                          .where(_T.c.id == bindparam("ticket"), _T.c.state == TicketState.WAITING)
                          .with_for_update(skip_locked=True))


def _next_waiting(session: Session, ranks: dict[int, int], params: dict, aged: dt.datetime | None):
    """The waiting ticket the calling rule gives this counter next (queue/priority.py), or None.

    Under the ageing rule a counter without a preference needs no sort: the earliest waiting ticket (by queue
    time, then id) is aged if any is, and an aged ticket is of the top tier and earlier than every other of it,
    so it is the one called; if it is not aged, nobody is, and the tiers' own order (the index's) decides. Both
    are index probes (ix_ticket_queue_time, ix_ticket_waiting). With a preference the ORDER BY sorts. Only the
    ticket called is locked (PostgreSQL: another counter's pick skips it, and only it)."""
    one_day = params["since"] == params["day"]
    if aged is None:
        return _pick("tiers", ranks, one_day).first(session, params)
    if prio.has_preference(ranks):
        return _pick("ageing", ranks, one_day).first(session, {**params, "aged": aged})
    earliest = _pick("earliest", ranks, one_day).first(session, params)
    if earliest is None:
        return None
    if earliest.queue_at > aged:
        return _pick("tiers", ranks, one_day).first(session, params)
    if session.get_bind().dialect.name == "sqlite":
        return earliest  # writers take turns: nobody else is calling it
    # another PC may be calling it right now (its row locked): then the sorted pick skips it, as the others do
    return _STILL_WAITING.first(session, {"ticket": earliest.id}) or \
        _pick("ageing", ranks, one_day).first(session, {**params, "aged": aged})


def _changed(session: Session, statement, ticket_id: int, **params) -> bool:
    """Run a compare-and-set on a ticket; whether it applied. A copy of the ticket this session holds is
    forgotten, so that it is read again as it now stands."""
    done = statement.run(session, {"ticket": ticket_id, **params}) == 1
    held = session.identity_map.get(identity_key(Ticket, ticket_id))
    if held is not None:
        session.expire(held)
    return done


def call_next(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    """Call the next customer for this counter, by the calling rule (queue/priority.py): the highest priority
    tier first (an aged ticket as the top one), then the counter's preference among its services, then by
    queue time.

    The business day's queue: customers still waiting from a day that ran on without a break (a 24-hour
    hall at midnight) come first, in order; a ticket left waiting when the hall closed yesterday, or on a
    day the duty manager closed, is not called ahead of this morning's customers.
    """
    now = clock.now()
    session.flush()  # what follows are plain statements: whatever this transaction changed is in the store
    day = business_day(session, now)
    counter, busy = lookup.staffed_counter_with_ticket(session, counter_number=counter_number, staff_id=staff_id)
    _check_ready(session, counter, counter_number, busy, read=False)
    ranks = dict(lookup.counter_services(session, counter.id))
    ageing = prio.ageing_minutes(session)
    aged = now - dt.timedelta(minutes=ageing) if ageing else None
    params = {"since": day.queue_from, "day": day.day}
    for _attempt in range(CHANGE_ATTEMPTS):
        ticket = _next_waiting(session, ranks, params, aged) if ranks else None
        if ticket is None:
            raise AppError(N_("Nobody is waiting for the services of counter {number}."), number=counter_number)
        if _changed(session, _CALL, ticket.id, now=now, counter=counter.id, staff=staff_id):
            break
    else:  # pragma: no cover - SKIP LOCKED and BEGIN IMMEDIATE leave nobody to race for the same row
        raise AppError(N_("Nobody is waiting for the services of counter {number}."), number=counter_number)
    events.record(session, at=now, kind="ticket_called", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=ticket.service_id,
                  tally_days=events.ticket_days(session, ticket.id, ticket.business_date, ticket.origin_id),
                  number=ticket.number, counter=counter.number, last=True)
    return Change("ticket_called", ticket.id, ticket.number, counter.number)


def call_ticket(session: Session, clock: Clock, *, counter_number: int, staff_id: int, ticket_id: int) -> Change:
    """Call one chosen waiting ticket (out of turn), refusing one already called elsewhere."""
    now = clock.now()
    counter = _ready_counter(session, counter_number=counter_number, staff_id=staff_id)
    ticket = session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None:
        raise AppError(N_("That ticket does not exist."))
    if ticket.state != TicketState.WAITING:
        where = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
        raise AppError(N_("{ticket} is no longer waiting (already called at counter {number})."),
                       ticket=ticket.number, number=where.number if where else "—")
    if ticket.service_id not in lookup.counter_service_ids(session, counter.id):
        raise AppError(N_("Counter {number} does not serve the service of {ticket}."),
                       number=counter_number, ticket=ticket.number)
    return _mark_called(session, now, ticket, counter, staff_id, "ticket_called_out_of_turn")


def _current(session: Session, *, counter_number: int, staff_id: int, states: tuple[str, ...]) -> tuple[Counter, Ticket]:
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    ticket = lookup.current_ticket(session, counter.id)
    if ticket is None:
        raise AppError(N_("Counter {number} has no customer at the moment."), number=counter_number)
    if ticket.state not in states:
        if ticket.state == TicketState.SERVING:
            raise AppError(N_("{ticket} is already being served."), ticket=ticket.number)
        raise AppError(N_("Start the service of {ticket} first."), ticket=ticket.number)
    return counter, ticket


def recall(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    """Call the same number again: the display flashes it and the voice repeats it."""
    now = clock.now()
    counter, ticket = _current(session, counter_number=counter_number, staff_id=staff_id,
                               states=(TicketState.CALLED,))
    ticket.recall_count += 1
    ticket.called_at = now
    session.add(ticket)
    events.record(session, at=now, kind="ticket_recalled", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=ticket.service_id, number=ticket.number,
                  counter=counter.number, recall=ticket.recall_count)
    return Change("ticket_recalled", ticket.id, ticket.number, counter.number)


def no_show(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    """The called customer did not come: allowed once the branch's number of recalls was made."""
    now = clock.now()
    counter, ticket = _current(session, counter_number=counter_number, staff_id=staff_id,
                               states=(TicketState.CALLED,))
    needed = branch_settings(session).recalls_before_no_show
    if ticket.recall_count < needed:
        raise AppError(N_("Recall {ticket} {needed} time(s) before recording a no-show (recalled {done})."),
                       ticket=ticket.number, needed=needed, done=ticket.recall_count)
    ticket.state = TicketState.DONE
    ticket.outcome = Outcome.NO_SHOW
    ticket.finished_at = now
    session.add(ticket)
    events.record(session, at=now, kind="ticket_no_show", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=ticket.service_id, number=ticket.number)
    return Change("ticket_no_show", ticket.id, ticket.number, counter.number)


# -- serving -----------------------------------------------------------------------------------


def _current_row(session: Session, *, counter_number: int, staff_id: int, state: str) -> tuple[Row, Row]:
    """_current's counter and ticket as plain rows, for start and finish (the same refusals)."""
    counter, ticket = lookup.staffed_counter_with_ticket(session, counter_number=counter_number, staff_id=staff_id)
    if ticket is None:
        raise AppError(N_("Counter {number} has no customer at the moment."), number=counter_number)
    if ticket.state != state:
        if ticket.state == TicketState.SERVING:
            raise AppError(N_("{ticket} is already being served."), ticket=ticket.number)
        raise AppError(N_("Start the service of {ticket} first."), ticket=ticket.number)
    return counter, ticket


def _serve_step(session: Session, clock: Clock, *, counter_number: int, staff_id: int, state: str,
                statement) -> tuple[dt.datetime, Row, Row]:
    """Move the counter's current ticket on from `state` by `statement`, a compare-and-set: if another PC moved it
    meanwhile, it is read again and the refusal is the one it now earns."""
    now = clock.now()
    session.flush()  # what follows are plain statements: whatever this transaction changed is in the store
    for _attempt in range(CHANGE_ATTEMPTS):
        counter, ticket = _current_row(session, counter_number=counter_number, staff_id=staff_id, state=state)
        if _changed(session, statement, ticket.id, now=now, staff=staff_id):
            return now, counter, ticket
    raise AppError(N_("Counter {number} has no customer at the moment."),  # pragma: no cover
                   number=counter_number)


def start_service(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    now, counter, ticket = _serve_step(session, clock, counter_number=counter_number, staff_id=staff_id,
                                       state=TicketState.CALLED, statement=_START)
    events.record(session, at=now, kind="service_started", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=ticket.service_id,
                  tally_days=events.ticket_days(session, ticket.id, ticket.business_date, ticket.origin_id),
                  number=ticket.number, last=True)
    return Change("service_started", ticket.id, ticket.number, counter.number)


def finish_service(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    now, counter, ticket = _serve_step(session, clock, counter_number=counter_number, staff_id=staff_id,
                                       state=TicketState.SERVING, statement=_FINISH)
    events.record(session, at=now, kind="service_finished", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=ticket.service_id,
                  tally_days=events.ticket_days(session, ticket.id, ticket.business_date, ticket.origin_id),
                  number=ticket.number, service_seconds=int((now - ticket.started_at).total_seconds()), last=True)
    return Change("service_finished", ticket.id, ticket.number, counter.number)


def transfer(session: Session, clock: Clock, *, counter_number: int, staff_id: int, service_code: str) -> Change:
    """Send the current customer to another service, keeping their place by the original issue time."""
    now = clock.now()
    counter, ticket = _current(session, counter_number=counter_number, staff_id=staff_id,
                               states=(TicketState.CALLED, TicketState.SERVING))
    target: Service = lookup.service_by_code(session, service_code)
    if target.id == ticket.service_id:
        raise AppError(N_("{ticket} is already in the queue for that service."), ticket=ticket.number)
    ticket.state = TicketState.DONE
    ticket.outcome = Outcome.TRANSFERRED
    ticket.finished_at = now
    session.add(ticket)
    leg = Ticket(
        number=ticket.number,
        service_id=target.id,
        business_date=ticket.business_date,
        seq=None,
        priority=max(ticket.priority, target.priority),
        customer_ref=ticket.customer_ref,
        customer_id=ticket.customer_id,
        early=ticket.early,
        issued_at=now,
        queue_at=ticket.queue_at,
        origin_id=ticket.origin_id or ticket.id,
        transferred_from_id=ticket.id,
    )
    session.add(leg)
    session.flush()
    events.record(session, at=now, kind="ticket_transferred", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=target.id, number=ticket.number, new_ticket_id=leg.id,
                  to_service=target.code)
    return Change("ticket_transferred", leg.id, leg.number, counter.number)


def park(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> Change:
    """Put the current customer on hold (fetching a document, say) so the counter can call the next."""
    now = clock.now()
    counter, ticket = _current(session, counter_number=counter_number, staff_id=staff_id,
                               states=(TicketState.CALLED, TicketState.SERVING))
    ticket.state = TicketState.PARKED
    ticket.parked_at = now
    session.add(ticket)
    events.record(session, at=now, kind="ticket_parked", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=ticket.service_id, number=ticket.number,
                  was_serving=ticket.started_at is not None)
    return Change("ticket_parked", ticket.id, ticket.number, counter.number)


def resume(session: Session, clock: Clock, *, counter_number: int, staff_id: int, ticket_id: int) -> Change:
    """Bring a parked customer back to this counter, which must be free."""
    now = clock.now()
    counter = lookup.staffed_counter(session, counter_number=counter_number, staff_id=staff_id)
    if counter.state == CounterState.CLOSED:
        raise AppError(N_("Counter {number} is closed: open it before calling."), number=counter_number)
    busy = lookup.current_ticket(session, counter.id)
    if busy is not None:
        raise AppError(N_("Counter {number} still has {ticket}: finish, park or transfer it first."),
                       number=counter_number, ticket=busy.number)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.state != TicketState.PARKED:
        raise AppError(N_("That ticket is not parked."))
    if ticket.counter_id != counter.id:
        raise AppError(N_("{ticket} was parked at another counter."), ticket=ticket.number)
    ticket.state = TicketState.SERVING if ticket.started_at else TicketState.CALLED
    ticket.parked_at = None
    ticket.staff_id = staff_id
    if ticket.state == TicketState.CALLED:
        ticket.called_at = now
    session.add(ticket)
    events.record(session, at=now, kind="ticket_resumed", staff_id=staff_id, counter_id=counter.id,
                  ticket_id=ticket.id, service_id=ticket.service_id, number=ticket.number,
                  counter=counter.number)
    return Change("ticket_resumed", ticket.id, ticket.number, counter.number)


def cancel(session: Session, clock: Clock, *, ticket_id: int, staff_id: int) -> Change:
    """A waiting customer left or asked to drop their ticket."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.state != TicketState.WAITING:
        raise AppError(N_("Only a waiting ticket can be cancelled."))
    ticket.state = TicketState.DONE
    ticket.outcome = Outcome.CANCELLED
    ticket.finished_at = now
    session.add(ticket)
    events.record(session, at=now, kind="ticket_cancelled", staff_id=staff_id, ticket_id=ticket.id,
                  service_id=ticket.service_id, number=ticket.number)
    return Change("ticket_cancelled", ticket.id, ticket.number)
