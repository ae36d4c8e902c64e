"""Erasure reaches the document archive: the record kept beside each PDF for reprints loses the person's ID
number, phone and name once the erasure is committed (the PDFs themselves were printed masked)."""

from helpers.morning import act_at as act
from helpers.morning import seed_morning

from counter_app.models import ServiceOrder
from counter_app.workflows.customers import privacy
from counter_app.workflows.paperwork import issuing


def test_erasing_a_customer_scrubs_the_archived_records_of_their_documents(hall, clock):
    morning = seed_morning(hall, clock)
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    record = form.path.with_suffix(".json")
    assert "110101198001011234" in record.read_text(encoding="utf-8")
    with hall.read() as session:
        customer_id = session.get(ServiceOrder, morning["order_id"]).customer_id
    assert customer_id is not None
    act(hall, clock, "09:40", privacy.erase, customer_id=customer_id, staff_id=morning["manager"],
        reason="Customer's written request")
    kept = record.read_text(encoding="utf-8")
    assert "110101198001011234" not in kept and "13812341234" not in kept
    assert form.path.read_bytes().startswith(b"%PDF")  # the printed (masked) PDF stays as it was
