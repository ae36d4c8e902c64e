"""Every full view of a customer's data is logged: a customer's data exported at their request, and the printed
follow-up list, which carries the phones of the customers who agreed to be called."""

import json

from helpers.fixtures import at, staff_id
from helpers.story import act, events, issue, refused

from counter_app.models import Feedback, FeedbackChannel, Ticket
from counter_app.workflows.customers import merging, privacy, records
from counter_app.workflows.paperwork.render import follow_up

AGREED, REFUSED = "13800138000", "13900139000"


def complained(hall, clock, phone, *, consent):
    ticket_id = issue(hall, clock, "BB").ticket_id
    with hall.write() as session:
        customer = records.find_or_create(session, clock.now(), phone, "王小明")
        customer.consent_contact = consent
        ticket = session.get(Ticket, ticket_id)
        ticket.customer_id = customer.id
        session.add_all([customer, ticket, Feedback(ticket_id=ticket_id, rating=1, is_complaint=True,
                                                    channel=FeedbackChannel.CLERK_RECORDED, created_at=clock.now())])
        return customer.id


def test_exporting_a_customers_data_records_who_when_and_whose(hall, clock):
    clock.set(at("09:10"))
    with hall.write() as session:
        kept = records.find_or_create(session, clock.now(), "BB20260042", "王小明").id
        other = records.find_or_create(session, clock.now(), AGREED, "王小明").id
    act(hall, clock, merging.merge, keep_id=kept, merge_id=other, staff_id=staff_id(hall, "M001"), reason="same")
    clock.set(at("10:00"))
    admin = staff_id(hall, "A001")

    data = act(hall, clock, privacy.export_for, customer_id=kept, staff_id=admin)

    assert data["customer"]["phones"] == [AGREED]
    [exported] = events(hall, "customer_data_exported")
    assert (exported.staff_id, exported.at) == (admin, at("10:00"))
    assert json.loads(exported.data) == {"customer": kept, "records": [kept, other]}


def test_an_export_by_nobody_known_is_refused_and_not_logged(hall, clock):
    with hall.write() as session:
        customer_id = records.find_or_create(session, clock.now(), AGREED).id
    assert refused(hall, clock, privacy.export_for, customer_id=customer_id, staff_id=9999)
    assert refused(hall, clock, privacy.export_for, customer_id=424242, staff_id=staff_id(hall, "A001")) == \
        "There is no customer record 424242."
    assert events(hall, "customer_data_exported") == []


def test_printing_the_follow_up_list_records_whose_phones_it_printed_in_full(hall, clock):
    clock.set(at("09:10"))
    agreed = complained(hall, clock, AGREED, consent=True)
    refused_call = complained(hall, clock, REFUSED, consent=False)
    clock.set(at("16:00"))
    manager = staff_id(hall, "M001")

    data = act(hall, clock, follow_up.print_follow_up_list, staff_id=manager, language="en")

    assert {e.customer_id: e.phone for e in data.entries} == {agreed: AGREED, refused_call: "139****9000"}
    [printed] = events(hall, "follow_up_list_printed")
    assert (printed.staff_id, printed.at) == (manager, at("16:00"))
    assert json.loads(printed.data) == {"customers": [agreed], "masked": [refused_call]}
