"""The reports window's parts: a view (chart and tables, long ones a page at a time) and the report worker.

A view shows an `exports.Report` — the same tables and chart the CSV, XLSX and PDF exports write —
so the screen and the files never disagree. Reports are built by `StoreJob`s on a thread pool, each
with its own read session; the result comes back by signal.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from counter_app.errors import AppError
from counter_app.i18n import N_, _
from counter_app.models.db import Store
from counter_app.ui.reports.charts import ChartPanel, HeatMap
from counter_app.workflows import reports
from counter_app.workflows.reports import exports
from counter_app.workflows.reports.exports import Report, ReportFilter, Table

log = logging.getLogger(__name__)

VIEW_TAB_TEXT = {
    "breaches": N_("Breaches"), "service-level": N_("Service level"), "time-bands": N_("Time bands"),
    "by-hour": N_("By hour of day"), "staff": N_("Staff and counters"), "causes": N_("Causes"),
    "satisfaction": N_("Satisfaction"),
}
NUMERIC = {"int", "minutes", "percent", "number"}


# -- building a view, off the GUI thread -------------------------------------------------------


def filter_key(f: ReportFilter) -> tuple:
    """A filter without its moment: two runs of the same filter show the same report."""
    return (f.date_from, f.date_to, f.services, f.counters, f.staff, f.causes)


@dataclass(frozen=True)
class ViewResult:
    view: str
    key: tuple
    report: Report
    hours: list[reports.HourRow] | None  # per day and hour, for the heat map


def build_view(session: Session, view: str, f: ReportFilter, made_at: dt.datetime) -> ViewResult:
    """Everything one tab shows; runs in a worker thread. Long tables come with their first page (paged)."""
    report = exports.build_report(session, view, f, made_at=made_at, paged=True)
    hours = reports.by_hour(session, f, per_day=True) if view == "by-hour" else None
    return ViewResult(view, filter_key(f), report, hours)


class JobSignals(QObject):
    """finished(int, object): the job's id and its result. failed(int, str): the id and what went wrong, translated."""

    finished = Signal(int, object)
    failed = Signal(int, str)


class StoreJob(QRunnable):
    """Runs `work(session)` on a pool thread with its own read session; never touches a widget."""

    def __init__(self, job_id: int, store: Store, work: Callable[[Session], Any]) -> None:
        super().__init__()
        # The pool deletes the runnable once it has run; the window keeps `signals` until they are handled.
        # (Kept alive by the window instead, with auto-delete off, every report run left its job behind.)
        self.setAutoDelete(True)
        self.job_id = job_id
        self.store = store
        self.work = work
        self.signals = JobSignals()

    def run(self) -> None:
        try:
            with self.store.read() as session:
                result = self.work(session)
        except AppError as exc:
            self.signals.failed.emit(self.job_id, exc.text())
        except SQLAlchemyError as exc:
            log.exception("report job %s could not read the store", self.job_id)
            self.signals.failed.emit(self.job_id, _("The store could not be read ({detail}).").format(
                detail=type(exc).__name__))
        except Exception as exc:  # noqa: BLE001 - a worker must always answer, or the window waits forever
            log.exception("report job %s failed", self.job_id)
            self.signals.failed.emit(self.job_id, _("The report could not be made ({detail}).").format(
                detail=type(exc).__name__))
        else:
            self.signals.finished.emit(self.job_id, result)


# -- one report table --------------------------------------------------------------------------


