"""Stories at the planning desk, part 2: a rush order's slips and PMC's sign-off, a change request acknowledged
by each department, a shipment, the monthly KPIs, the master data, and a reviewer of the wrong department."""

import csv
import datetime as dt

from helpers.fixtures import staff_id
from helpers.story import act

from counter_app.ui.planning.order_dialogs import ChangeRequestDialog, RushDialog
from counter_app.workflows.planning import orders, review, rush
from counter_app.workflows.planning.orders import LineInput
from counter_app.workflows.planning.review import ReviewAnswer

REQUESTED = dt.date(2026, 10, 30)
RUSH_LEADS = {"engineering": 0, "purchasing": 1, "warehouse": 0, "production": 1, "quality": 0}
REVIEWERS = {"engineering": "E001", "purchasing": "B001", "warehouse": "W001", "production": "R001",
             "quality": "Q001"}


def planned(hall, clock, number, code, quantity):
    """A standard order without stock, the deposit in: committed to today + the product's lead time."""
    return act(hall, clock, orders.enter_order, number=number, customer="宁波海达", kind="standard_no_stock",
               requested_date=REQUESTED, lines=[LineInput(code, quantity)], staff_id=staff_id(hall, "X001"),
               payment="deposit", sales_owner=staff_id(hall, "X001")).order_id


def reviewed(hall, clock, number, code, quantity, leads=RUSH_LEADS):
    """A custom order every department answered (each by its own reviewer): awaiting PMC."""
    order_id = act(hall, clock, orders.enter_order, number=number, customer="杭州精工", kind="custom",
                   requested_date=REQUESTED, lines=[LineInput(code, quantity)],
                   staff_id=staff_id(hall, "X001")).order_id
    with hall.read() as session:
        ids = {r.department: r.id for r in review.current_reviews(session, order_id)}
    for department, review_id in ids.items():
        act(hall, clock, review.answer_review, review_id=review_id, staff_id=staff_id(hall, REVIEWERS[department]),
            answer=ReviewAnswer(department, True, leads.get(department, 0)))
    return order_id


def factory(hall, clock):
    """Capacity 10 a day; SO-A 20 × X due Wed 30 Sep, SO-B 10 × Y due Thu 1 Oct; SO-R 5 × R-1 (15 units)."""
    pmc = staff_id(hall, "P001")
    act(hall, clock, rush.set_capacity, units_per_day=10, staff_id=pmc)
    for code, lead in (("X", 2), ("Y", 3), ("R-1", 0)):
        act(hall, clock, orders.add_product, code=code, name_zh=code, name_en=code, lead_days=lead, staff_id=pmc)
    act(hall, clock, rush.set_production_load, product_code="R-1", load_per_unit=3, staff_id=pmc)
    planned(hall, clock, "SO-A", "X", 20)
    planned(hall, clock, "SO-B", "Y", 10)
    reviewed(hall, clock, "SO-R", "R-1", 5)


