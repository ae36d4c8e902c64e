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


def _last_hash(session: Session) -> str:
    hold_chain_lock(session)
    last = session.exec(select(Event.hash).order_by(Event.id.desc()).limit(1)).first()
    return last or GENESIS


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
    prev_hash = _last_hash(session)
    event = Event(
        at=at,
        kind=kind,
        staff_id=staff_id,
        counter_id=counter_id,
        ticket_id=ticket_id,
        service_id=service_id,
        data=json.dumps(data, ensure_ascii=False, default=str, sort_keys=True),
        prev_hash=prev_hash,
    )
    session.add(event)
    session.flush()
    event.hash = event_digest(event, prev_hash)
    session.add(event)
    if ticket_id is not None:
        drop_tally_for_ticket(session, ticket_id)
    return event


def drop_tally_for_ticket(session: Session, ticket_id: int) -> None:
    """Something happened to this ticket: its day's breach tally (and its visit's first day's) no longer holds.

    The tallies are the reports' cache of past days (reports/tallies.py); dropping them here, in the
    same transaction as the event, means no change to a ticket can leave a stale count behind.
    """
    origin = select(Ticket.origin_id).where(Ticket.id == ticket_id).scalar_subquery()
    days = select(Ticket.business_date).where(sa.or_(Ticket.id == ticket_id, Ticket.id == origin))
    session.exec(sa.delete(BreachTally).where(BreachTally.business_date.in_(days)))
    session.exec(sa.delete(ReportDay).where(ReportDay.business_date.in_(days)))
