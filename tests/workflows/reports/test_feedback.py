"""Satisfaction feedback and complaints: found by what the customer holds, linked to the visit and its cause."""

from __future__ import annotations

import pytest
from helpers.fixtures import at
from helpers.report_day import build_day, day_filter
from helpers.story import act, refused

from counter_app.models import Feedback, IssuedDocument
from counter_app.workflows import reports
from counter_app.workflows.reports import feedback


@pytest.fixture
def morning(hall, clock):
    return build_day(hall, clock)


def rate(store, clock, **kw):
    kw.setdefault("channel", "notice_reference")
    return act(store, clock, feedback.record_feedback, **kw)


def test_a_customer_rates_a_visit_by_the_reference_on_the_ticket(hall, clock, morning):
    change = rate(hall, clock, reference="20260302-a001", rating=2, reason="wait_time", comment="Half an hour!")
    assert (change.kind, change.number, change.counter_number) == ("feedback_recorded", "A001", 1)
    with hall.read() as session:
        row = session.get(Feedback, 1)
    assert (row.ticket_id, row.staff_id, row.counter_id, row.rating, row.reason) == (
        morning["A001"], morning["S001"], 1, 2, "wait_time")
    assert (row.channel, row.is_complaint, row.recorded_by, row.created_at) == ("notice_reference", False, None,
                                                                                clock.now())


def test_each_visit_is_rated_once_and_only_once_it_has_ended(hall, clock, morning):
    rate(hall, clock, reference="A001", rating=4)  # the number alone: today's
    assert "already been rated" in refused(hall, clock, feedback.record_feedback, reference="A001", rating=5,
                                           channel="feedback_window")
    assert "1 to 5" in refused(hall, clock, feedback.record_feedback, reference="A002", rating=6,
                               channel="feedback_window")
    assert "No visit has the reference" in refused(hall, clock, feedback.record_feedback,
                                                   reference="20260301-A001", rating=3, channel="feedback_window")
    clock.set(at("10:20"))
    from helpers.story import issue

    waiting = issue(hall, clock, "BB")
    assert "has not ended yet" in refused(hall, clock, feedback.record_feedback, ticket_id=waiting.ticket_id,
                                          rating=3, channel="feedback_window")


def test_the_apology_notice_reference_finds_the_visit_even_for_a_transferred_leg(hall, clock, morning):
    with hall.write() as session:
        session.add(IssuedDocument(kind="apology", reference="APO-20260302-0001", ticket_id=morning["C001/2"],
                                   path="x.pdf", sha256="0" * 64, size=1, language="en", created_at=clock.now()))
    change = rate(hall, clock, reference="apo-20260302-0001", rating=1, reason="service_time")
    assert change.ticket_id == morning["C001"]  # the visit's first leg
    with hall.read() as session:
        row = session.get(Feedback, 1)
    assert (row.staff_id, row.counter_id) == (morning["S004"], 2 + 1)  # served on the second leg, counter 3


def test_a_clerk_records_a_complaint_with_the_cause_it_points_at(hall, clock, morning):
    assert "Choose a cause" in refused(hall, clock, feedback.record_complaint, reference="A002",
                                       staff_id=morning["M001"], cause="the trainee", comment="slow")
    assert "what the customer complained" in refused(hall, clock, feedback.record_complaint, reference="A002",
                                                     staff_id=morning["M001"], cause="staffing", comment=" ")
    change = act(hall, clock, feedback.record_complaint, reference="A002", staff_id=morning["M001"],
                 cause="staffing", comment="Nobody was at the counters at nine")
    assert change.kind == "complaint_recorded"
    with hall.read() as session:
        row = session.get(Feedback, 1)
        comments = reports.feedback_comments(session, day_filter())
    assert (row.is_complaint, row.cause, row.channel, row.recorded_by, row.rating) == (
        True, "staffing", "clerk_recorded", morning["M001"], None)
    assert [(c.number, c.complaint, c.cause) for c in comments] == [("A002", True, "staffing")]


