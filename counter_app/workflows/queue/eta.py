"""Estimated waits: people ahead, recent service times, counters that serve the service.

The people ahead follow the calling rule (queue/priority.py): every waiting customer of the service in a
higher tier, or in the same tier and earlier in the queue; and, for a priority ticket, each customer of a
lower tier who has waited the branch's `priority_ageing_minutes` by the time this one is expected to be called
(from then on they are called like the top tier, and they came first). Customers who have not come yet are
never counted: a priority ticket taken later may still go first.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Integer, and_, bindparam, func, literal, or_
from sqlmodel import Session, select

from counter_app.models import (
    BranchSettings,
    Counter,
    CounterService,
    CounterState,
    Outcome,
    Service,
    Ticket,
    TicketState,
)
from counter_app.models.prepared import Prepared
from counter_app.workflows.queue.hours import branch_settings
from counter_app.workflows.queue.silence import answering, silent_since


@dataclass(frozen=True)
class Estimate:
    ahead: int
    minutes: int
    expected_call_at: dt.datetime


# The kiosk's statements, built once (compiled once, models/prepared.py). Parameters: the service, the estimate's
# sample, the silence cutoff, this place in the queue (tier, queue time, first day, its own ticket if issued).
_T = Ticket.__table__.c
_C = Counter.__table__.c
_P = {name: bindparam(name, type_=column.type) for name, column in (
    ("service", _T.service_id), ("priority", _T.priority), ("queue_at", _T.queue_at), ("since", _T.business_date),
    ("ticket", _T.id), ("cutoff", _C.heartbeat_at))}
_RECENT = Prepared(
    select(_T.started_at, _T.finished_at)
    .where(_T.service_id == _P["service"], _T.outcome == Outcome.SERVED, _T.started_at.is_not(None),
           _T.finished_at.is_not(None))
    .order_by(_T.finished_at.desc())
    .limit(bindparam("sample", type_=Integer)))
_COUNTERS = Prepared(
    select(and_(_C.state == CounterState.OPEN, answering(_P["cutoff"])),
           select(_T.id).where(_T.counter_id == _C.id,
                               _T.state.in_([literal(TicketState.CALLED.value), literal(TicketState.SERVING.value)]))
           .exists())
    .select_from(Counter.__table__.join(CounterService.__table__, CounterService.__table__.c.counter_id == _C.id))
    .where(CounterService.__table__.c.service_id == _P["service"]))
_WAITING_FROM = (_T.state == TicketState.WAITING, _T.service_id == _P["service"], _T.business_date >= _P["since"])
_SAME_TIER_BEFORE = and_(_T.priority == _P["priority"], _T.queue_at < _P["queue_at"])
_SAME_TIER_SAME_MOMENT = and_(_T.priority == _P["priority"], _T.queue_at == _P["queue_at"], _T.id < _P["ticket"])
_AHEAD = Prepared(select(func.count()).select_from(Ticket.__table__).where(
    *_WAITING_FROM, or_(_T.priority > _P["priority"], _SAME_TIER_BEFORE)))
_AHEAD_OF_TICKET = Prepared(select(func.count()).select_from(Ticket.__table__).where(
    *_WAITING_FROM, or_(_T.priority > _P["priority"], _SAME_TIER_BEFORE, _SAME_TIER_SAME_MOMENT)))
_AGEING = Prepared(select(_T.queue_at).where(*_WAITING_FROM, _T.priority < _P["priority"],
                                             _T.queue_at < _P["queue_at"]))
_AGEING_OF_TICKET = Prepared(select(_T.queue_at).where(
    *_WAITING_FROM, _T.priority < _P["priority"],
    or_(_T.queue_at < _P["queue_at"], and_(_T.queue_at == _P["queue_at"], _T.id < _P["ticket"]))))


def average_service_minutes(session: Session, service: Service, *, sample: int | None = None,
                            settings: BranchSettings | None = None) -> float:
    """Mean of the service's most recent timed services; the service's typical time before any. `settings`: the
    branch's, when the caller has read them already (here and below: one read per action)."""
    sample = sample or (settings or branch_settings(session)).eta_sample_size
    rows = _RECENT.rows(session, {"service": service.id, "sample": sample})
    if not rows:
        return float(service.typical_service_min)
    total = sum((finished - started).total_seconds() for started, finished in rows)
    return total / len(rows) / 60.0


@dataclass(frozen=True)
class Capacity:
    """The counters of one service at a moment: those that may serve it, the open ones whose window answers,
    and the open ones with nobody called to or served at them. A silent counter (its PC stopped answering,
    queue/presence.py) serves nobody, so it is not counted as open."""

    may: int
    open: int
    free: int

    @property
    def serving(self) -> int:
        """Counters the queue is shared among: the open ones, or, before any opens, all that may."""
        return self.open or max(1, self.may)


