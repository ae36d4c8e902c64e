"""The planning desk's monthly KPIs: pure functions over plain records (`load_records` reads them), and their
CSV and XLSX exports, each written to a temporary name and renamed.

Definitions (docs/planning.md), for a calendar month M:
- **On-time delivery rate**: of the order lines whose order's committed date falls in M, the quantity shipped
  on or before that committed date ÷ the quantity ordered × 100 %.
- **Plan achievement rate**: of the orders whose committed date falls in M (the month's delivery plan), the
  share shipped in full on or before their committed date × 100 %. On-time delivery counts pieces, plan
  achievement counts orders: one late line fails its whole order here.
- **Review accuracy**, per department: what happened is the day an order's last piece shipped (the records
  hold no finish day per department). For each order that went through review and shipped in full in M, the
  departments on its critical path set its computed date; each of them is judged on it: within if the order
  shipped in full by the computed date. Accuracy = within ÷ judged × 100 %, with the mean working days shipped
  after the computed date (negative: early).
- **Review cycle time**: for orders that went through review and were first committed in M, the working days
  from the day the order was entered to the day PMC committed its date (mean and longest).
- **Orders returned to sales**: the returns in M (an order returned twice counts twice) and the orders returned.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_, _
from counter_app.models import Event
from counter_app.models.planning import (
    DateKind,
    Delivery,
    Department,
    OrderDateRevision,
    SalesOrder,
    SalesOrderLine,
)
from counter_app.workflows.core import files
from counter_app.workflows.planning.review import DEPARTMENT_TEXT
from counter_app.workflows.planning.working_days import WorkingCalendar

DEPARTMENTS = tuple(Department)


@dataclass(frozen=True)
class LineRecord:
    order_id: int
    line_id: int
    quantity: int
    committed: dt.date | None  # the order's committed date


@dataclass(frozen=True)
class ShipmentRecord:
    line_id: int
    quantity: int
    shipped_on: dt.date


@dataclass(frozen=True)
class OrderRecord:
    order_id: int
    entered: dt.date
    committed_on: dt.date | None  # the day PMC first committed a date
    computed: dt.date | None  # the date the review's answers gave
    critical: tuple[str, ...]  # empty: the order was not reviewed


@dataclass(frozen=True)
class Records:
    orders: Sequence[OrderRecord]
    lines: Sequence[LineRecord]
    shipments: Sequence[ShipmentRecord]
    returns: Sequence[tuple[int, dt.date]]  # (order id, day it went back to sales)


@dataclass(frozen=True)
class Rate:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return None if not self.whole else 100.0 * self.part / self.whole


@dataclass(frozen=True)
class Accuracy:
    judged: int
    within: int
    mean_late_days: float | None  # working days shipped after the computed date, on average

    @property
    def percent(self) -> float | None:
        return None if not self.judged else 100.0 * self.within / self.judged


@dataclass(frozen=True)
class CycleTime:
    orders: int
    mean_days: float | None
    max_days: int | None


@dataclass(frozen=True)
class MonthKpi:
    month: dt.date  # its first day
    on_time: Rate  # pieces
    plan: Rate  # orders
    accuracy: dict[str, Accuracy]
    cycle: CycleTime
    returns: int
    returned_orders: int


# -- months ----------------------------------------------------------------------------------------------------

def parse_month(text: str) -> dt.date:
    """'2026-10' → 1 October 2026."""
    try:
        year, month = (int(part) for part in str(text).strip().split("-"))
        return dt.date(year, month, 1)
    except ValueError as exc:
        raise AppError(N_("Give the month as YYYY-MM, e.g. 2026-10; {text} is not one."), text=text) from exc


def in_month(day: dt.date | None, month: dt.date) -> bool:
    return day is not None and (day.year, day.month) == (month.year, month.month)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    if last < first:
        raise AppError(N_("The last month comes before the first."))
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


# -- the KPIs (pure) -------------------------------------------------------------------------------------------

def _shipped_by(shipments: Iterable[ShipmentRecord]) -> dict[int, list[ShipmentRecord]]:
    by_line: dict[int, list[ShipmentRecord]] = defaultdict(list)
    for shipment in shipments:
        by_line[shipment.line_id].append(shipment)
    return by_line


def on_time_delivery(records: Records, month: dt.date) -> Rate:
    """Pieces shipped by the committed date ÷ pieces ordered, over the lines committed for the month."""
    by_line = _shipped_by(records.shipments)
    ordered = on_time = 0
    for line in records.lines:
        if not in_month(line.committed, month):
            continue
        ordered += line.quantity
        on_time += min(line.quantity, sum(s.quantity for s in by_line[line.line_id] if s.shipped_on <= line.committed))
    return Rate(on_time, ordered)


def _completion(records: Records) -> dict[int, dt.date]:
    """The day each fully shipped order's last piece shipped."""
    by_line = _shipped_by(records.shipments)
    lines: dict[int, list[LineRecord]] = defaultdict(list)
    for line in records.lines:
        lines[line.order_id].append(line)
    done = {}
    for order_id, its_lines in lines.items():
        days = []
        for line in its_lines:
            shipped = sorted(by_line[line.line_id], key=lambda s: s.shipped_on)
            total = 0
            for shipment in shipped:
                total += shipment.quantity
                if total >= line.quantity:
                    days.append(shipment.shipped_on)
                    break
            else:
                break
        else:
            if days:
                done[order_id] = max(days)
    return done


