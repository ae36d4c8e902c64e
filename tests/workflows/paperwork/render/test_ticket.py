"""The queue ticket a customer takes at the kiosk, read back from the PDF."""

from __future__ import annotations

from helpers.pdf_checks import dark_share, fonts, grey_pages, needs_pdftoppm, page_sizes_mm, squeezed, text_of

from counter_app.workflows.paperwork.render import render_ticket, samples


def test_an_early_ticket_says_when_serving_starts_and_when_the_customer_will_be_called():
    text = text_of(render_ticket(samples.ticket("en"), language="en"))
    assert "A001" in text
    assert "Broadband renewal" in text
    assert "East Town Branch" in text
    assert "Nobody is waiting ahead of you." in text
    assert "Estimated wait: about 3 minutes" in text
    assert "We are not serving yet." in text
    assert "Serving starts at 09:00." in text
    assert "Estimated call time: 09:00" in text
    assert "Issued 2026-03-02 08:57" in text
    assert "20260302-A001" in text  # the reference under the QR code
    assert "REPRINT" not in text


def test_a_ticket_during_opening_hours_counts_the_people_ahead_and_makes_no_opening_promise():
    data = samples.ticket("en", number="A014", people_ahead=4, estimated_wait_minutes=18, opens_at=None,
                          estimated_call_at=None)
    text = text_of(render_ticket(data, language="en"))
    assert "A014" in text
    assert "4 people are waiting ahead of you." in text
    assert "about 18 minutes" in text
    assert "not serving yet" not in text
    one = text_of(render_ticket(samples.ticket("en", people_ahead=1, opens_at=None), language="en"))
    assert "1 person is waiting ahead of you." in one


def test_a_reprinted_ticket_is_marked_as_such():
    assert "REPRINT" in text_of(render_ticket(samples.ticket("en", reprint=True), language="en"))


def test_a_chinese_ticket_carries_the_chinese_names_in_an_embedded_font():
    pdf = render_ticket(samples.ticket("zh_CN"), language="zh_CN")
    assert "城东营业厅" in squeezed(pdf)
    assert "宽带续费" in squeezed(pdf)
    assert all(fonts(pdf).values()), fonts(pdf)


def test_the_ticket_is_80_mm_wide_and_only_as_long_as_its_content():
    short = page_sizes_mm(render_ticket(samples.ticket("en", opens_at=None), language="en"))
    early = page_sizes_mm(render_ticket(samples.ticket("en"), language="en"))
    assert len(short) == len(early) == 1
    assert short[0][0] == early[0][0] == 80.0
    assert 80 < short[0][1] < early[0][1] < 200  # the early notice makes it longer


@needs_pdftoppm
def test_the_printed_ticket_is_not_blank(tmp_path):
    [(_w, _h, pixels)] = grey_pages(render_ticket(samples.ticket("zh_CN"), language="zh_CN"), tmp_path)
    assert dark_share(pixels) > 0.03
