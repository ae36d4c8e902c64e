"""The drawing helpers every document shares: wrapping, amounts, times, pages, QR codes and barcodes."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from helpers.pdf_checks import grey_pages, needs_pdftoppm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from counter_app.workflows.paperwork.render.data import LineItem, VisitTimes, minutes_between
from counter_app.workflows.paperwork.render.fonts import document_font
from counter_app.workflows.paperwork.render.layout import (
    QUIET_MODULES,
    Block,
    amount_text,
    code128_bars,
    draw_code128,
    draw_qr,
    money,
    qr_matrix,
    wrap,
)
from counter_app.workflows.paperwork.render.pages import paginate


@pytest.fixture
def font() -> str:
    return document_font().name


def test_english_wraps_between_words_and_no_line_is_too_wide(font):
    text = "Please check the summary, the amounts and the dates on this form before you sign."
    lines = wrap(text, font, 12, 150)
    assert len(lines) > 2
    assert " ".join(lines) == text
    assert all(stringWidth(line, font, 12) <= 150 for line in lines)


def test_chinese_wraps_between_characters_but_never_before_closing_punctuation(font):
    text = "签字前请核对本单的概要、金额和日期。如有不清楚的地方，请向营业员询问。"
    lines = wrap(text, font, 12, 60)
    assert "".join(lines) == text
    assert all(stringWidth(line, font, 12) <= 60 + stringWidth("。", font, 12) for line in lines)
    assert not any(line[0] in "，。、" for line in lines)


def test_mixed_text_keeps_latin_words_and_numbers_whole(font):
    lines = wrap("您正在为宽带100M续费12个月，共1,200.00元，有效期自2026-03-02至2027-03-01。", font, 12, 90)
    assert any("2026-03-02" in line for line in lines)
    assert any("1,200.00" in line for line in lines)


def test_a_word_wider_than_the_line_is_split(font):
    lines = wrap("ACC-20260302-0001-0002-0003-0004", font, 12, 50)
    assert "".join(lines) == "ACC-20260302-0001-0002-0003-0004"
    assert all(stringWidth(line, font, 12) <= 50 for line in lines)


def test_a_newline_starts_a_new_line(font):
    assert wrap("first\nsecond", font, 12, 500) == ["first", "second"]


def test_amounts_are_yuan_with_two_decimals_and_thousands_separators():
    assert money(Decimal("1200")) == "¥1,200.00"
    assert money(Decimal("0.125")) == "¥0.13"
    assert money(Decimal("-50")) == "-¥50.00"
    assert amount_text(Decimal("1234567.8")) == "1,234,567.80"
    assert LineItem("SIM card", Decimal("10.50"), quantity=3).total == Decimal("31.50")


def test_minutes_are_rounded_the_way_a_customer_counts_them():
    start = dt.datetime(2026, 3, 2, 8, 57)
    assert minutes_between(start, start + dt.timedelta(minutes=36)) == 36
    assert minutes_between(start, start + dt.timedelta(minutes=2, seconds=29)) == 2
    assert minutes_between(start, start + dt.timedelta(minutes=2, seconds=30)) == 3
    assert minutes_between(start, None) is None
    visit = VisitTimes(issued_at=start, called_at=start + dt.timedelta(minutes=3))
    assert visit.wait_minutes == 3
    assert visit.service_minutes is None


def _block(height: float, keep: bool = False) -> Block:
    return Block(height, lambda c, x, y: None, keep)


def test_blocks_flow_onto_a_new_page_when_the_page_is_full():
    pages = paginate([_block(40), _block(40), _block(40)], available=100)
    assert [len(p) for p in pages] == [2, 1]


def test_a_heading_moves_to_the_next_page_with_the_text_it_introduces():
    heading, text = _block(10, keep=True), _block(30)
    pages = paginate([_block(70), heading, text], available=100)
    assert len(pages[0]) == 1
    assert pages[1] == [heading, text]


def test_a_block_taller_than_a_page_still_gets_a_page_of_its_own():
    pages = paginate([_block(20), _block(300), _block(20)], available=100)
    assert [len(p) for p in pages] == [1, 1, 1]


def _draw(draw) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(300, 300))
    draw(c)
    c.showPage()
    c.save()
    return buffer.getvalue()


@needs_pdftoppm
def test_the_qr_code_drawn_has_exactly_the_encoders_modules(tmp_path):
    value = "ACC-20260302-0001"
    matrix = qr_matrix(value)
    x, y, size = 50.0, 50.0, 200.0
    width, _height, pixels = grey_pages(_draw(lambda c: draw_qr(c, value, x, y, size)), tmp_path, 144)[0]
    scale = 144 / 72
    cell = size / (len(matrix) + 2 * QUIET_MODULES)
    for row, modules in enumerate(matrix):
        for col, dark in enumerate(modules):
            px = int((x + (QUIET_MODULES + col + 0.5) * cell) * scale)
            py = int((300 - (y + size - (QUIET_MODULES + row + 0.5) * cell)) * scale)
            assert (pixels[py * width + px] < 128) == dark, (row, col)


@needs_pdftoppm
def test_the_barcode_drawn_has_the_code128_bars_of_the_reference(tmp_path):
    value = "ACC-20260302-0001"
    modules, bars = code128_bars(value)
    drawn = {}
    pdf = _draw(lambda c: drawn.setdefault("width", draw_code128(c, value, 10, 100, 280, 40, align="left")))
    width, _height, pixels = grey_pages(pdf, tmp_path, 288)[0]
    scale = 288 / 72
    module = drawn["width"] / modules
    dark_modules = {start + i for start, w in bars for i in range(w)}
    row = int((300 - 120) * scale)
    for m in range(modules):
        px = int((10 + (m + 0.5) * module) * scale)
        assert (pixels[row * width + px] < 128) == (m in dark_modules), m
    assert bars[0][0] == 0 and modules > 100  # starts with a bar; a real symbol, not an empty one
