"""Tallies kept for past days, so that a report over a year does not re-read every ticket of the year.

A tally is a cache of what the reports compute from the tickets: it holds nothing the tickets do not,
it is written only for days that are over, and it is dropped when anything happens to a ticket of its
day (workflows/events.record) or when a service's targets differ from those it was counted with.
"""

from __future__ import annotations

import datetime as dt

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class ReportDay(SQLModel, table=True):
    """A past business day whose breaches are tallied (in breach_tally), and with which targets."""

    __tablename__ = "report_day"
    business_date: dt.date = Field(primary_key=True)
    targets: str = Field(max_length=2000)  # every service's targets when the day was counted (tallies.targets_key)
    tallied_at: NaiveDatetime


class BreachTally(SQLModel, table=True):
    """How many visits of a day, service (the visit's first) and cause broke a target."""

    __tablename__ = "breach_tally"
    business_date: dt.date = Field(primary_key=True, foreign_key="report_day.business_date")
    service_id: int = Field(primary_key=True, foreign_key="service.id")
    cause: str = Field(primary_key=True, default="", max_length=40)  # a BreachCause value, "" for none recorded
    visits: int
