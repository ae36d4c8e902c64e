"""The acceptance form (业务受理单) a customer reads and signs (F7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from helpers.pdf_checks import (
    dark_share,
    font_sizes,
    fonts,
    grey_pages,
    needs_pdftoppm,
    page_sizes_mm,
    page_texts,
    squeezed,
    text_of,
)

from counter_app.workflows.paperwork.render import acceptance, render_acceptance_form, samples
from counter_app.workflows.paperwork.render.data import LineItem, Transaction


def test_the_form_opens_with_one_plain_sentence_of_what_is_being_signed():
    text = text_of(render_acceptance_form(samples.acceptance_form("en"), language="en"))
    assert ("You are renewing Broadband 100M for 12 months, 1,200.00 yuan, from 2026-03-02 to 2027-03-01."
            in text)
    assert text.index("You are renewing") < text.index("Customer")  # at the top, before the details


def test_the_form_shows_the_facts_and_masks_the_customers_personal_data():
    text = text_of(render_acceptance_form(samples.acceptance_form("en"), language="en"))
    for fact in ("Business acceptance form", "ACC-20260302-0001", "2026-03-02 09:31", "East Town Branch",
                 "A001", "Counter 2, clerk no. 1003", "Broadband renewal", "12 months", "2026-03-02",
                 "2027-03-01", "¥1,200.00", "WeChat Pay", "EXC-20260302-0001", "Customer signature",
                 "Clerk, staff no. 1003", "Page 1 of 1"):
        assert fact in text, fact
    assert "138****1234" in text and "13812341234" not in text
    assert "W*** J******" in text and "Wang Jianguo" not in text
    assert "110***********1234" in text and "110101198001011234" not in text
    assert "*********6666" in text and "88886666" not in text
    assert "Please check the summary" in text  # the standard terms when the store gives none


def test_the_chinese_form_carries_the_data_in_chinese_with_the_font_embedded():
    pdf = render_acceptance_form(samples.acceptance_form("zh_CN"), language="zh_CN")
    text = squeezed(pdf)
    for fact in ("城东营业厅", "宽带续费", "宽带100M", "王**", "2010年欠费记录已核实结清"):
        assert fact in text, fact
    assert "王建国" not in text
    assert all(fonts(pdf).values()), fonts(pdf)
    assert page_sizes_mm(pdf) == [(210.0, 297.0)]


def test_no_text_on_the_form_is_smaller_than_11_pt():
    assert acceptance.MIN_SIZE >= 11 and acceptance.BODY_SIZE >= acceptance.MIN_SIZE
    for language in ("en", "zh_CN"):
        sizes = font_sizes(render_acceptance_form(samples.acceptance_form(language), language=language))
        assert min(sizes) >= 11, sizes
        assert acceptance.SUMMARY_SIZE in sizes and acceptance.BODY_SIZE in sizes


def test_each_kind_of_business_has_its_own_summary():
    base = samples.acceptance_form("en")
    change = samples.acceptance_form("en", transaction=Transaction.PLAN_CHANGE, product="Mobile 5G 129",
                                     term_months=None, effective_to=None, effective_from=dt.date(2026, 4, 1),
                                     items=(LineItem("Plan change fee", Decimal("0")),))
    assert (acceptance.summary_text(change, "en")
            == "You are changing your plan to Mobile 5G 129 from 2026-04-01. You pay 0.00 yuan today.")
    bill = samples.acceptance_form("en", transaction=Transaction.BILL_PAYMENT, effective_to=None,
                                   items=(LineItem("February bill", Decimal("89.5")),))
    assert acceptance.summary_text(bill, "en") == "You are paying 89.50 yuan for Broadband 100M."
    line = samples.acceptance_form("en", transaction=Transaction.NEW_LINE, product="Fibre 300M")
    assert acceptance.summary_text(line, "en") == (
        "You are opening a new line with Fibre 300M from 2026-03-02. You pay 1,200.00 yuan today. "
        "It runs until 2027-03-01.")
    assert acceptance.summary_text(base, "en").startswith("You are renewing")


def test_a_product_named_after_the_renewal_is_not_renewed_twice_in_the_sentence():
    named = samples.acceptance_form("zh_CN", product="宽带续费")
    text = acceptance.summary_text(named, "zh_CN")
    assert "续费续费" not in text and text.startswith("您正在办理宽带续费，期限12个月")
    assert acceptance.summary_text(samples.acceptance_form("en", product="Broadband renewal"), "en").startswith(
        "You are taking Broadband renewal for 12 months")


def test_a_long_form_flows_onto_a_second_page_and_keeps_the_signatures_with_the_declaration():
    terms = tuple(f"Term {n}: a short paragraph that the store provides for this service, in plain words."
                  for n in range(1, 16))
    pages = page_texts(render_acceptance_form(samples.acceptance_form("en", terms=terms), language="en"))
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert "ACC-20260302-0001" in pages[1]  # every page carries the reference
    last = pages[-1]
    assert "I have read this form" in last and "Customer signature" in last


def test_a_reprint_is_marked():
    text = text_of(render_acceptance_form(samples.acceptance_form("en", reprint=True), language="en"))
    assert "REPRINT" in text


@needs_pdftoppm
def test_the_printed_form_is_not_blank(tmp_path):
    pdf = render_acceptance_form(samples.acceptance_form("zh_CN"), language="zh_CN")
    [(_w, _h, pixels)] = grey_pages(pdf, tmp_path)
    assert dark_share(pixels) > 0.02


def test_the_same_form_gives_the_same_bytes_so_its_archived_sha256_can_be_checked():
    data = samples.acceptance_form("zh_CN")
    first = render_acceptance_form(data, language="zh_CN")
    assert render_acceptance_form(data, language="zh_CN") == first
    assert render_acceptance_form(samples.acceptance_form("zh_CN", reference="ACC-20260302-0002"),
                                  language="zh_CN") != first