def plan_achievement(records: Records, month: dt.date) -> Rate:
    """Orders shipped in full by their committed date ÷ orders committed for the month."""
    committed = {line.order_id: line.committed for line in records.lines if in_month(line.committed, month)}
    done = _completion(records)
    achieved = sum(1 for order_id, day in committed.items() if order_id in done and done[order_id] <= day)
    return Rate(achieved, len(committed))


def review_accuracy(records: Records, month: dt.date, calendar: WorkingCalendar) -> dict[str, Accuracy]:
    """Per department, over the reviewed orders shipped in full in the month with it on the critical path."""
    done = _completion(records)
    judged: dict[str, list[int]] = {d: [] for d in DEPARTMENTS}
    for order in records.orders:
        shipped = done.get(order.order_id)
        if not order.critical or order.computed is None or not in_month(shipped, month):
            continue
        late = calendar.between(order.computed, shipped)
        for department in order.critical:
            judged.setdefault(department, []).append(late)
    return {d: Accuracy(len(lates), sum(1 for late in lates if late <= 0),
                        sum(lates) / len(lates) if lates else None) for d, lates in judged.items()}


def review_cycle_time(records: Records, month: dt.date, calendar: WorkingCalendar) -> CycleTime:
    """Working days from entry to PMC's first commitment, over the reviewed orders first committed in the month."""
    days = [calendar.between(o.entered, o.committed_on) for o in records.orders
            if o.critical and in_month(o.committed_on, month)]
    if not days:
        return CycleTime(0, None, None)
    return CycleTime(len(days), sum(days) / len(days), max(days))


def returned_to_sales(records: Records, month: dt.date) -> tuple[int, int]:
    """(returns in the month, orders returned in the month)."""
    returns = [order_id for order_id, day in records.returns if in_month(day, month)]
    return len(returns), len(set(returns))


def month_kpi(records: Records, month: dt.date, calendar: WorkingCalendar) -> MonthKpi:
    times, orders = returned_to_sales(records, month)
    return MonthKpi(month, on_time_delivery(records, month), plan_achievement(records, month),
                    review_accuracy(records, month, calendar), review_cycle_time(records, month, calendar),
                    times, orders)


def monthly(records: Records, first: dt.date, last: dt.date, calendar: WorkingCalendar) -> list[MonthKpi]:
    return [month_kpi(records, month, calendar) for month in months(first, last)]


# -- reading the records ---------------------------------------------------------------------------------------

