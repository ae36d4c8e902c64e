"""Replaying a scenario on a virtual clock against a fresh demo store, and writing what it produced.

The script is checked in full first (workflows.scenario); then every event runs as one transaction
through the same workflows the windows use. Between events the clock steps minute by minute and the
alerts are evaluated at each minute and right after each event, as the windows do every few seconds,
so an alert or an automatic escalation happens at the virtual minute it would in the hall. The output
folder appears only when the whole script ran: the work happens in a hidden folder next to it that is
renamed at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from counter_app.clock import VirtualClock
from counter_app.errors import AppError
from counter_app.i18n import N_, _, current_language, pick
from counter_app.models import (
    BranchSettings,
    Counter,
    CounterService,
    Event,
    Service,
    Staff,
    Ticket,
    TicketState,
)
from counter_app.models.db import Store, open_store
from counter_app.models.oversight import Alert, Customer, Escalation, EscalationStep, ExceptionApproval
from counter_app.workflows import (
    alerts,
    approvals,
    counters,
    customers,
    demo,
    escalation,
    explain,
    lookup,
    queue,
)
from counter_app.workflows.board import Board, display_board
from counter_app.workflows.hours import hours_on
from counter_app.workflows.scenario import TICKET_NUMBER, Scenario, ScenarioError, Step, load_scenario

STORE_FILE = "store.sqlite3"

COUNTER_STATES = {
    "closed": N_("closed"),
    "open": N_("open, free"),
    "paused": N_("paused"),
    "serving": N_("serving"),
}


# -- idle time: a pure function over the states seen after each event -----------------------------

@dataclass(frozen=True)
class CounterMoment:
    state: str  # closed / open / paused
    staffed: bool  # someone is logged in
    busy: bool  # a customer is called to it or being served


@dataclass(frozen=True)
class Moment:
    """The hall just after an event; nothing changes until the next one."""

    at: dt.datetime
    counters: Mapping[int, CounterMoment]
    waiting: frozenset[str]  # codes of the services someone waits for


def _overlap(start: dt.datetime, end: dt.datetime, window: tuple[dt.datetime, dt.datetime] | None) -> float:
    if window is None:
        return 0.0
    lo, hi = max(start, window[0]), min(end, window[1])
    return max(0.0, (hi - lo).total_seconds())


def idle_minutes(moments: Iterable[Moment], counter_services: Mapping[int, Iterable[str]],
                 hours: tuple[dt.datetime, dt.datetime] | None) -> dict[int, dict[str, float]]:
    """Per counter, minutes lost while customers of its services waited.

    idle: the counter was open with nobody at it. staffed_not_open: someone was logged in but the
    counter was closed or paused, during opening hours (the "we haven't started work yet" of the
    case study). Each moment lasts until the next one; the last lasts no time.
    """
    serves = {number: frozenset(codes) for number, codes in counter_services.items()}
    idle = dict.fromkeys(serves, 0.0)
    not_open = dict.fromkeys(serves, 0.0)
    ordered = sorted(moments, key=lambda m: m.at)
    for moment, following in zip(ordered, ordered[1:], strict=False):
        span = (following.at - moment.at).total_seconds()
        for number, seen in moment.counters.items():
            if not (serves.get(number, frozenset()) & moment.waiting):
                continue
            if seen.state == "open" and not seen.busy:
                idle[number] = idle.get(number, 0.0) + span
            elif seen.staffed and seen.state != "open" and not seen.busy:
                not_open[number] = not_open.get(number, 0.0) + _overlap(moment.at, following.at, hours)
    return {number: {"idle_minutes": round(idle[number] / 60, 1),
                     "staffed_not_open_minutes": round(not_open[number] / 60, 1)}
            for number in sorted(serves)}


# -- what the kiosk and the display show, as text ---------------------------------------------------

def _hm(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else "—"


def ticket_text(issued: queue.IssuedTicket, branch_names: Mapping[str, str]) -> str:
    """The ticket as the kiosk shows it (the same sentences as ui/kiosk.py)."""
    lines = [pick(branch_names), _("Your number"), issued.number, pick(issued.service_names)]
    if issued.ahead:
        lines.append(_("People ahead of you: {count}").format(count=issued.ahead))
    else:
        lines.append(_("Nobody is ahead of you."))
    lines.append(_("Issued at {time}").format(time=_hm(issued.issued_at)))
    if issued.early and issued.opens_at:
        lines.append(_("Serving starts at {opens}. Estimated call time: {call}.").format(
            opens=_hm(issued.opens_at), call=_hm(issued.expected_call_at)))
    else:
        lines.append(_("Estimated wait: about {minutes} min (call around {call})").format(
            minutes=issued.wait_minutes, call=_hm(issued.expected_call_at)))
    return "\n".join(lines) + "\n"


def board_text(board: Board) -> str:
    """The queue display's content at one moment."""
    hall = board.hall
    if hall.state == "open":
        status = _("Open until {time}").format(time=_hm(hall.closes_at))
    elif hall.state == "pre_open":
        status = _("Not open yet: serving starts at {time}").format(time=_hm(hall.opens_at))
    else:
        status = _("Closed")
    lines = [f"{pick(board.branch_names)}  {board.now:%Y-%m-%d %H:%M}", status, "", _("Counters")]
    for counter in board.counters:
        state = _(COUNTER_STATES.get(counter.state, counter.state))
        ticket = counter.ticket or "—"
        staff = f"  ({counter.staff_name})" if counter.staff_name else ""
        lines.append(_("Counter {number}: {ticket}  {state}{staff}").format(
            number=counter.number, ticket=ticket, state=state, staff=staff))
    lines += ["", _("Recently called")]
    lines += [_("{ticket} → counter {number} at {time}").format(ticket=call.number, number=call.counter_number,
                                                                 time=_hm(call.called_at))
              for call in board.recent] or ["—"]
    lines += ["", _("Waiting")]
    for service in board.services:
        lines.append(_("{service} ({prefix}): {count} waiting, estimated wait {minutes} min, "
                       "longest wait so far {oldest} min").format(
            service=pick(service.names), prefix=service.prefix, count=service.waiting,
            minutes=service.wait_minutes, oldest=service.oldest_wait_minutes))
    lines.append(_("Waiting in all: {count}").format(count=board.waiting_total))
    return "\n".join(lines) + "\n"


