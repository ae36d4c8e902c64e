"""The reports' pictures: a bar chart (QtCharts) of a view's `exports.Chart`, and the by-hour heat map.

The chart drawn on screen is the one the PDF export draws (same categories, same series), so what a
manager sees is what they print.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import N_, _
from counter_app.workflows.reports import HourRow
from counter_app.workflows.reports.exports import Chart

# The PDF's colours (exports.SERIES_COLOURS), so the screen and the paper match.
SERIES_COLOURS = ("#40598c", "#d97333", "#4d9959", "#994d99", "#8c8c8c", "#ccb333")
LABELS_ANGLED = 12  # more categories than this: labels are turned
LABELS_HIDDEN = 62  # more than this (a quarter's days): no labels, the table has them


class ChartPanel(QChartView):
    """One bar chart, replaced whenever a report arrives; `stacked` for parts of a whole (causes)."""

    def __init__(self, parent: QWidget | None = None, *, stacked: bool = False, percent: bool = False) -> None:
        super().__init__(parent)
        self.stacked = stacked
        self.percent = percent
        self.spec: Chart | None = None
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.show_chart(None)

    def show_chart(self, spec: Chart | None, *, empty_text: str = "") -> None:
        self.spec = spec
        chart = QChart()
        chart.setFont(self.font())
        title_font = QFont(self.font())
        if title_font.pointSizeF() > 0:
            title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        else:  # a style sheet sized the font in pixels
            title_font.setPixelSize(round(title_font.pixelSize() * 1.15))
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(chart.margins() * 0)
        if spec is None or not spec.categories:
            chart.setTitle(empty_text if spec is None else f"{spec.title} — {empty_text}")
            chart.legend().hide()
        else:
            chart.setTitle(spec.title)
            self._fill(chart, spec)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _fill(self, chart: QChart, spec: Chart) -> None:
        series = QStackedBarSeries() if self.stacked else QBarSeries()
        top = 0.0
        for index, (name, values) in enumerate(spec.series):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)]))
            bar_set.append([float(v or 0) for v in values])
            series.append(bar_set)
            top = max(top, max((float(v or 0) for v in values), default=0.0))
        if self.stacked:
            top = max((sum(float(values[i] or 0) for _n, values in spec.series) for i in range(len(spec.categories))),
                      default=0.0)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(spec.categories)
        if len(spec.categories) > LABELS_HIDDEN:
            x_axis.setLabelsVisible(False)
        elif len(spec.categories) > LABELS_ANGLED:
            x_axis.setLabelsAngle(-60)
        y_axis = QValueAxis()
        counts = all(float(v or 0).is_integer() for _name, values in spec.series for v in values)
        if self.percent:
            y_axis.setRange(0, 100)
            y_axis.setTickCount(6)
        elif counts:
            # Counts (visits, breaches): whole ticks only — "1.5 visits" is no number a branch can have.
            end, ticks = integer_axis(top)
            y_axis.setRange(0, end)
            y_axis.setTickCount(ticks)
        else:
            y_axis.setRange(0, _nice_top(top))
            y_axis.applyNiceNumbers()  # ticks on round values: 0, 10, 20 … rather than 0, 12.5, 25 …
        y_axis.setLabelFormat("%.0f" if self.percent or counts or y_axis.max() >= 10 else "%.1f")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        chart.legend().setVisible(len(spec.series) > 1)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)

    def bar_values(self) -> dict[str, list[float]]:
        """What the chart shows, series by series (for a test or a tooltip)."""
        values: dict[str, list[float]] = {}
        for series in self.chart().series():
            for bar_set in series.barSets():
                values[bar_set.label()] = [bar_set.at(i) for i in range(bar_set.count())]
        return values


def integer_axis(top: float) -> tuple[int, int]:
    """An axis end and tick count for counts: ticks on whole, round steps (1, 2, 5, 10 …), at most 11 ticks."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        intervals = max(1, -(-int(top) // step))  # ceiling
        if intervals <= 10:
            return intervals * step, intervals + 1
    intervals = 10
    step = -(-int(top) // intervals)
    return step * intervals, intervals + 1


def _nice_top(value: float) -> float:
    """An axis end a little above the highest bar, on a round number."""
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return step * (int(value / step) + 1)
    return value * 1.1


# -- the heat map ------------------------------------------------------------------------------

MEASURES = {
    "arrivals": N_("Arrivals"),
    "average_wait": N_("Average wait (min)"),
    "p90_wait": N_("90th percentile wait (min)"),
    "counters_open": N_("Counters open"),
}


def _measure(row: HourRow, measure: str) -> float | None:
    if measure == "arrivals":
        return float(row.arrivals)
    if measure == "average_wait":
        return None if row.average_wait_s is None else row.average_wait_s / 60
    if measure == "p90_wait":
        return None if row.p90_wait_s is None else row.p90_wait_s / 60
    return row.counters_open


def heat_colour(share: float) -> QColor:
    """White through amber to red as a value nears the highest of the map."""
    share = max(0.0, min(1.0, share))
    if share < 0.5:
        t = share / 0.5
        return QColor(255, int(255 - 55 * t), int(255 - 175 * t))
    t = (share - 0.5) / 0.5
    return QColor(int(255 - 45 * t), int(200 - 140 * t), int(80 - 30 * t))


class HeatMap(QWidget):
    """Days down, hours across, each cell coloured by the chosen measure: where the day's pressure is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[HourRow] = []
        self.title_label = QLabel(_("By hour of day"))
        self.title_label.setStyleSheet("font-weight: bold; font-size: 17px;")
        self.measure_combo = QComboBox()
        for key, text in MEASURES.items():
            self.measure_combo.addItem(_(text), key)
        self.measure_combo.currentIndexChanged.connect(lambda _i: self._redraw())
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head = QHBoxLayout()
        head.addWidget(self.title_label, 1)
        head.addWidget(QLabel(_("Colour by")))
        head.addWidget(self.measure_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)

    def show_rows(self, rows: list[HourRow]) -> None:
        self.rows = rows
        self._redraw()

    def set_measure(self, measure: str) -> None:
        self.measure_combo.setCurrentIndex(self.measure_combo.findData(measure))

    def cell(self, day: dt.date, hour: int) -> QTableWidgetItem | None:
        days = sorted({r.business_date for r in self.rows if r.business_date})
        hours = self._hours()
        if day not in days or hour not in hours:
            return None
        return self.table.item(days.index(day), hours.index(hour))

    def _hours(self) -> list[int]:
        return list(range(min(r.hour for r in self.rows), max(r.hour for r in self.rows) + 1)) if self.rows else []

    def _redraw(self) -> None:
        measure = self.measure_combo.currentData()
        days = sorted({r.business_date for r in self.rows if r.business_date})
        hours = self._hours()
        self.table.clear()
        self.table.setRowCount(len(days))
        self.table.setColumnCount(len(hours))
        self.table.setHorizontalHeaderLabels([f"{h:02d}" for h in hours])
        self.table.setVerticalHeaderLabels([d.isoformat() for d in days])
        values = {(r.business_date, r.hour): _measure(r, measure) for r in self.rows}
        top = max((v for v in values.values() if v is not None), default=0.0) or 1.0
        decimals = 0 if measure == "arrivals" else 1
        for (day, hour), value in values.items():
            if day not in days:
                continue
            item = QTableWidgetItem("" if value is None else f"{value:.{decimals}f}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setBackground(QBrush(heat_colour((value or 0) / top)))
            if value is not None and value / top > 0.75:
                item.setForeground(QBrush(QColor("white")))
            self.table.setItem(days.index(day), hours.index(hour), item)
