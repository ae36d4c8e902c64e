"""SQLModel tables and the store that opens them."""

from counter_app.models.tables import (
    BranchSettings,
    Counter,
    CounterService,
    CounterState,
    Event,
    Holiday,
    OpeningHours,
    Outcome,
    Role,
    Service,
    Staff,
    Ticket,
    TicketState,
)

__all__ = [
    "BranchSettings",
    "Counter",
    "CounterService",
    "CounterState",
    "Event",
    "Holiday",
    "OpeningHours",
    "Outcome",
    "Role",
    "Service",
    "Staff",
    "Ticket",
    "TicketState",
]
