"""Appending to the event log: every state change, with who, where and when, hash-chained (see audit.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from counter_app.models import BreachTally, Event, ReportDay, Ticket
from counter_app.models.db import (
    CALENDAR_EVENTS,
    CHANGES_CHANNEL,
    NOTIFIED,
    WROTE,
    touch_calendar,
    with_commit,
)
from counter_app.models.prepared import Prepared
from counter_app.workflows.core.audit import GENESIS, chained_digest, digest_tail

# Any constant: serialises appends on PostgreSQL so that two PCs cannot fork the chain.
_PG_CHAIN_LOCK = 7_301_174

_EVENT = Event.__table__
_TICKET = Ticket.__table__
_REPORT_DAY = ReportDay.__table__
_LOCK = Prepared(sa.select(sa.func.pg_advisory_xact_lock(_PG_CHAIN_LOCK)))
_COLUMNS = ("id", "at", "kind", "staff_id", "counter_id", "ticket_id", "service_id", "data", "prev_hash", "hash")
_INSERT = Prepared(sa.insert(_EVENT).values({name: sa.bindparam(name, type_=_EVENT.c[name].type) for name in _COLUMNS}))
# The chain's head and, in the same statement, whether a day this event's ticket belongs to was tallied
# (report_day is read under the chain's lock: see drop_tally_for_ticket). Built once: compiled once. An event
# touches one day's tally, or two (a visit that ran past midnight): `days` is (day, day) or (day, first day).
_TALLIED = (sa.select(sa.func.count()).select_from(_REPORT_DAY)
            .where(_REPORT_DAY.c.business_date.in_([sa.bindparam("day_1", type_=_REPORT_DAY.c.business_date.type),
                                                    sa.bindparam("day_2", type_=_REPORT_DAY.c.business_date.type)]))
            .scalar_subquery())
_HEAD_HASH = sa.select(_EVENT.c.hash).order_by(_EVENT.c.id.desc()).limit(1).scalar_subquery()
# SQLite: writers take turns (BEGIN IMMEDIATE), so the next id is the head's + 1.
_HEAD_ID = sa.select(_EVENT.c.id).order_by(_EVENT.c.id.desc()).limit(1).scalar_subquery()
_SQLITE_LINK = Prepared(sa.select(_HEAD_ID, _HEAD_HASH, _TALLIED))
_SQLITE_HEAD = Prepared(sa.select(_HEAD_ID, _HEAD_HASH))
# PostgreSQL, under the chain's lock: the next id (the sequence, not max + 1: a row another program inserts without
# an id must not collide with ours), the head's hash, the row with its own hash computed by the server
# (audit.chained_digest: the previous hash, the id and the tail joined by chr(31)) and the tally's look-up, in one
# round trip. The lock itself goes with the change notification, before it (see record).
_TYPES = {name: _EVENT.c[name].type for name in _COLUMNS}
_DAY = _REPORT_DAY.c.business_date.type
_APPEND_SQL = (
    "INSERT INTO event (id, at, kind, staff_id, counter_id, ticket_id, service_id, data, prev_hash, hash) "
    "SELECT n.id, :at, :kind, :staff_id, :counter_id, :ticket_id, :service_id, :data, h.prev, "
    "encode(sha256(convert_to(h.prev || chr(31) || n.id::text || chr(31) || :tail, 'UTF8')), 'hex') "
    "FROM (SELECT nextval(pg_get_serial_sequence('event', 'id')) AS id) AS n, "
    "(SELECT coalesce((SELECT hash FROM event ORDER BY id DESC LIMIT 1), :genesis) AS prev) AS h")
_APPEND_BINDS = (*(sa.bindparam(name, type_=_TYPES[name]) for name in _COLUMNS[1:8]),
                 sa.bindparam("tail", type_=sa.Text()), sa.bindparam("genesis", type_=sa.String()))
_PG_APPEND = Prepared(sa.text(
    _APPEND_SQL + " RETURNING id, prev_hash, hash, "
    "(SELECT count(*) FROM report_day WHERE business_date IN (:day_1, :day_2)) AS tallied"
).bindparams(*_APPEND_BINDS, sa.bindparam("day_1", type_=_DAY), sa.bindparam("day_2", type_=_DAY))
 .columns(id=sa.BigInteger(), prev_hash=sa.String(), hash=sa.String(), tallied=sa.Integer()))
# The same, sent with the commit (record(last=True)): nothing is read back, and a tally of the ticket's days, if
# there is one, is dropped by the two statements after it (a day that was not tallied: two index probes).
_PG_APPEND_QUIETLY = Prepared(sa.text(_APPEND_SQL).bindparams(*_APPEND_BINDS))
_DAYS_TALLIED = "SELECT business_date FROM report_day WHERE business_date IN (:day_1, :day_2)"
_PG_DROP_BREACHES = Prepared(sa.text(f"DELETE FROM breach_tally WHERE business_date IN ({_DAYS_TALLIED})")
                             .bindparams(sa.bindparam("day_1", type_=_DAY), sa.bindparam("day_2", type_=_DAY)))
_PG_DROP_DAYS = Prepared(sa.text("DELETE FROM report_day WHERE business_date IN (:day_1, :day_2)")
                         .bindparams(sa.bindparam("day_1", type_=_DAY), sa.bindparam("day_2", type_=_DAY)))
# With the lock: whatever this transaction wrote is announced to the listening PCs at commit (models/db.py).
_PG_LOCK_AND_NOTIFY = Prepared(sa.select(
    sa.func.pg_advisory_xact_lock(_PG_CHAIN_LOCK),
    sa.func.pg_notify(CHANGES_CHANNEL, sa.text("extract(epoch FROM clock_timestamp())::text"))))
_TICKET_DAYS = Prepared(sa.select(_TICKET.c.business_date, _TICKET.c.origin_id)
                        .where(_TICKET.c.id == sa.bindparam("id")))
_ORIGIN_DAY = Prepared(sa.select(_TICKET.c.business_date).where(_TICKET.c.id == sa.bindparam("id")))


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def hold_chain_lock(session: Session) -> None:
    """Until this transaction ends, no other PC appends to the log (PostgreSQL; SQLite writers are serial anyway).

    Whatever reads the store and writes what it read (a tally) holds it, so no event slips in between.
    """
    if _is_postgres(session):
        _LOCK.rows(session)


def ticket_days(session: Session, ticket_id: int, business_date: dt.date | None = None,
                origin_id: int | None = None) -> set[dt.date]:
    """The business days whose tallies an event about this ticket touches: its own, and its visit's first leg's.
    A caller that has the ticket's day and origin in hand passes them (no read)."""
    if business_date is None:
        row = _TICKET_DAYS.first(session, {"id": ticket_id})
        if row is None:
            return set()
        business_date, origin_id = row
    days = {business_date}
    if origin_id not in (None, ticket_id):
        origin = _ORIGIN_DAY.scalar(session, {"id": origin_id})
        if origin is not None:
            days.add(origin)
    return days


