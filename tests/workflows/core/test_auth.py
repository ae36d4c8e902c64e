"""Staff credentials: argon2 hashes, and a log-in check that gives nothing away."""

import pytest
from sqlmodel import select

from counter_app.errors import AppError
from counter_app.models import Staff
from counter_app.workflows.core import auth
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
