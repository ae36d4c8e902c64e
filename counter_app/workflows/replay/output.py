"""What a replay leaves in its folder: the summary, the kiosk's and the display's texts, the documents
handed out, the day's reports and the event log (docs/scenarios.md, "What goes in DIR")."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from counter_app import paths
from counter_app.i18n import N_, _, current_language, pick
from counter_app.models import (
    Counter,
    CounterService,
    Event,
    Feedback,
    IssuedDocument,
    Service,
    ServiceOrder,
    Staff,
    Ticket,
)
from counter_app.models.db import Store
from counter_app.models.oversight import Alert, Customer, Escalation, EscalationStep, ExceptionApproval
from counter_app.workflows import reports
from counter_app.workflows.core.masking import mask_ref
from counter_app.workflows.paperwork.service_orders import items_of
from counter_app.workflows.queue import tickets as queue
from counter_app.workflows.queue.board import Board
from counter_app.workflows.queue.hours import hours_on
from counter_app.workflows.replay.idle import Moment, idle_minutes
from counter_app.workflows.replay.planning_output import month_kpis, sales_orders
from counter_app.workflows.replay.scenario import Scenario
from counter_app.workflows.reports import exports

STORE_FILE = "store.sqlite3"
DATA_DIR = "data"  # the app's data directory during the run: the document archive as the app keeps it
DOCUMENTS_DIR = "documents"
REPORTS_DIR = "reports"
NO_CAUSE_KEY = "none"  # a breach nobody has given a cause for yet

COUNTER_STATES = {
    "closed": N_("closed"),
    "open": N_("open, free"),
    "paused": N_("paused"),
    "serving": N_("serving"),
}


@dataclass
class RunRecord:
    """What a run keeps as it goes, for the summary."""

    applied: list[dict[str, Any]] = field(default_factory=list)
    moments: list[Moment] = field(default_factory=list)
    snapshots: list[str] = field(default_factory=list)
    prompts: list[dict[str, Any]] = field(default_factory=list)
    customers_opened: list[dict[str, Any]] = field(default_factory=list)
    closings: list[dict[str, Any]] = field(default_factory=list)  # each close_day: who, when, its page, the anchor
    rushes: list[dict[str, Any]] = field(default_factory=list)  # each rush order's impact (planning desk)


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


# -- the summary's parts ----------------------------------------------------------------------------

def iso(moment: dt.datetime | dt.date | None) -> str | None:
    return moment.isoformat() if moment else None


def _minutes(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


def _seconds_as_minutes(seconds: float | None) -> float | None:
    return round(seconds / 60, 1) if seconds is not None else None


def _ticket_row(t: Ticket, service: Service, numbers: Mapping[int, int], staff_nos: Mapping[int, str],
                end: dt.datetime) -> dict[str, Any]:
    """One ticket leg in the summary. Wait runs from issue to the (last) call, or to when the
    customer left or the replay ended; service from start to finish, or to the replay's end."""
    wait = _minutes(t.issued_at, t.called_at or t.finished_at or end)
    served = _minutes(t.started_at, t.finished_at or end) if t.started_at else None
    return {
        "number": t.number, "service": service.code, "customer": mask_ref(t.customer_ref), "early": t.early,
        "issued": iso(t.issued_at), "called": iso(t.called_at), "recalls": t.recall_count,
        "started": iso(t.started_at), "finished": iso(t.finished_at),
        "counter": numbers.get(t.counter_id), "staff": staff_nos.get(t.staff_id),
        "wait_minutes": wait, "service_minutes": served,
        "target_wait_minutes": service.target_wait_min,
        "target_service_minutes": service.target_service_min,
        # at or past the target, in seconds, as the timers and reports count it
        "wait_breached": (t.called_at or t.finished_at or end) - t.issued_at >= dt.timedelta(minutes=service.target_wait_min),
        "service_breached": t.started_at is not None
        and (t.finished_at or end) - t.started_at >= dt.timedelta(minutes=service.target_service_min),
        "transferred": t.transferred_from_id is not None,
        "outcome": t.outcome or str(t.state),
        "customer_told_at": iso(t.customer_told_at),
        "breach_cause": t.breach_cause,
        "breach_cause_note": t.breach_cause_note or None,
    }


