"""`--demo` opens a planning desk with content: the demo hall's planning staff have their roles, and the desk has
products, a capacity and orders in each state; tests and scenarios start with an empty desk."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from counter_app.models import Staff
from counter_app.models.planning import FactoryCapacity, Product, SalesOrder
from counter_app.workflows.replay import demo

AT = dt.datetime(2026, 10, 12, 9, 0)


def test_the_demo_desk_has_orders_in_every_state(store):
    with store.write() as session:
        assert demo.seed_demo(session, at=AT, planning=True)
    with store.read() as session:
        roles = dict(session.exec(select(Staff.staff_no, Staff.role).where(Staff.staff_no.startswith("F"))).all())
        states = dict(session.exec(select(SalesOrder.number, SalesOrder.state)).all())
        assert session.exec(select(FactoryCapacity.units_per_day)).one() == 40
        assert len(session.exec(select(Product)).all()) == 4
    assert roles == {"F001": "pmc", "F002": "sales", "F003": "engineering", "F004": "purchasing",
                     "F005": "warehouse", "F006": "production", "F007": "quality"}
    assert states == {"SO-DEMO-01": "ready_to_ship", "SO-DEMO-02": "planned", "SO-DEMO-03": "committed",
                      "SO-DEMO-04": "awaiting_pmc", "SO-DEMO-05": "returned_to_sales", "SO-DEMO-06": "in_review"}


def test_the_hall_alone_leaves_the_desk_empty_and_a_second_seed_changes_nothing(store):
    with store.write() as session:
        demo.seed_demo(session, at=AT)
    with store.write() as session:
        assert not demo.seed_demo(session, at=AT, planning=True)  # the store is not new
    with store.read() as session:
        assert session.exec(select(SalesOrder)).first() is None
