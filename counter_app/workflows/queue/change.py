"""What an action changed (every workflow returns one): enough for every open window to decide whether to redraw."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """What an action changed: enough for every open window to decide whether to redraw."""

    kind: str
    ticket_id: int | None = None
    number: str | None = None
    counter_number: int | None = None
    warning: str | None = None  # done, but the user should know something (an N_() msgid)
