"""A branch sets itself up from one file: export, a check that lists every problem, an import that changes
only what differs, retires instead of deleting, and puts every change in the audit chain."""

import copy
import datetime as dt
import json

import pytest
from helpers.fixtures import staff_id
from helpers.setup_files import apply, exported, problems, verify
from helpers.story import events, snapshot
from sqlmodel import select

from counter_app.errors import AppError
from counter_app.models import Counter, CounterService, OpeningHours, Service, Staff
from counter_app.workflows.admin import setup_file, staff
from counter_app.workflows.core import audit, auth
from counter_app.workflows.queue.hours import hall_status
from counter_app.workflows.replay import demo


def test_the_demo_hall_exported_and_imported_into_an_empty_store_is_the_same_setup(hall, store, clock, tmp_path):
    from counter_app.models.db import open_store

    setup = exported(hall)
    assert setup["format"] == setup_file.FORMAT and [s["code"] for s in setup["services"]][:2] == ["BB", "PLAN"]
    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}", create=True)
    try:
        apply(other, clock, setup)
        assert exported(other) == setup
        assert verify(other).ok  # every imported row is in the audit chain
        with other.read() as session:
            assert session.exec(select(Staff).where(Staff.staff_no == "S001")).one().password_hash == ""
    finally:
        other.dispose()


def test_importing_the_same_setup_again_changes_nothing(hall, clock):
    before = len(events(hall))
    result = apply(hall, clock, exported(hall))
    assert (result.changed, result.recorded) == (0, False) and len(events(hall)) == before


def test_a_change_is_applied_retiring_what_the_file_no_longer_has(hall, clock):
    setup = exported(hall)
    setup["services"] = [s for s in setup["services"] if s["code"] != "NEW"]
    for counter in setup["counters"]:
        counter["services"] = [c for c in counter["services"] if c != "NEW"]
    setup["services"][0]["target_wait_min"] = 12
    setup["staff"] = [p for p in setup["staff"] if p["staff_no"] != "S004"]
    setup["counters"] = [c for c in setup["counters"] if c["number"] != 5]
    setup["hours"][0] = {"day": "mon", "opens": "16:00", "closes": "02:00"}
    setup["holidays"] = [{"day": "2026-10-01", "note": "National Day"}]

    result = apply(hall, clock, setup, staff_id=None)

    assert result.recorded and verify(hall).ok
    with hall.read() as session:
        services = {s.code: s for s in session.exec(select(Service))}
        assert services["NEW"].active is False and services["BB"].target_wait_min == 12  # retired, history kept
        assert session.exec(select(Staff).where(Staff.staff_no == "S004")).one().active is False
        five = session.exec(select(Counter).where(Counter.number == 5)).one()
        assert session.exec(select(CounterService).where(CounterService.counter_id == five.id)).all() == []
        monday = session.exec(select(OpeningHours).where(OpeningHours.weekday == 0)).one()
        assert (monday.opens, monday.closes) == (dt.time(16), dt.time(2))
        assert hall_status(session, dt.datetime(2026, 10, 1, 12)).state == "closed"  # the holiday
    assert exported(hall)["hours"][0] == {"day": "mon", "opens": "16:00", "closes": "02:00"}


def test_round_the_clock_is_written_00_00_to_24_00(hall, clock):
    setup = exported(hall)
    setup["hours"] = [{"day": day, "opens": "00:00", "closes": "24:00"} for day in setup_file.WEEKDAYS]
    apply(hall, clock, setup)
    assert exported(hall)["hours"] == setup["hours"]
    with hall.read() as session:
        assert hall_status(session, dt.datetime(2026, 3, 3, 3, 0)).state == "open"


def test_every_problem_of_a_file_is_listed_and_nothing_is_changed(hall, clock):
    setup = exported(hall)
    bad = copy.deepcopy(setup)
    bad["services"][1]["prefix"] = bad["services"][0]["prefix"]  # a duplicate prefix
    bad["services"].append({**bad["services"][0], "code": "LONELY", "prefix": "L"})  # served by no counter
    bad["services"][0]["target_wait_min"] = 100000
    bad["hours"][2] = {"day": "wed", "opens": "09:00", "closes": "09:00"}
    bad["hours"][3] = {"day": "thu", "opens": "9am", "closes": "17:00"}
    bad["staff"].append({"staff_no": "T100", "name": "新人", "role": "trainee", "mentor": None, "active": True})
    bad["staff"].append({"staff_no": "T101", "name": "新人二", "role": "trainee", "mentor": "NOBODY", "active": True})
    bad["staff"] = [p if p["role"] != "admin" else {**p, "active": False} for p in bad["staff"]]
    before = snapshot(hall)

    found = problems(bad)

    assert found == [
        "hours wed: the hall closes when it opens; round the clock is 00:00 to 24:00.",
        "hours thu: \"9am\" is not a time (HH:MM).",
        "service BB: target_wait_min must be a number from 1 to 1440.",
        "service PLAN: the ticket prefix A is already BB's.",
        "service LONELY: no counter serves it.",
        "staff T100: a trainee needs a mentor.",
        "staff T101: the mentor NOBODY is not another person in the file.",
        "staff: at least one active administrator is needed, or nobody could change the setup.",
    ]
    assert snapshot(hall) == before


