"""The hall's calendar kept between transactions: each PC keeps its own copy of the hours, holidays and closed
days, and notices at its next action when another PC changed them (two Store objects on one file are two PCs)."""

import datetime as dt

import pytest
from helpers.fixtures import DAY, at, open_counter, staff_id
from helpers.story import act, issue, refused
from sqlmodel import select

from counter_app.models import Ticket
from counter_app.models.db import open_store
from counter_app.workflows.admin import edits
from counter_app.workflows.queue import tickets
from counter_app.workflows.queue.hours import business_day
from counter_app.workflows.reports import closing

pytestmark = pytest.mark.sqlite_only("two Store objects on one SQLite file stand for two PCs")

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture
def other_pc(hall):
    """The administrator's PC: its own Store on the same file."""
    store = open_store(hall.url)
    yield store
    store.dispose()


def save_hours(store, clock, opens: str, closes: str) -> None:
    act(store, clock, edits.save_branch, staff_id=staff_id(store, "A001"), branch={},
        hours=[{"day": day, "opens": opens, "closes": closes} for day in WEEK])


def test_hours_changed_on_another_pc_are_the_kiosks_hours_at_its_next_ticket(hall, other_pc, clock):
    clock.set(at("18:00"))  # after 17:30: the kiosk has its closed hall kept
    assert "The hall is closed" in refused(hall, clock, tickets.issue_ticket, service_code="BILL")

    save_hours(other_pc, clock, "09:00", "22:00")

    assert issue(hall, clock, "BILL").number == "C001"
    save_hours(other_pc, clock, "09:00", "17:30")
    assert "The hall is closed" in refused(hall, clock, tickets.issue_ticket, service_code="BILL")


def test_hours_past_midnight_set_on_another_pc_keep_the_counters_queue_across_midnight(hall, other_pc, clock):
    clerk = open_counter(hall, clock, 4, "S001")
    save_hours(other_pc, clock, "09:00", "17:30")
    clock.set(at("17:00"))
    evening = issue(hall, clock, "BILL")
    clock.set(at("00:30", DAY + dt.timedelta(days=1)))
    with hall.read() as session:
        assert business_day(session, clock.now()).day == DAY + dt.timedelta(days=1)  # kept: closed at 17:30

    save_hours(other_pc, clock, "16:00", "02:00")  # now the hall runs to 02:00: 00:30 is still the evening

    called = act(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    assert called.ticket_id == evening.ticket_id
    assert issue(hall, clock, "BILL").number == "C002"  # the same business day's numbering


def test_a_day_closed_on_another_pc_empties_this_pcs_queue_of_that_day(hall, other_pc, clock, tmp_path):
    clerk = open_counter(hall, clock, 4, "S001")
    save_hours(other_pc, clock, "00:00", "24:00")  # round the clock: yesterday's waiting stay in the queue
    clock.set(at("23:50"))
    issue(hall, clock, "BILL")
    clock.set(at("00:10", DAY + dt.timedelta(days=1)))
    with hall.read() as session:
        assert business_day(session, clock.now()).queue_from == DAY

    act(other_pc, clock, closing.close_day, day=DAY, staff_id=staff_id(other_pc, "M001"),
        path=tmp_path / "day.pdf", language="en")

    with hall.read() as session:
        assert business_day(session, clock.now()).queue_from == DAY + dt.timedelta(days=1)
    assert "Nobody is waiting" in refused(hall, clock, tickets.call_next, counter_number=4, staff_id=clerk)
    with hall.read() as session:
        assert session.exec(select(Ticket.state)).all() == ["waiting"]  # left waiting, as closing leaves it
