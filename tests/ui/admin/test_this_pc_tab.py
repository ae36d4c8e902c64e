"""The This PC tab: the administrator sets this PC's language, voice, display and printers; they are written to
this PC's settings file only, never to the branch's store."""

import json

from helpers.story import snapshot

from counter_app.settings import Settings
from counter_app.ui.admin.this_pc import set_value


def _this_pc_tab(window):
    window.tabs.setCurrentWidget(window.this_pc_tab)
    return window.this_pc_tab


def test_this_pcs_settings_are_written_to_its_own_settings_file(qtbot, admin_window, hall, pc_settings):
    before = snapshot(hall)
    tab = _this_pc_tab(admin_window)
    assert "belong to this PC only" in tab.note.text() and str(pc_settings.path) in tab.note.text()
    assert [tab.document_combo.itemText(i) for i in range(tab.document_combo.count())] == [
        "The system's default printer", "Hall laser", "Receipt 80 mm"]
    assert [tab.kind_combos["receipt_printer"].itemData(i) for i in range(3)] == ["", "pdf", "Hall laser"]
    set_value(tab.language_combo, "en")
    tab.voice_check.setChecked(False)
    tab.recent_spin.setValue(10)
    set_value(tab.ticket_combo, "system:Receipt 80 mm")
    set_value(tab.document_combo, "Hall laser")
    set_value(tab.kind_combos["receipt_printer"], "Receipt 80 mm")
    set_value(tab.kind_combos["acceptance_printer"], "pdf")
    tab.save_button.click()
    assert tab.message_bar.kind == "ok", tab.message_bar.text()
    written = json.loads(pc_settings.path.read_text(encoding="utf-8"))
    assert written == {"language": "en", "voice": False, "display_recent": 10,
                       "ticket_printer": "system:Receipt 80 mm", "document_printer": "Hall laser",
                       "receipt_printer": "Receipt 80 mm", "acceptance_printer": "pdf"}  # apology: unchanged
    again = Settings(path=pc_settings.path)
    assert again.get("apology_printer") == "" and again.get("voice") is False
    assert snapshot(hall) == before  # nothing of this PC's goes into the branch's store


def test_an_escpos_ticket_printer_may_be_typed_and_an_unknown_one_is_refused(qtbot, admin_window, pc_settings):
    tab = _this_pc_tab(admin_window)
    tab.ticket_combo.setEditText("lpt1")
    assert not tab.save()
    assert tab.message_bar.text() == "The ticket printer lpt1 is not one this app knows."
    assert not pc_settings.path.exists()
    tab.ticket_combo.setEditText("escpos:network:10.0.0.5:9100")
    assert tab.save(), tab.message_bar.text()
    assert Settings(path=pc_settings.path).get("ticket_printer") == "escpos:network:10.0.0.5:9100"


def test_a_printer_no_longer_installed_is_kept_as_it_was(qtbot, hall, backend, tmp_path, monkeypatch):
    from counter_app.ui.admin import this_pc

    monkeypatch.setattr(this_pc, "system_printers", lambda: [])
    settings = Settings(path=tmp_path / "settings.json")
    settings.set("document_printer", "Old laser")
    tab = this_pc.ThisPcTab(settings)
    qtbot.addWidget(tab)
    assert tab.document_combo.currentText() == "Old laser"
    assert tab.values()["document_printer"] == "Old laser"
