"""When a counter counts as silent: its window said it was alive once, and not for the branch's
`counter_silent_seconds`. The estimates, the display and the duty manager all use this one rule."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session

from counter_app.models import Counter, CounterState
from counter_app.workflows.queue.hours import branch_settings


def silent_since(session: Session, now: dt.datetime) -> dt.datetime:
    """A counter whose window has not spoken since this moment is silent."""
    return now - dt.timedelta(seconds=branch_settings(session).counter_silent_seconds)


def is_silent(counter: Counter, cutoff: dt.datetime) -> bool:
    """Its window said it was alive once, and not since the cutoff (a counter driven by a script never is)."""
    return counter.heartbeat_at is not None and counter.state != CounterState.CLOSED and counter.heartbeat_at < cutoff


def answering(cutoff: dt.datetime | sa.BindParameter) -> sa.ColumnElement[bool]:
    """SQL: the counter is not silent (see `is_silent`); `cutoff` a moment, or a parameter given later."""
    return sa.or_(Counter.heartbeat_at.is_(None), Counter.heartbeat_at >= cutoff)
