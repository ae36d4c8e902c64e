"""Idle time in a replay: minutes a counter sat open and free while customers of its services waited,
as a pure function over the states seen after each event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CounterMoment:
    state: str  # closed / open / paused
    staffed: bool  # someone is logged in
    busy: bool  # a customer is called to it or being served


@dataclass(frozen=True)
class Moment:
    """The hall just after an event; nothing changes until the next one."""

    at: dt.datetime
    counters: Mapping[int, CounterMoment]
    waiting: frozenset[str]  # codes of the services someone waits for


def _overlap(start: dt.datetime, end: dt.datetime, window: tuple[dt.datetime, dt.datetime] | None) -> float:
    if window is None:
        return 0.0
    lo, hi = max(start, window[0]), min(end, window[1])
    return max(0.0, (hi - lo).total_seconds())


def idle_minutes(moments: Iterable[Moment], counter_services: Mapping[int, Iterable[str]],
                 hours: tuple[dt.datetime, dt.datetime] | None) -> dict[int, dict[str, float]]:
    """Per counter, minutes lost while customers of its services waited.

    idle: the counter was open with nobody at it. staffed_not_open: someone was logged in but the
    counter was closed or paused, during opening hours (the "we haven't started work yet" of the
    case study). Each moment lasts until the next one; the last lasts no time.
    """
    serves = {number: frozenset(codes) for number, codes in counter_services.items()}
    idle = dict.fromkeys(serves, 0.0)
    not_open = dict.fromkeys(serves, 0.0)
    ordered = sorted(moments, key=lambda m: m.at)
    for moment, following in zip(ordered, ordered[1:], strict=False):
        span = (following.at - moment.at).total_seconds()
        for number, seen in moment.counters.items():
            if not (serves.get(number, frozenset()) & moment.waiting):
                continue
            if seen.state == "open" and not seen.busy:
                idle[number] = idle.get(number, 0.0) + span
            elif seen.staffed and seen.state != "open" and not seen.busy:
                not_open[number] = not_open.get(number, 0.0) + _overlap(moment.at, following.at, hours)
    return {number: {"idle_minutes": round(idle[number] / 60, 1),
                     "staffed_not_open_minutes": round(not_open[number] / 60, 1)}
            for number in sorted(serves)}
