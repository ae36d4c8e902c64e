"""A document speaks the customer's language, whatever language the window speaks."""

from __future__ import annotations

import pytest
from helpers.pdf_checks import text_of

from counter_app import i18n
from counter_app.workflows.paperwork.render import render_receipt, samples


@pytest.fixture
def chinese_catalogue(monkeypatch):
    i18n.translate("Receipt", "zh_CN")  # load the real catalogue first, then add what this test needs
    catalogue = dict(i18n._catalogs["zh_CN"], **{"Receipt": "收据", "Paid by": "支付方式", "WeChat Pay": "微信支付"})
    monkeypatch.setitem(i18n._catalogs, "zh_CN", catalogue)


def test_a_chinese_customer_gets_a_chinese_receipt_from_an_english_window(chinese_catalogue):
    i18n.set_language("en")
    text = text_of(render_receipt(samples.receipt("zh_CN"), language="zh_CN"))
    assert "收据" in text and "微信支付" in text
    assert "Receipt" not in text


def test_an_english_customer_gets_an_english_receipt_from_a_chinese_window(chinese_catalogue):
    i18n.set_language("zh_CN")
    text = text_of(render_receipt(samples.receipt("en"), language="en"))
    assert "Receipt" in text and "WeChat Pay" in text
    assert "收据" not in text


def test_a_locale_name_is_understood_as_its_language(chinese_catalogue):
    assert "收据" in text_of(render_receipt(samples.receipt("zh_CN"), language="zh_CN.UTF-8"))
