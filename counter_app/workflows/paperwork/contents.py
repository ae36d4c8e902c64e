"""Filling the printed documents' records from the store, and keeping a record beside its PDF.

Names come in the customer's language (`i18n.pick`); times are the visit's real times. A visit is
all the legs of one ticket number (a transfer makes a new leg, workflows/visits.py). Its wait and
service are measured as the reports measure them (docs/reports.md, "Definitions"): each leg waits
from its own issue to its last call and the legs' waits are added up, and so are their services, so
a notice never tells the customer other minutes than the breach report shows for the visit. The
wait is set against the target of the service the customer queued for, the service against the
target of the one that served them; a notice for a transferred visit states each leg against its
own service's targets (`leg_minutes`), as a target is judged. An unfinished service counts until now: a receipt or notice
printed before the clerk presses Finish still shows the time the customer has spent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from counter_app.i18n import N_, normalise, pick, translate
from counter_app.models import (
    Counter,
    Escalation,
    EscalationState,
    Event,
    ExceptionApproval,
    Role,
    Service,
    ServiceOrder,
    Staff,
    Ticket,
)
from counter_app.workflows.oversight import escalation
from counter_app.workflows.paperwork.render.apology import join_sentences, role_text
from counter_app.workflows.paperwork.render.data import (
    AcceptanceFormData,
    ApologyData,
    Approval,
    Customer,
    LegMinutes,
    PaymentMethod,
    QueueTicketData,
    ReceiptData,
    Transaction,
    VisitTimes,
    whole_minutes,
)
from counter_app.workflows.paperwork.render.layout import fmt_datetime
from counter_app.workflows.paperwork.service_orders import items_of
from counter_app.workflows.queue import eta, visits
from counter_app.workflows.queue.hours import branch_settings, hall_status

Record = QueueTicketData | ReceiptData | AcceptanceFormData | ApologyData
RECORDS: dict[str, type] = {cls.__name__: cls for cls in (QueueTicketData, ReceiptData, AcceptanceFormData,
                                                             ApologyData)}


# -- names and the visit -----------------------------------------------------------------------


def branch_name(session: Session, language: str) -> str:
    settings = branch_settings(session)
    return pick({"zh": settings.name_zh, "en": settings.name_en}, language)


def branch_contact(session: Session, language: str) -> str:
    """The branch's address and hotline as the branch gave them; "" when it gave neither (nothing is guessed)."""
    settings = branch_settings(session)
    address = pick({"zh": settings.address_zh, "en": settings.address_en}, language) or settings.address_zh
    hotline = translate(N_("Hotline {number}"), language).format(number=settings.hotline) if settings.hotline else ""
    return " · ".join(part for part in (address, hotline) if part)


def branding(session: Session) -> dict[str, str]:
    """The branch's feedback address and logo, as every document but the ticket carries them (the ticket: the address)."""
    settings = branch_settings(session)
    return {"feedback_address": settings.feedback_address.strip(), "logo": settings.logo}


def service_terms(service: Service, language: str) -> tuple[str, ...]:
    """The terms the branch wrote for this service in the customer's language, one per line; () for the standard ones.

    Terms written in the other language only are not printed: the customer is given terms they can read.
    """
    text = service.terms_zh if normalise(language) == "zh_CN" else service.terms_en
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def service_name(service: Service, language: str) -> str:
    return pick(service.names, language)


def counter_number(session: Session, counter_id: int | None) -> int | None:
    counter = session.get(Counter, counter_id) if counter_id else None
    return counter.number if counter else None


visit_legs = visits.legs_of  # every leg of the visit a ticket belongs to, first leg first (documents use it from here)


def visit_times(legs: list[Ticket], now: dt.datetime, measures: visits.VisitMeasures | None = None) -> VisitTimes:
    """The visit's moments for a document, with its wait and service as the reports count them.

    `measures` are the visit's at `now` (visits.measure); they are worked out from the legs' session when
    not given.
    """
    final = legs[-1]
    finished = final.finished_at or (now if final.started_at else None)
    if measures is None:
        measures = visits.measure(object_session(final), legs, now)
    return VisitTimes(issued_at=legs[0].issued_at, called_at=final.called_at, started_at=final.started_at,
                      finished_at=finished, wait_seconds=measures.wait_s, service_seconds=measures.service_s)


def visit_services(session: Session, legs: list[Ticket]) -> tuple[Service, Service]:
    """The service the customer queued for (its wait target) and the one that served them (its service target)."""
    return session.get(Service, legs[0].service_id), session.get(Service, legs[-1].service_id)


