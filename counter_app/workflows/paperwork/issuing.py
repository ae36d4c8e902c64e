"""Issuing and reprinting the documents handed to customers, recording how they were printed, and which
visits are still owed an apology notice (F7, F8).

Every issued document is a PDF in the archive and a row in `issued_document`; writing the files (with
their sha256, removed again when the transaction does not commit) and finding documents again are in
document_archive.py, whose public names are importable from here too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from counter_app import paths
from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import LANGUAGES, N_
from counter_app.models import (
    DocumentKind,
    IssuedDocument,
    Outcome,
    PrintStatus,
    ServiceOrder,
    Ticket,
    TicketState,
)
from counter_app.models.paperwork import OrderStatus
from counter_app.workflows.core import events, lookup
from counter_app.workflows.paperwork import archive, contents, service_orders
from counter_app.workflows.paperwork.archive import (  # noqa: F401 (re-exported: windows and tests use them from here)
    RENDER,
    SEARCH_LIMIT,
    DocLine,
    _archive,
    _ticket,
    document_path,
    documents_of,
    search,
)
from counter_app.workflows.paperwork.contents import whole_minutes
from counter_app.workflows.paperwork.service_orders import next_reference, serialise_numbering
from counter_app.workflows.queue import visits
from counter_app.workflows.queue.hours import business_day
from counter_app.workflows.queue.tickets import Change

K = DocumentKind
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
    wait_minutes: int | None  # a transferred visit's: of the queue that reached its own target, if one did
    service_minutes: int | None
    target_wait_minutes: int
    target_service_minutes: int
    document_id: int | None  # the apology notice already issued for the visit (printed or declined), if any


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


# -- issuing -----------------------------------------------------------------------------------


def issue_ticket_document(session: Session, clock: Clock, *, ticket_id: int, language: str) -> IssuedDoc:
    """The kiosk's slip for a ticket just taken, in the customer's language."""
    now = clock.now()
    language = _language(language)
    ticket = _ticket(session, ticket_id)
    first = contents.visit_legs(session, ticket)[0]
    record = contents.queue_ticket(session, first, language)
    serialise_numbering(session)
    _refuse_second(session, kind=K.TICKET, reference=record.reference)
    doc = _archive(session, now, kind=K.TICKET, reference=record.reference, record=record, language=language,
                   staff_id=None, ticket=first, customer_id=first.customer_id, order=None)
    return _issued(session, doc, "document_issued")


def issue_receipt(session: Session, clock: Clock, *, order_id: int, staff_id: int, a4: bool = False) -> IssuedDoc:
    """The receipt of an order, on the roll or on A4, in the customer's language."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    order = service_orders.get_order(session, order_id)
    if order.status == OrderStatus.CANCELLED:
        raise AppError(N_("Order {reference} was cancelled: there is nothing to give a receipt for."),
                       reference=order.reference)
    kind = K.RECEIPT_A4 if a4 else K.RECEIPT
    serialise_numbering(session)
    _refuse_second(session, kind=kind, order_id=order.id)
    reference = next_reference(session, IssuedDocument.reference, PREFIX[kind], now.date())
    record = contents.receipt(session, order, reference=reference, now=now)
    ticket = session.get(Ticket, order.ticket_id) if order.ticket_id else None
    doc = _archive(session, now, kind=kind, reference=reference, record=record, language=order.language,
                   staff_id=staff_id, ticket=ticket, customer_id=order.customer_id, order=order)
    return _issued(session, doc, "document_issued")


