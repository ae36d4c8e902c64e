"""Appending to the event log: every state change, with who, where and when, hash-chained (see audit.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from counter_app.models import BreachTally, Event, ReportDay, Ticket
from counter_app.workflows.core.audit import GENESIS, event_digest

# Any constant: serialises appends on PostgreSQL so that two PCs cannot fork the chain.
_PG_CHAIN_LOCK = 7_301_174

_EVENT = Event.__table__
_TICKET = Ticket.__table__
_REPORT_DAY = ReportDay.__table__
_LOCK = sa.text(f"SELECT pg_advisory_xact_lock({_PG_CHAIN_LOCK})")
_INSERT = sa.insert(_EVENT)
# The chain's head and, in the same statement, whether a day this event's ticket belongs to was tallied
# (report_day is read under the chain's lock: see drop_tally_for_ticket). Built once: compiled once.
_TALLIED = (sa.select(sa.func.count()).select_from(_REPORT_DAY)
            .where(_REPORT_DAY.c.business_date.in_(sa.bindparam("days", expanding=True))).scalar_subquery())
_HEAD_HASH = sa.select(_EVENT.c.hash).order_by(_EVENT.c.id.desc()).limit(1).scalar_subquery()
# SQLite: writers take turns (BEGIN IMMEDIATE), so the next id is the head's + 1.
_SQLITE_LINK = sa.select(sa.select(_EVENT.c.id).order_by(_EVENT.c.id.desc()).limit(1).scalar_subquery(),
                         _HEAD_HASH, _TALLIED)
_SQLITE_HEAD = sa.select(sa.select(_EVENT.c.id).order_by(_EVENT.c.id.desc()).limit(1).scalar_subquery(),
                         _HEAD_HASH)
# PostgreSQL: the sequence, not max + 1: a row another program inserts without an id must not collide with ours.
_PG_LINK = sa.select(sa.text("nextval(pg_get_serial_sequence('event', 'id'))"), _HEAD_HASH, _TALLIED)
_PG_HEAD = sa.select(sa.text("nextval(pg_get_serial_sequence('event', 'id'))"), _HEAD_HASH)
_TICKET_DAYS = sa.select(_TICKET.c.business_date, _TICKET.c.origin_id).where(_TICKET.c.id == sa.bindparam("id"))
_ORIGIN_DAY = sa.select(_TICKET.c.business_date).where(_TICKET.c.id == sa.bindparam("id"))


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def hold_chain_lock(session: Session) -> None:
    """Until this transaction ends, no other PC appends to the log (PostgreSQL; SQLite writers are serial anyway).

    Whatever reads the store and writes what it read (a tally) holds it, so no event slips in between.
    """
    if _is_postgres(session):
        session.execute(_LOCK)


def ticket_days(session: Session, ticket_id: int, business_date: dt.date | None = None,
                origin_id: int | None = None) -> set[dt.date]:
    """The business days whose tallies an event about this ticket touches: its own, and its visit's first leg's.
    A caller that has the ticket's day and origin in hand passes them (no read)."""
    if business_date is None:
        row = session.execute(_TICKET_DAYS, {"id": ticket_id}).first()
        if row is None:
            return set()
        business_date, origin_id = row
    days = {business_date}
    if origin_id not in (None, ticket_id):
        origin = session.execute(_ORIGIN_DAY, {"id": origin_id}).scalar()
        if origin is not None:
            days.add(origin)
    return days


def record(
    session: Session,
    *,
    at: dt.datetime,
    kind: str,
    staff_id: int | None = None,
    counter_id: int | None = None,
    ticket_id: int | None = None,
    service_id: int | None = None,
    tally_days: Collection[dt.date] | None = None,
    **data: Any,
) -> Event:
    """Append one event, with its hash, in one INSERT. `tally_days`: the ticket's days (ticket_days), when the
    caller knows them; otherwise they are read.

    Everything that does not need the chain's head is done first; the head is read (on PostgreSQL under the
    chain's lock, which serialises every PC's appends until commit) just before the INSERT, so the rest of a
    transaction runs beside other PCs' (docs/decisions.md, "The counters' write path").
    """
    session.flush()  # what the transaction changed through the ORM is in the store before the row that names it
    event = Event(at=at, kind=kind, staff_id=staff_id, counter_id=counter_id, ticket_id=ticket_id,
                  service_id=service_id, data=json.dumps(data, ensure_ascii=False, default=str, sort_keys=True))
    if ticket_id is not None and tally_days is None:
        tally_days = ticket_days(session, ticket_id)
    days = sorted(tally_days) if ticket_id is not None else []
    postgres = _is_postgres(session)
    if postgres:
        session.execute(_LOCK)
    link = _PG_LINK if postgres else _SQLITE_LINK
    head = _PG_HEAD if postgres else _SQLITE_HEAD
    # the tally's look-up rides with the head's read, after the lock: a tally committed before is seen
    if days:
        next_id, prev_hash, tallied = session.execute(link, {"days": days}).one()
    else:
        next_id, prev_hash = session.execute(head).one()
        tallied = 0
    if not postgres:
        next_id = (next_id or 0) + 1
    prev_hash = prev_hash or GENESIS
    event.id, event.prev_hash = int(next_id), prev_hash
    event.hash = event_digest(event, prev_hash)
    session.execute(_INSERT, {"id": event.id, "at": at, "kind": kind, "staff_id": staff_id, "counter_id": counter_id,
                              "ticket_id": ticket_id, "service_id": service_id, "data": event.data,
                              "prev_hash": prev_hash, "hash": event.hash})
    if tallied:
        _drop_tallies(session, days)
    return event


def _drop_tallies(session: Session, days: Collection[dt.date]) -> None:
    tallied = list(session.execute(sa.select(_REPORT_DAY.c.business_date)
                                   .where(_REPORT_DAY.c.business_date.in_(list(days)))).scalars())
    if tallied:
        session.execute(sa.delete(BreachTally).where(BreachTally.business_date.in_(tallied)))
        session.execute(sa.delete(ReportDay).where(ReportDay.business_date.in_(tallied)))


def drop_tally_for_ticket(session: Session, ticket_id: int) -> None:
    """Something happened to this ticket: its day's breach tally (and its visit's first day's) no longer holds.

    The tallies are the reports' cache of past days (reports/tallies.py); dropping them in the same transaction
    as the event (events.record does, after the chain's lock), means no change to a ticket can leave a stale
    count behind. Nearly always the ticket's day is today's, not tallied yet: one look, and nothing to delete.
    """
    _drop_tallies(session, ticket_days(session, ticket_id))
