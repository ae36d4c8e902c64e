"""Customers in a replay: the administrator records a known VIP, who takes a ticket with her card and is called
before the customer ahead of her, is looked up at the counter, and comes back another day to the same record."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers.scenarios import refusal, replay

from counter_app.errors import AppError
from counter_app.workflows.replay.scenario import load_scenario

VIP = ('{"at": "08:45", "do": "customer", "staff": "A001", "account": "VIP20260001", "name": "王小明", '
       '"phones": "13800138000", "monthly_spend": 800, "customer_since": "2015-01-01", "consent_contact": true}')
RULES = '{"at": "08:44", "do": "segment_rules", "staff": "A001"}'
FIRST_DAY = [
    '{"at": "08:50", "do": "login", "counter": 1, "staff": "S002"}',
    '{"at": "09:00", "do": "open_counter", "counter": 1}',
    '{"at": "09:01", "do": "take_ticket", "service": "BB", "as": "walk-in"}',
    '{"at": "09:02", "do": "take_ticket", "service": "BB", "vip": "138 0013 8000", "as": "vip"}',
    '{"at": "09:03", "do": "call_next", "counter": 1, "expect": "vip"}',
    '{"at": "09:03", "do": "open_customer", "counter": 1, "customer": "VIP20260001"}',
    '{"at": "09:04", "do": "start", "counter": 1}',
    '{"at": "09:08", "do": "finish", "counter": 1}',
]
NEXT_DAY = [
    '{"day": "2026-03-05", "at": "09:10", "do": "take_ticket", "service": "BB", "vip": "VIP20260001"}',
    '{"at": "09:11", "do": "call_next", "counter": 1}',
    '{"at": "09:11", "do": "open_customer", "counter": 1, "customer": "13800138000"}',
]


def test_a_known_vip_is_recognised_at_the_kiosk_looked_up_and_back_another_day(tmp_path):
    out, summary = replay(tmp_path, RULES, VIP, *FIRST_DAY, *NEXT_DAY)

    results = {e["line"]: e["result"] for e in summary["events"]}
    assert results[7] == "4" and results[8] == "vip"  # four default rules; 800 yuan a month for 11 years: VIP
    called = [e for e in summary["events"] if e["do"] == "call_next"]
    assert called[0]["result"] == "A002"  # her segment's tier put her before the walk-in who came first
    opened = summary["customers_opened"]
    assert [o["visits"] for o in opened] == [1, 2]  # the same record, found by account then by phone
    assert opened[1]["customer"] != "13800138000"  # the summary masks the number
    with sqlite3.connect(out / "store.sqlite3") as db:
        tiers = db.execute("SELECT number, priority, customer_id FROM ticket ORDER BY id").fetchall()
        events = [json.loads(d) for (d,) in db.execute("SELECT data FROM event WHERE kind = 'customers_imported'")]
    assert tiers[0][1] == 0 and tiers[1][1] == 3 and tiers[1][2] is not None  # the VIP segment's tier 3
    assert tiers[1][2] == tiers[-1][2]  # her second day's ticket is linked to the same customer
    assert len(events) == 1


def test_a_customer_the_import_would_refuse_is_refused_with_its_reason(tmp_path):
    bad = VIP.replace('"13800138000"', '"1380013800"')
    error = refusal(tmp_path, RULES, bad)
    assert error.text().startswith("line 8: The customer cannot be recorded:")


def test_a_vip_field_must_be_a_card_or_mobile_number(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"title": "t", "date": "2026-03-02", "start": "08:40", "events": [
        {"at": "09:00", "do": "take_ticket", "service": "BB", "vip": "x"}]}), encoding="utf-8")
    with pytest.raises(AppError) as caught:  # checked with the rest of the file, before anything runs
        load_scenario(path)
    assert "account number or 11-digit mobile number" in caught.value.text()