@pytest.mark.parametrize(("raw", "problem"), [
    (b"\xff\xfe not text", "The file is not UTF-8 text."),
    (b"{not json", "The file is not JSON"),
    (b'{"format": "something else"}', "The file is not a counter_app setup"),
    (b"[" * 100_000, "The file is not JSON"),
    (b" " * 1_000_001, "The file is larger than a setup can be (1 MB)."),
])
def test_a_file_that_is_not_a_setup_is_refused_with_a_reason(raw, problem):
    with pytest.raises(setup_file.SetupProblems) as refused:
        setup_file.check_setup(raw, language="en")
    assert refused.value.problems[0].startswith(problem)


def test_someone_new_signs_in_only_once_an_administrator_has_set_their_password(hall, clock):
    setup = exported(hall)
    setup["staff"].append({"staff_no": "S100", "name": "周敏", "role": "clerk", "mentor": None, "active": True})
    apply(hall, clock, setup)
    with hall.write() as session, pytest.raises(AppError):
        auth.authenticate(session, staff_no="S100", password="", clock=None)
    with hall.write() as session, pytest.raises(AppError) as refused:
        staff.set_password(session, clock, staff_no="S100", password="1234", admin_no="M001",
                           admin_password=demo.DEMO_PASSWORD)
    assert refused.value.text() == "Only an administrator can set a password."
    with hall.write() as session:
        staff.set_password(session, clock, staff_no="S100", password="1234", admin_no="A001",
                           admin_password=demo.DEMO_PASSWORD)
    # the administrator's password opens one door: the person chooses their own before anything else
    with hall.write() as session, pytest.raises(auth.PasswordChangeRequired):
        auth.authenticate(session, staff_no="S100", password="1234", clock=clock)
    with hall.write() as session, pytest.raises(AppError) as same:
        auth.change_password(session, clock, staff_no="S100", password="1234", new_password="1234")
    assert same.value.text() == "Choose a password other than the one you have now."
    with hall.write() as session:
        auth.change_password(session, clock, staff_no="S100", password="1234", new_password="8642")
    with hall.write() as session, pytest.raises(AppError):
        auth.authenticate(session, staff_no="S100", password="1234", clock=clock)
    with hall.write() as session:
        assert auth.authenticate(session, staff_no="S100", password="8642", clock=clock).name == "周敏"
    assert verify(hall).ok
    assert [json.loads(e.data)["staff_no"] for e in events(hall, "password_set")] == ["S100"]
    assert [e.staff_id for e in events(hall, "password_changed")] == [staff_id(hall, "S100")]


def test_a_new_branch_starts_with_its_administrator_and_nothing_else(store, clock):
    with store.write() as session:
        admin = staff.new_branch(session, at=clock.now(), name_zh="港湾路营业厅", name_en="Harbour Road",
                                 admin_no="A100", admin_name="林静", password="long enough")
    assert admin.role == "admin" and verify(store).ok
    with store.write() as session, pytest.raises(AppError) as refused:
        staff.new_branch(session, at=clock.now(), name_zh="x", name_en="x", admin_no="A2", admin_name="y",
                         password="long enough")
    assert "already holds a branch" in refused.value.text()
    with store.write() as session, pytest.raises(AppError):
        staff.new_branch(session, at=clock.now(), name_zh="x", name_en="x", admin_no="A2", admin_name="y",
                         password="short")


