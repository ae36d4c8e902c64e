"""Generated bad values at the command line and at the main workflows: the app's own clear refusal, or a
result, and never another exception (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.fixtures import at, open_counter, staff_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.__main__ import main
from counter_app.errors import AppError
from counter_app.workflows.core import audit, bounds, lookup
from counter_app.workflows.customers import records
from counter_app.workflows.paperwork import service_orders
from counter_app.workflows.queue import tickets

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
WILD_TEXT = st.one_of(st.text(max_size=60), st.text(alphabet=st.characters(), min_size=1000, max_size=3000),
                      st.sampled_from(["\ud800", "1e30", "NaN", "-0", "9" * 40, "𠀋😀", "", " ", "\x00"]))
WILD_NUMBER = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=12))


def refused_or_done(call) -> None:
    try:
        call()
    except AppError as exc:
        assert exc.text(), "a refusal says why"


@FAST
@given(db=WILD_TEXT, counter=WILD_NUMBER, day=WILD_TEXT, anchor=WILD_TEXT)
def test_the_command_line_answers_every_bad_value_with_a_message(tmp_path_factory, db, counter, day, anchor):
    out = tmp_path_factory.mktemp("out") / "r.csv"
    for argv in (["db", "check", "--db", db or "x"],
                 ["report", "breaches", "--from", day or "x", "--counter", str(counter), "--out", str(out),
                  "--db", db or "x"],
                 ["audit", "verify", "--anchor", anchor or "x", "--db", db or "x"]):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse's own refusal, with its usage line
            assert stop.code == 2
        else:
            assert code in (0, 1, 2)


@FAST
@given(text=WILD_TEXT)
def test_anchors_references_and_texts_are_refused_with_a_message_when_bad(text):
    refused_or_done(lambda: audit.parse_anchor(text))
    refused_or_done(lambda: records.normalise_ref(text))
    refused_or_done(lambda: bounds.text(text, field="A note", limit=bounds.NOTE))
    refused_or_done(lambda: bounds.amount(text, field="An item"))


@FAST
@given(code=WILD_TEXT, product=WILD_TEXT, name=WILD_TEXT, amount=WILD_TEXT, quantity=WILD_NUMBER,
       months=st.one_of(st.none(), st.integers(min_value=-(2**70), max_value=2**70)),
       days=st.integers(min_value=-100_000, max_value=100_000))
def test_the_queue_and_the_business_entry_refuse_bad_values_with_a_message(hall, clock, code, product, name,
                                                                                   amount, quantity, months, days):
    clock.set(max(clock.now(), at("09:00")))
    with hall.write() as session:
        refused_or_done(lambda: tickets.issue_ticket(session, clock, service_code=code))
    clerk = staff_id(hall, "S001")
    with hall.read() as session:
        serving = lookup.current_ticket(session, lookup.counter_by_number(session, 1).id) is not None
    if not serving:  # the first example sets the counter up; the hall lives through all of them
        open_counter(hall, clock, 1, "S001")
        with hall.write() as session:
            tickets.issue_ticket(session, clock, service_code="BB")
        with hall.write() as session:
            tickets.call_next(session, clock, counter_number=1, staff_id=clerk)
    try:
        effective = clock.now().date() + dt.timedelta(days=days)
    except OverflowError:
        effective = clock.now().date()
    with hall.write() as session:
        refused_or_done(lambda: service_orders.create_service_order(
            session, clock, counter_number=1, staff_id=clerk, product=product, effective_from=effective,
            items=[{"description": "Renewal", "amount": amount, "quantity": quantity}], payment_method="cash",
            term_months=months, customer_name=name))


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
