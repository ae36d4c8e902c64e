"""A customer's visit: its legs in order, the reference it goes by, and its measures as the reports define them.

A transfer ends one leg and issues the next, with the same number and the first leg's id as `origin_id`;
the visit is named by its first leg. The measures follow docs/reports.md ("Definitions"): a leg waits
from its own issue (for a transferred leg, the transfer) to its last call, and a visit's wait and
service are its legs' added up; its total runs from the first issue to the last finish. A target is
judged per leg, "reached" being `>=` as the live timers count it. The reports, the notice, the receipt,
the cause question and the live timers all take these rules from here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, or_, select

from counter_app.models import Outcome, Service, Ticket, TicketState

# What the ticket's QR code and the feedback screen carry: business date and number, e.g. 20260302-A001.
_REFERENCE = re.compile(r"^(\d{8})-([A-Z]{1,3}\d{3,})$")
_NUMBER = re.compile(r"^[A-Z]{1,3}\d{3,}$")


# -- the legs and the name ---------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A customer's visit as ticket rows: its legs (one, or more after transfers) in order."""

    origin: Ticket  # the first leg, which names the visit
    legs: list[Ticket]

    @property
    def reference(self) -> str:
        return reference(self.origin)

    @property
    def ended(self) -> bool:
        return all(leg.state == TicketState.DONE for leg in self.legs)

    @property
    def serving_leg(self) -> Ticket:
        """The leg that names who served the customer: the last one started, else the last one called.

        The reports pick theirs the same way (report_queries._joined, inline for speed).
        """
        for leg in reversed(self.legs):
            if leg.started_at is not None:
                return leg
        for leg in reversed(self.legs):
            if leg.counter_id is not None:
                return leg
        return self.legs[-1]

    @property
    def cause(self) -> str | None:
        """The breach cause recorded on any leg (the last one named wins, as in the reports)."""
        causes = [leg.breach_cause for leg in self.legs if leg.breach_cause]
        return causes[-1] if causes else None


def legs_of(session: Session, ticket: Ticket) -> list[Ticket]:
    """Every leg of the visit this ticket (any of its legs) belongs to, first leg first."""
    origin = ticket.origin_id or ticket.id
    legs = session.exec(select(Ticket).where(or_(Ticket.origin_id == origin, Ticket.id == origin))
                        .order_by(Ticket.id)).all()
    return list(legs) or [ticket]


def visit_of(session: Session, ticket: Ticket) -> Visit:
    """The visit any of whose legs is `ticket`."""
    legs = legs_of(session, ticket)
    return Visit(legs[0], legs)


def reference(ticket: Ticket) -> str:
    """The visit's reference, printed on its ticket and in the QR code: unique across days, e.g. 20260302-A001.

    Any leg gives the first leg's: a transfer keeps the number and the business day.
    """
    return f"{ticket.business_date:%Y%m%d}-{ticket.number}"


def parse_reference(text: str, *, today: dt.date) -> tuple[dt.date, str] | None:
    """The business day and number a typed reference names: `20260302-A001`, or `A001` for today's.

    None when the text is neither (a document's reference, say, or a date that does not exist).
    """
    text = text.strip().upper()
    match = _REFERENCE.match(text)
    if match:
        try:
            return dt.datetime.strptime(match.group(1), "%Y%m%d").date(), match.group(2)
        except ValueError:
            return None
    if _NUMBER.match(text):
        return today, text
    return None


def first_leg_named(session: Session, day: dt.date, number: str) -> Ticket | None:
    """The first leg of the visit that took `number` on `day` (transferred legs carry no daily sequence)."""
    return session.exec(select(Ticket).where(
        Ticket.business_date == day, Ticket.number == number, Ticket.seq.is_not(None))).first()


# -- the measures ------------------------------------------------------------------------------


class Leg(Protocol):
    """What the measures read of a leg: a ticket row, a report's tuple turned into a record, or `LegTimes`."""

    service_id: int
    issued_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str | None
    wait_seconds: int | None  # issue to the last call; None while never called
    service_seconds: int | None  # start to finish; None while not started (or not finished)


@dataclass(frozen=True, slots=True)
class LegTimes:
    """A leg's seconds worked out from its moments, at a given moment for a service still going on."""

    service_id: int
    issued_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str | None
    wait_seconds: int | None
    service_seconds: int | None


