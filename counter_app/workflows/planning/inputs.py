"""What the planning desk takes in, each value checked against its bound with a message naming the field.

The ranges are models/planning.py's (`PLANNING_LIMITS`, which the store enforces as CHECK constraints); the
checks are core/bounds.py's, so a refusal reads like every other in the app.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from counter_app.i18n import N_
from counter_app.models.planning import PLANNING_LIMITS, REQUESTED_AHEAD_DAYS
from counter_app.workflows.core import bounds

CODE = 20  # a product's or material's code
NUMBER = 30  # a sales order's number
CUSTOMER = bounds.ITEM  # a company's name
NAME = 60  # a product's or material's name
TEXT = bounds.NOTE  # a reason, a note, what an answer depends on


def limited(table: str, column: str, value: Any, *, field: str) -> int:
    """A whole number within the range the store allows for this column."""
    low, high = PLANNING_LIMITS[table][column]
    return bounds.whole(value, field=field, low=low, high=high)


def quantity(value: Any) -> int:
    return limited("sales_order_line", "quantity", value, field=N_("Quantity"))


def lead_days(value: Any, *, table: str = "order_review") -> int:
    return limited(table, "lead_days", value, field=N_("Lead time (working days)"))


def requested_date(value: Any, *, today: dt.date) -> dt.date:
    """Today or later, and at most two years ahead: a customer does not ask for yesterday."""
    return bounds.plausible_date(value, field=N_("Requested date"), today=today, past_days=0,
                                 ahead_days=REQUESTED_AHEAD_DAYS)


def text(value: Any, *, field: str, limit: int = TEXT, required: bool = False) -> str:
    return bounds.text(value, field=field, limit=limit, required=required)
