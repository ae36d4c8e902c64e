"""The clock every workflow takes time from: the wall clock in production, a movable one in tests and replay."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Protocol


class Clock(Protocol):
    """Anything that can say what time it is, as a naive local datetime of the branch."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The PC's own clock, branch-local, to the second."""

    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)


class VirtualClock:
    """A clock that only moves when told: tests and the replay drive it."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self._lock:
            return self._now

    def set(self, when: dt.datetime) -> None:
        with self._lock:
            if when < self._now:
                raise ValueError(f"a virtual clock does not run backwards ({when} < {self._now})")
            self._now = when

    def advance(self, *, minutes: float = 0, seconds: float = 0) -> dt.datetime:
        with self._lock:
            self._now = self._now + dt.timedelta(minutes=minutes, seconds=seconds)
            return self._now
