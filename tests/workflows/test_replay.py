"""Replaying a morning on a virtual clock: the case study, a refused script, the output folder."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import select

from counter_app import paths
from counter_app.__main__ import main
from counter_app.errors import AppError
from counter_app.models import Ticket
from counter_app.models.db import open_store
from counter_app.workflows.replay import CounterMoment, Moment, idle_minutes, run_scenario

CASE_STUDY = paths.scenarios_dir() / "case-study.json"

HEAD = """{
  "title": "A short morning",
  "date": "2026-03-02",
  "start": "08:40",
  "branch": {"opens": "09:00", "closes": "17:30"},
  "events": [
"""  # the first event is on line 7


def write_scenario(tmp_path, *events: str) -> str:
    """A scenario with one event a line, the first on line 7."""
    path = tmp_path / "scenario.json"
    path.write_text(HEAD + ",\n".join(events) + "\n  ]\n}\n", encoding="utf-8")
    return path


def refusal(tmp_path, *events: str) -> AppError:
    out = tmp_path / "out"
    with pytest.raises(AppError) as caught:
        run_scenario(write_scenario(tmp_path, *events), out)
    assert not out.exists(), "a refused scenario leaves no output folder"
    assert [p.name for p in tmp_path.iterdir()] == ["scenario.json"], "nor a half-written work folder"
    return caught.value


LOGIN = '{"at": "08:45", "do": "login", "counter": 1, "staff": "S002"}'
TAKE = '{"at": "08:57", "do": "take_ticket", "service": "BB"}'


# -- the case study ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def case_study(tmp_path_factory):
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
    assert log[0].startswith("2026-03-02 08:45:00 staff_logged_in")
    assert any("ticket_issued" in line and "ticket=A001" in line for line in log)
    assert log[-1].startswith("2026-03-02 09:33:00 service_finished")


def test_the_replayed_store_opens_like_any_other(case_study):
    out, _ = case_study
    store = open_store(f"sqlite:///{out / 'store.sqlite3'}")
    try:
        with store.read() as session:
            numbers = set(session.exec(select(Ticket.number)))
    finally:
        store.dispose()
    assert {"A001", "A002", "A003", "B001", "C001", "C002"} == numbers


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
        "display-0900.txt", "events.log", "store.sqlite3", "summary.json", "tickets"]


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


# -- the command line ----------------------------------------------------------------------------------

def test_the_command_line_replays_into_a_folder(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--lang", "en", "replay", str(CASE_STUDY), "--out", str(out)]) == 0
    assert "Replayed 38 events" in capsys.readouterr().out
    assert (out / "summary.json").exists()


def test_the_command_line_reports_a_refusal(tmp_path, capsys):
    scenario = write_scenario(tmp_path, '{"at": "08:45", "do": "fly"}')
    assert main(["--lang", "en", "replay", str(scenario), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith("line 7: Unknown event \"fly\"")
    assert not (tmp_path / "out").exists()
