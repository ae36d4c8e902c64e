"""A customer's history as one timeline, and the customers at risk of leaving: both judge visits by the queue's
measures (queue/visits.py: a visit's waits, services and broken targets, as the reports define them), so they
sit here, above the queue, rather than in `customers/` below it.

`history`: the approved exceptions first (who approved what and why: the next clerk must see them at once,
F6), then the visits, escalations, feedback and complaints, and documents issued, newest first. A fixed number
of queries on indexes, whatever the number of visits (a customer with 500 visits: nine queries).

`at_risk`: a customer is at risk when, within the last 90 days, two or more of their visits broke a target
("repeated breaches": one bad visit is bad luck, a second is a pattern), or they complained once. With each,
the satisfaction trend: the ratings of their last visits in the window, in order ("5 → 3 → 2"), so the manager
sees a customer sliding before the average says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_app.models import Escalation, Feedback, IssuedDocument, Service, Staff, Ticket
from counter_app.models.oversight import Customer
from counter_app.workflows.core import masking
from counter_app.workflows.customers import records
from counter_app.workflows.queue import visits

CHUNK = 500  # ids per IN (...): well under every database's limit on parameters
RISK_DAYS = 90
REPEATED_BREACHES = 2  # visits with a broken target within RISK_DAYS
COMPLAINTS = 1  # complaints within RISK_DAYS
TREND = 5  # ratings shown in a customer's satisfaction trend: enough to see a slide, short enough to read


@dataclass(frozen=True)
class ExceptionEntry:
    at: dt.datetime
    approval_id: int
    exception: str  # the ExceptionKind
    reason: str
    customer_explanation: str
    remedy: str
    amount: str
    approved_by: str
    requested_by: str
    kind: str = "exception"


@dataclass(frozen=True)
class VisitEntry:
    at: dt.datetime  # the first issue
    ticket_id: int  # the visit's first leg
    reference: str  # 20260302-A001
    services: tuple[str, ...]  # the services' codes, leg by leg
    outcome: str | None
    wait_s: int | None
    service_s: int | None
    broken: tuple[str, ...]  # "wait", "service", "total"
    cause: str | None
    served_by: str
    kind: str = "visit"
    service_names: tuple[dict[str, str], ...] = ()  # the services' names ({"zh": …, "en": …}), leg by leg


@dataclass(frozen=True)
class EscalationEntry:
    at: dt.datetime
    escalation_id: int
    ticket_id: int | None
    route: str
    state: str
    reason: str
    resolution_note: str
    kind: str = "escalation"


@dataclass(frozen=True)
class FeedbackEntry:
    at: dt.datetime
    feedback_id: int
    ticket_id: int
    rating: int | None
    reason: str
    comment: str
    complaint: bool
    kind: str = "feedback"  # a complaint is a feedback entry with complaint=True


@dataclass(frozen=True)
class DocumentEntry:
    at: dt.datetime
    document_id: int
    ticket_id: int | None
    document: str  # the DocumentKind
    reference: str
    kind: str = "document"


HistoryEntry = ExceptionEntry | VisitEntry | EscalationEntry | FeedbackEntry | DocumentEntry


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _legs(session: Session, customer_ids: list[int]) -> dict[int, list[Ticket]]:
    """The customer's visits as their legs, by first leg: a leg linked to the customer brings its whole visit."""
    linked: list[Ticket] = []
    for chunk in _chunks(customer_ids):
        linked += session.exec(select(Ticket).where(col(Ticket.customer_id).in_(chunk))).all()
    origins = sorted({t.origin_id or t.id for t in linked})
    by_visit: dict[int, dict[int, Ticket]] = defaultdict(dict)
    for t in linked:
        by_visit[t.origin_id or t.id][t.id] = t
    for chunk in _chunks(origins):  # legs not linked themselves (a transfer made before the customer was named)
        for t in session.exec(select(Ticket).where(col(Ticket.origin_id).in_(chunk))):
            by_visit[t.origin_id][t.id] = t
    return {origin: [legs[i] for i in sorted(legs)] for origin, legs in by_visit.items()}


