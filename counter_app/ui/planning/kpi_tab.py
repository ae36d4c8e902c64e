"""The planning desk's KPIs per month (workflows/planning/kpi.py): a month range, the five KPIs in a table, a chart
of on-time delivery and plan achievement, and exports to CSV, XLSX and PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from counter_app import i18n
from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_, _
from counter_app.models import BranchSettings
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar
from counter_app.workflows.core import files
from counter_app.workflows.paperwork.render import planning_kpi
from counter_app.workflows.planning import kpi
from counter_app.workflows.planning.working_days import load_calendar

FORMATS = {"csv": N_("CSV (*.csv)"), "xlsx": N_("Excel (*.xlsx)"), "pdf": N_("PDF (*.pdf)")}


def monthly(session: Session, _clock: Clock, *, first: dt.date, last: dt.date) -> list[kpi.MonthKpi] | AppError:
    """The months' KPIs, or why they cannot be given (the last month before the first)."""
    try:
        return kpi.monthly(kpi.load_records(session), first, last, load_calendar(session))
    except AppError as refusal:
        return refusal


def branch_name(session: Session, _clock: Clock, *, language: str) -> str:
    branch = session.get(BranchSettings, 1)
    if branch is None:
        return ""
    return branch.name_zh if language.startswith("zh") else branch.name_en or branch.name_zh


def _month_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, 1))
    edit.setDisplayFormat("yyyy-MM")
    edit.setCalendarPopup(False)
    return edit


class KpiTab(QWidget):
    """A month range; `show_months()` reads and draws; `export(fmt, path)` writes the shown months."""

    def __init__(self, backend: Backend, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.bar = backend, bar
        self.kpis: list[kpi.MonthKpi] = []
        today = backend.clock.now().date()
        first = (today.replace(day=1) - dt.timedelta(days=150)).replace(day=1)
        self.from_edit = _month_edit(first)
        self.to_edit = _month_edit(today)
        self.show_button = QPushButton(_("Show"))
        self.export_buttons = {fmt: QPushButton(_("Export {format}…").format(format=fmt.upper())) for fmt in FORMATS}
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Months from")))
        top.addWidget(self.from_edit)
        top.addWidget(QLabel(_("to")))
        top.addWidget(self.to_edit)
        top.addWidget(self.show_button)
        top.addStretch(1)
        for button in self.export_buttons.values():
            top.addWidget(button)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(list(planning_kpi.columns(i18n.current_language())))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.chart = QChart()
        self.chart.setTitle(_("On-time delivery and plan achievement, %"))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_view)
        splitter.setSizes([260, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.show_button.clicked.connect(self.show_months)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, fmt=fmt: self._on_export(fmt))
        self.show_months()

    def months(self) -> tuple[dt.date, dt.date]:
        return self.from_edit.date().toPython().replace(day=1), self.to_edit.date().toPython().replace(day=1)

    def set_months(self, first: dt.date, last: dt.date) -> None:
        self.from_edit.setDate(QDate(first.year, first.month, 1))
        self.to_edit.setDate(QDate(last.year, last.month, 1))

    def show_months(self) -> None:
        first, last = self.months()
        result = self.backend.query(monthly, first=first, last=last)
        if isinstance(result, AppError):
            self.bar.show_message(result.text(), "error")
            return
        if result is None:
            return
        self.kpis = result
        rows = planning_kpi.table_rows(result, i18n.current_language())
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self._draw_chart()

    def _draw_chart(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        on_time, plan = QBarSet(_("On-time delivery %")), QBarSet(_("Plan achievement %"))
        on_time.setColor(QColor("#2f6fb0"))
        plan.setColor(QColor("#e39a2d"))
        for k in self.kpis:
            on_time.append(k.on_time.percent or 0.0)
            plan.append(k.plan.percent or 0.0)
        series = QBarSeries()
        series.append(on_time)
        series.append(plan)
        self.chart.addSeries(series)
        months = QBarCategoryAxis()
        months.append([f"{k.month:%Y-%m}" for k in self.kpis])
        percent = QValueAxis()
        percent.setRange(0, 100)
        percent.setLabelFormat("%d")
        self.chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(percent, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(months)
        series.attachAxis(percent)

    def _on_export(self, fmt: str) -> None:
        first, last = self.months()
        suggested = f"planning-kpi-{first:%Y-%m}-{last:%Y-%m}.{fmt}"
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Export the KPIs"), suggested, _(FORMATS[fmt]))
        if chosen:
            self.export(fmt, Path(chosen))

    def export(self, fmt: str, path: Path) -> Path | None:
        """Write the months shown to `path` (written to a temporary name, then renamed)."""
        language = i18n.current_language()
        try:
            if fmt == "pdf":
                branch = self.backend.query(branch_name, language=language) or ""
                pdf = planning_kpi.render_kpis(self.kpis, language=language, branch=branch,
                                               at=self.backend.clock.now())
                written = files.write_bytes_atomically(path, pdf)
            else:
                written = kpi.export(self.kpis, path, fmt)
        except AppError as refusal:
            self.bar.show_message(refusal.text(), "error")
            return None
        except OSError as exc:
            self.bar.show_message(_("The file could not be written ({detail}).").format(
                detail=exc.strerror or type(exc).__name__), "error")
            return None
        self.bar.show_message(_("The KPIs are written to {path}.").format(path=written), "ok", seconds=8)
        return written
