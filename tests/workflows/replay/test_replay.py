"""Replaying a morning on a virtual clock: the case study with its alerts, help and approval, a refused
script, the output folder."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers.scenarios import LOGIN, TAKE, refusal, write_scenario
from sqlmodel import select

from counter_app import i18n, paths
from counter_app.__main__ import main
from counter_app.errors import AppError
from counter_app.models import Ticket
from counter_app.models.db import open_store
from counter_app.workflows.replay.idle import CounterMoment, Moment, idle_minutes
from counter_app.workflows.replay.runner import minutes_between, run_scenario

CASE_STUDY = paths.scenarios_dir() / "case-study.json"



# -- the case study ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def case_study(tmp_path_factory):
    # Built once, before the per-test fixtures choose English: choose it here too.
    i18n.set_language("en")
    out = tmp_path_factory.mktemp("replay") / "morning"
    summary = run_scenario(CASE_STUDY, out)
    return out, summary


def test_the_customer_took_an_early_ticket_at_0857_and_left_at_0933(case_study):
    _, summary = case_study
    visit = next(t for t in summary["tickets"] if t["number"] == "A001")
    assert visit["early"] is True
    assert visit["issued"] == "2026-03-02T08:57:00"
    assert visit["finished"] == "2026-03-02T09:33:00"
    assert visit["counter"] == 1 and visit["staff"] == "S002"
    assert visit["service_minutes"] == 26.0 and visit["target_service_minutes"] == 10
    assert visit["service_breached"] is True
    assert visit["wait_minutes"] == 9.0 and visit["wait_breached"] is False
    assert visit["outcome"] == "served"


def test_the_early_ticket_says_when_serving_starts(case_study):
    out, _ = case_study
    ticket = (out / "tickets" / "A001.txt").read_text(encoding="utf-8")
    assert "A001" in ticket
    assert "Nobody is ahead of you." in ticket
    assert "Issued at 08:57" in ticket
    assert "Serving starts at 09:00. Estimated call time: 09:00." in ticket


def test_a_ticket_taken_after_opening_gives_people_ahead_and_the_wait(case_study):
    out, _ = case_study
    ticket = (out / "tickets" / "A003.txt").read_text(encoding="utf-8")
    assert "Issued at 09:19" in ticket
    assert "People ahead of you: 1" in ticket
    assert "Estimated wait: about" in ticket and "Serving starts" not in ticket


def test_the_display_at_opening_shows_two_waiting_and_every_counter_closed(case_study):
    out, summary = case_study
    board = (out / "display-0900.txt").read_text(encoding="utf-8")
    assert "Waiting in all: 2" in board
    assert "Counter 1: —  closed  (李明)" in board
    assert "display-0900.txt" in summary["snapshots"]


def test_idle_counters_while_people_waited_are_counted(case_study):
    _, summary = case_study
    by_counter = {c["counter"]: c for c in summary["counters"]}
    # Counter 2 opened at 09:05 and called nobody until 09:10.
    assert by_counter[2]["idle_minutes"] == 5.0
    # The trainee sat logged in at a closed counter from the 09:00 opening until 09:06.
    assert by_counter[1]["staffed_not_open_minutes"] == 6.0
    assert by_counter[4]["idle_minutes"] == 0.0


def test_the_summary_lists_every_event_with_its_line(case_study):
    out, summary = case_study
    scenario = json.loads(CASE_STUDY.read_text(encoding="utf-8"))
    assert summary["title"] == scenario["title"] and summary["date"] == "2026-03-02"
    assert summary["events_applied"] == len(scenario["events"]) == len(summary["events"])
    first = summary["events"][0]
    assert CASE_STUDY.read_text(encoding="utf-8").splitlines()[first["line"] - 1].lstrip().startswith('{"at": "08:45"')
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == summary


def test_the_event_log_has_one_line_per_recorded_change(case_study):
    out, _ = case_study
    log = (out / "events.log").read_text(encoding="utf-8").splitlines()
    assert "settings_recorded" in log[0]  # the scenario's hall, its staff and targets
    assert log[2].startswith("2026-03-02 08:45:00 staff_logged_in")
    assert any("ticket_issued" in line and "ticket=A001" in line for line in log)
    assert any(line.startswith("2026-03-02 09:33:00 service_finished") and "ticket=A001" in line for line in log)
    assert any("alert_raised" in line and "counter=1" in line for line in log)
    assert any(line.startswith("2026-03-02 10:26:00 service_finished") for line in log)
    assert log[-1].startswith("2026-03-02 17:35:00 day_closed") and "staff=M001" in log[-1]


def test_the_replayed_store_opens_like_any_other(case_study):
    out, _ = case_study
    store = open_store(f"sqlite:///{out / 'store.sqlite3'}")
    try:
        with store.read() as session:
            numbers = set(session.exec(select(Ticket.number)))
    finally:
        store.dispose()
    assert {"A001", "A002", "A003", "A004", "B001", "C001", "C002"} == numbers


# -- the case study: alerts, the prompt, help, the approval, the cause, the next visit ---------------------

def _alerts(summary, kind, **where):
    return [a for a in summary["alerts"] if a["kind"] == kind and all(a[k] == v for k, v in where.items())]


def _t(hhmm: str) -> str:
    return f"2026-03-02T{hhmm}:00"


def test_f1_logged_in_counters_sitting_idle_after_opening_raise_an_alert_at_0903(case_study):
    _, summary = case_study
    [counter_1] = _alerts(summary, "idle_counter", counter=1)
    assert counter_1["raised_at"] == _t("09:03")  # the hall opened at 09:00; three minutes allowed
    assert counter_1["acknowledged"] == {"by": "M001", "at": _t("09:04")}
    assert counter_1["resolved_at"] == _t("09:06")  # the trainee called the customer
    counter_2 = _alerts(summary, "idle_counter", counter=2)
    assert counter_2[0]["raised_at"] == _t("09:03") and counter_2[-1]["resolved_at"] == _t("09:10")
    # Before opening nobody is idle: the early ticket told the customer when serving starts.
    assert all(a["raised_at"] >= _t("09:00") for a in summary["alerts"])


def test_f3_at_the_warning_mark_the_trainee_is_prompted_and_tells_the_customer(case_study):
    _, summary = case_study
    [warning] = _alerts(summary, "service_warning", ticket="A001")
    assert warning["raised_at"] == _t("09:15")  # 7.5 of 10 minutes from 09:07 is 09:14:30
    first_prompt = summary["prompts"][0]
    assert (first_prompt["at"], first_prompt["ticket"], first_prompt["counter"], first_prompt["level"]) == (
        _t("09:15"), "A001", 1, "warning")
    assert "checking your broadband account" in first_prompt["script"]
    visit = next(t for t in summary["tickets"] if t["number"] == "A001")
    assert visit["customer_told_at"] == _t("09:16")


def test_f4_f10_help_is_asked_accepted_and_handed_up_with_who_and_when(case_study):
    _, summary = case_study
    [request] = summary["escalations"]
    assert (request["ticket"], request["route"], request["auto"], request["requested_by"]) == (
        "A001", "mentor", False, "S002")
    trail = [(step["at"], step["action"], step["who"]) for step in request["steps"]]
    assert trail == [
        (_t("09:16"), "requested", "S002"),
        (_t("09:16"), "accepted", "S003"),  # the mentor
        (_t("09:17"), "handed_up", "S003"),
        (_t("09:20"), "accepted", "M001"),
        (_t("09:30"), "resolved", "M001"),
    ]
    assert "duty manager" in request["steps"][2]["note"]  # the senior did not leave without a word


def test_f3_the_service_target_passes_at_0917_with_the_request_already_with_the_duty_manager(case_study):
    _, summary = case_study
    [breach] = _alerts(summary, "service_breach", ticket="A001")
    assert breach["raised_at"] == _t("09:17")
    assert breach["acknowledged"] == {"by": "M001", "at": _t("09:20")}
    assert breach["resolved_at"] == _t("09:33")
    [request] = summary["escalations"]
    assert request["handed_up_at"] == _t("09:17")
    assert summary["prompts"][1]["at"] == _t("09:17") and summary["prompts"][1]["level"] == "breached"


def test_f5_the_duty_manager_approves_the_settled_arrears_with_a_reason(case_study):
    _, summary = case_study
    [approval] = summary["approvals"]
    assert approval["approved_by"] == "M001" and approval["approved_at"] == _t("09:28")
    assert approval["requested_by"] == "S002"
    assert approval["kind"] == "arrears_settled"
    assert approval["reason"] == "2010 arrears were settled by the duty manager in 2010; record did not show it"
    assert "2010年的那笔费用当年已经结清" in approval["explanation"]  # in the customer's words, for the notice
    assert approval["customer"] == "139****0123" and approval["ticket"] == "A001"  # masked, as on paper
    assert approval["escalation"] == summary["escalations"][0]["id"]


def test_the_request_is_resolved_with_a_note_and_an_explanation_for_the_customer(case_study):
    _, summary = case_study
    [request] = summary["escalations"]
    assert request["state"] == "resolved" and request["resolved_by"] == "M001"
    assert request["resolved_at"] == _t("09:30")
    assert request["resolution_note"].startswith("Arrears flag cleared")
    assert "非常抱歉" in request["customer_explanation"]


def test_f9_the_trainee_names_the_cause_of_the_breach(case_study):
    _, summary = case_study
    visit = next(t for t in summary["tickets"] if t["number"] == "A001")
    assert visit["finished"] == _t("09:33") and visit["service_breached"] is True
    assert visit["breach_cause"] == "system_data"
    assert "2010 arrears" in visit["breach_cause_note"]


def test_f6_the_next_visit_shows_the_approved_exception_at_once(case_study):
    _, summary = case_study
    first, again = summary["customers_opened"]
    assert (first["at"], first["ticket"], first["staff"]) == (_t("09:08"), "A001", "S002")
    assert first["exceptions_shown"] == []  # the seed's failure: the record said nothing
    assert (again["at"], again["ticket"], again["staff"], again["counter"]) == (_t("10:22"), "A004", "S001", 2)
    assert again["customer"] == "139****0123" and again["visits"] == 2
    [shown] = again["exceptions_shown"]
    assert (shown["kind"], shown["approved_by"], shown["approved_at"]) == ("arrears_settled", "M001", _t("09:28"))
    assert shown["reason"] == summary["approvals"][0]["reason"]


# -- the alerts on the virtual clock, in short scripts ------------------------------------------------------

SERVE = ['{"at": "09:00", "do": "open_counter", "counter": 1}',
         '{"at": "09:00", "do": "call_next", "counter": 1}',
         '{"at": "09:01", "do": "start", "counter": 1}']  # BB: warning at 09:08:30, target at 09:11


def test_a_service_nobody_asked_help_for_goes_to_the_duty_manager_at_its_target(tmp_path):
    summary = run_scenario(write_scenario(tmp_path, LOGIN, TAKE, *SERVE, '{"at": "09:13", "do": "snapshot"}'),
                           tmp_path / "out")
    assert [(a["kind"], a["raised_at"]) for a in summary["alerts"]] == [
        ("service_warning", _t("09:09")), ("service_breach", _t("09:11"))]
    [request] = summary["escalations"]
    assert request["auto"] is True and request["route"] == "manager" and request["state"] == "handed_up"
    assert [(s["at"], s["action"], s["who"]) for s in request["steps"]] == [(_t("09:11"), "auto_raised", None)]


def test_a_request_still_with_the_mentor_at_the_target_is_handed_up_on_its_own(tmp_path):
    summary = run_scenario(write_scenario(
        tmp_path, LOGIN, '{"at": "08:50", "do": "login", "counter": 3, "staff": "S003"}', TAKE, *SERVE,
        '{"at": "09:09", "do": "told_customer", "counter": 1}',
        '{"at": "09:09", "do": "help", "counter": 1, "route": "mentor"}',
        '{"at": "09:10", "do": "accept", "counter": 3, "ticket": "A001"}',
        '{"at": "09:13", "do": "snapshot"}'), tmp_path / "out")
    [request] = summary["escalations"]
    assert [(s["at"], s["action"], s["who"], s["note"]) for s in request["steps"]] == [
        (_t("09:09"), "requested", "S002", None), (_t("09:10"), "accepted", "S003", None),
        (_t("09:11"), "handed_up", None, "auto")]
    assert summary["tickets"][0]["customer_told_at"] == _t("09:09")


def test_the_clock_steps_through_every_whole_minute_between_two_events():
    assert minutes_between(_at("09:01"), _at("09:04")) == [_at("09:02"), _at("09:03")]
    assert minutes_between(dt.datetime(2026, 3, 2, 9, 1, 30), _at("09:03")) == [_at("09:02")]
    assert minutes_between(_at("09:01"), _at("09:01")) == []


# -- idle time, by hand --------------------------------------------------------------------------------

def _at(hhmm: str) -> dt.datetime:
    return dt.datetime.combine(dt.date(2026, 3, 2), dt.time.fromisoformat(hhmm))


def test_idle_time_counts_only_while_customers_of_the_counters_services_wait():
    closed, free, busy = CounterMoment("closed", True, False), CounterMoment("open", True, False), \
        CounterMoment("open", True, True)
    moments = [
        Moment(_at("08:55"), {1: closed, 2: closed}, frozenset({"BB"})),  # before opening: not counted
        Moment(_at("09:05"), {1: free, 2: free}, frozenset({"BB"})),  # 1 serves BB, 2 does not
        Moment(_at("09:10"), {1: busy, 2: free}, frozenset({"BB"})),  # 1 is serving: not idle
        Moment(_at("09:12"), {1: free, 2: free}, frozenset()),  # nobody waits
        Moment(_at("09:20"), {1: free, 2: free}, frozenset({"NEW"})),
    ]
    hours = (_at("09:00"), _at("17:00"))
    result = idle_minutes(moments, {1: ["BB"], 2: ["NEW"]}, hours)
    assert result[1] == {"idle_minutes": 5.0, "staffed_not_open_minutes": 5.0}
    assert result[2] == {"idle_minutes": 0.0, "staffed_not_open_minutes": 0.0}


# -- refused scripts -----------------------------------------------------------------------------------

def test_an_unknown_event_is_refused_with_its_line(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE, '{"at": "09:00", "do": "dance", "counter": 1}')
    assert str(error).startswith("line 9: Unknown event \"dance\"")
    assert error.text().startswith("line 9: ")


def test_a_bad_time_is_refused_with_its_line(tmp_path):
    error = refusal(tmp_path, LOGIN, '{"at": "25:61", "do": "take_ticket", "service": "BB"}')
    assert "line 8:" in str(error) and "HH:MM" in str(error)


def test_time_going_backwards_is_refused(tmp_path):
    error = refusal(tmp_path, TAKE, '{"at": "08:50", "do": "login", "counter": 1, "staff": "S002"}')
    assert str(error) == "line 8: Time goes backwards: 08:50 comes before 08:57:00."


def test_a_missing_or_wrong_typed_field_is_refused(tmp_path):
    assert str(refusal(tmp_path, '{"at": "08:45", "do": "login", "staff": "S002"}')) == \
        'line 7: "login" needs the field "counter".'
    assert "counter number" in str(refusal(tmp_path, '{"at": "08:45", "do": "open_counter", "counter": "1"}'))
    assert str(refusal(tmp_path, '{"at": "08:45", "do": "open_counter", "counter": 1, "colour": "red"}')) == \
        'line 7: "open_counter" has no field "colour".'


def test_a_ticket_name_must_be_given_before_it_is_used(tmp_path):
    error = refusal(tmp_path, '{"at": "09:00", "do": "cancel", "ticket": "the customer", "staff": "M001"}')
    assert str(error).startswith('line 7: "the customer" is neither a ticket number')


def test_broken_json_is_refused_with_the_line_json_reports(tmp_path):
    error = refusal(tmp_path, LOGIN, '{"at": "08:57" "do": "take_ticket"}')
    assert str(error).startswith("line 8: the file is not valid JSON")


def test_a_workflow_refusal_names_the_event_and_keeps_nothing(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE, '{"at": "09:05", "do": "call_next", "counter": 1}')
    assert str(error) == "line 9: Counter 1 is closed: open it before calling."


def test_a_counter_action_needs_someone_logged_in(tmp_path):
    error = refusal(tmp_path, '{"at": "09:00", "do": "open_counter", "counter": 3}')
    assert str(error) == "line 7: Nobody is logged in at counter 3."


def test_an_expected_number_that_is_not_called_stops_the_replay(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE,
                    '{"at": "09:01", "do": "take_ticket", "service": "BILL"}',
                    '{"at": "09:02", "do": "open_counter", "counter": 1}',
                    '{"at": "09:03", "do": "call_next", "counter": 1, "expect": "C001"}')
    assert str(error) == "line 11: expected C001, but got A001."


def test_a_full_output_folder_is_refused_and_left_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(AppError, match="not empty"):
        run_scenario(write_scenario(tmp_path, LOGIN), out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_an_empty_output_folder_is_used(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    summary = run_scenario(write_scenario(tmp_path, LOGIN, TAKE, '{"at": "09:00", "do": "snapshot"}'), out)
    assert summary["events_applied"] == 3
    assert sorted(p.name for p in out.iterdir()) == [
        "data", "display-0900.txt", "documents", "events.log", "reports", "store.sqlite3", "summary.json", "tickets"]
    assert [p.name for p in (out / "documents").iterdir()] == ["ticket-20260302-A001.pdf"]


def test_transfer_park_resume_and_cancel_by_name(tmp_path):
    out = tmp_path / "out"
    summary = run_scenario(write_scenario(
        tmp_path, LOGIN,
        '{"at": "09:00", "do": "take_ticket", "service": "BB", "as": "anna"}',
        '{"at": "09:01", "do": "take_ticket", "service": "BILL", "as": "bo"}',
        '{"at": "09:02", "do": "take_ticket", "service": "PLAN", "as": "cy"}',
        '{"at": "09:03", "do": "open_counter", "counter": 1}',
        '{"at": "09:03", "do": "call_ticket", "counter": 1, "ticket": "bo"}',
        '{"at": "09:04", "do": "start", "counter": 1}',
        '{"at": "09:05", "do": "park", "counter": 1}',
        '{"at": "09:05", "do": "call_next", "counter": 1, "expect": "anna"}',
        '{"at": "09:06", "do": "transfer", "counter": 1, "service": "PLAN"}',
        '{"at": "09:07", "do": "resume", "counter": 1, "ticket": "bo"}',
        '{"at": "09:09", "do": "finish", "counter": 1}',
        '{"at": "09:10", "do": "cancel", "ticket": "cy", "staff": "M001"}',
    ), out)
    outcomes = [(t["number"], t["service"], t["outcome"]) for t in summary["tickets"]]
    assert outcomes == [("A001", "BB", "transferred"), ("C001", "BILL", "served"),
                        ("B001", "PLAN", "cancelled"), ("A001", "PLAN", "waiting")]


@pytest.mark.parametrize(("event", "reason"), [
    ('{"at": "09:05", "do": "help", "counter": 1, "route": "boss"}',
     '"route" must be one of mentor, senior, manager, not "boss".'),
    ('{"at": "09:05", "do": "accept", "ticket": "A001"}',
     '"accept" needs either "counter" or "staff", one of the two.'),
    ('{"at": "09:05", "do": "accept", "ticket": "A001", "counter": 3, "staff": "S003"}',
     '"accept" needs either "counter" or "staff", one of the two.'),
    ('{"at": "09:05", "do": "hand_up", "ticket": "A001"}', '"hand_up" needs the field "staff".'),
    ('{"at": "09:05", "do": "resolve", "staff": "M001", "ticket": "A001", "note": "Done."}',
     '"resolve" needs the field "explanation".'),
    ('{"at": "09:05", "do": "resolve", "staff": "M001", "ticket": "A001", "note": " ", "explanation": "Sorry."}',
     '"note" must be a text, not " ".'),
    ('{"at": "09:05", "do": "approve", "manager": "M001", "ticket": "A001", "kind": "favour", '
     '"reason": "r", "explanation": "e"}', '"kind" must be one of arrears_settled, fee_waiver, '
     'backdated_renewal, goodwill, other, not "favour".'),
    ('{"at": "09:05", "do": "approve", "manager": "M001", "ticket": "A001", "kind": "fee_waiver", '
     '"explanation": "e"}', '"approve" needs the field "reason".'),
    ('{"at": "09:05", "do": "approve", "manager": "M001", "ticket": "A001", "kind": "fee_waiver", '
     '"reason": "r", "explanation": "e", "amount": "twelve"}',
     '"amount" must be an amount of yuan such as "120.00", not "twelve".'),
    ('{"at": "09:05", "do": "open_customer", "counter": 1, "customer": "Liu?"}',
     "Enter the customer's account number or 11-digit mobile number."),
    ('{"at": "09:05", "do": "cause", "ticket": "A001", "cause": "bad luck"}',
     '"cause" must be one of system_data, training, staffing, customer_side, other, not "bad luck".'),
    ('{"at": "09:05", "do": "acknowledge", "staff": "M001", "alert_kind": "idle_counter", "ticket": "A001"}',
     'A idle_counter alert is found by its "counter": give it.'),
    ('{"at": "09:05", "do": "acknowledge", "staff": "M001", "alert_kind": "wait_breach", "ticket": "A001", '
     '"counter": 1}', 'A wait_breach alert is not found by "counter": leave it out.'),
    ('{"at": "09:05", "do": "acknowledge", "staff": "M001", "alert_kind": "fire", "counter": 1}',
     '"alert_kind" must be one of idle_counter, idle_breach, wait_warning, wait_breach, service_warning, '
     'service_breach, queue_length, service_queue_warning, service_queue_breach, review_overdue, not "fire".'),
    ('{"at": "09:05", "do": "told_customer", "counter": 1, "ticket": "A001"}',
     '"told_customer" has no field "ticket".'),
    ('{"at": "09:05", "do": "hand_up", "staff": "S003", "ticket": "the customer"}',
     '"the customer" is neither a ticket number nor a name given earlier with "as".'),
])
def test_bad_fields_of_the_help_and_approval_events_are_refused_with_their_line(tmp_path, event, reason):
    assert str(refusal(tmp_path, LOGIN, TAKE, event)) == f"line 9: {reason}"


def test_a_wrong_manager_password_refuses_the_approval_and_writes_nothing(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE, *SERVE,
                    '{"at": "09:05", "do": "approve", "manager": "M001", "password": "guess", "ticket": "A001", '
                    '"kind": "fee_waiver", "reason": "r", "explanation": "e", "customer": "13905710123"}')
    assert str(error) == "line 12: Wrong staff number or password."


def test_a_clerk_cannot_approve_an_exception(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE, *SERVE,
                    '{"at": "09:05", "do": "approve", "manager": "S001", "ticket": "A001", '
                    '"kind": "fee_waiver", "reason": "r", "explanation": "e", "customer": "13905710123"}')
    assert str(error) == "line 12: Only a duty manager can approve an exception."


def test_the_steps_of_a_help_request_follow_its_rules(tmp_path):
    assert str(refusal(tmp_path, LOGIN, TAKE, *SERVE,
                       '{"at": "09:05", "do": "hand_up", "staff": "S003", "ticket": "A001"}')) == \
        "line 12: A001 has no open help request."
    assert str(refusal(tmp_path, LOGIN, TAKE, *SERVE,
                       '{"at": "09:05", "do": "help", "counter": 1, "route": "senior"}',
                       '{"at": "09:06", "do": "accept", "staff": "S001", "ticket": "A001"}')) == \
        "line 13: Only the mentor, a senior clerk or the duty manager can accept this request."
    assert str(refusal(tmp_path, LOGIN, TAKE, *SERVE,
                       '{"at": "09:05", "do": "help", "counter": 1, "route": "manager"}',
                       '{"at": "09:06", "do": "resolve", "staff": "S003", "ticket": "A001", "note": "n", '
                       '"explanation": "e"}')) == \
        "line 13: Only the colleague who accepted this request or a duty manager can resolve it."


def test_a_cause_is_refused_for_a_visit_within_its_targets(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE, *SERVE,
                    '{"at": "09:04", "do": "finish", "counter": 1}',
                    '{"at": "09:05", "do": "cause", "ticket": "A001", "cause": "training"}')
    assert str(error) == "line 13: A001 met its targets: there is no breach to explain."


def test_an_alert_that_was_never_raised_cannot_be_acknowledged(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE,
                    '{"at": "09:01", "do": "acknowledge", "staff": "M001", "alert_kind": "idle_counter", "counter": 1}')
    assert str(error) == "line 9: There is no idle_counter alert there waiting to be acknowledged."


# -- the command line ----------------------------------------------------------------------------------

def test_the_command_line_replays_into_a_folder(tmp_path, capsys):
    out = tmp_path / "out"
    scenario = write_scenario(tmp_path, LOGIN, TAKE, '{"at": "09:00", "do": "snapshot"}')
    assert main(["--lang", "en", "replay", str(scenario), "--out", str(out)]) == 0
    assert "Replayed 3 events of A short morning" in capsys.readouterr().out
    assert (out / "summary.json").exists() and (out / "display-0900.txt").exists()


def test_the_command_line_reports_a_refusal(tmp_path, capsys):
    scenario = write_scenario(tmp_path, '{"at": "08:45", "do": "fly"}')
    assert main(["--lang", "en", "replay", str(scenario), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith("line 7: Unknown event \"fly\"")
    assert not (tmp_path / "out").exists()


def test_the_demo_hall_is_open_at_any_hour_and_an_older_demo_store_is_opened_round_the_clock(store):
    import datetime as dt

    from counter_app.models import BranchSettings, OpeningHours
    from counter_app.workflows.queue.hours import hall_status
    from counter_app.workflows.replay import demo

    with store.write() as session:
        demo.seed_demo(session, at=dt.datetime(2026, 12, 1), opens=dt.time(7, 0), closes=dt.time(22, 0))  # as an earlier version made it
    late = dt.datetime(2026, 12, 4, 23, 30)
    with store.read() as session:
        assert hall_status(session, late).state == "closed"
    with store.write() as session:
        assert demo.keep_demo_open(session, at=late)
    with store.read() as session:
        assert hall_status(session, late).state == "open"
        assert hall_status(session, late.replace(hour=3)).state == "open"
    with store.write() as session:
        session.get(BranchSettings, 1).name_en = "Harbour Road Branch"
        for hours in session.exec(select(OpeningHours)):
            hours.closes = dt.time(17, 30)
    with store.write() as session:
        assert not demo.keep_demo_open(session, at=late), "another branch's hours are its own"


def test_huge_nested_or_absurd_scenarios_are_refused_quickly_with_a_reason(tmp_path):
    import time

    from helpers.scenarios import HEAD

    from counter_app.workflows.replay.scenario import parse_scenario

    event = '{"at": "08:57", "do": "take_ticket", "service": "BB"}'
    many = HEAD + ",\n".join([event] * 15_000) + "\n  ]\n}\n"  # half a megabyte, one event a line
    started = time.monotonic()
    assert len(parse_scenario(many).steps) == 15_000
    assert time.monotonic() - started < 10, "reading grows with the file, not with its square"
    cases = [
        ('{"a": ' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
        (HEAD + ",\n".join([event] * 40_000) + "\n  ]\n}\n", "too large for a scenario"),
        (HEAD + '{"at": "09:00", "do": "login", "counter": ' + str(2**70) + ', "staff": "S002"}\n  ]\n}\n',
         "must be a counter number"),
        (HEAD + '{"at": "09:00", "do": "login", "counter": 1, "staff": "S\\ud800"}\n  ]\n}\n',
         "cannot be stored"),
    ]
    for text, reason in cases:
        with pytest.raises(AppError) as refused:
            parse_scenario(text)
        assert reason in refused.value.text(), (reason, refused.value.text())


def test_a_scenario_gives_priority_at_the_kiosk_or_at_the_counter_and_checks_the_call_order(tmp_path):
    from helpers.scenarios import replay

    _, summary = replay(
        tmp_path,
        '{"at": "08:45", "do": "login", "counter": 1, "staff": "S001"}',
        '{"at": "09:00", "do": "open_counter", "counter": 1}',
        '{"at": "09:01", "do": "take_ticket", "service": "BB"}',
        '{"at": "09:02", "do": "take_ticket", "service": "BB"}',
        '{"at": "09:03", "do": "take_ticket", "service": "BB", "as": "old man"}',
        '{"at": "09:04", "do": "take_ticket", "service": "BB", "priority": 1}',
        '{"at": "09:05", "do": "give_priority", "counter": 1, "ticket": "old man", "reason": "elderly"}',
        '{"at": "09:06", "do": "call_next", "counter": 1, "expect": "A003"}',
        '{"at": "09:06", "do": "start", "counter": 1}',
        '{"at": "09:07", "do": "finish", "counter": 1}',
        '{"at": "09:08", "do": "call_next", "counter": 1, "expect": "A004"}',
    )
    assert summary["events_applied"] == 11


def test_a_scenario_sets_up_its_own_hall_and_checks_what_it_refuses(tmp_path):
    import json as json_module

    from counter_app.models.db import open_store
    from counter_app.workflows.admin import setup_file
    from counter_app.workflows.core import audit

    out = tmp_path / "vip"
    summary = run_scenario(paths.scenarios_dir() / "vip-counter.json", out)
    refused = [(e["line"], e["result"]) for e in summary["events"] if str(e["result"]).startswith("refused: ")]
    assert [result for _line, result in refused] == [
        "refused: Unknown service: NEW.", "refused: Counter 1 is closed: open it before calling.",
        "refused: V001 already has priority.", "refused: Nobody is waiting for the services of counter 2."]
    store = open_store(f"sqlite:///{out / 'store.sqlite3'}")
    try:
        with store.read() as session:
            hall = setup_file.export_setup(session)
            assert hall["branch"]["name_en"] == "Harbour Road Business Hall"
            assert hall["branch"]["idle_alert_minutes"] == 3
            marks = {s["code"]: (s["idle_warning_min"], s["idle_breach_min"]) for s in hall["services"]}
            assert marks == {"BB": (0, 0), "BILL": (0, 0), "VIP": (1, 2)}
            assert {c["number"]: c["services"] for c in hall["counters"]} == {1: ["BB", "BILL"], 2: ["VIP"]}
            assert audit.verify(session).ok
    finally:
        store.dispose()
    assert json_module.loads((out / "summary.json").read_text(encoding="utf-8"))["events_applied"] == 26
    # The VIP service's own idle marks, not the branch's 3 minutes: the VIP counter, opened at 09:00 with V001
    # waiting, warns at 09:01 and breaches at 09:02 (the warning giving way to it); its call at 09:03 clears it.
    # Counter 1 calls at 09:02, inside the branch's 3 minutes: no idle alert.
    idle = [(a["kind"], a["severity"], a["counter"], a["raised_at"][11:16], a["resolved_at"][11:16], a["data"]["limit"],
             bool(a["acknowledged"]))
            for a in summary["alerts"] if a["kind"] in ("idle_counter", "idle_breach")]
    assert idle == [("idle_counter", "warning", 2, "09:01", "09:02", 1, False),
                    ("idle_breach", "breach", 2, "09:02", "09:03", 2, True)]  # the duty manager saw the breach


@pytest.mark.parametrize(("event", "message"), [
    ('{"at": "09:00", "do": "call_next", "counter": 1, "refused": "is closed"}',
     "The event was expected to be refused, but it was done."),
    ('{"at": "09:00", "do": "take_ticket", "service": "NOPE", "refused": "is closed"}',
     "The event was refused, but not as expected: Unknown service: NOPE."),
])
def test_an_expected_refusal_that_does_not_come_as_written_stops_the_replay(tmp_path, event, message):
    from helpers.scenarios import write_scenario

    scenario = write_scenario(tmp_path, LOGIN_S001, TAKE_BB, OPEN_1, event)
    with pytest.raises(AppError) as stopped:
        run_scenario(scenario, tmp_path / "out")
    assert stopped.value.text() == f"line 10: {message}"


LOGIN_S001 = '{"at": "08:45", "do": "login", "counter": 1, "staff": "S001"}'
OPEN_1 = '{"at": "09:00", "do": "open_counter", "counter": 1}'
TAKE_BB = '{"at": "08:59", "do": "take_ticket", "service": "BB"}'