# -- running --------------------------------------------------------------------------------------

def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _minutes(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


def _ticket_row(t: Ticket, service: Service, numbers: Mapping[int, int], staff_nos: Mapping[int, str],
                end: dt.datetime) -> dict[str, Any]:
    """One ticket leg in the summary. Wait runs from issue to the (last) call, or to when the
    customer left or the replay ended; service from start to finish, or to the replay's end."""
    wait = _minutes(t.issued_at, t.called_at or t.finished_at or end)
    served = _minutes(t.started_at, t.finished_at or end) if t.started_at else None
    return {
        "number": t.number, "service": service.code, "customer": t.customer_ref, "early": t.early,
        "issued": _iso(t.issued_at), "called": _iso(t.called_at), "recalls": t.recall_count,
        "started": _iso(t.started_at), "finished": _iso(t.finished_at),
        "counter": numbers.get(t.counter_id), "staff": staff_nos.get(t.staff_id),
        "wait_minutes": wait, "service_minutes": served,
        "target_wait_minutes": service.target_wait_min,
        "target_service_minutes": service.target_service_min,
        "wait_breached": wait is not None and wait > service.target_wait_min,
        "service_breached": served is not None and served > service.target_service_min,
        "transferred": t.transferred_from_id is not None,
        "outcome": t.outcome or str(t.state),
        "customer_told_at": _iso(t.customer_told_at),
        "breach_cause": t.breach_cause,
        "breach_cause_note": t.breach_cause_note or None,
    }


def minutes_between(after: dt.datetime, before: dt.datetime) -> list[dt.datetime]:
    """The whole minutes strictly between two moments: when the alerts are looked at between two events."""
    minute = after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    found = []
    while minute < before:
        found.append(minute)
        minute += dt.timedelta(minutes=1)
    return found


class _Replay:
    """One run of a checked scenario in a work folder."""

    def __init__(self, scenario: Scenario, folder: Path) -> None:
        self.scenario = scenario
        self.folder = folder
        self.clock = VirtualClock(scenario.start)
        self.store: Store = open_store(f"sqlite:///{folder / STORE_FILE}")
        self.names: dict[str, str] = {}  # "as" name → ticket number
        self.moments: list[Moment] = []
        self.applied: list[dict[str, Any]] = []
        self.snapshots: list[str] = []
        self.customers_opened: list[dict[str, Any]] = []
        self.prompts: list[dict[str, Any]] = []
        self._prompted: set[tuple[int, str]] = set()
        self.handlers: dict[str, Callable[[Session, Step], str | None]] = {
            "login": self._login, "logout": self._on_counter(counters.logout),
            "open_counter": self._on_counter(counters.open_counter),
            "pause_counter": self._on_counter(counters.pause_counter),
            "close_counter": self._on_counter(counters.close_counter),
            "take_ticket": self._take_ticket, "call_next": self._call_next, "call_ticket": self._call_ticket,
            "recall": self._on_counter(queue.recall), "no_show": self._on_counter(queue.no_show),
            "start": self._on_counter(queue.start_service), "finish": self._on_counter(queue.finish_service),
            "transfer": self._transfer, "park": self._on_counter(queue.park), "resume": self._resume,
            "cancel": self._cancel, "snapshot": self._snapshot,
            "told_customer": self._told_customer, "open_customer": self._open_customer, "help": self._help,
            "accept": self._accept, "hand_up": self._hand_up, "resolve": self._resolve, "approve": self._approve,
            "cause": self._cause, "acknowledge": self._acknowledge,
        }

    def run(self) -> dict[str, Any]:
        try:
            self._seed()
            self.moments.append(self._moment())
            previous = self.scenario.start
            for step in self.scenario.steps:
                for minute in minutes_between(previous, step.at):
                    self.clock.set(minute)
                    self._evaluate(step.line)
                self.clock.set(step.at)
                try:
                    with self.store.write() as session:
                        result = self.handlers[step.verb](session, step)
                except ScenarioError:
                    raise
                except AppError as exc:
                    raise ScenarioError.wrap(step.line, exc) from exc
                self.applied.append({"line": step.line, "at": step.at.strftime("%H:%M:%S"), "do": step.verb,
                                     "result": result, "note": step.note})
                self._evaluate(step.line)
                self.moments.append(self._moment())
                previous = step.at
            summary = self._summary()
            (self.folder / "summary.json").write_text(
                json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            (self.folder / "events.log").write_text(self._event_log(), encoding="utf-8")
            return summary
        finally:
            self.store.dispose()

    def _seed(self) -> None:
        branch = self.scenario.branch
        with self.store.write() as session:
            demo.seed_demo(session, opens=branch.opens, closes=branch.closes)
            settings = session.get(BranchSettings, 1)
            settings.pre_open_minutes = branch.pre_open_minutes
            settings.recalls_before_no_show = branch.recalls_before_no_show
            session.add(settings)

    def _evaluate(self, line: int) -> None:
        """What the windows do every few seconds: raise and resolve alerts, and prompt the clerk (F3)."""
        try:
            with self.store.write() as session:
                alerts.evaluate(session, self.clock)
                self._note_prompts(session)
        except AppError as exc:
            raise ScenarioError.wrap(line, exc) from exc

    def _note_prompts(self, session: Session) -> None:
        """The first time each service reaches its warning mark, and its target, the counter asks the clerk
        to explain; the suggested sentence is kept as the window shows it."""
        serving = session.exec(select(Counter.number).join(Ticket, Ticket.counter_id == Counter.id)
                               .where(Ticket.state == TicketState.SERVING)).all()
        for number in sorted(serving):
            prompt = explain.explain_prompt(session, self.clock, counter_number=number, language=current_language())
            if prompt is None or (prompt.ticket_id, str(prompt.level)) in self._prompted:
                continue
            self._prompted.add((prompt.ticket_id, str(prompt.level)))
            self.prompts.append({"at": _iso(self.clock.now()), "ticket": prompt.number, "counter": number,
                                 "level": str(prompt.level), "service_minutes": prompt.service_seconds // 60,
                                 "target_service_minutes": prompt.target_min, "script": prompt.script,
                                 "customer_told_at": _iso(prompt.told_at)})

    # -- references ------------------------------------------------------------------------------

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

    # -- the verbs --------------------------------------------------------------------------------

    def _on_counter(self, action: Callable[..., Any]) -> Callable[[Session, Step], str | None]:
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
                                    customer_ref=step.fields.get("customer"))
        self._expect(step, issued.number)
        if "as" in step.fields:
            self.names[step.fields["as"]] = issued.number
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
        taken = sum(1 for s in self.snapshots if s == name)
        self.snapshots.append(name)
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
        card = customers.open_customer(session, self.clock, counter_number=number, staff_id=staff_id,
                                       ref=step.fields["customer"])
        ticket = lookup.current_ticket(session, lookup.counter_by_number(session, number).id)
        shown = []
        for seen in card.exceptions:
            approval = session.get(ExceptionApproval, seen.approval_id)
            shown.append({"approval": seen.approval_id, "kind": seen.kind, "reason": seen.reason,
                          "explanation": seen.customer_explanation, "remedy": seen.remedy or None,
                          "amount": seen.amount or None, "approved_at": _iso(seen.approved_at),
                          "approved_by": session.get(Staff, approval.approved_by).staff_no})
        ref = card.account_no or card.phone
        self.customers_opened.append({
            "line": step.line, "at": _iso(self.clock.now()), "counter": number,
            "staff": session.get(Staff, staff_id).staff_no, "ticket": ticket.number if ticket else None,
            "customer": ref, "visits": card.visits, "exceptions_shown": shown,
        })
        return ref

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
        if "ticket" in step.fields:
            number = self._number(step.fields["ticket"])
            query = query.where(Alert.ticket_id.in_(select(Ticket.id).where(
                Ticket.number == number, Ticket.business_date == self.scenario.day)))
        # The alert still open first, else the latest one nobody acknowledged.
        alert = session.exec(query.order_by(Alert.resolved_at.is_not(None), Alert.raised_at.desc(),
                                            Alert.id.desc())).first()
        if alert is None:
            raise AppError(N_("There is no {kind} alert there waiting to be acknowledged."), kind=kind)
        alerts.acknowledge(session, self.clock, alert_id=alert.id, staff_id=staff_id)
        return str(alert.id)

    # -- what the run leaves ----------------------------------------------------------------------

    def _moment(self) -> Moment:
        with self.store.read() as session:
            busy = set(session.exec(select(Ticket.counter_id).where(
                Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]))))
            waiting = frozenset(session.exec(
                select(Service.code).join(Ticket, Ticket.service_id == Service.id)
                .where(Ticket.state == TicketState.WAITING)))
            seen = {c.number: CounterMoment(str(c.state), c.staff_id is not None, c.id in busy)
                    for c in session.exec(select(Counter))}
        return Moment(self.clock.now(), seen, waiting)

    def _summary(self) -> dict[str, Any]:
        end = self.clock.now()
        with self.store.read() as session:
            services = {s.id: s for s in session.exec(select(Service))}
            numbers = dict(session.exec(select(Counter.id, Counter.number)).all())
            staff_nos = dict(session.exec(select(Staff.id, Staff.staff_no)).all())
            serves: dict[int, list[str]] = {number: [] for number in numbers.values()}
            for counter_id, service_id in session.exec(select(CounterService.counter_id, CounterService.service_id)):
                serves[numbers[counter_id]].append(services[service_id].code)
            hours = hours_on(session, self.scenario.day)
            tickets = session.exec(select(Ticket).where(Ticket.business_date == self.scenario.day)
                                   .order_by(Ticket.id)).all()
            rows = [_ticket_row(t, services[t.service_id], numbers, staff_nos, end) for t in tickets]
            oversight = _oversight(session, numbers, staff_nos)
        idle = idle_minutes(self.moments, serves, hours)
        return {
            "title": self.scenario.title,
            "date": self.scenario.day.isoformat(),
            "start": self.scenario.start.strftime("%H:%M:%S"),
            "end": end.strftime("%H:%M:%S"),
            "events_applied": len(self.applied),
            "events": self.applied,
            "tickets": rows,
            "counters": [{"counter": number, "services": sorted(serves[number]), **idle[number]}
                         for number in sorted(serves)],
            "snapshots": [a["result"] for a in self.applied if a["do"] == "snapshot"],
            **oversight,
            "prompts": self.prompts,
            "customers_opened": self.customers_opened,
            "store": STORE_FILE,
        }

    def _event_log(self) -> str:
        with self.store.read() as session:
            numbers = dict(session.exec(select(Counter.id, Counter.number)).all())
            staff_nos = dict(session.exec(select(Staff.id, Staff.staff_no)).all())
            tickets = dict(session.exec(select(Ticket.id, Ticket.number)).all())
            codes = dict(session.exec(select(Service.id, Service.code)).all())
            lines = []
            for event in session.exec(select(Event).order_by(Event.id)):
                parts = [f"{event.at:%Y-%m-%d %H:%M:%S}", f"{event.kind:<26}"]
                if event.counter_id:
                    parts.append(f"counter={numbers.get(event.counter_id)}")
                if event.staff_id:
                    parts.append(f"staff={staff_nos.get(event.staff_id)}")
                if event.ticket_id:
                    parts.append(f"ticket={tickets.get(event.ticket_id)}")
                if event.service_id:
                    parts.append(f"service={codes.get(event.service_id)}")
                parts.append(event.data)
                lines.append(" ".join(parts))
        return "\n".join(lines) + ("\n" if lines else "")


