"""F1: tickets taken before opening do not breach their wait while nobody may serve yet."""

from helpers.fixtures import at, open_counter

from counter_app.workflows.oversight import alerts
from counter_app.workflows.oversight.timing import Level, live_timings
from counter_app.workflows.queue import board, tickets


def kinds(store, clock):
    with store.write() as session:
        alerts.evaluate(session, clock)
    with store.read() as session:
        return sorted((line.kind, line.data.get("ticket")) for line in alerts.alert_lines(session))


def test_an_early_vip_ticket_waits_from_opening_time_not_from_when_it_was_taken(hall, clock):
    clock.set(at("08:45"))
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="VIP")  # wait target 5 minutes
    clock.set(at("08:59"))
    assert kinds(hall, clock) == []  # 14 minutes since the ticket, none of them while the hall was open
    clock.set(at("09:04"))  # warning at 3:45 after opening
    assert kinds(hall, clock) == [("wait_warning", "V001")]
    clock.set(at("09:05"))
    assert kinds(hall, clock) == [("wait_breach", "V001")]
    with hall.read() as session:
        (timing,) = live_timings(session, clock.now())
    assert (timing.seconds, timing.level) == (300, Level.BREACHED)


def test_the_counter_list_counts_an_early_wait_from_opening_and_a_later_one_from_its_ticket(hall, clock):
    clock.set(at("08:50"))
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    clock.set(at("09:10"))
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    open_counter(hall, clock, 1, "S001")
    clock.set(at("09:12"))
    with hall.read() as session:
        lines = board.workspace(session, clock, counter_number=1).waiting
    assert [(line.number, line.wait_seconds(clock.now())) for line in lines] == [("A001", 720), ("A002", 120)]


def test_a_transferred_customer_makes_an_idle_counter_alert_only_after_the_allowed_minutes(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    open_counter(hall, clock, 4, "S004")  # serves bill payment and new lines; idle from 09:00
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
        tickets.call_next(session, clock, counter_number=1, staff_id=clerk)
        tickets.start_service(session, clock, counter_number=1, staff_id=clerk)
    clock.set(at("09:06"))
    with hall.write() as session:
        tickets.transfer(session, clock, counter_number=1, staff_id=clerk, service_code="NEW")
    assert ("idle_counter", None) not in kinds(hall, clock)  # the customer has only just arrived in the queue
    clock.set(at("09:09"))
    assert ("idle_counter", None) in kinds(hall, clock)
