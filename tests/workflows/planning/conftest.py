"""The planning desk on the demo hall's store: two products, a material, the staff who act, a Monday morning.

The demo hall's people are counter staff; the desk's own come in here, one per planning role (roles.py): a PMC
planner, a sales person, and a reviewer for each department."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from helpers.story import act

from counter_app.models import Role, Staff
from counter_app.workflows.core import auth
from counter_app.workflows.planning import orders
from counter_app.workflows.replay import demo

MONDAY = dt.datetime(2026, 9, 28, 9, 0)
PLANNING_STAFF = {"P001": ("计划员 周", Role.PMC), "X001": ("销售 林", Role.SALES),
                  "X002": ("销售 陈", Role.SALES), "E001": ("工程 王", Role.ENGINEERING),
                  "B001": ("采购 李", Role.PURCHASING), "W001": ("仓库 赵", Role.WAREHOUSE),
                  "R001": ("生产 刘", Role.PRODUCTION), "Q001": ("品质 孙", Role.QUALITY)}


def add_planning_staff(store) -> dict[str, int]:
    """The desk's people, with the demo password; their ids by staff number."""
    with store.write() as session:
        people = [Staff(staff_no=no, name=name, role=role, password_hash=auth.hash_password(demo.DEMO_PASSWORD))
                  for no, (name, role) in PLANNING_STAFF.items()]
        session.add_all(people)
        session.flush()
        return {p.staff_no: p.id for p in people}


@dataclass(frozen=True)
class Desk:
    store: object
    clock: object
    sales: int
    pmc: int
    warehouse: int
    reviewers: dict[str, int] = field(default_factory=dict)  # department → its reviewer
    other_sales: int = 0

    def reviewer(self, department: str) -> int:
        return self.reviewers[department]


@pytest.fixture
def desk(hall, clock) -> Desk:
    clock.set(MONDAY)
    ids = add_planning_staff(hall)
    reviewers = {"engineering": ids["E001"], "purchasing": ids["B001"], "warehouse": ids["W001"],
                 "production": ids["R001"], "quality": ids["Q001"]}
    pmc = ids["P001"]
    act(hall, clock, orders.add_product, code="P-100", name_zh="标准泵", name_en="Standard pump", lead_days=6,
        stock=50, staff_id=pmc)
    act(hall, clock, orders.add_product, code="P-200", name_zh="大型泵", name_en="Large pump", lead_days=9,
        stock=0, staff_id=pmc)
    act(hall, clock, orders.add_material, code="M-1", name="铸铁壳体", lead_days=15, stock=20, staff_id=pmc)
    return Desk(hall, clock, ids["X001"], pmc, ids["W001"], reviewers, ids["X002"])