@dataclass(frozen=True, slots=True)
class Recorded:
    """The event a `record` appended, as the chain holds it (id and hashes None: sent with the commit, `last`)."""

    id: int | None
    at: dt.datetime
    kind: str
    prev_hash: str | None
    hash: str | None


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
    last: bool = False,
    **data: Any,
) -> Recorded:
    """Append one event, with its hash, in one INSERT. `tally_days`: the ticket's days (ticket_days), when the
    caller knows them; otherwise they are read.

    Everything that does not need the chain's head is done first (the hash's tail: every field but the previous
    hash and the id). On SQLite, whose writers take turns for the whole transaction, the head is read and the row
    inserted. On PostgreSQL the chain's lock, which serialises every PC's appends until commit, is taken with the
    change notification, and then one statement reads the head, inserts the row with the hash the server computes
    and looks up the tally: two round trips under the lock before the commit (docs/decisions.md, "The counters'
    write path"). `last`: the caller sends nothing after this event but the commit (call-next, start, finish, a
    ticket's issue), and needs neither its id nor its hash: on PostgreSQL the lock, the row and the tally's drop
    then go with the COMMIT in one pipeline (models/db.py, `with_commit`), and the lock is held for the server's
    time alone.
    """
    session.flush()  # what the transaction changed through the ORM is in the store before the row that names it
    if kind in CALENDAR_EVENTS:
        touch_calendar(session)  # this process's kept calendar goes at commit (models/db.py)
    text = json.dumps(data, ensure_ascii=False, default=str, sort_keys=True)
    if ticket_id is not None and tally_days is None:
        tally_days = ticket_days(session, ticket_id)
    days = sorted(tally_days) if ticket_id is not None else []
    tail = digest_tail(at, kind, staff_id, counter_id, ticket_id, service_id, text)
    if _is_postgres(session):
        params = {"at": at, "kind": kind, "staff_id": staff_id, "counter_id": counter_id, "ticket_id": ticket_id,
                  "service_id": service_id, "data": text, "tail": tail, "genesis": GENESIS}
        # one change notification a transaction, however many events it records (each would wake every PC)
        lock = _LOCK if session.info.get(NOTIFIED) else _PG_LOCK_AND_NOTIFY
        session.info[WROTE] = session.info[NOTIFIED] = True
        if last and with_commit(session, lock, {}):
            with_commit(session, _PG_APPEND_QUIETLY, params)
            if days:
                for drop in (_PG_DROP_BREACHES, _PG_DROP_DAYS):
                    with_commit(session, drop, {"day_1": days[0], "day_2": days[-1]})
            return Recorded(None, at, kind, None, None)
        lock.rows(session)
        event_id, prev_hash, digest, tallied = _PG_APPEND.one(session, {
            "at": at, "kind": kind, "staff_id": staff_id, "counter_id": counter_id, "ticket_id": ticket_id,
            "service_id": service_id, "data": text, "tail": tail, "genesis": GENESIS,
            "day_1": days[0] if days else None, "day_2": days[-1] if days else None})
    else:
        # the tally's look-up rides with the head's read: a tally committed before is seen
        if days:
            head_id, prev_hash, tallied = _SQLITE_LINK.one(session, {"day_1": days[0], "day_2": days[-1]})
        else:
            (head_id, prev_hash), tallied = _SQLITE_HEAD.one(session), 0
        event_id, prev_hash = (head_id or 0) + 1, prev_hash or GENESIS
        digest = chained_digest(prev_hash, event_id, tail)
        _INSERT.run(session, {"id": event_id, "at": at, "kind": kind, "staff_id": staff_id, "counter_id": counter_id,
                              "ticket_id": ticket_id, "service_id": service_id, "data": text,
                              "prev_hash": prev_hash, "hash": digest})
    if tallied:
        _drop_tallies(session, days)
    return Recorded(int(event_id), at, kind, prev_hash, digest)


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
