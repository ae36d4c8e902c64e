"""The demo planning desk: a pump factory's products, materials and capacity, and a few sales orders in different
states (shipping once paid, planned, in review, awaiting PMC, committed, returned to sales), entered through the
planning workflows by the demo hall's planning staff (F001 PMC, F002 sales, F003-F007 the departments)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from counter_app.clock import VirtualClock
from counter_app.models import Staff
from counter_app.models.planning import Product
from counter_app.workflows.planning import orders, review, rush
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer

PMC, SALES = "F001", "F002"
REVIEWERS = {"engineering": "F003", "purchasing": "F004", "warehouse": "F005", "production": "F006",
             "quality": "F007"}
PRODUCTS = [  # code, zh, en, lead days, stock, load units a piece
    ("STD-100", "标准齿轮泵", "Standard gear pump", 5, 40, 1),
    ("STD-200", "大型齿轮泵", "Large gear pump", 8, 0, 2),
    ("CUS-300", "定制计量泵", "Custom metering pump", 10, 0, 4),
    ("SMP-400", "隔膜泵样机", "Diaphragm pump prototype", 15, 0, 5),
]
MATERIALS = [("M-CAST", "铸铁泵壳", 12, 60), ("M-SEAL", "机械密封", 8, 100)]
CAPACITY = 40  # load units a working day
LEADS = {"engineering": 3, "purchasing": 4, "warehouse": 2, "production": 5, "quality": 1}


def seed_planning_demo(session: Session, *, at: dt.datetime) -> bool:
    """Fill the planning desk of a new demo store at `at`; a store with products already, or without the demo's
    planning staff, is left alone. Returns whether anything was added."""
    staff = dict(session.exec(select(Staff.staff_no, Staff.id)).all())
    if session.exec(select(Product.id).limit(1)).first() is not None or any(
            no not in staff for no in (PMC, SALES, *REVIEWERS.values())):
        return False
    clock = VirtualClock(at)
    pmc, sales = staff[PMC], staff[SALES]
    for code, name_zh, name_en, lead, stock, load in PRODUCTS:
        orders.add_product(session, clock, code=code, name_zh=name_zh, name_en=name_en, lead_days=lead, stock=stock,
                           staff_id=pmc)
        rush.set_production_load(session, clock, product_code=code, load_per_unit=load, staff_id=pmc)
    for code, name, lead, stock in MATERIALS:
        orders.add_material(session, clock, code=code, name=name, lead_days=lead, stock=stock, staff_id=pmc)
    rush.set_capacity(session, clock, units_per_day=CAPACITY, staff_id=pmc)
    today = at.date()

    def enter(number: str, customer: str, kind: str, days: int, product: str, quantity: int,
              payment: str = "none") -> int:
        return orders.enter_order(session, clock, number=number, customer=customer, kind=kind,
                                  requested_date=today + dt.timedelta(days=days),
                                  lines=[LineInput(product, quantity)], staff_id=sales, payment=payment,
                                  sales_owner=sales).order_id

    def answer(order_id: int, departments, **no) -> None:
        for found in review.current_reviews(session, order_id):
            if found.department in departments:
                refused = found.department in no
                reply = ReviewAnswer(found.department, not refused, no.get(found.department, LEADS[found.department]),
                                     reason_code="design_time" if refused else "",
                                     notes="非标接口需重新出图" if refused else "")
                review.answer_review(session, clock, review_id=found.id, staff_id=staff[REVIEWERS[found.department]],
                                     answer=reply)

    enter("SO-DEMO-01", "华东水务集团", "standard_in_stock", 14, "STD-100", 20, payment="paid")
    enter("SO-DEMO-02", "滨江市政工程", "standard_no_stock", 30, "STD-200", 30, payment="deposit")
    committed = enter("SO-DEMO-03", "蓝海化工", "custom", 60, "CUS-300", 50)
    answer(committed, REVIEWERS)
    review.confirm_date(session, clock, order_id=committed, staff_id=pmc)
    waiting = enter("SO-DEMO-04", "国电设备检修公司", "custom", 60, "CUS-300", 20)
    answer(waiting, REVIEWERS)
    returned = enter("SO-DEMO-05", "北方制药", "custom", 14, "CUS-300", 30)
    answer(returned, REVIEWERS, engineering=12)
    in_review = enter("SO-DEMO-06", "启航科技", "new_sample", 45, "SMP-400", 2)
    answer(in_review, ("engineering", "purchasing"))
    return True
