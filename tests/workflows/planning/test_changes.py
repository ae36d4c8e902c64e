"""A change to a committed order (ISO 9001 §8.2.4): the customer's written confirmation, a new review by only
the departments the change touches, the date committed again, and every department involved acknowledging."""

import datetime as dt
import hashlib

import pytest
from helpers.story import act, events, refused
from sqlmodel import select
from test_order_review import answer, answer_all, custom_order, review_ids

from counter_app import paths
from counter_app.models.planning import OrderChangeRequest, OrderReview
from counter_app.workflows.planning import changes, orders, review, rush
from counter_app.workflows.planning.changes import ChangeInput


@pytest.fixture
def committed(desk) -> int:
    """SO-7, 20 × P-200, reviewed (network length 10) and committed to Mon 12 Oct."""
    order_id = custom_order(desk)
    answer_all(desk, order_id)
    act(desk.store, desk.clock, review.confirm_date, order_id=order_id, staff_id=desk.pmc)
    return order_id


def line_id(desk, order_id) -> int:
    with desk.store.read() as session:
        return orders.order_lines(session, order_id)[0].id


def reviews_by_round(desk, order_id):
    with desk.store.read() as session:
        return sorted((r.department, r.round, r.superseded_at is None) for r in session.exec(
            select(OrderReview).where(OrderReview.sales_order_id == order_id)))


def test_a_quantity_change_reopens_only_purchasing_warehouse_and_production(desk, committed):
    desk.clock.advance(minutes=60 * 24)  # Tue 29 Sep
    done = act(desk.store, desk.clock, changes.request_change, order_id=committed, staff_id=desk.sales,
               change=ChangeInput(quantities={line_id(desk, committed): 35}, confirmation_reference="HD-2026-091 签字"))
    assert done.departments == ("purchasing", "warehouse", "production")
    assert reviews_by_round(desk, committed) == [
        ("engineering", 1, True), ("production", 1, False), ("production", 2, True), ("purchasing", 1, False),
        ("purchasing", 2, True), ("quality", 1, True), ("warehouse", 1, False), ("warehouse", 2, True)]
    with desk.store.read() as session:
        order = orders.get_order(session, committed)
        assert (order.state, order.committed_date) == ("in_review", dt.date(2026, 10, 12))  # the old date stands
        assert orders.order_lines(session, committed)[0].quantity == 35
    # the three answer again; engineering's 2 and quality's 1 stand: 2 + max(5, 1) + 4 + 1 = 12 working days
    # from Tue 29 Sep: Wed 30 … Fri 2 (3), Mon 5 - Fri 9 (8), Mon 12 - Wed 14 (11), Thu 15 (12)
    answer(desk, committed, "warehouse")
    answer(desk, committed, "purchasing", lead=5)
    answer(desk, committed, "production")
    with desk.store.read() as session:
        assert orders.get_order(session, committed).computed_date == dt.date(2026, 10, 15)
    assert "still under review" in refused(desk.store, desk.clock, changes.acknowledge_change,
                                           change_id=done.change_id, department="production", staff_id=desk.reviewer("production"))
    # a change under review is confirmed, never rushed: a rush would leave the change waiting for ever
    assert "has a change under review" in refused(desk.store, desk.clock, rush.accept_rush, order_id=committed,
                                                  staff_id=desk.pmc, reason="客户催货")
    act(desk.store, desk.clock, review.confirm_date, order_id=committed, staff_id=desk.pmc)
    for department in ("purchasing", "warehouse"):
        assert act(desk.store, desk.clock, changes.acknowledge_change, change_id=done.change_id,
                   department=department, staff_id=desk.reviewer(department)).state == "acknowledging"
    assert "already acknowledged" in refused(desk.store, desk.clock, changes.acknowledge_change,
                                             change_id=done.change_id, department="warehouse",
                                             staff_id=desk.reviewer("warehouse"))
    assert "does not involve engineering" in refused(desk.store, desk.clock, changes.acknowledge_change,
                                                     change_id=done.change_id, department="engineering",
                                                     staff_id=desk.reviewer("engineering"))
    closed = act(desk.store, desk.clock, changes.acknowledge_change, change_id=done.change_id,
                 department="production", staff_id=desk.reviewer("production"))
    assert closed.kind == "order_change_closed" and closed.state == "closed"
    with desk.store.read() as session:
        change = session.get(OrderChangeRequest, done.change_id)
        assert (change.committed_before, change.committed_after) == (dt.date(2026, 10, 12), dt.date(2026, 10, 15))
        assert '"quantities"' in change.before and "20" in change.before and "35" in change.after
    assert len(events(desk.store, "order_change_acknowledged")) == 3