def issue_acceptance_form(session: Session, clock: Clock, *, order_id: int, staff_id: int) -> IssuedDoc:
    """The acceptance form (业务受理单) the customer reads on screen, then on paper, and signs (F7)."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    order = service_orders.get_order(session, order_id)
    serialise_numbering(session)
    _refuse_second(session, kind=K.ACCEPTANCE, order_id=order.id)
    order.status = service_orders.move(order, "confirm")
    session.add(order)
    reference = next_reference(session, IssuedDocument.reference, PREFIX[K.ACCEPTANCE], now.date())
    record = contents.acceptance_form(session, order, reference=reference, now=now)
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
    legs = contents.visit_legs(session, ticket)
    serialise_numbering(session)
    _refuse_second(session, kind=K.APOLOGY, ticket_ids=[leg.id for leg in legs])
    reference = next_reference(session, IssuedDocument.reference, PREFIX[K.APOLOGY], now.date())
    record = contents.apology(session, ticket, reference=reference, now=now, issuer=issuer, language=language)
    final = legs[-1]
    doc = _archive(session, now, kind=K.APOLOGY, reference=reference, record=record, language=language,
                   staff_id=staff_id, ticket=final, customer_id=next((leg.customer_id for leg in reversed(legs)
                                                                      if leg.customer_id), None), order=None)
    return _issued(session, doc, "document_issued")


def apology_due(session: Session, clock: Clock, *, ticket_id: int) -> ApologyDue | None:
    """Whether the counter should offer an apology notice: a target broken or an escalation (F8).

    Broken means what the reports mean (visits.measure, docs/reports.md "Definitions"): a leg's wait at or
    past its service's wait target, or a leg's service at or past its service target; a service still
    going on counts until now.
    """
    now = clock.now()
    legs = contents.visit_legs(session, _ticket(session, ticket_id))
    final = legs[-1]
    wanted, service = contents.visit_services(session, legs)
    measures = visits.measure(session, legs, now)
    reasons = []
    if measures.wait_broken:
        reasons.append(DueReason.WAIT_BREACHED)
    if measures.service_broken:
        reasons.append(DueReason.SERVICE_BREACHED)
    if contents.escalated(session, legs):
        reasons.append(DueReason.ESCALATED)
    if not reasons:
        return None
    times = contents.visit_times(legs, now)
    wait = (times.wait_minutes, wanted.target_wait_min)
    served = (times.service_minutes, service.target_service_min)
    if len(legs) > 1:  # a transfer: the counter is told the queue and the counter that ran over, with its own target
        waits, services = visits.targets(session)
        for leg in reversed(legs):  # the latest first: what the customer has just been through
            t = visits.leg_times(leg, now)
            if t.wait_seconds is not None and t.wait_seconds >= waits[leg.service_id]:
                wait = (whole_minutes(t.wait_seconds), waits[leg.service_id] // 60)
                break
        for leg in reversed(legs):
            t = visits.leg_times(leg, now)
            if t.service_seconds is not None and t.service_seconds >= services[leg.service_id]:
                served = (whole_minutes(t.service_seconds), services[leg.service_id] // 60)
                break
    existing = session.exec(select(IssuedDocument.id).where(
        IssuedDocument.kind == K.APOLOGY, IssuedDocument.reprint_of.is_(None),
        IssuedDocument.ticket_id.in_([leg.id for leg in legs]))).first()
    return ApologyDue(final.id, final.number, tuple(reasons), wait[0], served[0], wait[1], served[1], existing)


# A notice the customer took home, or saw and refused, needs offering no more; one not yet printed, or whose
# printing failed, does.
SETTLED = (PrintStatus.PRINTED, PrintStatus.SAVED, PrintStatus.DECLINED)
RECENT_VISITS = 20  # how far back the counter looks for visits still owed a notice


@dataclass(frozen=True)
class PendingNotice:
    """A finished visit whose customer is owed an apology notice that was neither printed nor declined."""

    ticket_id: int
    number: str
    language: str | None  # the language the customer's order was made out in, if there was one


def notice_settled(session: Session, ticket_ids: list[int]) -> bool:
    """Whether the visit's apology notice (or a reprint of it) was printed, saved or declined."""
    return session.exec(select(IssuedDocument.id).where(
        IssuedDocument.kind == K.APOLOGY, IssuedDocument.ticket_id.in_(ticket_ids),
        IssuedDocument.print_status.in_(SETTLED))).first() is not None


def order_language(session: Session, ticket_ids: list[int]) -> str | None:
    """The language of the visit's latest order that was not cancelled: the customer's own choice."""
    return session.exec(select(ServiceOrder.language).where(
        ServiceOrder.ticket_id.in_(ticket_ids), ServiceOrder.status != OrderStatus.CANCELLED,
    ).order_by(ServiceOrder.id.desc())).first()


def pending_notices(session: Session, clock: Clock, *, counter_number: int, staff_id: int) -> list[PendingNotice]:
    """This clerk's visits served here today that are owed a notice still to print or decline; newest first.

    Read from the store, not remembered by a window, so the offer outlives the next call and a restart.
    """
    counter = lookup.counter_by_number(session, counter_number)
    finished = session.exec(select(Ticket).where(
        Ticket.counter_id == counter.id, Ticket.staff_id == staff_id, Ticket.state == TicketState.DONE,
        Ticket.outcome == Outcome.SERVED, business_day(session, clock.now()).tickets(),
    ).order_by(Ticket.finished_at.desc()).limit(RECENT_VISITS)).all()
    pending = []
    for ticket in finished:
        legs = [leg.id for leg in contents.visit_legs(session, ticket)]
        if notice_settled(session, legs) or apology_due(session, clock, ticket_id=ticket.id) is None:
            continue
        pending.append(PendingNotice(ticket.id, ticket.number, order_language(session, legs)))
    return pending


# -- reprints and print results ----------------------------------------------------------------


def _document(session: Session, document_id: int) -> IssuedDocument:
    doc = session.get(IssuedDocument, document_id)
    if doc is None:
        raise AppError(N_("That document is not in the archive."))
    return doc


def document_kind(session: Session, _clock: Clock, *, document_id: int) -> str | None:
    """Which kind of document (a `DocumentKind`) an archived one is: it chooses the printer; None if not archived."""
    doc = session.get(IssuedDocument, document_id)
    return doc.kind if doc is not None else None


def reprint(session: Session, clock: Clock, *, document_id: int, staff_id: int) -> IssuedDoc:
    """The same document again, marked REPRINT, archived as a new file linked to the original."""
    now = clock.now()
    lookup.staff_by_id(session, staff_id)
    original = _document(session, document_id)
    while original.reprint_of is not None:
        original = _document(session, original.reprint_of)
    source = paths.documents_dir() / original.path
    try:
        record = archive.with_logo(contents.load(source.with_suffix(".json").read_text(encoding="utf-8")))
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
