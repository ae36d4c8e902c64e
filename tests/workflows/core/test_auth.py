"""Staff credentials: argon2 hashes, and a log-in check that gives nothing away."""

import datetime as dt

import pytest
from helpers.story import events
from sqlmodel import select

from counter_app.errors import AppError
from counter_app.models import Staff
from counter_app.workflows.core import auth
from counter_app.workflows.oversight import duty
from counter_app.workflows.replay import demo


def test_a_password_is_stored_only_as_a_hash_and_verifies(hall):
    with hall.read() as session:
        staff = session.exec(select(Staff).where(Staff.staff_no == "S001")).one()
        assert demo.DEMO_PASSWORD not in staff.password_hash
        assert staff.password_hash.startswith("$argon2")
        assert auth.verify_password(staff, demo.DEMO_PASSWORD)
        assert not auth.verify_password(staff, "demo12345")


def test_staff_number_is_trimmed_but_the_password_is_exact(hall):
    with hall.read() as session:
        assert auth.authenticate(session, staff_no=" S001 ", password=demo.DEMO_PASSWORD).name == "王芳"
        with pytest.raises(AppError, match="Wrong staff number or password"):
            auth.authenticate(session, staff_no="S001", password=demo.DEMO_PASSWORD + " ")


def test_a_staff_member_who_left_cannot_log_in(hall):
    with hall.write() as session:
        staff = session.exec(select(Staff).where(Staff.staff_no == "S004")).one()
        staff.active = False
        session.add(staff)
    with hall.read() as session, pytest.raises(AppError) as refused:
        auth.authenticate(session, staff_no="S004", password=demo.DEMO_PASSWORD)
    assert refused.value.text() == "Wrong staff number or password."


def test_a_damaged_hash_is_a_refusal_not_a_crash(hall):
    with hall.write() as session:
        staff = session.exec(select(Staff).where(Staff.staff_no == "S001")).one()
        staff.password_hash = "not-a-hash"
        session.add(staff)
    with hall.read() as session, pytest.raises(AppError, match="Wrong staff number or password"):
        auth.authenticate(session, staff_no="S001", password=demo.DEMO_PASSWORD)


def test_a_password_needs_four_characters():
    with pytest.raises(AppError) as refused:
        auth.hash_password("abc")
    assert refused.value.text() == "A password needs at least 4 characters."
    assert auth.hash_password("abcd").startswith("$argon2")


def test_guessing_a_managers_password_is_slowed_then_locked_and_every_try_is_on_record(hall, clock):
    def sign_in(password):
        try:
            with hall.write() as session:
                duty.manager_sign_in(session, clock, staff_no="M001", password=password)
        except AppError as exc:
            return exc.text()
        return "signed in"

    clock.set(dt.datetime(2026, 3, 2, 9, 0))
    assert [sign_in("guess") for _ in range(3)] == ["Wrong staff number or password."] * 3
    assert sign_in(demo.DEMO_PASSWORD) == "Too many wrong passwords: try again in 5 seconds."  # not even checked
    clock.advance(seconds=5)
    assert sign_in(demo.DEMO_PASSWORD) == "signed in", "the right password after the wait resets the count"
    for _ in range(10):
        clock.advance(seconds=301)
        sign_in("guess")
    assert sign_in(demo.DEMO_PASSWORD).startswith("M001 is locked after too many wrong passwords")
    failed = events(hall, "sign_in_failed")
    assert len(failed) == 13 and all('"where": "manager window"' in e.data for e in failed)
    assert all("guess" not in e.data for e in failed), "never the password"
    assert len(events(hall, "staff_locked")) == 1

    with hall.write() as session:
        auth.unlock(session, clock, staff_no="M001", manager_no="A001", manager_password=demo.DEMO_PASSWORD)
    assert sign_in(demo.DEMO_PASSWORD) == "signed in"
    with hall.read() as session:
        assert session.exec(select(Staff).where(Staff.staff_no == "M001")).one().failed_sign_ins == 0


def test_an_unknown_staff_number_is_refused_after_the_same_work_as_a_known_one(hall, clock, monkeypatch):
    checked = []
    monkeypatch.setattr(auth, "_verify", lambda password_hash, password: checked.append(password_hash) or False)
    with hall.read() as session:
        for staff_no in ("S001", "NOBODY"):
            with pytest.raises(AppError):
                auth.authenticate(session, staff_no=staff_no, password="guess")
    assert len(checked) == 2, "an unknown number is checked against a hash too: it takes as long to refuse"


def test_a_duty_manager_or_an_administrator_needs_eight_characters():
    with pytest.raises(AppError, match="at least 8 characters"):
        auth.hash_password("1234567", role="manager")
    assert auth.hash_password("1234", role="clerk")  # a clerk's PIN
