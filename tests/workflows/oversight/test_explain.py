"""When time runs over the clerk tells the customer (F3) and, once it is over, names the cause (F9)."""

import pytest
from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, events, issue, refused, ticket
from sqlmodel import select

from counter_app.models import BreachCause, Service
from counter_app.workflows.oversight import explain
from counter_app.workflows.oversight.timing import Level
from counter_app.workflows.queue import tickets


@pytest.fixture
def serving(hall, clock):
    """A broadband renewal (service target 10 min, warning mark at 7:30) started at 09:00 at counter 1."""
    clock.set(at("09:00"))
    issued = issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S002")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    return {"ticket_id": issued.ticket_id, "clerk": clerk}


def prompt(store, clock, language="en", counter=1):
    with store.read() as session:
        return explain.explain_prompt(session, clock, counter_number=counter, language=language)


def test_no_prompt_before_the_warning_mark(hall, clock, serving):
    clock.set(at("09:07:29"))
    assert prompt(hall, clock) is None


def test_the_prompt_appears_at_the_warning_mark_with_the_services_sentence(hall, clock, serving):
    clock.set(at("09:07:30"))
    shown = prompt(hall, clock)
    assert (shown.ticket_id, shown.number, shown.level, shown.service_seconds, shown.target_min, shown.told_at) == \
        (serving["ticket_id"], "A001", Level.WARNING, 450, 10, None)
    assert shown.script == ("I'm sorry this is taking a little longer: I am checking your broadband account and "
                            "will have your renewal done in about 2 minutes. If I need a colleague's help I will "
                            "tell you.")


def test_the_sentence_is_in_the_customers_language_whatever_the_window_speaks(hall, clock, serving):
    clock.set(at("09:08"))
    shown = prompt(hall, clock, language="zh_CN")
    assert shown.script == ("不好意思，让您久等了。我正在核查您的宽带账户，大约2分钟就能办好续费。"
                            "如果需要请同事协助，我会告诉您。")


def test_past_the_target_the_prompt_stays_and_says_so(hall, clock, serving):
    clock.set(at("09:12"))
    shown = prompt(hall, clock)
    assert shown.level == Level.BREACHED and shown.service_seconds == 12 * 60


def test_a_service_without_its_own_sentence_gets_the_general_one(hall, clock):
    with hall.write() as session:
        vip = session.exec(select(Service).where(Service.code == "VIP")).one()
        vip.target_service_min = 4
        session.add(vip)
    clock.set(at("09:00"))
    issue(hall, clock, "VIP")
    clerk = open_counter(hall, clock, 6, "S001")
    act(hall, clock, tickets.call_next, counter_number=6, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=6, staff_id=clerk)
    clock.set(at("09:03"))
    assert prompt(hall, clock, counter=6).script.startswith("I'm sorry this is taking longer than usual.")


