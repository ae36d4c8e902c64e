"""Writing a report as a PDF (reportlab): landscape A4 pages of tables, each after its bar chart; and the
one-page end-of-day summary.
"""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from counter_app.i18n import _, join_list
from counter_app.workflows import reports
from counter_app.workflows.oversight import escalation
from counter_app.workflows.paperwork.render.fonts import document_font
from counter_app.workflows.paperwork.render.layout import GREY, Flow, draw_text, wrap
from counter_app.workflows.paperwork.render.pages import PdfInfo, render_pages
from counter_app.workflows.reports.export_tables import BROKEN_TEXT, Chart, Report, cause_text, cell_text

PDF_ROW_LIMIT = 1500  # a year of breaches is for the spreadsheet; the PDF lists the first ones
SERIES_COLOURS = [colors.Color(0.25, 0.35, 0.55), colors.Color(0.85, 0.45, 0.2), colors.Color(0.3, 0.6, 0.35),
                  colors.Color(0.6, 0.3, 0.6), colors.Color(0.55, 0.55, 0.55), colors.Color(0.8, 0.7, 0.2)]


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


# -- end of day --------------------------------------------------------------------------------

DAY_LIST_LIMIT = 12
# Open help requests listed on the page: the day's, then those from earlier days (the dialog shows five of each).
# With 12 breaches and 5 comments the page is then still one page, its foot included.
ESCALATION_LIST_LIMIT = 5
EARLIER_LIST_LIMIT = 3
FOOTER_HEIGHT = 12 * mm  # the event log's head, at the foot of the page


def _escalation_lines(flow: Flow, escalations: list[reports.OpenEscalation], *, with_date: bool) -> None:
    limit = EARLIER_LIST_LIMIT if with_date else ESCALATION_LIST_LIMIT
    for e in escalations[:limit]:
        flow.text(escalation_line(e, with_date=with_date), 9)
    if len(escalations) > limit:
        flow.text(_("… and {count} more.").format(count=len(escalations) - limit), 8.5, color=GREY)


def still_waiting_line(summary: reports.DaySummary) -> str:
    """The day's tickets never called, by number (the first DAY_LIST_LIMIT; the rest counted)."""
    numbers = list(summary.still_waiting[:DAY_LIST_LIMIT])
    if len(summary.still_waiting) > DAY_LIST_LIMIT:
        numbers.append(_("{count} more").format(count=len(summary.still_waiting) - DAY_LIST_LIMIT))
    return _("Still waiting, never called: {numbers}. Closing the day takes them off the queue.").format(
        numbers=join_list(numbers))


def escalation_line(e: reports.OpenEscalation, *, with_date: bool) -> str:
    """One open help request; one from an earlier day says its day, so that it is not taken for today's."""
    state = _(escalation.STATE_TEXT[e.state]) if e.state in escalation.STATE_TEXT else e.state
    if with_date:
        return _("#{id} {ticket}, asked by {name} on {date} at {time} ({state})").format(
            id=e.escalation_id, ticket=e.number or "—", name=e.requested_by, date=e.business_date.isoformat(),
            time=e.requested_at.strftime("%H:%M"), state=state)
    return _("#{id} {ticket}, asked by {name} at {time} ({state})").format(
        id=e.escalation_id, ticket=e.number or "—", name=e.requested_by, time=e.requested_at.strftime("%H:%M"),
        state=state)


def _event_log_footer(summary: reports.DaySummary, margin: float, width: float):
    """The chain's newest row at the foot of the page, never pushed off it by a long day: kept outside the
    store, it lets `audit verify --anchor` show that no event up to it was deleted or changed (audit.py)."""
    first = [_("Day closed by {name} at {time}.").format(name=summary.closed_by,
                                                         time=summary.made_at.strftime("%H:%M"))] if summary.closed_by else []
    if summary.head is None:
        first.append(_("The event log is empty."))
        note = ""
    else:
        first.append(_("Head of the event log: event {id}, hash {hash}").format(
            id=summary.head.event_id, hash=summary.head.anchor.split(":")[1]))
        note = _("Keep this page. To check later that no event up to this one was deleted or changed: "
                 "counter-app audit verify --anchor {anchor}").format(anchor=summary.head.anchor)
    font = document_font().name
    notes = wrap(note, font, 7.5, width) if note else []

    def draw(c, number: int, count: int) -> None:
        y = FOOTER_HEIGHT + margin / 2
        c.setStrokeColor(GREY)
        c.setLineWidth(0.5)
        c.line(margin, y, margin + width, y)
        y -= 12
        draw_text(c, margin, y, "  ".join(first), 9, bold=True)
        for line in notes:
            y -= 10
            draw_text(c, margin, y, line, 7.5, color=GREY)
        if count > 1:
            draw_text(c, margin, FOOTER_HEIGHT + margin / 2 + 3, f"{number} / {count}", 7.5, color=GREY,
                      align="right", width=width)

    return draw


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
    if summary.still_waiting:
        flow.text(still_waiting_line(summary), 9.5, bold=True)
    flow.heading(_("Breaches: {count}").format(count=len(summary.breaches)), 12)
    if summary.breaches_by_cause:
        causes = sorted(summary.breaches_by_cause.items(), key=lambda item: -item[1])
        flow.text(join_list(_("{cause}: {count}").format(cause=cause_text(c), count=n) for c, n in causes), 9.5)
        rows = [[r.number, r.service, join_list(_(BROKEN_TEXT[b]) for b in r.broken),
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
    flow.heading(_("Open escalations of the day: {count}").format(count=len(summary.open_escalations)), 12)
    if not summary.open_escalations:
        flow.text(_("No help request of the day is still open."), 9.5)
    _escalation_lines(flow, summary.open_escalations, with_date=False)
    if summary.earlier_open_escalations:
        flow.text(_("Still open from earlier days: {count}").format(count=len(summary.earlier_open_escalations)),
                  10, bold=True)
        _escalation_lines(flow, summary.earlier_open_escalations, with_date=True)
    flow.heading(_("Satisfaction"), 12)
    average = f"{summary.average_rating:.2f}" if summary.average_rating is not None else "—"
    flow.text(_("Ratings: {count}, average {average} of 5; complaints: {complaints}.").format(
        count=summary.ratings, average=average, complaints=summary.complaints), 9.5)
    for line in summary.comments[:5]:
        mark = _("complaint") if line.complaint else (f"{line.rating}/5" if line.rating else "")
        flow.text(f"{line.number} ({mark}): {line.comment}", 9)
    info = PdfInfo(title=_("End-of-day summary") + " " + summary.business_date.isoformat(), subject="end-of-day",
                   author=branch, language=language, created=summary.made_at)
    return render_pages(flow, pagesize=A4, margin_x=margin, margin_top=margin, margin_bottom=margin + FOOTER_HEIGHT,
                        info=info, size=9, decorate=_event_log_footer(summary, margin, flow.width))
