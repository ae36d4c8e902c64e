"""A customer's visit off the straight path: transfers, no-shows, parking, cancelling."""

from helpers.fixtures import at, open_counter
from helpers.story import act, issue, refused, ticket
from sqlmodel import select

from counter_app.models import BranchSettings, Outcome, Ticket, TicketState
from counter_app.workflows.queue import counters, tickets

# -- transfer ----------------------------------------------------------------------------------


def test_a_transferred_customer_keeps_their_place_and_number(hall, clock):
    clock.set(at("09:00"))
    broadband = issue(hall, clock, "BB")
    clock.set(at("09:05"))
    later_bill = issue(hall, clock, "BILL")
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("09:15"))
    change = act(hall, clock, tickets.transfer, counter_number=1, staff_id=clerk, service_code="BILL")

    old = ticket(hall, broadband.ticket_id)
    assert (old.state, old.outcome, old.finished_at) == (TicketState.DONE, Outcome.TRANSFERRED, at("09:15"))
    leg = ticket(hall, change.ticket_id)
    assert leg.number == "A001" and leg.state == TicketState.WAITING
    assert leg.transferred_from_id == old.id and leg.origin_id == old.id
    assert leg.queue_at == at("09:00") and leg.issued_at == at("09:15")

    # The bill-payment counter calls the transferred customer before the later bill ticket.
    cashier = open_counter(hall, clock, 4, "S004")
    called = act(hall, clock, tickets.call_next, counter_number=4, staff_id=cashier)
    assert (called.ticket_id, called.number) == (leg.id, "A001")
    act(hall, clock, tickets.start_service, counter_number=4, staff_id=cashier)
    act(hall, clock, tickets.finish_service, counter_number=4, staff_id=cashier)
    called = act(hall, clock, tickets.call_next, counter_number=4, staff_id=cashier)
    assert called.ticket_id == later_bill.ticket_id


def test_a_transfer_to_the_same_service_is_refused(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    assert "A001 is already in the queue" in refused(hall, clock, tickets.transfer, counter_number=1,
                                                     staff_id=clerk, service_code="BB")
    assert ticket(hall, issued.ticket_id).state == TicketState.CALLED
    with hall.read() as session:
        assert len(session.exec(select(Ticket)).all()) == 1


# -- no-show -----------------------------------------------------------------------------------


def test_a_no_show_needs_the_recalls_first(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    message = refused(hall, clock, tickets.no_show, counter_number=1, staff_id=clerk)
    assert "Recall A001 1 time(s)" in message
    assert ticket(hall, issued.ticket_id).state == TicketState.CALLED

    clock.set(at("09:02"))
    act(hall, clock, tickets.recall, counter_number=1, staff_id=clerk)
    recalled = ticket(hall, issued.ticket_id)
    assert recalled.recall_count == 1
    assert recalled.called_at == at("09:02") and recalled.first_called_at == at("09:00")
    clock.set(at("09:04"))
    act(hall, clock, tickets.no_show, counter_number=1, staff_id=clerk)
    gone = ticket(hall, issued.ticket_id)
    assert (gone.state, gone.outcome, gone.finished_at) == (TicketState.DONE, Outcome.NO_SHOW, at("09:04"))


def test_the_branch_decides_how_many_recalls_come_before_a_no_show(hall, clock):
    with hall.write() as session:
        settings = session.get(BranchSettings, 1)
        settings.recalls_before_no_show = 2
        session.add(settings)
    clock.set(at("09:00"))
    issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.recall, counter_number=1, staff_id=clerk)
    assert "(recalled 1)" in refused(hall, clock, tickets.no_show, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.recall, counter_number=1, staff_id=clerk)
    assert act(hall, clock, tickets.no_show, counter_number=1, staff_id=clerk).kind == "ticket_no_show"


def test_a_customer_being_served_cannot_be_a_no_show(hall, clock):
    clock.set(at("09:00"))
    issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    assert refused(hall, clock, tickets.recall, counter_number=1, staff_id=clerk) == "A001 is already being served."
    assert refused(hall, clock, tickets.no_show, counter_number=1, staff_id=clerk) == "A001 is already being served."


# -- park and resume ---------------------------------------------------------------------------


def test_parking_frees_the_counter_and_resume_brings_the_customer_back(hall, clock):
    clock.set(at("09:00"))
    fetching = issue(hall, clock)
    quick = issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.set(at("09:05"))
    act(hall, clock, tickets.park, counter_number=1, staff_id=clerk)  # the customer fetches their ID card
    assert ticket(hall, fetching.ticket_id).state == TicketState.PARKED

    called = act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    assert called.ticket_id == quick.ticket_id
    # A counter with a customer cannot take back the parked one.
    assert "still has A002" in refused(hall, clock, tickets.resume, counter_number=1, staff_id=clerk,
                                       ticket_id=fetching.ticket_id)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)

    clock.set(at("09:12"))
    act(hall, clock, tickets.resume, counter_number=1, staff_id=clerk, ticket_id=fetching.ticket_id)
    back = ticket(hall, fetching.ticket_id)
    assert back.state == TicketState.SERVING  # the service had started before parking
    assert back.parked_at is None and back.started_at == at("09:00")
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    assert ticket(hall, fetching.ticket_id).outcome == Outcome.SERVED


