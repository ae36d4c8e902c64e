"""What the screens show, read in one go: the queue display's board and a counter's workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.models import (
    Counter,
    CounterService,
    CounterState,
    Event,
    Service,
    Staff,
    Ticket,
    TicketState,
)
from counter_app.workflows.core import lookup
from counter_app.workflows.queue import eta, hours, priority
from counter_app.workflows.queue.hours import HallStatus, branch_settings, business_day, hall_status, openings
from counter_app.workflows.queue.silence import is_silent, silent_since


def store_revision(session: Session) -> int:
    """Grows with every recorded change: windows poll it to learn that another PC changed something."""
    return session.exec(select(func.max(Event.id))).one() or 0


@dataclass(frozen=True)
class CounterBoard:
    number: int
    state: str  # closed / open / paused / serving (a customer called or being served) / silent (its PC is gone)
    ticket: str | None
    called_at: dt.datetime | None
    staff_name: str | None
    service_codes: tuple[str, ...]
    name: str = ""  # the counter's own name, if the branch gave it one ("VIP窗口")


@dataclass(frozen=True)
class RecentCall:
    number: str
    counter_number: int
    called_at: dt.datetime


@dataclass(frozen=True)
class ServiceQueue:
    code: str
    names: dict[str, str]
    prefix: str
    waiting: int
    wait_minutes: int  # the estimate for someone taking a ticket now
    oldest_wait_minutes: int
    target_wait_min: int


@dataclass(frozen=True)
class Board:
    now: dt.datetime
    branch_names: dict[str, str]
    hall: HallStatus
    counters: list[CounterBoard]
    recent: list[RecentCall]
    services: list[ServiceQueue]
    revision: int

    @property
    def waiting_total(self) -> int:
        return sum(s.waiting for s in self.services)


def _counter_state(counter: Counter, ticket: Ticket | None, cutoff: dt.datetime) -> str:
    if is_silent(counter, cutoff):
        return "silent"
    if ticket is not None:
        return "serving"
    return str(counter.state)


def display_board(session: Session, clock: Clock, *, recent: int = 6) -> Board:
    now = clock.now()
    branch = branch_settings(session)
    hall = hall_status(session, now)
    day = business_day(session, now)
    links = session.exec(select(CounterService.counter_id, Service.code).join(Service)).all()
    codes: dict[int, list[str]] = {}
    for counter_id, code in links:
        codes.setdefault(counter_id, []).append(code)
    counters = []
    cutoff = silent_since(session, now)
    # in the administrator's column order (Counter.display_order), then by number
    for counter in session.exec(select(Counter).order_by(Counter.display_order, Counter.number)):
        ticket = lookup.current_ticket(session, counter.id)
        staff = session.get(Staff, counter.staff_id) if counter.staff_id else None
        counters.append(CounterBoard(
            counter.number, _counter_state(counter, ticket, cutoff), ticket.number if ticket else None,
            ticket.called_at if ticket else None, staff.name if staff else None, tuple(sorted(codes.get(counter.id, []))),
            counter.name,
        ))
    numbers = dict(session.exec(select(Counter.id, Counter.number)).all())
    recent_rows = session.exec(
        # Calls of this business day only (an earlier day's customer still waiting is called today): a number
        # served before midnight may be given again after it, and must not stand twice on the screen.
        select(Ticket).where(Ticket.called_at >= dt.datetime.combine(day.day, dt.time()), day.tickets())
        .order_by(Ticket.called_at.desc(), Ticket.id.desc()).limit(recent)
    ).all()
    recent_calls = [RecentCall(t.number, numbers.get(t.counter_id, 0), t.called_at) for t in recent_rows]
    services = []
    for service in session.exec(select(Service).where(Service.active).order_by(Service.sort_order, Service.code)):
        waiting_rows = session.exec(
            select(Ticket.queue_at).where(Ticket.state == TicketState.WAITING, Ticket.service_id == service.id,
                                          day.tickets())
        ).all()
        oldest = min(waiting_rows) if waiting_rows else None
        opens_at = hall.opens_at if hall.state != "open" else None
        estimate = eta.estimate(session, service=service, ahead=len(waiting_rows), now=now, opens_at=opens_at)
        services.append(ServiceQueue(
            service.code, service.names, service.prefix, len(waiting_rows), estimate.minutes,
            int((now - oldest).total_seconds() // 60) if oldest else 0, service.target_wait_min,
        ))
    return Board(now, {"zh": branch.name_zh, "en": branch.name_en}, hall, counters, recent_calls, services,
                 store_revision(session))


@dataclass(frozen=True)
class TicketLine:
    ticket_id: int
    number: str
    service_code: str
    service_names: dict[str, str]
    state: str
    priority: int
    customer_ref: str | None
    issued_at: dt.datetime
    queue_at: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    recall_count: int
    target_wait_min: int
    target_service_min: int
    transferred: bool
    wait_from: dt.datetime | None = None  # where the live wait clock starts (hours.wait_clock_start)
    leg_wait_from: dt.datetime | None = None  # where this leg's wait starts: its issue (a transfer), not before opening
    # The service's own warning marks, in minutes (0: the branch's warning share of the target; timing.level_of).
    wait_warning_min: int = 0
    service_warning_min: int = 0

    def wait_seconds(self, now: dt.datetime) -> int:
        """Waited so far since the customer arrived: from the place in the queue (not before the hall
        opened) to the call, or to now while still waiting."""
        end = self.called_at or now
        return max(0, int((end - (self.wait_from or self.queue_at)).total_seconds()))

    def leg_wait_seconds(self, now: dt.datetime) -> int:
        """This leg's wait, judged against the target as the reports judge it (from the transfer for a
        transferred customer)."""
        end = self.called_at or now
        return max(0, int((end - (self.leg_wait_from or self.issued_at)).total_seconds()))

    def service_seconds(self, now: dt.datetime) -> int:
        return max(0, int((now - self.started_at).total_seconds())) if self.started_at else 0


@dataclass(frozen=True)
class Workspace:
    """Everything one counter's window shows."""

    now: dt.datetime
    counter_number: int
    state: str
    state_since: dt.datetime | None
    staff_id: int | None
    service_codes: tuple[str, ...]
    current: TicketLine | None
    parked: list[TicketLine]
    waiting: list[TicketLine]  # for this counter's services, in calling order
    all_services: list[tuple[str, dict[str, str]]]
    recalls_before_no_show: int
    revision: int = 0
    other_waiting: int = field(default=0)  # customers of services this counter does not serve


