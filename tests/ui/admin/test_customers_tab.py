"""The administrator's Customers tab: the segment rules (every problem listed), an import with good and bad rows
(the bad ones listed with their line, the good ones imported on confirmation), one customer exported and erased."""

import json

from helpers.story import events
from PySide6.QtWidgets import QTableWidgetItem

from counter_app.workflows.customers import records

CSV = """account,name,phones,monthly_spend,customer_since,consent_contact
88000001,王小明,13800138000,900,2015-01-01,yes
88000002,李华,1380013,100,2020-01-01,no
88000003,张伟,13900139000,lots,2020-01-01,yes
88000001,王小明,13800138000,900,2015-01-01,yes
88000004,赵敏,,250,2019-05-01,no
"""


def test_an_import_with_mixed_rows_lists_the_bad_ones_and_imports_the_good(admin_window, hall, tmp_path):
    tab = admin_window.customers_tab
    admin_window.tabs.setCurrentWidget(tab)
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")

    checked = tab.check_file(path)
    assert [p.line for p in checked.problems] == [3, 4, 5]
    assert [tab.problems_table.item(r, 0).text() for r in range(3)] == ["3", "4", "5"]
    assert "line 2" in tab.problems_table.item(2, 1).text()  # the account twice: names the earlier line
    assert "2 good row(s)" in tab.import_summary.text() and tab.import_button.isEnabled()
    assert events(hall, "customers_imported") == []  # checking writes nothing

    result = tab.import_good_rows()
    assert (result.created, len(result.problems)) == (2, 3)
    assert tab.message_bar.kind == "ok" and not tab.import_button.isEnabled()
    with hall.read() as session:
        assert records.find(session, "88000001").name == "王小明"
        assert records.find(session, "88000004").name == "赵敏"
        assert records.find(session, "88000002") is None


def test_the_segment_rules_list_every_problem_before_saving(admin_window, hall):
    tab = admin_window.customers_tab
    tab.defaults_button.click()
    assert tab.rules_table.rowCount() == 4 and tab.rules_table.item(0, 0).text() == "vip"
    tab.rules_table.setItem(0, 0, QTableWidgetItem("v i p"))
    tab.rules_table.setItem(2, 6, QTableWidgetItem("99"))
    assert not tab.save_rules()
    text = tab.message_bar.text()
    assert "Rule 1:" in text and "Rule 3:" in text
    tab.rules_table.setItem(0, 0, QTableWidgetItem("vip"))
    tab.rules_table.setItem(2, 6, QTableWidgetItem("2"))
    assert tab.save_rules() and tab.message_bar.kind == "ok"


def test_one_customer_is_exported_to_json_then_erased_with_a_reason(admin_window, hall, tmp_path):
    tab = admin_window.customers_tab
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")
    tab.check_file(path)
    tab.import_good_rows()
    tab.find_edit.setText("13800138000")
    tab.find_customers()
    assert tab.found_table.item(0, 0).text() == "王**" and tab.found_table.item(0, 1).text() == "138****8000"

    exported = tab.export_to(tmp_path / "out" / "wang.json")
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["customer"]["name"] == "王小明" and data["customer"]["phones"] == ["13800138000"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["wang.json"]  # no temporary file left behind

    tab.confirm = lambda _question: True
    tab.erase_button.click()  # no reason: refused
    assert tab.message_bar.kind == "error"
    tab.reason_edit.setText("The customer asked to be forgotten (ticket 2026-031)")
    tab.erase_button.click()
    assert tab.message_bar.kind == "ok"
    with hall.read() as session:
        assert records.find(session, "13800138000") is None
    assert len(events(hall, "customer_erased")) == 1
