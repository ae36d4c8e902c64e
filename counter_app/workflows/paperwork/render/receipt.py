"""The receipt (收据): an 80 mm thermal slip or an A4 page with the same facts. Not a tax invoice."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from counter_app.i18n import translate
from counter_app.workflows.paperwork.render.branding import add_logo, contact_lines
from counter_app.workflows.paperwork.render.data import PAYMENT_TEXT, ReceiptData
from counter_app.workflows.paperwork.render.layout import GREY, Flow, draw_text, fmt_datetime, money
from counter_app.workflows.paperwork.render.pages import PdfInfo, draw_reprint_mark, render_pages, render_roll

ROLL = "roll"
A4_PAGE = "a4"


@dataclass(frozen=True)
class Paper:
    width: float
    margin: float
    title: float
    text: float
    label_width: float
    logo: float  # the logo's height


PAPERS = {
    ROLL: Paper(width=80 * mm, margin=4 * mm, title=15, text=10, label_width=27 * mm, logo=10 * mm),
    A4_PAGE: Paper(width=A4[0], margin=20 * mm, title=20, text=12, label_width=45 * mm, logo=14 * mm),
}


def minutes_text(minutes: int | None, language: str) -> str:
    if minutes is None:
        return "-"
    return translate("{minutes} min", language).format(minutes=minutes)


def _body(data: ReceiptData, language: str, paper: Paper) -> Flow:
    flow = Flow(paper.width - 2 * paper.margin)
    align = "center" if paper is PAPERS[ROLL] else "left"
    if data.reprint and paper is PAPERS[ROLL]:
        flow.stamp(translate("REPRINT", language), 12)
    add_logo(flow, data.logo, paper.logo, align=align)
    flow.text(data.branch_name, paper.text + 2, align=align)
    for line in contact_lines(data.branch_contact, data.feedback_address, language):
        flow.text(line, paper.text - 1, align=align)
    flow.text(translate("Receipt", language), paper.title, bold=True, align=align)
    flow.rule()
    rows = [
        (translate("Reference", language), data.reference),
        (translate("Date and time", language), fmt_datetime(data.issued_at)),
        (translate("Ticket", language), data.ticket_number),
        (translate("Service", language), data.service_name),
    ]
    if data.counter_number is not None:
        rows.append((translate("Counter", language), str(data.counter_number)))
    rows.append((translate("Clerk (staff no.)", language), data.clerk_staff_no))
    flow.rows(rows, paper.text, label_width=paper.label_width)
    flow.rule()
    amount_width = 28 * mm if paper is PAPERS[ROLL] else 40 * mm
    widths = (flow.width - amount_width, amount_width)
    lines = [(item.text, money(item.total)) for item in data.items]
    flow.table((translate("Item", language), translate("Amount", language)), lines, paper.text,
               widths=widths, right_aligned=(1,))
    flow.space(4)
    flow.rows([(translate("Total", language), money(data.total))], paper.text + 3, label_width=flow.width / 2,
              value_bold=True, right=True)
    flow.rows([(translate("Paid by", language), translate(PAYMENT_TEXT[data.payment_method], language))],
              paper.text, label_width=flow.width / 2, right=True)
    flow.rule()
    flow.rows([
        (translate("Waiting time", language), minutes_text(data.visit.wait_minutes, language)),
        (translate("Service time", language), minutes_text(data.visit.service_minutes, language)),
    ], paper.text, label_width=flow.width / 2, right=True)
    flow.rule()
    flow.text(translate("This receipt is not a tax invoice.", language), paper.text - 1, align=align,
              color=GREY)
    flow.text(translate("Thank you for your visit.", language), paper.text, align=align)
    return flow


def render_receipt(data: ReceiptData, *, language: str, paper: str = ROLL) -> bytes:
    """The receipt on the thermal roll (`paper="roll"`) or on A4 (`paper="a4"`)."""
    layout = PAPERS[paper]
    flow = _body(data, language, layout)
    info = PdfInfo(title=translate("Receipt", language) + " " + data.reference, subject=data.reference,
                   author=data.branch_name, language=language, created=data.issued_at)
    if paper == ROLL:
        return render_roll(flow, page_width=layout.width, margin=layout.margin, info=info, size=layout.text)

    def decorate(c, number, count):
        if data.reprint:
            draw_reprint_mark(c, translate("REPRINT", language), A4[0] - layout.margin, A4[1] - 12 * mm, 14)
        draw_text(c, layout.margin, 12 * mm, data.reference, 9, color=GREY)
        draw_text(c, layout.margin, 12 * mm, f"{number} / {count}", 9, align="right",
                  width=A4[0] - 2 * layout.margin, color=GREY)

    return render_pages(flow, pagesize=A4, margin_x=layout.margin, margin_top=20 * mm, margin_bottom=20 * mm,
                        info=info, size=layout.text, decorate=decorate)
