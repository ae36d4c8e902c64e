"""A first story: an early ticket, a counter opens, the ticket is called and served."""

from helpers.fixtures import at, open_counter

from counter_app.workflows.queue import tickets


def test_early_ticket_is_called_and_served(hall, clock):
    clock.set(at("08:57"))
    with hall.write() as s:
        ticket = tickets.issue_ticket(s, clock, service_code="BB")
    assert ticket.number == "A001"
    assert ticket.early and ticket.opens_at == at("09:00")
    sid = open_counter(hall, clock, 1, "S002")
    clock.set(at("09:05"))
    with hall.write() as s:
        change = tickets.call_next(s, clock, counter_number=1, staff_id=sid)
    assert change.number == "A001" and change.counter_number == 1
    with hall.write() as s:
        tickets.start_service(s, clock, counter_number=1, staff_id=sid)
    clock.set(at("09:33"))
    with hall.write() as s:
        done = tickets.finish_service(s, clock, counter_number=1, staff_id=sid)
    assert done.kind == "service_finished"