def test_no_prompt_for_a_called_customer_or_an_empty_counter(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:30"))
    assert prompt(hall, clock) is None
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    clock.set(at("09:45"))
    assert prompt(hall, clock) is None


def test_i_have_told_the_customer_is_recorded_with_the_time(hall, clock, serving):
    clock.set(at("09:08"))
    change = act(hall, clock, explain.told_customer, counter_number=1, staff_id=serving["clerk"])
    assert (change.kind, change.number) == ("customer_told", "A001")
    assert ticket(hall, serving["ticket_id"]).customer_told_at == at("09:08")
    [told] = events(hall, "customer_told")
    assert (told.at, told.staff_id, told.ticket_id) == (at("09:08"), serving["clerk"], serving["ticket_id"])
    clock.set(at("09:09"))
    assert prompt(hall, clock).told_at == at("09:08")


def test_telling_needs_a_customer_at_ones_own_counter(hall, clock, serving):
    assert refused(hall, clock, explain.told_customer, counter_number=2, staff_id=serving["clerk"]) == \
        "You are not logged in at counter 2."
    other = open_counter(hall, clock, 2, "S001")
    assert refused(hall, clock, explain.told_customer, counter_number=2, staff_id=other) == \
        "Counter 2 has no customer at the moment."
    assert events(hall, "customer_told") == []


# -- the cause of a breach ---------------------------------------------------------------------


def finish(store, clock, serving, hhmm):
    clock.set(at(hhmm))
    act(store, clock, tickets.finish_service, counter_number=1, staff_id=serving["clerk"])


def needs_cause(store, clock, ticket_id):
    with store.read() as session:
        return explain.needs_cause(session, clock, ticket_id=ticket_id)


def test_a_breached_visit_needs_its_cause_and_gets_it(hall, clock, serving):
    finish(hall, clock, serving, "09:26")
    assert needs_cause(hall, clock, serving["ticket_id"]) is True
    manager = staff_id(hall, "M001")
    change = act(hall, clock, explain.record_breach_cause, ticket_id=serving["ticket_id"], staff_id=manager,
                 cause=BreachCause.SYSTEM_DATA, note=" arrears flag from 2010 never cleared ")
    assert change.kind == "breach_cause_recorded"
    done = ticket(hall, serving["ticket_id"])
    assert (done.breach_cause, done.breach_cause_note, done.breach_cause_by) == \
        (BreachCause.SYSTEM_DATA, "arrears flag from 2010 never cleared", manager)
    assert needs_cause(hall, clock, serving["ticket_id"]) is False
    [recorded] = events(hall, "breach_cause_recorded")
    assert (recorded.at, recorded.staff_id) == (at("09:26"), manager)


def test_a_visit_within_its_targets_has_no_cause_to_record(hall, clock, serving):
    finish(hall, clock, serving, "09:05")
    assert needs_cause(hall, clock, serving["ticket_id"]) is False
    assert refused(hall, clock, explain.record_breach_cause, ticket_id=serving["ticket_id"],
                   staff_id=serving["clerk"], cause=BreachCause.TRAINING) == \
        "A001 met its targets: there is no breach to explain."
    assert ticket(hall, serving["ticket_id"]).breach_cause is None


def test_the_cause_waits_until_the_visit_has_ended(hall, clock, serving):
    clock.set(at("09:20"))  # already over target, still at the counter
    assert needs_cause(hall, clock, serving["ticket_id"]) is False
    assert refused(hall, clock, explain.record_breach_cause, ticket_id=serving["ticket_id"],
                   staff_id=serving["clerk"], cause=BreachCause.TRAINING) == \
        "The cause is recorded when the visit has ended."
    assert ticket(hall, serving["ticket_id"]).breach_cause is None


def test_other_needs_a_note_and_the_cause_comes_from_the_list(hall, clock, serving):
    finish(hall, clock, serving, "09:26")
    assert refused(hall, clock, explain.record_breach_cause, ticket_id=serving["ticket_id"],
                   staff_id=serving["clerk"], cause=BreachCause.OTHER, note="  ") == \
        "Say in a note what the other cause was."
    assert refused(hall, clock, explain.record_breach_cause, ticket_id=serving["ticket_id"],
                   staff_id=serving["clerk"], cause="the trainee") == "Choose a cause from the list."
    assert refused(hall, clock, explain.record_breach_cause, ticket_id=999, staff_id=serving["clerk"],
                   cause=BreachCause.TRAINING) == "That ticket does not exist."
    assert ticket(hall, serving["ticket_id"]).breach_cause is None
    assert events(hall, "breach_cause_recorded") == []
    act(hall, clock, explain.record_breach_cause, ticket_id=serving["ticket_id"], staff_id=serving["clerk"],
        cause=BreachCause.OTHER, note="power cut in the hall")
    assert ticket(hall, serving["ticket_id"]).breach_cause == BreachCause.OTHER


def test_a_long_wait_is_a_breach_too(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock, "BILL")  # wait target 10 min
    clerk = open_counter(hall, clock, 4, "S004")
    clock.set(at("09:12"))
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.finish_service, counter_number=4, staff_id=clerk)
    assert needs_cause(hall, clock, issued.ticket_id) is True
    act(hall, clock, explain.record_breach_cause, ticket_id=issued.ticket_id, staff_id=clerk,
        cause=BreachCause.STAFFING)
    assert needs_cause(hall, clock, issued.ticket_id) is False


def test_a_no_show_whose_wait_broke_its_target_can_be_given_a_cause(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock, "BILL")  # wait target 10 min
    clerk = open_counter(hall, clock, 4, "S004")
    clock.set(at("09:12"))
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.recall, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.no_show, counter_number=4, staff_id=clerk)
    assert needs_cause(hall, clock, issued.ticket_id) is True
    manager = staff_id(hall, "M001")
    act(hall, clock, explain.record_breach_cause, ticket_id=issued.ticket_id, staff_id=manager,
        cause=BreachCause.STAFFING, note="two counters short")
    assert ticket(hall, issued.ticket_id).breach_cause == BreachCause.STAFFING
    assert needs_cause(hall, clock, issued.ticket_id) is False


def test_a_visit_over_its_total_target_alone_can_be_given_a_cause(hall, clock):
    """Waited 14 of 15 minutes, served 9 of 10, but slow to sit down: 29 minutes reach the 25 of the total."""
    clock.set(at("09:00"))
    issued = issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:14"))
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    clock.set(at("09:20"))
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("09:29"))
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    assert needs_cause(hall, clock, issued.ticket_id) is True
    act(hall, clock, explain.record_breach_cause, ticket_id=issued.ticket_id, staff_id=staff_id(hall, "M001"),
        cause=BreachCause.CUSTOMER_SIDE)
    assert ticket(hall, issued.ticket_id).breach_cause == BreachCause.CUSTOMER_SIDE


