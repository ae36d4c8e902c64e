"""Issuing, archiving, reprinting and finding the documents handed to customers (F7, F8).

Every issued document is a PDF in the archive (`paths.documents_dir()/YYYY/MM/DD/<kind>-<reference>.pdf`)
and a row in `issued_document` with its sha256, who made it, when, and for which visit, customer and
order. The record the PDF was rendered from is kept beside it (`.json`), so that a reprint renders
the same facts with the reprint mark (`…-R1.pdf`). The files are written before the row and removed
again when the transaction does not commit: the archive never holds a file without its row, and a
row never points at nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import event, func, or_
from sqlmodel import Session, select

from counter_app import paths
from counter_app.clock import Clock
from counter_app.documents import render_acceptance_form, render_apology, render_receipt, render_ticket
from counter_app.documents.receipt import A4_PAGE, ROLL
from counter_app.errors import AppError
from counter_app.i18n import LANGUAGES, N_
from counter_app.models import (
    DocumentKind,
    IssuedDocument,
    PrintStatus,
    ServiceOrder,
    Staff,
    Ticket,
)
from counter_app.models.documents import OrderStatus
from counter_app.workflows import document_data, events, lookup, orders
from counter_app.workflows.orders import next_reference, serialise_numbering
from counter_app.workflows.queue import Change
from counter_app.workflows.timing import Level, level_of

K = DocumentKind
RENDER: dict[str, Callable[[document_data.Record, str], bytes]] = {
    K.TICKET: lambda data, language: render_ticket(data, language=language),
    K.RECEIPT: lambda data, language: render_receipt(data, language=language, paper=ROLL),
    K.RECEIPT_A4: lambda data, language: render_receipt(data, language=language, paper=A4_PAGE),
    K.ACCEPTANCE: lambda data, language: render_acceptance_form(data, language=language),
    K.APOLOGY: lambda data, language: render_apology(data, language=language),
}
PREFIX = {K.RECEIPT: "RCP", K.RECEIPT_A4: "RCP", K.ACCEPTANCE: "ACC", K.APOLOGY: "APO"}
KIND_TEXT = {
    K.TICKET: N_("Queue ticket"),
    K.RECEIPT: N_("Receipt"),
    K.RECEIPT_A4: N_("Receipt (A4)"),
    K.ACCEPTANCE: N_("Acceptance form"),
    K.APOLOGY: N_("Apology and explanation"),
}
PRINT_STATUS_TEXT = {
    PrintStatus.PENDING: N_("not printed yet"),
    PrintStatus.PRINTED: N_("printed"),
    PrintStatus.FAILED: N_("printing failed"),
    PrintStatus.DECLINED: N_("declined by the customer"),
    PrintStatus.SAVED: N_("saved as PDF"),
}
PRINT_EVENT = {
    PrintStatus.PRINTED: "document_printed",
    PrintStatus.FAILED: "document_print_failed",
    PrintStatus.DECLINED: "document_declined",
    PrintStatus.SAVED: "document_saved",
}
SEARCH_LIMIT = 200


@dataclass(frozen=True)
class IssuedDoc:
    document_id: int
    kind: str
    reference: str
    path: Path  # absolute
    sha256: str
    reprint: bool
    print_status: str
    change: Change


@dataclass(frozen=True)
class DocLine:
    """One archived document as the counter and manager windows list it."""

    document_id: int
    kind: str
    reference: str
    path: str  # relative to paths.documents_dir(): see document_path()
    sha256: str
    size: int
    language: str
    reprint: bool
    reprint_of: int | None
    print_status: str
    printed_at: dt.datetime | None
    printer: str
    note: str
    created_at: dt.datetime
    created_by: str | None  # None: the kiosk
    ticket_id: int | None
    ticket_number: str | None
    customer_id: int | None
    order_reference: str | None


class DueReason(StrEnum):
    WAIT_BREACHED = "wait_breached"
    SERVICE_BREACHED = "service_breached"
    ESCALATED = "escalated"


REASON_TEXT = {
    DueReason.WAIT_BREACHED: N_("The wait was longer than its target."),
    DueReason.SERVICE_BREACHED: N_("The service took longer than its target."),
    DueReason.ESCALATED: N_("The clerk needed help: the case was escalated."),
}


@dataclass(frozen=True)
class ApologyDue:
    """Why the customer of a visit is owed an apology notice, and whether one was made already."""

    ticket_id: int
    number: str
    reasons: tuple[str, ...]
    wait_minutes: int | None
    service_minutes: int | None
    target_wait_minutes: int
    target_service_minutes: int
    document_id: int | None  # the apology notice already issued for the visit (printed or declined), if any


# -- the archive's files -----------------------------------------------------------------------


def document_path(doc_line: DocLine) -> Path:
    return paths.documents_dir() / doc_line.path


def _forget_files_unless_committed(session: Session) -> list[Path]:
    """The files written in this session's transaction; removed again if it ends without committing."""
    if "archive_files" not in session.info:
        session.info["archive_files"] = []

        def _committed(sess: Session) -> None:
            sess.info["archive_files"].clear()

        def _ended(sess: Session, transaction) -> None:
            if transaction.parent is None:
                for path in sess.info["archive_files"]:
                    path.unlink(missing_ok=True)
                sess.info["archive_files"].clear()

        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_transaction_end", _ended)
    return session.info["archive_files"]


