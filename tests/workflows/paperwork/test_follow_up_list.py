"""The printable follow-up list: the customers at risk, a phone in full only for those who agreed to be called."""

from helpers.fixtures import at
from helpers.pdf_checks import squeezed
from helpers.story import issue
from sqlmodel import select

from counter_app.clock import VirtualClock
from counter_app.models import Feedback, FeedbackChannel, Ticket
from counter_app.workflows.customers import records
from counter_app.workflows.paperwork.render import follow_up

AGREED, REFUSED = "13800138000", "13900139000"


def complained(hall, clock, phone: str, name: str, *, consent: bool) -> int:
    """A customer took a ticket, and complained about the visit: at risk (docs/customers.md)."""
    ticket_id = issue(hall, clock, "BB").ticket_id
    with hall.write() as session:
        customer = records.find_or_create(session, clock.now(), phone, name)
        customer.consent_contact = consent
        ticket = session.get(Ticket, ticket_id)
        ticket.customer_id = customer.id
        session.add_all([customer, ticket, Feedback(ticket_id=ticket_id, rating=1, is_complaint=True,
                                                    channel=FeedbackChannel.CLERK_RECORDED, created_at=clock.now())])
        return customer.id


def test_the_list_shows_a_phone_in_full_only_with_consent(hall, clock: VirtualClock):
    clock.set(at("09:10"))
    complained(hall, clock, AGREED, "王小明", consent=True)
    complained(hall, clock, REFUSED, "李华", consent=False)
    clock.set(at("17:00"))
    with hall.read() as session:
        data = follow_up.follow_up_list(session, clock, language="en", branch_name="Hall")
    by_name = {e.name: e for e in data.entries}
    assert set(by_name) == {"王**", "李*"}  # names always masked
    assert (by_name["王**"].phone, by_name["王**"].consent) == (AGREED, True)
    assert (by_name["李*"].phone, by_name["李*"].consent) == ("139****9000", False)
    assert follow_up.reason_text(by_name["李*"], "en") == "1 complaint(s)"

    pdf = squeezed(follow_up.render_follow_up_list(data, language="en"))
    assert AGREED in pdf and REFUSED not in pdf
    assert "139****9000(noconsent)" in pdf and "王小明" not in pdf


def test_an_empty_list_says_nobody_is_to_be_called(hall, clock):
    clock.set(at("09:10"))
    with hall.read() as session:
        data = follow_up.follow_up_list(session, clock, language="zh_CN")
        assert session.exec(select(Ticket)).all() == []
    assert data.entries == ()
    assert follow_up.render_follow_up_list(data, language="zh_CN").startswith(b"%PDF")