def capacity(session: Session, service_id: int, now: dt.datetime, *,
             settings: BranchSettings | None = None) -> Capacity:
    """One statement: each counter that may serve the service, whether it is open and answering, and whether
    it has somebody called or served (by the counter's own index)."""
    cutoff = (now - dt.timedelta(seconds=settings.counter_silent_seconds) if settings is not None
              else silent_since(session, now))  # silence.silent_since's rule, with the settings in hand
    rows = _COUNTERS.rows(session, {"service": service_id, "cutoff": cutoff})
    open_rows = [is_busy for is_open, is_busy in rows if is_open]
    return Capacity(len(rows), len(open_rows), open_rows.count(False))


def people_ahead(session: Session, *, service_id: int, priority: int, queue_at: dt.datetime,
                 ticket_id: int | None = None, since: dt.date | None = None) -> int:
    """Waiting tickets of the same service that will be called before this place in the queue.

    `since`: the first business day still in the queue (hours.business_day); by default the day of
    `queue_at` only."""
    params = {"service": service_id, "priority": priority, "queue_at": queue_at, "since": since or queue_at.date()}
    if ticket_id is None:
        return _AHEAD.scalar(session, params)
    return _AHEAD_OF_TICKET.scalar(session, {**params, "ticket": ticket_id})


def ageing_ahead(session: Session, *, service_id: int, priority: int, queue_at: dt.datetime,
                 ticket_id: int | None = None, since: dt.date | None = None,
                 settings: BranchSettings | None = None) -> list[dt.datetime]:
    """When each waiting customer of the same service in a lower tier, earlier in the queue than this place,
    is called like the top tier (queue/priority.py): they go before this customer if it is still waiting then.
    The moments may be past (they have aged already); none without ageing, or for the lowest tier."""
    ageing = (settings or branch_settings(session)).priority_ageing_minutes
    if not ageing or priority <= 0:
        return []
    params = {"service": service_id, "priority": priority, "queue_at": queue_at, "since": since or queue_at.date()}
    rows = [row.queue_at for row in (_AGEING if ticket_id is None else _AGEING_OF_TICKET).rows(
        session, params if ticket_id is None else {**params, "ticket": ticket_id})]
    return sorted(at + dt.timedelta(minutes=ageing) for at in rows)


def _minutes(ahead: int, per_customer: float, counters: Capacity, opens_at: dt.datetime | None) -> int:
    """Minutes of service before the customer with `ahead` people before them is called."""
    if opens_at is None and ahead < counters.free:
        return 0  # a free counter calls this customer next
    if opens_at is None and counters.open and not counters.free:
        # Every open counter is busy: on top of the queue ahead, the customer waits on average for half
        # of a service in progress ("no wait" would be a promise the hall cannot keep).
        return math.ceil((ahead + 0.5) * per_customer / counters.serving)
    return math.ceil(ahead * per_customer / counters.serving) if ahead else 0


def estimate(session: Session, *, service: Service, ahead: int, now: dt.datetime,
             opens_at: dt.datetime | None = None, ageing_at: Iterable[dt.datetime] = (),
             settings: BranchSettings | None = None) -> Estimate:
    """Minutes until this customer is likely called: the queue ahead shared among the counters.

    The one estimate every screen and paper shows: the kiosk's tile and the display show it for a ticket
    taken now (`ahead` = everyone waiting), the ticket prints it for its own place in the queue.

    `ageing_at` (`ageing_ahead`): when customers not counted in `ahead` step ahead of this one. Each who does
    so by the moment this customer is expected to be called is counted too, and makes that moment later,
    which may let more of them age in time: the count grows until it stands still. `Estimate.ahead` is the
    final count.
    """
    settings = settings or branch_settings(session)
    per_customer = average_service_minutes(session, service, settings=settings)
    counters = capacity(session, service.id, now, settings=settings)
    start = max(now, opens_at) if opens_at else now
    moments = sorted(ageing_at)
    while True:
        minutes = _minutes(ahead, per_customer, counters, opens_at)
        expected = start + dt.timedelta(minutes=minutes)
        stepped_ahead = bisect_right(moments, expected)  # aged at or before the expected call
        if not stepped_ahead:
            break
        moments = moments[stepped_ahead:]
        ahead += stepped_ahead
    return Estimate(ahead=ahead, minutes=minutes + max(0, math.ceil((start - now).total_seconds() / 60)),
                    expected_call_at=expected)
