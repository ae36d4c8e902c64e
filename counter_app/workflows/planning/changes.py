"""Changes to a committed sales order (ISO 9001 §8.2.4): what changed, the customer's written confirmation,
a new review by only the departments the change touches, and every one of them acknowledging it.

    committed ──request_change──▶ in_review (the touched departments only; the others' answers stand)
        ──answers in──▶ awaiting_pmc ──confirm / override──▶ committed   (or returned_to_sales, as in review.py)
    the change: in_review ──the order committed again──▶ acknowledging ──every department acknowledged──▶ closed

Which departments a change touches (`CHANGE_RULES`; a change touching several aspects takes the union):

| what changed | reviewed again and acknowledged by |
|---|---|
| specification | engineering, purchasing, warehouse, production, quality |
| lines (a product added or removed) | engineering, purchasing, warehouse, production, quality |
| quantity | purchasing, warehouse, production |
| requested date | production |

The customer's written confirmation is a file (copied under the data directory, named by its sha256, written
to a temporary name and renamed) or the reference of a signed document; one of the two is required.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from counter_app import paths
from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_, join_list
from counter_app.models.planning import (
    ChangeState,
    DateKind,
    Delivery,
    Department,
    OrderChangeAck,
    OrderChangeRequest,
    Product,
    SalesOrderLine,
)
from counter_app.workflows.core import events, files
from counter_app.workflows.planning import inputs, roles
from counter_app.workflows.planning.orders import (
    LineInput,
    get_order,
    move,
    open_reviews,
    record_date,
)
from counter_app.workflows.planning.review import DEPARTMENT_TEXT, current_reviews

D = Department
ASPECTS = ("specification", "lines", "quantity", "date")
ASPECT_TEXT = {"specification": N_("specification"), "lines": N_("lines"), "quantity": N_("quantity"),
               "date": N_("requested date")}
ALL = (D.ENGINEERING, D.PURCHASING, D.WAREHOUSE, D.PRODUCTION, D.QUALITY)
# What a change touches decides who reviews it again: a new specification or a product added or removed needs
# new drawings, materials, stock, production and inspection; more or fewer pieces need materials, stock and
# capacity, not new drawings or a new inspection plan; another date only production's schedule.
CHANGE_RULES: dict[str, tuple[str, ...]] = {
    "specification": ALL,
    "lines": ALL,
    "quantity": (D.PURCHASING, D.WAREHOUSE, D.PRODUCTION),
    "date": (D.PRODUCTION,),
}
CONFIRMATION_DIR = "order_changes"  # under the data directory
CONFIRMATION_MAX_BYTES = 20 * 1024 * 1024  # a scan or a PDF of a signed letter, not a video
SPECIFICATION_MAX = 4000


@dataclass(frozen=True)
class ChangeInput:
    """What the customer changed, and their written confirmation (a file, a signed reference, or both)."""

    quantities: Mapping[int, int] = field(default_factory=dict)  # line id → new quantity
    requested_date: dt.date | None = None
    specification: str = ""  # the changed specification, in words
    add_lines: Sequence[LineInput] = ()
    remove_lines: Sequence[int] = ()  # line ids
    confirmation_file: Path | None = None
    confirmation_reference: str = ""


@dataclass(frozen=True)
class ChangeResult:
    """What a change action did, for the windows to refresh from."""

    kind: str
    change_id: int
    order_id: int
    state: str  # the change's
    departments: tuple[str, ...]


def departments_for(aspects: Sequence[str]) -> tuple[str, ...]:
    """The departments a change touching these aspects involves, in the review network's order."""
    touched = {d for aspect in aspects for d in CHANGE_RULES[aspect]}
    return tuple(d for d in ALL if d in touched)


def _store_confirmation(source: Path, root: Path) -> tuple[str, str]:
    """Copy the customer's confirmation under the data directory; returns (path relative to it, sha256).

    The copy is named by its content's hash, written under a temporary name and renamed: a retry after a failed
    transaction reuses it, and a file never stands half-written."""
    source = paths.expand_user(source)
    if not source.is_file():
        raise AppError(N_("{path} is not a file: attach the customer's written confirmation."), path=str(source))
    try:
        size = source.stat().st_size
        if size == 0:
            raise AppError(N_("{path} is empty: attach the customer's written confirmation."), path=str(source))
        if size > CONFIRMATION_MAX_BYTES:
            raise AppError(N_("{path} is larger than 20 MB: attach a scan or a PDF of the confirmation."),
                           path=str(source))
        data = source.read_bytes()
    except OSError as exc:
        raise AppError(N_("{file} cannot be read ({detail})."), file=str(source),
                       detail=exc.strerror or type(exc).__name__) from exc
    digest = hashlib.sha256(data).hexdigest()
    suffix = "".join(c for c in source.suffix.lower() if c.isalnum() or c == ".")[:10]
    relative = Path(CONFIRMATION_DIR) / f"{digest}{suffix}"
    target = root / relative
    if not target.exists():
        files.write_bytes_atomically(target, data)
    return relative.as_posix(), digest


