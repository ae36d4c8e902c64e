"""Tables for what the branch hands to customers: the business accepted at the counter and every issued document."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class OrderStatus(StrEnum):
    DRAFT = "draft"  # being entered by the clerk
    CONFIRMED = "confirmed"  # the acceptance form was shown and printed for signature
    SIGNED = "signed"  # the customer signed the printed form
    CANCELLED = "cancelled"


class DocumentKind(StrEnum):
    TICKET = "ticket"
    RECEIPT = "receipt"  # 80 mm
    RECEIPT_A4 = "receipt_a4"
    ACCEPTANCE = "acceptance"
    APOLOGY = "apology"


class PrintStatus(StrEnum):
    PENDING = "pending"
    PRINTED = "printed"
    FAILED = "failed"  # the printer refused: the document is archived and can be reprinted
    DECLINED = "declined"  # offered to the customer, who did not want it
    SAVED = "saved"  # written to a PDF file instead of a printer


class ServiceOrder(SQLModel, table=True):
    """The business done at the counter (业务受理): what the acceptance form and the receipt describe."""

    __tablename__ = "service_order"
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=30, unique=True, index=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    service_id: int = Field(foreign_key="service.id")
    staff_id: int = Field(foreign_key="staff.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    created_at: NaiveDatetime
    transaction: str = Field(max_length=20)  # renewal / plan_change / new_line / bill_payment / other
    product: str
    term_months: int | None = None
    effective_from: dt.date
    effective_to: dt.date | None = None
    items: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))  # JSON
    payment_method: str = Field(default="none", max_length=20)
    customer_name: str = ""
    customer_phone: str = ""
    customer_id_number: str = ""
    customer_account: str = ""
    language: str = Field(default="zh_CN", max_length=10)  # the customer's language for the documents
    status: str = Field(default=OrderStatus.DRAFT, max_length=12)
    signed_at: NaiveDatetime | None = None


class IssuedDocument(SQLModel, table=True):
    """The archive: every PDF handed out, with its hash, who made it, when, and for which visit."""

    __tablename__ = "issued_document"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12, index=True)
    reference: str = Field(max_length=40, index=True)  # the document's own reference, printed on it
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    service_order_id: int | None = Field(default=None, foreign_key="service_order.id")
    path: str  # relative to the data directory's documents folder
    sha256: str = Field(max_length=64)
    size: int
    language: str = Field(max_length=10)
    created_at: NaiveDatetime = Field(index=True)
    created_by: int | None = Field(default=None, foreign_key="staff.id")  # None: the kiosk
    reprint_of: int | None = Field(default=None, foreign_key="issued_document.id")
    print_status: str = Field(default=PrintStatus.PENDING, max_length=10)
    printed_at: NaiveDatetime | None = None
    printer: str = ""
    note: str = ""