def _oversight(session: Session, numbers: Mapping[int, int], staff_nos: Mapping[int, str]) -> dict[str, Any]:
    """Alerts, escalations with their step trail, and approvals, as the store holds them at the end."""
    tickets = dict(session.exec(select(Ticket.id, Ticket.number)).all())
    refs = {c.id: c.account_no or c.phone for c in session.exec(select(Customer))}
    found_alerts = [{
        "kind": a.kind, "severity": a.severity, "raised_at": iso(a.raised_at), "resolved_at": iso(a.resolved_at),
        "acknowledged": {"by": staff_nos.get(a.acknowledged_by), "at": iso(a.acknowledged_at)}
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
            "requested_by": staff_nos.get(e.requested_by), "requested_at": iso(e.requested_at),
            "accepted_by": staff_nos.get(e.accepted_by), "accepted_at": iso(e.accepted_at),
            "handed_up_at": iso(e.handed_up_at),
            "resolved_by": staff_nos.get(e.resolved_by), "resolved_at": iso(e.resolved_at),
            "resolution_note": e.resolution_note or None, "customer_explanation": e.customer_explanation or None,
            "steps": [{"at": iso(s.at), "action": s.action, "who": staff_nos.get(s.staff_id), "note": s.note or None}
                      for s in steps],
        })
    found_approvals = [{
        "id": a.id, "approved_by": staff_nos.get(a.approved_by), "approved_at": iso(a.approved_at),
        "requested_by": staff_nos.get(a.requested_by), "kind": a.kind, "reason": a.reason,
        "explanation": a.customer_explanation, "customer": mask_ref(refs.get(a.customer_id)), "ticket": tickets.get(a.ticket_id),
        "escalation": a.escalation_id, "remedy": a.remedy or None, "amount": a.amount or None,
    } for a in session.exec(select(ExceptionApproval).order_by(ExceptionApproval.approved_at, ExceptionApproval.id))]
    return {"alerts": found_alerts, "escalations": found_escalations, "approvals": found_approvals}


def _orders(session: Session, tickets: Mapping[int, str], staff_nos: Mapping[int, str]) -> list[dict[str, Any]]:
    found = []
    for order in session.exec(select(ServiceOrder).order_by(ServiceOrder.id)):
        total = sum((item.amount * item.quantity for item in items_of(order)), Decimal("0.00"))
        found.append({
            "reference": order.reference, "ticket": tickets.get(order.ticket_id), "clerk": staff_nos.get(order.staff_id),
            "created_at": iso(order.created_at), "transaction": order.transaction, "product": order.product,
            "term_months": order.term_months, "effective_from": iso(order.effective_from),
            "effective_to": iso(order.effective_to), "total": str(total), "payment_method": order.payment_method,
            "language": order.language, "status": order.status, "signed_at": iso(order.signed_at),
        })
    return found


def _feedback(session: Session, tickets: Mapping[int, str], staff_nos: Mapping[int, str]) -> list[dict[str, Any]]:
    return [{
        "ticket": tickets.get(f.ticket_id), "at": iso(f.created_at), "complaint": f.is_complaint, "rating": f.rating,
        "reason": f.reason or None, "comment": f.comment or None, "channel": f.channel,
        "reference": f.reference or None, "cause": f.cause or None, "staff": staff_nos.get(f.staff_id),
        "recorded_by": staff_nos.get(f.recorded_by),
    } for f in session.exec(select(Feedback).order_by(Feedback.created_at, Feedback.id))]


def copy_documents(session: Session, folder: Path, tickets: Mapping[int, str],
                   staff_nos: Mapping[int, str]) -> list[dict[str, Any]]:
    """Every document issued, copied out of the archive into DIR/documents/ under its archive name."""
    target = folder / DOCUMENTS_DIR
    orders = dict(session.exec(select(ServiceOrder.id, ServiceOrder.reference)).all())
    found = []
    for doc in session.exec(select(IssuedDocument).order_by(IssuedDocument.created_at, IssuedDocument.id)):
        source = paths.documents_dir() / doc.path
        target.mkdir(exist_ok=True)
        shutil.copyfile(source, target / source.name)
        found.append({
            "kind": doc.kind, "reference": doc.reference, "file": f"{DOCUMENTS_DIR}/{source.name}",
            "sha256": doc.sha256, "print_status": doc.print_status, "printed_at": iso(doc.printed_at),
            "issued_at": iso(doc.created_at), "issued_by": staff_nos.get(doc.created_by),
            "ticket": tickets.get(doc.ticket_id), "order": orders.get(doc.service_order_id),
            "language": doc.language,
        })
    return found


def day_page_name(day: dt.date, closed_before: int) -> str:
    """The end-of-day page's file under reports/: a second closing of the day saves `-2` beside the first."""
    return f"end-of-day-{day}.pdf" if not closed_before else f"end-of-day-{day}-{closed_before + 1}.pdf"


def write_reports(session: Session, folder: Path, day: dt.date, now: dt.datetime,
                  closings: Iterable[Mapping[str, Any]] = ()) -> list[str]:
    """The day's breach and service-level reports (CSV and PDF), and the end-of-day summary page.

    A scenario that closed the day (close_day) has left the page the closing saved, with the event log's
    anchor; one that did not gets the page as the end-of-day window would show it now, closed by nobody.
    """
    target = folder / REPORTS_DIR
    language = current_language()
    written = [f"{REPORTS_DIR}/{path.name}"
               for path in exports.write_day_reports(session, day=day, now=now, out_dir=target, language=language)]
    pages = [closing["page"] for closing in closings]
    if not pages:
        path = exports.save_day_summary(session, day=day, now=now, path=target / day_page_name(day, 0),
                                        language=language)
        pages = [f"{REPORTS_DIR}/{path.name}"]
    return written + pages


