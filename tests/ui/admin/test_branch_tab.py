"""The Branch tab: the administrator changes the week's hours (Friday closing at 2 in the morning), the holidays,
the logo, the languages, the display and the rules; every problem is listed and nothing is saved while one
remains; unsaved edits are not overwritten by a change made elsewhere."""

import base64
import datetime as dt

from helpers.story import snapshot
from PySide6.QtGui import QColor, QImage
from sqlmodel import select

from counter_app.models import BranchSettings, Holiday, OpeningHours
from counter_app.workflows.admin import edits, setup_file


def _branch_tab(window):
    window.tabs.setCurrentWidget(window.branch_tab)
    return window.branch_tab


def _history(window, row: int = 0) -> list[str]:
    return [window.history_table.item(row, c).text() for c in range(4)]


def _png(path, size: int = 16):
    picture = QImage(size, size, QImage.Format.Format_RGB32)
    picture.fill(QColor("#c8102e"))
    assert picture.save(str(path), "PNG")
    return path


def test_friday_closes_at_two_the_next_morning_and_the_history_says_so(qtbot, admin_window, hall):
    tab = _branch_tab(admin_window)
    friday = tab.days["fri"]
    assert friday.open_check.isChecked() and friday.value() == {"day": "fri", "opens": "09:00", "closes": "17:30"}
    friday.set("16:00", "02:00")
    assert friday.next_day_label.text() == "next day"
    tab.days["sun"].open_check.setChecked(False)  # shut on Sundays
    assert tab.days["sun"].next_day_label.text() == "shut"
    tab.save_button.click()
    assert tab.message_bar.kind == "ok", tab.message_bar.text()
    with hall.read() as session:
        hours = {row.weekday: (row.opens, row.closes) for row in session.exec(select(OpeningHours))}
    assert hours[4] == (dt.time(16, 0), dt.time(2, 0))
    assert 6 not in hours and hours[0] == (dt.time(9, 0), dt.time(17, 30))
    when, who, why, what = _history(admin_window)
    assert (who, why) == ("刘洋", "branch_saved")
    assert "opening_hours 5 opens: 09:00:00 → 16:00:00" in what
    assert "opening_hours 5 closes: 17:30:00 → 02:00:00" in what
    assert "opening_hours 7 removed" in what
    assert tab.days["fri"].value() == {"day": "fri", "opens": "16:00", "closes": "02:00"}  # reloaded from the store


def test_round_the_clock_is_saved_as_the_setup_file_writes_it(qtbot, admin_window, hall):
    tab = _branch_tab(admin_window)
    tab.days["sat"].round_check.setChecked(True)
    assert not tab.days["sat"].opens_edit.isEnabled()
    assert tab.save()
    with hall.read() as session:
        saturday = next(h for h in setup_file.export_setup(session)["hours"] if h["day"] == "sat")
    assert saturday == {"day": "sat", "opens": "00:00", "closes": "24:00"}
    assert tab.days["sat"].round_check.isChecked()


def test_every_problem_is_listed_and_nothing_is_saved(qtbot, admin_window, hall, tmp_path):
    before = snapshot(hall)
    tab = _branch_tab(admin_window)
    tab.text_edits["name_zh"].setText("   ")
    tab.days["mon"].set("10:00", "10:00")
    not_png = tmp_path / "logo.png"
    not_png.write_bytes(b"GIF89a" + bytes(100))
    tab.logo_from_file(not_png)
    assert tab.logo_label.text() == "not a picture"
    assert not tab.save()
    text = tab.message_bar.text()
    assert text.startswith("The setup has 3 problems; nothing was changed:")
    assert "branch: \"name_zh\" is missing." in text
    assert "hours mon: the hall closes when it opens; round the clock is 00:00 to 24:00." in text
    assert "branch: the logo must be a PNG picture of at most 200 KB." in text
    assert snapshot(hall) == before
    assert tab.days["mon"].value() == {"day": "mon", "opens": "10:00", "closes": "10:00"}  # kept to be corrected