def _line(ticket: Ticket, service: Service, opens_at: dt.datetime | None = None) -> TicketLine:
    return TicketLine(
        ticket.id, ticket.number, service.code, service.names, str(ticket.state), ticket.priority,
        ticket.customer_ref, ticket.issued_at, ticket.queue_at, ticket.called_at, ticket.started_at,
        ticket.recall_count, service.target_wait_min, service.target_service_min,
        ticket.transferred_from_id is not None, hours.wait_clock_start(ticket.queue_at, opens_at),
        hours.wait_clock_start(ticket.issued_at, opens_at), service.wait_warning_min, service.service_warning_min,
    )


def workspace(session: Session, clock: Clock, *, counter_number: int) -> Workspace:
    now = clock.now()
    counter = lookup.counter_by_number(session, counter_number)
    services = {s.id: s for s in session.exec(select(Service))}
    mine = lookup.counter_service_ids(session, counter.id)
    current = lookup.current_ticket(session, counter.id)
    day = business_day(session, now)
    waiting_rows = session.exec(
        select(Ticket).where(Ticket.state == TicketState.WAITING, day.tickets())
        .order_by(*priority.calling_order(session, now, counter_id=counter.id))
    ).all()
    opened = openings(session, day)
    waiting = [_line(t, services[t.service_id], opened.get(t.business_date)) for t in waiting_rows
               if t.service_id in mine]
    return Workspace(
        now=now,
        counter_number=counter.number,
        state=_counter_state(counter, current, dt.datetime.min) if counter.state != CounterState.PAUSED else "paused",
        state_since=counter.state_since,
        staff_id=counter.staff_id,
        service_codes=tuple(sorted(services[i].code for i in mine)),
        current=_line(current, services[current.service_id]) if current else None,
        parked=[_line(t, services[t.service_id]) for t in lookup.parked_tickets(session, counter.id)],
        waiting=waiting,
        all_services=[(s.code, s.names) for s in sorted(services.values(), key=lambda s: (s.sort_order, s.code))
                      if s.active],
        recalls_before_no_show=branch_settings(session).recalls_before_no_show,
        revision=store_revision(session),
        other_waiting=len(waiting_rows) - len(waiting),
    )
