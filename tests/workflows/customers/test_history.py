"""A returning customer's history as one timeline (approved exceptions first), the customers at risk, the
high-value customers waiting now, and the follow-up calls."""

import datetime as dt

from helpers.fixtures import DAY, at, staff_id
from helpers.story import act, events, issue, refused
from sqlalchemy import event
from visiting import visit

from counter_app.models import Feedback, FeedbackChannel, IssuedDocument, Staff
from counter_app.workflows.customers import loyalty, records, segments
from counter_app.workflows.oversight import approvals, customer_history
from counter_app.workflows.replay import demo

PHONE = "13800138000"


def _approve(hall, clock, ticket_id):
    return act(hall, clock, approvals.approve_exception, manager_staff_no="M001", manager_password=demo.DEMO_PASSWORD,
               kind="fee_waiver", reason="Billing error last month", customer_explanation="The fee is waived.",
               ticket_id=ticket_id)


def test_the_history_shows_the_approved_exception_first_then_everything_newest_first(hall, clock):
    first = visit(hall, clock, PHONE, day=DAY, wait_min=20)  # broke the 15-minute wait target
    _approve(hall, clock, first)
    with hall.write() as session:
        session.add(Feedback(ticket_id=first, rating=2, channel=FeedbackChannel.CLERK_RECORDED, is_complaint=True,
                             comment="Waited too long", created_at=at("10:00")))
        session.add(IssuedDocument(kind="receipt", reference="R-1", ticket_id=first, customer_id=None, path="r.pdf",
                                   sha256="0" * 64, size=1, language="en", created_at=at("09:30")))
    second = visit(hall, clock, PHONE, day=DAY + dt.timedelta(days=1))
    with hall.read() as session:
        customer = records.find(session, PHONE)
        timeline = customer_history.history(session, customer.id)
    assert [e.kind for e in timeline] == ["exception", "visit", "feedback", "document", "visit"]
    exception = timeline[0]
    assert (exception.reason, exception.approved_by, exception.requested_by) == \
        ("Billing error last month", _name(hall, "M001"), _name(hall, "S001"))
    newest, old = timeline[1], timeline[4]
    assert (newest.ticket_id, old.ticket_id) == (second, first)
    assert old.wait_s == 20 * 60 and old.broken == ("wait",) and old.service_s == 3 * 60
    assert newest.broken == ()
    assert timeline[2].complaint and timeline[3].reference == "R-1"


def _name(hall, staff_no):
    with hall.read() as session:
        return session.get(Staff, staff_id(hall, staff_no)).name


def test_the_history_of_a_customer_with_many_visits_takes_a_fixed_number_of_queries(hall, clock):
    for n in range(3):
        visit(hall, clock, PHONE, day=DAY + dt.timedelta(days=n))
    few = _queries(hall, PHONE)
    for n in range(3, 12):
        visit(hall, clock, PHONE, day=DAY + dt.timedelta(days=n))
    assert _queries(hall, PHONE) == few


def _queries(hall, ref) -> int:
    sent = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    with hall.read() as session:
        customer_id = records.find(session, ref).id
        event.listen(hall.engine, "before_cursor_execute", listener)
        try:
            assert len([e for e in customer_history.history(session, customer_id) if e.kind == "visit"]) >= 3
        finally:
            event.remove(hall.engine, "before_cursor_execute", listener)
    return len(sent)


def test_repeated_breaches_or_a_complaint_within_90_days_put_a_customer_at_risk(hall, clock):
    visit(hall, clock, PHONE, day=DAY, wait_min=20)
    visit(hall, clock, "13900139000", day=DAY, start="11:00", wait_min=20)
    with hall.read() as session:
        assert customer_history.at_risk(session, at("18:00")) == []  # one bad visit each: bad luck
    visit(hall, clock, PHONE, day=DAY + dt.timedelta(days=3), wait_min=16)
    with hall.read() as session:
        [risk] = customer_history.at_risk(session, at("18:00", DAY + dt.timedelta(days=3)))
        assert (risk.customer_id, risk.visits, risk.breached_visits, risk.complaints) == \
            (records.find(session, PHONE).id, 2, 2, 0)
        assert customer_history.at_risk(session, at("18:00", DAY + dt.timedelta(days=120))) == []  # long ago


def test_the_duty_manager_sees_the_high_value_customers_waiting_now(hall, clock):
    act(hall, clock, segments.install_default_rules, staff_id=staff_id(hall, "A001"))
    with hall.write() as session:
        vip = records.find_or_create(session, at("08:40"), "VIP0001", "王小明")
        records.attach(session, vip, PHONE, at("08:40"))
        vip.monthly_spend, vip.customer_since = 900, dt.date(2015, 1, 1)
        segments.resegment(session, today=DAY)
    clock.set(at("09:00"))
    issue(hall, clock, "BB", customer_ref=PHONE)
    issue(hall, clock, "BB", customer_ref="13900139000")
    issue(hall, clock, "BB")
    with hall.read() as session:
        [waiting] = loyalty.waiting_high_value(session, at("09:12"))
    assert (waiting.name_masked, waiting.segment, waiting.tier, waiting.waited_s) == ("王**", "vip", 3, 12 * 60)


def test_a_follow_up_call_is_recorded_for_a_customer_who_agreed_to_be_called(hall, clock):
    with hall.write() as session:
        customer = records.find_or_create(session, at("08:40"), PHONE, "王小明")
    manager = staff_id(hall, "M001")
    assert refused(hall, clock, loyalty.record_call, customer_id=customer.id, staff_id=manager,
                   outcome="Apologised") == "This customer has not agreed to be called after a visit."
    with hall.write() as session:
        records.find(session, PHONE).consent_contact = True
    assert refused(hall, clock, loyalty.record_call, customer_id=customer.id, staff_id=manager, outcome=" ") == \
        "Fill in The call's outcome."
    call = act(hall, clock, loyalty.record_call, customer_id=customer.id, staff_id=manager,
               outcome="Apologised; bill corrected; staying")
    with hall.read() as session:
        [kept] = loyalty.follow_up_calls(session, customer.id)
    assert (kept.id, kept.staff_id, kept.outcome) == (call.call_id, manager, "Apologised; bill corrected; staying")
    assert [e.kind for e in events(hall, "follow_up_call_recorded")] == ["follow_up_call_recorded"]
