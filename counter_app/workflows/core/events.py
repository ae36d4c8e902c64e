"""Appending to the event log: every state change, with who, where and when, hash-chained (see audit.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy import text
from sqlmodel import Session, select

from counter_app.models import BreachTally, Event, ReportDay, Ticket
from counter_app.workflows.core.audit import GENESIS, event_digest

# Any constant: serialises appends on PostgreSQL so that two PCs cannot fork the chain.
_PG_CHAIN_LOCK = 7_301_174


def hold_chain_lock(session: Session) -> None:
    """Until this transaction ends, no other PC appends to the log (PostgreSQL; SQLite writers are serial anyway).

    Whatever reads the store and writes what it read (a tally) holds it, so no event slips in between.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text(f"SELECT pg_advisory_xact_lock({_PG_CHAIN_LOCK})"))


def _next_link(session: Session) -> tuple[int, str]:
    """The new row's id and the hash it chains to, read under the chain's lock: the row goes in with its own
    hash in one INSERT (no second write to set it)."""
    hold_chain_lock(session)
    last = session.exec(select(Event.id, Event.hash).order_by(Event.id.desc()).limit(1)).first()
    if session.get_bind().dialect.name == "postgresql":
        # the sequence, not max + 1: a row another program inserts without an id must not collide with ours
        next_id = session.exec(text("SELECT nextval(pg_get_serial_sequence('event', 'id'))")).one()[0]
    else:
        next_id = (last[0] if last else 0) + 1  # SQLite writers take turns (BEGIN IMMEDIATE)
    return int(next_id), (last[1] if last else GENESIS)


def record(
    session: Session,
    *,
    at: dt.datetime,
    kind: str,
    staff_id: int | None = None,
    counter_id: int | None = None,
    ticket_id: int | None = None,
    service_id: int | None = None,
    **data: Any,
) -> Event:
    event_id, prev_hash = _next_link(session)
    event = Event(
        id=event_id,
        at=at,
        kind=kind,
        staff_id=staff_id,
        counter_id=counter_id,
        ticket_id=ticket_id,
        service_id=service_id,
        data=json.dumps(data, ensure_ascii=False, default=str, sort_keys=True),
        prev_hash=prev_hash,
    )
    event.hash = event_digest(event, prev_hash)
    session.add(event)
    session.flush()
    if ticket_id is not None:
        drop_tally_for_ticket(session, ticket_id)
    return event


def drop_tally_for_ticket(session: Session, ticket_id: int) -> None:
    """Something happened to this ticket: its day's breach tally (and its visit's first day's) no longer holds.

    The tallies are the reports' cache of past days (reports/tallies.py); dropping them here, in the
    same transaction as the event, means no change to a ticket can leave a stale count behind.
    """
    ticket = session.get(Ticket, ticket_id)  # the workflow has it in hand: no read
    if ticket is None:
        return
    days = {ticket.business_date}
    if ticket.origin_id not in (None, ticket.id):
        origin = session.get(Ticket, ticket.origin_id)
        if origin is not None:
            days.add(origin.business_date)
    # Nearly always the ticket's day is today's, not tallied yet: one look, and nothing to delete.
    tallied = session.exec(select(ReportDay.business_date).where(ReportDay.business_date.in_(days))).all()
    if tallied:
        session.exec(sa.delete(BreachTally).where(BreachTally.business_date.in_(tallied)))
        session.exec(sa.delete(ReportDay).where(ReportDay.business_date.in_(tallied)))
