"""The planning desk's monthly KPIs as a PDF: one A4 landscape table, a row a month (kpi.py's definitions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from counter_app.i18n import N_, translate
from counter_app.workflows.paperwork.render.layout import GREY, Flow, draw_text, fmt_datetime
from counter_app.workflows.paperwork.render.pages import PdfInfo, render_pages
from counter_app.workflows.planning import kpi
from counter_app.workflows.planning.review import DEPARTMENT_TEXT

PAGE = landscape(A4)
MARGIN_X = 14 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 16 * mm
BODY = 9
SMALL = 8
TITLE = 16


def _t(message: str, language: str, /, **facts: object) -> str:
    translated = translate(message, language)
    return translated.format(**facts) if facts else translated


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def accuracy_text(month: kpi.MonthKpi, language: str) -> str:
    """Each judged department's accuracy, e.g. "engineering 100.0 % (2)"."""
    parts = [f"{translate(DEPARTMENT_TEXT[d], language)} {_pct(a.percent)} ({a.judged})"
             for d, a in month.accuracy.items() if a.judged]
    return "; ".join(parts) or "—"


def table_rows(kpis: Sequence[kpi.MonthKpi], language: str) -> list[tuple[str, ...]]:
    """The five KPIs of each month as the window's table and the PDF show them."""
    rows = []
    for k in kpis:
        cycle = "—" if k.cycle.mean_days is None else _t(N_("{mean:.1f} mean, {longest} longest ({orders})"),
                                                          language, mean=k.cycle.mean_days,
                                                          longest=k.cycle.max_days, orders=k.cycle.orders)
        rows.append((f"{k.month:%Y-%m}", f"{_pct(k.on_time.percent)} ({k.on_time.part}/{k.on_time.whole})",
                     f"{_pct(k.plan.percent)} ({k.plan.part}/{k.plan.whole})", accuracy_text(k, language), cycle,
                     _t(N_("{returns} ({orders} orders)"), language, returns=k.returns, orders=k.returned_orders)))
    return rows


def columns(language: str) -> tuple[str, ...]:
    return tuple(_t(c, language) for c in (N_("Month"), N_("On-time delivery"), N_("Plan achievement"),
                                            N_("Review accuracy (orders judged)"),
                                            N_("Review cycle, working days"), N_("Returned to sales")))


def render_kpis(kpis: Sequence[kpi.MonthKpi], *, language: str, branch: str, at: dt.datetime) -> bytes:
    title = _t(N_("Planning desk KPIs"), language)
    span = f"{kpis[0].month:%Y-%m} – {kpis[-1].month:%Y-%m}" if kpis else ""
    flow = Flow(PAGE[0] - 2 * MARGIN_X)
    flow.text(title, TITLE, bold=True)
    flow.text(f"{branch} · {span}", BODY + 1)
    flow.text(_t(N_("On-time delivery: pieces shipped by the committed date ÷ pieces ordered. Plan achievement: "
                    "orders shipped in full by the committed date ÷ orders committed for the month."), language),
              SMALL, color=GREY)
    flow.space(3 * mm)
    w = flow.width
    flow.table(columns(language), table_rows(kpis, language), BODY,
               widths=(0.08 * w, 0.15 * w, 0.15 * w, 0.32 * w, 0.17 * w, 0.13 * w))

    def decorate(c, number: int, count: int) -> None:
        draw_text(c, MARGIN_X, 8 * mm, f"{title} · {fmt_datetime(at)}", SMALL, color=GREY)
        draw_text(c, MARGIN_X, 8 * mm, _t(N_("Page {page} of {pages}"), language, page=number, pages=count), SMALL,
                  align="right", width=PAGE[0] - 2 * MARGIN_X, color=GREY)

    info = PdfInfo(title=f"{title} {span}", subject=title, author=branch, language=language, created=at)
    return render_pages(flow, pagesize=PAGE, margin_x=MARGIN_X, margin_top=MARGIN_TOP, margin_bottom=MARGIN_BOTTOM,
                        info=info, size=BODY, decorate=decorate)
