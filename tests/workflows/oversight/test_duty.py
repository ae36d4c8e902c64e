"""Who is on duty and who is free to help (F10)."""

import pytest
from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, events, issue, refused
from sqlmodel import select

from counter_app.models import Escalation, Staff
from counter_app.workflows.oversight import duty, escalation
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo

PASSWORD = demo.DEMO_PASSWORD


def on_duty_since(store, staff_no):
    with store.read() as session:
        return session.exec(select(Staff.on_duty_since).where(Staff.staff_no == staff_no)).one()


def test_the_duty_manager_signs_in_and_out(hall, clock):
    clock.set(at("08:55"))
    login = act(hall, clock, duty.manager_sign_in, staff_no="M001", password=PASSWORD)
    assert (login.staff_no, login.name, login.change.kind) == ("M001", "陈刚", "manager_signed_in")
    assert on_duty_since(hall, "M001") == at("08:55")
    clock.set(at("12:00"))
    act(hall, clock, duty.manager_sign_out, staff_id=login.staff_id)
    assert on_duty_since(hall, "M001") is None
    assert [(e.kind, e.at) for e in events(hall) if e.kind.startswith("manager_")] == \
        [("manager_signed_in", at("08:55")), ("manager_signed_out", at("12:00"))]


@pytest.mark.parametrize("staff_no", ["S001", "S002", "S003", "A001"])
def test_only_a_duty_manager_opens_the_manager_window(hall, clock, staff_no):
    assert refused(hall, clock, duty.manager_sign_in, staff_no=staff_no, password=PASSWORD) == \
        "Only a duty manager can open the manager window."
    assert on_duty_since(hall, staff_no) is None
    assert [e.kind for e in events(hall)] == ["settings_recorded"]  # the hall's own record only


def test_a_wrong_password_does_not_sign_the_manager_in(hall, clock):
    assert refused(hall, clock, duty.manager_sign_in, staff_no="M001", password="guess") == \
        "Wrong staff number or password."
    assert on_duty_since(hall, "M001") is None


def helpers_now(store, clock):
    with store.read() as session:
        return [(h.name, h.role, h.counter_number, h.busy_with) for h in duty.helpers(session, clock)]


def test_nobody_is_listed_before_anyone_is_on_duty(hall, clock):
    assert helpers_now(hall, clock) == []


def test_seniors_at_counters_and_signed_in_managers_are_listed_free_ones_first(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    open_counter(hall, clock, 1, "S001")  # a clerk: never listed as a helper
    senior = open_counter(hall, clock, 3, "S003")
    assert helpers_now(hall, clock) == [("张伟", "senior", 3, None)]

    act(hall, clock, duty.manager_sign_in, staff_no="M001", password=PASSWORD)
    assert helpers_now(hall, clock) == [("张伟", "senior", 3, None), ("陈刚", "manager", None, None)]

    # Once the senior clerk is serving, the free duty manager comes first.
    act(hall, clock, tickets.call_next, counter_number=3, staff_id=senior)
    assert helpers_now(hall, clock) == [("陈刚", "manager", None, None), ("张伟", "senior", 3, "A001")]

    act(hall, clock, duty.manager_sign_out, staff_id=staff_id(hall, "M001"))
    assert helpers_now(hall, clock) == [("张伟", "senior", 3, "A001")]


def test_a_helper_shows_since_when_they_are_available(hall, clock):
    clock.set(at("08:50"))
    act(hall, clock, duty.manager_sign_in, staff_no="M001", password=PASSWORD)
    clock.set(at("09:00"))
    open_counter(hall, clock, 3, "S003")
    with hall.read() as session:
        since = {h.name: h.since for h in duty.helpers(session, clock)}
    assert since == {"陈刚": at("08:50"), "张伟": at("09:00")}


def test_a_duty_manager_helping_at_a_counter_is_not_listed_as_free(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    taken = issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    manager = act(hall, clock, duty.manager_sign_in, staff_no="M001", password=demo.DEMO_PASSWORD)
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=clerk, route="manager")
    with hall.read() as session:
        help_id = session.exec(select(Escalation.id)).one()
        assert [h.busy_with for h in duty.helpers(session, clock) if h.name == "陈刚"] == [None]
    act(hall, clock, escalation.accept, escalation_id=help_id, staff_id=manager.staff_id)
    with hall.read() as session:
        assert [h.busy_with for h in duty.helpers(session, clock) if h.name == "陈刚"] == [taken.number]