def _oversight(session: Session, numbers: Mapping[int, int], staff_nos: Mapping[int, str]) -> dict[str, Any]:
    """Alerts, escalations with their step trail, and approvals, as the store holds them at the end."""
    tickets = dict(session.exec(select(Ticket.id, Ticket.number)).all())
    refs = {c.id: c.account_no or c.phone for c in session.exec(select(Customer))}
    found_alerts = [{
        "kind": a.kind, "severity": a.severity, "raised_at": _iso(a.raised_at), "resolved_at": _iso(a.resolved_at),
        "acknowledged": {"by": staff_nos.get(a.acknowledged_by), "at": _iso(a.acknowledged_at)}
        if a.acknowledged_at else None,
        "ticket": tickets.get(a.ticket_id), "counter": numbers.get(a.counter_id), "data": json.loads(a.data or "{}"),
    } for a in session.exec(select(Alert).order_by(Alert.raised_at, Alert.id))]
    found_escalations = []
    for e in session.exec(select(Escalation).order_by(Escalation.requested_at, Escalation.id)):
        steps = session.exec(select(EscalationStep).where(EscalationStep.escalation_id == e.id)
                             .order_by(EscalationStep.at, EscalationStep.id))
        found_escalations.append({
            "id": e.id, "ticket": tickets.get(e.ticket_id), "counter": numbers.get(e.counter_id), "route": e.route,
            "auto": e.auto, "reason": e.reason, "state": e.state,
            "requested_by": staff_nos.get(e.requested_by), "requested_at": _iso(e.requested_at),
            "accepted_by": staff_nos.get(e.accepted_by), "accepted_at": _iso(e.accepted_at),
            "handed_up_at": _iso(e.handed_up_at),
            "resolved_by": staff_nos.get(e.resolved_by), "resolved_at": _iso(e.resolved_at),
            "resolution_note": e.resolution_note or None, "customer_explanation": e.customer_explanation or None,
            "steps": [{"at": _iso(s.at), "action": s.action, "who": staff_nos.get(s.staff_id), "note": s.note or None}
                      for s in steps],
        })
    found_approvals = [{
        "id": a.id, "approved_by": staff_nos.get(a.approved_by), "approved_at": _iso(a.approved_at),
        "requested_by": staff_nos.get(a.requested_by), "kind": a.kind, "reason": a.reason,
        "explanation": a.customer_explanation, "customer": refs.get(a.customer_id), "ticket": tickets.get(a.ticket_id),
        "escalation": a.escalation_id, "remedy": a.remedy or None, "amount": a.amount or None,
    } for a in session.exec(select(ExceptionApproval).order_by(ExceptionApproval.approved_at, ExceptionApproval.id))]
    return {"alerts": found_alerts, "escalations": found_escalations, "approvals": found_approvals}


