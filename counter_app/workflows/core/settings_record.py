"""Recording the branch's settings in the event log: who may do what (staff roles and credentials), the
targets every wait is judged by, the branch's rules, its hours and holidays.

Every workflow that writes one of these rows calls `record` in the same transaction: a
`settings_recorded` event carries a hash of each row's granting fields (audit.COVERED_SETTINGS), and
`audit verify` names each row that differs from its newest record. A store made before settings were
recorded gets its first record at its first start (`record_first`), once; after that a row that
appears without a record is named too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, select

from counter_app.models import Event
from counter_app.models.db import touch_calendar
from counter_app.workflows.core import audit, events


def _table_of(row) -> str:
    for table, (model, _fields) in audit.COVERED_SETTINGS.items():
        if isinstance(row, model):
            return table
    raise TypeError(f"{type(row).__name__} is not a covered setting")


def record(session: Session, *, at: dt.datetime, rows: Iterable, why: str, staff_id: int | None = None,
           deleted: Iterable = ()) -> Event:
    """Record these settings rows as they now stand (and these as deleted), in one chained event."""
    session.flush()  # ids and defaults as the store holds them
    touch_calendar(session)  # hours read earlier, here or kept between transactions, are no longer the hours
    entries: dict[str, str | None] = {}
    values: dict[str, dict | None] = {}
    for row in rows:
        table = _table_of(row)
        key = audit.settings_key(table, row)
        entries[key] = audit.settings_hash(table, row)
        values[key] = audit.settings_values(table, row)  # the history shows old and new (admin/edits.py)
    for row in deleted:
        key = audit.settings_key(_table_of(row), row)
        entries[key], values[key] = None, None
    return events.record(session, at=at, kind=audit.SETTINGS_RECORDED, staff_id=staff_id, why=why, rows=entries,
                         values=values)


def all_rows(session: Session) -> list:
    return [row for model, _fields in audit.COVERED_SETTINGS.values()
            for row in session.exec(select(model).order_by(model.id))]


def record_first(session: Session, *, at: dt.datetime) -> bool:
    """A store whose settings were never recorded records them all, as they stand; returns whether it did."""
    if session.exec(select(Event.id).where(Event.kind == audit.SETTINGS_RECORDED).limit(1)).first() is not None:
        return False
    record(session, at=at, rows=all_rows(session), why="first_record")
    return True
