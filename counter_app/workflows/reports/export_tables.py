"""A report view as tables for export and display: each view becomes a `Report` of titled tables whose columns
say how to show each value (minutes, shares, dates), with a chart. The writers (export_sheets.py,
export_pdf.py) and the reports window only lay that out, so every view shows and exports the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from counter_app.errors import AppError
from counter_app.i18n import N_, _, join_list
from counter_app.workflows import reports
from counter_app.workflows.oversight.explain import CAUSE_TEXT
from counter_app.workflows.reports import ReportFilter, breach_report
from counter_app.workflows.reports.feedback import REASON_TEXT

BROKEN_TEXT = {"wait": N_("wait"), "service": N_("service"), "total": N_("total")}
GRAIN_TEXT = {"day": N_("day"), "week": N_("week"), "month": N_("month")}


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


@dataclass(frozen=True)
class Paging:
    """A table too long to read at once: how many rows it has, the next page after a row, and every row."""

    total: int  # as counted when the report was made; rows may come and go before the last page is read
    next_page: Callable[[Session, object], list]  # the rows after a row, at most page_size of them
    every_row: Callable[[Session], list]
    page_size: int


@dataclass
class Table:
    title: str  # translated
    columns: list[Column]
    rows: list  # every row; with paging, the first page
    chart: Chart | None = None
    paging: Paging | None = None


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


def text_formatter(column: Column) -> Callable[[object], str]:
    """`cell_text` for one column, decided once for the column rather than once per cell: a year's export
    formats a million cells (docs/performance.md). Gives exactly what `cell_text` gives."""
    get, kind = column.get, column.kind

    def minutes(row) -> str:
        value = get(row)
        return "" if value is None else str(round(value / 60, 1))

    def percent(row) -> str:
        value = get(row)
        return "" if value is None else f"{round(value, 4) * 100:.1f}"

    def number(row) -> str:
        value = get(row)
        return "" if value is None else str(round(value, 2))

    def datetime_(row) -> str:
        value = get(row)
        return "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S")

    def plain(row) -> str:
        value = get(row)
        if value is None:
            return ""
        if value.__class__ is str:
            return value
        if value.__class__ is int:
            return str(value)
        if value.__class__ is dt.date:
            return value.isoformat()
        return cell_text(column, row)  # a boolean, and whatever else: as cell_text says

    return {"minutes": minutes, "percent": percent, "number": number, "datetime": datetime_}.get(kind, plain)


def _minutes_chart(title: str, categories: list[str], named: list[tuple[str, list]]) -> Chart:
    return Chart(title, categories, [(name, [v or 0 for v in values]) for name, values in named])


# -- the views ---------------------------------------------------------------------------------


def _breach_columns() -> list[Column]:
    # A year's export has a hundred thousand rows and a handful of causes: each text is translated once.
    causes: dict[str, str] = {}
    broken: dict[tuple, str] = {}

    def cause(r) -> str:
        if r.cause not in causes:
            causes[r.cause] = cause_text(r.cause)
        return causes[r.cause]

    def targets(r) -> str:
        key = tuple(r.broken)
        if key not in broken:
            broken[key] = join_list(_(BROKEN_TEXT[b]) for b in key)
        return broken[key]

    return [
        Column(N_("Date"), lambda r: r.business_date, "date"),
        Column(N_("Ticket"), lambda r: r.number, width=0.7),
        Column(N_("Service"), lambda r: r.service, width=1.3),
        Column(N_("Issued"), lambda r: r.issued_at.strftime("%H:%M"), width=0.7),
        Column(N_("Wait (min)"), lambda r: r.wait_s, "minutes", 0.7),
        Column(N_("Service time (min)"), lambda r: r.service_s, "minutes", 0.8),
        Column(N_("Total (min)"), lambda r: r.total_s, "minutes", 0.7),
        Column(N_("Broken"), targets, width=1.1),
        Column(N_("Cause"), cause, width=1.3),
        Column(N_("Note"), lambda r: r.cause_note, width=1.2),
        Column(N_("Counter"), lambda r: r.counter, "int", 0.6),
        Column(N_("Staff"), lambda r: r.staff_name, width=0.8),
        Column(N_("Help requests and escalations"), lambda r: " ".join(f"#{i}" for i in r.escalations), width=0.8),
        Column(N_("Approvals"), lambda r: " ".join(f"#{i}" for i in r.approvals), width=0.8),
    ]


def _breach_chart(by_cause: dict[str, int]) -> Chart:
    order = [c for c in [*CAUSE_TEXT, reports.NO_CAUSE] if by_cause.get(c)]
    return Chart(_("Breaches by cause"), [cause_text(c) for c in order],
                 [(_("Breaches"), [by_cause[c] for c in order])])


def _breaches(session: Session, f: ReportFilter) -> list[Table]:
    rows = reports.breaches(session, f)
    return [Table(_("Breaches"), _breach_columns(), rows, _breach_chart(Tally(r.cause for r in rows)))]


def _breaches_paged(session: Session, f: ReportFilter) -> list[Table]:
    """The breach report as a window shows it: the counts (from the tallies of past days) and the first page."""
    summary = breach_report.breach_summary(session, f)
    first = breach_report.breach_page(session, f, limit=breach_report.PAGE_ROWS)
    if len(first) < breach_report.PAGE_ROWS:
        return [Table(_("Breaches"), _breach_columns(), first, _breach_chart(Tally(r.cause for r in first)))]

    def next_page(session: Session, after) -> list:
        return breach_report.breach_page(session, f, after=after, limit=breach_report.PAGE_ROWS)

    paging = Paging(summary.visits, next_page, lambda session: reports.breaches(session, f),
                    breach_report.PAGE_ROWS)
    return [Table(_("Breaches"), _breach_columns(), first, _breach_chart(summary.by_cause()), paging)]


def _service_level(session: Session, f: ReportFilter) -> list[Table]:
    rows = reports.service_level(session, f)
    columns = [
        Column(N_("Date"), lambda r: r.business_date, "date"),
        Column(N_("Service"), lambda r: r.service, width=1.5),
        Column(N_("Served"), lambda r: r.served, "int"),
        Column(N_("Whole visit within its targets (%)"), lambda r: r.visit_share, "percent"),
        Column(N_("Wait within target (%)"), lambda r: r.share, "percent"),
        Column(N_("Service within target (%)"), lambda r: r.service_share, "percent"),
        Column(N_("Average wait (min)"), lambda r: r.average_wait_s, "minutes"),
    ]
    days = reports.service_level_by_day(rows)
    chart = Chart(_("Visits within every target, per day (%)"), [d.business_date.strftime("%m-%d") for d in days],
                  [(_("Whole visit (%)"), [round((d.share or 0) * 100, 1) for d in days])])
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
        Column(N_("Help requests"), lambda r: r.help_requests, "int"),  # asked for by the clerk
        Column(N_("Automatic escalations"), lambda r: r.automatic_escalations, "int"),  # the service target's
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
PAGED_BUILDERS = {"breaches": _breaches_paged}  # a window's: the first page and the means to read on
VIEW_TEXT = {"breaches": N_("Breach report"), "service-level": N_("Service level report"),
             "time-bands": N_("Time band report"), "by-hour": N_("Report by hour of day"),
             "staff": N_("Staff and counter report"), "causes": N_("Breach causes report"),
             "satisfaction": N_("Satisfaction report")}


def describe_filter(f: ReportFilter) -> str:
    parts = []
    if f.services:
        parts.append(_("services: {codes}").format(codes=join_list(f.services)))
    if f.counters:
        parts.append(_("counters: {numbers}").format(numbers=join_list(str(n) for n in f.counters)))
    if f.staff:
        parts.append(_("staff: {numbers}").format(numbers=join_list(f.staff)))
    if f.causes:
        parts.append(_("causes: {causes}").format(causes=join_list(cause_text(c) for c in f.causes)))
    return "; ".join(parts)


def build_report(session: Session, view: str, f: ReportFilter, *, made_at: dt.datetime,
                 paged: bool = False) -> Report:
    """A view as tables; `paged` (a window) gives a long table its first page and the means to read the rest."""
    if view not in BUILDERS:
        raise AppError(N_("Unknown report: {view}."), view=view)
    period = f.date_from.isoformat() if f.date_from == f.date_to else f"{f.date_from} – {f.date_to}"
    return Report(view, _(VIEW_TEXT[view]), period, describe_filter(f), made_at,
                  ((paged and PAGED_BUILDERS.get(view)) or BUILDERS[view])(session, f))