def _open_escalation(e: reports.OpenEscalation) -> dict[str, Any]:
    return {"id": e.escalation_id, "ticket": e.number, "state": e.state, "requested_at": iso(e.requested_at),
            "date": iso(e.business_date)}


def end_of_day(session: Session, day: dt.date, now: dt.datetime) -> dict[str, Any]:
    """reports.day_summary as the summary's "end_of_day"."""
    s = reports.day_summary(session, day, now)
    return {
        "customers": s.customers, "served": s.served, "no_shows": s.no_shows, "cancelled": s.cancelled,
        "still_open": s.still_open, "within_wait_target": s.within,
        "service_level": round(s.service_level, 4) if s.service_level is not None else None,
        "average_wait_minutes": _seconds_as_minutes(s.average_wait_s),
        "breaches": [{
            "ticket": b.number, "service": b.service_code, "broken": list(b.broken),
            "wait_minutes": _seconds_as_minutes(b.wait_s), "service_minutes": _seconds_as_minutes(b.service_s),
            "total_minutes": _seconds_as_minutes(b.total_s), "cause": b.cause or None,
            "cause_note": b.cause_note or None, "counter": b.counter, "staff": b.staff_no or None,
            "escalations": list(b.escalations), "approvals": list(b.approvals),
        } for b in s.breaches],
        "breaches_by_cause": {cause or NO_CAUSE_KEY: count for cause, count in s.breaches_by_cause.items()},
        "open_escalations": [_open_escalation(e) for e in s.open_escalations],
        "earlier_open_escalations": [_open_escalation(e) for e in s.earlier_open_escalations],
        "ratings": s.ratings,
        "average_rating": round(s.average_rating, 2) if s.average_rating is not None else None,
        "complaints": s.complaints,
        "comments": [{"ticket": c.number, "rating": c.rating, "complaint": c.complaint, "comment": c.comment}
                     for c in s.comments],
    }


# -- the whole folder ---------------------------------------------------------------------------

def write_outputs(store: Store, scenario: Scenario, record: RunRecord, folder: Path,
                  end: dt.datetime) -> dict[str, Any]:
    """Everything the run leaves besides the ticket texts and snapshots, written as it goes: returns the summary."""
    with store.read() as session:
        services = {s.id: s for s in session.exec(select(Service))}
        numbers = dict(session.exec(select(Counter.id, Counter.number)).all())
        staff_nos = dict(session.exec(select(Staff.id, Staff.staff_no)).all())
        tickets = dict(session.exec(select(Ticket.id, Ticket.number)).all())
        serves: dict[int, list[str]] = {number: [] for number in numbers.values()}
        for counter_id, service_id in session.exec(select(CounterService.counter_id, CounterService.service_id)):
            serves[numbers[counter_id]].append(services[service_id].code)
        hours = hours_on(session, scenario.day)
        legs = session.exec(select(Ticket).where(Ticket.business_date == scenario.day).order_by(Ticket.id)).all()
        rows = [_ticket_row(t, services[t.service_id], numbers, staff_nos, end) for t in legs]
        oversight = _oversight(session, numbers, staff_nos)
        orders = _orders(session, tickets, staff_nos)
        documents = copy_documents(session, folder, tickets, staff_nos)
        feedback = _feedback(session, tickets, staff_nos)
        report_files = write_reports(session, folder, scenario.day, end, record.closings)
        day = end_of_day(session, scenario.day, end)
        log = event_log(session)
        planning = {"sales_orders": sales_orders(session), "rush_orders": record.rushes,
                    "planning_kpi": month_kpis(session, scenario.day, end.date())}
    idle = idle_minutes(record.moments, serves, hours)
    summary = {
        "title": scenario.title,
        "date": scenario.day.isoformat(),
        "start": scenario.start.strftime("%H:%M:%S"),
        "end": end.strftime("%H:%M:%S"),
        "end_date": end.date().isoformat(),
        "events_applied": len(record.applied),
        "events": record.applied,
        "tickets": rows,
        "counters": [{"counter": number, "services": sorted(serves[number]), **idle[number]}
                     for number in sorted(serves)],
        "snapshots": [a["result"] for a in record.applied if a["do"] == "snapshot"],
        **oversight,
        "prompts": record.prompts,
        "customers_opened": record.customers_opened,
        "orders": orders,
        "documents": documents,
        "feedback": feedback,
        "reports": report_files,
        "closings": record.closings,
        "end_of_day": day,
        **planning,
        "store": STORE_FILE,
    }
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "events.log").write_text(log, encoding="utf-8")
    return summary


def event_log(session: Session) -> str:
    """The store's event log, one line per recorded change."""
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
