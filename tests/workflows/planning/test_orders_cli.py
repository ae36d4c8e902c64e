"""`counter-app orders kpi` writes the month's KPIs to a CSV file."""

import csv
import datetime as dt

from helpers.story import act

from counter_app.__main__ import main
from counter_app.workflows.planning import deliveries, orders
from counter_app.workflows.planning.orders import LineInput


def test_the_command_line_writes_a_months_kpis_as_csv(desk, tmp_path, capsys):
    act(desk.store, desk.clock, orders.add_product, code="X", name_zh="X", name_en="X", lead_days=2,
        staff_id=desk.pmc)
    order_id = act(desk.store, desk.clock, orders.enter_order, number="SO-1", customer="温州阀门",
                   kind="standard_no_stock", requested_date=dt.date(2026, 10, 30), lines=[LineInput("X", 20)],
                   staff_id=desk.sales, payment="deposit").order_id  # committed Wed 30 Sep
    with desk.store.read() as session:
        line = orders.order_lines(session, order_id)[0].id
    act(desk.store, desk.clock, deliveries.record_delivery, line_id=line, quantity=15, shipped_on=dt.date(2026, 9, 28),
        staff_id=desk.warehouse)
    out = tmp_path / "kpi.csv"
    assert main(["orders", "kpi", "--from", "2026-09", "--to", "2026-10", "--format", "csv", "--out", str(out),
                 "--db", desk.store.url, "--lang", "en"]) == 0
    with out.open(encoding="utf-8-sig") as f:
        header, september, october = list(csv.reader(f))
    assert header[:4] == ["Month", "Pieces ordered", "Pieces on time", "On-time delivery %"]
    assert september[:7] == ["2026-09", "20", "15", "75.0", "1", "0", "0.0"]
    assert october[:4] == ["2026-10", "0", "0", ""]
    assert "2 months written" in capsys.readouterr().out


def test_a_month_that_is_not_one_is_refused_and_nothing_is_written(desk, tmp_path, capsys):
    out = tmp_path / "kpi.xlsx"
    assert main(["orders", "kpi", "--from", "2026-13", "--format", "xlsx", "--out", str(out), "--db",
                 desk.store.url, "--lang", "en"]) == 2
    assert "Give the month as YYYY-MM" in capsys.readouterr().err
    assert not out.exists()


def test_an_xlsx_export_opens_in_openpyxl(desk, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "kpi.xlsx"
    assert main(["orders", "kpi", "--from", "2026-09", "--format", "xlsx", "--out", str(out), "--db",
                 desk.store.url, "--lang", "en"]) == 0
    sheet = load_workbook(out).active
    assert sheet["A2"].value == "2026-09" and sheet["A1"].value == "Month"


def test_a_pdf_export_prints_the_months_in_the_language_asked_for(desk, tmp_path):
    from helpers.pdf_checks import text_of

    from counter_app import i18n

    act(desk.store, desk.clock, orders.add_product, code="X", name_zh="X", name_en="X", lead_days=2,
        staff_id=desk.pmc)
    order_id = act(desk.store, desk.clock, orders.enter_order, number="SO-1", customer="温州阀门",
                   kind="standard_no_stock", requested_date=dt.date(2026, 10, 30), lines=[LineInput("X", 20)],
                   staff_id=desk.sales, payment="deposit").order_id
    with desk.store.read() as session:
        line = orders.order_lines(session, order_id)[0].id
    act(desk.store, desk.clock, deliveries.record_delivery, line_id=line, quantity=15, shipped_on=dt.date(2026, 9, 28),
        staff_id=desk.warehouse)
    out = tmp_path / "kpi.pdf"
    try:
        assert main(["orders", "kpi", "--from", "2026-09", "--format", "pdf", "--out", str(out), "--db",
                     desk.store.url, "--lang", "zh_CN"]) == 0
    finally:
        i18n.set_language("en")
    text = text_of(out.read_bytes())
    assert i18n.translate("Planning desk KPIs", "zh_CN") in text and "2026-09" in text and "75.0" in text
