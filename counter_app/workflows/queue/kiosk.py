"""The kiosk's action: a ticket for a service, numbered, placed in the queue and told its wait.

One user action, as in tickets.py: it takes the session and the clock, checks the rules, changes what it must,
appends to the event log and returns what the kiosk prints. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Service, Ticket, TicketState
from counter_app.models.prepared import Prepared
from counter_app.workflows.core import events, lookup
from counter_app.workflows.customers import segments
from counter_app.workflows.queue import eta
from counter_app.workflows.queue import priority as prio
from counter_app.workflows.queue.change import Change
from counter_app.workflows.queue.hours import (
    BusinessDay,
    HallState,
    branch_settings,
    business_day,
    hall_status,
)


@dataclass(frozen=True)
class IssuedTicket:
    ticket_id: int
    number: str
    service_code: str
    service_names: dict[str, str]
    issued_at: dt.datetime
    ahead: int
    wait_minutes: int
    expected_call_at: dt.datetime
    early: bool
    opens_at: dt.datetime | None
    change: Change
    vip: bool = False  # recognised at the kiosk: a higher tier than the service's, reason "vip"


def _fmt(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


# -- the kiosk ---------------------------------------------------------------------------------

# Any constant (events.py and orders.py use its neighbours); with a service's id it names the lock
# under which kiosks on PostgreSQL take that service's daily numbers in turn.
_PG_TICKET_NUMBER_LOCK = 7_301_176
NUMBERING_ATTEMPTS = 5


_TICKET = Ticket.__table__
_HIGHEST = Prepared(select(func.max(_TICKET.c.seq)).where(_TICKET.c.service_id == bindparam("service"),
                                                         _TICKET.c.business_date == bindparam("day")))
_LIVE_NUMBERS = Prepared(select(_TICKET.c.number).where(
    _TICKET.c.business_date >= bindparam("since"), _TICKET.c.business_date < bindparam("day"),
    _TICKET.c.state != TicketState.DONE))
# A new ticket: the columns a kiosk sets, the rest as the model's defaults (none: NULL); its id comes back.
_NEW_COLUMNS = ("number", "service_id", "business_date", "seq", "priority", "customer_ref", "customer_id", "state",
                "early", "issued_at", "queue_at", "recall_count", "breach_cause_note")
_NEW_TICKET = Prepared(insert(_TICKET).values({name: bindparam(name, type_=_TICKET.c[name].type)
                                               for name in _NEW_COLUMNS}).returning(_TICKET.c.id))
_OWN_ORIGIN = Prepared(update(_TICKET).where(_TICKET.c.id == bindparam("ticket")).values(origin_id=bindparam("ticket")))


def _numbered(session: Session, service: Service, day: BusinessDay, values: dict) -> tuple[int, str]:
    """Insert a ticket of `values` with the service's next free number of the business day: its id and number.

    A number still on an earlier day's ticket that is in the hall (waiting, at a counter, parked: a 24-hour
    hall at midnight) is skipped, so that one number is never shown for two customers at one time.

    SQLite writers already take turns (BEGIN IMMEDIATE). On PostgreSQL two kiosks issuing the same
    service at the same instant would both read the same highest number: a lock per service makes the
    second wait until the first commits, and then read past it. A writer that numbers without that lock
    (another program on the site's store) can still take our number between the read and the insert: the
    insert is then undone alone, in its savepoint, and the next number tried.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text(f"SELECT pg_advisory_xact_lock({_PG_TICKET_NUMBER_LOCK}, {int(service.id)})"))
    highest = {"service": service.id, "day": day.day}
    live = {row.number for row in _LIVE_NUMBERS.rows(session, {"since": day.queue_from, "day": day.day})} \
        if day.queue_from < day.day else set()
    attempt = 1
    while True:
        seq = (_HIGHEST.scalar(session, highest) or 0) + 1
        while f"{service.prefix}{seq:03d}" in live:
            seq += 1
        number = f"{service.prefix}{seq:03d}"
        try:
            with session.begin_nested():
                ticket_id = _NEW_TICKET.scalar(session, {**values, "number": number, "seq": seq})
                _OWN_ORIGIN.run(session, {"ticket": ticket_id})  # the first leg is its own origin
            return ticket_id, number
        except IntegrityError:
            # only a number taken meanwhile is worth another try; anything else is a real error
            if attempt == NUMBERING_ATTEMPTS or (_HIGHEST.scalar(session, highest) or 0) < seq:
                raise
            attempt += 1


