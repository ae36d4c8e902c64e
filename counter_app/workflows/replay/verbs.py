"""What each verb of a scenario does: the workflow the windows call for it, with the same arguments.

A counter action is done by whoever is logged in at that counter; a ticket is named by its number or
by the name an earlier take_ticket gave it; a help request by its ticket; an order by its reference
or by the customer at the counter. Documents are archived by workflows.documents like any other, and
recorded as printed (or, for an apology notice, declined) as the scenario says.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from counter_app.clock import VirtualClock
from counter_app.errors import AppError
from counter_app.i18n import N_, current_language
from counter_app.models import (
    BranchSettings,
    Counter,
    FeedbackChannel,
    PrintStatus,
    Staff,
    Ticket,
    TicketState,
)
from counter_app.models.oversight import Alert, Escalation, ExceptionApproval
from counter_app.workflows.core import lookup
from counter_app.workflows.core.masking import mask_ref
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import alerts, approvals, escalation, explain
from counter_app.workflows.paperwork import issuing, service_orders
from counter_app.workflows.queue import counters, priority
from counter_app.workflows.queue import tickets as queue
from counter_app.workflows.queue.board import display_board
from counter_app.workflows.replay import demo
from counter_app.workflows.replay.customer_verbs import CustomerDesk
from counter_app.workflows.replay.output import (
    REPORTS_DIR,
    RunRecord,
    board_text,
    day_page_name,
    iso,
    ticket_text,
)
from counter_app.workflows.replay.planning_verbs import PlanningDesk
from counter_app.workflows.replay.references import References
from counter_app.workflows.replay.scenario import Scenario, Step
from counter_app.workflows.reports import closing, feedback

Handler = Callable[[Session, Step], str | None]


class Verbs(References):
    """The verbs of one run: each takes the event's transaction and returns the result for the summary."""

    def __init__(self, scenario: Scenario, folder: Path, clock: VirtualClock, record: RunRecord) -> None:
        super().__init__(scenario, clock)
        self.folder = folder
        self.record = record
        on = self._on_counter
        self.handlers: dict[str, Handler] = {
            "login": self._login, "logout": on(counters.logout), "open_counter": on(counters.open_counter),
            "pause_counter": on(counters.pause_counter), "close_counter": on(counters.close_counter),
            "take_ticket": self._take_ticket, "give_priority": self._give_priority, "call_next": self._call_next,
            "call_ticket": self._call_ticket,
            "recall": on(queue.recall), "no_show": on(queue.no_show), "start": on(queue.start_service),
            "finish": on(queue.finish_service), "transfer": self._transfer, "park": on(queue.park),
            "resume": self._resume, "cancel": self._cancel, "snapshot": self._snapshot,
            "told_customer": self._told_customer, "open_customer": self._open_customer, "help": self._help,
            "accept": self._accept, "hand_up": self._hand_up, "resolve": self._resolve, "approve": self._approve,
            "cause": self._cause, "acknowledge": self._acknowledge,
            "order": self._order, "sign": self._sign, "receipt": self._receipt, "apology": self._apology,
            "feedback": self._feedback, "complaint": self._complaint, "close_day": self._close_day,
        }
        self.planning = PlanningDesk(clock)
        self.handlers.update(self.planning.handlers)
        self.handlers.update(CustomerDesk(clock).handlers)
        record.rushes = self.planning.rushes

    def apply(self, session: Session, step: Step) -> str | None:
        return self.handlers[step.verb](session, step)

    # -- the queue ---------------------------------------------------------------------------------

    def _on_counter(self, action: Callable[..., Any]) -> Handler:
        def run(session: Session, step: Step) -> str | None:
            number = step.fields["counter"]
            result = action(session, self.clock, counter_number=number, staff_id=self._staff_at(session, number))
            return getattr(result, "number", None)
        return run

    def _login(self, session: Session, step: Step) -> str | None:
        login = counters.login(session, self.clock, counter_number=step.fields["counter"],
                               staff_no=step.fields["staff"],
                               password=step.fields.get("password", demo.DEMO_PASSWORD))
        return login.staff_no

    def _take_ticket(self, session: Session, step: Step) -> str | None:
        issued = queue.issue_ticket(session, self.clock, service_code=step.fields["service"],
                                    customer_ref=step.fields.get("customer"), priority=step.fields.get("priority"),
                                    vip_ref=step.fields.get("vip"))
        self._expect(step, issued.number)
        if "as" in step.fields:
            self.names[step.fields["as"]] = issued.number
        language = self._language_of(None, step)
        self.languages[issued.number] = language
        self._printed(session, issuing.issue_ticket_document(session, self.clock, ticket_id=issued.ticket_id,
                                                               language=language), None)
        settings = session.get(BranchSettings, 1)
        tickets = self.folder / "tickets"
        tickets.mkdir(exist_ok=True)
        (tickets / f"{issued.number}.txt").write_text(
            ticket_text(issued, {"zh": settings.name_zh, "en": settings.name_en}), encoding="utf-8")
        return issued.number

    def _call_next(self, session: Session, step: Step) -> str | None:
        number = step.fields["counter"]
        change = queue.call_next(session, self.clock, counter_number=number,
                                 staff_id=self._staff_at(session, number))
        self._expect(step, change.number)
        return change.number

    def _give_priority(self, session: Session, step: Step) -> str | None:
        number = step.fields["counter"]
        ticket = self._ticket(session, step.fields["ticket"])
        return priority.give_priority(session, self.clock, ticket_id=ticket.id, staff_id=self._staff_at(session, number),
                                      reason=step.fields["reason"]).number

    def _call_ticket(self, session: Session, step: Step) -> str | None:
        number = step.fields["counter"]
        ticket = self._ticket(session, step.fields["ticket"])
        return queue.call_ticket(session, self.clock, counter_number=number,
                                 staff_id=self._staff_at(session, number), ticket_id=ticket.id).number

    def _transfer(self, session: Session, step: Step) -> str | None:
        number = step.fields["counter"]
        return queue.transfer(session, self.clock, counter_number=number, staff_id=self._staff_at(session, number),
                              service_code=step.fields["service"]).number

    def _resume(self, session: Session, step: Step) -> str | None:
        number = step.fields["counter"]
        ticket = self._ticket(session, step.fields["ticket"])
        return queue.resume(session, self.clock, counter_number=number,
                            staff_id=self._staff_at(session, number), ticket_id=ticket.id).number

    def _cancel(self, session: Session, step: Step) -> str | None:
        ticket = self._ticket(session, step.fields["ticket"])
        return queue.cancel(session, self.clock, ticket_id=ticket.id,
                            staff_id=self._staff_no(session, step.fields["staff"])).number

    def _snapshot(self, session: Session, step: Step) -> str | None:
        name = f"display-{step.at:%H%M}"
        taken = sum(1 for s in self.record.snapshots if s == name)
        self.record.snapshots.append(name)
        filename = f"{name}.txt" if not taken else f"{name}-{taken + 1}.txt"
        (self.folder / filename).write_text(board_text(display_board(session, self.clock)), encoding="utf-8")
        return filename

    # -- timing, help and approvals (issue 3) ----------------------------------------------------

    def _told_customer(self, session: Session, step: Step) -> str | None:
        number = step.fields["counter"]
        return explain.told_customer(session, self.clock, counter_number=number,
                                     staff_id=self._staff_at(session, number)).number

    def _open_customer(self, session: Session, step: Step) -> str | None:
        number = step.fields["counter"]
        staff_id = self._staff_at(session, number)
        card = records.open_customer(session, self.clock, counter_number=number, staff_id=staff_id,
                                       ref=step.fields["customer"])
        ticket = lookup.current_ticket(session, lookup.counter_by_number(session, number).id)
        shown = []
        for seen in card.exceptions:
            approval = session.get(ExceptionApproval, seen.approval_id)
            shown.append({"approval": seen.approval_id, "kind": seen.kind, "reason": seen.reason,
                          "explanation": seen.customer_explanation, "remedy": seen.remedy or None,
                          "amount": seen.amount or None, "approved_at": iso(seen.approved_at),
                          "approved_by": session.get(Staff, approval.approved_by).staff_no})
        ref = card.account_no or card.phone
        self.record.customers_opened.append({
            "line": step.line, "at": iso(self.clock.now()), "counter": number,
            "staff": session.get(Staff, staff_id).staff_no, "ticket": ticket.number if ticket else None,
            "customer": mask_ref(ref), "visits": card.visits, "exceptions_shown": shown,
        })
        return mask_ref(ref)

    def _help(self, session: Session, step: Step) -> str | None:
        number = step.fields["counter"]
        return escalation.request_help(session, self.clock, counter_number=number,
                                       staff_id=self._staff_at(session, number), route=step.fields["route"],
                                       reason=step.fields.get("reason", "")).number

    def _accept(self, session: Session, step: Step) -> str | None:
        staff_id = self._staff_of(session, step)
        found = self._open_escalation(session, step.fields["ticket"])
        escalation.accept(session, self.clock, escalation_id=found.id, staff_id=staff_id)
        return session.get(Staff, staff_id).staff_no

    def _hand_up(self, session: Session, step: Step) -> str | None:
        staff_id = self._staff_no(session, step.fields["staff"])
        found = self._open_escalation(session, step.fields["ticket"])
        escalation.hand_up(session, self.clock, escalation_id=found.id, staff_id=staff_id,
                           note=step.fields.get("note", ""))
        return str(found.state)

    def _resolve(self, session: Session, step: Step) -> str | None:
        staff_id = self._staff_no(session, step.fields["staff"])
        found = self._open_escalation(session, step.fields["ticket"])
        escalation.resolve(session, self.clock, escalation_id=found.id, staff_id=staff_id,
                           note=step.fields["note"], explanation=step.fields["explanation"])
        return str(found.state)

    def _approve(self, session: Session, step: Step) -> str | None:
        ticket = self._ticket(session, step.fields["ticket"])
        open_request = escalation.open_for_ticket(session, ticket.id)
        approval = approvals.approve_exception(
            session, self.clock, manager_staff_no=step.fields["manager"],
            manager_password=step.fields.get("password", demo.DEMO_PASSWORD),
            requested_by=self._requester(session, ticket, open_request), kind=step.fields["kind"],
            reason=step.fields["reason"], customer_explanation=step.fields["explanation"],
            customer_ref=step.fields.get("customer"), ticket_id=ticket.id,
            escalation_id=open_request.id if open_request else None,
            remedy=step.fields.get("remedy", ""), amount=step.fields.get("amount", ""))
        return session.get(Staff, approval.approved_by).staff_no

    @staticmethod
    def _requester(session: Session, ticket: Ticket, open_request: Escalation | None) -> int:
        """Who asked for the exception: the clerk serving the customer, or whoever asked for help."""
        if ticket.state in (TicketState.CALLED, TicketState.SERVING, TicketState.PARKED) and ticket.counter_id:
            counter = session.get(Counter, ticket.counter_id)
            if counter.staff_id is not None:
                return counter.staff_id
        if open_request is not None and open_request.requested_by is not None:
            return open_request.requested_by
        raise AppError(N_("Nobody is serving {ticket} or asking for help with it: "
                          "there is no request to approve."), ticket=ticket.number)

    def _cause(self, session: Session, step: Step) -> str | None:
        ticket = self._ticket(session, step.fields["ticket"])
        if "staff" in step.fields:
            staff_id = self._staff_no(session, step.fields["staff"])
        elif ticket.staff_id is not None:
            staff_id = ticket.staff_id  # the clerk who served the customer
        else:
            raise AppError(N_("Nobody served {ticket}: say who records the cause."), ticket=ticket.number)
        return explain.record_breach_cause(session, self.clock, ticket_id=ticket.id, staff_id=staff_id,
                                           cause=step.fields["cause"], note=step.fields.get("note", "")).number

    def _acknowledge(self, session: Session, step: Step) -> str | None:
        staff_id = self._staff_no(session, step.fields["staff"])
        kind = step.fields["alert_kind"]
        query = select(Alert).where(Alert.kind == kind, Alert.acknowledged_at.is_(None))
        if "counter" in step.fields:
            query = query.where(Alert.counter_id == lookup.counter_by_number(session, step.fields["counter"]).id)
        if "service" in step.fields:
            query = query.where(Alert.service_id == lookup.service_by_code(session, step.fields["service"]).id)
        if "ticket" in step.fields:
            number = self._number(step.fields["ticket"])
            query = query.where(Alert.ticket_id.in_(select(Ticket.id).where(
                Ticket.number == number, Ticket.business_date == self.scenario.day)))
        # The alert still open first, else the latest one nobody acknowledged.
        found = session.exec(query.order_by(Alert.resolved_at.is_not(None), Alert.raised_at.desc(),
                                            Alert.id.desc())).all()
        if "order" in step.fields:  # an overdue review: by its order's number (and department) in the alert's data
            wanted = {"order": step.fields["order"], **({"department": step.fields["department"]}
                                                       if "department" in step.fields else {})}
            found = [a for a in found if wanted.items() <= json.loads(a.data or "{}").items()]
        alert = found[0] if found else None
        if alert is None:
            raise AppError(N_("There is no {kind} alert there waiting to be acknowledged."), kind=kind)
        alerts.acknowledge(session, self.clock, alert_id=alert.id, staff_id=staff_id)
        return str(alert.id)

    # -- documents (issue 4) ---------------------------------------------------------------------

    def _order(self, session: Session, step: Step) -> str | None:
        """The clerk enters the business; the acceptance form is made and printed for the customer to read."""
        f = step.fields
        number = f["counter"]
        staff_id = self._staff_at(session, number)
        ticket = lookup.current_ticket(session, lookup.counter_by_number(session, number).id)
        created = service_orders.create_service_order(
            session, self.clock, counter_number=number, staff_id=staff_id, product=f["product"],
            effective_from=dt.date.fromisoformat(f["effective_from"]), items=f["items"],
            payment_method=f["payment_method"], term_months=f.get("term_months"),
            customer_name=f.get("customer_name", ""), customer_phone=f.get("customer_phone", ""),
            language=self._language_of(ticket.number if ticket else None, step))
        self._printed(session, issuing.issue_acceptance_form(session, self.clock, order_id=created.order_id,
                                                               staff_id=staff_id), staff_id)
        return created.reference

    def _sign(self, session: Session, step: Step) -> str | None:
        order, staff_id = self._order_of(session, step)
        service_orders.sign_order(session, self.clock, order_id=order.id, staff_id=staff_id)
        return order.reference

    def _receipt(self, session: Session, step: Step) -> str | None:
        order, staff_id = self._order_of(session, step)
        issued = issuing.issue_receipt(session, self.clock, order_id=order.id, staff_id=staff_id,
                                         a4=step.fields.get("a4", False))
        return self._printed(session, issued, staff_id)

    def _apology(self, session: Session, step: Step) -> str | None:
        """The notice the counter offers when a target broke or help was needed (F8): printed or declined."""
        ticket = self._ticket(session, step.fields["ticket"])
        if issuing.apology_due(session, self.clock, ticket_id=ticket.id) is None:
            raise AppError(N_("{ticket} kept to its targets and nobody was asked for help: no apology notice "
                              "is due."), ticket=ticket.number)
        if "staff" in step.fields:
            staff_id = self._staff_no(session, step.fields["staff"])
        elif ticket.staff_id is not None:
            staff_id = ticket.staff_id  # the clerk who served the customer
        else:
            raise AppError(N_("Nobody served {ticket}: say who hands out the notice."), ticket=ticket.number)
        issued = issuing.issue_apology(session, self.clock, ticket_id=ticket.id, staff_id=staff_id,
                                         language=self._language_of(ticket.number, step))
        status = PrintStatus.DECLINED if step.fields.get("decline", False) else PrintStatus.PRINTED
        return self._printed(session, issued, staff_id, status)

    # -- feedback (issue 5) ------------------------------------------------------------------------

    def _feedback(self, session: Session, step: Step) -> str | None:
        """The customer rates the visit: on the feedback screen by default, or by a reference on paper."""
        f = step.fields
        by_reference = "reference" in f
        channel = f.get("channel") or (FeedbackChannel.NOTICE_REFERENCE if by_reference
                                       else FeedbackChannel.FEEDBACK_WINDOW)
        return feedback.record_feedback(
            session, self.clock, rating=f["rating"], channel=channel, reference=f.get("reference"),
            ticket_id=None if by_reference else self._ticket(session, f["ticket"]).id,
            reason=f.get("reason", ""), comment=f.get("comment", ""),
            recorded_by=self._staff_no(session, f["staff"]) if "staff" in f else None).number

    def _complaint(self, session: Session, step: Step) -> str | None:
        f = step.fields
        return feedback.record_complaint(
            session, self.clock, staff_id=self._staff_no(session, f["staff"]), cause=f["cause"],
            comment=f["comment"], ticket_id=self._ticket(session, f["ticket"]).id).number

    # -- the end of the day ------------------------------------------------------------------------

    def _close_day(self, session: Session, step: Step) -> str | None:
        """The duty manager closes the day as the end-of-day window does (closing.close_day): the day_closed
        event, the breach tallies, and the page printing the event log's anchor, saved under reports/."""
        staff_id = self._staff_no(session, step.fields["staff"])
        name = day_page_name(self.scenario.day, len(self.record.closings))
        closed = closing.close_day(session, self.clock, day=self.scenario.day, staff_id=staff_id,
                                   path=self.folder / REPORTS_DIR / name, language=current_language())
        self.record.closings.append({
            "line": step.line, "at": iso(self.clock.now()), "staff": step.fields["staff"],
            "page": f"{REPORTS_DIR}/{name}", "anchor": closed.head.anchor})
        return closed.head.anchor
