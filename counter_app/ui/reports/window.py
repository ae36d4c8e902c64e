"""The reports window: where the branch fails its customers and why (F9), for the duty manager and the branch head.

Filters on top, one tab per view (each a chart and its tables), exports of the view on screen. Every
report is built on a worker thread with its own read session, so a year's report never freezes the
window; a busy bar shows while one runs.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from counter_app import i18n, paths
from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_, _
from counter_app.models import Role, Staff
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import FormDialog, MessageBar
from counter_app.ui.reports import views as rv
from counter_app.ui.reports.filters import FilterBar, filter_options
from counter_app.ui.reports.timeline import TimelineDialog, service_names_by_code
from counter_app.workflows import reports
from counter_app.workflows.core import auth
from counter_app.workflows.oversight import explain
from counter_app.workflows.reports import VIEWS, ReportFilter, exports

FORMAT_FILTERS = {"csv": N_("CSV files (*.csv)"), "xlsx": N_("Excel workbooks (*.xlsx)"), "pdf": N_("PDF files (*.pdf)")}
REPORT_ROLES = {Role.MANAGER, Role.ADMIN}


def reports_reader(session: Session, clock: Clock, *, staff_no: str, password: str) -> Staff:
    """The staff member allowed to read the reports (a duty manager or an administrator), or a refusal."""
    staff = auth.authenticate(session, staff_no=staff_no, password=password, clock=clock, where="reports")
    if staff.role not in REPORT_ROLES:
        raise AppError(N_("Only duty managers and administrators can open the reports."))
    return staff


class ReportsSignInDialog(FormDialog):
    """Sign in to read the reports; reading does not put a manager on duty. On success `staff_id` is set."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(_("Reports sign-in"), _("Sign in to read the reports"), "", _("Sign in"), parent, width=480)
        self.backend = backend
        self.staff_id: int | None = None
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(_("e.g. M001"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(_("Staff number"), self.staff_edit)
        self.form.addRow(_("Password"), self.password_edit)
        self.sign_in_button = self.ok_button

    def _on_ok(self) -> None:
        staff_no, password = self.staff_edit.text().strip(), self.password_edit.text()
        self.password_edit.clear()
        if not staff_no or not password:
            self.message_bar.show_message(_("Enter your staff number and your password."), "error")
            return
        # A write: a wrong password is recorded and counted (core/auth.py), a right one resets the count.
        staff = act_or_show(self.backend, self.message_bar, reports_reader, staff_no=staff_no, password=password)
        if staff is None:
            return
        self.staff_id = staff.id
        self.accept()


class BreachCauseDialog(FormDialog):
    """The duty manager names why a breached visit ran over: a cause from the list and a note. Accepts on success."""

    def __init__(self, backend: Backend, staff_id: int, ticket_id: int, number: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Record cause"), _("Why did visit {ticket} break its target?").format(ticket=number), "",
                         _("Record cause"), parent, width=440)
        self.backend, self.staff_id, self.ticket_id = backend, staff_id, ticket_id
        self.cause_combo = QComboBox()
        for cause, text in explain.CAUSE_TEXT.items():
            self.cause_combo.addItem(_(text), str(cause))
        self.note_edit = QLineEdit()
        self.form.addRow(_("Cause"), self.cause_combo)
        self.form.addRow(_("Note"), self.note_edit)
        self.save_button = self.ok_button

    def _on_ok(self) -> None:
        done = act_or_show(self.backend, self.message_bar, explain.record_breach_cause, ticket_id=self.ticket_id,
                           staff_id=self.staff_id, cause=self.cause_combo.currentData(), note=self.note_edit.text())
        if done is not None:
            self.accept()


class ReportsWindow(QMainWindow):
    """Filters, a tab per view, exports; reports run on a thread pool.

    Signals:
        report_ready(str): a view's report arrived and is on screen (the view's name).
        export_written(str): an export was written (its path).
        job_failed(str): a report or export could not be made (the message, translated).
    """

    report_ready = Signal(str)
    export_written = Signal(str)
    job_failed = Signal(str)

    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.staff_id = staff_id
        self.setWindowTitle(_("Reports"))
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._ids = itertools.count(1)
        self._jobs: dict[int, rv.JobSignals] = {}  # until their signal has been handled
        # job id -> ("view", (view, key)) | ("export", (view, path)) | ("rows", (view, key, table, column, order))
        self._pending: dict[int, tuple[str, tuple]] = {}
        self._latest: dict[str, int] = {}  # view -> the job whose result it should show
        self._build()
        self.tabs.currentChanged.connect(lambda _i: self.run_view(self.current_view()))
        self.run_view(self.current_view())

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        options = self.backend.query(filter_options) or {}
        self.filters = FilterBar(self.backend.clock.now().date(), options)
        self.refresh_button = QPushButton(_("Refresh"))
        filters = QHBoxLayout()
        filters.addWidget(self.filters, 1)
        filters.addWidget(self.refresh_button)

        self.tabs = QTabWidget()
        self.views: dict[str, rv.ReportView] = {}
        for view in VIEWS:
            self.views[view] = rv.ReportView(view, reader=self._read)
            self.views[view].visit_chosen.connect(self.show_timeline)
            self.views[view].every_row_wanted.connect(
                lambda index, column, order, v=view: self.load_every_row(v, index, column, order))
            self.views[view].read_failed.connect(lambda text: self.message_bar.show_message(text, "error"))
            self.tabs.addTab(self.views[view], _(rv.VIEW_TAB_TEXT[view]))

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)  # busy: a report's length is not known in advance
        self.progress_bar.setMaximumWidth(180)
        self.progress_label = QLabel()
        self.timeline_button = QPushButton(_("Visit timeline…"))
        self.complaint_button = QPushButton(_("Record a complaint…"))
        self.cause_button = QPushButton(_("Record cause…"))
        self.end_of_day_button = QPushButton(_("End of day…"))
        self.export_buttons = {fmt: QPushButton(_("Export {format}").format(format=fmt.upper()))
                               for fmt in exports.FORMATS}
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_bar)
        bottom.addWidget(self.progress_label, 1)
        for button in (self.timeline_button, self.cause_button, self.complaint_button, *self.export_buttons.values()):
            bottom.addWidget(button)
        self.message_bar = MessageBar()

        title = QLabel(_("Reports: breaches, service levels, causes and satisfaction"))
        title.setStyleSheet("font-size: 22px; font-weight: bold;")
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addWidget(self.end_of_day_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message_bar)
        layout.addLayout(bottom)
        self.setCentralWidget(central)
        self._show_progress()

        self.refresh_button.clicked.connect(lambda: self.run_view(self.current_view(), force=True))
        self.filters.changed.connect(lambda: self.run_view(self.current_view()))
        self.timeline_button.clicked.connect(self._on_timeline_clicked)
        self.complaint_button.clicked.connect(self.open_complaint)
        self.cause_button.clicked.connect(self.open_breach_cause)
        self.tabs.currentChanged.connect(lambda _i: self._update_cause_button())
        self._update_cause_button()
        self.end_of_day_button.clicked.connect(self.open_end_of_day)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, f=fmt: self.export_current(f))

    def current_view(self) -> str:
        return VIEWS[self.tabs.currentIndex()]

    def select_view(self, view: str) -> None:
        self.tabs.setCurrentIndex(VIEWS.index(view))

    def current_filter(self) -> ReportFilter:
        return self.filters.current_filter(self.backend.clock.now())

    # -- running reports off the GUI thread ---------------------------------------------------

    def run_view(self, view: str, *, force: bool = False) -> None:
        """Build a view's report on the pool, unless the one on screen is already for these filters."""
        self.filters.settle()
        f = self.current_filter()
        key = rv.filter_key(f)
        shown = self.views[view].result
        running = self._pending.get(self._latest.get(view, 0))
        if not force and (running == ("view", (view, key))
                          or (running is None and shown is not None and shown.key == key)):
            return
        made_at = self.backend.clock.now()
        job_id = self._start(lambda session: rv.build_view(session, view, f, made_at), ("view", (view, key)))
        self._latest[view] = job_id

    def _read(self, work):
        """A page of a long table, read on the GUI thread (one page along an index: milliseconds)."""
        return self.backend.query(lambda session, _clock: work(session))

    def load_every_row(self, view: str, index: int, column: int, order) -> None:
        """Read every row of a paged table on the pool, then sort it (a header was clicked)."""
        result = self.views[view].result
        if result is None or not 0 <= index < len(result.report.tables):
            return
        paging = result.report.tables[index].paging
        if paging is None:
            return
        key = result.key
        for job_id, (kind, what) in self._pending.items():
            if kind == "rows" and what[:3] == (view, key, index):  # already being read: sort as asked last
                self._pending[job_id] = (kind, (view, key, index, column, order))
                return
        self._start(paging.every_row, ("rows", (view, key, index, column, order)))

    def export_current(self, fmt: str) -> None:
        """Write the view on screen, with the filters on screen, as CSV, XLSX or PDF (on the pool)."""
        view, f = self.current_view(), self.current_filter()
        suggested = paths.documents_dir() / "reports" / f"{view}-{f.date_from}-{f.date_to}.{fmt}"
        target = self.choose_export_path(fmt, suggested)
        if not target:
            return
        path, language, made_at = Path(target), i18n.current_language(), self.backend.clock.now()

        def work(session: Session) -> str:
            exports.export(session, view, f, fmt=fmt, path=path, made_at=made_at, language=language)
            return str(path)

        self._start(work, ("export", (view, str(path))))

    def choose_export_path(self, fmt: str, suggested: Path) -> str:
        """Ask where to save; tests replace this."""
        suggested.parent.mkdir(parents=True, exist_ok=True)
        target, _filter = QFileDialog.getSaveFileName(self, _("Export the report"), str(suggested),
                                                      _(FORMAT_FILTERS[fmt]))
        return target

    def _start(self, work, what: tuple[str, tuple]) -> int:
        job_id = next(self._ids)
        job = rv.StoreJob(job_id, self.backend.store, work)
        job.signals.finished.connect(self._on_job_finished)
        job.signals.failed.connect(self._on_job_failed)
        self._jobs[job_id] = job.signals
        self._pending[job_id] = what
        self._show_progress()
        self.pool.start(job)
        return job_id

    def _on_job_finished(self, job_id: int, result: object) -> None:
        kind, what = self._forget(job_id)
        if kind == "view":
            view = what[0]
            if self._latest.get(view) == job_id:  # an older run of the same view is dropped
                self.views[view].show_result(result)
                for table in self.views[view].tables:
                    table.selectionModel().selectionChanged.connect(lambda *_a: self._update_cause_button())
                self._update_cause_button()
                self.report_ready.emit(view)
        elif kind == "rows":
            view, key, index, column, order = what
            shown = self.views[view].result
            if shown is not None and shown.key == key:  # the filters did not change meanwhile
                self.views[view].show_every_row(index, result, column, order)
        elif kind == "export":
            self.message_bar.show_message(_("Saved {path}").format(path=what[1]), "ok", seconds=15)
            self.export_written.emit(what[1])

    def _on_job_failed(self, job_id: int, text: str) -> None:
        self._forget(job_id)
        self.message_bar.show_message(text, "error")
        self.job_failed.emit(text)

    def _forget(self, job_id: int) -> tuple[str, tuple]:
        self._jobs.pop(job_id, None)
        what = self._pending.pop(job_id, ("", ()))
        self._show_progress()
        return what

    def busy(self) -> bool:
        return bool(self._pending)

    def _show_progress(self) -> None:
        running = list(self._pending.values())
        self.progress_bar.setVisible(bool(running))
        if not running:
            self.progress_label.setText("")
            return
        kind, what = running[-1]
        if kind == "export":
            self.progress_label.setText(_("Writing {path}…").format(path=Path(what[1]).name))
        elif kind == "rows":
            self.progress_label.setText(_("{report}: reading every row to sort them…").format(
                report=_(exports.VIEW_TEXT[what[0]])))
        else:
            self.progress_label.setText(_("{report} is being made…").format(report=_(exports.VIEW_TEXT[what[0]])))

    # -- drill-down, complaints, end of day -----------------------------------------------------

    def _on_timeline_clicked(self) -> None:
        ticket_id = self.views[self.current_view()].selected_ticket_id()
        if ticket_id is None:
            self.message_bar.show_message(_("Choose a visit in the table first."), "info", seconds=8)
            return
        self.show_timeline(ticket_id)

    def show_timeline(self, ticket_id: int) -> TimelineDialog | None:
        entries = self.backend.query(lambda session, _clock: reports.visit_timeline(session, ticket_id))
        if not entries:
            self.message_bar.show_message(_("Nothing is recorded for that visit."), "info", seconds=8)
            return None
        first = entries[0]
        title = _("Visit {ticket}, {date}").format(ticket=first.number or "—", date=first.at.date().isoformat())
        services = self.backend.query(lambda session, _clock: service_names_by_code(session))
        self.timeline_dialog = TimelineDialog(entries, title, self, service_names=services)
        self.timeline_dialog.open()
        return self.timeline_dialog

    def open_complaint(self) -> QDialog:
        from counter_app.ui.reports.complaint import ComplaintDialog

        ticket_id = self.views[self.current_view()].selected_ticket_id()
        self.complaint_dialog = ComplaintDialog(self.backend, self.staff_id, ticket_id, self)
        self.complaint_dialog.open()
        return self.complaint_dialog

    def _update_cause_button(self) -> None:
        on_breaches = self.current_view() == "breaches"
        self.cause_button.setVisible(on_breaches)
        self.cause_button.setEnabled(on_breaches and self.views["breaches"].selected_ticket_id() is not None)

    def open_breach_cause(self) -> QDialog | None:
        """Name the cause of the selected breach; the report is made again once it is saved."""
        view = self.views["breaches"]
        row = view.current_table().row_object() if view.current_table() else None
        if getattr(row, "ticket_id", None) is None:
            self.message_bar.show_message(_("Choose a visit in the table first."), "info", seconds=8)
            return None
        self.cause_dialog = BreachCauseDialog(self.backend, self.staff_id, row.ticket_id,
                                              getattr(row, "number", "") or "—", self)
        self.cause_dialog.accepted.connect(lambda: self.run_view("breaches", force=True))
        self.cause_dialog.open()
        return self.cause_dialog

    def open_end_of_day(self) -> QDialog:
        from counter_app.ui.reports.end_of_day import EndOfDayDialog

        # The day on screen is the one to close: a manager reading yesterday's figures closes yesterday.
        f = self.current_filter()
        day = f.date_from if f.date_from == f.date_to else None
        self.end_of_day_dialog = EndOfDayDialog(self.backend, self.staff_id, day=day, parent=self)
        self.end_of_day_dialog.open()
        return self.end_of_day_dialog

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # A report still running holds a read session: let it end before the store can go away.
        self.pool.clear()
        self.pool.waitForDone()
        super().closeEvent(event)
