"""Issued documents: the seed's morning gives a readable acceptance form and an honest apology notice;
every PDF is archived with its hash, can be found again, reprinted, and a failed print is never lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from helpers.fixtures import DAY, at, open_counter, staff_id
from helpers.morning import APPROVED, EXPLANATION, REMEDY, seed_morning
from helpers.morning import act_at as act
from helpers.pdf_checks import fonts, squeezed, text_of
from sqlmodel import func, select

from counter_app import paths
from counter_app.clock import VirtualClock
from counter_app.errors import AppError
from counter_app.models import Escalation, Event, IssuedDocument, PrintStatus, Ticket
from counter_app.models.db import Store
from counter_app.workflows.core import events
from counter_app.workflows.oversight import escalation
from counter_app.workflows.paperwork import follow_up, issuing, service_orders
from counter_app.workflows.paperwork.issuing import DueReason
from counter_app.workflows.queue import tickets


def read(store: Store, clock: VirtualClock, reader, **kw):
    with store.read() as session:
        return reader(session, clock, **kw)


@pytest.fixture
def morning(hall: Store, clock: VirtualClock) -> dict:
    return seed_morning(hall, clock)


def test_the_customer_reads_a_plain_acceptance_form_with_his_phone_masked(hall, clock, morning):
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])

    pdf = form.path.read_bytes()
    text = text_of(pdf)
    assert form.reference == "ACC-20260302-0001"
    assert form.path == paths.documents_dir() / "2026/03/02/acceptance-ACC-20260302-0001.pdf"
    assert "You are renewing Broadband 100M for 12 months, 1,200.00 yuan, from 2026-03-02 to 2027-03-01." in text
    assert "138****1234" in text and "13812341234" not in text
    assert "Wang Jianguo" not in text and "110101198001011234" not in text
    assert "East City Business Hall" in text and "Broadband renewal" in text
    # The approved exception of this visit is a remark on the form, in plain words, with who approved it.
    assert APPROVED in text and "Approved by 陈刚 (Duty manager) at 2026-03-02 09:28." in text
    assert any(embedded for embedded in fonts(pdf).values()), "the CJK font is embedded"


def test_the_acceptance_form_is_in_the_language_the_customer_chose(hall, clock):
    chinese = seed_morning(hall, clock, language="zh_CN")
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=chinese["order_id"],
               staff_id=chinese["trainee"])

    text = squeezed(form.path.read_bytes())
    assert "城东营业厅" in text and "宽带续费" in text and "138****1234" in text


def test_the_customer_signs_only_after_the_form_was_printed_for_him(hall, clock, morning):
    with pytest.raises(AppError, match="acceptance form"):
        act(hall, clock, "09:31", service_orders.sign_order, order_id=morning["order_id"], staff_id=morning["trainee"])

    act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
        staff_id=morning["trainee"])
    act(hall, clock, "09:32", service_orders.sign_order, order_id=morning["order_id"], staff_id=morning["trainee"])

    with pytest.raises(AppError, match="already issued: reprint it"):
        act(hall, clock, "09:32", issuing.issue_acceptance_form, order_id=morning["order_id"],
            staff_id=morning["trainee"])


def test_after_36_minutes_an_apology_is_due_for_the_service_time_and_the_escalation(hall, clock, morning):
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])

    due = read(hall, clock, issuing.apology_due, ticket_id=morning["ticket_id"])

    assert due.reasons == (DueReason.SERVICE_BREACHED, DueReason.ESCALATED)  # the 9-minute wait was in target
    assert (due.wait_minutes, due.target_wait_minutes) == (9, 15)
    assert (due.service_minutes, due.target_service_minutes) == (26, 10)
    assert due.document_id is None


def test_the_apology_notice_gives_the_real_minutes_the_explanation_and_the_manager(hall, clock, morning):
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])

    notice = act(hall, clock, "09:34", issuing.issue_apology, ticket_id=morning["ticket_id"],
                 staff_id=morning["trainee"], language="en")

    text = text_of(notice.path.read_bytes())
    assert notice.reference == "APO-20260302-0001"
    assert "You waited 9 minutes before you were called to counter 1; our target is 15 minutes." in text
    assert "The service took 26 minutes, against our target of 10 minutes." in text
    assert "In all, your visit took 36 minutes, from 08:57 to 09:33." in text
    assert "passed on to a more senior colleague" in text
    assert EXPLANATION in text
    assert APPROVED in text and "Approved by 陈刚 (Duty manager) at 09:28." in text
    assert REMEDY in text
    assert "陈刚 Duty manager, East City Business Hall" in text  # signed by the manager who approved the fix
    assert read(hall, clock, issuing.apology_due, ticket_id=morning["ticket_id"]).document_id == notice.document_id
    with pytest.raises(AppError, match="already issued"):
        act(hall, clock, "09:35", issuing.issue_apology, ticket_id=morning["ticket_id"],
            staff_id=morning["trainee"], language="en")


def test_a_visit_within_its_targets_and_without_help_owes_no_apology(hall, clock):
    clerk = open_counter(hall, clock, 2, "S001")
    ticket = act(hall, clock, "09:01", tickets.issue_ticket, service_code="BILL")
    act(hall, clock, "09:03", tickets.call_next, counter_number=2, staff_id=clerk)
    act(hall, clock, "09:03", tickets.start_service, counter_number=2, staff_id=clerk)
    act(hall, clock, "09:06", tickets.finish_service, counter_number=2, staff_id=clerk)

    assert read(hall, clock, issuing.apology_due, ticket_id=ticket.ticket_id) is None


def test_a_long_wait_alone_makes_an_apology_due(hall, clock):
    clerk = open_counter(hall, clock, 2, "S001")
    ticket = act(hall, clock, "09:01", tickets.issue_ticket, service_code="BILL")  # wait target 10 minutes
    act(hall, clock, "09:12", tickets.call_next, counter_number=2, staff_id=clerk)

    due = read(hall, clock, issuing.apology_due, ticket_id=ticket.ticket_id)

    assert due.reasons == (DueReason.WAIT_BREACHED,)
    assert due.wait_minutes == 11


def test_time_served_before_a_transfer_is_not_counted_as_waiting(hall, clock):
    # broadband (wait target 15 min): called at once, served 9 minutes, sent on to a new line (target 20)
    first = open_counter(hall, clock, 1, "S001")
    ticket = act(hall, clock, "09:00", tickets.issue_ticket, service_code="BB")
    act(hall, clock, "09:01", tickets.call_next, counter_number=1, staff_id=first)
    act(hall, clock, "09:01", tickets.start_service, counter_number=1, staff_id=first)
    act(hall, clock, "09:10", tickets.transfer, counter_number=1, staff_id=first, service_code="NEW")
    second = open_counter(hall, clock, 3, "S004")
    act(hall, clock, "09:17", tickets.call_next, counter_number=3, staff_id=second)

    # 17 minutes since arrival, but the customer waited 1 + 7 minutes: no target broken, nothing to apologise for
    assert read(hall, clock, issuing.apology_due, ticket_id=ticket.ticket_id) is None


def test_a_declined_apology_is_recorded(hall, clock, morning):
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])
    notice = act(hall, clock, "09:34", issuing.issue_apology, ticket_id=morning["ticket_id"],
                 staff_id=morning["trainee"], language="en")

    act(hall, clock, "09:34", issuing.record_print, document_id=notice.document_id, status=PrintStatus.DECLINED,
        staff_id=morning["trainee"], note="the customer did not want it")

    [line] = read(hall, clock, issuing.documents_of, ticket_id=morning["ticket_id"])
    assert (line.print_status, line.note) == ("declined", "the customer did not want it")
    with hall.read() as session:
        assert session.exec(select(Event.kind).order_by(Event.id.desc())).first() == "document_declined"


def test_a_ticket_whose_print_failed_is_flagged_and_can_be_reprinted(hall, clock):
    taken = act(hall, clock, "08:57", tickets.issue_ticket, service_code="BB")
    slip = act(hall, clock, "08:57", issuing.issue_ticket_document, ticket_id=taken.ticket_id, language="en")

    act(hall, clock, "08:57", issuing.record_print, document_id=slip.document_id, status=PrintStatus.FAILED,
        printer="kiosk thermal", note="out of paper")

    with hall.read() as session:
        assert session.get(Ticket, taken.ticket_id).print_status == "failed"
    text = text_of(slip.path.read_bytes())
    assert "A001" in text and "We are not serving yet." in text and "Serving starts at 09:00." in text
    assert "Nobody is waiting ahead of you." in text and "20260302-A001" in text

    again = act(hall, clock, "08:58", issuing.reprint, document_id=slip.document_id,
                staff_id=staff_id(hall, "S001"))
    act(hall, clock, "08:58", issuing.record_print, document_id=again.document_id, status=PrintStatus.PRINTED)

    with hall.read() as session:
        assert session.get(Ticket, taken.ticket_id).print_status == "printed"
    assert again.reprint and again.path.name == "ticket-20260302-A001-R1.pdf"
    reprinted = text_of(again.path.read_bytes())
    assert "REPRINT" in reprinted and "REPRINT" not in text
    # The same facts as the customer's first slip: the queue as it was at 08:57.
    assert reprinted.replace("REPRINT", "").split() == text.split()


def test_a_reprint_is_marked_linked_to_its_original_and_numbered(hall, clock, morning):
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])

    first = act(hall, clock, "09:40", issuing.reprint, document_id=form.document_id, staff_id=morning["senior"])
    second = act(hall, clock, "09:41", issuing.reprint, document_id=first.document_id, staff_id=morning["senior"])

    assert [first.path.name, second.path.name] == ["acceptance-ACC-20260302-0001-R1.pdf",
                                                   "acceptance-ACC-20260302-0001-R2.pdf"]
    assert first.reference == second.reference == form.reference
    assert "REPRINT" in text_of(second.path.read_bytes())
    lines = read(hall, clock, issuing.search, reference=form.reference)
    assert [(line.document_id, line.reprint, line.reprint_of) for line in lines] == [
        (second.document_id, True, form.document_id),
        (first.document_id, True, form.document_id),
        (form.document_id, False, None),
    ]
    assert lines[0].created_by == "张伟" and lines[-1].created_by == "李明"
    with hall.read() as session:
        kinds = session.exec(select(Event.kind).where(Event.kind.like("document_%")).order_by(Event.id)).all()
    assert kinds == ["document_issued", "document_reprinted", "document_reprinted"]


def test_the_archive_finds_a_visits_documents_by_any_of_its_references(hall, clock, morning):
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])
    receipt = act(hall, clock, "09:33", issuing.issue_receipt, order_id=morning["order_id"],
                  staff_id=morning["trainee"])
    notice = act(hall, clock, "09:34", issuing.issue_apology, ticket_id=morning["ticket_id"],
                 staff_id=morning["trainee"], language="en")

    by_ticket = read(hall, clock, issuing.search, reference="a001")
    assert [line.reference for line in by_ticket] == [notice.reference, receipt.reference, form.reference]
    assert {line.ticket_number for line in by_ticket} == {"A001"}
    assert [line.kind for line in read(hall, clock, issuing.search, reference="RCP-20260302-0001")] == ["receipt"]
    assert [line.kind for line in read(hall, clock, issuing.search, reference=morning["order_reference"])] == [
        "receipt", "acceptance"]
    assert read(hall, clock, issuing.search, reference="APO-20260302-0099") == []

    customer_id = by_ticket[0].customer_id
    assert customer_id is not None
    assert [line.document_id for line in read(hall, clock, issuing.documents_of, customer_id=customer_id)] == [
        line.document_id for line in by_ticket]
    for line in by_ticket:
        pdf = issuing.document_path(line).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == line.sha256 and len(pdf) == line.size


def test_the_receipt_shows_the_clerk_by_staff_number_and_the_real_times(hall, clock, morning):
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])

    roll = act(hall, clock, "09:33", issuing.issue_receipt, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    a4 = act(hall, clock, "09:33", issuing.issue_receipt, order_id=morning["order_id"],
             staff_id=morning["trainee"], a4=True)

    text = text_of(roll.path.read_bytes())
    assert "RCP-20260302-0001" in text and "S002" in text and "¥1,200.00" in text and "WeChat Pay" in text
    assert "9 min" in text and "26 min" in text
    assert a4.reference == "RCP-20260302-0002" and a4.kind == "receipt_a4"
    assert a4.path.name == "receipt_a4-RCP-20260302-0002.pdf"


def test_the_archive_holds_the_hash_of_the_file_and_every_issue_is_logged(hall, clock, morning):
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])

    assert hashlib.sha256(form.path.read_bytes()).hexdigest() == form.sha256
    with hall.read() as session:
        row = session.get(IssuedDocument, form.document_id)
        logged = session.exec(select(Event).where(Event.kind == "document_issued")).one()
    assert (row.path, row.language, row.created_at) == ("2026/03/02/acceptance-ACC-20260302-0001.pdf", "en",
                                                        at("09:31"))
    assert json.loads(logged.data)["sha256"] == form.sha256 and logged.staff_id == morning["trainee"]


def test_a_transaction_that_fails_leaves_no_file_behind(hall, clock, morning, monkeypatch):
    def broken_log(*args, **kwargs):
        raise RuntimeError("the disk with the store is full")

    monkeypatch.setattr(events, "record", broken_log)
    clock.set(at("09:31"))
    with pytest.raises(RuntimeError), hall.write() as session:
        issuing.issue_acceptance_form(session, clock, order_id=morning["order_id"], staff_id=morning["trainee"])

    assert list(paths.documents_dir().rglob("*.*")) == []
    with hall.read() as session:
        assert session.exec(select(func.count()).select_from(IssuedDocument)).one() == 0


def test_a_failure_after_the_document_also_removes_its_file(hall, clock, morning):
    clock.set(at("09:31"))
    with pytest.raises(RuntimeError), hall.write() as session:
        form = issuing.issue_acceptance_form(session, clock, order_id=morning["order_id"],
                                               staff_id=morning["trainee"])
        assert form.path.exists()
        raise RuntimeError("the next step of the same action failed")

    assert not form.path.exists() and not form.path.with_suffix(".json").exists()
    with hall.read() as session:
        assert session.exec(select(func.count()).select_from(IssuedDocument)).one() == 0


def test_a_document_for_nothing_is_refused(hall, clock):
    with pytest.raises(AppError, match="ticket does not exist"):
        act(hall, clock, "09:00", issuing.issue_ticket_document, ticket_id=999, language="en")
    with pytest.raises(AppError, match="order does not exist"):
        act(hall, clock, "09:00", issuing.issue_receipt, order_id=999, staff_id=1)
    with pytest.raises(AppError, match="not in the archive"):
        act(hall, clock, "09:00", issuing.reprint, document_id=999, staff_id=1)
    with pytest.raises(AppError, match="Unknown language"):
        taken = act(hall, clock, "09:00", tickets.issue_ticket, service_code="BB")
        act(hall, clock, "09:00", issuing.issue_ticket_document, ticket_id=taken.ticket_id, language="fr")
    assert read(hall, clock, issuing.search, reference="  ") == []


def test_a_transferred_visit_is_one_visit_on_the_apology_notice(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    taken = act(hall, clock, "09:00", tickets.issue_ticket, service_code="BB")
    act(hall, clock, "09:02", tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:02", tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:05", tickets.transfer, counter_number=1, staff_id=clerk, service_code="PLAN")
    act(hall, clock, "09:20", tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:21", tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:25", tickets.finish_service, counter_number=1, staff_id=clerk)

    # Asked about by the first leg's ticket. The waits are judged queue by queue, as the reports judge them:
    # 2 minutes for broadband (09:00-09:02), 15 for the plan change from the transfer (09:05-09:20), which
    # reached that service's 15-minute target; the counter is told that queue, not the 17 minutes in all.
    due = read(hall, clock, issuing.apology_due, ticket_id=taken.ticket_id)
    assert (due.reasons, due.wait_minutes, due.target_wait_minutes) == ((DueReason.WAIT_BREACHED,), 15, 15)
    notice = act(hall, clock, "09:26", issuing.issue_apology, ticket_id=taken.ticket_id, staff_id=clerk,
                 language="en")

    # The notice tells each queue and each counter against its own service's targets, as each was judged.
    text = text_of(notice.path.read_bytes())
    assert "you took ticket A001 for Broadband renewal" in text
    assert ("You queued twice: 2 minutes for Broadband renewal (our target 15 minutes) and 15 minutes for Mobile "
            "plan change (our target 15 minutes), 17 minutes in all.") in text
    assert "Each service was within its target: 7 minutes in all." in text
    assert "You waited" not in text and "The service took" not in text
    assert "In all, your visit took 25 minutes, from 09:00 to 09:25." in text
    assert "S001" not in text and "王芳" in text  # no manager involved: the clerk signs
    assert [line.document_id for line in read(hall, clock, issuing.documents_of, ticket_id=taken.ticket_id)] == [
        notice.document_id]



TOLD_PER_QUEUE = {
    "en": ["You queued twice: 14 minutes for Broadband renewal (our target 15 minutes) and 9 minutes for Bill "
           "payment (our target 10 minutes), 23 minutes in all.",
           "Each service was within its target: 6 minutes in all.",
           "passed on to a more senior colleague"],
    "zh_CN": ["您排了两次队，共等候23分钟：宽带续费等候14分钟（时限15分钟）、缴费等候9分钟（时限10分钟）。",
              "各项办理均未超过时限，共用时6分钟。"],
}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_transferred_visit_within_each_queues_target_is_not_told_it_waited_past_one(hall, clock, language):
    clerk = open_counter(hall, clock, 1, "S001")
    taken = act(hall, clock, "09:00", tickets.issue_ticket, service_code="BB")  # wait target 15, service 10
    act(hall, clock, "09:14", tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:14", tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:15", escalation.request_help, counter_number=1, staff_id=clerk, route="manager",
        reason="The customer also owes a bill")
    act(hall, clock, "09:16", escalation.resolve, escalation_id=only_request(hall), staff_id=staff_id(hall, "M001"),
        note="Sent to the bill queue", explanation=EXPLANATION)
    act(hall, clock, "09:17", tickets.transfer, counter_number=1, staff_id=clerk, service_code="BILL")  # 10 and 5
    act(hall, clock, "09:26", tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:26", tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:29", tickets.finish_service, counter_number=1, staff_id=clerk)

    # 14 and 9 minutes in the queues, 3 and 3 at the counter: no target broken, the help alone owes the notice,
    # and the notice tells each queue against its own target, never the 23 minutes against the first one's 15.
    due = read(hall, clock, issuing.apology_due, ticket_id=taken.ticket_id)
    assert due.reasons == (DueReason.ESCALATED,)
    notice = act(hall, clock, "09:30", issuing.issue_apology, ticket_id=taken.ticket_id, staff_id=clerk,
                 language=language)

    pdf = notice.path.read_bytes()
    text = text_of(pdf) if language == "en" else squeezed(pdf)
    for phrase in TOLD_PER_QUEUE[language]:
        assert phrase in text
    assert "our target is" not in text and "against our target" not in text and "等候时限为" not in text


# -- the notices a counter still owes ----------------------------------------------------------------


def owed(store: Store, clock: VirtualClock, *, counter: int, staff: int) -> list[issuing.PendingNotice]:
    return read(store, clock, issuing.pending_notices, counter_number=counter, staff_id=staff)


def test_a_visit_whose_wait_broke_its_target_owes_a_notice_until_one_is_printed(hall, clock):
    clerk = open_counter(hall, clock, 2, "S001")
    taken = act(hall, clock, "09:01", tickets.issue_ticket, service_code="BILL")  # wait target 10 minutes
    act(hall, clock, "09:12", tickets.call_next, counter_number=2, staff_id=clerk)
    act(hall, clock, "09:12", tickets.start_service, counter_number=2, staff_id=clerk)
    assert owed(hall, clock, counter=2, staff=clerk) == [], "offered once the service has ended"

    act(hall, clock, "09:15", tickets.finish_service, counter_number=2, staff_id=clerk)
    assert owed(hall, clock, counter=2, staff=clerk) == [
        issuing.PendingNotice(taken.ticket_id, taken.number, None)]  # no order: the clerk picks the language
    notice = act(hall, clock, "09:16", issuing.issue_apology, ticket_id=taken.ticket_id, staff_id=clerk,
                 language="en")
    assert [n.ticket_id for n in owed(hall, clock, counter=2, staff=clerk)] == [taken.ticket_id], "not printed yet"
    act(hall, clock, "09:16", issuing.record_print, document_id=notice.document_id, status=PrintStatus.FAILED,
        staff_id=clerk, note="paper jam")
    assert [n.ticket_id for n in owed(hall, clock, counter=2, staff=clerk)] == [taken.ticket_id], "still owed"
    again = act(hall, clock, "09:17", issuing.reprint, document_id=notice.document_id, staff_id=clerk)
    act(hall, clock, "09:17", issuing.record_print, document_id=again.document_id, status=PrintStatus.PRINTED,
        staff_id=clerk)
    assert owed(hall, clock, counter=2, staff=clerk) == []


def test_a_notice_is_owed_in_the_language_of_the_customers_order_until_declined(hall, clock):
    seed = seed_morning(hall, clock, language="zh_CN")
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=seed["trainee"])

    assert owed(hall, clock, counter=1, staff=seed["trainee"]) == [
        issuing.PendingNotice(seed["ticket_id"], "A001", "zh_CN")]
    assert owed(hall, clock, counter=3, staff=seed["senior"]) == [], "the helper did not serve the customer"
    notice = act(hall, clock, "09:34", issuing.issue_apology, ticket_id=seed["ticket_id"],
                 staff_id=seed["trainee"], language="zh_CN")
    act(hall, clock, "09:34", issuing.record_print, document_id=notice.document_id, status=PrintStatus.DECLINED,
        staff_id=seed["trainee"])
    assert owed(hall, clock, counter=1, staff=seed["trainee"]) == []


def test_a_visit_within_its_targets_owes_no_notice(hall, clock):
    clerk = open_counter(hall, clock, 2, "S001")
    act(hall, clock, "09:01", tickets.issue_ticket, service_code="BILL")
    act(hall, clock, "09:03", tickets.call_next, counter_number=2, staff_id=clerk)
    act(hall, clock, "09:03", tickets.start_service, counter_number=2, staff_id=clerk)
    act(hall, clock, "09:06", tickets.finish_service, counter_number=2, staff_id=clerk)

    assert owed(hall, clock, counter=2, staff=clerk) == []


# -- the help requests the duty manager follows up with a notice -------------------------------------


def followed_up(store: Store, clock: VirtualClock) -> list[tuple[str | None, str]]:
    """What the duty manager's list keeps after a request is resolved: ticket number and state."""
    return [(line.ticket_number, line.state) for line in read(store, clock, follow_up.help_notices_owed)]


