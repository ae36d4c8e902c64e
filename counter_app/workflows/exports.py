"""Exporting a report view: CSV (csv), XLSX (openpyxl) and PDF with a bar chart (reportlab), plus the end-of-day page.

A view becomes a `Report`: titled tables whose columns say how to show each value (minutes, shares,
dates), and a chart. The three writers only lay that out, so every view exports the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from sqlmodel import Session

from counter_app.documents.fonts import document_font
from counter_app.documents.layout import GREY, Flow, PdfInfo, draw_text, render_pages
from counter_app.errors import AppError
from counter_app.i18n import N_, _, pick
from counter_app.workflows import reports
from counter_app.workflows.explain import CAUSE_TEXT
from counter_app.workflows.feedback import REASON_TEXT
from counter_app.workflows.hours import branch_settings
from counter_app.workflows.reports import EXPORT_FORMATS as FORMATS
from counter_app.workflows.reports import VIEWS, ReportFilter

PDF_ROW_LIMIT = 1500  # a year of breaches is for the spreadsheet; the PDF lists the first ones
BROKEN_TEXT = {"wait": N_("wait"), "service": N_("service"), "total": N_("total")}
GRAIN_TEXT = {"day": N_("day"), "week": N_("week"), "month": N_("month")}
SERIES_COLOURS = [colors.Color(0.25, 0.35, 0.55), colors.Color(0.85, 0.45, 0.2), colors.Color(0.3, 0.6, 0.35),
                  colors.Color(0.6, 0.3, 0.6), colors.Color(0.55, 0.55, 0.55), colors.Color(0.8, 0.7, 0.2)]


@dataclass(frozen=True)
class Column:
    title: str  # msgid
    get: Callable[[object], object]
    kind: str = "text"  # text, int, minutes (the value is seconds), percent (a share 0-1), number, date, datetime
    width: float = 1.0  # relative width in the PDF


@dataclass(frozen=True)
class Chart:
    title: str  # translated
    categories: list[str]
    series: list[tuple[str, list[float]]]  # translated name, one value per category


@dataclass
class Table:
    title: str  # translated
    columns: list[Column]
    rows: list
    chart: Chart | None = None


@dataclass
class Report:
    view: str
    title: str
    period: str
    filters: str
    made_at: dt.datetime
    tables: list[Table] = field(default_factory=list)


def cause_text(cause: str) -> str:
    return _(CAUSE_TEXT[cause]) if cause in CAUSE_TEXT else _(reports.NO_CAUSE_TEXT)


def cell_value(column: Column, row) -> object:
    """The value for a spreadsheet: minutes as numbers, shares as fractions, dates as dates."""
    value = column.get(row)
    if value is None:
        return None
    if column.kind == "minutes":
        return round(value / 60, 1)
    if column.kind == "percent":
        return round(value, 4)
    if column.kind == "number":
        return round(value, 2)
    return value


def cell_text(column: Column, row) -> str:
    value = cell_value(column, row)
    if value is None:
        return ""
    if column.kind == "percent":
        return f"{value * 100:.1f}"
    if column.kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else ""
    return str(value)


def _minutes_chart(title: str, categories: list[str], named: list[tuple[str, list]]) -> Chart:
    return Chart(title, categories, [(name, [v or 0 for v in values]) for name, values in named])


# -- the views ---------------------------------------------------------------------------------


def _breaches(session: Session, f: ReportFilter) -> list[Table]:
    rows = reports.breaches(session, f)
    columns = [
        Column(N_("Date"), lambda r: r.business_date, "date"),
        Column(N_("Ticket"), lambda r: r.number, width=0.7),
        Column(N_("Service"), lambda r: r.service, width=1.3),
        Column(N_("Issued"), lambda r: r.issued_at.strftime("%H:%M"), width=0.7),
        Column(N_("Wait (min)"), lambda r: r.wait_s, "minutes", 0.7),
        Column(N_("Service time (min)"), lambda r: r.service_s, "minutes", 0.8),
        Column(N_("Total (min)"), lambda r: r.total_s, "minutes", 0.7),
        Column(N_("Broken"), lambda r: ", ".join(_(BROKEN_TEXT[b]) for b in r.broken), width=1.1),
        Column(N_("Cause"), lambda r: cause_text(r.cause), width=1.3),
        Column(N_("Note"), lambda r: r.cause_note, width=1.2),
        Column(N_("Counter"), lambda r: r.counter, "int", 0.6),
        Column(N_("Staff"), lambda r: r.staff_name, width=0.8),
        Column(N_("Help requests"), lambda r: " ".join(f"#{i}" for i in r.escalations), width=0.8),
        Column(N_("Approvals"), lambda r: " ".join(f"#{i}" for i in r.approvals), width=0.8),
    ]
    tally = Tally(r.cause for r in rows)
    order = [c for c in [*CAUSE_TEXT, reports.NO_CAUSE] if tally.get(c)]
    chart = Chart(_("Breaches by cause"), [cause_text(c) for c in order], [(_("Breaches"), [tally[c] for c in order])])
    return [Table(_("Breaches"), columns, rows, chart)]


def _service_level(session: Session, f: ReportFilter) -> list[Table]:
    rows = reports.service_level(session, f)
    columns = [
        Column(N_("Date"), lambda r: r.business_date, "date"),
        Column(N_("Service"), lambda r: r.service, width=1.5),
        Column(N_("Served"), lambda r: r.served, "int"),
        Column(N_("Within the wait target"), lambda r: r.within, "int"),
        Column(N_("Service level (%)"), lambda r: r.share, "percent"),
        Column(N_("Average wait (min)"), lambda r: r.average_wait_s, "minutes"),
    ]
    days = reports.service_level_by_day(rows)
    chart = Chart(_("Service level per day (%)"), [d.business_date.strftime("%m-%d") for d in days],
                  [(_("Service level (%)"), [round((d.share or 0) * 100, 1) for d in days])])
    return [Table(_("Service level"), columns, rows, chart)]


def _time_bands(session: Session, f: ReportFilter) -> list[Table]:
    rows = reports.time_bands(session, f)
    columns = [
        Column(N_("Minutes"), lambda r: r.band),
        Column(N_("Waits"), lambda r: r.waits, "int"),
        Column(N_("Waits (%)"), lambda r: r.wait_share, "percent"),
        Column(N_("Services"), lambda r: r.services, "int"),
        Column(N_("Services (%)"), lambda r: r.service_share, "percent"),
    ]
    chart = Chart(_("Waits and service times in 3-minute bands"), [r.band for r in rows],
                  [(_("Waits"), [r.waits for r in rows]), (_("Services"), [r.services for r in rows])])
    return [Table(_("Time bands"), columns, rows, chart)]


def _by_hour(session: Session, f: ReportFilter) -> list[Table]:
    rows = reports.by_hour(session, f, per_day=False)
    columns = [
        Column(N_("Hour"), lambda r: f"{r.hour:02d}:00"),
        Column(N_("Arrivals"), lambda r: r.arrivals, "int"),
        Column(N_("Average wait (min)"), lambda r: r.average_wait_s, "minutes"),
        Column(N_("90th percentile wait (min)"), lambda r: r.p90_wait_s, "minutes"),
        Column(N_("Counters open"), lambda r: r.counters_open, "number"),
    ]
    chart = _minutes_chart(_("Arrivals per hour"), [f"{r.hour:02d}" for r in rows],
                           [(_("Arrivals"), [r.arrivals for r in rows])])
    return [Table(_("By hour of day"), columns, rows, chart)]


def _staff_columns(first: str) -> list[Column]:
    return [
        Column(first, lambda r: r.key, width=0.7),
        Column(N_("Name"), lambda r: r.name),
        Column(N_("Called"), lambda r: r.called, "int", 0.7),
        Column(N_("Served"), lambda r: r.served, "int", 0.7),
        Column(N_("Average service time (min)"), lambda r: r.average_service_s, "minutes"),
        Column(N_("Idle while customers waited (min)"), lambda r: r.idle_s, "minutes", 1.2),
        Column(N_("Help requests"), lambda r: r.help_requests, "int"),
        Column(N_("No-show rate (%)"), lambda r: r.no_show_rate, "percent"),
        Column(N_("Transfer rate (%)"), lambda r: r.transfer_rate, "percent"),
    ]


def _staff(session: Session, f: ReportFilter) -> list[Table]:
    people = reports.staff_and_counters(session, f, group="staff")
    counters = reports.staff_and_counters(session, f, group="counter")
    chart = Chart(_("Customers served"), [r.name for r in people], [(_("Served"), [r.served for r in people])])
    return [Table(_("Staff"), _staff_columns(N_("Staff number")), people, chart),
            Table(_("Counters"), _staff_columns(N_("Counter")), counters)]


def _causes(session: Session, f: ReportFilter) -> list[Table]:
    rows = reports.causes(session, f)
    columns = [
        Column(N_("Period"), lambda r: r.period, "date"),
        Column(N_("Per"), lambda r: _(GRAIN_TEXT[r.grain])),
        Column(N_("Cause"), lambda r: cause_text(r.cause), width=1.5),
        Column(N_("Breaches"), lambda r: r.breaches, "int"),
    ]
    periods = sorted({r.period for r in rows})
    present = [c for c in [*CAUSE_TEXT, reports.NO_CAUSE] if any(r.cause == c for r in rows)]
    counts = {(r.period, r.cause): r.breaches for r in rows}
    chart = Chart(_("Breaches by cause over time"), [p.strftime("%m-%d") for p in periods],
                  [(cause_text(c), [counts.get((p, c), 0) for p in periods]) for c in present])
    return [Table(_("Causes"), columns, rows, chart)]


def _satisfaction(session: Session, f: ReportFilter) -> list[Table]:
    lines = reports.feedback_lines(session, f)

    def grouped(first: str) -> list[Column]:
        return [
            Column(first, lambda r: r.label, width=1.5),
            Column(N_("Ratings"), lambda r: r.ratings, "int"),
            Column(N_("Average rating"), lambda r: r.average, "number"),
            Column(N_("Satisfied (4-5, %)"), lambda r: r.satisfied_share, "percent"),
            Column(N_("Dissatisfied (1-2)"), lambda r: r.dissatisfied, "int"),
            Column(N_("Complaints"), lambda r: r.complaints, "int"),
        ]

    bands = reports.satisfaction(session, f, by="wait_band", lines=lines)
    chart = Chart(_("Average rating by wait (minutes)"), [r.label for r in bands],
                  [(_("Average rating"), [round(r.average or 0, 2) for r in bands])])
    comments = [line for line in lines if line.comment or line.complaint]
    comment_columns = [
        Column(N_("Date"), lambda r: r.business_date, "date"),
        Column(N_("Ticket"), lambda r: r.number, width=0.6),
        Column(N_("Service"), lambda r: r.service),
        Column(N_("Staff"), lambda r: r.staff_name, width=0.8),
        Column(N_("Rating"), lambda r: r.rating, "int", 0.5),
        Column(N_("Reason"), lambda r: _(REASON_TEXT[r.reason]) if r.reason in REASON_TEXT else "", width=1.2),
        Column(N_("Complaint"), lambda r: r.complaint, width=0.6),
        Column(N_("Cause"), lambda r: cause_text(r.cause)),
        Column(N_("Comment"), lambda r: r.comment, width=2.5),
    ]
    return [
        Table(_("Satisfaction by wait"), grouped(N_("Wait (min)")), bands, chart),
        Table(_("Satisfaction by service"), grouped(N_("Service")),
              reports.satisfaction(session, f, by="service", lines=lines)),
        Table(_("Satisfaction by staff member"), grouped(N_("Staff")),
              reports.satisfaction(session, f, by="staff", lines=lines)),
        Table(_("Satisfaction by cause"), grouped(N_("Cause")),
              reports.satisfaction(session, f, by="cause", lines=lines)),
        Table(_("Comments and complaints"), comment_columns, comments),
    ]


BUILDERS = {"breaches": _breaches, "service-level": _service_level, "time-bands": _time_bands,
            "by-hour": _by_hour, "staff": _staff, "causes": _causes, "satisfaction": _satisfaction}
VIEW_TEXT = {"breaches": N_("Breach report"), "service-level": N_("Service level report"),
             "time-bands": N_("Time band report"), "by-hour": N_("Report by hour of day"),
             "staff": N_("Staff and counter report"), "causes": N_("Breach causes report"),
             "satisfaction": N_("Satisfaction report")}


def describe_filter(f: ReportFilter) -> str:
    parts = []
    if f.services:
        parts.append(_("services: {codes}").format(codes=", ".join(f.services)))
    if f.counters:
        parts.append(_("counters: {numbers}").format(numbers=", ".join(str(n) for n in f.counters)))
    if f.staff:
        parts.append(_("staff: {numbers}").format(numbers=", ".join(f.staff)))
    if f.causes:
        parts.append(_("causes: {causes}").format(causes=", ".join(cause_text(c) for c in f.causes)))
    return "; ".join(parts)


def build_report(session: Session, view: str, f: ReportFilter, *, made_at: dt.datetime) -> Report:
    if view not in BUILDERS:
        raise AppError(N_("Unknown report: {view}."), view=view)
    period = f.date_from.isoformat() if f.date_from == f.date_to else f"{f.date_from} – {f.date_to}"
    return Report(view, _(VIEW_TEXT[view]), period, describe_filter(f), made_at, BUILDERS[view](session, f))


# -- writers -----------------------------------------------------------------------------------


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
            for row in table.rows:
                writer.writerow([cell_text(c, row) for c in table.columns])


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


def chart_drawing(chart: Chart, width: float, height: float) -> Drawing:
    """A bar chart with a legend, in the document font (Chinese labels included)."""
    font = document_font().name
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, chart.title, fontName=font, fontSize=11))
    bars = VerticalBarChart()
    bars.x, bars.y = 40, 30
    bars.width, bars.height = width - 60 - (110 if len(chart.series) > 1 else 0), height - 60
    bars.data = [values or [0] for _name, values in chart.series] or [[0]]
    bars.categoryAxis.categoryNames = chart.categories or [""]
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 7
    step = max(1, len(chart.categories) // 31)
    if step > 1:
        bars.categoryAxis.categoryNames = [c if i % step == 0 else "" for i, c in enumerate(chart.categories)]
    if len(chart.categories) > 12:
        bars.categoryAxis.labels.angle = 45
        bars.categoryAxis.labels.boxAnchor = "ne"
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    for index in range(len(bars.data)):
        bars.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        bars.bars[index].strokeColor = None
    drawing.add(bars)
    if len(chart.series) > 1:
        legend = Legend()
        legend.x, legend.y = width - 105, height - 30
        legend.fontName, legend.fontSize = font, 8
        legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], name)
                                 for i, (name, _values) in enumerate(chart.series)]
        drawing.add(legend)
    return drawing


def _add_chart(flow: Flow, chart: Chart, height: float) -> None:
    drawing = chart_drawing(chart, flow.width, height)
    flow.add(height + 4 * mm, lambda c, x, y: renderPDF.draw(drawing, c, x, y - height))


def render_pdf(report: Report, *, branch: str, language: str) -> bytes:
    """Landscape A4: the title and period, then each table after its chart."""
    page = landscape(A4)
    margin = 12 * mm
    flow = Flow(page[0] - 2 * margin)
    flow.text(branch, 10, color=GREY)
    flow.text(report.title, 16, bold=True)
    flow.text(_("Period: {period}").format(period=report.period) + (f"  ({report.filters})" if report.filters else ""),
              10)
    flow.text(_("Made {time}").format(time=report.made_at.strftime("%Y-%m-%d %H:%M")), 9, color=GREY)
    for table in report.tables:
        flow.heading(table.title, 12)
        if table.chart is not None and table.chart.categories:
            _add_chart(flow, table.chart, 62 * mm)
        if not table.rows:
            flow.text(_("Nothing to report for this period."), 10, color=GREY)
            continue
        total = sum(c.width for c in table.columns)
        widths = [flow.width * c.width / total for c in table.columns]
        numeric = [i for i, c in enumerate(table.columns) if c.kind in ("int", "minutes", "percent", "number")]
        shown = table.rows[:PDF_ROW_LIMIT]
        flow.table([_(c.title) for c in table.columns], [[cell_text(c, r) for c in table.columns] for r in shown],
                   8, widths=widths, right_aligned=numeric)
        if len(table.rows) > len(shown):
            flow.text(_("The first {shown} of {count} rows; the CSV and XLSX exports have them all.").format(
                shown=len(shown), count=len(table.rows)), 9, color=GREY)

    def decorate(c, number: int, count: int) -> None:
        draw_text(c, margin, 6 * mm, f"{report.title}  {report.period}  {number} / {count}", 8, color=GREY)

    info = PdfInfo(title=f"{report.title} {report.period}", subject=report.view, author=branch,
                   language=language, created=report.made_at)
    return render_pages(flow, pagesize=page, margin_x=margin, margin_top=margin, margin_bottom=12 * mm, info=info,
                        size=8, decorate=decorate)


def export(session: Session, view: str, f: ReportFilter, *, fmt: str, path: Path, made_at: dt.datetime,
           language: str) -> Report:
    """Build a view and write it; the language is the current UI language (column titles go through `_()`)."""
    if fmt not in FORMATS:
        raise AppError(N_("Unknown export format: {format}."), format=fmt)
    report = build_report(session, view, f, made_at=made_at)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        write_csv(report, path)
    elif fmt == "xlsx":
        write_xlsx(report, path)
    else:
        path.write_bytes(render_pdf(report, branch=pick(_branch_names(session)), language=language))
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


# -- end of day --------------------------------------------------------------------------------

DAY_LIST_LIMIT = 12


def render_day_summary(summary: reports.DaySummary, *, branch: str, language: str) -> bytes:
    """One A4 page for closing the day: customers, service level, breaches and causes, escalations, satisfaction."""
    margin = 15 * mm
    flow = Flow(A4[0] - 2 * margin)
    flow.text(branch, 10, color=GREY)
    flow.text(_("End-of-day summary"), 16, bold=True)
    flow.text(_("Business day {date}, made {time}").format(date=summary.business_date.isoformat(),
                                                           time=summary.made_at.strftime("%Y-%m-%d %H:%M")), 10)
    level = f"{summary.service_level * 100:.1f}%" if summary.service_level is not None else "—"
    wait = f"{summary.average_wait_s / 60:.1f}" if summary.average_wait_s is not None else "—"
    flow.heading(_("Customers"), 12)
    flow.rows([
        (_("Customers"), str(summary.customers)),
        (_("Served"), str(summary.served)),
        (_("No-shows"), str(summary.no_shows)),
        (_("Cancelled"), str(summary.cancelled)),
        (_("Visits not ended"), str(summary.still_open)),
        (_("Service level"), _("{level} served within the wait target ({within} of {served})").format(
            level=level, within=summary.within, served=summary.served)),
        (_("Average wait (min)"), wait),
    ], 9.5, label_width=45 * mm)
    flow.heading(_("Breaches: {count}").format(count=len(summary.breaches)), 12)
    if summary.breaches_by_cause:
        causes = sorted(summary.breaches_by_cause.items(), key=lambda item: -item[1])
        flow.text("; ".join(f"{cause_text(c)}: {n}" for c, n in causes), 9.5)
        rows = [[r.number, r.service, ", ".join(_(BROKEN_TEXT[b]) for b in r.broken),
                 f"{(r.wait_s or 0) / 60:.1f}", f"{(r.service_s or 0) / 60:.1f}", cause_text(r.cause), r.staff_name]
                for r in summary.breaches[:DAY_LIST_LIMIT]]
        flow.table([_("Ticket"), _("Service"), _("Broken"), _("Wait (min)"), _("Service time (min)"), _("Cause"),
                    _("Staff")], rows, 8.5, widths=[flow.width * w for w in (0.1, 0.18, 0.14, 0.12, 0.14, 0.18, 0.14)],
                   right_aligned=[3, 4])
        if len(summary.breaches) > DAY_LIST_LIMIT:
            flow.text(_("… and {count} more in the breach report.").format(
                count=len(summary.breaches) - DAY_LIST_LIMIT), 8.5, color=GREY)
    else:
        flow.text(_("No visit broke its targets."), 9.5)
    flow.heading(_("Open escalations: {count}").format(count=len(summary.open_escalations)), 12)
    for e in summary.open_escalations[:6]:
        flow.text(_("#{id} {ticket}, asked by {name} at {time} ({state})").format(
            id=e.escalation_id, ticket=e.number or "—", name=e.requested_by,
            time=e.requested_at.strftime("%H:%M"), state=e.state), 9)
    flow.heading(_("Satisfaction"), 12)
    average = f"{summary.average_rating:.2f}" if summary.average_rating is not None else "—"
    flow.text(_("{count} ratings, average {average} of 5; {complaints} complaints.").format(
        count=summary.ratings, average=average, complaints=summary.complaints), 9.5)
    for line in summary.comments[:5]:
        mark = _("complaint") if line.complaint else (f"{line.rating}/5" if line.rating else "")
        flow.text(f"{line.number} ({mark}): {line.comment}", 9)
    info = PdfInfo(title=_("End-of-day summary") + " " + summary.business_date.isoformat(), subject="end-of-day",
                   author=branch, language=language, created=summary.made_at)
    return render_pages(flow, pagesize=A4, margin_x=margin, margin_top=margin, margin_bottom=margin, info=info,
                        size=9)


def save_day_summary(session: Session, *, day: dt.date, now: dt.datetime, path: Path, language: str) -> Path:
    """Closing the day: the summary written as a PDF (the caller may also print it)."""
    summary = reports.day_summary(session, day, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_day_summary(summary, branch=pick(_branch_names(session)), language=language))
    return path


def day_summary_bytes(session: Session, *, day: dt.date, now: dt.datetime, language: str) -> bytes:
    return render_day_summary(reports.day_summary(session, day, now), branch=pick(_branch_names(session)),
                              language=language)


__all__ = ["VIEWS", "FORMATS", "build_report", "export", "write_day_reports", "write_csv", "write_xlsx", "render_pdf",
           "render_day_summary", "save_day_summary", "day_summary_bytes"]
