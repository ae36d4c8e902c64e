"""SQLModel tables and the store that opens them."""

from counter_app.models import (
    customers,  # noqa: F401  (registers the customer record's tables)
    planning,  # noqa: F401  (registers the planning desk's tables)
)
from counter_app.models.feedback import Feedback, FeedbackChannel, FeedbackReason
from counter_app.models.oversight import (
    Alert,
    AlertKind,
    BreachCause,
    Customer,
    Escalation,
    EscalationState,
    EscalationStep,
    ExceptionApproval,
    ExceptionKind,
    HelpRoute,
)
from counter_app.models.paperwork import DocumentKind, IssuedDocument, OrderStatus, PrintStatus, ServiceOrder
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
from counter_app.models.tallies import BreachTally, ReportDay

__all__ = [
    "BreachTally",
    "ReportDay",
    "DocumentKind",
    "IssuedDocument",
    "OrderStatus",
    "PrintStatus",
    "ServiceOrder",
    "Feedback",
    "FeedbackChannel",
    "FeedbackReason",
    "Alert",
    "AlertKind",
    "BreachCause",
    "Customer",
    "Escalation",
    "EscalationState",
    "EscalationStep",
    "ExceptionApproval",
    "ExceptionKind",
    "HelpRoute",
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
