"""The administrator's window: a new service and the counter that serves it reach the kiosk on another PC,
a person is added and given a password, a service's warning and breach marks, a counter's order of preference,
problems are named and nothing is half-saved."""

import json

import pytest
from helpers.story import snapshot
from sqlmodel import select

from counter_app.models import Staff
from counter_app.models.db import Store
from counter_app.settings import Settings
from counter_app.ui.admin.window import AdminSignInDialog
from counter_app.ui.common.backend import Backend
from counter_app.ui.kiosk.window import KioskWindow
from counter_app.workflows.admin import setup_file
from counter_app.workflows.core import audit, auth
from counter_app.workflows.replay import demo


def test_only_an_administrator_opens_the_administration(qtbot, hall, clock, backend):
    dialog = AdminSignInDialog(backend)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText("M001")
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    dialog.ok_button.click()
    assert dialog.staff is None
    assert dialog.message_bar.text() == "Only an administrator can open the administration."


def test_a_new_service_served_at_a_counter_shows_on_the_kiosk_of_another_pc_within_a_second(
        qtbot, admin_window, hall, clock, tmp_path):
    kiosk_pc = Backend(Store(hall.url), clock, refresh_ms=50, evaluate_ms=0)
    try:
        kiosk = KioskWindow(kiosk_pc, Settings(tmp_path / "kiosk.json"))
        qtbot.addWidget(kiosk)
        assert "CARD" not in kiosk.service_buttons
        dialog = admin_window.edit_service(None)
        dialog.code_edit.setText("card")
        dialog.name_zh_edit.setText("补卡")
        dialog.name_en_edit.setText("SIM card replacement")
        dialog.prefix_edit.setText("E")
        dialog.counters_edit.setText("2, 7")
        dialog.ok_button.click()
        assert dialog.saved, dialog.message_bar.text()
        qtbot.waitUntil(lambda: "CARD" in kiosk.service_buttons, timeout=1000)
    finally:
        kiosk_pc.stop()
    rows = {admin_window.services_table.item(r, 0).text(): admin_window.services_table.item(r, 6).text()
            for r in range(admin_window.services_table.rowCount())}
    assert rows["CARD"] == "2, 7"  # counter 7 is new, made by the edit
    with hall.read() as session:
        assert audit.verify(session).ok
    history = admin_window.history_table.item(0, 1).text(), admin_window.history_table.item(0, 2).text()
    assert history == ("刘洋", "service_saved")


def test_a_problem_is_named_and_nothing_is_saved(qtbot, admin_window, hall):
    before = snapshot(hall)
    dialog = admin_window.edit_service(None)
    dialog.code_edit.setText("LONELY")
    dialog.name_zh_edit.setText("无人办理")
    dialog.name_en_edit.setText("Nobody serves it")
    dialog.prefix_edit.setText("A")  # broadband's
    dialog.ok_button.click()
    assert not dialog.saved
    assert "service LONELY: the ticket prefix A is already BB's." in dialog.message_bar.text()
    assert "service LONELY: no counter serves it." in dialog.message_bar.text()
    assert snapshot(hall) == before


def test_a_new_person_signs_in_once_the_administrator_sets_their_password(qtbot, admin_window, hall, clock):
    dialog = admin_window.edit_person(None)
    dialog.staff_no_edit.setText("S100")
    dialog.name_edit.setText("周敏")
    dialog.ok_button.click()
    assert dialog.saved, dialog.message_bar.text()
    staff_numbers = [admin_window.staff_table.item(r, 0).text() for r in range(admin_window.staff_table.rowCount())]
    admin_window.staff_table.selectRow(staff_numbers.index("S100"))
    admin_window.password_button.click()
    password = admin_window.open_dialogs[-1]
    password.new_edit.setText("2468")
    password.own_edit.setText(demo.DEMO_PASSWORD)
    password.ok_button.click()
    with hall.write() as session, pytest.raises(auth.PasswordChangeRequired):  # theirs to choose at first
        auth.authenticate(session, staff_no="S100", password="2468")
    with hall.write() as session:
        auth.change_password(session, clock, staff_no="S100", password="2468", new_password="1357")
    with hall.write() as session:
        assert auth.authenticate(session, staff_no="S100", password="1357").name == "周敏"
        assert session.exec(select(Staff).where(Staff.staff_no == "S100")).one().role == "clerk"


def test_the_history_shows_who_changed_which_setting_from_what_to_what(qtbot, admin_window, hall):
    dialog = admin_window.edit_service("BB")
    dialog.spins["target_wait_min"].setValue(12)
    dialog.ok_button.click()
    assert dialog.saved, dialog.message_bar.text()
    when, who, why, what = (admin_window.history_table.item(0, c).text() for c in range(4))
    assert (who, why) == ("刘洋", "service_saved")
    assert what == "service 1 target_wait_min: 15 → 12"
    assert admin_window.history_table.item(admin_window.history_table.rowCount() - 1, 2).text() == "demo_hall"


