"""Parallel review to a committed date: the departments answer once each, the network and the working calendar
give the date and its critical path, a "no" goes back to sales, PMC confirms or overrides with a reason."""

import datetime as dt

import pytest
import sqlalchemy as sa
from helpers.story import act, events, refused

from counter_app.models import Holiday
from counter_app.workflows.planning import orders, review
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer

REQUESTED = dt.date(2026, 10, 30)
LEADS = {"engineering": 2, "purchasing": 3, "warehouse": 1, "production": 4, "quality": 1}
DETAILS = {"engineering": {"drawings_confirmed": True}, "purchasing": {"bottleneck_materials": "M-1"},
           "warehouse": {"stock_available": True}, "production": {"daily_capacity": 40, "cycle_days": 4},
           "quality": {"can_inspect": True}}


def custom_order(desk, requested=REQUESTED) -> int:
    return act(desk.store, desk.clock, orders.enter_order, number="SO-7", customer="宁波海达机械有限公司",
               kind="custom", requested_date=requested, lines=[LineInput("P-200", 20)],
               staff_id=desk.sales).order_id


def review_ids(desk, order_id) -> dict[str, int]:
    with desk.store.read() as session:
        return {r.department: r.id for r in review.current_reviews(session, order_id)}


def answer(desk, order_id, department, *, can_meet=True, lead=None, reason="", notes=""):
    return act(desk.store, desk.clock, review.answer_review, review_id=review_ids(desk, order_id)[department],
               staff_id=desk.reviewer(department),
               answer=ReviewAnswer(department, can_meet, LEADS[department] if lead is None else lead,
                                   reason_code=reason, notes=notes, details=DETAILS[department]))


def answer_all(desk, order_id, **leads):
    change = None
    for department in LEADS:
        change = answer(desk, order_id, department, lead=leads.get(department))
    return change


def the_order(desk, order_id):
    with desk.store.read() as session:
        return orders.get_order(session, order_id)


def national_day(desk):
    """Public holidays Thu 1 - Wed 7 October, across a weekend; the factory closes Fri 9 and works Sat 10."""
    with desk.store.write() as session:
        for i in range(7):
            session.add(Holiday(day=dt.date(2026, 10, 1) + dt.timedelta(days=i), note="国庆节"))
    act(desk.store, desk.clock, orders.set_factory_day, day=dt.date(2026, 10, 9), closed=True, note="盘点",
        staff_id=desk.pmc)
    act(desk.store, desk.clock, orders.set_factory_day, day=dt.date(2026, 10, 10), closed=False, note="调休",
        staff_id=desk.pmc)


def test_answers_given_at_once_give_the_date_on_the_working_calendar(desk):
    national_day(desk)
    order_id = custom_order(desk)
    for department in ("quality", "warehouse", "engineering", "production"):  # any order: they answer in parallel
        assert answer(desk, order_id, department).state == "in_review"
    done = answer(desk, order_id, "purchasing")
    # 10 working days after Mon 28 Sep: Tue 29, Wed 30 (2); 1-7 Oct holiday; Thu 8 (3); Fri 9 closed;
    # Sat 10 worked (4); Mon 12 - Fri 16 (9); Mon 19 (10)
    placed = the_order(desk, order_id)
    assert (done.state, placed.computed_date) == ("awaiting_pmc", dt.date(2026, 10, 19))
    assert review.critical_path(placed) == ("engineering", "purchasing", "production", "quality")
    committed = act(desk.store, desk.clock, review.confirm_date, order_id=order_id, staff_id=desk.pmc)
    assert (committed.state, committed.committed_date) == ("committed", dt.date(2026, 10, 19))
    [confirmed] = events(desk.store, "sales_order_date_confirmed")
    assert (confirmed.staff_id, confirmed.at) == (desk.pmc, dt.datetime(2026, 9, 28, 9, 0))
    assert '"content_hash"' in confirmed.data


def test_when_purchasing_and_the_stock_check_tie_both_are_on_the_critical_path(desk):
    order_id = custom_order(desk)
    answer_all(desk, order_id, warehouse=3)
    placed = the_order(desk, order_id)
    assert review.critical_path(placed) == ("engineering", "purchasing", "warehouse", "production", "quality")
    assert placed.computed_date == dt.date(2026, 10, 12)  # 10 working days, no holidays