def test_a_date_only_change_is_reviewed_by_production_alone(desk, committed):
    done = act(desk.store, desk.clock, changes.request_change, order_id=committed, staff_id=desk.sales,
               change=ChangeInput(requested_date=dt.date(2026, 11, 20), confirmation_reference="HD-092"))
    assert done.departments == ("production",)
    assert [d for d, _, standing in reviews_by_round(desk, committed) if not standing] == ["production"]
    with desk.store.read() as session:
        assert review.date_history(session, committed)[-1].day == dt.date(2026, 11, 20)


def test_a_specification_change_goes_to_every_department(desk, committed):
    done = act(desk.store, desk.clock, changes.request_change, order_id=committed, staff_id=desk.sales,
               change=ChangeInput(specification="法兰改为 PN16", confirmation_reference="HD-093"))
    assert done.departments == ("engineering", "purchasing", "warehouse", "production", "quality")


def test_the_customers_confirmation_file_is_kept_with_its_hash(desk, committed, tmp_path):
    letter = tmp_path / "确认函.pdf"
    letter.write_bytes(b"%PDF-1.4 signed by the customer")
    done = act(desk.store, desk.clock, changes.request_change, order_id=committed, staff_id=desk.sales,
               change=ChangeInput(quantities={line_id(desk, committed): 25}, confirmation_file=letter))
    digest = hashlib.sha256(letter.read_bytes()).hexdigest()
    with desk.store.read() as session:
        change = session.get(OrderChangeRequest, done.change_id)
    kept = paths.data_dir() / change.confirmation_file
    assert change.confirmation_sha256 == digest and kept.read_bytes() == letter.read_bytes()
    assert not list(kept.parent.glob(".*.part"))


def test_a_change_without_the_customers_confirmation_is_refused_and_nothing_is_saved(desk, committed, tmp_path):
    message = refused(desk.store, desk.clock, changes.request_change, order_id=committed, staff_id=desk.sales,
                      change=ChangeInput(quantities={line_id(desk, committed): 35}))
    assert message.startswith("A change needs the customer's written confirmation")
    assert "is not a file" in refused(desk.store, desk.clock, changes.request_change, order_id=committed,
                                      staff_id=desk.sales, change=ChangeInput(
                                          quantities={line_id(desk, committed): 35},
                                          confirmation_file=tmp_path / "missing.pdf"))
    assert "Say what the customer changed" in refused(desk.store, desk.clock, changes.request_change,
                                                      order_id=committed, staff_id=desk.sales,
                                                      change=ChangeInput(confirmation_reference="HD-1"))
    with desk.store.read() as session:
        assert orders.get_order(session, committed).state == "committed"
        assert orders.order_lines(session, committed)[0].quantity == 20
        assert session.exec(select(OrderChangeRequest)).all() == []
    assert events(desk.store, "order_change_requested") == []


def test_an_order_still_in_review_takes_no_change_request(desk):
    order_id = custom_order(desk)
    assert "in review" in refused(desk.store, desk.clock, changes.request_change, order_id=order_id,
                                  staff_id=desk.sales, change=ChangeInput(specification="x",
                                                                          confirmation_reference="HD-1"))
    assert review_ids(desk, order_id)
