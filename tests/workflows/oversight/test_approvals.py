"""The duty manager approves an exception with their own credential, a reason and the customer's explanation
(F5); the approval stays on the customer and the next clerk sees it at once (F6)."""

import datetime as dt

import pytest
from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, issue, refused, snapshot
from sqlmodel import select

from counter_app.models import Customer, ExceptionApproval, ExceptionKind, HelpRoute, Ticket
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import approvals, escalation
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo

PASSWORD = demo.DEMO_PASSWORD
PHONE = "13800138000"
REASON = "The 2010 broadband fee was settled by the duty manager in 2010; the arrears flag was never cleared."
EXPLANATION = "The old fee on your account had already been paid in 2010. We have cleared the record; sorry."


@pytest.fixture
def visit(hall, clock):
    """The trainee serves the customer, who is identified by phone, and has asked for help."""
    clock.set(at("09:00"))
    issued = issue(hall, clock, "BB")
    trainee = open_counter(hall, clock, 1, "S002")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=trainee)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=trainee)
    act(hall, clock, records.open_customer, counter_number=1, staff_id=trainee, ref=PHONE)
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=trainee, route=HelpRoute.MANAGER)
    clock.set(at("09:20"))
    return {"ticket_id": issued.ticket_id, "trainee": trainee, "escalation_id": 1}


def approve(store, clock, visit, **overrides):
    fields = {"manager_staff_no": "M001", "manager_password": PASSWORD, "requested_by": visit["trainee"],
              "kind": ExceptionKind.ARREARS_SETTLED, "reason": REASON, "customer_explanation": EXPLANATION,
              "customer_ref": PHONE, "ticket_id": visit["ticket_id"], "escalation_id": visit["escalation_id"]}
    fields.update(overrides)
    return fields


def whole_store(store):
    """Tickets, counters, events, customers and approvals: to show a refusal saved nothing."""
    with store.read() as session:
        extra = {"approvals": len(session.exec(select(ExceptionApproval)).all()),
                 "customers": len(session.exec(select(Customer)).all())}
    return snapshot(store, without_attempts=True), extra


@pytest.mark.parametrize(("overrides", "message"), [
    ({"manager_password": "guess"}, "Wrong staff number or password."),
    ({"manager_staff_no": "M999"}, "Wrong staff number or password."),
    ({"manager_staff_no": "S001"}, "Only a duty manager can approve an exception."),  # a clerk
    ({"manager_staff_no": "S003"}, "Only a duty manager can approve an exception."),  # a senior clerk
    ({"manager_staff_no": "A001"}, "Only a duty manager can approve an exception."),  # the administrator
    ({"kind": "whatever"}, "Choose what kind of exception is approved."),
    ({"reason": "   "}, "Give the reason for the approval."),
    ({"customer_explanation": ""}, "Write the explanation the customer will read."),
    ({"amount": "a lot"}, "The amount must be a number of yuan, e.g. 120.00."),
    ({"amount": "NaN"}, "The amount must be a number of yuan, e.g. 120.00."),
    ({"amount": "-120"}, "The amount must be a number of yuan, e.g. 120.00."),
    ({"amount": "1e40"}, "The amount must be a number of yuan, e.g. 120.00."),
    ({"amount": "12.345"}, "The amount must be a number of yuan, e.g. 120.00."),
    ({"customer_ref": "??"}, "Enter the customer's account number or 11-digit mobile number."),
    ({"customer_ref": None, "ticket_id": None, "escalation_id": None},
     "Identify the customer (account number or mobile) so the approval stays on their record."),
    ({"ticket_id": 999, "escalation_id": None}, "That ticket does not exist."),
    ({"escalation_id": 999}, "That help request does not exist."),
    ({"requested_by": 999, "escalation_id": None}, "This visit is served by another clerk: the approval is for them."),
])
def test_a_refused_approval_says_why_and_saves_nothing(hall, clock, visit, overrides, message):
    before = whole_store(hall)
    assert refused(hall, clock, approvals.approve_exception, **approve(hall, clock, visit, **overrides)) == message
    assert whole_store(hall) == before


def test_nobody_approves_their_own_request(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock, "BB")
    manager = open_counter(hall, clock, 2, "M001")  # a duty manager serving at a counter himself
    act(hall, clock, tickets.call_next, counter_number=2, staff_id=manager)
    before = whole_store(hall)
    assert refused(hall, clock, approvals.approve_exception,
                   **approve(hall, clock, {"trainee": None, "ticket_id": issued.ticket_id, "escalation_id": None})) \
        == "Nobody approves their own request: another duty manager must approve it."
    assert whole_store(hall) == before


def test_without_a_help_request_the_visit_says_who_asked_never_the_caller(hall, clock, visit):
    before = whole_store(hall)
    assert refused(hall, clock, approvals.approve_exception,
                   **approve(hall, clock, visit, requested_by=staff_id(hall, "S004"), escalation_id=None)) == \
        "This visit is served by another clerk: the approval is for them."
    assert whole_store(hall) == before
    approval = act(hall, clock, approvals.approve_exception,
                   **approve(hall, clock, visit, requested_by=None, escalation_id=None))
    with hall.read() as session:
        assert session.get(ExceptionApproval, approval.approval_id).requested_by == visit["trainee"]


