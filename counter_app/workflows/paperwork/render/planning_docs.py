"""The planning desk's printed documents: the order review record (ISO 9001 §8.2.3 evidence) and the customer's
delivery commitment letter, in Chinese or English.

`review_record(session, order_id, language=…, at=…)` and `commitment_letter(…)` read a sales order from the store
into frozen records; `render_review_record` and `render_commitment_letter` draw them. Every sentence states a fact
of the record (who answered, when, what; the date PMC committed and how); nothing is guessed by a template.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_, join_list, pick, translate
from counter_app.models import Staff
from counter_app.models.planning import DateKind, Department, OrderReview, Product, SalesOrderLine
from counter_app.workflows.paperwork.contents import branch_contact, branch_name, branding
from counter_app.workflows.paperwork.render.branding import beside_logo, contact_lines
from counter_app.workflows.paperwork.render.layout import GREY, Flow, draw_text, fmt_date, fmt_datetime
from counter_app.workflows.paperwork.render.pages import PdfInfo, render_pages
from counter_app.workflows.planning import orders, review
from counter_app.workflows.planning.network import REVIEW_NETWORK, schedule

PAGE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 18 * mm
BODY = 10
SMALL = 9
HEADING = 12
TITLE = 18

KIND_TEXT = {"standard_in_stock": N_("standard product, in stock"),
             "standard_no_stock": N_("standard product, to be made"), "custom": N_("custom order"),
             "new_sample": N_("new sample")}
PAYMENT_TEXT = {"none": N_("none"), "deposit": N_("deposit"), "paid": N_("paid in full")}
DATE_KIND_TEXT = {DateKind.REQUESTED: N_("requested date"), DateKind.REVISED: N_("customer's later date"),
                  DateKind.COMMITTED: N_("committed date")}
WHY_TEXT = {review.CONFIRMED: N_("PMC confirmed the computed date"),
            "planned_after_deposit": N_("Planned when the deposit arrived, from the production lead time")}


@dataclass(frozen=True)
class Line:
    code: str
    product: str
    quantity: int
    requested: dt.date


@dataclass(frozen=True)
class Answer:
    """One department's review in one round, as recorded."""

    department: str
    round: int
    opened_at: dt.datetime
    deadline: dt.datetime
    answered_by: str  # "name (staff no.)", "" while unanswered
    answered_at: dt.datetime | None
    can_meet: bool | None
    lead_days: int | None
    depends_on: str
    reason_code: str
    notes: str
    details: tuple[tuple[str, str], ...]  # the department's own fields: (field key, value as printed)
    superseded_at: dt.datetime | None
    start: int | None  # working days from the start, as the network gives them (current answers only)
    finish: int | None


@dataclass(frozen=True)
class DateEntry:
    kind: str
    day: dt.date
    by: str
    at: dt.datetime
    why: str  # as recorded; a key of WHY_TEXT is printed in words


@dataclass(frozen=True)
class OrderRecord:
    """What both documents print about one sales order."""

    branch_name: str
    branch_contact: str
    logo: str
    printed_at: dt.datetime
    number: str
    customer: str
    kind: str
    payment: str
    state: str
    rule: str
    entered_by: str
    entered_at: dt.datetime
    review_round: int
    requested: dt.date
    computed: dt.date | None
    committed: dt.date | None
    critical: tuple[str, ...]
    lines: tuple[Line, ...]
    answers: tuple[Answer, ...]
    history: tuple[DateEntry, ...]

    @property
    def commitment(self) -> DateEntry | None:
        """The latest committed date in the history: who committed it, when and why."""
        return next((d for d in reversed(self.history) if d.kind == DateKind.COMMITTED), None)


def _who(session: Session, staff_id: int | None) -> str:
    staff = session.get(Staff, staff_id) if staff_id is not None else None
    return f"{staff.name} ({staff.staff_no})" if staff is not None else ""


def _value(value: object, language: str) -> str:
    if isinstance(value, bool):
        return translate(N_("yes") if value else N_("no"), language)
    return str(value)


