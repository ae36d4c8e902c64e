"""Exports read back: CSV and XLSX hold the report's rows, the PDF its text; the command line writes them too."""

from __future__ import annotations

import csv

import pytest
from helpers.fixtures import DAY
from helpers.pdf_checks import text_of
from helpers.report_day import UNTIL, build_day, day_filter

from counter_app.__main__ import main
from counter_app.workflows.reports import export_tables, exports


@pytest.fixture
def morning(hall, clock):
    return build_day(hall, clock)


def read_csv(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_the_breach_report_exports_to_csv_with_minutes_and_causes(hall, morning, tmp_path):
    with hall.read() as session:
        exports.export(session, "breaches", day_filter(), fmt="csv", path=tmp_path / "b.csv", made_at=UNTIL,
                       language="en")
    header, *rows = read_csv(tmp_path / "b.csv")
    assert header[:8] == ["Date", "Ticket", "Service", "Issued", "Wait (min)", "Service time (min)", "Total (min)",
                          "Broken"]
    assert [(r[1], r[4], r[7], r[8]) for r in rows] == [
        ("A001", "30.0", "wait, total", "Staffing"),  # the broken targets, joined in English
        ("A002", "26.0", "wait", "No cause recorded"),
        ("C001", "2.0", "service", "Training"),
    ]


def test_a_list_in_one_cell_is_joined_the_chinese_way_in_chinese(hall, morning, tmp_path):
    from counter_app import i18n

    i18n.set_language("zh_CN")
    with hall.read() as session:
        exports.export(session, "breaches", day_filter(), fmt="csv", path=tmp_path / "b.csv", made_at=UNTIL,
                       language="zh_CN")
    header, *rows = read_csv(tmp_path / "b.csv")
    assert rows[0][1] == "A001" and rows[0][7] == "等候、全程"  # A001 broke its wait and its total
    assert export_tables.describe_filter(day_filter(causes=("staffing", "training"))) == "原因：人手不足、培训不足"


def test_the_staff_report_shows_help_asked_for_apart_from_automatic_escalations(hall, morning, tmp_path):
    with hall.read() as session:
        exports.export(session, "staff", day_filter(), fmt="csv", path=tmp_path / "s.csv", made_at=UNTIL,
                       language="en")
    _title, header, *rows = read_csv(tmp_path / "s.csv")
    asked, automatic = header.index("Help requests"), header.index("Automatic escalations")
    # 赵静 (S004) asked a senior for help at 09:40; nothing was raised on its own that morning
    assert [(r[0], r[asked], r[automatic]) for r in rows[:2]] == [("S001", "0", "0"), ("S004", "1", "0")]


def test_every_view_exports_to_xlsx_with_numbers_as_numbers(hall, morning, tmp_path):
    from openpyxl import load_workbook

    for view in exports.VIEWS:
        with hall.read() as session:
            exports.export(session, view, day_filter(), fmt="xlsx", path=tmp_path / f"{view}.xlsx", made_at=UNTIL,
                           language="en")
    book = load_workbook(tmp_path / "service-level.xlsx")
    sheet = book.worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Date", "Service", "Served", "Whole visit within its targets (%)", "Wait within target (%)",
                         "Service within target (%)", "Average wait (min)"]
    # A001 waited 30 of 15 minutes, served in 5 of 10; C001 waited 1 minute a leg, served 30 of 25 minutes
    assert values[1][2:] == [1, 0.0, 0.0, 1.0, 30.0] and values[2][2:] == [1, 0.0, 1.0, 0.0, 2.0]
    assert sheet.cell(row=2, column=5).number_format == "0.0%"
    staff = load_workbook(tmp_path / "staff.xlsx")
    assert [s.title for s in staff.worksheets] == ["Staff", "Counters"]
    assert [row[0].value for row in staff.worksheets[0].iter_rows(min_row=2)] == ["S001", "S004"]


