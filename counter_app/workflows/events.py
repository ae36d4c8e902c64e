"""Appending to the event log: every state change, with who, where and when."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session

from counter_app.models import Event


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
    event = Event(
        at=at,
        kind=kind,
        staff_id=staff_id,
        counter_id=counter_id,
        ticket_id=ticket_id,
        service_id=service_id,
        data=json.dumps(data, ensure_ascii=False, default=str, sort_keys=True),
    )
    session.add(event)
    return event