def help_visit(store: Store, escalation_id: int) -> follow_up.HelpVisit:
    with store.read() as session:
        return follow_up.help_visit(session, escalation_id=escalation_id)


def only_request(store: Store) -> int:
    with store.read() as session:
        return session.exec(select(Escalation.id)).one()


def test_a_visit_whose_help_request_the_manager_resolved_owes_a_notice_until_one_is_printed(hall, clock, morning):
    clock.set(at("09:31"))
    assert followed_up(hall, clock) == [], "resolved at 09:29, but the customer is still at the counter"

    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])
    assert followed_up(hall, clock) == [("A001", "resolved")]

    notice = act(hall, clock, "09:34", issuing.issue_apology, ticket_id=morning["ticket_id"],
                 staff_id=morning["manager"], language="en")
    assert followed_up(hall, clock) == [("A001", "resolved")], "issued, not printed yet"
    act(hall, clock, "09:34", issuing.record_print, document_id=notice.document_id, status=PrintStatus.FAILED,
        staff_id=morning["manager"], note="paper jam")
    assert followed_up(hall, clock) == [("A001", "resolved")], "a failed print settles nothing"
    again = act(hall, clock, "09:35", issuing.reprint, document_id=notice.document_id, staff_id=morning["manager"])
    act(hall, clock, "09:35", issuing.record_print, document_id=again.document_id, status=PrintStatus.PRINTED,
        staff_id=morning["manager"])
    assert followed_up(hall, clock) == []