def test_the_pdf_export_has_the_chart_and_the_rows_in_the_chosen_language(hall, morning, tmp_path):
    from counter_app import i18n

    i18n.set_language("zh_CN")
    with hall.read() as session:
        exports.export(session, "breaches", day_filter(), fmt="pdf", path=tmp_path / "b.pdf", made_at=UNTIL,
                       language="zh_CN")
    text = text_of((tmp_path / "b.pdf").read_bytes())
    assert "A001" in text and "C001" in text and "2026-03-02" in text
    assert "人手不足" in text  # the cause, in Chinese


def test_the_end_of_day_summary_is_one_page(hall, morning, tmp_path):
    from pypdf import PdfReader

    with hall.read() as session:
        path = exports.save_day_summary(session, day=DAY, now=UNTIL, path=tmp_path / "day.pdf", language="en")
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = text_of(path.read_bytes())
    assert "End-of-day summary" in text and "50.0% served within the wait target (1 of 2)" in text
    assert "Open escalations of the day: 1" in text and "Breaches: 3" in text
    assert "(requested)" in text  # the escalation's state in words, not its code


def test_the_end_of_day_summary_says_an_escalations_state_in_chinese(hall, morning, tmp_path):
    from counter_app import i18n

    i18n.set_language("zh_CN")  # the summary speaks the manager's language, as the window does
    with hall.read() as session:
        path = exports.save_day_summary(session, day=DAY, now=UNTIL, path=tmp_path / "day.pdf", language="zh_CN")
    text = text_of(path.read_bytes())
    assert "已发起" in text and "requested" not in text


def test_the_command_line_writes_a_report(hall, morning, tmp_path, capsys):
    out = tmp_path / "breaches.csv"
    code = main(["report", "breaches", "--from", "2026-03-02", "--to", "2026-03-02", "--format", "csv",
                 "--out", str(out), "--db", hall.url, "--lang", "en"])
    assert code == 0
    assert "3 rows written" in capsys.readouterr().out
    assert [r[1] for r in read_csv(out)[1:]] == ["A001", "A002", "C001"]
    code = main(["report", "satisfaction", "--from", "2026-03-02", "--format", "pdf", "--out",
                 str(tmp_path / "s.pdf"), "--db", hall.url, "--lang", "en", "--service", "NOPE"])
    assert code == 2 and "Unknown service: NOPE" in capsys.readouterr().err


def test_the_days_reports_go_into_a_folder_for_the_replay(hall, morning, tmp_path):
    with hall.read() as session:
        written = exports.write_day_reports(session, day=DAY, now=UNTIL, out_dir=tmp_path / "out", language="en")
    assert sorted(p.name for p in written) == ["breaches-2026-03-02.csv", "breaches-2026-03-02.pdf",
                                               "service-level-2026-03-02.csv", "service-level-2026-03-02.pdf"]
    assert "A001" in text_of((tmp_path / "out" / "breaches-2026-03-02.pdf").read_bytes())


def test_a_columns_formatter_writes_exactly_what_the_cell_text_says(hall, morning):
    # The CSV formats with one formatter per column (speed); every cell of every view must read the same.
    import datetime as dt

    compared = 0
    for view in exports.VIEWS:
        with hall.read() as session:
            report = export_tables.build_report(session, view, day_filter(), made_at=UNTIL)
        for table in report.tables:
            for column in table.columns:
                fast = export_tables.text_formatter(column)
                for row in table.rows:
                    assert fast(row) == export_tables.cell_text(column, row), (view, column.title)
                    compared += 1
    assert compared > 100
    for kind, value, text in [("minutes", 150, "2.5"), ("percent", 0.8766, "87.7"), ("number", 2.345, "2.35"),
                              ("datetime", dt.datetime(2026, 3, 2, 9, 5), "2026-03-02 09:05:00"),
                              ("date", dt.date(2026, 3, 2), "2026-03-02"), ("int", 7, "7"), ("text", None, "")]:
        column = export_tables.Column("x", lambda _row, value=value: value, kind)
        assert export_tables.text_formatter(column)(None) == export_tables.cell_text(column, None) == text