def test_a_no_returns_the_order_to_sales_with_each_departments_reasons(desk):
    order_id = custom_order(desk)
    answer(desk, order_id, "engineering")
    answer(desk, order_id, "purchasing", can_meet=False, lead=30, reason="bottleneck_material",
           notes="铸铁壳体 15 days")
    answer(desk, order_id, "warehouse")
    answer(desk, order_id, "production", can_meet=False, lead=12, reason="capacity")
    assert answer(desk, order_id, "quality").state == "returned_to_sales"
    with desk.store.read() as session:
        note = review.return_note(session, order_id)
    assert [(r.department, r.reason_code, r.lead_days, r.notes) for r in note.refusals] == [
        ("purchasing", "bottleneck_material", 30, "铸铁壳体 15 days"), ("production", "capacity", 12, "")]
    # 2 + 30 + 12 + 1 = 45 working days (nine weeks) from Mon 28 Sep: Mon 30 Nov; after the requested Fri 30 Oct,
    # Mon 2 - Fri 27 Nov (20) and Mon 30 Nov: 21 working days late
    assert (note.computed, note.late_by) == (dt.date(2026, 11, 30), 21)
    assert review.REASONS[note.refusals[0].reason_code] == "A bottleneck material"
    assert len(events(desk.store, "sales_order_returned")) == 1


def test_a_later_date_from_the_customer_asks_only_the_departments_that_said_no_again(desk):
    order_id = custom_order(desk)
    for department in LEADS:
        no = department == "purchasing"
        answer(desk, order_id, department, can_meet=not no, reason="material_lead_time" if no else "")
    assert the_order(desk, order_id).state == "returned_to_sales"
    first = review_ids(desk, order_id)
    desk.clock.set(dt.datetime(2026, 9, 29, 10, 0))
    asked = act(desk.store, desk.clock, review.revise_requested_date, order_id=order_id, staff_id=desk.sales,
                day=dt.date(2026, 12, 18), why="客户书面同意延期")
    assert asked.state == "in_review"
    with desk.store.read() as session:
        rounds = {r.department: r.round for r in review.current_reviews(session, order_id)}
    assert rounds == {"engineering": 1, "purchasing": 2, "warehouse": 1, "production": 1, "quality": 1}
    again = review_ids(desk, order_id)
    assert {d for d in LEADS if again[d] != first[d]} == {"purchasing"}
    assert answer(desk, order_id, "purchasing").state == "awaiting_pmc"
    assert the_order(desk, order_id).computed_date == dt.date(2026, 10, 13)  # 10 working days from Tue 29 Sep
    assert refused(desk.store, desk.clock, review.revise_requested_date, order_id=order_id, staff_id=desk.sales,
                   day=dt.date(2026, 12, 31), why="x") == \
        "Sales order SO-7 is awaiting PMC's confirmation; that step is not possible now."


def test_a_late_date_without_a_no_is_computed_again_when_sales_brings_a_later_date(desk):
    order_id = custom_order(desk, requested=dt.date(2026, 10, 5))
    assert answer_all(desk, order_id).state == "returned_to_sales"  # 12 Oct > 5 Oct
    revised = act(desk.store, desk.clock, review.revise_requested_date, order_id=order_id, staff_id=desk.sales,
                  day=dt.date(2026, 10, 16), why="客户同意")
    assert revised.state == "awaiting_pmc"


