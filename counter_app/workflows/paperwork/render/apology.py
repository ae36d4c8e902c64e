"""The apology / explanation notice (致歉说明函), A5: what happened, why, what was done, sorry (F8).

Every sentence about the visit is composed from its real times, so the notice says "you waited
3 minutes; the service took 32 minutes against a target of 15", not a form letter.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from counter_app.i18n import translate
from counter_app.workflows.paperwork.render.branding import beside_logo, contact_lines
from counter_app.workflows.paperwork.render.data import ROLE_TEXT, ApologyData
from counter_app.workflows.paperwork.render.layout import (
    BORDER,
    GREY,
    Flow,
    draw_text,
    fmt_date,
    fmt_datetime,
    fmt_time,
)
from counter_app.workflows.paperwork.render.pages import PdfInfo, draw_reprint_mark, render_pages

PAGE = A5
MARGIN_X = 14 * mm
MARGIN_TOP = 12 * mm
MARGIN_BOTTOM = 12 * mm
BODY_SIZE = 11
HEADING_SIZE = 12
TITLE_SIZE = 17
QR_SIZE = 24 * mm
LOGO_HEIGHT = 10 * mm  # beside the branch's name and contact lines
LOGO_MAX_WIDTH = 35 * mm


def role_text(role: str, language: str) -> str:
    return translate(ROLE_TEXT[role], language) if role in ROLE_TEXT else role


def what_happened(data: ApologyData, language: str) -> list[str]:
    """The visit in plain sentences, with its real times and targets.

    A transferred visit is told queue by queue, each against its own service's targets: a target is
    judged leg by leg, so the legs' sum set against one target would claim a breach that did not happen.
    """
    visit = data.visit
    sentences = [
        translate("On {date} at {time} you took ticket {number} for {service}.", language).format(
            date=fmt_date(visit.issued_at), time=fmt_time(visit.issued_at), number=data.ticket_number,
            service=data.service_name),
    ]
    if len(data.legs) > 1:
        sentences += _legs_told(data, language)
    else:
        if visit.wait_minutes is not None:
            sentences.append(_waited(data.counter_number, language).format(
                minutes=visit.wait_minutes, counter=data.counter_number, target=data.target_wait_minutes))
        if visit.service_minutes is not None:
            sentences.append(_served(language).format(minutes=visit.service_minutes,
                                                      target=data.target_service_minutes))
    if visit.total_minutes is not None and visit.finished_at is not None:
        text = translate("In all, your visit took {minutes} minutes, from {start} to {end}.", language)
        sentences.append(text.format(minutes=visit.total_minutes, start=fmt_time(visit.issued_at),
                                     end=fmt_time(visit.finished_at)))
    if data.escalated:
        sentences.append(translate("Your clerk needed help, and your case was passed on to a more senior "
                                   "colleague.", language))
    return sentences


def closing_sentence(data: ApologyData, language: str) -> str:
    """An apology for the time taken when a target was broken; otherwise thanks for the customer's patience
    while the case was passed on (the notice is then owed for the escalation alone)."""
    if data.took_too_long:
        return translate("We are sorry for the time your visit took. We have recorded what caused it so that "
                         "we can put it right.", language)
    return translate("Thank you for your patience while we looked into your case. We have recorded what "
                     "happened so that we can put it right.", language)


def _waited(counter_number: int | None, language: str) -> str:
    if counter_number is not None:
        return translate("You waited {minutes} minutes before you were called to counter {counter}; "
                         "our target is {target} minutes.", language)
    return translate("You waited {minutes} minutes before you were called; our target is {target} "
                     "minutes.", language)


def _served(language: str) -> str:
    return translate("The service took {minutes} minutes, against our target of {target} minutes.", language)


def _legs_told(data: ApologyData, language: str) -> list[str]:
    """A transferred visit's waits per queue and services per counter, each with its own target.

    The services are listed only when one reached its target; otherwise one short sentence says so.
    The "in all" is the listed minutes added up, so the sentence adds up as the customer reads it.
    """
    sentences = []
    called = [(i, leg) for i, leg in enumerate(data.legs) if leg.wait_minutes is not None]
    if len(called) == 1:
        i, leg = called[0]
        counter = data.counter_number if i == len(data.legs) - 1 else None  # the counter is the last leg's
        sentences.append(_waited(counter, language).format(minutes=leg.wait_minutes, counter=counter,
                                                           target=leg.wait_target_minutes))
    elif called:
        queues = _listed([translate("{minutes} minutes for {service} (our target {target} minutes)",
                                    language).format(minutes=leg.wait_minutes, service=leg.service_name,
                                                     target=leg.wait_target_minutes)
                          for _, leg in called], language)
        if len(called) == 2:
            text = translate("You queued twice: {queues}, {minutes} minutes in all.", language)
        else:
            text = translate("You queued {count} times: {queues}, {minutes} minutes in all.", language)
        sentences.append(text.format(count=len(called), queues=queues,
                                     minutes=sum(leg.wait_minutes for _, leg in called)))
    served = [leg for leg in data.legs if leg.service_minutes is not None]
    if len(served) == 1:
        sentences.append(_served(language).format(minutes=served[0].service_minutes,
                                                  target=served[0].service_target_minutes))
    elif all(leg.service_minutes < leg.service_target_minutes for leg in served):
        # Every service short of its target: the counters need not be told one by one (the notice stays on one page).
        sentences.append(translate("Each service was within its target: {minutes} minutes in all.", language).format(
            minutes=sum(leg.service_minutes for leg in served)))
    elif served:
        services = _listed([translate("{service} took {minutes} minutes (our target {target} minutes)",
                                      language).format(service=leg.service_name, minutes=leg.service_minutes,
                                                       target=leg.service_target_minutes)
                            for leg in served], language)
        sentences.append(translate("At the counter, {services}, {minutes} minutes in all.", language).format(
            services=services, minutes=sum(leg.service_minutes for leg in served)))
    return sentences


def _listed(items: list[str], language: str) -> str:
    """"a, b and c" in English, "a、b、c" in Chinese."""
    text = items[0]
    for item in items[1:-1]:
        text = translate("{first}, {next}", language).format(first=text, next=item)
    if len(items) > 1:
        text = translate("{first} and {last}", language).format(first=text, last=items[-1])
    return text


def join_sentences(sentences: list[str]) -> str:
    """English sentences take a space between them, Chinese ones do not."""
    text = ""
    for sentence in sentences:
        text += (" " if text and text[-1].isascii() else "") + sentence
    return text


def _feedback(flow: Flow, data: ApologyData, language: str) -> None:
    text = Flow(flow.width - QR_SIZE - 5 * mm)
    text.text(translate("Tell us what you think", language), HEADING_SIZE, bold=True, color=BORDER)
    text.space(2)
    text.text(translate("Scan the code, or give this reference at any counter or on our service line:",
                        language), BODY_SIZE)
    text.text(data.reference, BODY_SIZE + 1, bold=True)
    code = Flow(QR_SIZE)
    code.qr(data.feedback_url or data.reference, QR_SIZE)
    flow.space(4 * mm)
    flow.columns([text, code], gap=5 * mm)


def render_apology(data: ApologyData, *, language: str) -> bytes:
    flow = Flow(PAGE[0] - 2 * MARGIN_X)

    def branch(column: Flow) -> None:
        column.text(data.branch_name, BODY_SIZE, color=GREY)
        for line in contact_lines(data.branch_contact, data.feedback_address, language):
            column.text(line, BODY_SIZE - 1, color=GREY)

    beside_logo(flow, data.logo, LOGO_HEIGHT, branch, max_width=LOGO_MAX_WIDTH)
    flow.text(translate("Apology and explanation", language), TITLE_SIZE, bold=True)
    flow.rows([
        (translate("Reference", language), data.reference),
        (translate("Date", language), fmt_datetime(data.issued_at)),
    ], BODY_SIZE, label_width=25 * mm)
    flow.rule()
    flow.space(2 * mm)
    flow.text(translate("Dear customer,", language), BODY_SIZE)
    flow.space(1 * mm)

    flow.heading(translate("What happened", language), HEADING_SIZE, underline=False, color=BORDER)
    flow.text(join_sentences(what_happened(data, language)), BODY_SIZE)

    if data.explanation:
        flow.space(1 * mm)
        # "so long" only when a target was broken: a notice states what the record says, nothing more.
        heading = (translate("Why it took so long", language) if data.took_too_long
                   else translate("What we found", language))
        flow.heading(heading, HEADING_SIZE, underline=False, color=BORDER)
        flow.text(data.explanation, BODY_SIZE)

    if data.approvals or data.remedy:
        flow.space(1 * mm)
        flow.heading(translate("What we did", language), HEADING_SIZE, underline=False, color=BORDER)
        for approval in data.approvals:
            approved = translate("Approved by {name} ({role}) at {time}.", language).format(
                name=approval.approver_name, role=role_text(approval.approver_role, language),
                time=fmt_time(approval.approved_at))
            flow.item("•", f"{approval.what}\n{approved}", BODY_SIZE, indent=4 * mm)
            flow.space(2)
        if data.remedy:
            flow.item("•", data.remedy, BODY_SIZE, indent=4 * mm)

    flow.space(3 * mm)
    flow.text(closing_sentence(data, language), BODY_SIZE, bold=True)
    if data.signed_by_name:
        flow.space(3 * mm)
        flow.text(data.signed_by_name, BODY_SIZE)
        if data.signed_by_role:
            title = translate("{role}, {branch}", language).format(
                role=role_text(data.signed_by_role, language), branch=data.branch_name)
        else:
            title = data.branch_name
        flow.text(title, BODY_SIZE, color=GREY)
    _feedback(flow, data, language)

    reprint = translate("REPRINT", language)

    def decorate(c, number: int, count: int) -> None:
        if data.reprint:
            draw_reprint_mark(c, reprint, PAGE[0] - MARGIN_X, PAGE[1] - 4 * mm, 11)
        if count > 1:
            draw_text(c, MARGIN_X, 7 * mm, f"{data.reference}  {number} / {count}", 9, color=GREY)

    info = PdfInfo(title=translate("Apology and explanation", language) + " " + data.reference,
                   subject=data.reference, author=data.branch_name, language=language,
                   created=data.issued_at)
    return render_pages(flow, pagesize=PAGE, margin_x=MARGIN_X, margin_top=MARGIN_TOP,
                        margin_bottom=MARGIN_BOTTOM, info=info, size=BODY_SIZE, decorate=decorate)