def test_a_transferred_visit_takes_its_cause_on_its_last_leg(hall, clock):
    clock.set(at("09:00"))
    first = issue(hall, clock, "BILL")
    clerk = open_counter(hall, clock, 4, "S004")
    clock.set(at("09:12"))  # the first leg's wait broke its 10 minutes
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=4, staff_id=clerk)
    moved = act(hall, clock, tickets.transfer, counter_number=4, staff_id=clerk, service_code="NEW")
    assert refused(hall, clock, explain.record_breach_cause, ticket_id=first.ticket_id, staff_id=clerk,
                   cause=BreachCause.TRAINING) == "The cause is recorded when the visit has ended."
    clock.set(at("09:13"))
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=4, staff_id=clerk)
    act(hall, clock, tickets.finish_service, counter_number=4, staff_id=clerk)
    assert needs_cause(hall, clock, first.ticket_id) is True
    change = act(hall, clock, explain.record_breach_cause, ticket_id=first.ticket_id, staff_id=clerk,
                 cause=BreachCause.TRAINING)
    assert change.ticket_id != first.ticket_id and change.ticket_id == moved.ticket_id
    assert ticket(hall, change.ticket_id).breach_cause == BreachCause.TRAINING
    assert needs_cause(hall, clock, first.ticket_id) is False


# -- when the counter asks -----------------------------------------------------------------------


def due(store, clock):
    return explain.prompt_is_due(prompt(store, clock), clock.now())


def test_the_prompt_is_due_at_the_warning_mark_until_the_clerk_has_told_the_customer(hall, clock, serving):
    clock.set(at("09:07:29"))
    assert due(hall, clock) is False
    clock.set(at("09:07:30"))
    assert due(hall, clock) is True
    clock.set(at("09:08"))
    act(hall, clock, explain.told_customer, counter_number=1, staff_id=serving["clerk"])
    clock.set(at("09:09:59"))
    assert due(hall, clock) is False


def test_at_the_target_the_customer_told_at_the_warning_mark_is_owed_a_second_word(hall, clock, serving):
    clock.set(at("09:08"))
    act(hall, clock, explain.told_customer, counter_number=1, staff_id=serving["clerk"])
    clock.set(at("09:10"))  # the 10-minute target is reached: what the clerk promised no longer holds
    assert due(hall, clock) is True
    clock.set(at("09:11"))
    act(hall, clock, explain.told_customer, counter_number=1, staff_id=serving["clerk"])
    clock.set(at("09:20"))
    assert due(hall, clock) is False


def test_a_customer_first_told_after_the_target_is_asked_about_once(hall, clock, serving):
    clock.set(at("09:12"))
    assert due(hall, clock) is True
    act(hall, clock, explain.told_customer, counter_number=1, staff_id=serving["clerk"])
    clock.set(at("09:30"))
    assert due(hall, clock) is False


def test_nothing_is_due_at_a_counter_without_a_prompt(hall, clock):
    assert explain.prompt_is_due(None, at("09:30")) is False


# -- which visits still owe a cause ----------------------------------------------------------------


def owed(store, clock, staff, counter=1):
    with store.read() as session:
        return explain.causes_owed(session, clock, counter_number=counter, staff_id=staff)


def test_a_clerks_breached_visit_owes_a_cause_until_one_is_recorded(hall, clock, serving):
    clock.set(at("09:20"))
    assert owed(hall, clock, serving["clerk"]) == [], "still at the counter: asked once the visit has ended"
    finish(hall, clock, serving, "09:26")
    assert owed(hall, clock, serving["clerk"]) == [(serving["ticket_id"], "A001")]
    assert owed(hall, clock, staff_id(hall, "S001")) == [], "another clerk is not asked about it"
    act(hall, clock, explain.record_breach_cause, ticket_id=serving["ticket_id"], staff_id=staff_id(hall, "M001"),
        cause=BreachCause.SYSTEM_DATA)
    assert owed(hall, clock, serving["clerk"]) == [], "named by the duty manager: the clerk is asked no more"


def test_a_visit_within_its_targets_owes_no_cause(hall, clock, serving):
    finish(hall, clock, serving, "09:05")
    assert owed(hall, clock, serving["clerk"]) == []


def test_the_newest_visit_owing_a_cause_comes_first_and_the_next_day_starts_clean(hall, clock):
    clock.set(at("09:00"))
    first = issue(hall, clock, "BILL")  # wait target 10 min
    second = issue(hall, clock, "BILL")
    clerk = open_counter(hall, clock, 4, "S004")
    clock.set(at("09:12"))
    for _visit in (first, second):
        act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
        act(hall, clock, tickets.start_service, counter_number=4, staff_id=clerk)
        clock.advance(minutes=1)
        act(hall, clock, tickets.finish_service, counter_number=4, staff_id=clerk)
    assert owed(hall, clock, clerk, counter=4) == [(second.ticket_id, second.number), (first.ticket_id, first.number)]
    act(hall, clock, explain.record_breach_cause, ticket_id=second.ticket_id, staff_id=clerk,
        cause=BreachCause.STAFFING)
    assert [o.number for o in owed(hall, clock, clerk, counter=4)] == [first.number]
    clock.set(at("09:12").replace(day=3))
    assert owed(hall, clock, clerk, counter=4) == [], "yesterday's open questions are the breach report's"
