"""Two records found to be one person are merged by a senior clerk or a manager: both histories stay."""

import datetime as dt

from helpers.fixtures import DAY, staff_id
from helpers.story import act, events, refused
from visiting import visit

from counter_app.workflows.core import audit
from counter_app.workflows.customers import merging, records
from counter_app.workflows.oversight import approvals, customer_history
from counter_app.workflows.replay import demo


def test_a_senior_clerk_merges_two_records_and_both_histories_stay(hall, clock):
    by_phone = visit(hall, clock, "13800138000", day=DAY)
    act(hall, clock, approvals.approve_exception, manager_staff_no="M001", manager_password=demo.DEMO_PASSWORD,
        kind="goodwill", reason="Long wait", customer_explanation="A month free.", ticket_id=by_phone)
    visit(hall, clock, "BB20260042", day=DAY + dt.timedelta(days=1))
    with hall.read() as session:
        kept, other = records.find(session, "BB20260042").id, records.find(session, "13800138000").id
    senior = staff_id(hall, "S003")
    merged = act(hall, clock, merging.merge, keep_id=kept, merge_id=other, staff_id=senior, reason="Same ID card")
    assert (merged.visits, merged.phones) == (1, 1)
    with hall.read() as session:
        assert records.find(session, "13800138000").id == kept  # the old phone finds the kept record
        card = records.card(session, records.find(session, "BB20260042"))
        assert (card.account_no, card.phone, card.visits, len(card.exceptions)) == ("BB20260042", "13800138000", 2, 1)
        assert [e.kind for e in customer_history.history(session, kept)] == ["exception", "visit", "visit"]
        assert audit.verify(session).ok  # the approval was not rewritten
    [event] = events(hall, "customers_merged")
    assert event.staff_id == senior and '"reason": "Same ID card"' in event.data


def test_only_a_senior_clerk_or_manager_merges_with_a_reason(hall, clock):
    with hall.write() as session:
        a = records.find_or_create(session, clock.now(), "13800138000").id
        b = records.find_or_create(session, clock.now(), "13900139000").id
    assert refused(hall, clock, merging.merge, keep_id=a, merge_id=b, staff_id=staff_id(hall, "S001"),
                   reason="same") == "Only a senior clerk or a manager can merge two customer records."
    assert refused(hall, clock, merging.merge, keep_id=a, merge_id=b, staff_id=staff_id(hall, "M001"),
                   reason=" ") == "Fill in The reason for the merge."
    assert refused(hall, clock, merging.merge, keep_id=a, merge_id=a, staff_id=staff_id(hall, "M001"),
                   reason="x") == "Choose two different customer records to merge."
    act(hall, clock, merging.merge, keep_id=a, merge_id=b, staff_id=staff_id(hall, "M001"), reason="x")
    assert refused(hall, clock, merging.merge, keep_id=a, merge_id=b, staff_id=staff_id(hall, "M001"),
                   reason="x") == f"Customer record {b} was already merged into {a}."
