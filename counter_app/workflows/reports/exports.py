"""Exporting a report view: CSV (csv), XLSX (openpyxl) and PDF with a bar chart (reportlab), plus the end-of-day page.

A view becomes a `Report` (export_tables.py): titled tables whose columns say how to show each value,
and a chart. export_sheets.py writes it as CSV or XLSX, export_pdf.py as PDF; this module is the entry
point the window, the command line and the replay call, and names everything they use.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlmodel import Session

from counter_app.errors import AppError
from counter_app.i18n import N_, pick
from counter_app.workflows import reports
from counter_app.workflows.core import files
from counter_app.workflows.queue.hours import branch_settings
from counter_app.workflows.reports import EXPORT_FORMATS as FORMATS
from counter_app.workflows.reports import VIEWS, ReportFilter
from counter_app.workflows.reports.export_pdf import (
    DAY_LIST_LIMIT,
    PDF_ROW_LIMIT,
    SERIES_COLOURS,
    chart_drawing,
    render_day_summary,
    render_pdf,
)
from counter_app.workflows.reports.export_sheets import write_csv, write_xlsx
from counter_app.workflows.reports.export_tables import (  # noqa: F401  (re-exported)
    BROKEN_TEXT,
    BUILDERS,
    GRAIN_TEXT,
    VIEW_TEXT,
    Chart,
    Column,
    Paging,
    Report,
    Table,
    build_report,
    cause_text,
    cell_text,
    cell_value,
    describe_filter,
)


def export(session: Session, view: str, f: ReportFilter, *, fmt: str, path: Path, made_at: dt.datetime,
           language: str) -> Report:
    """Build a view and write it; the language is the current UI language (column titles go through `_()`)."""
    if fmt not in FORMATS:
        raise AppError(N_("Unknown export format: {format}."), format=fmt)
    report = build_report(session, view, f, made_at=made_at)
    if fmt == "csv":
        files.write_atomically(path, lambda partial: write_csv(report, partial))
    elif fmt == "xlsx":
        files.write_atomically(path, lambda partial: write_xlsx(report, partial))
    else:
        files.write_bytes_atomically(path, render_pdf(report, branch=pick(_branch_names(session)), language=language))
    return report


def _branch_names(session: Session) -> dict[str, str]:
    settings = branch_settings(session)
    return {"zh": settings.name_zh, "en": settings.name_en}


def write_day_reports(session: Session, *, day: dt.date, now: dt.datetime, out_dir: Path, language: str,
                      views: tuple[str, ...] = ("breaches", "service-level")) -> list[Path]:
    """The day's reports as CSV and PDF into a folder (the replay's output, a day's archive)."""
    f = ReportFilter(day, day, until=now)
    written = []
    for view in views:
        for fmt in ("csv", "pdf"):
            path = out_dir / f"{view}-{day.isoformat()}.{fmt}"
            export(session, view, f, fmt=fmt, path=path, made_at=now, language=language)
            written.append(path)
    return written


def save_day_summary(session: Session, *, day: dt.date, now: dt.datetime, path: Path, language: str) -> Path:
    """Closing the day: the summary written as a PDF (the caller may also print it)."""
    summary = reports.day_summary(session, day, now)
    return files.write_bytes_atomically(path, render_day_summary(summary, branch=pick(_branch_names(session)),
                                                                language=language))


def day_summary_bytes(session: Session, *, day: dt.date, now: dt.datetime, language: str) -> bytes:
    return render_day_summary(reports.day_summary(session, day, now), branch=pick(_branch_names(session)),
                              language=language)


__all__ = ["VIEWS", "FORMATS", "build_report", "export", "write_day_reports", "write_csv", "write_xlsx", "render_pdf",
           "render_day_summary", "save_day_summary", "day_summary_bytes", "ReportFilter", "Report", "Table", "Column",
           "Chart", "cell_text", "cell_value", "cause_text", "describe_filter", "chart_drawing", "BUILDERS",
           "VIEW_TEXT", "BROKEN_TEXT", "GRAIN_TEXT", "SERIES_COLOURS", "PDF_ROW_LIMIT", "DAY_LIST_LIMIT"]