def test_a_customer_parked_before_service_comes_back_as_called(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.park, counter_number=1, staff_id=clerk)
    clock.set(at("09:03"))
    act(hall, clock, tickets.resume, counter_number=1, staff_id=clerk, ticket_id=issued.ticket_id)
    back = ticket(hall, issued.ticket_id)
    assert back.state == TicketState.CALLED and back.called_at == at("09:03")


def test_a_parked_customer_cannot_be_resumed_at_another_counter(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    other = open_counter(hall, clock, 2, "S004")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.park, counter_number=1, staff_id=clerk)
    message = refused(hall, clock, tickets.resume, counter_number=2, staff_id=other, ticket_id=issued.ticket_id)
    assert message == "A001 was parked at another counter."
    assert ticket(hall, issued.ticket_id).state == TicketState.PARKED
    assert refused(hall, clock, tickets.resume, counter_number=1, staff_id=clerk,
                   ticket_id=issued.ticket_id + 99) == "That ticket is not parked."


def test_a_counter_with_a_parked_customer_cannot_close(hall, clock):
    clock.set(at("09:00"))
    issued = issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.park, counter_number=1, staff_id=clerk)
    assert "parked customers (A001)" in refused(hall, clock, counters.close_counter, counter_number=1,
                                                staff_id=clerk)
    assert "parked customers (A001)" in refused(hall, clock, counters.logout, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.resume, counter_number=1, staff_id=clerk, ticket_id=issued.ticket_id)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    assert act(hall, clock, counters.close_counter, counter_number=1, staff_id=clerk).kind == "counter_closed"


# -- cancel ------------------------------------------------------------------------------------


def test_a_waiting_customer_can_drop_their_ticket(hall, clock):
    clock.set(at("09:00"))
    leaving = issue(hall, clock)
    staying = issue(hall, clock)
    clerk = open_counter(hall, clock, 1, "S001")
    clock.set(at("09:20"))
    act(hall, clock, tickets.cancel, ticket_id=leaving.ticket_id, staff_id=clerk)
    gone = ticket(hall, leaving.ticket_id)
    assert (gone.state, gone.outcome, gone.finished_at) == (TicketState.DONE, Outcome.CANCELLED, at("09:20"))
    assert act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk).ticket_id == staying.ticket_id
    for ticket_id in (leaving.ticket_id, staying.ticket_id):
        assert refused(hall, clock, tickets.cancel, ticket_id=ticket_id,
                       staff_id=clerk) == "Only a waiting ticket can be cancelled."
