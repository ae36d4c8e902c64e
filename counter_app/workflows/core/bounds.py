"""Every value that comes in has a bound, checked here, one function per kind of value: a text's length and
characters, a whole number's range, an amount of money, a plausible date. A value past its bound is refused
with a message in the user's language naming the field; nothing is half-saved (the refusal ends the
transaction). The limits are the branch's paper and screen: what fits a form, a ticket, a cell.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models.limits import BRANCH_LIMITS, COUNTER_LIMITS, SERVICE_LIMITS

CODE = 10  # a service's code
MAX_COUNTER = 999
NAME = 40  # a person's name on a form
PRODUCT = 60  # a product or plan
ITEM = 80  # an item's description
ID_NUMBER = 18  # a resident ID card number
NOTE = 500  # a reason, a note, an explanation
MAX_AMOUNT = Decimal("1000000.00")  # yuan per item: past a million, a typing slip
MAX_QUANTITY = 999
MAX_TERM_MONTHS = 120
PAST_DAYS = 366  # a business takes effect at most a year back...
AHEAD_DAYS = 366 * 2  # ...and at most two years ahead


def text(value: Any, *, field: str, limit: int, required: bool = False) -> str:
    """A text stripped of surrounding space, at most `limit` characters, with no broken characters."""
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise AppError(N_("Fill in {field}."), field=field)
    if len(cleaned) > limit:
        raise AppError(N_("{field} is too long: at most {limit} characters."), field=field, limit=limit)
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AppError(N_("{field} holds a character that cannot be stored."), field=field) from exc
    return cleaned


def whole(value: Any, *, field: str, low: int, high: int) -> int:
    """A whole number from `low` to `high` (a bool is not a number here)."""
    if isinstance(value, bool):
        raise AppError(N_("{field} must be a whole number from {low} to {high}."), field=field, low=low, high=high)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise AppError(N_("{field} must be a whole number from {low} to {high}."), field=field, low=low,
                       high=high) from None
    if not low <= number <= high:
        raise AppError(N_("{field} must be a whole number from {low} to {high}."), field=field, low=low, high=high)
    return number


def setting(table: str, column: str, value: Any, *, field: str) -> int | float:
    """A target or a branch rule within its range (models/limits.py, which the store enforces as well)."""
    low, high = {"service": SERVICE_LIMITS, "counter": COUNTER_LIMITS}.get(table, BRANCH_LIMITS)[column]
    whole_only = isinstance(low, int) and isinstance(high, int)
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not low <= number <= high or (whole_only and not number.is_integer()):
        raise AppError(N_("{field} must be a number from {low} to {high}."), field=field, low=low, high=high)
    return int(number) if whole_only else number


def amount(value: Any, *, field: str) -> Decimal:
    """Yuan with at most two decimals, from 0 to MAX_AMOUNT."""
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number > MAX_AMOUNT \
            or number != number.quantize(Decimal("0.01")):
        raise AppError(N_("The amount of \"{item}\" must be a number of yuan from 0 to {limit}, with at most two "
                          "decimals, e.g. 1200.00."), item=field, limit=f"{MAX_AMOUNT:,.2f}")
    return number.quantize(Decimal("0.01"))


def plausible_date(value: Any, *, field: str, today: dt.date, past_days: int = PAST_DAYS,
                   ahead_days: int = AHEAD_DAYS) -> dt.date:
    """A date within a year or so of today: decades in the past or the year 9999 are slips, not business."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise AppError(N_("Give {field} as a date."), field=field)
    first, last = today - dt.timedelta(days=past_days), today + dt.timedelta(days=ahead_days)
    if not first <= value <= last:
        raise AppError(N_("{field} must be between {first} and {last}."), field=field, first=first.isoformat(),
                       last=last.isoformat())
    return value
