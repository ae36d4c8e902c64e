"""The replay's vocabulary: every verb a scenario may use, and the fields each takes (docs/scenarios.md).

Only what the words are; reading and checking a file against them is workflows.scenario, doing them
is workflows.replay_verbs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from counter_app.i18n import LANGUAGES
from counter_app.models import FeedbackChannel, FeedbackReason
from counter_app.models.oversight import AlertKind, BreachCause, ExceptionKind, HelpRoute
from counter_app.models.planning import Department, OrderKind, Payment
from counter_app.workflows.paperwork.render.data import PaymentMethod
from counter_app.workflows.planning.review import REASONS as NO_REASONS
from counter_app.workflows.queue.priority import REASONS

# A ticket reference that looks like this is a ticket number (A001); anything else is a name given
# with "as" by an earlier take_ticket.
TICKET_NUMBER = re.compile(r"^[A-Z]{1,3}[0-9]{3,}$")


@dataclass(frozen=True)
class FieldSpec:
    kind: type  # int, str, bool, list (the items of an order, the lines of a sales order) or dict
    required: bool = True
    choices: tuple[str, ...] = ()  # a text that must be one of these
    # A text: "customer" an account or mobile number, "amount" yuan such as 120.00, "date" YYYY-MM-DD,
    # "phone" an 11-digit mobile number. A list: "items" the lines of an order, "lines" a sales order's. An object:
    # "quantities" product code → a whole number, "details" a review form's fields (each a text, number or flag).
    check: str = ""
    low: int = 1  # an int: a counter number unless `high` is given
    high: int | None = None


_COUNTER = FieldSpec(int)
_OPTIONAL_COUNTER = FieldSpec(int, required=False)
_TEXT = FieldSpec(str)
_OPTIONAL_TEXT = FieldSpec(str, required=False)
_OPTIONAL_FLAG = FieldSpec(bool, required=False)


def _choice(values, required: bool = True) -> FieldSpec:
    return FieldSpec(str, required=required, choices=tuple(str(v) for v in values))


_LANGUAGE = _choice(LANGUAGES, required=False)

VERBS: dict[str, dict[str, FieldSpec]] = {
    "login": {"counter": _COUNTER, "staff": _TEXT, "password": _OPTIONAL_TEXT},
    "logout": {"counter": _COUNTER},
    "open_counter": {"counter": _COUNTER},
    "pause_counter": {"counter": _COUNTER},
    "close_counter": {"counter": _COUNTER},
    "take_ticket": {"service": _TEXT, "customer": _OPTIONAL_TEXT, "as": _OPTIONAL_TEXT, "expect": _OPTIONAL_TEXT,
                    "language": _LANGUAGE, "priority": FieldSpec(int, required=False, low=0, high=9),
                    "vip": FieldSpec(str, required=False, check="customer")},
    "give_priority": {"counter": _COUNTER, "ticket": _TEXT, "reason": _choice(REASONS)},
    "call_next": {"counter": _COUNTER, "expect": _OPTIONAL_TEXT},
    "call_ticket": {"counter": _COUNTER, "ticket": _TEXT},
    "recall": {"counter": _COUNTER},
    "no_show": {"counter": _COUNTER},
    "start": {"counter": _COUNTER},
    "finish": {"counter": _COUNTER},
    "transfer": {"counter": _COUNTER, "service": _TEXT},
    "park": {"counter": _COUNTER},
    "resume": {"counter": _COUNTER, "ticket": _TEXT},
    "cancel": {"ticket": _TEXT, "staff": _TEXT},
    "snapshot": {},
    # Timing, help and approvals. For hand_up, resolve and cause, "note" is what the person writes.
    "told_customer": {"counter": _COUNTER},
    "open_customer": {"counter": _COUNTER, "customer": FieldSpec(str, check="customer")},
    "help": {"counter": _COUNTER, "route": _choice(HelpRoute), "reason": _OPTIONAL_TEXT},
    "accept": {"ticket": _TEXT, "counter": _OPTIONAL_COUNTER, "staff": _OPTIONAL_TEXT},
    "hand_up": {"staff": _TEXT, "ticket": _TEXT, "note": _OPTIONAL_TEXT},
    "resolve": {"staff": _TEXT, "ticket": _TEXT, "note": _TEXT, "explanation": _TEXT},
    "approve": {"manager": _TEXT, "password": _OPTIONAL_TEXT, "ticket": _TEXT, "kind": _choice(ExceptionKind),
                "reason": _TEXT, "explanation": _TEXT, "customer": FieldSpec(str, required=False, check="customer"),
                "remedy": _OPTIONAL_TEXT, "amount": FieldSpec(str, required=False, check="amount")},
    "cause": {"ticket": _TEXT, "cause": _choice(BreachCause), "note": _OPTIONAL_TEXT, "staff": _OPTIONAL_TEXT},
    "acknowledge": {"staff": _TEXT, "alert_kind": _choice(AlertKind), "counter": _OPTIONAL_COUNTER,
                    "ticket": _OPTIONAL_TEXT, "service": _OPTIONAL_TEXT, "order": _OPTIONAL_TEXT,
                    "department": _choice(Department, required=False)},
    # Documents: the business done at the counter and what the customer is handed.
    "order": {"counter": _COUNTER, "product": _TEXT, "term_months": FieldSpec(int, required=False, high=120),
              "effective_from": FieldSpec(str, check="date"), "items": FieldSpec(list, check="items"),
              "payment_method": _choice(PaymentMethod), "customer_name": _OPTIONAL_TEXT,
              "customer_phone": FieldSpec(str, required=False, check="phone"), "language": _LANGUAGE},
    "sign": {"counter": _OPTIONAL_COUNTER, "order": _OPTIONAL_TEXT},
    "receipt": {"counter": _OPTIONAL_COUNTER, "order": _OPTIONAL_TEXT, "a4": _OPTIONAL_FLAG},
    "apology": {"ticket": _TEXT, "staff": _OPTIONAL_TEXT, "decline": _OPTIONAL_FLAG, "language": _LANGUAGE},
    # Feedback: the customer's rating, a complaint told to staff.
    "feedback": {"ticket": _OPTIONAL_TEXT, "reference": _OPTIONAL_TEXT, "rating": FieldSpec(int, high=5),
                 "reason": _choice(FeedbackReason, required=False), "comment": _OPTIONAL_TEXT,
                 "channel": _choice(FeedbackChannel, required=False), "staff": _OPTIONAL_TEXT},
    "complaint": {"ticket": _TEXT, "staff": _TEXT, "cause": _choice(BreachCause), "comment": _TEXT},
    # The end of the day: a duty manager (or an administrator) closes it, as the end-of-day window does.
    "close_day": {"staff": _TEXT},
}

# The planning (PMC) desk (docs/scenarios.md, "The planning desk"): a sales order is named by its number, a
# product by its code, a department by its name; "staff" is who acts, by staff number (their role decides).
_DATE = FieldSpec(str, check="date")
_OPTIONAL_DATE = FieldSpec(str, required=False, check="date")
_LEAD = FieldSpec(int, low=0, high=365)
_EXPECT = {"expect_date": _OPTIONAL_DATE, "expect_state": _OPTIONAL_TEXT}  # checked after the event ran
PLANNING_VERBS: dict[str, dict[str, FieldSpec]] = {
    "product": {"staff": _TEXT, "code": _TEXT, "name_zh": _TEXT, "name_en": _OPTIONAL_TEXT, "lead_days": _LEAD,
                "stock": FieldSpec(int, required=False, low=0, high=1_000_000_000),
                "load_per_unit": FieldSpec(int, required=False, low=0, high=100_000)},
    "material": {"staff": _TEXT, "code": _TEXT, "name": _TEXT, "lead_days": _LEAD,
                 "stock": FieldSpec(int, required=False, low=0, high=1_000_000_000)},
    "capacity": {"staff": _TEXT, "units_per_day": FieldSpec(int, high=100_000_000)},
    "holiday": {"staff": _TEXT, "date": _DATE, "until": _OPTIONAL_DATE, "note": _OPTIONAL_TEXT},
    "factory_day": {"staff": _TEXT, "date": _DATE, "closed": FieldSpec(bool), "note": _OPTIONAL_TEXT},
    "enter_order": {"staff": _TEXT, "order": _TEXT, "customer": _TEXT, "kind": _choice(OrderKind),
                    "requested_date": _DATE, "lines": FieldSpec(list, check="lines"),
                    "payment": _choice(Payment, required=False), "sales_owner": _OPTIONAL_TEXT, **_EXPECT},
    "pay": {"staff": _TEXT, "order": _TEXT, "payment": _choice((Payment.DEPOSIT, Payment.PAID)), **_EXPECT},
    "answer_review": {"staff": _TEXT, "order": _TEXT, "department": _choice(Department),
                      "can_meet": FieldSpec(bool), "lead_days": _LEAD, "depends_on": _OPTIONAL_TEXT,
                      "reason": _choice(NO_REASONS, required=False), "notes": _OPTIONAL_TEXT,
                      "details": FieldSpec(dict, required=False, check="details"), **_EXPECT},
    "confirm_date": {"staff": _TEXT, "order": _TEXT, **_EXPECT},
    "override_date": {"staff": _TEXT, "order": _TEXT, "date": _DATE, "reason": _TEXT, **_EXPECT},
    "revise_date": {"staff": _TEXT, "order": _TEXT, "date": _DATE, "why": _TEXT, **_EXPECT},
    "request_change": {"staff": _TEXT, "order": _TEXT, "confirmation": _OPTIONAL_TEXT,
                       "quantities": FieldSpec(dict, required=False, check="quantities"),
                       "requested_date": _OPTIONAL_DATE, "specification": _OPTIONAL_TEXT,
                       "add_lines": FieldSpec(list, required=False, check="lines"), **_EXPECT},
    "acknowledge_change": {"staff": _TEXT, "order": _TEXT, "department": _choice(Department)},
    "rush": {"staff": _TEXT, "order": _TEXT, "reason": _TEXT, "accept": _OPTIONAL_FLAG,
             "expect_slips": FieldSpec(dict, required=False, check="quantities"), **_EXPECT},
    "ship": {"staff": _TEXT, "order": _TEXT, "product": _TEXT, "quantity": FieldSpec(int, high=1_000_000),
             "shipped_on": _OPTIONAL_DATE, "note": _OPTIONAL_TEXT},
}
VERBS.update(PLANNING_VERBS)
# The branch's known customers (docs/scenarios.md, "Customers"; done by replay/customer_verbs.py): "staff" is who
# records them (an administrator's import, a row at a time).
CUSTOMER_VERBS: dict[str, dict[str, FieldSpec]] = {
    "segment_rules": {"staff": _TEXT},
    "customer": {"staff": _TEXT, "account": FieldSpec(str, check="customer"), "name": _OPTIONAL_TEXT,
                 "phones": _OPTIONAL_TEXT, "id_number": _OPTIONAL_TEXT,
                 "monthly_spend": FieldSpec(int, required=False, low=0, high=10_000_000),
                 "customer_since": _OPTIONAL_DATE, "need": _OPTIONAL_TEXT, "language": _OPTIONAL_TEXT,
                 "consent_contact": _OPTIONAL_FLAG, "consent_marketing": _OPTIONAL_FLAG, "notes": _OPTIONAL_TEXT},
}
VERBS.update(CUSTOMER_VERBS)
# Fields of one line of a sales order.
LINE_FIELDS = {"product": _TEXT, "quantity": FieldSpec(int, high=1_000_000), "requested_date": _OPTIONAL_DATE}
# Fields of one item of an order.
ITEM_FIELDS = {"description": _TEXT, "amount": FieldSpec(str, check="amount"),
               "quantity": FieldSpec(int, required=False, high=999)}
# Exactly one of these two fields: who accepts a help request, which order, which visit is rated.
ONE_OF = {"accept": ("counter", "staff"), "sign": ("counter", "order"), "receipt": ("counter", "order"),
          "feedback": ("ticket", "reference")}
# Which alert: an idle counter is found by its counter, the queue length by nothing, the others by their ticket.
# An overdue order review by its sales order (and, if the order has several, its "department").
ALERT_TARGET = {AlertKind.IDLE_COUNTER: "counter", AlertKind.IDLE_BREACH: "counter", AlertKind.QUEUE_LENGTH: None,
                AlertKind.SERVICE_QUEUE_WARNING: "service", AlertKind.SERVICE_QUEUE_BREACH: "service",
                AlertKind.REVIEW_OVERDUE: "order"}
ALERT_TARGETS = ("counter", "ticket", "service", "order")
# "day" (YYYY-MM-DD): the event's day, for a scenario of several days; without it, the day of the event before.
COMMON_FIELDS = {"at", "day", "do", "note", "refused"}
TOP_LEVEL = {"title", "date", "start", "branch", "setup", "events", "description"}
BRANCH_FIELDS = {"opens", "closes", "pre_open_minutes", "recalls_before_no_show"}
