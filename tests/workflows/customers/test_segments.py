"""Segments from rules that are data: the first rule a customer meets gives the segment and its priority tier;
an administrator changes the rules, and the change is a recorded setting."""

import datetime as dt

from helpers.fixtures import DAY, at, staff_id
from helpers.story import act, events, refused

from counter_app.models import Customer
from counter_app.workflows.core import audit
from counter_app.workflows.customers import records, segments
from counter_app.workflows.customers.segments import DEFAULT_RULES, Rule, segment_of


def customer(spend=0, since=None, need=""):
    return Customer(name="x", created_at=at("09:00"), monthly_spend=spend, customer_since=since, need=need)


def test_the_first_rule_a_customer_meets_gives_the_segment():
    today = DAY
    long_ago = dt.date(2020, 1, 15)
    assert segment_of(customer(800, long_ago), DEFAULT_RULES, today).code == "vip"
    assert segment_of(customer(800, dt.date(2025, 6, 1)), DEFAULT_RULES, today).code == "high_value"  # too new
    assert segment_of(customer(800, long_ago, "priority_care"), DEFAULT_RULES, today).code == "vip"  # vip first
    assert segment_of(customer(10, None, "priority_care"), DEFAULT_RULES, today).code == "priority_care"
    assert segment_of(customer(10), DEFAULT_RULES, today).code == "standard"
    assert segment_of(customer(10), [], today) == segments.STANDARD_SEGMENT
    assert segment_of(customer(800, long_ago), DEFAULT_RULES, today).tier == 3


def test_tenure_counts_whole_months():
    assert segments.tenure_months(dt.date(2024, 3, 2), dt.date(2026, 3, 2)) == 24
    assert segments.tenure_months(dt.date(2024, 3, 3), dt.date(2026, 3, 2)) == 23
    assert segments.tenure_months(None, DAY) == 0
    assert segments.tenure_months(dt.date(2030, 1, 1), DAY) == 0


def test_an_administrator_changes_the_rules_and_the_change_is_a_recorded_setting(hall, clock):
    with hall.write() as session:
        vip = records.find_or_create(session, at("08:40"), "VIP0001", "王先生")
        vip.monthly_spend, vip.customer_since = 900, dt.date(2015, 1, 1)
    admin = staff_id(hall, "A001")
    saved = act(hall, clock, segments.install_default_rules, staff_id=admin)
    assert (saved.rules, saved.resegmented) == (4, 1)
    with hall.read() as session:
        assert records.find(session, "VIP0001").segment == "vip"
        assert audit.verify(session).ok
    stricter = [Rule("vip", "VIP客户", "VIP", min_monthly_spend=1000, tier=4, high_value=True), *DEFAULT_RULES[1:]]
    assert act(hall, clock, segments.save_rules, staff_id=admin, rules_in_order=stricter).resegmented == 1
    with hall.read() as session:
        assert records.find(session, "VIP0001").segment == "high_value"
        assert [r.code for r in segments.rules(session)] == ["vip", "priority_care", "high_value", "standard"]
        assert audit.verify(session).ok
    recorded = events(hall, audit.SETTINGS_RECORDED)[-1]
    assert recorded.staff_id == admin and "segment_rule" in recorded.data


def test_a_rule_edited_behind_the_apps_back_is_named_by_the_audit(hall, clock):
    act(hall, clock, segments.install_default_rules, staff_id=staff_id(hall, "A001"))
    with hall.write() as session:
        rule = segments.rules(session)[0]
        rule.tier = 9
        session.add(rule)
    with hall.read() as session:
        assert any(r.startswith("segment_rule") for r in audit.verify(session).records)


def test_only_an_administrator_changes_the_rules_and_bad_rules_are_refused(hall, clock):
    assert refused(hall, clock, segments.install_default_rules, staff_id=staff_id(hall, "M001")) == \
        "Only an administrator can change the segment rules."
    admin = staff_id(hall, "A001")
    assert refused(hall, clock, segments.save_rules, staff_id=admin,
                   rules_in_order=[Rule("vip", "VIP", "VIP", tier=10)]) == \
        "The priority tier must be a whole number from 0 to 9."
    assert refused(hall, clock, segments.save_rules, staff_id=admin,
                   rules_in_order=[Rule("v i p", "VIP", "VIP")]).startswith("A segment's code")
    assert refused(hall, clock, segments.save_rules, staff_id=admin,
                   rules_in_order=[Rule("vip", "VIP", "VIP", min_monthly_spend=-1)]).startswith("The lowest monthly")
    with hall.read() as session:
        assert segments.rules(session) == []


def test_the_kiosk_recognises_a_vip_card_or_phone_and_gives_its_tier(hall, clock):
    act(hall, clock, segments.install_default_rules, staff_id=staff_id(hall, "A001"))
    with hall.write() as session:
        vip = records.find_or_create(session, at("08:40"), "VIP0001", "王先生")
        records.attach(session, vip, "13800138000", at("08:40"))
        vip.monthly_spend, vip.customer_since = 900, dt.date(2015, 1, 1)
        segments.resegment(session, today=DAY, customer_ids=[vip.id])
        records.find_or_create(session, at("08:40"), "13900139000")
        segments.resegment(session, today=DAY)
    with hall.read() as session:
        for typed in ("vip-0001", "+86 138 0013 8000"):
            found, tier, reason = segments.recognise(session, typed)
            assert (found.name, tier, reason) == ("王先生", 3, "vip")
        assert segments.recognise(session, "13900139000")[1:] == (0, "standard")
        assert segments.recognise(session, "13700137000") is None
        assert segments.recognise(session, "not a card") is None
