"""The apology / explanation notice (致歉说明函) after a visit that broke its targets (F8)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.pdf_checks import dark_share, fonts, grey_pages, needs_pdftoppm, page_sizes_mm, squeezed, text_of

from counter_app.workflows.paperwork.render import render_apology, samples
from counter_app.workflows.paperwork.render.data import LegMinutes, VisitTimes


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


# -- a transferred visit: each queue and each counter against its own targets -------------------------


def transferred(language: str, *legs: LegMinutes, **changes):
    visit = VisitTimes(issued_at=dt.datetime(2026, 3, 2, 9, 0), called_at=dt.datetime(2026, 3, 2, 9, 26),
                       started_at=dt.datetime(2026, 3, 2, 9, 26), finished_at=dt.datetime(2026, 3, 2, 9, 29),
                       wait_seconds=23 * 60, service_seconds=6 * 60)
    return samples.apology(language, visit=visit, legs=legs, **changes)


BROADBAND = LegMinutes("Broadband renewal", 14, 15, 3, 10)
BILL = LegMinutes("Bill payment", 9, 10, 3, 5)


def test_a_transferred_visit_is_told_queue_by_queue_never_its_sum_against_one_target():
    text = text_of(render_apology(transferred("en", BROADBAND, BILL), language="en"))
    assert ("You queued twice: 14 minutes for Broadband renewal (our target 15 minutes) and 9 minutes for Bill "
            "payment (our target 10 minutes), 23 minutes in all.") in text
    assert "Each service was within its target: 6 minutes in all." in text
    assert "You waited" not in text and "The service took" not in text
    assert "In all, your visit took 29 minutes, from 09:00 to 09:29." in text


def test_three_queues_are_listed_with_commas_and_the_in_all_adds_up_as_printed():
    new_line = LegMinutes("New line", 4, 20, 12, 25)
    text = text_of(render_apology(transferred("en", BROADBAND, BILL, new_line), language="en"))
    assert ("You queued 3 times: 14 minutes for Broadband renewal (our target 15 minutes), 9 minutes for Bill "
            "payment (our target 10 minutes) and 4 minutes for New line (our target 20 minutes), 27 minutes in "
            "all.") in text


def test_a_counter_that_reached_its_target_is_told_counter_by_counter():
    slow_bill = LegMinutes("Bill payment", 9, 10, 6, 5)
    text = text_of(render_apology(transferred("en", BROADBAND, slow_bill), language="en"))
    assert ("At the counter, Broadband renewal took 3 minutes (our target 10 minutes) and Bill payment took 6 "
            "minutes (our target 5 minutes), 9 minutes in all.") in text
    assert "within its target" not in text


def test_a_transferred_customer_not_yet_served_again_is_told_only_what_happened():
    # Transferred after the call, before the service started; the second queue not called yet.
    waiting = LegMinutes("Bill payment", None, 10, None, 5)
    text = text_of(render_apology(transferred("en", LegMinutes("Broadband renewal", 14, 15, None, 10), waiting,
                                              counter_number=None), language="en"))
    assert "You waited 14 minutes before you were called; our target is 15 minutes." in text
    assert "You queued" not in text and "At the counter" not in text and "The service took" not in text


def test_a_visit_of_one_leg_reads_as_before():
    plain = text_of(render_apology(samples.apology("en"), language="en"))
    one_leg = samples.apology("en", legs=(LegMinutes("Broadband renewal", 3, 10, 32, 15),))
    assert text_of(render_apology(one_leg, language="en")) == plain


def test_the_chinese_notice_lists_the_queues_with_chinese_punctuation():
    legs = (LegMinutes("宽带续费", 14, 15, 3, 10), LegMinutes("缴费", 9, 10, 6, 5))
    text = squeezed(render_apology(transferred("zh_CN", *legs), language="zh_CN"))
    assert "您排了两次队，共等候23分钟：宽带续费等候14分钟（时限15分钟）、缴费等候9分钟（时限10分钟）。" in text
    assert "窗口办理共用时9分钟：宽带续费办理3分钟（时限10分钟）、缴费办理6分钟（时限5分钟）。" in text


@needs_pdftoppm
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_transferred_visits_notice_prints_whole_on_a5(tmp_path, language):
    # The seed's escalated visit (explanation, approval, remedy), transferred: the longest notice there is.
    # It may run onto a numbered second sheet (the English one does), but nothing is cut off.
    pdf = render_apology(transferred(language, BROADBAND, BILL), language=language)
    assert set(page_sizes_mm(pdf)) == {(148.0, 210.0)}
    assert "APO-20260302-0001" in text_of(pdf) and ("Tell us what you think" in text_of(pdf) or "意见反馈" in
                                                    squeezed(pdf))
    pages = grey_pages(pdf, tmp_path)
    assert all(dark_share(pixels) > 0.005 for _w, _h, pixels in pages)