def cells(table, column):
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_the_planner_sees_the_slips_of_a_rush_order_and_signs_it_off(qtbot, window, desk_of, hall, clock):
    factory(hall, clock)
    window.refresh()
    window.select_order("SO-R")
    assert window.panel.rush_button.isEnabled()
    dialog = window.rush()
    assert isinstance(dialog, RushDialog)
    assert [tuple(dialog.slips_table.item(r, c).text() for c in range(4)) for r in range(2)] == [
        ("SO-A", "2026-09-30", "2026-10-02", "2"), ("SO-B", "2026-10-01", "2026-10-05", "2")]
    assert dialog.slips_table.rowCount() == 2
    assert "it would be committed to 2026-09-30. 2 committed orders would slip." in dialog.summary_label.text()
    dialog.ok_button.click()
    assert dialog.message_bar.text() == "Fill in Reason for the rush order."
    dialog.reason_edit.setText("客户停线，总经理批准插单")
    dialog.ok_button.click()
    assert dialog.result() == RushDialog.DialogCode.Accepted
    assert window.message_bar.text() == ("Rush order committed to 2026-09-30; 2 orders slipped and their sales "
                                         "owners are flagged.")
    flags = dict(zip(cells(window.orders_table, 0), cells(window.orders_table, 7), strict=True))
    assert flags == {"SO-R": "", "SO-B": "⚑ slipped 2 working days", "SO-A": "⚑ slipped 2 working days"}
    window.select_order("SO-A")
    assert "2026-09-30 → 2026-10-02" in window.panel.flag_label.text()

    sales = desk_of("X001")  # the sales owner reads the flags and marks one seen
    assert sales.tabs.tabText(1) == "Flags (2)"
    assert sorted(cells(sales.flags_tab.table, 0)) == ["SO-A", "SO-B"]
    sales.flags_tab.table.selectRow(0)
    sales.flags_tab.mark_seen()
    assert sales.flags_tab.table.rowCount() == 1 and sales.tabs.tabText(1) == "Flags (1)"


def test_a_change_with_a_typed_reference_reopens_the_touched_reviews_and_is_acknowledged(qtbot, window, desk_of,
                                                                                         hall, clock):
    order_id = reviewed(hall, clock, "SO-C", "P-200", 20, leads={"purchasing": 3, "production": 4})
    act(hall, clock, review.confirm_date, order_id=order_id, staff_id=staff_id(hall, "P001"))
    window.refresh()
    window.select_order("SO-C")
    dialog = window.request_change()
    assert isinstance(dialog, ChangeRequestDialog)
    dialog.lines_table.cellWidget(0, 2).setValue(35)
    dialog.ok_button.click()
    assert "written confirmation" in dialog.message_bar.text()  # neither a file nor a reference: refused
    dialog.reference_edit.setText("HD-2026-091 客户签字")
    dialog.ok_button.click()
    assert dialog.result() == ChangeRequestDialog.DialogCode.Accepted, dialog.message_bar.text()
    assert window.message_bar.text() == ("The change is recorded: purchasing, warehouse, production review the order "
                                         "again.")
    panel = window.panel
    assert panel.order.state == "in_review"
    assert [panel.answers_table.item(0, c).text() == "not answered yet" for c in range(5)] == [
        False, True, True, True, False]
    assert "HD-2026-091 客户签字" in panel.change_box.summary_label.text()
    for department in ("purchasing", "warehouse", "production"):
        dialog = window.answer_review(department)
        dialog.ok_button.click()
    panel.confirm_button.click()
    assert panel.change_box.missing() == ["purchasing", "warehouse", "production"]

    purchasing = desk_of("B001")
    purchasing.select_order("SO-C")
    box = purchasing.panel.change_box
    assert box.department_combo.currentData() == "purchasing"
    box.department_combo.setCurrentIndex(box.department_combo.findData("production"))
    purchasing.panel.change_box.acknowledge_button.click()  # the wrong department: refused in the bar
    assert purchasing.message_bar.kind == "error"
    assert purchasing.message_bar.text() == ("Only production or PMC can acknowledge a change for production; you "
                                             "are signed in as Purchasing.")
    box.department_combo.setCurrentIndex(box.department_combo.findData("purchasing"))
    box.acknowledge_button.click()
    assert purchasing.message_bar.text() == "purchasing has acknowledged the change."
    assert purchasing.panel.change_box.missing() == ["warehouse", "production"]
    window.refresh()
    window.panel.change_box.department_combo.setCurrentIndex(0)
    window.acknowledge()
    window.acknowledge()  # PMC acknowledges for the other two
    assert window.message_bar.text() == "Every department has acknowledged the change: it is closed."
    assert "(closed)" in window.panel.change_box.summary_label.text()


