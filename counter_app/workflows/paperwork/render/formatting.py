"""Formatting of amounts, dates and times: the same on every document, in both languages.

ISO dates read the same in both languages.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from counter_app.i18n import normalise

CENT = Decimal("0.01")


def amount_text(amount: Decimal) -> str:
    """1200 -> '1,200.00'."""
    return f"{Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def money(amount: Decimal) -> str:
    """1200 -> '¥1,200.00'; a negative amount (a waiver) -> '-¥50.00'."""
    amount = Decimal(amount)
    return ("-" if amount < 0 else "") + "¥" + amount_text(abs(amount))


def fmt_date(value: dt.date) -> str:
    return value.strftime("%Y-%m-%d")


def fmt_time(value: dt.datetime | dt.time) -> str:
    return value.strftime("%H:%M")


def fmt_datetime(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def pdf_language(language: str) -> str:
    return "zh-CN" if normalise(language) == "zh_CN" else "en"
