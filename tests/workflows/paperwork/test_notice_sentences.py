"""An apology notice says only what happened: for each kind of visit, exactly the sentences it carries.

Each story plays a visit, then reads the notice as the counter would issue it (`contents.apology`) and lists
its sentences: what happened, the headings, the approvals, and the closing sentence.
"""

from __future__ import annotations

import datetime as dt

from helpers.fixtures import at, open_counter
from helpers.story import act, issue
from sqlmodel import select

from counter_app.models import Escalation, Staff, Ticket
from counter_app.workflows.oversight import approvals, duty, escalation
from counter_app.workflows.paperwork import contents, issuing
from counter_app.workflows.paperwork.render.apology import closing_sentence, what_happened
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo

SORRY = ("We are sorry for the time your visit took. We have recorded what caused it so that we can put it "
         "right.")
THANKS = ("Thank you for your patience while we looked into your case. We have recorded what happened so that "
          "we can put it right.")
PASSED_ON = "Your clerk needed help, and your case was passed on to a more senior colleague."


def visit(hall, clock, *, wait_minutes: int, service_minutes: int, during=None) -> tuple[int, int]:
    """A broadband renewal (targets: wait 15, service 10 minutes) taken at 09:00 at counter 1 by 王芳."""
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    taken = issue(hall, clock)
    clock.advance(minutes=wait_minutes)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    if during is not None:
        during(clerk, taken.ticket_id)
    clock.set(at("09:00") + dt.timedelta(minutes=wait_minutes + service_minutes))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    return taken.ticket_id, clerk


def notice(hall, clock, ticket_id: int, clerk: int) -> tuple[object, list[str]]:
    """Whether the counter offers a notice, and the notice's sentences in English as they would be printed."""
    with hall.read() as session:
        due = issuing.apology_due(session, clock, ticket_id=ticket_id)
        data = contents.apology(session, session.get(Ticket, ticket_id), reference="APO-TEST", now=clock.now(),
                                issuer=session.get(Staff, clerk), language="en")
    lines = what_happened(data, "en")
    if data.explanation:
        lines.append(("Why it took so long: " if data.took_too_long else "What we found: ") + data.explanation)
    lines += [f"Approved: {a.what} ({a.approver_name})" for a in data.approvals]
    lines.append(closing_sentence(data, "en"))
    return due, lines


def test_a_visit_without_delay_and_with_a_help_request_nobody_answered_is_owed_no_notice(hall, clock):
    def ask_for_help(clerk, _ticket_id):
        act(hall, clock, escalation.request_help, counter_number=1, staff_id=clerk, route="senior", reason="form")

    ticket_id, clerk = visit(hall, clock, wait_minutes=1, service_minutes=1, during=ask_for_help)
    act(hall, clock, escalation.end_with_visits)
    due, lines = notice(hall, clock, ticket_id, clerk)

    assert due is None, "nothing broke and nobody took the case on: no notice is offered"
    assert PASSED_ON not in lines and SORRY not in lines
    with hall.read() as session:
        [request] = session.exec(select(Escalation)).all()
    assert (request.state, request.resolution_note) == ("resolved", escalation.ENDED_NOTE)


def test_a_long_wait(hall, clock):
    ticket_id, clerk = visit(hall, clock, wait_minutes=20, service_minutes=2)
    due, lines = notice(hall, clock, ticket_id, clerk)
    assert due.reasons == (issuing.DueReason.WAIT_BREACHED,)
    assert lines == [
        "On 2026-03-02 at 09:00 you took ticket A001 for Broadband renewal.",
        "You waited 20 minutes before you were called to counter 1; our target is 15 minutes.",
        "The service took 2 minutes, against our target of 10 minutes.",
        "In all, your visit took 22 minutes, from 09:00 to 09:22.",
        SORRY,
    ]


