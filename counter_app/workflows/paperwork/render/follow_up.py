"""The follow-up list (回访名单), A4: the customers at risk of leaving, for the staff who call them back.

The list is for staff, not customers, but it is paper that can be left on a desk: a phone number is printed in
full only for a customer who agreed to be called after a visit (`consent_contact`); the others' numbers are
masked and marked "no consent" (they are on the list so that the manager knows of them, not to be called).
Names are always masked: the family name is enough to greet the customer.

Its record and its filling sit here beside the renderer (the other documents keep theirs in `data.py` and
`contents.py`): one list, read from `oversight.customer_history.at_risk`, issued by no ticket and not archived.
Printing it is logged (`print_follow_up_list`): the phones in full are a full view of those customers' details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_, translate
from counter_app.models.oversight import Customer
from counter_app.workflows.core import events, lookup, masking
from counter_app.workflows.customers import segments
from counter_app.workflows.oversight import customer_history
from counter_app.workflows.paperwork.render.layout import GREY, Flow, draw_text, fmt_date, fmt_datetime
from counter_app.workflows.paperwork.render.pages import PdfInfo, render_pages

PAGE = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 16 * mm
TITLE_SIZE = 18
BODY_SIZE = 10.5
NO_CONSENT = N_("no consent")


@dataclass(frozen=True)
class FollowUpEntry:
    customer_id: int
    name: str  # masked
    phone: str  # in full with consent, masked without
    consent: bool
    segment: str  # the segment's name in the list's language
    visits: int
    breached_visits: int
    complaints: int
    average_rating: float | None
    last_visit: dt.datetime | None


@dataclass(frozen=True)
class FollowUpListData:
    branch_name: str
    issued_at: dt.datetime
    days: int  # the window looked back over
    entries: tuple[FollowUpEntry, ...]


def reason_text(entry: FollowUpEntry, language: str) -> str:
    """Why the customer is on the list, in words: "2 visits over target · 1 complaint"."""
    parts = []
    if entry.breached_visits:
        parts.append(translate("{count} visit(s) over target", language).format(count=entry.breached_visits))
    if entry.complaints:
        parts.append(translate("{count} complaint(s)", language).format(count=entry.complaints))
    return " · ".join(parts)


def follow_up_list(session: Session, clock: Clock, *, language: str,
                   branch_name: str = "") -> FollowUpListData:
    """The at-risk customers as the list prints them (the module's rule on phones and names)."""
    now = clock.now()
    known = segments.segments(session)
    entries = []
    for risk in customer_history.at_risk(session, now):
        customer = session.get(Customer, risk.customer_id)
        phone = customer.phone or ""
        segment = known.get(risk.segment)
        entries.append(FollowUpEntry(
            risk.customer_id, risk.name_masked,
            phone if risk.consent_contact else masking.mask_phone(phone), risk.consent_contact,
            (segment.name_zh if language.startswith("zh") else segment.name_en) if segment else risk.segment,
            risk.visits, risk.breached_visits, risk.complaints, risk.average_rating, risk.last_visit))
    return FollowUpListData(branch_name, now, customer_history.RISK_DAYS, tuple(entries))


def print_follow_up_list(session: Session, clock: Clock, *, staff_id: int, language: str,
                         branch_name: str = "") -> FollowUpListData:
    """The list about to be printed, for an active staff member: the phones it prints in full are a full view of
    those customers' details, so it is logged (`follow_up_list_printed`: who, when, whose phone was printed in
    full and whose masked)."""
    staff = lookup.staff_by_id(session, staff_id)
    if staff.locked_at is not None:
        raise AppError(N_("Unknown staff member."))
    data = follow_up_list(session, clock, language=language, branch_name=branch_name)
    events.record(session, at=data.issued_at, kind="follow_up_list_printed", staff_id=staff.id,
                  customers=[e.customer_id for e in data.entries if e.consent],
                  masked=[e.customer_id for e in data.entries if not e.consent])
    return data


def render_follow_up_list(data: FollowUpListData, *, language: str) -> bytes:
    flow = Flow(PAGE[0] - 2 * MARGIN_X)
    title = translate("Follow-up calls: customers at risk", language)
    flow.text(title, TITLE_SIZE, bold=True)
    if data.branch_name:
        flow.text(data.branch_name, BODY_SIZE + 1)
    flow.text(translate("Printed {when} · the last {days} days · {count} customer(s)", language).format(
        when=fmt_datetime(data.issued_at), days=data.days, count=len(data.entries)), BODY_SIZE, color=GREY)
    flow.text(translate("Call only the customers whose phone is shown in full: the others did not agree to be "
                        "called. Record each call's outcome in the duty manager's loyalty view.", language),
              BODY_SIZE)
    flow.space(3 * mm)
    columns = (translate("Customer", language), translate("Phone", language), translate("Segment", language),
               translate("Why", language), translate("Rating", language), translate("Last visit", language),
               translate("Outcome of the call", language))
    widths = [w * mm for w in (20, 34, 22, 36, 14, 22, 32)]
    rows = []
    for entry in data.entries:
        phone = entry.phone if entry.consent else f"{entry.phone} ({translate(NO_CONSENT, language)})"
        rows.append((entry.name, phone, entry.segment, reason_text(entry, language),
                     f"{entry.average_rating:.1f}" if entry.average_rating is not None else "—",
                     fmt_date(entry.last_visit.date()) if entry.last_visit else "—", ""))
    if rows:
        flow.table(columns, rows, BODY_SIZE, widths=widths)
    else:
        flow.text(translate("Nobody is at risk: no customer to call.", language), BODY_SIZE + 1, bold=True)
    page_label = translate("Page {page} of {pages}", language)

    def decorate(c, number: int, count: int) -> None:
        draw_text(c, MARGIN_X, 8 * mm, page_label.format(page=number, pages=count), BODY_SIZE, align="right",
                  width=PAGE[0] - 2 * MARGIN_X, color=GREY)

    info = PdfInfo(title=title, subject=title, author=data.branch_name, language=language, created=data.issued_at)
    return render_pages(flow, pagesize=PAGE, margin_x=MARGIN_X, margin_top=MARGIN_TOP, margin_bottom=MARGIN_BOTTOM,
                        info=info, size=BODY_SIZE, decorate=decorate)