def test_the_administrator_names_a_counter_for_senior_clerks_and_the_display_shows_its_name(
        qtbot, admin_window, hall, clock):
    from counter_app.workflows.queue import board

    dialog = admin_window.edit_counter(6)
    assert dialog.services_edit.text() == "BB, VIP"
    dialog.name_edit.setText("VIP窗口")
    dialog.senior_check.setChecked(True)
    dialog.ok_button.click()
    assert dialog.saved, dialog.message_bar.text()
    row = [admin_window.counters_table.item(5, c).text() for c in range(4)]
    assert row == ["6", "VIP窗口", "BB, VIP", "yes"]
    with hall.read() as session:
        assert {c.number: c.name for c in board.display_board(session, clock).counters}[6] == "VIP窗口"
    new = admin_window.edit_counter(None)
    new.number_spin.setValue(9)
    new.services_edit.setText("bill, nope")
    new.ok_button.click()
    assert not new.saved and "counter 9: no service has the code NOPE." in new.message_bar.text()


def _service(hall, code: str) -> dict:
    with hall.read() as session:
        return next(s for s in setup_file.export_setup(session)["services"] if s["code"] == code)


def test_the_administrator_sets_a_services_warning_marks_limits_sentence_and_terms(qtbot, admin_window, hall):
    dialog = admin_window.edit_service("BB")
    assert dialog.spins["wait_warning_min"].text() == "75% of the target"  # 0: the branch's share
    for name, value in (("wait_warning_min", 12), ("service_warning_min", 8), ("idle_warning_min", 4),
                        ("idle_breach_min", 8), ("queue_warning_len", 10), ("queue_breach_len", 20)):
        dialog.spins[name].setValue(value)
    dialog.texts["script_zh"].setText("请稍候，大约还需{minutes}分钟。")
    dialog.texts["terms_zh"].setPlainText("本人已阅读并同意资费说明。\n\n续费即时生效。\n")
    dialog.ok_button.click()
    assert dialog.saved, dialog.message_bar.text()
    saved = _service(hall, "BB")
    assert (saved["wait_warning_min"], saved["service_warning_min"], saved["idle_warning_min"],
            saved["idle_breach_min"], saved["queue_warning_len"], saved["queue_breach_len"]) == (12, 8, 4, 8, 10, 20)
    assert saved["script_zh"] == "请稍候，大约还需{minutes}分钟。"
    assert saved["terms_zh"] == "本人已阅读并同意资费说明。\n续费即时生效。"
    again = admin_window.edit_service("BB")
    assert again.spins["idle_breach_min"].value() == 8
    assert again.texts["terms_zh"].toPlainText() == saved["terms_zh"]


def test_a_warning_mark_past_its_target_and_a_breach_before_its_warning_are_named_and_nothing_is_saved(
        qtbot, admin_window, hall):
    before, service_before = snapshot(hall), _service(hall, "BB")
    dialog = admin_window.edit_service("BB")
    dialog.spins["wait_warning_min"].setValue(20)  # the wait target is 15
    dialog.spins["idle_breach_min"].setValue(2)  # the branch's idle alert is 3
    dialog.ok_button.click()
    assert not dialog.saved
    text = dialog.message_bar.text()
    assert "service BB: the wait warning mark (20 min) must come before its target (15 min)." in text
    assert "service BB: the idle breach mark (2 min) must come after the idle warning mark (3 min)." in text
    assert dialog.isVisible() and dialog.spins["wait_warning_min"].value() == 20  # what was typed stays
    assert snapshot(hall) == before and _service(hall, "BB") == service_before


def test_a_counters_order_of_preference_is_saved_and_exported(qtbot, admin_window, hall, tmp_path):
    dialog = admin_window.edit_counter(3)
    assert dialog.order() == [("BB", False), ("BILL", False), ("NEW", False), ("PLAN", False)]
    dialog.tick("NEW")
    dialog.tick("PLAN")
    dialog.move(-1)  # PLAN, the one just ticked, before NEW
    dialog.order_spin.setValue(2)
    assert dialog.order() == [("BB", False), ("BILL", False), ("PLAN", True), ("NEW", True)]
    dialog.ok_button.click()
    assert dialog.saved, dialog.message_bar.text()
    admin_window.export_to(tmp_path / "setup.json")
    exported = json.loads((tmp_path / "setup.json").read_text(encoding="utf-8"))
    counter = next(c for c in exported["counters"] if c["number"] == 3)
    assert (counter["preference"], counter["display_order"]) == (["PLAN", "NEW"], 2)
    again = admin_window.edit_counter(3)
    assert again.order() == [("PLAN", True), ("NEW", True), ("BB", False), ("BILL", False)]
    assert again.order_spin.value() == 2


def test_the_preference_list_follows_the_services_typed(qtbot, admin_window):
    dialog = admin_window.edit_counter(6)
    dialog.tick("VIP")
    dialog.services_edit.setText("VIP, bill")
    assert dialog.order() == [("VIP", True), ("BILL", False)]



def test_the_staff_dialog_offers_every_role_the_store_knows(qtbot, admin_window):
    from counter_app.models import Role
    from counter_app.ui.admin.dialogs import StaffDialog

    dialog = StaffDialog(admin_window.backend, admin_window.admin.id, None)
    qtbot.addWidget(dialog)
    offered = {dialog.role_combo.itemData(i) for i in range(dialog.role_combo.count())}
    assert offered == {str(role) for role in Role}