def issue_ticket(session: Session, clock: Clock, *, service_code: str, customer_ref: str | None = None,
                 priority: int | None = None, priority_reason: str | None = None,
                 vip_ref: str | None = None) -> IssuedTicket:
    """Take a number for a service, if the hall issues tickets now. `priority_reason` (the kiosk's priority
    button, queue/priority.py): the ticket gets at least the first priority tier, and the reason is recorded.

    `vip_ref`: a VIP card (account) or mobile number the customer typed at the kiosk. Recognised here, in the
    ticket's own transaction (customers.segments.recognise), so that the kiosk cannot claim a tier: the ticket
    is linked to the customer and takes their segment's tier (reason "vip") when it is above the service's;
    a number that names nobody gives an ordinary ticket."""
    now = clock.now()
    service = lookup.service_by_code(session, service_code)
    # read once for the whole action: the hall's, the estimate's and the counters' looks at the settings
    settings = branch_settings(session)
    # the business day first: its check of the kept calendar and its oldest live day go in one statement
    day = business_day(session, now)
    status = hall_status(session, now)
    if status.state == HallState.CLOSED:
        if status.next_issue_at:
            raise AppError(N_("The hall is closed. Tickets are issued again from {when}."),
                           when=_fmt(status.next_issue_at))
        raise AppError(N_("The hall is closed."))
    tier = service.priority if priority is None else priority
    if priority_reason is not None:
        if priority_reason not in (*prio.REASONS, prio.KIOSK):
            raise AppError(N_("Choose why this customer is given priority."))
        tier = max(tier, prio.GIVEN_TIER)
    recognised = segments.recognise(session, vip_ref) if vip_ref else None
    customer_id = None
    if recognised is not None:
        customer, segment_tier, _segment = recognised
        customer_id, customer_ref = customer.id, customer.account_no or customer.phone
        if segment_tier > tier:
            tier, priority_reason = segment_tier, "vip"
    early = status.state == HallState.PRE_OPEN
    ticket_id, number = _numbered(session, service, day, {
        "service_id": service.id, "business_date": day.day, "priority": tier, "customer_ref": customer_ref or None,
        "customer_id": customer_id, "state": TicketState.WAITING, "early": early, "issued_at": now, "queue_at": now,
        "recall_count": 0, "breach_cause_note": ""})
    place = {"service_id": service.id, "priority": tier, "queue_at": now, "ticket_id": ticket_id,
             "since": day.queue_from}
    opens_at = status.opens_at if early else None
    # by the calling rule: those of a lower tier who age before this customer is reached go first too
    estimate = eta.estimate(session, service=service, ahead=eta.people_ahead(session, **place), now=now,
                            opens_at=opens_at, ageing_at=eta.ageing_ahead(session, **place, settings=settings),
                            settings=settings)
    ahead = estimate.ahead
    events.record(session, at=now, kind="ticket_issued", ticket_id=ticket_id, service_id=service.id,
                  tally_days={day.day}, number=number, ahead=ahead, wait_minutes=estimate.minutes,
                  early=early, last=True,
                  **({"priority_reason": priority_reason} if priority_reason else {}),
                  **({"customer": customer_id} if customer_id else {}))
    return IssuedTicket(
        ticket_id=ticket_id, number=number, service_code=service.code, service_names=service.names,
        issued_at=now, ahead=ahead, wait_minutes=estimate.minutes,
        expected_call_at=estimate.expected_call_at, early=early, opens_at=opens_at,
        change=Change("ticket_issued", ticket_id, number), vip=priority_reason == "vip",
    )
