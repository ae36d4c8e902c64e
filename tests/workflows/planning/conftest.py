"""The planning desk on the demo hall's store: two products, a material, the staff who act, a Monday morning."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from helpers.fixtures import staff_id
from helpers.story import act

from counter_app.workflows.planning import orders

MONDAY = dt.datetime(2026, 9, 28, 9, 0)


@dataclass(frozen=True)
class Desk:
    store: object
    clock: object
    sales: int
    pmc: int
    reviewer: int


@pytest.fixture
def desk(hall, clock) -> Desk:
    clock.set(MONDAY)
    sales, pmc, reviewer = staff_id(hall, "S001"), staff_id(hall, "M001"), staff_id(hall, "S002")
    act(hall, clock, orders.add_product, code="P-100", name_zh="标准泵", name_en="Standard pump", lead_days=6,
        stock=50, staff_id=pmc)
    act(hall, clock, orders.add_product, code="P-200", name_zh="大型泵", name_en="Large pump", lead_days=9,
        stock=0, staff_id=pmc)
    act(hall, clock, orders.add_material, code="M-1", name="铸铁壳体", lead_days=15, stock=20, staff_id=pmc)
    return Desk(hall, clock, sales, pmc, reviewer)
