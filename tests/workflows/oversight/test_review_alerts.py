"""An order review past its deadline raises an alert to PMC in the counters' alert machinery: one per review,
naming the order and the department, raised once, resolved by itself when the department answers."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers.fixtures import staff_id
from helpers.story import act
from sqlmodel import select

from counter_app.models.oversight import Alert, AlertKind
from counter_app.workflows.oversight import alerts
from counter_app.workflows.planning import orders, review
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer

MONDAY = dt.datetime(2026, 9, 28, 9, 0)
DUE = dt.datetime(2026, 9, 30, 9, 0)  # two working days after Monday 09:00
DETAILS = {"engineering": {"drawings_confirmed": True}, "purchasing": {}, "warehouse": {}, "production": {},
           "quality": {}}
REVIEWERS = {"engineering": "F003", "purchasing": "F004", "warehouse": "F005", "production": "F006",
             "quality": "F007"}  # the demo hall's planning staff


@pytest.fixture
def order(hall, clock) -> int:
    clock.set(MONDAY)
    act(hall, clock, orders.add_product, code="CUS-1", name_zh="定制泵", name_en="Custom pump", lead_days=10,
        staff_id=staff_id(hall, "F001"))
    return act(hall, clock, orders.enter_order, number="SO-1", customer="蓝海化工", kind="custom",
               requested_date=dt.date(2026, 12, 1), lines=[LineInput("CUS-1", 5)],
               staff_id=staff_id(hall, "F002")).order_id


def answer(hall, clock, order_id: int, department: str) -> None:
    with hall.read() as session:
        [found] = [r for r in review.current_reviews(session, order_id) if r.department == department]
    act(hall, clock, review.answer_review, review_id=found.id, staff_id=staff_id(hall, REVIEWERS[department]),
        answer=ReviewAnswer(department, True, 2, details=DETAILS[department]))


def review_alerts(hall) -> list[Alert]:
    with hall.read() as session:
        return list(session.exec(select(Alert).where(Alert.kind == AlertKind.REVIEW_OVERDUE).order_by(Alert.id)))


def quiet(hall, clock) -> bool:
    with hall.read() as session:
        return alerts.nothing_to_watch(session, clock.now())


def texts(hall) -> list[str]:
    with hall.read() as session:
        return [line.text(str) for line in alerts.alert_lines(session) if line.kind == AlertKind.REVIEW_OVERDUE]


def test_a_review_past_its_deadline_raises_one_alert_naming_the_order_and_the_department(hall, clock, order):
    for department in ("engineering", "purchasing", "warehouse"):
        answer(hall, clock, order, department)
    clock.set(DUE)
    act(hall, clock, alerts.evaluate)
    assert review_alerts(hall) == []  # due at 09:00, not past it yet
    clock.set(DUE + dt.timedelta(minutes=1))
    act(hall, clock, alerts.evaluate)
    raised = review_alerts(hall)
    assert [json.loads(a.data)["department"] for a in raised] == ["production", "quality"]
    assert {json.loads(a.data)["order"] for a in raised} == {"SO-1"}
    assert texts(hall) == ["Sales order SO-1: the quality review was due 2026-09-30 09:00 and is not answered",
                           "Sales order SO-1: the production review was due 2026-09-30 09:00 and is not answered"]
    clock.advance(minutes=90)
    act(hall, clock, alerts.evaluate)
    assert [a.id for a in review_alerts(hall)] == [a.id for a in raised]  # raised once


def test_an_answer_resolves_its_alert_and_the_others_stay(hall, clock, order):
    clock.set(DUE + dt.timedelta(hours=2))
    act(hall, clock, alerts.evaluate)
    assert len(review_alerts(hall)) == 5
    answer(hall, clock, order, "quality")
    act(hall, clock, alerts.evaluate)
    open_departments = sorted(json.loads(a.data)["department"] for a in review_alerts(hall)
                              if a.resolved_at is None)
    assert open_departments == ["engineering", "production", "purchasing", "warehouse"]
    for department in open_departments:
        answer(hall, clock, order, department)
    act(hall, clock, alerts.evaluate)
    assert {a.resolved_at for a in review_alerts(hall)} >= {clock.now()}
    assert [a for a in review_alerts(hall) if a.resolved_at is None] == []


def test_nothing_to_watch_stays_true_only_while_every_overdue_review_has_its_alert(hall, clock, order):
    assert quiet(hall, clock)  # reviews open, none overdue: nothing the clock can change now ...
    with hall.read() as session:  # ... until the earliest deadline, which the replay sleeps until
        assert alerts.next_review_deadline(session, clock.now()) == DUE
    clock.set(DUE + dt.timedelta(minutes=1))
    assert not quiet(hall, clock)  # overdue with no alert yet: evaluate has work
    act(hall, clock, alerts.evaluate)
    assert quiet(hall, clock)  # its alerts are up and do not move with the clock
    with hall.read() as session:
        assert alerts.next_review_deadline(session, clock.now()) is None
    answer(hall, clock, order, "engineering")
    assert not quiet(hall, clock)  # an alert to resolve
    act(hall, clock, alerts.evaluate)
    assert quiet(hall, clock)


def test_a_review_of_an_order_no_longer_in_review_raises_nothing(hall, clock, order):
    for department in REVIEWERS:
        answer(hall, clock, order, department)
    clock.set(DUE + dt.timedelta(days=3))
    act(hall, clock, alerts.evaluate)
    assert review_alerts(hall) == []
    assert quiet(hall, clock)
