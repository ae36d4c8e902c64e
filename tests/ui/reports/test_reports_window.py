"""Stories of the branch head reading the reports: breaches and a visit's timeline, service level, exports,
and reports that run on a worker while the window stays usable."""

import csv
import datetime as dt
import threading

import pytest
from helpers.fixtures import DAY
from helpers.report_day import UNTIL
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog

from counter_app.settings import Settings
from counter_app.ui.chooser import RoleChooser
from counter_app.ui.launcher import Launcher
from counter_app.ui.reports import views
from counter_app.ui.reports.window import ReportsSignInDialog, ReportsWindow
from counter_app.workflows.replay import demo

TICKET, WHOLE_VISIT = 1, 3  # columns of the breach table and of the service-level table


@pytest.fixture
def window(qtbot, backend, morning):
    """陈刚 (M001) opens the reports at 10:30; today's breach report is on screen."""
    win = ReportsWindow(backend, morning["M001"])
    qtbot.addWidget(win)
    win.resize(1440, 900)
    with qtbot.waitSignal(win.report_ready, timeout=5000):
        win.show()
    return win


def table(win, view):
    return win.views[view].current_table()


def run(qtbot, win, view):
    with qtbot.waitSignal(win.report_ready, timeout=5000, check_params_cb=lambda v: v == view):
        win.select_view(view)


def test_the_breach_tab_lists_each_breached_visit_with_its_cause_and_a_chart_by_cause(window):
    breaches = table(window, "breaches")
    assert breaches.column_texts(TICKET) == ["A001", "A002", "C001"]
    causes = breaches.column_texts(8)
    assert causes == ["Staffing", "No cause recorded", "Training"]
    assert window.views["breaches"].chart_panel.bar_values() == {"Breaches": [1.0, 1.0, 1.0]}
    assert "2026-03-02" in window.views["breaches"].about_label.text()


def test_drilling_down_on_a_breach_shows_the_visits_whole_timeline(qtbot, window, morning):
    breaches = table(window, "breaches")
    breaches.selectRow(breaches.column_texts(TICKET).index("C001"))
    qtbot.mouseClick(window.timeline_button, Qt.MouseButton.LeftButton)

    dialog = window.timeline_dialog
    assert dialog.isVisible()
    assert dialog.heading.text() == "Visit C001, 2026-03-02"
    kinds = dialog.kinds()
    assert kinds[:4] == ["Ticket issued", "Called", "Service started", "Transferred"]
    assert "Asked for help" in kinds and "Breach cause recorded" in kinds
    details = [dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())]
    assert "to New line" in details and "Training" in details


def test_double_clicking_a_row_opens_the_same_timeline(window, morning):
    view = window.views["breaches"]
    chosen = []
    view.visit_chosen.connect(chosen.append)
    breaches = table(window, "breaches")
    breaches.doubleClicked.emit(breaches.model().index(0, 0))
    assert chosen == [morning["A001"]]
    assert window.timeline_dialog.kinds()[0] == "Ticket issued"


def test_the_service_level_is_the_share_of_served_customers_within_the_targets(qtbot, window):
    run(qtbot, window, "service-level")
    levels = table(window, "service-level")
    # A001 (broadband) waited 30 minutes of 15 and was served in 5 of 10; C001 (bill payment) waited 1 minute
    # on each leg and was served in 30 of 25: neither visit stayed within every target.
    assert levels.column_texts(1) == ["Broadband renewal", "Bill payment"]
    assert levels.column_texts(WHOLE_VISIT) == ["0.0", "0.0"]
    assert levels.column_texts(WHOLE_VISIT + 1) == ["0.0", "100.0"]  # the wait
    assert levels.column_texts(WHOLE_VISIT + 2) == ["100.0", "0.0"]  # the service
    assert window.views["service-level"].chart_panel.bar_values() == {"Whole visit (%)": [0.0]}


def test_choosing_a_cause_narrows_the_breaches(qtbot, window):
    with qtbot.waitSignal(window.report_ready, timeout=5000):
        window.filters.choose(window.filters.cause_combo, "training")
    assert table(window, "breaches").column_texts(TICKET) == ["C001"]