class ReportTableModel(QAbstractTableModel):
    """An `exports.Table` as Qt sees it: the export's texts for display, its values for sorting.

    A table with `paging` (a year of breaches) holds its first rows; the view asks for the next page when
    it is scrolled to the end (canFetchMore/fetchMore), read through `reader(work)` = work(session).
    """

    read_failed = Signal(str)  # a page could not be read (the message, translated); scrolling tries again
    count_changed = Signal()  # the last page came: the count is now the rows listed

    def __init__(self, table: Table, parent: QObject | None = None,
                 reader: Callable[[Callable[[Session], Any]], Any] | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.reader = reader
        self.exhausted = table.paging is None  # every row is listed: a page came back short, or all were read

    def total(self) -> int:
        """Every row of the report, listed or not: as counted, or as many as are listed once that is more."""
        if self.exhausted:
            return len(self.table.rows)
        return max(self.table.paging.total, len(self.table.rows))

    def complete(self) -> bool:
        return self.exhausted

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt's signature
        return not parent.isValid() and self.reader is not None and not self.exhausted

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        paging, rows = self.table.paging, self.table.rows
        after = rows[-1] if rows else None
        try:
            more = self.reader(lambda session: paging.next_page(session, after))
        except AppError as exc:
            self.read_failed.emit(exc.text())
            return
        if more is None:  # the store could not be read: nothing is concluded, the next scroll tries again
            self.read_failed.emit(_("The next rows could not be read; scroll down to try again."))
            return
        if more:
            self.beginInsertRows(QModelIndex(), len(rows), len(rows) + len(more) - 1)
            rows.extend(more)
            self.endInsertRows()
        if len(more) < paging.page_size:
            self.exhausted = True
            self.count_changed.emit()

    def replace_rows(self, rows: list) -> None:
        """Every row at once (read on the pool before sorting a paged table)."""
        self.beginResetModel()
        self.table.rows = rows
        self.exhausted = True
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.table.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        column = self.table.columns[index.column()]
        row = self.table.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return exports.cell_text(column, row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            value = exports.cell_value(column, row)
            if column.kind in NUMERIC:
                return float("-inf") if value is None else float(value)
            return "" if value is None else str(value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.table.columns[section].title)
        return None

    def row_object(self, row: int) -> object:
        return self.table.rows[row]


class _SortProxy(QSortFilterProxyModel):
    """Sorts by the report's values; a paged table is sorted only once every row is there.

    Signals:
        every_row_wanted(int, object): a column header was clicked while rows are still unlisted; the column
            and the order to sort by once they are.
    """

    every_row_wanted = Signal(int, object)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if column >= 0 and isinstance(source, ReportTableModel) and not source.complete():
            self.every_row_wanted.emit(column, order)
            return
        super().sort(column, order)


class ReportTableView(QTableView):
    """A sortable table of one `exports.Table`; `row_object()` is the report row under the selection.

    Signals:
        every_row_wanted(int, object): sorting a paged table needs every row first (column, order).
    """

    every_row_wanted = Signal(int, object)

    def __init__(self, table: Table, parent: QWidget | None = None,
                 reader: Callable[[Callable[[Session], Any]], Any] | None = None) -> None:
        super().__init__(parent)
        self.source = ReportTableModel(table, self, reader)
        self.proxy = _SortProxy(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.every_row_wanted.connect(self.every_row_wanted)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the report's own order until a header is clicked
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setResizeContentsPrecision(200)  # measure the first rows, not a year of them
        self.resizeColumnsToContents()

    def show_every_row(self, rows: list, column: int, order: Qt.SortOrder) -> None:
        """Every row of a paged table has been read: list them and sort as asked."""
        self.source.replace_rows(rows)
        self.proxy.sort(column, order)

    def row_object(self, view_row: int | None = None) -> object | None:
        if view_row is None:
            selected = self.selectionModel().selectedRows()
            if not selected:
                return None
            view_row = selected[0].row()
        source = self.proxy.mapToSource(self.proxy.index(view_row, 0))
        return self.source.row_object(source.row()) if source.isValid() else None

    def column_texts(self, column: int) -> list[str]:
        return [self.proxy.index(r, column).data() for r in range(self.proxy.rowCount())]


# -- one tab -----------------------------------------------------------------------------------


class ReportView(QWidget):
    """One report view: what it covers, its chart (or heat map) above, its table(s) below.

    A paged table (a year of breaches) lists its rows a page at a time through `reader`, which runs
    work(session) against the store; sorting it needs every row, which the window reads on its pool.

    Signals:
        visit_chosen(int): a row naming a visit was double-clicked; the visit's first-leg ticket id.
        every_row_wanted(int, int, object): a paged table is to be sorted; the table's index, column and order.
        read_failed(str): the next page of a table could not be read (the message, translated).
    """

    visit_chosen = Signal(int)
    every_row_wanted = Signal(int, int, object)
    read_failed = Signal(str)

    def __init__(self, view: str, parent: QWidget | None = None,
                 reader: Callable[[Callable[[Session], Any]], Any] | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.reader = reader
        self.result: ViewResult | None = None
        self.report_about: list[str] = []
        self.tables: list[ReportTableView] = []
        self.about_label = QLabel(_("Not run yet."))
        self.about_label.setStyleSheet("color: #555;")
        self.about_label.setWordWrap(True)
        self.heat_map = HeatMap() if view == "by-hour" else None
        self.chart_panel = ChartPanel(stacked=view == "causes", percent=view == "service-level")
        top: QWidget = self.chart_panel
        if self.heat_map is not None:
            top = QSplitter(Qt.Orientation.Horizontal)
            top.addWidget(self.heat_map)
            top.addWidget(self.chart_panel)
            top.setSizes([700, 400])
        self.table_tabs = QTabWidget()
        self.table_tabs.setDocumentMode(True)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.table_tabs)
        self.splitter.setSizes([360, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.about_label)
        layout.addWidget(self.splitter, 1)

    def show_result(self, result: ViewResult) -> None:
        self.result = result
        report = result.report
        self.report_about = [_("Period: {period}").format(period=report.period)]
        if report.filters:
            self.report_about.append(report.filters)
        self.report_about.append(_("made {time}").format(time=report.made_at.strftime("%Y-%m-%d %H:%M")))
        chart = next((t.chart for t in report.tables if t.chart is not None), None)
        self.chart_panel.show_chart(chart, empty_text=_("nothing in this period"))
        if self.heat_map is not None:
            self.heat_map.show_rows(result.hours or [])
        self.table_tabs.clear()
        for table in self.tables:
            table.deleteLater()
        self.tables = []
        for index, table in enumerate(report.tables):
            view = ReportTableView(table, reader=self.reader)
            view.doubleClicked.connect(lambda cell, v=view: self._on_row_activated(v, cell.row()))
            view.every_row_wanted.connect(lambda column, order, i=index: self.every_row_wanted.emit(i, column, order))
            view.source.rowsInserted.connect(self._show_counts)
            view.source.modelReset.connect(self._show_counts)
            view.source.count_changed.connect(self._show_counts)
            view.source.read_failed.connect(self.read_failed)
            self.tables.append(view)
            self.table_tabs.addTab(view, "")
        self.table_tabs.tabBar().setVisible(len(report.tables) > 1)
        self._show_counts()

    def _show_counts(self, *_args) -> None:
        """How many rows the report has, and how many are listed while a paged table fills as it is scrolled."""
        total = sum(t.source.total() for t in self.tables)
        listed = sum(len(t.source.table.rows) for t in self.tables)
        count = _("{count} rows").format(count=f"{total:,}")
        if listed < total:
            count += " " + _("({listed} listed; more as you scroll, all when a column is sorted)").format(
                listed=f"{listed:,}")
        self.about_label.setText(" · ".join([*self.report_about, count]))
        for i, table in enumerate(self.tables):
            self.table_tabs.setTabText(i, f"{table.source.table.title} ({table.source.total():,})")

    def show_every_row(self, index: int, rows: list, column: int, order: Qt.SortOrder) -> None:
        if 0 <= index < len(self.tables):
            self.tables[index].show_every_row(rows, column, order)

    def current_table(self) -> ReportTableView | None:
        widget = self.table_tabs.currentWidget()
        return widget if isinstance(widget, ReportTableView) else None

    def selected_ticket_id(self) -> int | None:
        table = self.current_table()
        row = table.row_object() if table else None
        return getattr(row, "ticket_id", None)

    def _on_row_activated(self, table: ReportTableView, view_row: int) -> None:
        ticket_id = getattr(table.row_object(view_row), "ticket_id", None)
        if ticket_id is not None:
            self.visit_chosen.emit(ticket_id)
