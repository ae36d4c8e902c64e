"""Order review (订单评审): the departments answer at the same time, the network gives the date, PMC commits it.

    in_review ──every answer in, all "yes", date ≤ requested──▶ awaiting_pmc ──confirm / override──▶ committed
        │
        └──any "no", or the computed date after the requested──▶ returned_to_sales
    returned_to_sales ──a later requested date (a revision)──▶ in_review (the "no" departments asked again)
                                                             or awaiting_pmc / returned_to_sales (recomputed)

Each department answers its own typed form once per round (`FORMS`); a "no" needs a reason from `REASONS`.
The date is computed on the working calendar from the day the last answer came in, through
`network.REVIEW_NETWORK`; both branches of a tie are on the critical path (network.py). Every date an order
is given is kept with who, when and why (`OrderDateRevision`); PMC's confirmation and override are approvals,
so their events carry the hash of the record they made (`audit.content_hash`). Committing the date of an order
under a change request moves that change on to its acknowledgements (changes.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Role
from counter_app.models.planning import (
    REQUESTED_AHEAD_DAYS,
    ChangeState,
    DateKind,
    Department,
    OrderChangeRequest,
    OrderDateRevision,
    OrderReview,
    SalesOrder,
    SalesOrderLine,
    SalesOrderState,
)
from counter_app.workflows.core import audit, bounds, events
from counter_app.workflows.planning import inputs, roles
from counter_app.workflows.planning.network import REVIEW_NETWORK, schedule
from counter_app.workflows.planning.orders import OrderChange, get_order, move, open_reviews, record_date
from counter_app.workflows.planning.working_days import load_calendar

S = SalesOrderState
D = Department
DEPARTMENT_TEXT = {D.ENGINEERING: N_("engineering"), D.PURCHASING: N_("purchasing"),
                   D.WAREHOUSE: N_("warehouse"), D.PRODUCTION: N_("production"), D.QUALITY: N_("quality")}
# Why a department cannot meet the requested date: the fixed list its form offers.
REASONS = {
    "drawings_unclear": N_("Drawings or parameters not confirmed"),
    "design_time": N_("Design and drawings take longer"),
    "material_lead_time": N_("Material lead time too long"),
    "bottleneck_material": N_("A bottleneck material"),
    "no_stock": N_("Not enough stock"),
    "capacity": N_("Not enough production capacity"),
    "cycle_time": N_("Production cycle too long"),
    "cannot_inspect": N_("Cannot be inspected as specified"),
    "other": N_("Other (see the notes)"),
}
# Each department's own fields, beside what every form asks (can we meet the date, our lead time, what ours
# depends on, notes): "yes_no", "text", or a whole number's (low, high).
FORMS: dict[str, dict[str, Any]] = {
    D.ENGINEERING: {"drawings_confirmed": "yes_no"},
    D.PURCHASING: {"bottleneck_materials": "text"},
    D.WAREHOUSE: {"stock_available": "yes_no"},
    D.PRODUCTION: {"daily_capacity": (0, 1_000_000), "cycle_days": (0, 365)},
    D.QUALITY: {"can_inspect": "yes_no"},
}
FIELD_TEXT = {"drawings_confirmed": N_("Drawings confirmed"), "bottleneck_materials": N_("Bottleneck materials"),
              "stock_available": N_("Stock available"), "daily_capacity": N_("Daily capacity"),
              "cycle_days": N_("Cycle time (working days)"), "can_inspect": N_("Can be inspected")}
CONFIRMED = "confirmed_computed_date"  # the `why` of a committed date PMC confirmed as computed


@dataclass(frozen=True)
class ReviewAnswer:
    """A department's answer: can it meet the requested date, its lead time, what that depends on, and its own
    form's fields (`FORMS`)."""

    department: str
    can_meet: bool
    lead_days: int
    depends_on: str = ""
    reason_code: str = ""
    notes: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Refusal:
    """One department's "no", as sales reads it."""

    department: str
    reason_code: str
    lead_days: int
    notes: str


@dataclass(frozen=True)
class ReturnNote:
    """Why an order went back to sales: the date the answers give against the requested one, and each "no"."""

    requested: dt.date
    computed: dt.date | None
    late_by: int  # working days past the requested date (0 when on time)
    refusals: list[Refusal]


def current_reviews(session: Session, order_id: int) -> list[OrderReview]:
    """The order's reviews that stand: one per department, the latest round each was asked in."""
    rows = session.exec(select(OrderReview).where(OrderReview.sales_order_id == order_id,
                                                  OrderReview.superseded_at.is_(None))).all()
    order = list(Department)
    return sorted(rows, key=lambda r: order.index(r.department))


