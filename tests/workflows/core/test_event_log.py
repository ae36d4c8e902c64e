"""The event log: every action appends its rows with who, where and when; a refusal appends nothing."""

import json

from helpers.fixtures import at, staff_id
from helpers.story import act, events, issue, refused, snapshot

from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo

PASSWORD = demo.DEMO_PASSWORD


def test_a_morning_leaves_one_event_per_action_with_who_and_when(hall, clock):
    clerk = staff_id(hall, "S001")
    cashier = staff_id(hall, "S004")
    kiosk = None  # the kiosk acts for an anonymous customer
    story = [
        # (time, who, action, arguments, the event kinds it appends)
        ("08:50", kiosk, tickets.issue_ticket, {"service_code": "BB"}, ["ticket_issued"]),  # A001
        ("08:51", kiosk, tickets.issue_ticket, {"service_code": "BB"}, ["ticket_issued"]),  # A002
        ("08:52", kiosk, tickets.issue_ticket, {"service_code": "BB"}, ["ticket_issued"]),  # A003
        ("08:55", clerk, counters.login, {"counter_number": 1, "staff_no": "S001", "password": PASSWORD},
         ["staff_logged_in"]),
        ("09:00", clerk, counters.open_counter, {"counter_number": 1, "staff_id": clerk}, ["counter_opened"]),
        ("09:01", clerk, tickets.call_next, {"counter_number": 1, "staff_id": clerk}, ["ticket_called"]),
        ("09:02", clerk, tickets.recall, {"counter_number": 1, "staff_id": clerk}, ["ticket_recalled"]),
        ("09:03", clerk, tickets.no_show, {"counter_number": 1, "staff_id": clerk}, ["ticket_no_show"]),
        ("09:04", clerk, tickets.call_next, {"counter_number": 1, "staff_id": clerk}, ["ticket_called"]),
        ("09:05", clerk, tickets.start_service, {"counter_number": 1, "staff_id": clerk}, ["service_started"]),
        ("09:06", clerk, tickets.park, {"counter_number": 1, "staff_id": clerk}, ["ticket_parked"]),  # A002
        ("09:07", clerk, tickets.call_ticket, {"counter_number": 1, "staff_id": clerk, "ticket_id": 3},  # A003
         ["ticket_called_out_of_turn"]),
        ("09:08", clerk, tickets.transfer, {"counter_number": 1, "staff_id": clerk, "service_code": "BILL"},
         ["ticket_transferred"]),  # A003's new leg is ticket 4
        ("09:09", clerk, tickets.resume, {"counter_number": 1, "staff_id": clerk, "ticket_id": 2},
         ["ticket_resumed"]),
        ("09:10", clerk, tickets.finish_service, {"counter_number": 1, "staff_id": clerk}, ["service_finished"]),
        ("09:11", clerk, counters.pause_counter, {"counter_number": 1, "staff_id": clerk}, ["counter_paused"]),
        ("09:12", cashier, counters.login, {"counter_number": 4, "staff_no": "S004", "password": PASSWORD},
         ["staff_logged_in"]),
        ("09:13", cashier, tickets.cancel, {"ticket_id": 4, "staff_id": cashier}, ["ticket_cancelled"]),
        ("09:14", clerk, counters.close_counter, {"counter_number": 1, "staff_id": clerk}, ["counter_closed"]),
        # Moving to another counter signs out of the old one (closing it first if it is open).
        ("09:15", clerk, counters.login, {"counter_number": 2, "staff_no": "S001", "password": PASSWORD},
         ["staff_logged_out", "staff_logged_in"]),
        ("09:16", clerk, counters.open_counter, {"counter_number": 2, "staff_id": clerk}, ["counter_opened"]),
        ("09:17", clerk, counters.login, {"counter_number": 3, "staff_no": "S001", "password": PASSWORD},
         ["counter_closed", "staff_logged_out", "staff_logged_in"]),
        ("09:18", clerk, counters.open_counter, {"counter_number": 3, "staff_id": clerk}, ["counter_opened"]),
        ("09:19", clerk, counters.logout, {"counter_number": 3, "staff_id": clerk},
         ["counter_closed", "staff_logged_out"]),
    ]
    for hhmm, who, action, kw, kinds in story:
        clock.set(at(hhmm))
        seen = len(events(hall))
        act(hall, clock, action, **kw)
        added = events(hall)[seen:]
        assert [e.kind for e in added] == kinds, (hhmm, action.__name__)
        assert all(e.at == at(hhmm) and e.staff_id == who for e in added), (hhmm, action.__name__)


def test_events_say_which_ticket_and_counter_they_concern(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    login = act(hall, clock, counters.login, counter_number=5, staff_no="S002", password=PASSWORD)
    act(hall, clock, counters.open_counter, counter_number=5, staff_id=login.staff_id)
    act(hall, clock, tickets.call_next, counter_number=5, staff_id=login.staff_id)
    called = events(hall, "ticket_called")[0]
    assert called.ticket_id == issued.ticket_id
    assert json.loads(called.data) == {"counter": 5, "number": "A001"}
    opened = events(hall, "counter_opened")[0]
    assert opened.counter_id is not None and json.loads(opened.data)["state"] == "open"
    assert json.loads(events(hall, "ticket_issued")[0].data)["early"] is False


def test_refused_actions_leave_the_store_as_it_was(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    login = act(hall, clock, counters.login, counter_number=1, staff_no="S001", password=PASSWORD)
    clerk = login.staff_id
    before = snapshot(hall, without_attempts=True)
    attempts = [
        (tickets.issue_ticket, {"service_code": "NOPE"}),
        (tickets.call_next, {"counter_number": 1, "staff_id": clerk}),  # not open yet
        (tickets.start_service, {"counter_number": 1, "staff_id": clerk}),
        (tickets.finish_service, {"counter_number": 1, "staff_id": clerk}),
        (tickets.transfer, {"counter_number": 1, "staff_id": clerk, "service_code": "BILL"}),
        (tickets.resume, {"counter_number": 1, "staff_id": clerk, "ticket_id": issued.ticket_id}),
        (counters.pause_counter, {"counter_number": 1, "staff_id": clerk}),
        (counters.close_counter, {"counter_number": 1, "staff_id": clerk}),
        (counters.login, {"counter_number": 2, "staff_no": "S001", "password": "nope"}),
    ]
    for action, kw in attempts:
        refused(hall, clock, action, **kw)
        assert snapshot(hall, without_attempts=True) == before, action.__name__
    assert [e.kind for e in events(hall)][-1] == "sign_in_failed", "the wrong password alone is on record"
