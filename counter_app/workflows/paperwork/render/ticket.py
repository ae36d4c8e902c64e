"""The queue ticket (排队号票): an 80 mm thermal slip as tall as its content."""

from __future__ import annotations

from reportlab.lib.units import mm

from counter_app.i18n import translate
from counter_app.workflows.paperwork.render.branding import contact_lines
from counter_app.workflows.paperwork.render.data import QueueTicketData
from counter_app.workflows.paperwork.render.layout import BLACK, Flow, fmt_datetime, fmt_time
from counter_app.workflows.paperwork.render.pages import PdfInfo, render_roll

ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm
NUMBER_SIZE = 54
TEXT_SIZE = 11
QR_SIZE = 30 * mm


def people_ahead_text(count: int, language: str) -> str:
    if count <= 0:
        return translate("Nobody is waiting ahead of you.", language)
    if count == 1:
        return translate("1 person is waiting ahead of you.", language)
    return translate("{count} people are waiting ahead of you.", language).format(count=count)


def render_ticket(data: QueueTicketData, *, language: str) -> bytes:
    flow = Flow(ROLL_WIDTH - 2 * ROLL_MARGIN)
    if data.reprint:
        flow.stamp(translate("REPRINT", language), 13)
    flow.text(data.branch_name, 12, align="center")
    for line in contact_lines(data.branch_contact, data.feedback_address, language):
        flow.text(line, 8.5, align="center")
    flow.text(translate("Queue ticket", language), TEXT_SIZE, align="center")
    flow.space(2)
    flow.text(data.number, NUMBER_SIZE, bold=True, align="center", leading=NUMBER_SIZE)
    flow.text(data.service_name, 15, bold=True, align="center")
    flow.rule(dash=True)
    flow.text(people_ahead_text(data.people_ahead, language), 13, align="center")
    flow.text(translate("Estimated wait: about {minutes} minutes", language)
              .format(minutes=data.estimated_wait_minutes), 13, align="center")
    if data.opens_at is not None:
        # F1: a ticket taken before opening says so, and when the customer can expect to be called.
        notice = flow.inner(6)
        notice.text(translate("We are not serving yet.", language), 12, bold=True, align="center")
        notice.text(translate("Serving starts at {time}.", language).format(time=fmt_time(data.opens_at)),
                    12, align="center")
        if data.estimated_call_at is not None:
            notice.text(translate("Estimated call time: {time}", language)
                        .format(time=fmt_time(data.estimated_call_at)), 12, align="center")
        flow.space(4)
        flow.box(notice, padding=6, fill=None, border=BLACK, thickness=1.5)
    flow.rule(dash=True)
    flow.qr(data.reference, QR_SIZE)
    flow.text(data.reference, 9, align="center")
    flow.text(translate("Issued {time}", language).format(time=fmt_datetime(data.issued_at)), 10,
              align="center")
    flow.text(translate("Please listen for your number and watch the screen.", language), 10, align="center")
    info = PdfInfo(title=translate("Queue ticket", language) + " " + data.number, subject=data.reference,
                   author=data.branch_name, language=language, created=data.issued_at)
    return render_roll(flow, page_width=ROLL_WIDTH, margin=ROLL_MARGIN, info=info, size=TEXT_SIZE)