def _write(session: Session, path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    written = _forget_files_unless_committed(session)
    written.append(path)
    try:
        partial.write_bytes(content)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _relative(now: dt.datetime, kind: str, reference: str, reprint: int = 0) -> str:
    suffix = f"-R{reprint}" if reprint else ""
    return f"{now:%Y/%m/%d}/{kind}-{reference}{suffix}.pdf"


def _archive(session: Session, now: dt.datetime, *, kind: str, reference: str, record: document_data.Record,
             language: str, staff_id: int | None, ticket: Ticket | None, customer_id: int | None,
             order: ServiceOrder | None, reprint_of: IssuedDocument | None = None,
             reprint_number: int = 0) -> IssuedDocument:
    pdf = RENDER[kind](record, language)
    relative = _relative(now, kind, reference, reprint_number)
    absolute = paths.documents_dir() / relative
    _write(session, absolute, pdf)
    if reprint_of is None:
        _write(session, absolute.with_suffix(".json"), document_data.dump(record).encode("utf-8"))
    doc = IssuedDocument(kind=kind, reference=reference, ticket_id=ticket.id if ticket else None,
                         customer_id=customer_id, service_order_id=order.id if order else None, path=relative,
                         sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), language=language, created_at=now,
                         created_by=staff_id, reprint_of=reprint_of.id if reprint_of else None)
    session.add(doc)
    session.flush()
    events.record(session, at=now, kind="document_reprinted" if reprint_of else "document_issued",
                  staff_id=staff_id, counter_id=order.counter_id if order else ticket.counter_id if ticket else None,
                  ticket_id=ticket.id if ticket else None, document=doc.id, document_kind=kind, reference=reference,
                  sha256=doc.sha256, order=order.reference if order else None,
                  reprint_of=reprint_of.id if reprint_of else None)
    return doc


def _issued(session: Session, doc: IssuedDocument, kind: str) -> IssuedDoc:
    ticket = session.get(Ticket, doc.ticket_id) if doc.ticket_id else None
    return IssuedDoc(doc.id, doc.kind, doc.reference, paths.documents_dir() / doc.path, doc.sha256,
                     doc.reprint_of is not None, doc.print_status,
                     Change(kind, doc.ticket_id, ticket.number if ticket else None))


def _refuse_second(session: Session, *, kind: str, reference: str | None = None, order_id: int | None = None,
                   ticket_ids: list[int] | None = None) -> None:
    """One original of a kind per visit or order: another copy is a reprint, marked as such."""
    query = select(IssuedDocument).where(IssuedDocument.kind == kind, IssuedDocument.reprint_of.is_(None))
    if reference is not None:
        query = query.where(IssuedDocument.reference == reference)
    if order_id is not None:
        query = query.where(IssuedDocument.service_order_id == order_id)
    if ticket_ids is not None:
        query = query.where(IssuedDocument.ticket_id.in_(ticket_ids))
    existing = session.exec(query).first()
    if existing is not None:
        raise AppError(N_("{document} {reference} was already issued: reprint it instead."),
                       document=KIND_TEXT[kind], reference=existing.reference)


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise AppError(N_("Unknown language for the documents: {language}."), language=str(language))
    return language


def _ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise AppError(N_("That ticket does not exist."))
    return ticket


# -- issuing -----------------------------------------------------------------------------------


def issue_ticket_document(session: Session, clock: Clock, *, ticket_id: int, language: str) -> IssuedDoc:
    """The kiosk's slip for a ticket just taken, in the customer's language."""
    now = clock.now()
    language = _language(language)
    ticket = _ticket(session, ticket_id)
    first = document_data.visit_legs(session, ticket)[0]
    record = document_data.queue_ticket(session, first, language)
    serialise_numbering(session)
    _refuse_second(session, kind=K.TICKET, reference=record.reference)
    doc = _archive(session, now, kind=K.TICKET, reference=record.reference, record=record, language=language,
                   staff_id=None, ticket=first, customer_id=first.customer_id, order=None)
    return _issued(session, doc, "document_issued")


