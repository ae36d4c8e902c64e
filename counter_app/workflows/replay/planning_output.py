"""The planning desk in a replay's summary: each sales order with every date it was given and what shipped, and
the desk's KPIs for each month the scenario touched (workflows/planning/kpi.py; docs/scenarios.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlmodel import Session, select

from counter_app.models import Staff
from counter_app.models.planning import (
    Delivery,
    OrderDateRevision,
    OrderFlag,
    Product,
    RushApproval,
    SalesOrder,
    SalesOrderLine,
)
from counter_app.workflows.planning import kpi
from counter_app.workflows.planning.working_days import load_calendar


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="seconds") if isinstance(value, dt.datetime) else value.isoformat()


def sales_orders(session: Session) -> list[dict[str, Any]]:
    """Every sales order: its state, requested, computed and committed dates and critical path, its lines with
    what shipped when, every date it was given (who, when, why) and the slips a rush order gave it."""
    staff = dict(session.exec(select(Staff.id, Staff.staff_no)).all())
    codes = dict(session.exec(select(Product.id, Product.code)).all())
    numbers = dict(session.exec(select(SalesOrder.id, SalesOrder.number)).all())
    lines: dict[int, list[SalesOrderLine]] = defaultdict(list)
    for line in session.exec(select(SalesOrderLine).order_by(SalesOrderLine.id)):
        lines[line.sales_order_id].append(line)
    shipments: dict[int, list[Delivery]] = defaultdict(list)
    for delivery in session.exec(select(Delivery).order_by(Delivery.id)):
        shipments[delivery.sales_order_line_id].append(delivery)
    dates: dict[int, list[OrderDateRevision]] = defaultdict(list)
    for revision in session.exec(select(OrderDateRevision).order_by(OrderDateRevision.id)):
        dates[revision.sales_order_id].append(revision)
    rushes = dict(session.exec(select(RushApproval.id, RushApproval.sales_order_id)).all())
    flags: dict[int, list[OrderFlag]] = defaultdict(list)
    for flag in session.exec(select(OrderFlag).order_by(OrderFlag.id)):
        flags[flag.sales_order_id].append(flag)
    out = []
    for order in session.exec(select(SalesOrder).order_by(SalesOrder.id)):
        its_lines = []
        for line in lines[order.id]:
            shipped = shipments[line.id]
            its_lines.append({"product": codes[line.product_id], "quantity": line.quantity,
                              "requested": _iso(line.requested_date),
                              "shipped": sum(d.quantity for d in shipped),
                              "deliveries": [{"quantity": d.quantity, "shipped_on": _iso(d.shipped_on)}
                                             for d in shipped]})
        out.append({
            "number": order.number, "customer": order.customer, "kind": order.kind, "rule": order.rule,
            "payment": order.payment, "state": order.state, "entered_at": _iso(order.created_at),
            "entered_by": staff.get(order.created_by), "requested": _iso(order.requested_date),
            "computed": _iso(order.computed_date),
            "critical_path": order.critical_path.split(",") if order.critical_path else [],
            "committed": _iso(order.committed_date), "review_round": order.review_round, "lines": its_lines,
            "dates": [{"kind": r.kind, "day": _iso(r.day), "by": staff.get(r.by), "at": _iso(r.at), "why": r.why}
                      for r in dates[order.id]],
            "slips": [{"rush_order": numbers.get(rushes.get(f.rush_approval_id)), "previous": _iso(f.previous_date),
                       "new": _iso(f.new_date), "working_days": f.slip_days, "owner": staff.get(f.owner)}
                      for f in flags[order.id]],
        })
    return out


def _rate(rate: kpi.Rate) -> dict[str, Any]:
    return {"part": rate.part, "whole": rate.whole,
            "percent": None if rate.percent is None else round(rate.percent, 1)}


def month_kpis(session: Session, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """`kpi.monthly` for every month from `first` to `last`, as the `orders kpi` command computes it."""
    if session.exec(select(SalesOrder.id).limit(1)).first() is None:
        return []
    records = kpi.load_records(session)
    out = []
    for month in kpi.monthly(records, first.replace(day=1), last.replace(day=1), load_calendar(session)):
        out.append({
            "month": f"{month.month:%Y-%m}", "on_time_delivery": _rate(month.on_time),
            "plan_achievement": _rate(month.plan),
            "review_accuracy": {d: {"judged": a.judged, "within": a.within,
                                    "percent": None if a.percent is None else round(a.percent, 1),
                                    "mean_late_days": None if a.mean_late_days is None else round(a.mean_late_days, 2)}
                                for d, a in month.accuracy.items() if a.judged},
            "review_cycle": {"orders": month.cycle.orders,
                             "mean_days": None if month.cycle.mean_days is None else round(month.cycle.mean_days, 2),
                             "max_days": month.cycle.max_days},
            "returns_to_sales": month.returns, "orders_returned": month.returned_orders,
        })
    return out
