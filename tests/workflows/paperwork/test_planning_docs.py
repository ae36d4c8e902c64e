"""The planning desk's printed documents: the order review record (ISO 9001 §8.2.3) and the commitment letter."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.fixtures import staff_id
from helpers.pdf_checks import text_of
from helpers.story import act, refused

from counter_app.models.planning import OrderReview
from counter_app.workflows.paperwork.render import planning_docs
from counter_app.workflows.planning import orders, review
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer

MONDAY = dt.datetime(2026, 9, 28, 9, 0)
REQUESTED = dt.date(2026, 12, 18)
# Purchasing and the stock check take equally long: both branches are critical.
LEADS = {"engineering": 3, "purchasing": 8, "warehouse": 8, "production": 5, "quality": 2}
DETAILS = {"engineering": {"drawings_confirmed": True}, "purchasing": {"bottleneck_materials": "铸铁壳体"},
           "warehouse": {"stock_available": False}, "production": {"daily_capacity": 40, "cycle_days": 4},
           "quality": {"can_inspect": True}}


def give_planning_roles(store) -> None:
    """The desk's people in the demo hall: M001 and S002 at PMC (which may answer for any department), S001
    in sales (workflows/planning/roles.py)."""
    from sqlmodel import update

    from counter_app.models import Role, Staff

    with store.write() as session:
        for staff_no, role in (("M001", Role.PMC), ("S002", Role.PMC), ("S001", Role.SALES)):
            session.exec(update(Staff).where(Staff.staff_no == staff_no).values(role=role))


@pytest.fixture
def order(hall, clock):
    clock.set(MONDAY)
    give_planning_roles(hall)
    pmc = staff_id(hall, "M001")
    act(hall, clock, orders.add_product, code="P-200", name_zh="大型泵", name_en="Large pump", lead_days=9, stock=0,
        staff_id=pmc)
    change = act(hall, clock, orders.enter_order, number="SO-2026-0042", customer="华东机械有限公司",
                 kind="custom", requested_date=REQUESTED, staff_id=staff_id(hall, "S001"),
                 lines=[LineInput("P-200", 12)])
    return change.order_id


def reviews(store, order_id):
    with store.read() as session:
        return {r.department: r.id for r in review.current_reviews(session, order_id)}


def answer_all(store, clock, order_id, *, reviewer):
    clock.advance(minutes=180)
    for department, review_id in reviews(store, order_id).items():
        act(store, clock, review.answer_review, review_id=review_id, staff_id=reviewer,
            answer=ReviewAnswer(department, True, LEADS[department], depends_on=f"{department} plan",
                                details=DETAILS[department]))


def record(store, order_id, language="en", at=MONDAY):
    with store.read() as session:
        return planning_docs.review_record(session, order_id, language=language, at=at)


def test_the_review_record_holds_who_answered_what_the_critical_path_and_the_committed_date(hall, clock, order):
    reviewer, pmc = staff_id(hall, "S002"), staff_id(hall, "M001")
    answer_all(hall, clock, order, reviewer=reviewer)
    act(hall, clock, review.confirm_date, order_id=order, staff_id=pmc)
    data = record(hall, order, at=clock.now())
    assert data.critical == ("engineering", "purchasing", "warehouse", "production", "quality")
    assert [(a.department, a.lead_days, a.start, a.finish) for a in data.answers] == [
        ("engineering", 3, 0, 3), ("purchasing", 8, 3, 11), ("warehouse", 8, 3, 11), ("production", 5, 11, 16),
        ("quality", 2, 16, 18)]
    assert all(a.answered_by.endswith("(S002)") for a in data.answers)
    assert [d.kind for d in data.history] == ["requested", "committed"]
    assert data.commitment.why == review.CONFIRMED and data.commitment.by.endswith("(M001)")

    text = text_of(planning_docs.render_review_record(data, language="en"))
    for fact in ("Order review record", "SO-2026-0042", "华东机械有限公司", "P-200", "Large pump", "ISO 9001 §8.2.3",
                 "engineering", "purchasing", "warehouse", "production", "quality",
                 "Critical path engineering, purchasing, warehouse, production, quality",
                 f"Committed date {data.committed.isoformat()}", f"Requested date {REQUESTED.isoformat()}",
                 "Confirmed as computed", "Bottleneck materials: 铸铁壳体", "Stock available: no",
                 "Daily capacity: 40", "PMC confirmed the computed date", "Page 1 of"):
        assert fact in text, fact


def test_an_override_prints_pmcs_reason_and_a_returned_round_keeps_the_old_answers(hall, clock, order):
    reviewer, pmc, sales = staff_id(hall, "S002"), staff_id(hall, "M001"), staff_id(hall, "S001")
    ids = reviews(hall, order)
    clock.advance(minutes=60)
    act(hall, clock, review.answer_review, review_id=ids["purchasing"], staff_id=reviewer,
        answer=ReviewAnswer("purchasing", False, 60, reason_code="material_lead_time", notes="铸件 60 天"))
    for department in ("engineering", "warehouse", "production", "quality"):
        act(hall, clock, review.answer_review, review_id=ids[department], staff_id=reviewer,
            answer=ReviewAnswer(department, True, LEADS[department]))
    act(hall, clock, review.revise_requested_date, order_id=order, staff_id=sales, day=dt.date(2027, 3, 1),
        why="客户同意延期")
    new = reviews(hall, order)["purchasing"]
    act(hall, clock, review.answer_review, review_id=new, staff_id=reviewer,
        answer=ReviewAnswer("purchasing", True, 40))
    act(hall, clock, review.override_date, order_id=order, staff_id=pmc, day=dt.date(2027, 2, 26),
        reason="客户要求提前一天")
    data = record(hall, order, language="zh_CN", at=clock.now())
    purchasing = [a for a in data.answers if a.department == "purchasing"]
    assert [(a.round, a.can_meet, a.superseded_at is not None) for a in purchasing] == [(1, False, True),
                                                                                       (2, True, False)]
    text = text_of(planning_docs.render_review_record(data, language="zh_CN"))
    from counter_app.i18n import translate

    overridden = translate("Overridden: {reason}", "zh_CN").format(reason="客户要求提前一天")
    reason = translate("Material lead time too long", "zh_CN")
    for fact in (overridden, "2027-02-26", "客户同意延期", reason, "铸件 60 天", "大型泵"):
        assert fact in text, fact


def test_the_commitment_letter_states_the_committed_date_from_the_record(hall, clock, order):
    answer_all(hall, clock, order, reviewer=staff_id(hall, "S002"))
    act(hall, clock, review.confirm_date, order_id=order, staff_id=staff_id(hall, "M001"))
    with hall.read() as session:
        data = planning_docs.commitment_letter(session, order, language="en", at=clock.now())
        confirmed = session.exec(OrderReview.__table__.select()).all()
    assert confirmed  # the reviews stay on record
    committed = data.committed.isoformat()
    sentence = planning_docs.commitment_sentence(data, "en")
    assert sentence.startswith(f"We commit to deliver sales order SO-2026-0042 by {committed}.")
    assert data.commitment.by in sentence and data.commitment.at.strftime("%Y-%m-%d %H:%M") in sentence
    text = text_of(planning_docs.render_commitment_letter(data, language="en"))
    for fact in ("Delivery commitment", "华东机械有限公司", sentence, f"You asked for {REQUESTED.isoformat()}",
                 "Large pump", "12", committed):
        assert fact in text, fact


def test_no_commitment_letter_for_an_order_still_in_review(hall, clock, order):
    message = refused(hall, clock, lambda session, _clock, **kw: planning_docs.commitment_letter(session, **kw),
                      order_id=order, language="en", at=MONDAY)
    assert message == "Sales order SO-2026-0042 has no committed date yet: there is no commitment to write."
