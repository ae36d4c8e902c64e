"""The apology / explanation notice (致歉说明函) after a visit that broke its targets (F8)."""

from __future__ import annotations

import datetime as dt

from pdf_checks import dark_share, fonts, grey_pages, needs_pdftoppm, page_sizes_mm, squeezed, text_of

from counter_app.documents import render_apology, samples
from counter_app.documents.data import VisitTimes


def test_the_notice_tells_the_seed_visit_with_its_real_minutes_and_targets():
    text = text_of(render_apology(samples.apology("en"), language="en"))
    assert "On 2026-03-02 at 08:57 you took ticket A001 for Broadband renewal." in text
    assert "You waited 3 minutes before you were called to counter 2; our target is 10 minutes." in text
    assert "The service took 32 minutes, against our target of 15 minutes." in text
    assert "In all, your visit took 36 minutes, from 08:57 to 09:33." in text
    assert "passed on to a more senior colleague" in text


def test_the_notice_gives_the_explanation_the_approval_and_who_approved_it():
    text = text_of(render_apology(samples.apology("en"), language="en"))
    assert "Your account carried an unpaid fee from 2010." in text
    assert "The 2010 arrears flag was checked" in text
    assert "Approved by Liu Fang (Duty manager) at 09:28." in text
    assert "One extra month of broadband" in text
    assert "We are sorry" in text
    assert "Liu Fang" in text and "Duty manager, East Town Branch" in text


def test_the_notice_says_how_to_give_feedback_with_its_reference():
    text = text_of(render_apology(samples.apology("en"), language="en"))
    assert "Tell us what you think" in text
    assert "APO-20260302-0001" in text


def test_a_visit_that_was_not_escalated_and_not_yet_called_says_only_what_is_true():
    visit = VisitTimes(issued_at=dt.datetime(2026, 3, 2, 10, 0))
    data = samples.apology("en", visit=visit, escalated=False, approvals=(), remedy="", counter_number=None)
    text = text_of(render_apology(data, language="en"))
    assert "you took ticket A001" in text
    assert "You waited" not in text and "The service took" not in text
    assert "senior colleague" not in text
    assert "What we did" not in text


def test_the_chinese_notice_is_a5_with_the_managers_chinese_explanation_embedded():
    pdf = render_apology(samples.apology("zh_CN"), language="zh_CN")
    text = squeezed(pdf)
    assert "这笔费用当年已由值班经理处理结清" in text
    assert "刘芳" in text
    assert "赠送1个月宽带使用期" in text
    assert page_sizes_mm(pdf) == [(148.0, 210.0)]
    assert all(fonts(pdf).values())


@needs_pdftoppm
def test_the_printed_notice_is_not_blank(tmp_path):
    [(_w, _h, pixels)] = grey_pages(render_apology(samples.apology("zh_CN"), language="zh_CN"), tmp_path)
    assert dark_share(pixels) > 0.02
