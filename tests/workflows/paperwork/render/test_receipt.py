"""The receipt after a service, on the thermal roll and on A4."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers.pdf_checks import dark_share, fonts, grey_pages, needs_pdftoppm, page_sizes_mm, squeezed, text_of

from counter_app.workflows.paperwork.render import render_receipt, samples
from counter_app.workflows.paperwork.render.data import LineItem, PaymentMethod
from counter_app.workflows.paperwork.render.receipt import A4_PAGE, ROLL


@pytest.mark.parametrize("paper", [ROLL, A4_PAGE])
def test_the_receipt_shows_what_was_paid_how_by_whom_and_how_long_it_took(paper):
    text = text_of(render_receipt(samples.receipt("en"), language="en", paper=paper))
    for fact in ("East Town Branch", "Receipt", "RCP-20260302-0001", "2026-03-02 09:33", "A001",
                 "Broadband renewal", "Broadband 100M, 12-month renewal", "¥1,200.00", "WeChat Pay",
                 "1003", "3 min", "32 min", "not a tax invoice"):
        assert fact in text, fact
    assert "Waiting time 3 min" in text
    assert "Service time 32 min" in text


def test_several_items_add_up_to_an_exact_total_in_yuan():
    items = (LineItem("Broadband 100M, 12-month renewal", Decimal("1200.00")),
             LineItem("SIM card", Decimal("10.10"), quantity=3),
             LineItem("Fee waiver approved by the duty manager", Decimal("-30.30")))
    data = samples.receipt("en", items=items, payment_method=PaymentMethod.CASH)
    assert data.total == Decimal("1200.00")
    text = text_of(render_receipt(data, language="en"))
    assert "SIM card × 3 ¥30.30" in text
    assert "-¥30.30" in text
    assert "Total ¥1,200.00" in text
    assert "Cash" in text


def test_a_reprinted_receipt_is_marked_on_both_papers():
    data = samples.receipt("en", reprint=True)
    assert "REPRINT" in text_of(render_receipt(data, language="en", paper=ROLL))
    assert "REPRINT" in text_of(render_receipt(data, language="en", paper=A4_PAGE))


def test_the_paper_sizes_are_the_roll_and_a4():
    [(width, height)] = page_sizes_mm(render_receipt(samples.receipt("en"), language="en", paper=ROLL))
    assert width == 80.0 and height < 200
    assert page_sizes_mm(render_receipt(samples.receipt("en"), language="en", paper=A4_PAGE)) == [(210.0, 297.0)]


@needs_pdftoppm
@pytest.mark.parametrize("paper", [ROLL, A4_PAGE])
def test_a_chinese_receipt_has_its_chinese_text_embedded_and_printed(paper, tmp_path):
    pdf = render_receipt(samples.receipt("zh_CN"), language="zh_CN", paper=paper)
    assert "宽带100M包年续费" in squeezed(pdf)
    assert "城东营业厅" in squeezed(pdf)
    assert all(fonts(pdf).values())
    [(_w, _h, pixels)] = grey_pages(pdf, tmp_path)
    assert dark_share(pixels) > (0.02 if paper == ROLL else 0.005)