def _details(department: str, given: Mapping[str, Any]) -> dict[str, Any]:
    form = FORMS[department]
    unknown = sorted(set(given) - set(form))
    if unknown:
        raise AppError(N_("The {department} form has no field {name}."), department=DEPARTMENT_TEXT[department],
                       name=unknown[0])
    checked: dict[str, Any] = {}
    for name, value in given.items():
        kind = form[name]
        if kind == "yes_no":
            if not isinstance(value, bool):
                raise AppError(N_("Answer {field} with yes or no."), field=FIELD_TEXT[name])
            checked[name] = value
        elif kind == "text":
            checked[name] = inputs.text(value, field=FIELD_TEXT[name])
        else:
            checked[name] = bounds.whole(value, field=FIELD_TEXT[name], low=kind[0], high=kind[1])
    return checked


def answer_review(session: Session, clock: Clock, *, review_id: int, staff_id: int,
                  answer: ReviewAnswer) -> OrderChange:
    """A department answers its review, once. When the last answer is in, the date is computed at once."""
    now = clock.now()
    review = session.get(OrderReview, review_id)
    if review is None:
        raise AppError(N_("That review does not exist."))
    roles.require_department(session, staff_id, review.department)
    order = get_order(session, review.sales_order_id)
    if answer.department != review.department:
        raise AppError(N_("This review is for {department}: an answer from {other} cannot be recorded on it."),
                       department=DEPARTMENT_TEXT[review.department],
                       other=DEPARTMENT_TEXT.get(answer.department, str(answer.department)))
    if review.answered_at is not None:
        raise AppError(N_("{department} already answered this review on {time}; an answer is given once."),
                       department=DEPARTMENT_TEXT[review.department], time=review.answered_at.strftime("%Y-%m-%d %H:%M"))
    if review.superseded_at is not None or order.state != S.IN_REVIEW:
        raise AppError(N_("Sales order {number} is not waiting for this review."), number=order.number)
    if not isinstance(answer.can_meet, bool):
        raise AppError(N_("Answer {field} with yes or no."), field=N_("Can we meet the requested date"))
    lead = inputs.lead_days(answer.lead_days)
    reason = str(answer.reason_code or "").strip()
    if not answer.can_meet and reason not in REASONS:
        raise AppError(N_("Say why the requested date cannot be met: choose a reason."))
    review.can_meet = answer.can_meet
    review.lead_days = lead
    review.reason_code = "" if answer.can_meet else reason
    review.depends_on = inputs.text(answer.depends_on, field=N_("Depends on"))
    review.notes = inputs.text(answer.notes, field=N_("Notes"))
    if reason == "other" and not answer.can_meet and not review.notes:
        raise AppError(N_("Fill in {field}."), field=N_("Notes"))
    review.details = json.dumps(_details(review.department, answer.details), ensure_ascii=False, sort_keys=True)
    review.answered_by, review.answered_at = staff_id, now
    session.add(review)
    session.flush()
    events.record(session, at=now, kind="order_review_answered", staff_id=staff_id, order=order.id,
                  review=review.id, department=review.department, can_meet=review.can_meet, lead_days=lead,
                  reason=review.reason_code)
    if all(r.answered_at is not None for r in current_reviews(session, order.id)):
        return _compute(session, order, now=now, staff_id=staff_id)
    return OrderChange("order_review_answered", order.id, order.state)


def _compute(session: Session, order: SalesOrder, *, now: dt.datetime, staff_id: int) -> OrderChange:
    """Every answer is in: the date the network gives from today, and whether it meets the requested date."""
    reviews = current_reviews(session, order.id)
    plan = schedule(REVIEW_NETWORK, {r.department: r.lead_days for r in reviews})
    order.computed_date = load_calendar(session).add(now.date(), plan.length)
    order.critical_path = ",".join(plan.critical)
    refused = [r.department for r in reviews if not r.can_meet]
    action = "cannot_meet" if refused or order.computed_date > order.requested_date else "answers_in"
    order.state = move(order, action)
    session.add(order)
    kind = "sales_order_returned" if action == "cannot_meet" else "sales_order_computed"
    events.record(session, at=now, kind=kind, staff_id=staff_id, order=order.id, computed=order.computed_date,
                  requested=order.requested_date, critical=order.critical_path, refused=refused)
    return OrderChange(kind, order.id, order.state)


def critical_path(order: SalesOrder) -> tuple[str, ...]:
    return tuple(order.critical_path.split(",")) if order.critical_path else ()


def return_note(session: Session, order_id: int) -> ReturnNote:
    """What sales reads on a returned order: how late the answers make it, and each department's reasons."""
    order = get_order(session, order_id)
    late = 0
    if order.computed_date is not None and order.computed_date > order.requested_date:
        late = load_calendar(session).between(order.requested_date, order.computed_date)
    refusals = [Refusal(r.department, r.reason_code, r.lead_days or 0, r.notes)
                for r in current_reviews(session, order.id) if r.can_meet is False]
    return ReturnNote(order.requested_date, order.computed_date, late, refusals)