def test_a_reviewer_of_another_department_is_refused_in_the_dialogs_bar(qtbot, desk_of, hall, clock):
    act(hall, clock, orders.enter_order, number="SO-9", customer="温州阀门", kind="custom", requested_date=REQUESTED,
        lines=[LineInput("P-200", 3)], staff_id=staff_id(hall, "X001"))
    quality = desk_of("Q001")
    quality.select_order("SO-9")
    dialog = quality.answer_review("engineering")
    dialog.ok_button.click()
    assert dialog.message_bar.text() == ("Only engineering or PMC can answer engineering's review; you are signed "
                                         "in as Quality.")
    quality.panel.confirm_button.setEnabled(True)
    quality.confirm()
    assert quality.message_bar.text() == "Only PMC can commit a delivery date."


def test_the_warehouse_records_a_shipment_per_line(qtbot, desk_of, hall, clock):
    planned(hall, clock, "SO-D", "P-200", 20)
    warehouse = desk_of("W001")
    warehouse.select_order("SO-D")
    box = warehouse.panel.deliveries_box
    assert cells(box.lines_table, 1) == ["20"] and cells(box.lines_table, 2) == ["0"]
    box.quantity_spin.setValue(15)
    box.record_button.click()
    assert warehouse.message_bar.text() == "15 shipped; 5 left on this line."
    assert (cells(box.lines_table, 2), cells(box.lines_table, 3)) == (["15"], ["5"])
    box.quantity_spin.setValue(6)
    box.record_button.click()
    assert warehouse.message_bar.text() == "Only 5 of 20 on this line are left to ship: 6 is too many."


def test_the_kpi_tab_shows_a_months_on_time_delivery_and_exports_it(qtbot, window, hall, clock, tmp_path):
    order_id = planned(hall, clock, "SO-K", "P-200", 20)  # committed Fri 9 Oct (9 working days)
    with hall.read() as session:
        line = orders.order_lines(session, order_id)[0].id
    from counter_app.workflows.planning import deliveries

    act(hall, clock, deliveries.record_delivery, line_id=line, quantity=15, shipped_on=dt.date(2026, 9, 28),
        staff_id=staff_id(hall, "W001"))
    tab = window.kpi_tab
    window.tabs.setCurrentWidget(tab)
    tab.set_months(dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    tab.show_months()
    # October: 15 of 20 pieces by the committed date = 75 %; the order not in full: plan 0 of 1
    assert cells(tab.table, 0) == ["2026-09", "2026-10"]
    assert tab.table.item(1, 1).text() == "75.0 % (15/20)"
    assert tab.table.item(1, 2).text() == "0.0 % (0/1)"
    assert [s.at(1) for s in tab.chart.series()[0].barSets()] == [75.0, 0.0]
    written = tab.export("csv", tmp_path / "kpi.csv")
    with written.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[2][:4] == ["2026-10", "20", "15", "75.0"]
    pdf = tab.export("pdf", tmp_path / "kpi.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_master_data_products_capacity_and_days(qtbot, window, desk_of):
    tab = window.master_tab
    tab.open_dialogs = []
    dialog = tab.product_dialog()
    dialog.code_edit.setText("P-300")
    dialog.zh_edit.setText("小型泵")
    dialog.lead_spin.setValue(4)
    dialog.load_spin.setValue(2)
    dialog.ok_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.message_bar.text()
    tab.refresh()
    assert ["P-300", "小型泵", "", "4", "0", "2"] in [[tab.products_table.item(r, c).text() for c in range(6)]
                                                      for r in range(tab.products_table.rowCount())]
    tab.capacity_spin.setValue(40)
    tab.set_capacity()
    assert tab.capacity_label.text() == "In force: 40 load units a day"
    tab.set_day()
    assert cells(tab.days_table, 1) == ["closed"]
    sales = desk_of("X001")
    sales.master_tab.set_capacity()
    assert sales.message_bar.text() == ("Only PMC or an administrator can change the factory's products, "
                                        "materials, capacity and days.")