def test_the_by_hour_heat_map_colours_each_hour_of_the_day(qtbot, window):
    run(qtbot, window, "by-hour")
    heat = window.views["by-hour"].heat_map
    assert heat.cell(DAY, 9).text() == "2"  # A002 and C001 arrived between 09:00 and 10:00
    assert heat.cell(DAY, 8).text() == "1"
    heat.set_measure("average_wait")
    assert heat.cell(DAY, 8).text() == "30.0"


def test_exporting_the_view_as_csv_writes_its_rows(qtbot, window, tmp_path):
    target = tmp_path / "breaches.csv"
    window.choose_export_path = lambda fmt, suggested: str(target)
    with qtbot.waitSignal(window.export_written, timeout=5000) as written:
        qtbot.mouseClick(window.export_buttons["csv"], Qt.MouseButton.LeftButton)
    assert written.args == [str(target)]
    with target.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][1] == "Ticket"
    assert [row[1] for row in rows[1:]] == ["A001", "A002", "C001"]
    assert "breaches.csv" in window.message_bar.text()


def test_a_report_runs_on_a_worker_while_the_window_stays_responsive(qtbot, window, monkeypatch):
    release = threading.Event()
    threads = []
    real = views.build_view

    def slow_build(session, view, f, made_at):
        threads.append(threading.get_ident())
        release.wait(5)
        return real(session, view, f, made_at)

    monkeypatch.setattr(views, "build_view", slow_build)
    qtbot.mouseClick(window.refresh_button, Qt.MouseButton.LeftButton)
    assert window.busy() and window.progress_bar.isVisible()
    assert window.progress_label.text() == "Breach report is being made…"

    # While the report is still being made, the GUI thread goes on handling timers and clicks.
    ticks = []
    QTimer.singleShot(20, lambda: ticks.append("tick"))
    qtbot.waitUntil(lambda: ticks == ["tick"], timeout=1000)
    window.select_view("time-bands")  # a second report starts beside the first
    assert window.current_view() == "time-bands" and window.progress_bar.isVisible()

    with qtbot.waitSignal(window.report_ready, timeout=5000, check_params_cb=lambda v: v == "breaches"):
        release.set()
    qtbot.waitUntil(lambda: not window.busy(), timeout=5000)
    assert threads and threading.get_ident() not in threads
    assert not window.progress_bar.isVisible()
    assert table(window, "breaches").column_texts(TICKET) == ["A001", "A002", "C001"]


def test_a_refused_period_is_said_in_the_window(qtbot, window):
    window.filters.set_period(DAY, DAY.replace(day=1))
    with qtbot.waitSignal(window.job_failed, timeout=5000) as failed:
        window.run_view("breaches", force=True)
    assert "ends before it starts" in failed.args[0]
    assert window.message_bar.kind == "error"


def test_only_duty_managers_and_administrators_sign_in_to_the_reports(qtbot, backend, morning):
    dialog = ReportsSignInDialog(backend)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText("S001")
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    dialog.sign_in_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message_bar.text() == "Only duty managers and administrators can open the reports."

    dialog.staff_edit.setText("M001")
    dialog.password_edit.setText(demo.DEMO_PASSWORD)
    dialog.sign_in_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.staff_id == morning["M001"]