def issue_receipt(session: Session, clock: Clock, *, order_id: int, staff_id: int, a4: bool = False) -> IssuedDoc:
    """The receipt of an order, on the roll or on A4, in the customer's language."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    order = orders.get_order(session, order_id)
    if order.status == OrderStatus.CANCELLED:
        raise AppError(N_("Order {reference} was cancelled: there is nothing to give a receipt for."),
                       reference=order.reference)
    kind = K.RECEIPT_A4 if a4 else K.RECEIPT
    serialise_numbering(session)
    _refuse_second(session, kind=kind, order_id=order.id)
    reference = next_reference(session, IssuedDocument.reference, PREFIX[kind], now.date())
    record = document_data.receipt(session, order, reference=reference, now=now)
    ticket = session.get(Ticket, order.ticket_id) if order.ticket_id else None
    doc = _archive(session, now, kind=kind, reference=reference, record=record, language=order.language,
                   staff_id=staff_id, ticket=ticket, customer_id=order.customer_id, order=order)
    return _issued(session, doc, "document_issued")


def issue_acceptance_form(session: Session, clock: Clock, *, order_id: int, staff_id: int) -> IssuedDoc:
    """The acceptance form (业务受理单) the customer reads on screen, then on paper, and signs (F7)."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    order = orders.get_order(session, order_id)
    serialise_numbering(session)
    _refuse_second(session, kind=K.ACCEPTANCE, order_id=order.id)
    order.status = orders.move(order, "confirm")
    session.add(order)
    reference = next_reference(session, IssuedDocument.reference, PREFIX[K.ACCEPTANCE], now.date())
    record = document_data.acceptance_form(session, order, reference=reference, now=now)
    ticket = session.get(Ticket, order.ticket_id) if order.ticket_id else None
    doc = _archive(session, now, kind=K.ACCEPTANCE, reference=reference, record=record, language=order.language,
                   staff_id=staff_id, ticket=ticket, customer_id=order.customer_id, order=order)
    return _issued(session, doc, "document_issued")


def issue_apology(session: Session, clock: Clock, *, ticket_id: int, staff_id: int, language: str) -> IssuedDoc:
    """The apology and explanation notice for a visit that broke its targets or was escalated (F8)."""
    now = clock.now()
    language = _language(language)
    issuer = lookup.staff_by_id(session, staff_id)
    ticket = _ticket(session, ticket_id)
    legs = document_data.visit_legs(session, ticket)
    serialise_numbering(session)
    _refuse_second(session, kind=K.APOLOGY, ticket_ids=[leg.id for leg in legs])
    reference = next_reference(session, IssuedDocument.reference, PREFIX[K.APOLOGY], now.date())
    record = document_data.apology(session, ticket, reference=reference, now=now, issuer=issuer, language=language)
    final = legs[-1]
    doc = _archive(session, now, kind=K.APOLOGY, reference=reference, record=record, language=language,
                   staff_id=staff_id, ticket=final, customer_id=next((leg.customer_id for leg in reversed(legs)
                                                                      if leg.customer_id), None), order=None)
    return _issued(session, doc, "document_issued")


def apology_due(session: Session, clock: Clock, *, ticket_id: int) -> ApologyDue | None:
    """Whether the counter should offer an apology notice: a target broken or an escalation (F8).

    Breached means what the alerts mean (timing.level_of): at or past the target.
    """
    now = clock.now()
    legs = document_data.visit_legs(session, _ticket(session, ticket_id))
    final = legs[-1]
    wanted, service = document_data.visit_services(session, legs)
    wait_end = final.called_at or final.finished_at or now
    wait_seconds = (wait_end - final.queue_at).total_seconds()
    service_seconds = ((final.finished_at or now) - final.started_at).total_seconds() if final.started_at else 0
    reasons = []
    if level_of(wait_seconds, wanted.target_wait_min, 1.0) == Level.BREACHED:
        reasons.append(DueReason.WAIT_BREACHED)
    if final.started_at and level_of(service_seconds, service.target_service_min, 1.0) == Level.BREACHED:
        reasons.append(DueReason.SERVICE_BREACHED)
    if document_data.escalated(session, legs):
        reasons.append(DueReason.ESCALATED)
    if not reasons:
        return None
    times = document_data.visit_times(legs, now)
    existing = session.exec(select(IssuedDocument.id).where(
        IssuedDocument.kind == K.APOLOGY, IssuedDocument.reprint_of.is_(None),
        IssuedDocument.ticket_id.in_([leg.id for leg in legs]))).first()
    return ApologyDue(final.id, final.number, tuple(reasons), times.wait_minutes, times.service_minutes,
                      wanted.target_wait_min, service.target_service_min, existing)


# -- reprints and print results ----------------------------------------------------------------


def _document(session: Session, document_id: int) -> IssuedDocument:
    doc = session.get(IssuedDocument, document_id)
    if doc is None:
        raise AppError(N_("That document is not in the archive."))
    return doc