def test_pmc_overrides_with_a_reason_and_every_date_is_kept(desk):
    order_id = custom_order(desk, requested=dt.date(2026, 10, 5))
    answer_all(desk, order_id)
    desk.clock.set(dt.datetime(2026, 9, 28, 14, 0))
    act(desk.store, desk.clock, review.revise_requested_date, order_id=order_id, staff_id=desk.sales,
        day=dt.date(2026, 10, 20), why="客户同意延期")
    assert refused(desk.store, desk.clock, review.override_date, order_id=order_id, staff_id=desk.pmc,
                   day=dt.date(2026, 10, 14), reason="  ") == "Fill in Reason for the other date."
    desk.clock.set(dt.datetime(2026, 9, 28, 15, 0))
    act(desk.store, desk.clock, review.override_date, order_id=order_id, staff_id=desk.pmc,
        day=dt.date(2026, 10, 14), reason="加班两天")
    with desk.store.read() as session:
        history = [(r.kind, r.day, r.by, r.at, r.why) for r in review.date_history(session, order_id)]
    assert history == [
        ("requested", dt.date(2026, 10, 5), desk.sales, dt.datetime(2026, 9, 28, 9, 0), ""),
        ("revised", dt.date(2026, 10, 20), desk.sales, dt.datetime(2026, 9, 28, 14, 0), "客户同意延期"),
        ("committed", dt.date(2026, 10, 14), desk.pmc, dt.datetime(2026, 9, 28, 15, 0), "加班两天"),
    ]
    placed = the_order(desk, order_id)
    assert (placed.state, placed.computed_date, placed.committed_date) == (
        "committed", dt.date(2026, 10, 12), dt.date(2026, 10, 14))
    [overridden] = events(desk.store, "sales_order_date_overridden")
    assert overridden.staff_id == desk.pmc and "加班两天" in overridden.data
    assert refused(desk.store, desk.clock, review.confirm_date, order_id=order_id, staff_id=desk.pmc) == \
        "Sales order SO-7 is committed; that step is not possible now."


@pytest.mark.parametrize("lead", [-3, 10_000])
def test_a_lead_time_out_of_bounds_is_refused(desk, lead):
    order_id = custom_order(desk)
    assert refused(desk.store, desk.clock, review.answer_review, review_id=review_ids(desk, order_id)["production"],
                   staff_id=desk.reviewer("production"), answer=ReviewAnswer("production", True, lead)) == \
        "Lead time (working days) must be a whole number from 0 to 365."


def test_a_review_is_answered_once_and_only_by_its_department(desk):
    order_id = custom_order(desk)
    ids = review_ids(desk, order_id)
    assert refused(desk.store, desk.clock, review.answer_review, review_id=ids["quality"], staff_id=desk.reviewer("quality"),
                   answer=ReviewAnswer("purchasing", True, 3)) == \
        "This review is for quality: an answer from purchasing cannot be recorded on it."
    answer(desk, order_id, "quality")
    assert refused(desk.store, desk.clock, review.answer_review, review_id=ids["quality"], staff_id=desk.reviewer("quality"),
                   answer=ReviewAnswer("quality", True, 2)) == \
        "quality already answered this review on 2026-09-28 09:00; an answer is given once."


def test_a_no_needs_a_reason_from_the_list_and_a_form_its_own_fields(desk):
    order_id = custom_order(desk)
    ids = review_ids(desk, order_id)
    for reason in ("", "too busy"):
        assert refused(desk.store, desk.clock, review.answer_review, review_id=ids["production"],
                       staff_id=desk.reviewer("production"), answer=ReviewAnswer("production", False, 20, reason_code=reason)) == \
            "Say why the requested date cannot be met: choose a reason."
    assert refused(desk.store, desk.clock, review.answer_review, review_id=ids["production"], staff_id=desk.reviewer("production"),
                   answer=ReviewAnswer("production", True, 2, details={"can_inspect": True})) == \
        "The production form has no field can_inspect."
    with desk.store.read() as session:
        assert all(r.answered_at is None for r in review.current_reviews(session, order_id))


def test_the_store_itself_refuses_an_absurd_lead_time(desk):
    order_id = custom_order(desk)
    with pytest.raises(sa.exc.IntegrityError), desk.store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE order_review SET lead_days = 10000 WHERE sales_order_id = :o"),
                           {"o": order_id})


def test_reviews_past_their_deadline_without_an_answer_are_overdue(desk):
    order_id = custom_order(desk)
    answer(desk, order_id, "engineering")
    answer(desk, order_id, "purchasing")
    answer(desk, order_id, "warehouse")
    with desk.store.read() as session:
        assert review.overdue_reviews(session, dt.datetime(2026, 9, 30, 9, 0)) == []
        late = review.overdue_reviews(session, dt.datetime(2026, 9, 30, 9, 1))
    assert [r.department for r in late] == ["production", "quality"]