def review_record(session: Session, order_id: int, *, language: str, at: dt.datetime) -> OrderRecord:
    """The order, its lines, every review in every round, the critical path, the committed date and the dates."""
    order = orders.get_order(session, order_id)
    lines = tuple(Line(product.code, pick({"zh": product.name_zh, "en": product.name_en}, language),
                       line.quantity, line.requested_date)
                  for line, product in session.exec(
                      select(SalesOrderLine, Product).join(Product, Product.id == SalesOrderLine.product_id)
                      .where(SalesOrderLine.sales_order_id == order.id).order_by(SalesOrderLine.id)).all())
    rows = session.exec(select(OrderReview).where(OrderReview.sales_order_id == order.id)).all()
    departments = list(Department)
    rows = sorted(rows, key=lambda r: (departments.index(r.department), r.round))
    current = [r for r in rows if r.superseded_at is None]
    plan = None
    if current and all(r.lead_days is not None for r in current) and len(current) == len(REVIEW_NETWORK):
        plan = schedule(REVIEW_NETWORK, {r.department: r.lead_days for r in current})
    answers = []
    for r in rows:
        details = json.loads(r.details or "{}")
        standing = plan is not None and r.superseded_at is None
        answers.append(Answer(
            r.department, r.round, r.opened_at, r.deadline, _who(session, r.answered_by), r.answered_at, r.can_meet,
            r.lead_days, r.depends_on, r.reason_code, r.notes,
            tuple((name, _value(details[name], language)) for name in review.FORMS[r.department] if name in details),
            r.superseded_at, plan.start[r.department] if standing else None,
            plan.finish[r.department] if standing else None))
    history = tuple(DateEntry(d.kind, d.day, _who(session, d.by), d.at, d.why)
                    for d in review.date_history(session, order.id))
    return OrderRecord(
        branch_name(session, language), branch_contact(session, language), branding(session)["logo"], at,
        order.number, order.customer, order.kind, order.payment, order.state, order.rule,
        _who(session, order.created_by), order.created_at, order.review_round, order.requested_date,
        order.computed_date, order.committed_date, review.critical_path(order), lines, tuple(answers), history)


def commitment_letter(session: Session, order_id: int, *, language: str, at: dt.datetime) -> OrderRecord:
    """The record for the customer's letter; refused while the order has no committed date."""
    record = review_record(session, order_id, language=language, at=at)
    if record.committed is None or record.commitment is None:
        raise AppError(N_("Sales order {number} has no committed date yet: there is no commitment to write."),
                       number=record.number)
    return record


# -- drawing -------------------------------------------------------------------------------------------------

def _t(message: str, language: str, /, **facts: object) -> str:
    translated = translate(message, language)
    return translated.format(**facts) if facts else translated


def _header(flow: Flow, record: OrderRecord, title: str, language: str) -> None:
    def lines(column: Flow) -> None:
        column.text(title, TITLE, bold=True)
        column.text(record.branch_name, BODY + 1)

    beside_logo(flow, record.logo, 12 * mm, lines, max_width=36 * mm)
    for line in contact_lines(record.branch_contact, "", language):
        flow.text(line, SMALL, color=GREY)
    flow.space(2 * mm)


def _department(key: str, language: str) -> str:
    return translate(review.DEPARTMENT_TEXT.get(key, key), language)


def _why(why: str, language: str) -> str:
    return translate(WHY_TEXT[why], language) if why in WHY_TEXT else why


def _order_rows(flow: Flow, record: OrderRecord, language: str) -> None:
    flow.rows([
        (_t(N_("Sales order"), language), record.number),
        (_t(N_("Customer"), language), record.customer),
        (_t(N_("Kind"), language), translate(KIND_TEXT.get(record.kind, record.kind), language)),
        (_t(N_("Payment"), language), translate(PAYMENT_TEXT.get(record.payment, record.payment), language)),
        (_t(N_("State"), language), translate(orders.STATE_TEXT.get(record.state, record.state), language)),
        (_t(N_("Triage rule"), language), translate(orders.RULE_TEXT.get(record.rule, record.rule), language)),
        (_t(N_("Entered"), language), f"{record.entered_by} · {fmt_datetime(record.entered_at)}"),
        (_t(N_("Requested date"), language), fmt_date(record.requested)),
        (_t(N_("Review round"), language), str(record.review_round)),
    ], BODY, label_width=32 * mm)