def overdue_reviews(session: Session, now: dt.datetime) -> list[OrderReview]:
    """Reviews past their deadline with no answer, on orders still waiting for them (oldest deadline first)."""
    return list(session.exec(
        select(OrderReview).join(SalesOrder, SalesOrder.id == OrderReview.sales_order_id)
        .where(OrderReview.answered_at.is_(None), OrderReview.superseded_at.is_(None),
               OrderReview.deadline < now, SalesOrder.state == S.IN_REVIEW)
        .order_by(OrderReview.deadline, OrderReview.id)).all())


def _commit(session: Session, order: SalesOrder, *, action: str, day: dt.date, why: str, staff_id: int,
            now: dt.datetime) -> OrderChange:
    order.state = move(order, action)
    order.committed_date = day
    session.add(order)
    revision = record_date(session, order, kind=DateKind.COMMITTED, day=day, by=staff_id, at=now, why=why)
    kind = "sales_order_date_confirmed" if action == "confirm" else "sales_order_date_overridden"
    # A change request under review is committed again with the order: its departments acknowledge it next.
    change = session.exec(select(OrderChangeRequest).where(OrderChangeRequest.sales_order_id == order.id,
                                                           OrderChangeRequest.state == ChangeState.IN_REVIEW)).first()
    if change is not None:
        change.state, change.committed_after = ChangeState.ACKNOWLEDGING, day
        session.add(change)
    # An approval: the event carries the hash of the record it made, so the audit chain covers it.
    events.record(session, at=now, kind=kind, staff_id=staff_id, order=order.id, committed=day,
                  computed=order.computed_date, why=why, revision=revision.id,
                  change=change.id if change is not None else None, content_hash=audit.content_hash(revision))
    return OrderChange(kind, order.id, order.state, day)


def confirm_date(session: Session, clock: Clock, *, order_id: int, staff_id: int) -> OrderChange:
    """PMC commits the computed date as it is."""
    roles.require(session, staff_id, Role.PMC, refusal=roles.COMMIT)
    order = get_order(session, order_id)
    move(order, "confirm")
    return _commit(session, order, action="confirm", day=order.computed_date, why=CONFIRMED, staff_id=staff_id,
                   now=clock.now())


def override_date(session: Session, clock: Clock, *, order_id: int, staff_id: int, day: dt.date,
                  reason: str) -> OrderChange:
    """PMC commits another date than the computed one, and says why."""
    now = clock.now()
    roles.require(session, staff_id, Role.PMC, refusal=roles.COMMIT)
    order = get_order(session, order_id)
    move(order, "override")
    day = bounds.plausible_date(day, field=N_("Committed date"), today=now.date(), past_days=0,
                                ahead_days=REQUESTED_AHEAD_DAYS)
    why = inputs.text(reason, field=N_("Reason for the other date"), required=True)
    return _commit(session, order, action="override", day=day, why=why, staff_id=staff_id, now=now)


def revise_requested_date(session: Session, clock: Clock, *, order_id: int, staff_id: int, day: dt.date,
                          why: str) -> OrderChange:
    """Sales brings the customer's later date to a returned order: the departments that said "no" are asked
    again (a new round, the old answers kept); with no "no", the date is computed again from today."""
    now = clock.now()
    roles.require(session, staff_id, *roles.SALES_OR_PMC, refusal=roles.REVISE)
    order = get_order(session, order_id)
    if order.state != S.RETURNED_TO_SALES:
        move(order, "ask_again")  # refused with the order's state
    day = inputs.requested_date(day, today=now.date())
    if day <= order.requested_date:
        raise AppError(N_("The new requested date must be later than {date}."),
                       date=order.requested_date.isoformat())
    why = inputs.text(why, field=N_("Why the date changed"), required=True)
    order.requested_date = day
    for line in session.exec(select(SalesOrderLine).where(SalesOrderLine.sales_order_id == order.id)).all():
        if line.requested_date < day:
            line.requested_date = day
            session.add(line)
    record_date(session, order, kind=DateKind.REVISED, day=day, by=staff_id, at=now, why=why)
    events.record(session, at=now, kind="sales_order_date_revised", staff_id=staff_id, order=order.id,
                  requested=day, why=why)
    refused = [r for r in current_reviews(session, order.id) if r.can_meet is False]
    if not refused:  # only the date was late: the same answers, computed again from today
        return _compute(session, order, now=now, staff_id=staff_id)
    order.review_round += 1
    for review in refused:
        review.superseded_at = now
        session.add(review)
    order.state = move(order, "ask_again")
    order.computed_date, order.critical_path = None, ""
    session.add(order)
    session.flush()
    open_reviews(session, order, now=now, departments=[r.department for r in refused])
    return OrderChange("sales_order_date_revised", order.id, order.state)


def date_history(session: Session, order_id: int) -> list[OrderDateRevision]:
    """Every requested, revised and committed date of the order, oldest first."""
    return list(session.exec(select(OrderDateRevision).where(OrderDateRevision.sales_order_id == order_id)
                             .order_by(OrderDateRevision.id)).all())
