"""The acceptance form (业务受理单), A4, made to be read before it is signed (F7).

Large type (nothing smaller than MIN_SIZE), a plain-language summary of what is being signed at the
top, masked personal details, amounts, dates, short terms, a signature block, and the reference as
text, QR code and Code128 barcode.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from counter_app.i18n import N_, translate
from counter_app.workflows.paperwork.render.branding import beside_logo, contact_lines
from counter_app.workflows.paperwork.render.data import PAYMENT_TEXT, AcceptanceFormData, Transaction
from counter_app.workflows.paperwork.render.layout import (
    BORDER,
    GREY,
    Flow,
    amount_text,
    draw_code128,
    draw_text,
    fmt_date,
    fmt_datetime,
    mask_account,
    mask_id_number,
    mask_name,
    mask_phone,
    money,
)
from counter_app.workflows.paperwork.render.pages import PdfInfo, draw_reprint_mark, render_pages

PAGE = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 22 * mm  # room for the footer: barcode, reference, page number

# Type sizes, in points. F7: the customer must be able to read what they sign, so no text on the
# form is smaller than MIN_SIZE (the tests check every font size in the PDF against it).
MIN_SIZE = 11
BODY_SIZE = 12
TERMS_SIZE = 11
SUMMARY_SIZE = 15
HEADING_SIZE = 13
TITLE_SIZE = 22
QR_SIZE = 30 * mm
LOGO_HEIGHT = 14 * mm  # beside the title and the branch's name, which stand about 16 mm tall
LOGO_MAX_WIDTH = 38 * mm  # leaves the English title its line

STANDARD_TERMS = (
    N_("Please check the summary, the amounts and the dates on this form before you sign. "
       "Ask the clerk about anything that is not clear."),
    N_("The service starts on the effective date shown above. Only the charges listed on this form are "
       "made today."),
    N_("To change or cancel this business, bring your ID and this form to any of our branches: its "
       "reference number finds the business."),
    N_("Your personal details are used only to provide this service and are protected as the law requires."),
)


def names_the_renewal(product: str) -> bool:
    """The product as entered already says it is a renewal (the service's name, "宽带续费", "Broadband renewal")."""
    return "续费" in product or "续订" in product or "renewal" in product.lower()


def summary_text(data: AcceptanceFormData, language: str) -> str:
    """One plain sentence of what the customer is signing, composed from the form's own facts."""
    facts = {
        "product": data.product,
        "months": data.term_months,
        "amount": amount_text(data.total),
        "start": fmt_date(data.effective_from),
        "end": fmt_date(data.effective_to) if data.effective_to else "",
    }
    if data.transaction == Transaction.RENEWAL and data.term_months and data.effective_to:
        if names_the_renewal(data.product):  # "宽带续费": "renewing 宽带续费" would say it twice
            text = translate("You are taking {product} for {months} months, {amount} yuan, "
                             "from {start} to {end}.", language)
        else:
            text = translate("You are renewing {product} for {months} months, {amount} yuan, "
                             "from {start} to {end}.", language)
    elif data.transaction == Transaction.PLAN_CHANGE:
        text = translate("You are changing your plan to {product} from {start}. You pay {amount} yuan today.",
                         language)
    elif data.transaction == Transaction.NEW_LINE:
        text = translate("You are opening a new line with {product} from {start}. "
                         "You pay {amount} yuan today.", language)
    elif data.transaction == Transaction.BILL_PAYMENT:
        text = translate("You are paying {amount} yuan for {product}.", language)
    else:
        text = translate("You are applying for {product} from {start}. You pay {amount} yuan today.",
                         language)
    if data.effective_to and "{end}" not in text:
        text += " " + translate("It runs until {end}.", language)
    return text.format(**facts)


def _header(flow: Flow, data: AcceptanceFormData, language: str) -> None:
    left = Flow(flow.width - QR_SIZE - 6 * mm)

    def title(column: Flow) -> None:
        column.text(translate("Business acceptance form", language), TITLE_SIZE, bold=True)
        column.text(data.branch_name, BODY_SIZE + 1)

    beside_logo(left, data.logo, LOGO_HEIGHT, title, max_width=LOGO_MAX_WIDTH)
    for line in contact_lines(data.branch_contact, data.feedback_address, language):
        left.text(line, BODY_SIZE - 1, color=GREY)
    rows = [
        (translate("Reference", language), data.reference),
        (translate("Date and time", language), fmt_datetime(data.issued_at)),
    ]
    if data.ticket_number:
        rows.append((translate("Ticket", language), data.ticket_number))
    if data.counter_number is not None:
        handled = translate("Counter {counter}, clerk no. {staff_no}", language)
    else:
        handled = translate("Clerk no. {staff_no}", language)
    rows.append((translate("Handled by", language),
                 handled.format(counter=data.counter_number, staff_no=data.clerk_staff_no)))
    left.rows(rows, BODY_SIZE, label_width=32 * mm)
    right = Flow(QR_SIZE)
    right.qr(data.reference, QR_SIZE, align="right")
    flow.columns([left, right], gap=6 * mm)


def _summary(flow: Flow, data: AcceptanceFormData, language: str) -> None:
    box = flow.inner(8)
    box.text(translate("What you are signing", language), HEADING_SIZE, color=BORDER, bold=True)
    box.space(3)
    box.text(summary_text(data, language), SUMMARY_SIZE, bold=True, leading=SUMMARY_SIZE * 1.45)
    flow.space(3 * mm)
    flow.box(box, padding=8)


def _details(flow: Flow, data: AcceptanceFormData, language: str) -> None:
    """The customer (masked) beside the business and its dates."""
    gap = 8 * mm
    column = (flow.width - gap) / 2
    customer = Flow(column)
    customer.heading(translate("Customer", language), HEADING_SIZE)
    rows = [
        (translate("Name", language), mask_name(data.customer.name)),
        (translate("Phone", language), mask_phone(data.customer.phone)),
    ]
    if data.customer.id_number:
        rows.append((translate("ID number", language), mask_id_number(data.customer.id_number)))
    if data.customer.account_number:
        rows.append((translate("Account", language), mask_account(data.customer.account_number)))
    customer.rows(rows, BODY_SIZE, label_width=24 * mm)
    business = Flow(column)
    business.heading(translate("Business", language), HEADING_SIZE)
    rows = [
        (translate("Service", language), data.service_name),
        (translate("Product", language), data.product),
    ]
    if data.term_months:
        rows.append((translate("Term", language),
                     translate("{months} months", language).format(months=data.term_months)))
    rows.append((translate("Effective from", language), fmt_date(data.effective_from)))
    if data.effective_to:
        rows.append((translate("Effective until", language), fmt_date(data.effective_to)))
    business.rows(rows, BODY_SIZE, label_width=30 * mm)
    flow.space(2 * mm)
    flow.columns([customer, business], gap=gap)


def _charges(flow: Flow, data: AcceptanceFormData, language: str) -> None:
    flow.space(1 * mm)
    flow.heading(translate("Charges", language), HEADING_SIZE)
    amount_width = 45 * mm
    flow.table(
        (translate("Item", language), translate("Amount", language)),
        [(item.text, money(item.total)) for item in data.items],
        BODY_SIZE, widths=(flow.width - amount_width, amount_width), right_aligned=(1,),
    )
    flow.space(3)
    flow.rows([(translate("Total", language), money(data.total))], BODY_SIZE + 2,
              label_width=flow.width - amount_width, value_bold=True, right=True)
    if data.payment_method is not None:
        flow.rows([(translate("Paid by", language), translate(PAYMENT_TEXT[data.payment_method], language))],
                  BODY_SIZE, label_width=flow.width - amount_width, right=True)


def _terms(flow: Flow, data: AcceptanceFormData, language: str) -> None:
    if data.remarks:
        flow.space(1 * mm)
        flow.heading(translate("Remarks", language), HEADING_SIZE)
        for remark in data.remarks:
            flow.item("•", remark, BODY_SIZE, indent=5 * mm)
            flow.space(2)
    flow.space(1 * mm)
    flow.heading(translate("Terms", language), HEADING_SIZE)
    terms = data.terms or tuple(translate(term, language) for term in STANDARD_TERMS)
    for number, term in enumerate(terms, start=1):
        flow.item(f"{number}.", term, TERMS_SIZE, indent=7 * mm)
        flow.space(2)


def _signature_line(width: float, label: str) -> Flow:
    column = Flow(width)
    column.space(9 * mm)
    column.rule(thickness=0.8, gap=0)
    column.text(label, BODY_SIZE, color=GREY)
    return column


def _signatures(flow: Flow, data: AcceptanceFormData, language: str) -> None:
    flow.space(3 * mm)
    flow.text(translate("I have read this form and I agree to the business and the amounts above.", language),
              BODY_SIZE, bold=True, keep_with_next=True)
    gap = 8 * mm
    date_width = 40 * mm
    wide = (flow.width - date_width - 2 * gap) / 2
    flow.columns([
        _signature_line(wide, translate("Customer signature", language)),
        _signature_line(date_width, translate("Date", language)),
        _signature_line(wide, translate("Clerk, staff no. {staff_no}", language).format(
            staff_no=data.clerk_staff_no)),
    ], gap=gap)


def render_acceptance_form(data: AcceptanceFormData, *, language: str) -> bytes:
    flow = Flow(PAGE[0] - 2 * MARGIN_X)
    _header(flow, data, language)
    _summary(flow, data, language)
    _details(flow, data, language)
    _charges(flow, data, language)
    _terms(flow, data, language)
    _signatures(flow, data, language)
    page_label = translate("Page {page} of {pages}", language)
    reprint = translate("REPRINT", language)

    def decorate(c, number: int, count: int) -> None:
        if data.reprint:
            draw_reprint_mark(c, reprint, PAGE[0] - MARGIN_X, PAGE[1] - 5 * mm, MIN_SIZE + 3)
        bottom = 8 * mm
        width = draw_code128(c, data.reference, MARGIN_X, bottom, 70 * mm, 10 * mm, align="left")
        draw_text(c, MARGIN_X + width + 4 * mm, bottom + 3 * mm, data.reference, MIN_SIZE)
        draw_text(c, MARGIN_X, bottom + 3 * mm, page_label.format(page=number, pages=count), MIN_SIZE,
                  align="right", width=PAGE[0] - 2 * MARGIN_X, color=GREY)

    info = PdfInfo(title=translate("Business acceptance form", language) + " " + data.reference,
                   subject=summary_text(data, language), author=data.branch_name, language=language,
                   created=data.issued_at)
    return render_pages(flow, pagesize=PAGE, margin_x=MARGIN_X, margin_top=MARGIN_TOP,
                        margin_bottom=MARGIN_BOTTOM, info=info, size=BODY_SIZE, decorate=decorate)
