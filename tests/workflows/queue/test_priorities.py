"""Who is called next: the higher priority tier first, then the earliest place in the queue."""

from helpers.fixtures import at, open_counter
from helpers.story import serve_next

from counter_app.workflows.queue import tickets


def issue(store, clock, code, **kw):
    with store.write() as session:
        return tickets.issue_ticket(session, clock, service_code=code, **kw).number


def test_a_vip_is_called_before_earlier_normal_customers_at_a_counter_serving_both(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clock.advance(minutes=1)
    issue(hall, clock, "BB")
    clock.advance(minutes=1)
    issue(hall, clock, "VIP")
    sid = open_counter(hall, clock, 6, "S003")  # counter 6 serves VIP and broadband
    assert [serve_next(hall, clock, 6, sid) for _ in range(3)] == ["V001", "A001", "A002"]


def test_a_counter_without_the_vip_service_keeps_to_its_own_queue(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    issue(hall, clock, "VIP")
    sid = open_counter(hall, clock, 1, "S001")
    assert serve_next(hall, clock, 1, sid) == "A001"


def test_within_a_tier_customers_are_called_in_order_of_queue_time(hall, clock):
    clock.set(at("09:00"))
    for code in ("PLAN", "BB", "BILL", "BB", "PLAN"):
        issue(hall, clock, code)
        clock.advance(seconds=30)
    issue(hall, clock, "VIP")
    issue(hall, clock, "VIP")
    sid = open_counter(hall, clock, 1, "S001")  # broadband, plans, bills
    assert [serve_next(hall, clock, 1, sid) for _ in range(5)] == ["B001", "A001", "C001", "A002", "B002"]
    vip = open_counter(hall, clock, 6, "S004")
    assert [serve_next(hall, clock, 6, vip) for _ in range(2)] == ["V001", "V002"]


def test_tickets_taken_in_the_same_second_go_in_the_order_they_were_taken(hall, clock):
    clock.set(at("09:00"))
    numbers = [issue(hall, clock, "BB") for _ in range(4)]
    sid = open_counter(hall, clock, 2, "S001")
    assert [serve_next(hall, clock, 2, sid) for _ in range(4)] == numbers


def test_a_priority_given_at_the_kiosk_puts_the_customer_in_the_higher_tier(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clock.advance(minutes=1)
    issue(hall, clock, "BB", priority=1)  # a high-value customer recognised at the kiosk
    sid = open_counter(hall, clock, 1, "S001")
    assert [serve_next(hall, clock, 1, sid) for _ in range(2)] == ["A002", "A001"]