def open_change(session: Session, order_id: int) -> OrderChangeRequest | None:
    """The order's change that is not closed yet (there is at most one)."""
    return session.exec(select(OrderChangeRequest).where(OrderChangeRequest.sales_order_id == order_id,
                                                         OrderChangeRequest.state != ChangeState.CLOSED)).first()


def request_change(session: Session, clock: Clock, *, order_id: int, staff_id: int, change: ChangeInput,
                   data_dir: Path | None = None) -> ChangeResult:
    """Sales records a change the customer confirmed in writing: it is applied to the order at once (the values
    before are kept on the change), and the departments it touches review the order again."""
    now = clock.now()
    roles.require(session, staff_id, *roles.SALES_OR_PMC, refusal=roles.CHANGE)
    order = get_order(session, order_id)
    if open_change(session, order.id) is not None:
        raise AppError(N_("Sales order {number} has a change that is not closed yet: close it first."),
                       number=order.number)
    move(order, "change")  # refused, naming the state, unless the order is committed
    reference = inputs.text(change.confirmation_reference, field=N_("Signed reference"), limit=200)
    if change.confirmation_file is None and not reference:
        raise AppError(N_("A change needs the customer's written confirmation: attach the file or give the "
                          "reference of the signed document."))
    lines = {line.id: line for line in session.exec(select(SalesOrderLine)
                                                    .where(SalesOrderLine.sales_order_id == order.id)).all()}
    shipped: dict[int, int] = {}
    for line_id, quantity in session.exec(select(Delivery.sales_order_line_id, Delivery.quantity)
                                          .where(Delivery.sales_order_id == order.id)):
        shipped[line_id] = shipped.get(line_id, 0) + quantity
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    aspects: list[str] = []

    quantities: dict[int, int] = {}
    for line_id, value in change.quantities.items():
        if line_id not in lines:
            raise AppError(N_("Line {line} is not on sales order {number}."), line=line_id, number=order.number)
        quantity = inputs.quantity(value)
        if quantity < shipped.get(line_id, 0):
            raise AppError(N_("{shipped} of line {line} are shipped already: the quantity cannot be less."),
                           shipped=shipped[line_id], line=line_id)
        if quantity != lines[line_id].quantity:
            quantities[line_id] = quantity
    if quantities:
        aspects.append("quantity")
        before["quantities"] = {str(i): lines[i].quantity for i in quantities}
        after["quantities"] = {str(i): q for i, q in quantities.items()}

    day = None
    if change.requested_date is not None:
        day = inputs.requested_date(change.requested_date, today=now.date())
        if day != order.requested_date:
            aspects.append("date")
            before["requested_date"], after["requested_date"] = order.requested_date, day

    specification = inputs.text(change.specification, field=N_("Specification"), limit=SPECIFICATION_MAX)
    if specification:
        aspects.append("specification")

    removed = []
    for line_id in change.remove_lines:
        if line_id not in lines:
            raise AppError(N_("Line {line} is not on sales order {number}."), line=line_id, number=order.number)
        if shipped.get(line_id):
            raise AppError(N_("Line {line} is shipped in part already: it cannot be removed."), line=line_id)
        if line_id in quantities:
            raise AppError(N_("Line {line} cannot be both changed and removed."), line=line_id)
        removed.append(lines[line_id])
    added: list[tuple[Product, int, dt.date]] = []
    for line in change.add_lines:
        product = session.exec(select(Product).where(Product.code == str(line.product_code).strip())).first()
        if product is None:
            raise AppError(N_("There is no product {code}."), code=line.product_code)
        added.append((product, inputs.quantity(line.quantity),
                      inputs.requested_date(line.requested_date or day or order.requested_date, today=now.date())))
    if removed or added:
        if len(removed) == len(lines) and not added:
            raise AppError(N_("An order needs at least one line."))
        aspects.append("lines")
        before["lines_removed"] = [{"line": r.id, "product": r.product_id, "quantity": r.quantity} for r in removed]
        after["lines_added"] = [{"product": p.code, "quantity": q} for p, q, _ in added]
    if not aspects:
        raise AppError(N_("Say what the customer changed: a quantity, the requested date, the specification or "
                          "the lines."))

    stored, digest = "", ""
    if change.confirmation_file is not None:
        stored, digest = _store_confirmation(Path(change.confirmation_file), data_dir or paths.data_dir())
    aspects = [a for a in ASPECTS if a in aspects]
    departments = departments_for(aspects)

    # Apply the change to the order; its earlier values stay on the change record.
    for line_id, quantity in quantities.items():
        lines[line_id].quantity = quantity
        session.add(lines[line_id])
    for line in removed:
        session.delete(line)
    for product, quantity, line_day in added:
        session.add(SalesOrderLine(sales_order_id=order.id, product_id=product.id, quantity=quantity,
                                   requested_date=line_day))
    order.review_round += 1
    record = OrderChangeRequest(
        sales_order_id=order.id, state=ChangeState.IN_REVIEW, aspects=",".join(aspects),
        departments=",".join(departments), review_round=order.review_round,
        before=json.dumps(before, default=str, ensure_ascii=False, sort_keys=True),
        after=json.dumps(after, default=str, ensure_ascii=False, sort_keys=True), specification=specification,
        confirmation_file=stored, confirmation_sha256=digest, confirmation_reference=reference,
        requested_by=staff_id, requested_at=now, committed_before=order.committed_date)
    session.add(record)
    session.flush()
    if "date" in aspects:
        order.requested_date = day
        gone = {r.id for r in removed}
        for line in lines.values():
            if line.id not in gone and line.requested_date != day:
                line.requested_date = day
                session.add(line)
        record_date(session, order, kind=DateKind.REVISED, day=day, by=staff_id, at=now,
                    why=f"change {record.id}")
    for review in current_reviews(session, order.id):
        if review.department in departments:
            review.superseded_at = now
            session.add(review)
    order.state = move(order, "change")
    order.computed_date, order.critical_path = None, ""  # the committed date stands until PMC commits again
    session.add(order)
    session.flush()
    open_reviews(session, order, now=now, departments=list(departments))
    events.record(session, at=now, kind="order_change_requested", staff_id=staff_id, order=order.id,
                  change=record.id, aspects=record.aspects, departments=record.departments,
                  confirmation_sha256=digest, confirmation_reference=reference)
    return ChangeResult("order_change_requested", record.id, order.id, record.state, departments)