def test_satisfaction_reads_ratings_by_service_staff_cause_and_wait(hall, clock, morning):
    rate(hall, clock, reference="A001", rating=2, reason="wait_time")
    rate(hall, clock, reference="C001", rating=5, channel="clerk_recorded", recorded_by=morning["S004"])
    act(hall, clock, feedback.record_complaint, reference="A002", staff_id=morning["M001"], cause="system_data",
        comment="The screen said nothing")
    with hall.read() as session:
        by_service = reports.satisfaction(session, day_filter(), by="service")
        by_staff = reports.satisfaction(session, day_filter(), by="staff")
        by_cause = reports.satisfaction(session, day_filter(), by="cause")
        by_wait = reports.satisfaction(session, day_filter(), by="wait_band")
    assert [(r.key, r.ratings, r.average, r.complaints) for r in by_service] == [
        ("BB", 1, 2.0, 1), ("NEW", 1, 5.0, 0)]
    assert [(r.key, r.ratings, r.dissatisfied, r.satisfied_share) for r in by_staff] == [
        ("S001", 1, 1, 0.0), ("S004", 1, 0, 1.0)]
    # a rating takes the visit's breach cause; a complaint its own
    assert [(r.key, r.ratings, r.complaints) for r in by_cause] == [
        ("staffing", 1, 0), ("system_data", 0, 1), ("training", 1, 0)]
    assert [(r.key, r.ratings, r.average) for r in by_wait] == [("0-3", 1, 5.0), ("15+", 1, 2.0)]


def test_the_feedback_window_offers_the_visit_just_finished_at_its_counter(hall, clock, morning):
    with hall.read() as session:  # 10:10: C001 ended at counter 3 at 10:04, A001 at counter 1 at 09:26
        offered = feedback.visit_to_rate(session, clock.now(), counter_number=3, within_minutes=10)
        assert feedback.visit_to_rate(session, clock.now(), counter_number=1, within_minutes=10) is None
    assert (offered.ticket_id, offered.number, offered.staff_name) == (morning["C001"], "C001", "赵静")
    rate(hall, clock, ticket_id=offered.ticket_id, rating=4, channel="feedback_window")
    with hall.read() as session:
        assert feedback.visit_to_rate(session, clock.now(), counter_number=3, within_minutes=10) is None


def visit_by_reference(store, clock, reference):
    with store.read() as session:
        return feedback.visit_by_reference(session, clock, reference=reference)


def test_a_customer_who_left_finds_the_visit_by_the_reference_on_the_notice(hall, clock, morning):
    with hall.write() as session:
        session.add(IssuedDocument(kind="apology", reference="APO-20260302-0001", ticket_id=morning["C001/2"],
                                   path="x.pdf", sha256="0" * 64, size=1, language="en", created_at=clock.now()))
    found = visit_by_reference(hall, clock, " apo-20260302-0001 ")
    # the visit by its first leg, served by the clerk of its second leg at counter 3, ended at 10:04
    assert (found.ticket_id, found.number, found.staff_name, found.counter_number, found.finished_at) == (
        morning["C001"], "C001", "赵静", 3, at("10:04"))
    assert found.service_names["en"] == "New line"  # what was done for the customer, not the ticket first taken
    assert visit_by_reference(hall, clock, "20260302-A001").ticket_id == morning["A001"]


def test_the_reference_screen_refuses_an_unknown_an_unfinished_or_a_rated_visit(hall, clock, morning):
    assert "No visit has the reference" in refused(hall, clock, feedback.visit_by_reference, reference="20260301-A001")
    rate(hall, clock, reference="A001", rating=4)
    assert "already been rated" in refused(hall, clock, feedback.visit_by_reference, reference="A001")
    clock.set(at("10:20"))
    from helpers.story import issue

    waiting = issue(hall, clock, "BB")
    assert "has not ended yet" in refused(hall, clock, feedback.visit_by_reference, reference=waiting.number)