def _lines_table(flow: Flow, record: OrderRecord, language: str) -> None:
    flow.heading(_t(N_("Lines"), language), HEADING)
    w = flow.width
    flow.table((_t(N_("Product code"), language), _t(N_("Product"), language), _t(N_("Quantity"), language),
                _t(N_("Requested date"), language)),
               [(line.code, line.product, str(line.quantity), fmt_date(line.requested)) for line in record.lines],
               BODY, widths=(0.2 * w, 0.42 * w, 0.14 * w, 0.24 * w), right_aligned=(2,))


def _answers(flow: Flow, record: OrderRecord, language: str) -> None:
    flow.heading(_t(N_("The departments' reviews"), language), HEADING)
    w = flow.width
    yes, no = _t(N_("yes"), language), _t(N_("no"), language)
    rows = []
    for a in record.answers:
        meet = "" if a.can_meet is None else (yes if a.can_meet else no)
        span = "" if a.start is None else f"{a.start}–{a.finish}"
        name = _department(a.department, language) + (" ★" if a.department in record.critical and
                                                      a.superseded_at is None else "")
        rows.append((name, str(a.round), a.answered_by or _t(N_("not answered"), language),
                     fmt_datetime(a.answered_at) if a.answered_at else "", meet,
                     "" if a.lead_days is None else str(a.lead_days), span))
    flow.table((_t(N_("Department"), language), _t(N_("Round"), language), _t(N_("Reviewed by"), language),
                _t(N_("Answered"), language), _t(N_("Can meet"), language), _t(N_("Lead days"), language),
                _t(N_("Working days"), language)),
               rows, SMALL, widths=(0.17 * w, 0.08 * w, 0.22 * w, 0.19 * w, 0.1 * w, 0.11 * w, 0.13 * w),
               right_aligned=(5,))
    flow.text(_t(N_("★ on the critical path. Working days: start–finish counted from the day the last answer "
                    "came in."), language), SMALL, color=GREY)
    for a in record.answers:
        facts = []
        if a.depends_on:
            facts.append(_t(N_("Depends on: {text}"), language, text=a.depends_on))
        if a.reason_code:
            facts.append(_t(N_("Reason: {reason}"), language,
                            reason=translate(review.REASONS.get(a.reason_code, a.reason_code), language)))
        if a.notes:
            facts.append(_t(N_("Notes: {text}"), language, text=a.notes))
        facts += [f"{translate(review.FIELD_TEXT.get(k, k), language)}: {v}" for k, v in a.details]
        facts.append(_t(N_("Opened {opened}, due {deadline}"), language, opened=fmt_datetime(a.opened_at),
                        deadline=fmt_datetime(a.deadline)))
        if a.superseded_at:
            facts.append(_t(N_("Asked again on {time}"), language, time=fmt_datetime(a.superseded_at)))
        label = f"{_department(a.department, language)} ({a.round})"
        flow.item(label, "; ".join(facts), SMALL, indent=34 * mm)
        flow.space(2)


def _decision(flow: Flow, record: OrderRecord, language: str) -> None:
    flow.heading(_t(N_("Critical path and committed date"), language), HEADING)
    critical = join_list((_department(d, language) for d in record.critical), language)
    rows = [(_t(N_("Critical path"), language), critical or "—"),
            (_t(N_("Computed date"), language), fmt_date(record.computed) if record.computed else "—"),
            (_t(N_("Committed date"), language), fmt_date(record.committed) if record.committed else "—")]
    commitment = record.commitment
    if commitment is not None:
        if commitment.why == review.CONFIRMED:
            how = _t(N_("Confirmed as computed"), language)
        elif commitment.why in WHY_TEXT:
            how = _why(commitment.why, language)
        else:
            how = _t(N_("Overridden: {reason}"), language, reason=commitment.why)
        rows.append((_t(N_("PMC"), language), f"{how} — {commitment.by} · {fmt_datetime(commitment.at)}"))
    flow.rows(rows, BODY, label_width=32 * mm)


def _history(flow: Flow, record: OrderRecord, language: str) -> None:
    flow.heading(_t(N_("Date history"), language), HEADING)
    w = flow.width
    flow.table((_t(N_("Date"), language), _t(N_("What"), language), _t(N_("By"), language),
                _t(N_("When"), language), _t(N_("Why"), language)),
               [(fmt_date(d.day), translate(DATE_KIND_TEXT.get(d.kind, d.kind), language), d.by,
                 fmt_datetime(d.at), _why(d.why, language)) for d in record.history],
               SMALL, widths=(0.15 * w, 0.13 * w, 0.22 * w, 0.18 * w, 0.32 * w))