def test_the_help_request_says_who_asked_and_for_which_visit(hall, clock, visit):
    # The form cannot put the approval on another clerk or another ticket than the help request's.
    before = whole_store(hall)
    assert refused(hall, clock, approvals.approve_exception,
                   **approve(hall, clock, visit, requested_by=staff_id(hall, "S004"))) == \
        "This help request was asked by another clerk: the approval is for them."
    assert whole_store(hall) == before
    other = issue(hall, clock, "BB")
    before = whole_store(hall)
    assert refused(hall, clock, approvals.approve_exception,
                   **approve(hall, clock, visit, ticket_id=other.ticket_id)) == "This help request is for another ticket."
    assert whole_store(hall) == before


def test_with_a_help_request_the_clerk_who_asked_is_taken_from_it(hall, clock, visit):
    approval = act(hall, clock, approvals.approve_exception, **approve(hall, clock, visit, requested_by=None))
    with hall.read() as session:
        assert session.get(ExceptionApproval, approval.approval_id).requested_by == visit["trainee"]


def test_a_clerk_cannot_approve_even_with_the_right_password(hall, clock, visit):
    # The rule is in the workflow, not only in a hidden button: a clerk's own valid credential is refused.
    before = whole_store(hall)
    assert refused(hall, clock, approvals.approve_exception,
                   **approve(hall, clock, visit, manager_staff_no="S001")) == \
        "Only a duty manager can approve an exception."
    assert whole_store(hall) == before


def test_the_approval_is_kept_on_the_customer_with_who_when_and_why(hall, clock, visit):
    approval = act(hall, clock, approvals.approve_exception,
                   **approve(hall, clock, visit, customer_ref="138 0013 8000", amount=" 120 ", remedy="fee waived"))
    manager = staff_id(hall, "M001")
    assert (approval.approved_by, approval.approved_by_name, approval.approved_at) == (manager, "陈刚", at("09:20"))
    assert (approval.change.kind, approval.change.number) == ("exception_approved", "A001")
    with hall.read() as session:
        row = session.get(ExceptionApproval, approval.approval_id)
        customer = session.get(Customer, approval.customer_id)
        ticket = session.get(Ticket, visit["ticket_id"])
    assert (row.kind, row.reason, row.customer_explanation, row.remedy, row.amount) == \
        (ExceptionKind.ARREARS_SETTLED, REASON, EXPLANATION, "fee waived", "120.00")
    assert (row.requested_by, row.approved_by, row.approved_at) == (visit["trainee"], manager, at("09:20"))
    assert (row.ticket_id, row.escalation_id) == (visit["ticket_id"], visit["escalation_id"])
    assert customer.phone == PHONE and ticket.customer_id == customer.id


def test_an_approval_without_a_reference_goes_to_the_customer_of_the_visit(hall, clock, visit):
    approval = act(hall, clock, approvals.approve_exception, **approve(hall, clock, visit, customer_ref=None))
    with hall.read() as session:
        assert session.get(Customer, approval.customer_id).phone == PHONE


def test_the_next_visit_of_the_customer_shows_the_approved_exception_at_once(hall, clock, visit):
    act(hall, clock, approvals.approve_exception, **approve(hall, clock, visit))
    clock.set(at("09:33"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=visit["trainee"])

    # The next morning the same customer takes a ticket; another clerk calls them and looks them up by phone.
    tomorrow = dt.timedelta(days=1)
    clock.set(at("09:10") + tomorrow)
    issued = issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 5, "S004")
    act(hall, clock, tickets.call_next, counter_number=5, staff_id=clerk)
    card = act(hall, clock, records.open_customer, counter_number=5, staff_id=clerk, ref="138-0013-8000")

    [known] = card.exceptions
    assert (known.kind, known.approved_by, known.approved_at, known.reason, known.customer_explanation,
            known.requested_by) == (ExceptionKind.ARREARS_SETTLED, "陈刚", at("09:20"), REASON, EXPLANATION, "李明")
    assert card.visits == 2
    with hall.read() as session:
        shown = records.ticket_customer_card(session, clock, ticket_id=issued.ticket_id)
    assert shown.exceptions == card.exceptions


def test_a_customer_transferred_to_another_service_keeps_their_exceptions_in_view(hall, clock, visit):
    act(hall, clock, approvals.approve_exception, **approve(hall, clock, visit))
    change = act(hall, clock, tickets.transfer, counter_number=1, staff_id=visit["trainee"], service_code="BILL")
    with hall.read() as session:
        card = records.ticket_customer_card(session, clock, ticket_id=change.ticket_id)
    assert card is not None and [e.approved_by for e in card.exceptions] == ["陈刚"]
    assert card.visits == 1  # one visit, two legs


def test_an_approval_on_a_customer_alone_is_asked_by_someone_signed_in_now(hall, clock, visit):
    # No visit and no help request: a settlement recorded on the customer's record. The requester cannot be
    # any staff number a caller names, only someone signed in at a counter or on duty.
    alone = {"ticket_id": None, "escalation_id": None, "customer_ref": "139 0000 0001"}
    away = staff_id(hall, "S004")  # not signed in anywhere
    before = whole_store(hall)
    assert refused(hall, clock, approvals.approve_exception, **approve(hall, clock, visit, requested_by=away, **alone)) \
        == "Only someone signed in now, at a counter or on duty, can ask for an exception."
    assert whole_store(hall) == before
    approval = act(hall, clock, approvals.approve_exception, **approve(hall, clock, visit, **alone))
    with hall.read() as session:
        assert session.get(ExceptionApproval, approval.approval_id).requested_by == visit["trainee"]
