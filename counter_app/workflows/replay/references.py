"""How a scenario names things — a ticket by its number or an earlier `as` name, a help request by its
ticket, an order by its reference or the customer at the counter, a clerk by staff number or counter —
and finding them in the run's store with a clear refusal when absent."""

from __future__ import annotations

from sqlmodel import Session, select

from counter_app.clock import VirtualClock
from counter_app.errors import AppError
from counter_app.i18n import N_, current_language
from counter_app.models import PrintStatus, ServiceOrder, Staff, Ticket
from counter_app.models.oversight import Escalation
from counter_app.workflows.core import lookup
from counter_app.workflows.oversight import escalation
from counter_app.workflows.paperwork import contents, issuing, service_orders
from counter_app.workflows.replay.scenario import Scenario, ScenarioError, Step
from counter_app.workflows.replay.vocabulary import TICKET_NUMBER


class References:
    """The names a run has given so far, and the look-ups every verb shares."""

    def __init__(self, scenario: Scenario, clock: VirtualClock) -> None:
        self.scenario = scenario
        self.clock = clock
        self.names: dict[str, str] = {}  # "as" name → ticket number
        self.languages: dict[str, str] = {}  # ticket number → the language the customer chose at the kiosk

    def _number(self, ref: str) -> str:
        return ref if TICKET_NUMBER.match(ref) else self.names[ref]

    def _ticket(self, session: Session, ref: str) -> Ticket:
        """The latest leg of a ticket number today (a transfer adds a leg with the same number)."""
        number = self._number(ref)
        ticket = session.exec(
            select(Ticket).where(Ticket.number == number, Ticket.business_date == self.scenario.day)
            .order_by(Ticket.id.desc())
        ).first()
        if ticket is None:
            raise AppError(N_("There is no ticket {ticket} today."), ticket=number)
        return ticket

    @staticmethod
    def _staff_at(session: Session, number: int) -> int:
        counter = lookup.counter_by_number(session, number)
        if counter.staff_id is None:
            raise AppError(N_("Nobody is logged in at counter {number}."), number=number)
        return counter.staff_id

    @staticmethod
    def _staff_no(session: Session, staff_no: str) -> int:
        staff = session.exec(select(Staff).where(Staff.staff_no == staff_no)).first()
        if staff is None:
            raise AppError(N_("Unknown staff number {staff}."), staff=staff_no)
        return staff.id

    def _staff_of(self, session: Session, step: Step) -> int:
        """Who acts: the staff number given, or whoever is logged in at the counter given."""
        if "staff" in step.fields:
            return self._staff_no(session, step.fields["staff"])
        return self._staff_at(session, step.fields["counter"])

    def _open_escalation(self, session: Session, ref: str) -> Escalation:
        """A help request is referred to by its ticket: the one still open for any leg of that number."""
        number = self._number(ref)
        legs = session.exec(select(Ticket.id).where(Ticket.number == number,
                                                     Ticket.business_date == self.scenario.day)).all()
        found = session.exec(select(Escalation).where(Escalation.ticket_id.in_(legs),
                                                      Escalation.state != escalation.S.RESOLVED)
                             .order_by(Escalation.id.desc())).first()
        if found is None:
            raise AppError(N_("{ticket} has no open help request."), ticket=number)
        return found

    def _expect(self, step: Step, got: str | None) -> None:
        wanted = step.fields.get("expect")
        if wanted is not None and self._number(wanted) != got:
            raise ScenarioError(step.line, N_("expected {expected}, but got {actual}."),
                                expected=self._number(wanted), actual=got or "—")

    def _language_of(self, number: str | None, step: Step) -> str:
        """The documents' language: the event's, else the one the customer chose at the kiosk, else the app's."""
        return step.fields.get("language") or self.languages.get(number or "") or current_language()

    def _order_of(self, session: Session, step: Step) -> tuple[ServiceOrder, int]:
        """The order named by its reference (done by the clerk who entered it), or the latest order of the
        customer at the counter (done by whoever is logged in there)."""
        if "order" in step.fields:
            reference = step.fields["order"]
            order = session.exec(select(ServiceOrder).where(ServiceOrder.reference == reference)).first()
            if order is None:
                raise AppError(N_("There is no order {reference}."), reference=reference)
            return order, order.staff_id
        number = step.fields["counter"]
        staff_id = self._staff_at(session, number)
        ticket = lookup.current_ticket(session, lookup.counter_by_number(session, number).id)
        if ticket is None:
            raise AppError(N_("Counter {number} has no customer at the moment."), number=number)
        legs = [leg.id for leg in contents.visit_legs(session, ticket)]
        order = session.exec(select(ServiceOrder).where(ServiceOrder.ticket_id.in_(legs),
                                                        ServiceOrder.status != service_orders.S.CANCELLED)
                             .order_by(ServiceOrder.id.desc())).first()
        if order is None:
            raise AppError(N_("No order has been entered for {ticket}."), ticket=ticket.number)
        return order, staff_id

    def _printed(self, session: Session, issued: issuing.IssuedDoc, staff_id: int | None,
                 status: str = PrintStatus.PRINTED) -> str:
        issuing.record_print(session, self.clock, document_id=issued.document_id, status=status,
                               staff_id=staff_id)
        return issued.reference
