"""Privacy (PIPL): masked where others may see, full details only to active staff who say why (logged), export of
one customer's data, erasure that keeps the statistics, and the retention period's purge."""

import dataclasses
import datetime as dt
import json

from helpers.fixtures import DAY, at, staff_id
from helpers.story import act, events, refused, ticket
from sqlmodel import select
from visiting import visit

from counter_app.models import Customer, ServiceOrder
from counter_app.models.customers import CustomerAccount, CustomerPhone
from counter_app.workflows.customers import identity, privacy, records
from counter_app.workflows.reports import breach_report
from counter_app.workflows.reports.scope import ReportFilter

ID_NUMBER = "11010519491231002X"


def _known(hall, clock):
    with hall.write() as session:
        customer = records.find_or_create(session, at("08:40"), "BB20260042", "王小明")
        records.attach(session, customer, "13800138000", at("08:40"))
        records.attach(session, customer, "13900139000", at("08:40"))
        customer.id_last4, customer.id_hash = identity.kept(session, ID_NUMBER)
        customer.notes = "prefers mornings"
        return customer.id


def test_what_others_may_see_is_masked(hall, clock):
    customer_id = _known(hall, clock)
    with hall.read() as session:
        shown = privacy.masked(session.get(Customer, customer_id))
    assert (shown.name, shown.phone, shown.account_no, shown.id_card) == \
        ("王**", "138****8000", "******0042", "**************002X")


def test_the_whole_id_number_is_never_kept_but_finds_the_customer(hall, clock):
    customer_id = _known(hall, clock)
    with hall.read() as session:
        row = session.get(Customer, customer_id)
        assert row.id_last4 == "002X" and ID_NUMBER not in json.dumps(row.model_dump(), default=str)
        assert records.find_by_id_number(session, "11010519491231002x").id == customer_id
        assert records.find_by_id_number(session, "110105194912310038") is None
        assert [c.id for c in records.candidates_by_id_last4(session, "002x")] == [customer_id]
        assert [(f.customer.id, f.how) for f in records.search(session, clock, ID_NUMBER)] == \
            [(customer_id, "id_number")]
        assert [f.how for f in records.search(session, clock, "139 0013 9000")] == ["phone"]


def test_full_details_go_to_an_active_staff_member_who_says_why_and_each_view_is_logged(hall, clock):
    customer_id = _known(hall, clock)
    clerk = staff_id(hall, "S001")
    assert refused(hall, clock, privacy.full_details, customer_id=customer_id, staff_id=clerk, why="") == \
        "Fill in Why you need the full details."
    details = act(hall, clock, privacy.full_details, customer_id=customer_id, staff_id=clerk,
                  why="Customer asks to change the plan")
    assert (details.name, details.accounts, details.phones, details.id_last4) == \
        ("王小明", ["BB20260042"], ["13800138000", "13900139000"], "002X")
    [viewed] = events(hall, "customer_details_viewed")
    assert viewed.staff_id == clerk and "Customer asks to change the plan" in viewed.data
    with hall.write() as session:
        session.get(records.Staff, clerk).active = False
    assert refused(hall, clock, privacy.full_details, customer_id=customer_id, staff_id=clerk, why="x") == \
        "Unknown staff member."
    assert len(events(hall, "customer_details_viewed")) == 1


def test_one_customers_data_is_exported_as_json(hall, clock):
    customer_id = _known(hall, clock)
    visit(hall, clock, "BB20260042", day=DAY)
    with hall.read() as session:
        exported = privacy.export_customer(session, customer_id)
    text = json.dumps(exported, ensure_ascii=False)
    assert exported["customer"]["phones"] == ["13800138000", "13900139000"]
    assert [v["service"] for v in exported["visits"]] == ["BB"]
    assert ID_NUMBER not in text and "王小明" in text


def _statistics(hall, clock, until):
    with hall.read() as session:
        f = ReportFilter(DAY - dt.timedelta(days=1000), DAY + dt.timedelta(days=10), until=until)
        rows = [dataclasses.astuple(r) for r in breach_report.breaches(session, f)]
        return rows, dataclasses.astuple(breach_report.breach_summary(session, f))


def test_erasure_anonymises_the_person_and_the_statistics_stay_the_same(hall, clock):
    customer_id = _known(hall, clock)
    slow = visit(hall, clock, "13800138000", day=DAY, wait_min=20)
    visit(hall, clock, "13900139000", day=DAY, start="11:00")
    until = at("18:00")
    before = _statistics(hall, clock, until)
    assert before[0], "the slow visit is in the breach report"
    assert refused(hall, clock, privacy.erase, customer_id=customer_id, staff_id=staff_id(hall, "S001"),
                   reason="asked") == "Only a senior clerk, a manager or an administrator can erase a customer's data."
    act(hall, clock, privacy.erase, customer_id=customer_id, staff_id=staff_id(hall, "M001"),
        reason="Customer's written request")
    assert _statistics(hall, clock, until) == before
    with hall.read() as session:
        row = session.get(Customer, customer_id)
        assert (row.name, row.phone, row.account_no, row.id_hash, row.id_last4, row.notes) == ("", None, None, None,
                                                                                               None, "")
        assert session.exec(select(CustomerAccount)).all() == [] and session.exec(select(CustomerPhone)).all() == []
        assert records.find(session, "13800138000") is None
        assert records.find_by_id_number(session, ID_NUMBER) is None
    assert (ticket(hall, slow).customer_id, ticket(hall, slow).customer_ref) == (customer_id, None)
    assert ticket(hall, slow).wait_seconds == 20 * 60
    assert len(events(hall, "customer_erased")) == 1


def test_the_retention_purge_drops_old_personal_data_and_keeps_the_statistics(hall, clock):
    old = visit(hall, clock, "13800138000", day=DAY)
    recent = visit(hall, clock, "13900139000", day=DAY + dt.timedelta(days=700), wait_min=20)
    with hall.write() as session:
        session.add(ServiceOrder(reference="SO-1", ticket_id=old, customer_id=ticket(hall, old).customer_id,
                                 service_id=1, staff_id=1, created_at=at("09:10"), transaction="renewal",
                                 product="Broadband", effective_from=DAY, customer_name="王小明",
                                 customer_phone="13800138000", customer_id_number=ID_NUMBER))
    until = at("18:00", DAY + dt.timedelta(days=800))
    before = _statistics(hall, clock, until)
    clock.set(until)
    assert refused(hall, clock, privacy.purge_expired, retention_days=10).startswith("The retention period")
    purged = act(hall, clock, privacy.purge_expired, retention_days=365)
    assert (purged.tickets, purged.service_orders, purged.customers) == (1, 1, 1)
    assert _statistics(hall, clock, until) == before
    assert ticket(hall, old).customer_ref is None and ticket(hall, recent).customer_ref == "13900139000"
    with hall.read() as session:
        assert records.find(session, "13800138000") is None
        assert records.find(session, "13900139000") is not None
        order = session.exec(select(ServiceOrder)).one()
        assert (order.customer_name, order.customer_phone, order.customer_id_number) == ("", "", "")
    assert privacy.DEFAULT_RETENTION_DAYS == 730