def seconds(start: dt.datetime, end: dt.datetime) -> int:
    """Whole seconds from start to end, rounded half up as the database's generated columns round them."""
    return math.floor((end - start).total_seconds() + 0.5)


def leg_times(ticket: Ticket, now: dt.datetime | None = None) -> LegTimes:
    """A leg's wait and service from its moments, not from the generated columns (which are only fetched
    back when the row is written). With `now`, a service not yet finished counts until then, as a
    receipt or notice printed before Finish shows it; the reports count finished services only."""
    wait = seconds(ticket.issued_at, ticket.called_at) if ticket.called_at else None
    service = None
    if ticket.started_at is not None:
        end = ticket.finished_at or now
        service = seconds(ticket.started_at, end) if end is not None else None
    return LegTimes(ticket.service_id, ticket.issued_at, ticket.finished_at, ticket.outcome, wait, service)


@dataclass(frozen=True, slots=True)
class VisitMeasures:
    """A visit's seconds and targets, and which targets it broke (docs/reports.md "Definitions")."""

    wait_s: int | None  # the legs' waits added up; None while no leg was called
    service_s: int | None  # the legs' services added up
    total_s: int | None  # first issue to last finish, for a visit that ended served
    wait_target_s: int  # of the service the customer came for (the first leg's)
    service_target_s: int  # of the first leg's service, as the reports show it
    total_target_s: int  # every leg's wait and service targets added up
    wait_broken: bool  # some leg's wait reached that leg's service's wait target
    service_broken: bool  # some leg's service reached that leg's service's service target
    total_broken: bool
    ended: bool  # every leg has an outcome

    @property
    def broken(self) -> tuple[str, ...]:
        """The broken targets by name, in the reports' order: "wait", "service", "total"."""
        return tuple(name for name, hit in (("wait", self.wait_broken), ("service", self.service_broken),
                                            ("total", self.total_broken)) if hit)

    @property
    def breached(self) -> bool:
        return self.wait_broken or self.service_broken or self.total_broken


def visit_measures(legs: Sequence[Leg], wait_targets: Mapping[int, int],
                   service_targets: Mapping[int, int]) -> VisitMeasures:
    """Wait, service and total seconds of a visit from its legs (in order), and which targets broke.

    `wait_targets` and `service_targets` give each service's targets in seconds, by service id.
    """
    return VisitMeasures(*measured(legs, wait_targets, service_targets))


MeasuredTuple = tuple[int | None, int | None, int | None, int, int, int, bool, bool, bool, bool]


def measured(legs: Sequence[Leg], wait_targets: Mapping[int, int], service_targets: Mapping[int, int]) -> MeasuredTuple:
    """`visit_measures` as a plain tuple in VisitMeasures' field order: the year-long reports join thousands of
    transferred visits and take it apart at once (making the record would cost them a tenth more)."""
    wait_s = service_s = None
    wait_broken = service_broken = False
    ended = True
    total_target = 0
    for leg in legs:
        wait_target = wait_targets[leg.service_id]
        service_target = service_targets[leg.service_id]
        total_target += wait_target + service_target
        waited = leg.wait_seconds
        if waited is not None:
            wait_s = waited if wait_s is None else wait_s + waited
            if waited >= wait_target:
                wait_broken = True
        served = leg.service_seconds
        if served is not None:
            service_s = served if service_s is None else service_s + served
            if served >= service_target:
                service_broken = True
        if leg.outcome is None:
            ended = False
    first, last = legs[0], legs[-1]
    total_s = None
    if ended and last.outcome == Outcome.SERVED and last.finished_at is not None:
        total_s = seconds(first.issued_at, last.finished_at)
    return (wait_s, service_s, total_s, wait_targets[first.service_id], service_targets[first.service_id],
            total_target, wait_broken, service_broken, total_s is not None and total_s >= total_target, ended)


def targets(session: Session) -> tuple[dict[int, int], dict[int, int]]:
    """Every service's wait and service targets in seconds, by service id."""
    services = session.exec(select(Service)).all()
    return ({s.id: s.target_wait_min * 60 for s in services}, {s.id: s.target_service_min * 60 for s in services})


def measure(session: Session, legs: Sequence[Ticket], now: dt.datetime | None = None) -> VisitMeasures:
    """A visit's measures from its ticket rows (`legs_of`), judged by the targets the services have now.

    With `now`, a service still going on counts until then (see `leg_times`).
    """
    waits, services = targets(session)
    return visit_measures([leg_times(leg, now) for leg in legs], waits, services)