@pytest.mark.parametrize("status", [PrintStatus.SAVED, PrintStatus.DECLINED])
def test_a_notice_saved_as_pdf_or_declined_by_the_customer_ends_the_follow_up_too(hall, clock, morning, status):
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])
    notice = act(hall, clock, "09:34", issuing.issue_apology, ticket_id=morning["ticket_id"],
                 staff_id=morning["trainee"], language="en")  # the clerk's counter settles it: the manager's list too
    act(hall, clock, "09:34", issuing.record_print, document_id=notice.document_id, status=status,
        staff_id=morning["trainee"])

    assert followed_up(hall, clock) == []


def test_a_request_resolved_yesterday_is_not_followed_up_today(hall, clock, morning):
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])

    clock.set(at("09:00", DAY + dt.timedelta(days=1)))

    assert followed_up(hall, clock) == []


def test_a_customer_transferred_on_after_the_help_is_owed_the_notice_once_served_at_the_end(hall, clock):
    clerk = open_counter(hall, clock, 1, "S001")
    taken = act(hall, clock, "09:00", tickets.issue_ticket, service_code="BB")
    act(hall, clock, "09:01", tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:01", tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:02", escalation.request_help, counter_number=1, staff_id=clerk, route="manager",
        reason="The plan is not in the list")
    help_id = only_request(hall)
    act(hall, clock, "09:04", escalation.resolve, escalation_id=help_id, staff_id=staff_id(hall, "M001"),
        note="Plan added to the list", explanation=EXPLANATION)
    act(hall, clock, "09:05", tickets.transfer, counter_number=1, staff_id=clerk, service_code="PLAN")

    assert followed_up(hall, clock) == [], "the customer waits for the plan change: the visit has not ended"
    assert help_visit(hall, help_id) == follow_up.HelpVisit(taken.ticket_id, None, False, None)

    act(hall, clock, "09:06", tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:06", tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, "09:10", tickets.finish_service, counter_number=1, staff_id=clerk)

    assert followed_up(hall, clock) == [(taken.number, "resolved")]
    assert help_visit(hall, help_id).served


def test_the_manager_sees_the_visit_behind_a_request_its_customer_and_the_order_language(hall, clock):
    morning = seed_morning(hall, clock, language="zh_CN")
    help_id = only_request(hall)

    # The account the trainee looked up, as the record keeps it: it prefills the manager's approval.
    assert help_visit(hall, help_id) == follow_up.HelpVisit(morning["ticket_id"], "05718800123", False, "zh_CN")
    act(hall, clock, "09:33", tickets.finish_service, counter_number=1, staff_id=morning["trainee"])
    assert help_visit(hall, help_id).served, "served: the notice can be offered"


def test_help_asked_with_nobody_at_the_counter_has_no_visit(hall, clock):
    clerk = open_counter(hall, clock, 2, "S001")
    act(hall, clock, "09:02", escalation.request_help, counter_number=2, staff_id=clerk, route="manager",
        reason="The printer is out of paper")

    assert help_visit(hall, only_request(hall)) == follow_up.HelpVisit(None, None, False, None)


def test_a_document_whose_row_a_crash_never_committed_is_moved_aside_not_lost(hall, clock, morning, tmp_path):
    import datetime as dt

    from counter_app import paths
    from counter_app.workflows.paperwork import archive

    issued = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
                 staff_id=morning["trainee"])
    orphan = paths.documents_dir() / "2026" / "03" / "02" / "ACC-ACC20260302-999.pdf"
    orphan.write_bytes(b"%PDF-1.4 a form whose row never reached the store")
    later = dt.datetime.now() + dt.timedelta(minutes=1)
    with hall.read() as session:
        assert archive.sweep_orphans(session, written_before=dt.datetime(2000, 1, 1)) == [], "too recent: left"
        moved = archive.sweep_orphans(session, written_before=later)
    assert [p.relative_to(paths.documents_dir()).as_posix() for p in moved] == [
        "orphans/2026/03/02/ACC-ACC20260302-999.pdf"]
    assert moved[0].read_bytes().startswith(b"%PDF-1.4 a form") and not orphan.exists()
    assert issued.path.exists(), "a document on record stays where it is"


def test_the_branchs_address_and_hotline_are_printed_when_given_and_nothing_when_not(hall, clock):
    from sqlmodel import update

    from counter_app.models import BranchSettings

    taken = act(hall, clock, "08:57", tickets.issue_ticket, service_code="BB")
    plain = act(hall, clock, "08:57", issuing.issue_ticket_document, ticket_id=taken.ticket_id, language="en")
    assert "Hotline" not in text_of(plain.path.read_bytes())  # nothing guessed
    with hall.write() as session:
        session.exec(update(BranchSettings).values(address_zh="城东路88号", address_en="88 East City Road",
                                                   hotline="10000"))
    for language, contact in (("en", "88 East City Road · Hotline 10000"), ("zh_CN", "城东路88号 · 服务热线 10000")):
        another = act(hall, clock, "08:58", tickets.issue_ticket, service_code="BB")
        slip = act(hall, clock, "08:58", issuing.issue_ticket_document, ticket_id=another.ticket_id, language=language)
        assert contact.replace(" ", "") in squeezed(slip.path.read_bytes())
