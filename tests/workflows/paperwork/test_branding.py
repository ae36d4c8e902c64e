"""The branch's logo and feedback address (revision 0015) on the documents: the logo beside or above the branch's
name, the address under the contact line, each only when the branch gave one; a logo that cannot be read is
left out and the document is printed all the same."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest
from helpers.morning import act_at as act
from helpers.morning import seed_morning
from helpers.pdf_checks import reader, text_of
from pypdf.generic import ContentStream

from counter_app.models import Ticket
from counter_app.workflows.paperwork import archive, contents, issuing
from counter_app.workflows.paperwork.render import samples
from counter_app.workflows.paperwork.render.acceptance import render_acceptance_form
from counter_app.workflows.paperwork.render.apology import render_apology
from counter_app.workflows.paperwork.render.branding import logo_image
from counter_app.workflows.paperwork.render.receipt import A4_PAGE, ROLL, render_receipt
from counter_app.workflows.paperwork.render.ticket import render_ticket
from counter_app.workflows.queue.hours import branch_settings


def png(width: int = 90, height: int = 30) -> bytes:
    """A small RGB PNG written by hand: a red square beside a blue band, three times as wide as tall."""
    row = b"\x00" + b"".join(bytes((200, 30, 30)) if x < height else bytes((20, 60, 160)) for x in range(width))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


LOGO = base64.b64encode(png()).decode()
BAD_LOGOS = {
    "not base64": "this is not a picture!",
    "not a PNG": base64.b64encode(b"GIF89a" + b"\x00" * 40).decode(),
    "cut short": base64.b64encode(png()[:60]).decode(),
    "damaged pixels": base64.b64encode(png().replace(b"IDAT", b"IDAT\x00\x01", 1)).decode(),
}

DOCUMENTS = {
    "receipt": lambda lang, **kw: render_receipt(samples.receipt(lang, **kw), language=lang, paper=ROLL),
    "receipt-a4": lambda lang, **kw: render_receipt(samples.receipt(lang, **kw), language=lang, paper=A4_PAGE),
    "acceptance-form": lambda lang, **kw: render_acceptance_form(samples.acceptance_form(lang, **kw), language=lang),
    "apology": lambda lang, **kw: render_apology(samples.apology(lang, **kw), language=lang),
}


def images(pdf: bytes) -> list[tuple[float, float]]:
    """The drawn size (width, height in points) of every image painted on the pages."""
    doc = reader(pdf)
    found = []
    for page in doc.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        matrix = None
        for operands, operator in ContentStream(page.get_contents(), doc).operations:
            if operator == b"cm":
                matrix = [float(v) for v in operands]
            elif operator == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
                found.append((matrix[0], matrix[3]))
    return found


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_document_carries_the_logo_when_the_branch_has_one_and_none_otherwise(name):
    with_logo = DOCUMENTS[name]("zh_CN", logo=LOGO)
    without = DOCUMENTS[name]("zh_CN")

    drawn = images(with_logo)
    assert len(drawn) == 1 and b"/Image" in with_logo
    width, height = drawn[0]
    assert width == pytest.approx(3 * height, rel=0.01)  # its own shape, only smaller
    assert 25 <= height <= 45  # a small mark: 9 to 16 mm
    assert images(without) == [] and b"/Subtype /Image" not in without


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("bad", BAD_LOGOS)
def test_a_logo_that_cannot_be_read_is_left_out_and_the_document_still_prints(name, bad):
    pdf = DOCUMENTS[name]("en", logo=BAD_LOGOS[bad])
    assert images(pdf) == []
    assert pdf == DOCUMENTS[name]("en")  # exactly the document without a logo


def test_a_very_wide_logo_is_narrowed_in_proportion():
    banner = base64.b64encode(png(width=1200, height=30)).decode()
    width, height = images(DOCUMENTS["acceptance-form"]("en", logo=banner))[0]
    assert width == pytest.approx(40 * height, rel=0.01) and width <= 38 * 72 / 25.4 + 0.01


def test_the_logo_beside_the_title_keeps_the_acceptance_form_on_one_page():
    assert len(reader(DOCUMENTS["acceptance-form"]("zh_CN", logo=LOGO)).pages) == 1
    assert len(reader(DOCUMENTS["apology"]("zh_CN", logo=LOGO)).pages) == 1


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_feedback_address_is_printed_under_the_contact_line_when_given(name):
    pdf = DOCUMENTS[name]("en", branch_contact="100 Jiefang Road · Hotline 10000",
                          feedback_address="https://fb.example.cn/east")
    text = text_of(pdf)
    assert "100 Jiefang Road · Hotline 10000 Feedback: https://fb.example.cn/east" in text
    assert "Feedback:" not in text_of(DOCUMENTS[name]("en", branch_contact="100 Jiefang Road · Hotline 10000"))


def test_the_ticket_prints_the_feedback_address_but_no_logo():
    pdf = render_ticket(samples.ticket("en", feedback_address="feedback@example.cn"), language="en")
    assert "Feedback: feedback@example.cn" in text_of(pdf)
    assert "Feedback" not in text_of(render_ticket(samples.ticket("en"), language="en"))


def test_a_logo_is_decoded_once_and_a_bad_one_is_none():
    assert logo_image(LOGO) is logo_image(LOGO)
    assert (logo_image(LOGO).width, logo_image(LOGO).height) == (90, 30)
    assert logo_image("") is None
    assert all(logo_image(bad) is None for bad in BAD_LOGOS.values())


# -- from the branch's setup -------------------------------------------------------------------


def set_branch(store, **values) -> None:
    with store.write() as session:
        settings = branch_settings(session)
        for name, value in values.items():
            setattr(settings, name, value)
        session.add(settings)


def test_the_branchs_logo_and_feedback_address_reach_the_documents_it_issues(hall, clock):
    set_branch(hall, logo=LOGO, feedback_address="feedback@example.cn", hotline="10000")
    morning = seed_morning(hall, clock)

    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    receipt = act(hall, clock, "09:33", issuing.issue_receipt, order_id=morning["order_id"],
                  staff_id=morning["trainee"])
    for document in (form, receipt):
        pdf = document.path.read_bytes()
        assert len(images(pdf)) == 1
        assert "Hotline 10000 Feedback: feedback@example.cn" in text_of(pdf)
        record = contents.load(document.path.with_suffix(".json").read_text(encoding="utf-8"))
        # the record keeps the logo once for the whole archive, by its hash, and gets it back for a reprint
        assert record.logo.startswith("sha256:") and LOGO not in document.path.with_suffix(".json").read_text()
        assert (archive.with_logo(record).logo, record.feedback_address) == (LOGO, "feedback@example.cn")
    assert len(list((form.path.parents[3] / "logos").glob("*.b64"))) == 1

    # a reprint renders the record kept beside the PDF: the same logo and address
    copy = act(hall, clock, "09:40", issuing.reprint, document_id=form.document_id, staff_id=morning["trainee"])
    assert len(images(copy.path.read_bytes())) == 1
    assert "Feedback: feedback@example.cn" in text_of(copy.path.read_bytes())

    with hall.read() as session:
        ticket = contents.queue_ticket(session, session.get(Ticket, morning["ticket_id"]), "en")
    assert ticket.feedback_address == "feedback@example.cn"


def test_a_branch_without_logo_or_feedback_address_prints_neither(hall, clock):
    morning = seed_morning(hall, clock)
    form = act(hall, clock, "09:31", issuing.issue_acceptance_form, order_id=morning["order_id"],
               staff_id=morning["trainee"])
    pdf = form.path.read_bytes()
    assert images(pdf) == [] and "Feedback" not in text_of(pdf)


def test_a_branch_logo_that_cannot_be_read_does_not_stop_the_receipt(hall, clock):
    set_branch(hall, logo=BAD_LOGOS["cut short"])
    morning = seed_morning(hall, clock)
    receipt = act(hall, clock, "09:33", issuing.issue_receipt, order_id=morning["order_id"],
                  staff_id=morning["trainee"], a4=True)
    assert images(receipt.path.read_bytes()) == [] and "Receipt" in text_of(receipt.path.read_bytes())