# -- the output folder ----------------------------------------------------------------------------

def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise AppError(N_("The output folder {path} already exists and is not empty: choose a new folder."),
                       path=str(out))


def _make_parent(parent: Path) -> Path | None:
    """Create the output folder's parent; returns the topmost folder created, to undo on failure."""
    missing = [p for p in (parent, *parent.parents) if not p.exists()]
    parent.mkdir(parents=True, exist_ok=True)
    return missing[-1] if missing else None


def _undo_parent(parent: Path, topmost: Path | None) -> None:
    if topmost is None:
        return
    for folder in (parent, *parent.parents):
        try:
            folder.rmdir()
        except OSError:
            return
        if folder == topmost:
            return


def run_scenario(scenario_path: Path | str, out_dir: Path | str) -> dict[str, Any]:
    """Replay a scenario into a new folder; returns the summary. Nothing is written if it fails."""
    scenario = load_scenario(Path(scenario_path))
    out = Path(out_dir).absolute()
    _check_out(out)
    topmost = _make_parent(out.parent)
    # Not tempfile.mkdtemp: its folder is private (0700), and this one becomes the user's output.
    work = out.parent / f".{out.name}.{uuid.uuid4().hex[:8]}.partial"
    work.mkdir()
    try:
        summary = _Replay(scenario, work).run()
        _check_out(out)
        if out.exists():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        _undo_parent(out.parent, topmost)
        raise
    return summary
