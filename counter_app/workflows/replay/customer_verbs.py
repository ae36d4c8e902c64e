"""What the customer verbs do in a replay: the branch's known customers, through the workflows the administrator's
window calls (docs/scenarios.md, "Customers").

`segment_rules` installs the default segment rules; `customer` records one known customer as one row of an import
would (every check is the import's); a known customer then takes a ticket with `take_ticket` … `vip` (the kiosk
recognises the card or mobile in the ticket's own transaction: queue/tickets.py `issue_ticket`, `vip_ref`), is
looked up at a counter with `open_customer`, and comes back another day (an event's `day`).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from counter_app.clock import VirtualClock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Staff
from counter_app.workflows.customers import importing, records, segments
from counter_app.workflows.replay.scenario import Step

Handler = Callable[[Session, Step], str | None]
# The `customer` verb's fields, as the import's columns (workflows/customers/importing.py).
COLUMNS = ("account", "name", "phones", "id_number", "monthly_spend", "customer_since", "need", "language",
           "consent_contact", "consent_marketing", "notes")


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class CustomerDesk:
    """The customer verbs of one run."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.handlers: dict[str, Handler] = {"segment_rules": self._segment_rules, "customer": self._customer}

    @staticmethod
    def _staff(session: Session, step: Step) -> int:
        staff = session.exec(select(Staff).where(Staff.staff_no == step.fields["staff"])).first()
        if staff is None:
            raise AppError(N_("Unknown staff number {staff}."), staff=step.fields["staff"])
        return staff.id

    def _segment_rules(self, session: Session, step: Step) -> str | None:
        saved = segments.install_default_rules(session, self.clock, staff_id=self._staff(session, step))
        return str(saved.rules)

    def _customer(self, session: Session, step: Step) -> str | None:
        """One known customer, as one row of an import; the result is the segment the rules gave them."""
        columns = [name for name in COLUMNS if name in step.fields]
        row = [_cell(step.fields[name]) for name in columns]
        result = importing.import_rows(session, self.clock, rows=[(0, columns), (step.line, row)],
                                       staff_id=self._staff(session, step), source="scenario")
        if result.problems:
            raise AppError(N_("The customer cannot be recorded: {problem}"), problem=result.problems[0].reason)
        customer = records.find(session, step.fields["account"])
        return customer.segment if customer is not None else None
