"""Small steps for workflow stories: one action per transaction, refusals, and what the store holds."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from counter_app.errors import AppError
from counter_app.models import Counter, Event, Ticket
from counter_app.workflows.queue import tickets


def act(store, clock, action, **kw):
    """Run one workflow action as its own transaction, as a window would."""
    with store.write() as session:
        return action(session, clock, **kw)


def refused(store, clock, action, **kw) -> str:
    """Run an action that must be refused; returns the message the user would read."""
    with pytest.raises(AppError) as refusal:
        act(store, clock, action, **kw)
    return refusal.value.text()


def issue(store, clock, code: str = "BB", **kw) -> tickets.IssuedTicket:
    return act(store, clock, tickets.issue_ticket, service_code=code, **kw)


def serve_next(store, clock, counter: int, staff_id: int, *, minutes: float = 1) -> str:
    """Call the next customer at a counter and serve them for some minutes; returns the number called."""
    called = act(store, clock, tickets.call_next, counter_number=counter, staff_id=staff_id)
    act(store, clock, tickets.start_service, counter_number=counter, staff_id=staff_id)
    clock.advance(minutes=minutes)
    act(store, clock, tickets.finish_service, counter_number=counter, staff_id=staff_id)
    return called.number


def ticket(store, ticket_id: int) -> Ticket:
    """A detached copy of a ticket row, readable after its session ended."""
    with store.read() as session:
        row = session.get(Ticket, ticket_id)
        session.expunge(row)
        return row


def counter(store, number: int) -> Counter:
    with store.read() as session:
        row = session.exec(select(Counter).where(Counter.number == number)).one()
        session.expunge(row)
        return row


def events(store, kind: str | None = None) -> list[Event]:
    with store.read() as session:
        query = select(Event).order_by(Event.id)
        if kind:
            query = query.where(Event.kind == kind)
        rows = list(session.exec(query))
        session.expunge_all()
        return rows


ATTEMPT_EVENTS = ("sign_in_failed", "staff_locked")  # a refused sign-in is recorded on purpose (core/auth.py)


def snapshot(store, *, without_attempts: bool = False) -> dict[str, list[tuple]]:
    """Every ticket, counter and event row as plain values, to compare before and after an action.

    `without_attempts`: leave out the records a wrong password leaves, so that "nothing else changed" can be
    asserted of a refusal that is on record by design."""
    with store.read() as session:
        found = {
            name: [tuple(row) for row in session.execute(sa.select(table.__table__).order_by(table.id))]
            for name, table in (("ticket", Ticket), ("counter", Counter), ("event", Event))
        }
    if without_attempts:
        kind = list(Event.__table__.columns.keys()).index("kind")
        found["event"] = [row for row in found["event"] if row[kind] not in ATTEMPT_EVENTS]
    return found