def load_records(session: Session) -> Records:
    """Every sales order's KPI facts (a factory's orders for years are tens of thousands of small rows)."""
    first_commit = dict(session.exec(select(OrderDateRevision.sales_order_id, sa.func.min(OrderDateRevision.at))
                                     .where(OrderDateRevision.kind == DateKind.COMMITTED)
                                     .group_by(OrderDateRevision.sales_order_id)).all())
    orders, committed = [], {}
    for order in session.exec(select(SalesOrder)).all():
        committed[order.id] = order.committed_date
        first = first_commit.get(order.id)
        critical = tuple(order.critical_path.split(",")) if order.critical_path and order.rule == "review" else ()
        orders.append(OrderRecord(order.id, order.created_at.date(), first.date() if first else None,
                                  order.computed_date, critical))
    lines = [LineRecord(order_id, line_id, quantity, committed.get(order_id))
             for line_id, order_id, quantity in session.exec(
                 select(SalesOrderLine.id, SalesOrderLine.sales_order_id, SalesOrderLine.quantity)).all()]
    shipments = [ShipmentRecord(line_id, quantity, day) for line_id, quantity, day in session.exec(
        select(Delivery.sales_order_line_id, Delivery.quantity, Delivery.shipped_on)).all()]
    returns = [(int(json.loads(data).get("order", 0)), at.date()) for at, data in session.exec(
        select(Event.at, Event.data).where(Event.kind == "sales_order_returned")).all()]
    return Records(orders, lines, shipments, returns)


# -- exports ---------------------------------------------------------------------------------------------------

def header() -> list[str]:
    columns = [_("Month"), _("Pieces ordered"), _("Pieces on time"), _("On-time delivery %"),
               _("Orders planned"), _("Orders achieved"), _("Plan achievement %"),
               _("Reviewed orders committed"), _("Review cycle, mean working days"),
               _("Review cycle, longest working days"), _("Returns to sales"), _("Orders returned to sales")]
    for department in DEPARTMENTS:
        name = _(DEPARTMENT_TEXT[department])
        columns += [_("Review accuracy %, {department}").format(department=name),
                    _("Orders judged, {department}").format(department=name)]
    return columns


def _pct(value: float | None) -> float | str:
    return "" if value is None else round(value, 1)


def rows(kpis: Sequence[MonthKpi]) -> list[list[object]]:
    out = []
    for k in kpis:
        row: list[object] = [f"{k.month:%Y-%m}", k.on_time.whole, k.on_time.part, _pct(k.on_time.percent),
                             k.plan.whole, k.plan.part, _pct(k.plan.percent), k.cycle.orders,
                             _pct(k.cycle.mean_days), "" if k.cycle.max_days is None else k.cycle.max_days,
                             k.returns, k.returned_orders]
        for department in DEPARTMENTS:
            accuracy = k.accuracy.get(department, Accuracy(0, 0, None))
            row += [_pct(accuracy.percent), accuracy.judged]
        out.append(row)
    return out


def write_csv(kpis: Sequence[MonthKpi], path: Path) -> Path:
    def write(partial: Path) -> None:
        with partial.open("w", newline="", encoding="utf-8-sig") as out:  # the BOM: Excel reads it as UTF-8
            writer = csv.writer(out)
            writer.writerow(header())
            writer.writerows(rows(kpis))
    return files.write_atomically(path, write)


def write_xlsx(kpis: Sequence[MonthKpi], path: Path) -> Path:
    from openpyxl import Workbook  # loaded only for this export

    def write(partial: Path) -> None:
        book = Workbook()
        sheet = book.active
        sheet.title = "KPI"
        sheet.append(header())
        for row in rows(kpis):
            sheet.append(row)
        book.save(partial)
    return files.write_atomically(path, write)


FORMATS = {"csv": write_csv, "xlsx": write_xlsx}


def export(kpis: Sequence[MonthKpi], path: Path, fmt: str) -> Path:
    if fmt not in FORMATS:
        raise AppError(N_("Choose the format: csv or xlsx."))
    return FORMATS[fmt](kpis, path)
