"""Writing a report as a spreadsheet: CSV (the csv module) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
from pathlib import Path

from counter_app.i18n import _
from counter_app.workflows.reports.export_tables import Report, cell_value, text_formatter


def write_csv(report: Report, path: Path) -> None:
    """UTF-8 with a byte-order mark, so a spreadsheet opens the Chinese correctly; one table, or titled sections."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        several = len(report.tables) > 1
        for index, table in enumerate(report.tables):
            if several:
                if index:
                    writer.writerow([])
                writer.writerow([table.title])
            writer.writerow([_(c.title) for c in table.columns])
            formatters = [text_formatter(c) for c in table.columns]
            writer.writerows([text(row) for text in formatters] for row in table.rows)


_XLSX_FORMATS = {"minutes": "0.0", "percent": "0.0%", "number": "0.00", "date": "yyyy-mm-dd",
                 "datetime": "yyyy-mm-dd hh:mm:ss"}


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = clean, 2
    while name in used:
        name, n = f"{clean[:25]} {n}", n + 1
    used.add(name)
    return name


def write_xlsx(report: Report, path: Path) -> None:
    """One sheet per table: a bold header row, then values as numbers, shares as percentages, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    book.properties.title = f"{report.title} {report.period}"
    book.properties.creator = "counter_app"
    used: set[str] = set()
    for table in report.tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.append([_(c.title) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([cell_value(c, row) for c in table.columns])
        for index, column in enumerate(table.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(10, min(40, len(_(column.title)) * 1.6 + 2))
            fmt = _XLSX_FORMATS.get(column.kind)
            if fmt:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = fmt
        sheet.freeze_panes = "A2"
    book.save(path)