def reprint(session: Session, clock: Clock, *, document_id: int, staff_id: int) -> IssuedDoc:
    """The same document again, marked REPRINT, archived as a new file linked to the original."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    original = _document(session, document_id)
    while original.reprint_of is not None:
        original = _document(session, original.reprint_of)
    source = paths.documents_dir() / original.path
    try:
        record = document_data.load(source.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise AppError(N_("The archived record of {reference} cannot be read, so it cannot be reprinted."),
                       reference=original.reference) from exc
    serialise_numbering(session)
    count = session.exec(select(func.count()).select_from(IssuedDocument)
                         .where(IssuedDocument.reprint_of == original.id)).one()
    ticket = session.get(Ticket, original.ticket_id) if original.ticket_id else None
    order = session.get(ServiceOrder, original.service_order_id) if original.service_order_id else None
    doc = _archive(session, now, kind=original.kind, reference=original.reference,
                   record=dataclasses.replace(record, reprint=True), language=original.language, staff_id=staff_id,
                   ticket=ticket, customer_id=original.customer_id, order=order, reprint_of=original,
                   reprint_number=count + 1)
    return _issued(session, doc, "document_reprinted")


def record_print(session: Session, clock: Clock, *, document_id: int, status: str, printer: str = "",
                 note: str = "", staff_id: int | None = None) -> Change:
    """What became of a document: printed, failed (it stays archived for a reprint), declined, saved."""
    now = clock.now()
    if staff_id is not None:
        lookup.staff_by_id(session, staff_id)
    if status not in PRINT_EVENT:
        raise AppError(N_("Record a print result: printed, failed, declined or saved."))
    doc = _document(session, document_id)
    doc.print_status = status
    doc.printer = printer.strip()
    doc.note = note.strip()
    if status in (PrintStatus.PRINTED, PrintStatus.SAVED):
        doc.printed_at = now
    session.add(doc)
    ticket = session.get(Ticket, doc.ticket_id) if doc.ticket_id else None
    if doc.kind == K.TICKET and ticket is not None and status in (PrintStatus.PRINTED, PrintStatus.FAILED):
        # The kiosk and the display show which customers hold no paper ticket.
        ticket.print_status = "printed" if status == PrintStatus.PRINTED else "failed"
        session.add(ticket)
    events.record(session, at=now, kind=PRINT_EVENT[status], staff_id=staff_id,
                  ticket_id=ticket.id if ticket else None, document=doc.id, document_kind=doc.kind,
                  reference=doc.reference, printer=doc.printer, note=doc.note)
    return Change(PRINT_EVENT[status], doc.ticket_id, ticket.number if ticket else None)


# -- finding -----------------------------------------------------------------------------------


def _lines(session: Session, query) -> list[DocLine]:
    names = {s.id: s.name for s in session.exec(select(Staff))}
    lines = []
    for doc, number, order_reference in session.exec(query.order_by(IssuedDocument.created_at.desc(),
                                                                    IssuedDocument.id.desc())):
        lines.append(DocLine(
            doc.id, doc.kind, doc.reference, doc.path, doc.sha256, doc.size, doc.language, doc.reprint_of is not None,
            doc.reprint_of, doc.print_status, doc.printed_at, doc.printer, doc.note, doc.created_at,
            names.get(doc.created_by) if doc.created_by else None, doc.ticket_id, number, doc.customer_id,
            order_reference,
        ))
    return lines


def _listing():
    return (select(IssuedDocument, Ticket.number, ServiceOrder.reference)
            .outerjoin(Ticket, Ticket.id == IssuedDocument.ticket_id)
            .outerjoin(ServiceOrder, ServiceOrder.id == IssuedDocument.service_order_id))


def search(session: Session, clock: Clock, *, reference: str) -> list[DocLine]:
    """Archived documents by their reference, a ticket number (A001) or an order reference; newest first."""
    term = "".join((reference or "").split()).upper()
    if not term:
        return []
    pattern = f"%{term}%"
    query = _listing().where(or_(
        func.upper(IssuedDocument.reference).like(pattern),
        func.upper(Ticket.number) == term,
        func.upper(ServiceOrder.reference).like(pattern),
    )).limit(SEARCH_LIMIT)
    return _lines(session, query)


def documents_of(session: Session, clock: Clock, *, ticket_id: int | None = None,
                 customer_id: int | None = None) -> list[DocLine]:
    """The documents of a visit (all its legs), of a customer, or of either when both are given; newest first."""
    if ticket_id is None and customer_id is None:
        raise AppError(N_("Choose a visit or a customer to list their documents."))
    conditions = []
    if ticket_id is not None:
        legs = document_data.visit_legs(session, _ticket(session, ticket_id))
        conditions.append(IssuedDocument.ticket_id.in_([leg.id for leg in legs]))
    if customer_id is not None:
        conditions.append(IssuedDocument.customer_id == customer_id)
    return _lines(session, _listing().where(or_(*conditions)))
