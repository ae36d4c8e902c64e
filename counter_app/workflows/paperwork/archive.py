"""The document archive's files and rows: rendering, writing with sha256, and finding (F7, F8).

Every issued document is a PDF in the archive (`paths.documents_dir()/YYYY/MM/DD/<kind>-<reference>.pdf`)
and a row in `issued_document` with its sha256, who made it, when, and for which visit, customer and
order. The record the PDF was rendered from is kept beside it (`.json`), so that a reprint renders
the same facts with the reprint mark (`…-R1.pdf`). The files are written before the row and removed
again when the transaction does not commit: the archive never holds a file without its row, and a
row never points at nothing. Issuing and reprinting are in documents.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, func, or_
from sqlmodel import Session, select

from counter_app import paths
from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import DocumentKind, IssuedDocument, ServiceOrder, Staff, Ticket
from counter_app.workflows.core import events
from counter_app.workflows.paperwork import contents
from counter_app.workflows.paperwork.render import (
    render_acceptance_form,
    render_apology,
    render_receipt,
    render_ticket,
)
from counter_app.workflows.paperwork.render.receipt import A4_PAGE, ROLL

log = logging.getLogger(__name__)

K = DocumentKind
RENDER: dict[str, Callable[[contents.Record, str], bytes]] = {
    K.TICKET: lambda data, language: render_ticket(data, language=language),
    K.RECEIPT: lambda data, language: render_receipt(data, language=language, paper=ROLL),
    K.RECEIPT_A4: lambda data, language: render_receipt(data, language=language, paper=A4_PAGE),
    K.ACCEPTANCE: lambda data, language: render_acceptance_form(data, language=language),
    K.APOLOGY: lambda data, language: render_apology(data, language=language),
}
SEARCH_LIMIT = 200


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
                    _remove(path)
                sess.info["archive_files"].clear()

        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_transaction_end", _ended)
    return session.info["archive_files"]


def _remove(path: Path) -> None:
    """Remove a file written by a transaction that did not commit; one that never could be written is no error."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _write(session: Session, path: Path, content: bytes) -> None:
    """Write an archived PDF; a full disk or an offline share is a refusal the window shows (the kiosk keeps
    the number on screen and says no paper came out), never an error that escapes it."""
    written = _forget_files_unless_committed(session)
    written.append(path)
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(content)
        os.replace(partial, path)
    except OSError as exc:
        raise AppError(N_("The document could not be saved in the archive ({detail}); nothing was printed."),
                       detail=exc.strerror or type(exc).__name__) from exc
    finally:
        _remove(partial)


LOGO_REF = "sha256:"  # a record's logo, kept once in the archive's logos/ folder


def _logo_kept_once(record: contents.Record) -> contents.Record:
    """The record as archived: its logo (up to 270 KB of base64) as a reference to one file per logo, so a
    year of receipts does not hold it thousands of times. The file is never removed: a record that failed
    to commit leaves at most one harmless copy of a logo that others may share."""
    logo = getattr(record, "logo", "")
    if not logo or logo.startswith(LOGO_REF):
        return record
    digest = hashlib.sha256(logo.encode("ascii")).hexdigest()
    path = paths.documents_dir() / "logos" / f"{digest}.b64"
    if not path.exists():
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(logo, encoding="ascii")
            os.replace(partial, path)
        except OSError as exc:
            raise AppError(N_("The document could not be saved in the archive ({detail}); nothing was printed."),
                           detail=exc.strerror or type(exc).__name__) from exc
        finally:
            _remove(partial)
    return dataclasses.replace(record, logo=LOGO_REF + digest)


def with_logo(record: contents.Record) -> contents.Record:
    """An archived record with its logo back in place (for a reprint); without it if the file is gone."""
    logo = getattr(record, "logo", "")
    if not logo.startswith(LOGO_REF):
        return record
    digest = logo[len(LOGO_REF):]
    try:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise OSError("not a logo reference")
        kept = (paths.documents_dir() / "logos" / f"{digest}.b64").read_text(encoding="ascii")
    except OSError:
        log.warning("the logo of an archived document is missing: the reprint goes without it")
        kept = ""
    return dataclasses.replace(record, logo=kept)


def _relative(now: dt.datetime, kind: str, reference: str, reprint: int = 0) -> str:
    suffix = f"-R{reprint}" if reprint else ""
    return f"{now:%Y/%m/%d}/{kind}-{reference}{suffix}.pdf"


def _archive(session: Session, now: dt.datetime, *, kind: str, reference: str, record: contents.Record,
             language: str, staff_id: int | None, ticket: Ticket | None, customer_id: int | None,
             order: ServiceOrder | None, reprint_of: IssuedDocument | None = None,
             reprint_number: int = 0) -> IssuedDocument:
    pdf = RENDER[kind](record, language)
    relative = _relative(now, kind, reference, reprint_number)
    absolute = paths.documents_dir() / relative
    _write(session, absolute, pdf)
    if reprint_of is None:
        _write(session, absolute.with_suffix(".json"), contents.dump(_logo_kept_once(record)).encode("utf-8"))
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


def _ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise AppError(N_("That ticket does not exist."))
    return ticket


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
        legs = contents.visit_legs(session, _ticket(session, ticket_id))
        conditions.append(IssuedDocument.ticket_id.in_([leg.id for leg in legs]))
    if customer_id is not None:
        conditions.append(IssuedDocument.customer_id == customer_id)
    return _lines(session, _listing().where(or_(*conditions)))


ORPHANS_DIR = "orphans"


def sweep_orphans(session: Session, *, written_before: dt.datetime) -> list[Path]:
    """Archived PDFs that no row names — a PC killed between writing the file and committing its row — moved
    aside to documents/orphans/ (never deleted: nothing that was saved is lost). Only files written before
    `written_before` are touched, so a document another PC is issuing right now is left alone."""
    root = paths.documents_dir()
    known = {Path(p) for p in session.exec(select(IssuedDocument.path)).all()}
    moved = []
    for pdf in sorted(root.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*.pdf")):
        relative = pdf.relative_to(root)
        if relative in known or dt.datetime.fromtimestamp(pdf.stat().st_mtime) >= written_before:
            continue
        target = root / ORPHANS_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(pdf, target)
        moved.append(target)
    return moved