def test_a_long_service(hall, clock):
    ticket_id, clerk = visit(hall, clock, wait_minutes=3, service_minutes=14)
    due, lines = notice(hall, clock, ticket_id, clerk)
    assert due.reasons == (issuing.DueReason.SERVICE_BREACHED,)
    assert lines == [
        "On 2026-03-02 at 09:00 you took ticket A001 for Broadband renewal.",
        "You waited 3 minutes before you were called to counter 1; our target is 15 minutes.",
        "The service took 14 minutes, against our target of 10 minutes.",
        "In all, your visit took 17 minutes, from 09:00 to 09:17.",
        SORRY,
    ]


def test_a_case_handed_to_a_senior_colleague_without_delay(hall, clock):
    def senior_helps(clerk, _ticket_id):
        act(hall, clock, escalation.request_help, counter_number=1, staff_id=clerk, route="senior", reason="form")
        with hall.read() as session:
            help_id = session.exec(select(Escalation.id)).one()
        senior = open_counter(hall, clock, 3, "S003")
        act(hall, clock, escalation.accept, escalation_id=help_id, staff_id=senior)
        act(hall, clock, escalation.resolve, escalation_id=help_id, staff_id=senior, note="form corrected",
            explanation="The form needed a second signature, which our senior colleague added.")

    ticket_id, clerk = visit(hall, clock, wait_minutes=2, service_minutes=5, during=senior_helps)
    due, lines = notice(hall, clock, ticket_id, clerk)
    assert due.reasons == (issuing.DueReason.ESCALATED,)
    assert lines == [
        "On 2026-03-02 at 09:00 you took ticket A001 for Broadband renewal.",
        "You waited 2 minutes before you were called to counter 1; our target is 15 minutes.",
        "The service took 5 minutes, against our target of 10 minutes.",
        "In all, your visit took 7 minutes, from 09:00 to 09:07.",
        PASSED_ON,
        "What we found: The form needed a second signature, which our senior colleague added.",
        THANKS,
    ]


def test_an_approved_exception_after_a_long_service(hall, clock):
    def manager_approves(clerk, ticket_id):
        act(hall, clock, escalation.request_help, counter_number=1, staff_id=clerk, route="manager", reason="fee")
        with hall.read() as session:
            help_id = session.exec(select(Escalation.id)).one()
        manager = act(hall, clock, duty.manager_sign_in, staff_no="M001", password=demo.DEMO_PASSWORD)
        act(hall, clock, escalation.accept, escalation_id=help_id, staff_id=manager.staff_id)
        act(hall, clock, approvals.approve_exception, manager_staff_no="M001", manager_password=demo.DEMO_PASSWORD,
            requested_by=clerk, kind="arrears_settled", reason="settled in 2010",
            customer_explanation="The 2010 fee had been settled; we cleared the flag.", customer_ref="13800001111",
            ticket_id=ticket_id,
            escalation_id=help_id)
        act(hall, clock, escalation.resolve, escalation_id=help_id, staff_id=manager.staff_id, note="cleared",
            explanation="An old fee was shown as unpaid although it had been settled.")

    ticket_id, clerk = visit(hall, clock, wait_minutes=2, service_minutes=25, during=manager_approves)
    due, lines = notice(hall, clock, ticket_id, clerk)
    assert due.reasons == (issuing.DueReason.SERVICE_BREACHED, issuing.DueReason.ESCALATED)
    assert lines == [
        "On 2026-03-02 at 09:00 you took ticket A001 for Broadband renewal.",
        "You waited 2 minutes before you were called to counter 1; our target is 15 minutes.",
        "The service took 25 minutes, against our target of 10 minutes.",
        "In all, your visit took 27 minutes, from 09:00 to 09:27.",
        PASSED_ON,
        "Why it took so long: An old fee was shown as unpaid although it had been settled.",
        "Approved: The 2010 fee had been settled; we cleared the flag. (陈刚)",
        SORRY,
    ]
