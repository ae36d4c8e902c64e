"""What the planning desk's verbs do in a replay: the planning workflows the desk's window calls, by the people
the scenario names (their roles decide what they may do, as at the desk), on the virtual clock.

A sales order is named by its number, a product by its code, a department by its name. `expect_date` and
`expect_state` check the order after the event (docs/scenarios.md, "The planning desk").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from counter_app import paths
from counter_app.clock import VirtualClock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Holiday, Staff
from counter_app.models.planning import OrderChangeRequest, Product, SalesOrder, SalesOrderLine
from counter_app.workflows.core import settings_record
from counter_app.workflows.planning import changes, deliveries, orders, review, roles, rush
from counter_app.workflows.planning.changes import ChangeInput
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer
from counter_app.workflows.replay.scenario import ScenarioError, Step

Handler = Callable[[Session, Step], str | None]
# After these the date to expect is the one the answers gave (computed); after the others, the committed one.
COMPUTING = ("answer_review", "revise_date")


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _lines(given: list[dict[str, Any]]) -> list[LineInput]:
    return [LineInput(line["product"], line["quantity"], _day(line.get("requested_date"))) for line in given]


class PlanningDesk:
    """The planning verbs of one run; `rushes` keeps each rush order's impact for the summary."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.rushes: list[dict[str, Any]] = []
        self.handlers: dict[str, Handler] = {
            "product": self._product, "material": self._material, "capacity": self._capacity,
            "holiday": self._holiday, "factory_day": self._factory_day, "enter_order": self._enter_order,
            "pay": self._pay, "answer_review": self._answer_review, "confirm_date": self._confirm_date,
            "override_date": self._override_date, "revise_date": self._revise_date,
            "request_change": self._request_change, "acknowledge_change": self._acknowledge_change,
            "rush": self._rush, "ship": self._ship,
        }

    # -- names -------------------------------------------------------------------------------------------------

    @staticmethod
    def _staff(session: Session, step: Step, name: str = "staff") -> int:
        staff = session.exec(select(Staff).where(Staff.staff_no == step.fields[name])).first()
        if staff is None:
            raise AppError(N_("Unknown staff number {staff}."), staff=step.fields[name])
        return staff.id

    @staticmethod
    def _order(session: Session, number: str) -> SalesOrder:
        order = session.exec(select(SalesOrder).where(SalesOrder.number == number)).first()
        if order is None:
            raise AppError(N_("There is no sales order {number}."), number=number)
        return order

    def _outcome(self, session: Session, step: Step, number: str) -> str:
        """The order as the event left it (its state and dates), checked against what the scenario expects."""
        order = self._order(session, number)
        session.refresh(order)
        day = order.computed_date if step.verb in COMPUTING else order.committed_date
        wanted = step.fields.get("expect_date")
        if wanted is not None and (day is None or day.isoformat() != wanted):
            raise ScenarioError(step.line, N_("expected {expected}, but got {actual}."), expected=wanted,
                                actual=day.isoformat() if day else "—")
        state = step.fields.get("expect_state")
        if state is not None and state != order.state:
            raise ScenarioError(step.line, N_("expected {expected}, but got {actual}."), expected=state,
                                actual=order.state)
        parts = [order.number, str(order.state)]
        if order.computed_date is not None:
            parts.append(f"computed {order.computed_date.isoformat()}")
        if order.committed_date is not None:
            parts.append(f"committed {order.committed_date.isoformat()}")
        return " ".join(parts)

    # -- the lists and the calendar ------------------------------------------------------------------------------

    def _product(self, session: Session, step: Step) -> str | None:
        f, staff_id = step.fields, self._staff(session, step)
        orders.add_product(session, self.clock, code=f["code"], name_zh=f["name_zh"], name_en=f.get("name_en", ""),
                           lead_days=f["lead_days"], stock=f.get("stock", 0), staff_id=staff_id)
        if "load_per_unit" in f:
            rush.set_production_load(session, self.clock, product_code=f["code"], load_per_unit=f["load_per_unit"],
                                     staff_id=staff_id)
        return f["code"]

    def _material(self, session: Session, step: Step) -> str | None:
        f = step.fields
        orders.add_material(session, self.clock, code=f["code"], name=f["name"], lead_days=f["lead_days"],
                            stock=f.get("stock", 0), staff_id=self._staff(session, step))
        return f["code"]

    def _capacity(self, session: Session, step: Step) -> str | None:
        rush.set_capacity(session, self.clock, units_per_day=step.fields["units_per_day"],
                          staff_id=self._staff(session, step))
        return str(step.fields["units_per_day"])

    def _holiday(self, session: Session, step: Step) -> str | None:
        """Public holidays, from `date` to `until`: the hall's holiday list, which the factory's calendar reads
        too. Set as the desk's master data (PMC or an administrator), recorded as settings are."""
        staff_id = self._staff(session, step)
        roles.require(session, staff_id, *roles.MASTER_DATA, refusal=roles.MASTER)
        first = _day(step.fields["date"])
        last = _day(step.fields.get("until")) or first
        if last < first or (last - first).days > 31:
            raise AppError(N_("A holiday runs from its first day to at most 31 days later."))
        existing = set(session.exec(select(Holiday.day).where(Holiday.day >= first, Holiday.day <= last)))
        rows = [Holiday(day=first + dt.timedelta(days=n), note=step.fields.get("note", ""))
                for n in range((last - first).days + 1) if first + dt.timedelta(days=n) not in existing]
        if not rows:
            raise AppError(N_("{day} is a public holiday already."), day=first.isoformat())
        session.add_all(rows)
        settings_record.record(session, at=self.clock.now(), rows=rows, why="holiday_added", staff_id=staff_id)
        return f"{first.isoformat()}..{last.isoformat()}"

    def _factory_day(self, session: Session, step: Step) -> str | None:
        f = step.fields
        orders.set_factory_day(session, self.clock, day=_day(f["date"]), closed=f["closed"], note=f.get("note", ""),
                               staff_id=self._staff(session, step))
        return f"{f['date']} {'closed' if f['closed'] else 'working'}"

    # -- orders, review and dates --------------------------------------------------------------------------------

    def _enter_order(self, session: Session, step: Step) -> str | None:
        f = step.fields
        owner = self._staff(session, step, "sales_owner") if "sales_owner" in f else None
        orders.enter_order(session, self.clock, number=f["order"], customer=f["customer"], kind=f["kind"],
                           requested_date=_day(f["requested_date"]), lines=_lines(f["lines"]),
                           staff_id=self._staff(session, step), payment=f.get("payment", "none"),
                           sales_owner=owner)
        return self._outcome(session, step, f["order"])

    def _pay(self, session: Session, step: Step) -> str | None:
        order = self._order(session, step.fields["order"])
        orders.record_payment(session, self.clock, order_id=order.id, payment=step.fields["payment"],
                              staff_id=self._staff(session, step))
        return self._outcome(session, step, order.number)

    def _answer_review(self, session: Session, step: Step) -> str | None:
        f = step.fields
        order = self._order(session, f["order"])
        found = [r for r in review.current_reviews(session, order.id) if r.department == f["department"]]
        if not found:
            raise AppError(N_("Sales order {number} has no {department} review."), number=order.number,
                           department=review.DEPARTMENT_TEXT[f["department"]])
        answer = ReviewAnswer(f["department"], f["can_meet"], f["lead_days"], depends_on=f.get("depends_on", ""),
                              reason_code=f.get("reason", ""), notes=f.get("notes", ""),
                              details=f.get("details", {}))
        review.answer_review(session, self.clock, review_id=found[0].id, staff_id=self._staff(session, step),
                             answer=answer)
        return self._outcome(session, step, order.number)

    def _confirm_date(self, session: Session, step: Step) -> str | None:
        order = self._order(session, step.fields["order"])
        review.confirm_date(session, self.clock, order_id=order.id, staff_id=self._staff(session, step))
        return self._outcome(session, step, order.number)

    def _override_date(self, session: Session, step: Step) -> str | None:
        f = step.fields
        order = self._order(session, f["order"])
        review.override_date(session, self.clock, order_id=order.id, staff_id=self._staff(session, step),
                             day=_day(f["date"]), reason=f["reason"])
        return self._outcome(session, step, order.number)

    def _revise_date(self, session: Session, step: Step) -> str | None:
        f = step.fields
        order = self._order(session, f["order"])
        review.revise_requested_date(session, self.clock, order_id=order.id, staff_id=self._staff(session, step),
                                     day=_day(f["date"]), why=f["why"])
        return self._outcome(session, step, order.number)

    # -- changes -------------------------------------------------------------------------------------------------

    def _request_change(self, session: Session, step: Step) -> str | None:
        """A change the customer confirmed by a signed document (its reference in `confirmation`); quantities are
        given per product code, for the order's line of that product."""
        f = step.fields
        order = self._order(session, f["order"])
        lines = session.exec(select(SalesOrderLine.id, Product.code).join(Product, Product.id == SalesOrderLine.product_id)
                             .where(SalesOrderLine.sales_order_id == order.id)).all()
        quantities = {}
        for code, quantity in f.get("quantities", {}).items():
            ids = [line_id for line_id, product in lines if product == code]
            if len(ids) != 1:
                raise AppError(N_("Sales order {number} has no single line of {code}."), number=order.number, code=code)
            quantities[ids[0]] = quantity
        change = ChangeInput(quantities=quantities, requested_date=_day(f.get("requested_date")),
                             specification=f.get("specification", ""), add_lines=_lines(f.get("add_lines", [])),
                             confirmation_reference=f.get("confirmation", ""))
        done = changes.request_change(session, self.clock, order_id=order.id, staff_id=self._staff(session, step),
                                      change=change, data_dir=paths.data_dir())
        return f"{self._outcome(session, step, order.number)}; change {done.change_id}: {','.join(done.departments)}"

    def _acknowledge_change(self, session: Session, step: Step) -> str | None:
        order = self._order(session, step.fields["order"])
        change = session.exec(select(OrderChangeRequest).where(OrderChangeRequest.sales_order_id == order.id)
                              .order_by(OrderChangeRequest.id.desc())).first()
        if change is None:
            raise AppError(N_("Sales order {number} has no change request."), number=order.number)
        done = changes.acknowledge_change(session, self.clock, change_id=change.id,
                                          department=step.fields["department"], staff_id=self._staff(session, step))
        return f"change {done.change_id} {done.state}"

    # -- rush orders and deliveries ------------------------------------------------------------------------------

    def _rush(self, session: Session, step: Step) -> str | None:
        """PMC looks at which committed orders a rush order would make slip and, unless `accept` is false, signs
        it off; the impact is kept for the summary and may be checked with `expect_slips` (order → working days)."""
        f = step.fields
        order = self._order(session, f["order"])
        staff_id = self._staff(session, step)
        impact = rush.rush_impact(session, order.id, self.clock.now())
        slips = {s.number: s.days for s in impact.slips}
        if "expect_slips" in f and f["expect_slips"] != slips:
            raise ScenarioError(step.line, N_("expected {expected}, but got {actual}."),
                                expected=_slip_text(f["expect_slips"]), actual=_slip_text(slips))
        accept = f.get("accept", True)
        if accept:
            rush.accept_rush(session, self.clock, order_id=order.id, staff_id=staff_id, reason=f["reason"])
        self.rushes.append({
            "line": step.line, "at": self.clock.now().isoformat(timespec="seconds"), "order": order.number,
            "load": impact.load, "capacity": impact.capacity, "finish": impact.finish.isoformat(),
            "committed": impact.committed.isoformat(), "accepted": accept, "reason": f["reason"],
            "slips": [{"order": s.number, "committed": s.committed.isoformat(), "new_date": s.new_date.isoformat(),
                       "working_days": s.days} for s in impact.slips]})
        return self._outcome(session, step, order.number)

    def _ship(self, session: Session, step: Step) -> str | None:
        """Pieces of the order's line of a product leave the factory (on `shipped_on`, else today)."""
        f = step.fields
        order = self._order(session, f["order"])
        lines = session.exec(select(SalesOrderLine.id, SalesOrderLine.quantity)
                             .join(Product, Product.id == SalesOrderLine.product_id)
                             .where(SalesOrderLine.sales_order_id == order.id, Product.code == f["product"])
                             .order_by(SalesOrderLine.id)).all()
        if not lines:
            raise AppError(N_("Sales order {number} has no line of {code}."), number=order.number, code=f["product"])
        open_lines = [line_id for line_id, quantity in lines if deliveries.shipped_quantity(session, line_id) < quantity]
        shipped = deliveries.record_delivery(
            session, self.clock, line_id=(open_lines or [lines[0][0]])[0], quantity=f["quantity"],
            shipped_on=_day(f.get("shipped_on")) or self.clock.now().date(), staff_id=self._staff(session, step),
            note=f.get("note", ""))
        return f"{order.number} {f['product']} {shipped.quantity} shipped, {shipped.left} left"


def _slip_text(slips: dict[str, int]) -> str:
    return ", ".join(f"{number} {days}" for number, days in sorted(slips.items())) or "—"
