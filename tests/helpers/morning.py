"""The seed's morning (CASE_STUDY.md §1) up to 09:30, for the document tests of the workflows and the windows.

    08:57  A001 (broadband) taken                       09:06  the trainee 李明 (S002) opens counter 1, calls it
    09:07  service starts; 09:08 the customer is opened by phone (Wang Jianguo)
    09:12  李明 asks his mentor 张伟 (S003, counter 3) for help; 09:13 accepted; 09:20 handed up
    09:22  the duty manager 陈刚 (M001) signs in and accepts; 09:28 approves the 2010 arrears as settled
    09:29  陈刚 resolves the request with an explanation for the customer
    09:30  李明 enters the renewal (unless `order=False`); the service is still running (26 min by 09:33)
"""

from __future__ import annotations

from sqlmodel import select

from counter_app.clock import VirtualClock
from counter_app.models import Escalation
from counter_app.models.db import Store
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import approvals, duty, escalation
from counter_app.workflows.paperwork import service_orders
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo
from helpers.fixtures import DAY, at, open_counter

EXPLANATION = ("Your account carried an unpaid fee from 2010. It had been settled by a duty manager at the "
               "time, but the record did not say so.")
APPROVED = "The 2010 arrears flag was checked, found settled at the time, and cleared."
REMEDY = "One extra month of broadband, added to this renewal."


def act_at(store: Store, clock: VirtualClock, hhmm: str, action, **kw):
    """Set the clock to hh:mm on the test day and run one workflow action as its own transaction."""
    clock.set(at(hhmm))
    with store.write() as session:
        return action(session, clock, **kw)


def seed_morning(store: Store, clock: VirtualClock, *, language: str = "en", order: bool = True) -> dict:
    """Play the morning; returns the ticket, the people (staff ids; the manager's sign-in as `manager_login`),
    the help request and the order."""
    act = act_at
    ticket = act(store, clock, "08:57", tickets.issue_ticket, service_code="BB")
    clock.set(at("09:06"))
    trainee = open_counter(store, clock, 1, "S002")
    act(store, clock, "09:06", tickets.call_next, counter_number=1, staff_id=trainee)
    act(store, clock, "09:07", tickets.start_service, counter_number=1, staff_id=trainee)
    act(store, clock, "09:08", records.open_customer, counter_number=1, staff_id=trainee, ref="0571-8800123",
        name="Wang Jianguo")
    act(store, clock, "09:12", escalation.request_help, counter_number=1, staff_id=trainee, route="mentor",
        reason="An unpaid 2010 fee blocks the renewal")
    with store.read() as session:
        help_id = session.exec(select(Escalation.id)).one()
    clock.set(at("09:12"))
    senior = open_counter(store, clock, 3, "S003")
    act(store, clock, "09:13", escalation.accept, escalation_id=help_id, staff_id=senior)
    act(store, clock, "09:20", escalation.hand_up, escalation_id=help_id, staff_id=senior, note="cannot clear it")
    manager = act(store, clock, "09:22", duty.manager_sign_in, staff_no="M001", password=demo.DEMO_PASSWORD)
    act(store, clock, "09:22", escalation.accept, escalation_id=help_id, staff_id=manager.staff_id)
    act(store, clock, "09:28", approvals.approve_exception, manager_staff_no="M001",
        manager_password=demo.DEMO_PASSWORD, requested_by=trainee, kind="arrears_settled",
        reason="Settled by the duty manager in 2010; the flag was never cleared", customer_explanation=APPROVED,
        ticket_id=ticket.ticket_id, escalation_id=help_id, remedy=REMEDY)
    act(store, clock, "09:29", escalation.resolve, escalation_id=help_id, staff_id=manager.staff_id,
        note="Arrears flag cleared after checking the 2010 records", explanation=EXPLANATION)
    seed = {"ticket_id": ticket.ticket_id, "trainee": trainee, "senior": senior, "manager": manager.staff_id,
            "manager_login": manager, "escalation_id": help_id, "order_id": None, "order_reference": None}
    if order:
        made = act(store, clock, "09:30", service_orders.create_service_order, counter_number=1, staff_id=trainee,
                   product="Broadband 100M", effective_from=DAY, term_months=12,
                   items=[{"description": "Broadband 100M, 12-month renewal", "amount": "1200.00", "quantity": 1}],
                   payment_method="wechat_pay", customer_phone="13812341234",
                   customer_id_number="110101198001011234", language=language)
        seed.update(order_id=made.order_id, order_reference=made.reference)
    return seed