def leg_minutes(session: Session, legs: list[Ticket], now: dt.datetime, language: str) -> tuple[LegMinutes, ...]:
    """Each leg's wait and service against its own service's targets, as visits.measure judges them."""
    waits, services = visits.targets(session)
    minutes = []
    for leg in legs:
        times = visits.leg_times(leg, now)
        minutes.append(LegMinutes(
            service_name=service_name(session.get(Service, leg.service_id), language),
            wait_minutes=None if times.wait_seconds is None else whole_minutes(times.wait_seconds),
            wait_target_minutes=waits[leg.service_id] // 60,
            service_minutes=None if times.service_seconds is None else whole_minutes(times.service_seconds),
            service_target_minutes=services[leg.service_id] // 60))
    return tuple(minutes)


def approvals_of(session: Session, legs: list[Ticket]) -> list[ExceptionApproval]:
    return list(session.exec(select(ExceptionApproval)
                             .where(ExceptionApproval.ticket_id.in_([leg.id for leg in legs]))
                             .order_by(ExceptionApproval.approved_at, ExceptionApproval.id)))


def resolved_escalations(session: Session, legs: list[Ticket]) -> list[Escalation]:
    return list(session.exec(select(Escalation)
                             .where(Escalation.ticket_id.in_([leg.id for leg in legs]),
                                    Escalation.state == EscalationState.RESOLVED)
                             .order_by(Escalation.resolved_at, Escalation.id)))


def escalated(session: Session, legs: list[Ticket]) -> bool:
    """The customer's case was passed on: a colleague or the duty manager took a help request of the visit on
    (accepted it, or resolved it in the clerk's stead). A request nobody answered passed nothing on."""
    requests = session.exec(select(Escalation).where(Escalation.ticket_id.in_([leg.id for leg in legs]))).all()
    for request in requests:
        if escalation.answered(session, request.id):
            return True
        if request.resolved_by is not None and request.resolved_by != request.requested_by:
            return True
    return False


# -- the records -------------------------------------------------------------------------------


ticket_reference = visits.reference  # what the ticket's QR code carries: unique across days, e.g. 20260302-A001


def queue_ticket(session: Session, ticket: Ticket, language: str) -> QueueTicketData:
    """The slip as the kiosk printed it: people ahead and the estimate at the moment of issue."""
    service = session.get(Service, ticket.service_id)
    issued = session.exec(select(Event.data).where(Event.kind == "ticket_issued", Event.ticket_id == ticket.id)
                          ).first()
    opens_at = hall_status(session, ticket.issued_at).opens_at if ticket.early else None
    if issued:
        facts = json.loads(issued)
        ahead, minutes = int(facts["ahead"]), int(facts["wait_minutes"])
    else:  # a ticket from before the event carried its estimate: estimate again
        ahead = eta.people_ahead(session, service_id=service.id, priority=ticket.priority, queue_at=ticket.queue_at,
                                 ticket_id=ticket.id)
        minutes = eta.estimate(session, service=service, ahead=ahead, now=ticket.issued_at, opens_at=opens_at).minutes
    return QueueTicketData(
        reference=ticket_reference(ticket), number=ticket.number, service_name=service_name(service, language),
        branch_name=branch_name(session, language), branch_contact=branch_contact(session, language), issued_at=ticket.issued_at, people_ahead=ahead,
        feedback_address=branding(session)["feedback_address"],
        estimated_wait_minutes=minutes, opens_at=opens_at,
        estimated_call_at=ticket.issued_at + dt.timedelta(minutes=minutes),
    )


def receipt(session: Session, order: ServiceOrder, *, reference: str, now: dt.datetime) -> ReceiptData:
    language = order.language
    ticket = session.get(Ticket, order.ticket_id) if order.ticket_id else None
    legs = visit_legs(session, ticket) if ticket else []
    clerk = session.get(Staff, order.staff_id)
    return ReceiptData(
        reference=reference, branch_name=branch_name(session, language), branch_contact=branch_contact(session, language),
        ticket_number=ticket.number if ticket else "-",
        service_name=service_name(session.get(Service, order.service_id), language), items=items_of(order),
        payment_method=PaymentMethod(order.payment_method), issued_at=now, clerk_staff_no=clerk.staff_no,
        visit=visit_times(legs, now) if legs else VisitTimes(issued_at=order.created_at),
        counter_number=counter_number(session, order.counter_id), **branding(session),
    )


def approval_remark(session: Session, approval: ExceptionApproval, language: str) -> str:
    """An approved exception in the customer's words, with who approved it and when."""
    approver = session.get(Staff, approval.approved_by)
    approved = translate("Approved by {name} ({role}) at {time}.", language).format(
        name=approver.name, role=role_text(approver.role, language), time=fmt_datetime(approval.approved_at))
    return join_sentences([approval.customer_explanation, *([approval.remedy] if approval.remedy else []),
                           approved])


def acceptance_form(session: Session, order: ServiceOrder, *, reference: str, now: dt.datetime) -> AcceptanceFormData:
    language = order.language
    ticket = session.get(Ticket, order.ticket_id) if order.ticket_id else None
    remarks = []
    if ticket is not None:
        for approval in approvals_of(session, visit_legs(session, ticket)):
            if order.customer_id is None or approval.customer_id in (None, order.customer_id):
                remarks.append(approval_remark(session, approval, language))
    service = session.get(Service, order.service_id)
    return AcceptanceFormData(
        reference=reference, branch_name=branch_name(session, language), branch_contact=branch_contact(session, language), issued_at=now,
        service_name=service_name(service, language),
        transaction=Transaction(order.transaction), product=order.product, effective_from=order.effective_from,
        items=items_of(order),
        customer=Customer(name=order.customer_name, phone=order.customer_phone, id_number=order.customer_id_number,
                          account_number=order.customer_account),
        clerk_staff_no=session.get(Staff, order.staff_id).staff_no, term_months=order.term_months,
        effective_to=order.effective_to, payment_method=PaymentMethod(order.payment_method),
        ticket_number=ticket.number if ticket else None, counter_number=counter_number(session, order.counter_id),
        terms=service_terms(service, language), remarks=tuple(remarks), **branding(session),
    )


def _signer(session: Session, approvals: list[ExceptionApproval], resolved: list[Escalation],
            issuer: Staff) -> Staff:
    """The duty manager who approved the fix or resolved the case; the person issuing the notice otherwise."""
    for staff_id in [a.approved_by for a in reversed(approvals)] + [e.resolved_by for e in reversed(resolved)]:
        staff = session.get(Staff, staff_id) if staff_id else None
        if staff is not None and staff.role == Role.MANAGER:
            return staff
    return issuer


def apology(session: Session, ticket: Ticket, *, reference: str, now: dt.datetime, issuer: Staff,
            language: str) -> ApologyData:
    legs = visit_legs(session, ticket)
    final = legs[-1]
    wanted, service = visit_services(session, legs)
    measures = visits.measure(session, legs, now)
    approvals = approvals_of(session, legs)
    resolved = resolved_escalations(session, legs)
    names = {s.id: s for s in session.exec(select(Staff))}
    signer = _signer(session, approvals, resolved, issuer)
    return ApologyData(
        reference=reference, branch_name=branch_name(session, language), branch_contact=branch_contact(session, language), issued_at=now,
        ticket_number=final.number, service_name=service_name(wanted, language),
        visit=visit_times(legs, now, measures), broken=measures.broken,
        target_wait_minutes=wanted.target_wait_min, target_service_minutes=service.target_service_min,
        explanation="\n".join(e.customer_explanation for e in resolved if e.customer_explanation),
        counter_number=counter_number(session, final.counter_id), escalated=escalated(session, legs),
        approvals=tuple(Approval(what=a.customer_explanation, approver_name=names[a.approved_by].name,
                                 approver_role=names[a.approved_by].role, approved_at=a.approved_at)
                        for a in approvals),
        remedy="\n".join(a.remedy for a in approvals if a.remedy),
        signed_by_name=signer.name, signed_by_role=signer.role, legs=leg_minutes(session, legs, now, language),
        **branding(session),
    )


# -- keeping the record beside the PDF ---------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | Decimal):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        return _decode(next(arg for arg in typing.get_args(kind) if arg is not type(None)), value)
    if origin is tuple:
        return tuple(_decode(typing.get_args(kind)[0], v) for v in value)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: _decode(hints[f.name], value[f.name]) for f in dataclasses.fields(kind)
                       if f.name in value})
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value


def dump(record: Record) -> str:
    """The record as JSON: a reprint renders exactly what the customer was given."""
    return json.dumps({"record": type(record).__name__, "data": _encode(record)}, ensure_ascii=False, indent=1)


def load(text: str) -> Record:
    document = json.loads(text)
    return _decode(RECORDS[document["record"]], document["data"])
