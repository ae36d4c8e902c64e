"""What the screens read: the queue display's board and a counter's workspace."""

from helpers.fixtures import at, open_counter
from helpers.story import act, issue

from counter_app.workflows.queue import board, counters, tickets
from counter_app.workflows.queue.hours import HallState


def show(store, clock) -> board.Board:
    with store.read() as session:
        return board.display_board(session, clock)


def desk(store, clock, number) -> board.Workspace:
    with store.read() as session:
        return board.workspace(session, clock, counter_number=number)


def test_the_display_counts_who_waits_for_each_service(hall, clock):
    clock.set(at("08:50"))
    assert show(hall, clock).waiting_total == 0
    for code in ("BB", "BB", "BILL", "VIP"):
        issue(hall, clock, code)
    shown = show(hall, clock)
    waiting = {s.code: s.waiting for s in shown.services}
    assert waiting == {"BB": 2, "PLAN": 0, "BILL": 1, "NEW": 0, "VIP": 1}
    assert shown.waiting_total == 4
    assert shown.hall.state == HallState.PRE_OPEN
    assert [c.state for c in shown.counters] == ["closed"] * 6
    broadband = next(s for s in shown.services if s.code == "BB")
    assert broadband.wait_minutes >= 10  # nobody is called before 09:00
    assert broadband.names == {"zh": "宽带续费", "en": "Broadband renewal"}


def test_the_display_shows_the_counter_serving_the_called_ticket(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock)
    clerk = open_counter(hall, clock, 3, "S001")
    assert next(c for c in show(hall, clock).counters if c.number == 3).state == "open"
    clock.set(at("09:02"))
    act(hall, clock, tickets.call_next, counter_number=3, staff_id=clerk)
    third = next(c for c in show(hall, clock).counters if c.number == 3)
    assert (third.state, third.ticket, third.called_at, third.staff_name) == ("serving", "A001", at("09:02"), "王芳")
    assert show(hall, clock).waiting_total == 0
    act(hall, clock, tickets.start_service, counter_number=3, staff_id=clerk)
    act(hall, clock, tickets.finish_service, counter_number=3, staff_id=clerk)
    act(hall, clock, counters.pause_counter, counter_number=3, staff_id=clerk)
    third = next(c for c in show(hall, clock).counters if c.number == 3)
    assert (third.state, third.ticket) == ("paused", None)


def test_recent_calls_are_listed_newest_first(hall, clock):
    clock.set(at("09:00"))
    for code in ("BB", "BILL", "BB"):
        issue(hall, clock, code)
    first = open_counter(hall, clock, 1, "S001")
    second = open_counter(hall, clock, 4, "S004")
    clock.set(at("09:01"))
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=first)  # A001
    clock.set(at("09:02"))
    act(hall, clock, tickets.call_next, counter_number=4, staff_id=second)  # C001
    clock.set(at("09:03"))
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=first)
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=first)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=first)  # A002
    recent = [(r.number, r.counter_number, r.called_at) for r in show(hall, clock).recent]
    assert recent == [("A002", 1, at("09:03")), ("C001", 4, at("09:02")), ("A001", 1, at("09:01"))]

    clock.set(at("09:05"))
    act(hall, clock, tickets.recall, counter_number=4, staff_id=second)  # a recall goes back on top
    assert show(hall, clock).recent[0].number == "C001"


def test_the_revision_grows_with_every_change(hall, clock):
    clock.set(at("09:00"))
    before = show(hall, clock).revision
    issue(hall, clock)
    assert show(hall, clock).revision > before


def test_the_workspace_lists_the_counters_queue_in_calling_order(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clock.advance(minutes=1)
    issue(hall, clock, "NEW")  # counter 6 does not serve new lines
    clock.advance(minutes=1)
    issue(hall, clock, "VIP")
    clock.advance(minutes=1)
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 6, "S003")
    seen = desk(hall, clock, 6)
    assert [line.number for line in seen.waiting] == ["V001", "A001", "A002"]
    assert seen.other_waiting == 1
    assert seen.service_codes == ("BB", "VIP")
    assert (seen.state, seen.staff_id, seen.current) == ("open", clerk, None)

    called = act(hall, clock, tickets.call_next, counter_number=6, staff_id=clerk)
    assert called.number == seen.waiting[0].number
    seen = desk(hall, clock, 6)
    assert seen.current.number == "V001" and seen.state == "serving"
    assert [line.number for line in seen.waiting] == ["A001", "A002"]
    assert seen.current.wait_seconds(clock.now()) == 60  # issued 09:02, called 09:03

    act(hall, clock, tickets.park, counter_number=6, staff_id=clerk)
    seen = desk(hall, clock, 6)
    assert seen.current is None and [line.number for line in seen.parked] == ["V001"]
