"""Customer feedback and complaints, each linked to the visit, the staff member, the service and the cause."""

from __future__ import annotations

from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class FeedbackChannel(StrEnum):
    FEEDBACK_WINDOW = "feedback_window"  # the customer-facing screen or tablet at the counter
    NOTICE_REFERENCE = "notice_reference"  # the reference printed on the ticket or the apology notice
    CLERK_RECORDED = "clerk_recorded"  # told to a clerk or manager, who typed it in


class FeedbackReason(StrEnum):
    """Why the customer gave the rating: the short list the feedback window offers."""

    WAIT_TIME = "wait_time"
    SERVICE_TIME = "service_time"
    NOT_TOLD = "not_told"  # nobody explained what was happening
    NOT_RESOLVED = "not_resolved"
    STAFF_MANNER = "staff_manner"
    WELL_SERVED = "well_served"
    OTHER = "other"


class Feedback(SQLModel, table=True):
    """One rating or complaint about one visit (the visit is named by its first leg)."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_created", "created_at", "service_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)  # the visit's first leg (origin)
    reference: str = Field(default="", max_length=40)  # what the customer gave: ticket or notice reference
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)  # who served the visit
    service_id: int | None = Field(default=None, foreign_key="service.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    rating: int | None = None  # 1-5; None on a complaint recorded without a rating
    reason: str = Field(default="", max_length=20)  # a FeedbackReason, or empty
    comment: str = ""
    channel: str = Field(max_length=20)
    is_complaint: bool = False
    cause: str | None = Field(default=None, max_length=20)  # a BreachCause: what the complaint is about
    created_at: NaiveDatetime
    recorded_by: int | None = Field(default=None, foreign_key="staff.id")  # None: the customer themself