def get_change(session: Session, change_id: int) -> OrderChangeRequest:
    change = session.get(OrderChangeRequest, change_id)
    if change is None:
        raise AppError(N_("That change request does not exist."))
    return change


def involved(change: OrderChangeRequest) -> tuple[str, ...]:
    return tuple(change.departments.split(",")) if change.departments else ()


def acknowledgements(session: Session, change_id: int) -> list[OrderChangeAck]:
    return list(session.exec(select(OrderChangeAck).where(OrderChangeAck.change_id == change_id)
                             .order_by(OrderChangeAck.id)).all())


def missing_acknowledgements(session: Session, change_id: int) -> tuple[str, ...]:
    """The departments involved that have not acknowledged the change yet."""
    change = get_change(session, change_id)
    done = {a.department for a in acknowledgements(session, change_id)}
    return tuple(d for d in involved(change) if d not in done)


def acknowledge_change(session: Session, clock: Clock, *, change_id: int, department: str,
                       staff_id: int) -> ChangeResult:
    """A department involved acknowledges the change as committed again, once; the last one closes it."""
    now = clock.now()
    change = get_change(session, change_id)
    order = get_order(session, change.sales_order_id)
    if department not in involved(change):
        raise AppError(N_("The change to sales order {number} does not involve {department}; it involves "
                          "{departments}."), number=order.number,
                       department=DEPARTMENT_TEXT.get(department, str(department)),
                       departments=join_list([DEPARTMENT_TEXT[d] for d in involved(change)]))
    if change.state == ChangeState.CLOSED:
        raise AppError(N_("The change to sales order {number} is closed already."), number=order.number)
    earlier = session.exec(select(OrderChangeAck).where(OrderChangeAck.change_id == change.id,
                                                        OrderChangeAck.department == department)).first()
    if earlier is not None:
        raise AppError(N_("{department} already acknowledged this change on {time}; it is acknowledged once."),
                       department=DEPARTMENT_TEXT[department], time=earlier.at.strftime("%Y-%m-%d %H:%M"))
    if change.state != ChangeState.ACKNOWLEDGING:
        raise AppError(N_("The change to sales order {number} is still under review: it is acknowledged once "
                          "PMC has committed the date again."), number=order.number)
    roles.require_department(session, staff_id, department, refusal=roles.ACKNOWLEDGE)
    session.add(OrderChangeAck(change_id=change.id, department=department, by=staff_id, at=now))
    session.flush()
    events.record(session, at=now, kind="order_change_acknowledged", staff_id=staff_id, order=order.id,
                  change=change.id, department=department)
    if not missing_acknowledgements(session, change.id):
        change.state, change.closed_at = ChangeState.CLOSED, now
        session.add(change)
        events.record(session, at=now, kind="order_change_closed", staff_id=staff_id, order=order.id,
                      change=change.id, committed_before=change.committed_before,
                      committed_after=change.committed_after)
        return ChangeResult("order_change_closed", change.id, order.id, change.state, involved(change))
    return ChangeResult("order_change_acknowledged", change.id, order.id, change.state, involved(change))