def test_a_logo_is_chosen_previewed_stored_and_removed(qtbot, admin_window, hall, tmp_path):
    tab = _branch_tab(admin_window)
    assert tab.logo_label.text() == "no logo" and not tab.remove_logo_button.isEnabled()
    logo = _png(tmp_path / "logo.png")
    tab.logo_from_file(logo)
    assert not tab.logo_label.pixmap().isNull()
    assert tab.save(), tab.message_bar.text()
    with hall.read() as session:
        assert base64.b64decode(session.get(BranchSettings, 1).logo) == logo.read_bytes()
    assert "branch_settings 1 logo: " in _history(admin_window)[3]
    assert len(_history(admin_window)[3]) < 400  # the picture's text is cut short in the history
    tab.remove_logo_button.click()
    assert tab.save()
    with hall.read() as session:
        assert session.get(BranchSettings, 1).logo == ""


def test_a_logo_too_large_gets_the_checks_message(qtbot, admin_window, hall, tmp_path):
    tab = _branch_tab(admin_window)
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(setup_file.LOGO_BYTES + 5000))
    tab.logo_from_file(big)
    assert not tab.save()
    assert "branch: the logo must be a PNG picture of at most 200 KB." in tab.message_bar.text()
    with hall.read() as session:
        assert session.get(BranchSettings, 1).logo == ""


def test_names_contact_languages_display_rules_and_holidays_are_saved(qtbot, admin_window, hall):
    tab = _branch_tab(admin_window)
    tab.text_edits["address_zh"].setText("城东路88号")
    tab.text_edits["hotline"].setText("10000")
    tab.text_edits["feedback_address"].setText("feedback@example.com")
    tab.language_combo.setCurrentIndex(tab.language_combo.findData("en"))
    assert [tab.announce_combo.itemText(i) for i in range(tab.announce_combo.count())] == [
        "Chinese, then English", "English, then Chinese", "Chinese only", "English only", "No voice, a chime only"]
    tab.announce_combo.setCurrentIndex(tab.announce_combo.findData("en,zh"))
    tab.spins["display_columns"].setValue(6)
    tab.spins["display_font_percent"].setValue(120)
    tab.spins["warning_share"].setValue(0.8)
    tab.spins["priority_ageing_minutes"].setValue(0)
    assert tab.spins["priority_ageing_minutes"].text() == "never"
    assert tab.spins["counter_silent_seconds"].minimum() == 15  # models/limits.py
    tab.add_holiday("2026-10-01", "国庆节")
    tab.add_holiday("2026-05-01", "劳动节")
    tab.holidays_table.selectRow(0)
    tab.remove_holiday_button.click()  # 1 May after all
    assert tab.save(), tab.message_bar.text()
    with hall.read() as session:
        branch = session.get(BranchSettings, 1)
        holidays = [(h.day, h.note) for h in session.exec(select(Holiday))]
    assert (branch.address_zh, branch.hotline, branch.feedback_address) == ("城东路88号", "10000",
                                                                            "feedback@example.com")
    assert (branch.default_language, branch.announce_languages) == ("en", "en,zh")
    assert (branch.display_columns, branch.display_font_percent, branch.warning_share) == (6, 120, 0.8)
    assert branch.priority_ageing_minutes == 0
    assert holidays == [(dt.date(2026, 10, 1), "国庆节")]
    assert branch.name_zh == "城东营业厅"  # what was not touched stays


def test_unsaved_edits_are_not_overwritten_by_a_change_made_elsewhere(qtbot, admin_window, hall, backend):
    tab = _branch_tab(admin_window)
    tab.text_edits["hotline"].setText("10086")
    backend.act(edits.save_branch, staff_id=admin_window.admin.id, branch={"address_en": "88 East Road"})
    assert tab.text_edits["hotline"].text() == "10086"
    assert "changed on another PC" in tab.message_bar.text()
    assert tab.save()
    with hall.read() as session:
        branch = session.get(BranchSettings, 1)
    assert (branch.hotline, branch.address_en) == ("10086", "")  # the page, as the message said
