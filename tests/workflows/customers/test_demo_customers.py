"""`--demo` comes with the default segment rules and a few known customers, so the kiosk's VIP button and the
duty manager's loyalty view can be tried at once; tests and scenarios start without them."""

from sqlmodel import select

from counter_app.models import Customer
from counter_app.workflows.core import audit
from counter_app.workflows.customers import segments
from counter_app.workflows.replay import demo


def test_the_demo_knows_a_vip_by_phone_and_its_rules_are_on_record(store, clock):
    with store.write() as session:
        assert demo.seed_demo(session, at=clock.now(), planning=True)
    with store.read() as session:
        customer, tier, segment = segments.recognise(session, "13800138000")
        assert (customer.name, tier, segment) == ("周海波", 3, "vip")
        assert segments.recognise(session, "13600136000")[1:] == (0, "standard")
        assert audit.verify(session).ok
    with store.write() as session:  # a second start adds nothing
        assert not demo.seed_customers_demo(session, at=clock.now())


def test_a_test_hall_has_no_customers(hall):
    with hall.read() as session:
        assert session.exec(select(Customer.id)).first() is None
