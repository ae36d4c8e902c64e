"""Timing against targets: every wait and every service is ok, at its warning mark, or breached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, select

from counter_app.i18n import N_
from counter_app.models import Counter, Service, Ticket, TicketState
from counter_app.workflows.queue import visits
from counter_app.workflows.queue.hours import branch_settings, business_day, openings, wait_clock_start


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"


LEVEL_TEXT = {Level.OK: N_("on time"), Level.WARNING: N_("warning"), Level.BREACHED: N_("over target")}


def warning_seconds(target_min: float, warning_share: float, warning_min: float = 0) -> float:
    """Where the warning mark falls: the service's own mark when it sets one (revision 0015), else the
    branch's share of the target."""
    return warning_min * 60 if warning_min else target_min * 60 * warning_share


def level_of(seconds: float, target_min: float, warning_share: float, warning_min: float = 0) -> Level:
    """Breached past the target; warning from the service's `warning_min` (6 → at 6 of 10 minutes) or, when it
    sets none (0), from `warning_share` of the target (0.75 → at 7.5 of 10 minutes)."""
    if target_min <= 0:
        return Level.OK
    if seconds >= target_min * 60:
        return Level.BREACHED
    if seconds >= warning_seconds(target_min, warning_share, warning_min):
        return Level.WARNING
    return Level.OK


def seconds_until_warning(seconds: float, target_min: float, warning_share: float, warning_min: float = 0) -> float:
    return warning_seconds(target_min, warning_share, warning_min) - seconds


@dataclass(frozen=True)
class Timing:
    """One running clock: a customer's wait, or a service in progress.

    A wait is judged as the reports judge it (docs/reports.md): this leg's own wait against its service's
    target, so a transferred customer's wait at the new service runs from the transfer. The time since
    the customer took their first ticket is kept beside it, for a window that shows how long they have
    been in the hall.
    """

    ticket_id: int
    number: str
    service_id: int
    counter_id: int | None
    phase: str  # "wait" or "service"
    leg_seconds: int  # this leg's wait (from its issue, not before opening) or service: what `level` judges
    target_min: int
    level: Level
    since_arrival_seconds: int  # a wait since the first ticket (not before opening); a service: leg_seconds

    @property
    def seconds(self) -> int:
        """The judged seconds, under the name the windows and alerts read."""
        return self.leg_seconds


def since_arrival_seconds(ticket: Ticket, now: dt.datetime) -> int:
    """From the customer's place in the queue (their first ticket: a transfer keeps it) to the (last) call, or
    to now while waiting. For a transferred leg this is more than the leg's wait: the reports' wait is
    `visits.leg_times`."""
    end = ticket.called_at if ticket.state != TicketState.WAITING and ticket.called_at else now
    return max(0, int((end - ticket.queue_at).total_seconds()))


def service_seconds(ticket: Ticket, now: dt.datetime) -> int:
    if ticket.started_at is None:
        return 0
    end = ticket.finished_at or now
    return max(0, int((end - ticket.started_at).total_seconds()))


def live_timings(session: Session, now: dt.datetime) -> list[Timing]:
    """The clocks running now: waits of the queue's waiting tickets, services of served or parked ones.

    A ticket still waiting from a day no longer in the queue (the hall closed since, or the day was
    closed) is history: its customer went home, and its wait must not breach for ever.
    """
    share = branch_settings(session).warning_share
    day = business_day(session, now)
    opened = openings(session, day)
    services = {s.id: s for s in session.exec(select(Service))}
    # Two reads, each on an index (tests/models/test_query_plans.py): an OR would read the whole history, and
    # so would the state alone (nearly every ticket is done: SQLite's statistics make it useless); a ticket
    # being served or parked is at a counter, and the counter's index finds it.
    rows = [*session.exec(select(Ticket).where(Ticket.state == TicketState.WAITING, day.tickets())),
            *session.exec(select(Ticket).join(Counter, Counter.id == Ticket.counter_id)
                          .where(Ticket.state.in_([TicketState.SERVING, TicketState.PARKED])))]
    timings = []
    for ticket in rows:
        service = services[ticket.service_id]
        if ticket.state == TicketState.WAITING:
            # The leg waits from its issue (a transferred leg: the transfer); the customer, from the first ticket.
            seconds = max(0, int((now - wait_clock_start(ticket.issued_at, opened.get(ticket.business_date))).total_seconds()))
            arrived = max(0, int((now - wait_clock_start(ticket.queue_at, opened.get(ticket.business_date))).total_seconds()))
            target, warning, phase = service.target_wait_min, service.wait_warning_min, "wait"
        elif ticket.started_at is not None:
            seconds, phase = service_seconds(ticket, now), "service"
            target, warning = service.target_service_min, service.service_warning_min
            arrived = seconds
        else:
            continue
        timings.append(Timing(ticket.id, ticket.number, ticket.service_id, ticket.counter_id, phase, seconds,
                              target, level_of(seconds, target, share, warning), max(arrived, seconds)))
    return timings


def visit_breaches(ticket: Ticket, service: Service) -> dict[str, bool]:
    """Which targets one leg broke, as the reports judge a leg (visits.leg_times): its wait, from the leg's own
    issue to its last call, and its finished service."""
    leg = visits.leg_times(ticket)
    return {
        "wait": leg.wait_seconds is not None and leg.wait_seconds >= service.target_wait_min * 60,
        "service": leg.service_seconds is not None and leg.service_seconds >= service.target_service_min * 60,
    }