def history(session: Session, customer_id: int) -> list[HistoryEntry]:
    """The customer's timeline (and that of the records merged into theirs): approved exceptions first, newest
    first, then everything else newest first."""
    ids = records.linked_ids(session, customer_id)
    exceptions = [ExceptionEntry(e.approved_at, e.approval_id, e.kind, e.reason, e.customer_explanation, e.remedy,
                                 e.amount, e.approved_by, e.requested_by) for e in records.exceptions_of(session, customer_id)]
    by_visit = _legs(session, ids)
    leg_ids = [t.id for legs in by_visit.values() for t in legs]
    services = {s.id: s for s in session.exec(select(Service))}
    waits = {i: s.target_wait_min * 60 for i, s in services.items()}
    serves = {i: s.target_service_min * 60 for i, s in services.items()}
    staff_ids = {t.staff_id for legs in by_visit.values() for t in legs if t.staff_id}
    names = dict(session.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_(staff_ids))).all()) if staff_ids else {}
    rest: list[HistoryEntry] = []
    for origin, legs in by_visit.items():
        visit = visits.Visit(legs[0], legs)
        measures = visits.visit_measures([visits.leg_times(leg) for leg in legs], waits, serves)
        serving = visit.serving_leg
        rest.append(VisitEntry(legs[0].issued_at, origin, visit.reference,
                               tuple(services[leg.service_id].code for leg in legs), legs[-1].outcome,
                               measures.wait_s, measures.service_s, measures.broken, visit.cause,
                               names.get(serving.staff_id, "") if serving.staff_id else "",
                               service_names=tuple(services[leg.service_id].names for leg in legs)))
    for chunk in _chunks(leg_ids):
        rest += [EscalationEntry(e.requested_at, e.id, e.ticket_id, e.route, e.state, e.reason, e.resolution_note)
                 for e in session.exec(select(Escalation).where(col(Escalation.ticket_id).in_(chunk)))]
        rest += [FeedbackEntry(f.created_at, f.id, f.ticket_id, f.rating, f.reason, f.comment, f.is_complaint)
                 for f in session.exec(select(Feedback).where(col(Feedback.ticket_id).in_(chunk)))]
    documents: dict[int, IssuedDocument] = {}
    for chunk in _chunks(ids):
        documents.update((d.id, d) for d in session.exec(select(IssuedDocument)
                                                         .where(col(IssuedDocument.customer_id).in_(chunk))))
    for chunk in _chunks(leg_ids):  # a document issued before the customer was named carries the visit only
        documents.update((d.id, d) for d in session.exec(select(IssuedDocument)
                                                         .where(col(IssuedDocument.ticket_id).in_(chunk))))
    rest += [DocumentEntry(d.created_at, d.id, d.ticket_id, d.kind, d.reference) for d in documents.values()]
    rest.sort(key=lambda entry: entry.at, reverse=True)
    return [*exceptions, *rest]


# -- loyalty: who is at risk ------------------------------------------------------------------


@dataclass(frozen=True)
class AtRisk:
    customer_id: int
    name_masked: str
    segment: str
    visits: int  # within the window
    breached_visits: int
    complaints: int
    average_rating: float | None
    last_visit: dt.datetime | None
    consent_contact: bool  # may be called (the follow-up list shows only those who may)
    ratings: tuple[int, ...] = ()  # the satisfaction trend: the last TREND ratings in the window, oldest first

    @property
    def falling(self) -> bool:
        """The latest rating is below the first shown: satisfaction is going down."""
        return len(self.ratings) >= 2 and self.ratings[-1] < self.ratings[0]


def at_risk(session: Session, now: dt.datetime, *, days: int = RISK_DAYS) -> list[AtRisk]:
    """The customers at risk of leaving (the module's rule), most breaches and complaints first. A record merged
    into another counts as the kept one; an erased customer is no longer anyone to call."""
    since = now - dt.timedelta(days=days)
    window = select(Ticket).where(Ticket.business_date >= since.date(), col(Ticket.customer_id).is_not(None),
                                  Ticket.issued_at >= since)
    by_visit: dict[int, list[Ticket]] = defaultdict(list)
    for leg in session.exec(window.order_by(Ticket.id)):
        by_visit[leg.origin_id or leg.id].append(leg)
    kept: dict[int, Customer | None] = {}

    def customer_of(customer_id: int) -> Customer | None:
        if customer_id not in kept:
            kept[customer_id] = records.live(session, session.get(Customer, customer_id))
        return kept[customer_id]

    waits, serves = visits.targets(session)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # visits, breached, complaints
    last: dict[int, dt.datetime] = {}
    ratings: dict[int, list[int]] = defaultdict(list)
    owner: dict[int, int] = {}  # a visit's first leg -> the kept customer
    for origin, legs in by_visit.items():
        customer = customer_of(legs[0].customer_id)
        if customer is None:
            continue
        owner[origin] = customer.id
        counts[customer.id][0] += 1
        if visits.visit_measures([visits.leg_times(leg) for leg in legs], waits, serves).breached:
            counts[customer.id][1] += 1
        last[customer.id] = max(last.get(customer.id, legs[0].issued_at), legs[0].issued_at)
    for ticket_id, rating, complaint in session.exec(select(Feedback.ticket_id, Feedback.rating, Feedback.is_complaint)
                                                     .where(Feedback.created_at >= since)
                                                     .order_by(Feedback.created_at, Feedback.id)):
        customer_id = owner.get(ticket_id)
        if customer_id is None:
            continue
        counts[customer_id][2] += bool(complaint)
        if rating is not None:
            ratings[customer_id].append(rating)
    found = []
    for customer_id, (count, breached, complaints) in counts.items():
        if breached < REPEATED_BREACHES and complaints < COMPLAINTS:
            continue
        customer = session.get(Customer, customer_id)
        rated = ratings[customer_id]
        found.append(AtRisk(customer_id, masking.mask_name(customer.name), customer.segment, count, breached,
                            complaints, round(sum(rated) / len(rated), 2) if rated else None, last.get(customer_id),
                            customer.consent_contact, tuple(rated[-TREND:])))
    return sorted(found, key=lambda r: (-r.breached_visits - r.complaints, r.customer_id))