def test_a_branch_is_set_up_from_the_command_line_without_editing_python(tmp_path, monkeypatch, capsys):
    import io

    from counter_app.__main__ import main
    from counter_app.clock import SystemClock
    from counter_app.models.db import open_store

    demo_store = tmp_path / "demo.sqlite3"
    assert main(["--demo", "--db", str(demo_store), "--lang", "en", "db", "upgrade"]) == 0
    with open_store(f"sqlite:///{demo_store}").write() as session:
        demo.seed_demo(session, at=dt.datetime(2026, 3, 2, 8))
    setup = tmp_path / "branch.json"
    assert main(["setup", "export", str(setup), "--db", str(demo_store), "--lang", "en"]) == 0
    assert main(["setup", "export", str(setup), "--db", str(demo_store), "--lang", "en"]) == 2  # no overwrite
    new = str(tmp_path / "harbour.sqlite3")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["setup", "new", "--db", new, "--lang", "en", "--branch-zh", "港湾路营业厅", "--branch-en",
                 "Harbour Road", "--admin", "A001", "--admin-name", "刘洋"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["setup", "import", str(setup), "--admin", "A001", "--db", new, "--lang", "en"]) == 0
    assert "The setup is imported" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n1234\n"))
    assert main(["staff", "password", "S001", "--admin", "A001", "--db", new, "--lang", "en"]) == 0
    store = open_store(f"sqlite:///{new}")
    try:
        with store.read() as session:
            assert [s["code"] for s in setup_file.export_setup(session)["services"]] == [
                "BB", "PLAN", "BILL", "NEW", "VIP"]
            assert audit.verify(session).ok
        with store.write() as session, pytest.raises(auth.PasswordChangeRequired):
            auth.authenticate(session, staff_no="S001", password="1234")
        with store.write() as session:
            auth.change_password(session, SystemClock(), staff_no="S001", password="1234", new_password="2468")
        with store.write() as session:
            assert auth.authenticate(session, staff_no="S001", password="2468").staff_no == "S001"
    finally:
        store.dispose()
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "counter_app setup 1", "services": [{"code": "bb"}]}', encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["setup", "import", str(broken), "--admin", "A001", "--db", new, "--lang", "en"]) == 2
    assert "nothing was changed" in capsys.readouterr().err


def test_a_named_counter_for_senior_clerks_refuses_a_clerk_and_shows_its_name(hall, clock):
    from counter_app.workflows.queue import board, counters

    setup = exported(hall)
    six = next(c for c in setup["counters"] if c["number"] == 6)
    six.update({"name": "VIP窗口", "senior_only": True})
    apply(hall, clock, setup)
    assert next(c for c in exported(hall)["counters"] if c["number"] == 6)["name"] == "VIP窗口"
    with hall.write() as session, pytest.raises(AppError) as refused:
        counters.login(session, clock, counter_number=6, staff_no="S001", password=demo.DEMO_PASSWORD)
    assert refused.value.text() == "Counter 6 is for senior clerks: 王芳 cannot sign in at it."
    with hall.write() as session:
        assert counters.login(session, clock, counter_number=6, staff_no="S003", password=demo.DEMO_PASSWORD)
    with hall.read() as session:
        shown = {c.number: c.name for c in board.display_board(session, clock).counters}
        assert shown[6] == "VIP窗口" and shown[1] == ""
        assert audit.verify(session).ok
    with hall.engine.begin() as connection:  # changed behind the app's back: named by the audit
        connection.exec_driver_sql("UPDATE counter SET senior_only = false WHERE number = 6")
    assert verify(hall).records == ("counter 6",)


def test_which_counters_serve_which_services_is_covered_by_the_audit(hall):
    assert verify(hall).ok
    with hall.engine.begin() as connection:  # counter 6 made to call broadband's customers no longer
        connection.exec_driver_sql("DELETE FROM counter_service WHERE counter_id = 6 AND service_id = 1")
    assert verify(hall).records == ("counter 6",)


def test_a_code_a_counter_a_person_or_a_weekday_given_twice_or_malformed_is_named(hall):
    setup = exported(hall)
    setup["hours"] += [setup["hours"][0], {"day": "someday", "opens": "09:00", "closes": "17:00"}]
    setup["services"].append(dict(setup["services"][0]))
    setup["counters"] += [setup["counters"][0], {"number": 0, "services": []}]
    setup["staff"] += [setup["staff"][0], {"staff_no": "S 1", "name": "x", "role": "clerk"}]
    found = problems(setup)
    for expected in ("hours: mon is given twice.", 'hours: "someday" is not a weekday (mon … sun).',
                     "services: the code BB is given twice.", "counters: counter 1 is given twice.",
                     'counters: "0" is not a counter number (1 to 999).', "staff: A001 is given twice.",
                     'staff: "S 1" is not a staff number (letters and digits, at most 20).'):
        assert expected in found