def _render(flow: Flow, record: OrderRecord, title: str, language: str) -> bytes:
    page_label = translate(N_("Page {page} of {pages}"), language)

    def decorate(c, number: int, count: int) -> None:
        draw_text(c, MARGIN_X, 9 * mm, f"{title} · {record.number} · {fmt_datetime(record.printed_at)}", SMALL,
                  color=GREY)
        draw_text(c, MARGIN_X, 9 * mm, page_label.format(page=number, pages=count), SMALL, align="right",
                  width=PAGE[0] - 2 * MARGIN_X, color=GREY)

    info = PdfInfo(title=f"{title} {record.number}", subject=record.customer, author=record.branch_name,
                   language=language, created=record.printed_at)
    return render_pages(flow, pagesize=PAGE, margin_x=MARGIN_X, margin_top=MARGIN_TOP, margin_bottom=MARGIN_BOTTOM,
                        info=info, size=BODY, decorate=decorate)


def render_review_record(record: OrderRecord, *, language: str) -> bytes:
    """The evidence pack: the order and its requirements, who reviewed it and what they answered, the critical
    path, the committed date with PMC's decision, and every date the order was given."""
    title = translate(N_("Order review record"), language)
    flow = Flow(PAGE[0] - 2 * MARGIN_X)
    _header(flow, record, title, language)
    flow.text(_t(N_("Contract review (ISO 9001 §8.2.3) of sales order {number}, printed {time}."), language,
                 number=record.number, time=fmt_datetime(record.printed_at)), BODY, color=GREY)
    _order_rows(flow, record, language)
    _lines_table(flow, record, language)
    if record.answers:
        _answers(flow, record, language)
    _decision(flow, record, language)
    _history(flow, record, language)
    return _render(flow, record, title, language)


def commitment_sentence(record: OrderRecord, language: str) -> str:
    """What the factory commits to, from the record: the order, its committed date, who committed it and when."""
    commitment = record.commitment
    return _t(N_("We commit to deliver sales order {number} by {date}. This date was committed on {time} by "
                 "{who}."), language, number=record.number, date=fmt_date(record.committed),
              time=fmt_datetime(commitment.at), who=commitment.by)


def render_commitment_letter(record: OrderRecord, *, language: str) -> bytes:
    """The customer's letter: the committed date of the order and of each line, against the dates asked for."""
    title = translate(N_("Delivery commitment"), language)
    flow = Flow(PAGE[0] - 2 * MARGIN_X)
    _header(flow, record, title, language)
    flow.rows([(_t(N_("To"), language), record.customer), (_t(N_("Date"), language), fmt_date(record.printed_at)),
               (_t(N_("Sales order"), language), record.number)], BODY + 1, label_width=30 * mm)
    flow.space(3 * mm)
    box = flow.inner(8)
    box.text(commitment_sentence(record, language), HEADING + 1, bold=True, leading=(HEADING + 1) * 1.45)
    flow.box(box, padding=8)
    asked = [d for d in record.history if d.kind in (DateKind.REQUESTED, DateKind.REVISED)]
    if asked:
        flow.space(2 * mm)
        first, last = asked[0], asked[-1]
        text = _t(N_("You asked for {date} when the order was entered."), language, date=fmt_date(first.day))
        if last is not first:
            text += " " + _t(N_("On {time} the requested date became {date}."), language,
                             time=fmt_datetime(last.at), date=fmt_date(last.day))
        flow.text(text, BODY + 1)
    flow.heading(_t(N_("Lines"), language), HEADING)
    w = flow.width
    committed = fmt_date(record.committed)
    flow.table((_t(N_("Product code"), language), _t(N_("Product"), language), _t(N_("Quantity"), language),
                _t(N_("Requested date"), language), _t(N_("Committed date"), language)),
               [(line.code, line.product, str(line.quantity), fmt_date(line.requested), committed)
                for line in record.lines],
               BODY, widths=(0.16 * w, 0.34 * w, 0.12 * w, 0.19 * w, 0.19 * w), right_aligned=(2,))
    return _render(flow, record, title, language)