def test_the_reports_role_opens_after_a_manager_signs_in_and_the_chooser_offers_it(qtbot, backend, morning,
                                                                                   monkeypatch, tmp_path):
    def sign_in(dialog):
        dialog.staff_edit.setText("M001")
        dialog.password_edit.setText(demo.DEMO_PASSWORD)
        dialog.sign_in_button.click()
        return dialog.result()

    monkeypatch.setattr(ReportsSignInDialog, "exec", sign_in)
    launcher = Launcher(backend, Settings(tmp_path / "settings.json"), fullscreen=False)
    window = launcher.open_role("reports")
    try:
        assert isinstance(window, ReportsWindow) and window.staff_id == morning["M001"]
        qtbot.waitUntil(lambda: not window.busy(), timeout=5000)
    finally:
        window.close()

    asked = []
    chooser = RoleChooser(asked.append, Settings(tmp_path / "settings.json"))
    qtbot.addWidget(chooser)
    qtbot.mouseClick(chooser.reports_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(chooser.feedback_button, Qt.MouseButton.LeftButton)
    assert asked == ["reports", "feedback"]


def test_the_manager_records_the_cause_of_a_breach_from_its_row(qtbot, window):
    breaches = table(window, "breaches")
    assert not window.cause_button.isEnabled()
    row = breaches.column_texts(TICKET).index("A002")
    breaches.selectRow(row)
    assert window.cause_button.isEnabled()
    qtbot.mouseClick(window.cause_button, Qt.MouseButton.LeftButton)

    dialog = window.cause_dialog
    assert dialog.isVisible()
    dialog.cause_combo.setCurrentIndex(dialog.cause_combo.findText("Staffing"))
    dialog.note_edit.setText("one counter closed for lunch")
    with qtbot.waitSignal(window.report_ready, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    breaches = table(window, "breaches")
    assert breaches.column_texts(TICKET) == ["A001", "A002", "C001"]
    assert breaches.column_texts(8) == ["Staffing", "Staffing", "Training"]


# -- a long breach list is listed a page at a time -------------------------------------------------

WAIT = 4  # the breach table's wait column


@pytest.fixture
def two_a_page(monkeypatch):
    """Pages of two rows, so that the morning's three breaches take two pages."""
    from counter_app.workflows.reports import breach_report as report_breaches

    monkeypatch.setattr(report_breaches, "PAGE_ROWS", 2)


def test_a_long_breach_list_fills_page_by_page_as_the_table_is_shown(qtbot, backend, morning, two_a_page):
    win = ReportsWindow(backend, morning["M001"])
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.report_ready, timeout=5000):
        win.show()
    breaches = table(win, "breaches")
    assert breaches.source.table.paging.total == 3
    # the table is not full after the first page, so it reads the next one itself
    qtbot.waitUntil(lambda: breaches.proxy.rowCount() == 3, timeout=3000)
    assert breaches.column_texts(TICKET) == ["A001", "A002", "C001"]
    assert "3 rows" in win.views["breaches"].about_label.text()
    assert "listed" not in win.views["breaches"].about_label.text()


def test_the_first_page_says_how_many_rows_there_are_and_sorting_asks_for_all_of_them(qtbot, hall, morning,
                                                                                       two_a_page):
    from counter_app.workflows.reports import exports

    with hall.read() as session:
        result = views.build_view(session, "breaches", exports.ReportFilter(DAY, DAY, until=UNTIL), UNTIL)
        every_row = result.report.tables[0].paging.every_row(session)
    view = views.ReportView("breaches")  # no reader: nothing more is read by itself
    qtbot.addWidget(view)
    view.show_result(result)
    breaches = view.current_table()
    assert breaches.column_texts(TICKET) == ["A001", "A002"]
    assert view.table_tabs.tabText(0).endswith("(3)")
    assert "3 rows (2 listed" in view.about_label.text()
    # a click on the wait column's header asks for every row before it sorts two of three
    with qtbot.waitSignal(view.every_row_wanted, timeout=1000) as asked:
        breaches.sortByColumn(WAIT, Qt.SortOrder.DescendingOrder)
    index, column, order = asked.args
    assert (index, column) == (0, WAIT)
    assert breaches.column_texts(TICKET) == ["A001", "A002"]  # not sorted yet
    view.show_every_row(index, every_row, column, Qt.SortOrder.DescendingOrder)
    assert breaches.column_texts(TICKET) == ["A001", "A002", "C001"]  # waits 30, 26 and 2 minutes
    assert "listed" not in view.about_label.text()


def test_sorting_a_paged_table_reads_every_row_on_the_pool(qtbot, window, two_a_page):
    window.run_view("breaches", force=True)
    qtbot.waitUntil(lambda: not window.busy(), timeout=5000)
    window.load_every_row("breaches", 0, WAIT, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not window.busy(), timeout=5000)
    breaches = table(window, "breaches")
    assert breaches.column_texts(TICKET) == ["C001", "A002", "A001"]
    assert breaches.source.complete()


def paged_model(qtbot, total: int, pages: list):
    """A paged table of numbers whose reader hands out the given pages in turn (None: the store is unreadable)."""
    from counter_app.workflows.reports import exports

    answers = iter(pages)
    paging = exports.Paging(total, lambda _session, _after: [], lambda _session: [], page_size=2)
    table = exports.Table("t", [exports.Column("n", lambda r: r, "int")], [1, 2], None, paging)
    return views.ReportTableModel(table, reader=lambda _work: next(answers))


def test_an_unreadable_page_is_said_and_tried_again_not_taken_for_the_end(qtbot):
    model = paged_model(qtbot, 5, [None, [3, 4], [5]])
    with qtbot.waitSignal(model.read_failed, timeout=1000) as failed:
        model.fetchMore()
    assert "could not be read" in failed.args[0]
    assert (model.rowCount(), model.canFetchMore(), model.total()) == (2, True, 5)
    model.fetchMore()
    model.fetchMore()  # a short page: the last
    assert (model.rowCount(), model.canFetchMore(), model.total()) == (5, False, 5)


def test_the_listing_goes_on_past_a_count_that_was_low_and_ends_at_a_short_page(qtbot):
    # three breaches counted when the report was made; two more broke their target since
    model = paged_model(qtbot, 3, [[3, 4], [5]])
    model.fetchMore()
    assert (model.rowCount(), model.total(), model.canFetchMore()) == (4, 4, True)
    model.fetchMore()
    assert (model.rowCount(), model.total(), model.canFetchMore()) == (5, 5, False)


def test_the_listing_ends_at_an_empty_page_when_the_count_was_high(qtbot):
    model = paged_model(qtbot, 9, [[]])
    model.fetchMore()
    assert (model.rowCount(), model.total(), model.canFetchMore()) == (2, 2, False)


def test_a_date_can_be_typed_into_the_period(qtbot, window):
    edit = window.filters.from_edit
    edit.setFocus()
    qtbot.wait(20)  # entering the field selects the year
    qtbot.keyClicks(edit, "20260301")
    assert edit.date().toPython() == dt.date(2026, 3, 1)


def test_closing_the_day_proposes_the_day_on_screen(qtbot, window, clock, monkeypatch):
    from counter_app.ui.reports.end_of_day import EndOfDayDialog

    monkeypatch.setattr(EndOfDayDialog, "open", lambda self: None)
    clock.set(dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(9, 0)))  # the next morning
    window.filters.set_period(DAY, DAY)  # yesterday's figures on screen
    assert window.open_end_of_day().day == DAY
    window.filters.set_period(DAY, DAY + dt.timedelta(days=1))
    assert window.open_end_of_day().day == DAY + dt.timedelta(days=1), "a longer period: today, as before"


def test_a_chart_of_counts_has_whole_ticks_only():
    from counter_app.ui.reports.charts import integer_axis

    assert integer_axis(3) == (3, 4)  # 0 1 2 3
    assert integer_axis(7) == (7, 8)
    assert integer_axis(13) == (14, 8)  # steps of 2
    assert integer_axis(0) == (1, 2)
    for top in (1, 3, 9, 11, 37, 96, 1234):
        end, ticks = integer_axis(top)
        assert end >= top and ticks <= 11 and (end / (ticks - 1)).is_integer()


def test_the_breach_chart_counts_in_whole_visits(qtbot, window):
    axis = next(a for a in window.views["breaches"].chart_panel.chart().axes() if a.orientation() == Qt.Orientation.Vertical)
    step = axis.max() / (axis.tickCount() - 1)
    assert step.is_integer() and axis.labelFormat() == "%.0f"
