"""The message catalogues stay complete, and the app speaks the language it is asked to."""

from __future__ import annotations

import pytest

from counter_app import catalogs, i18n
from counter_app.i18n import _, translate


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_message_of_the_source_is_translated_with_the_same_placeholders(language):
    found = catalogs.problems(language)
    assert found == [], (
        f"{len(found)} problem(s) in the {language} catalogue; run `python -m counter_app.catalogs` and "
        "translate:\n" + "\n".join(found)
    )


def test_a_placeholder_lost_in_translation_is_reported(monkeypatch):
    catalog = catalogs.load("zh_CN")
    catalog.get("Counter {number}").string = "窗口"
    monkeypatch.setattr(catalogs, "load", lambda language: catalog)
    assert "placeholders differ: 'Counter {number}' -> '窗口'" in catalogs.problems("zh_CN")


def test_the_windows_speak_chinese_while_a_document_can_still_be_english():
    i18n.set_language("zh_CN")

    assert i18n.current_language() == "zh_CN"
    assert _("Call next") == "呼叫下一位"
    assert _("Counter {number}").format(number=3) == "3号窗口"
    # A customer who reads English gets an English ticket, whatever the counter's screen speaks.
    assert translate("Call next", "en") == "Call next"
    assert translate("{count} people are waiting ahead of you.", "en").format(count=4) == (
        "4 people are waiting ahead of you.")
    assert translate("{count} people are waiting ahead of you.", "zh_CN").format(count=4) == "前面还有4人等候。"


def test_a_message_nobody_translated_shows_in_english_rather_than_blank():
    i18n.set_language("zh_CN")
    assert _("A sentence that is in no catalogue.") == "A sentence that is in no catalogue."


def test_the_call_is_announced_the_way_a_chinese_hall_says_it():
    from counter_app.ui.display.voice import call_sentence

    assert call_sentence("A012", 3, "zh_CN") == "请A012号到3号窗口办理"
    assert call_sentence("A012", 3, "en") == "Number A012, please go to counter 3."


@pytest.mark.parametrize(("locale_name", "language"), [
    ("zh_CN.UTF-8", "zh_CN"),
    ("zh-Hans", "zh_CN"),
    ("en_GB", "en"),
    ("en-US.UTF-8", "en"),
    ("fr_FR", i18n.DEFAULT_LANGUAGE),  # a language we do not have falls back to the default, Chinese
    ("", i18n.DEFAULT_LANGUAGE),
    (None, i18n.DEFAULT_LANGUAGE),
])
def test_a_locale_name_maps_onto_a_language_we_have(locale_name, language):
    assert i18n.normalise(locale_name) == language
