"""Stories of closing the day: the summary on screen, the one-page PDF in the documents archive."""

import json

import pytest
from helpers.fixtures import DAY, at, staff_id
from helpers.report_day import NEXT_DAY, UNTIL
from helpers.story import act, events, issue
from pypdf import PdfReader
from PySide6.QtCore import Qt

from counter_app import paths
from counter_app.ui.common.backend import Backend
from counter_app.ui.paperwork.preview import PreviewDialog
from counter_app.ui.reports.end_of_day import EndOfDayDialog
from counter_app.ui.reports.timeline import event_text
from counter_app.workflows.oversight import escalation
from counter_app.workflows.queue import tickets


@pytest.fixture
def dialog(qtbot, backend, morning):
    dialog = EndOfDayDialog(backend, morning["M001"])
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def archive():
    return paths.documents_dir() / "reports" / "2026-03"


def test_the_summary_shows_the_days_customers_service_level_breaches_and_causes(dialog):
    figures = {title: label.text() for title, label in dialog.figure_labels.items()}
    assert (figures["Customers"], figures["Served"], figures["No-shows"], figures["Visits not ended"]) == (
        "3", "2", "1", "0")
    assert figures["Within the wait target"] == "50.0%"
    assert dialog.level_label.text() == "50.0% served within the wait target (1 of 2)"
    numbers = [dialog.breach_table.item(r, 0).text() for r in range(dialog.breach_table.rowCount())]
    causes = [dialog.breach_table.item(r, 5).text() for r in range(dialog.breach_table.rowCount())]
    assert numbers == ["A001", "A002", "C001"]
    assert causes == ["Staffing", "No cause recorded", "Training"]


def test_closing_the_day_saves_the_one_page_pdf_into_the_archive(qtbot, dialog):
    qtbot.mouseClick(dialog.close_day_button, Qt.MouseButton.LeftButton)

    path = archive() / "end-of-day-2026-03-02.pdf"
    assert dialog.saved_path == path and path.exists()
    assert dialog.result() == dialog.DialogCode.Accepted
    pdf = PdfReader(path)
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "End-of-day summary" in text and "A001" in text and "C001" in text
    assert dialog.preview is None


def test_closing_the_day_again_keeps_the_first_page(qtbot, backend, morning, dialog):
    dialog.close_day()
    again = EndOfDayDialog(backend, morning["M001"], day=DAY)
    qtbot.addWidget(again)
    second = again.close_day()
    assert second != dialog.saved_path and second.name == "end-of-day-2026-03-02-103000.pdf"
    assert sorted(p.name for p in archive().iterdir()) == ["end-of-day-2026-03-02-103000.pdf",
                                                           "end-of-day-2026-03-02.pdf"]


def test_the_page_can_be_shown_for_printing_after_it_is_saved(qtbot, dialog):
    dialog.preview_check.setChecked(True)
    dialog.close_day()
    assert isinstance(dialog.preview, PreviewDialog)
    qtbot.addWidget(dialog.preview)
    assert dialog.preview.pdf_path == dialog.saved_path
    assert "print" in dialog.preview.buttons


def test_an_empty_day_closes_too(qtbot, hall, clock):
    clock.set(UNTIL)
    backend = Backend(hall, clock, refresh_ms=50, evaluate_ms=0)
    try:
        dialog = EndOfDayDialog(backend, staff_id(hall, "M001"))
        qtbot.addWidget(dialog)
        assert dialog.figure_labels["Customers"].text() == "0"
        assert dialog.figure_labels["Within the wait target"].text() == "—"
        assert dialog.breach_table.isHidden()
        assert dialog.close_day().exists()
    finally:
        backend.stop()


def test_the_days_open_help_requests_are_shown_apart_from_those_of_earlier_days(qtbot, hall, clock, backend,
                                                                                   morning):
    clock.set(at("09:05", NEXT_DAY))
    issue(hall, clock, "BB")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=morning["S001"])
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=morning["S001"])
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=morning["S001"], route="senior")
    clock.set(at("17:30", NEXT_DAY))
    dialog = EndOfDayDialog(backend, morning["M001"])
    qtbot.addWidget(dialog)

    assert [label.text() for label in dialog.escalation_labels] == [
        "#2 A001, asked by 王芳 at 09:05 (requested)"]
    assert dialog.earlier_heading.text() == "Still open from earlier days: 1"
    assert [label.text() for label in dialog.earlier_labels] == [
        "#1 C001, asked by 赵静 on 2026-03-02 at 09:40 (requested)"]
    dialog.close_day()
    text = PdfReader(dialog.saved_path).pages[0].extract_text()
    assert "Open escalations of the day: 1" in text and "Still open from earlier days: 1" in text
    assert "on 2026-03-02 at 09:40" in text


def test_a_day_without_older_help_requests_shows_no_backlog(dialog):
    assert [label.text() for label in dialog.escalation_labels] == ["#1 C001, asked by 赵静 at 09:40 (requested)"]
    assert dialog.earlier_heading is None and dialog.earlier_labels == []


def test_closing_the_day_is_written_in_the_event_log_with_who_closed_it(qtbot, hall, morning, dialog):
    assert dialog.closed_before_label.isHidden()
    qtbot.mouseClick(dialog.close_day_button, Qt.MouseButton.LeftButton)

    [closed] = events(hall, "day_closed")
    assert closed.staff_id == morning["M001"] and event_text(closed.kind) == "Day closed"
    assert json.loads(closed.data)["customers"] == 3
    assert dialog.closed.head.event_id == closed.id
    text = " ".join(PdfReader(dialog.saved_path).pages[0].extract_text().split())
    assert f"counter-app audit verify --anchor {closed.id}:{closed.hash[:16]}" in text


def test_a_day_closed_before_says_so_before_it_is_closed_again(qtbot, backend, morning, dialog):
    dialog.close_day()
    again = EndOfDayDialog(backend, morning["M001"], day=DAY)
    qtbot.addWidget(again)
    assert not again.closed_before_label.isHidden()
    assert again.closed_before_label.text() == (
        "This day was closed at 10:30 by 陈刚; closing it again saves a new page beside the first.")


def test_a_clerk_cannot_close_the_day(qtbot, hall, backend, morning):
    dialog = EndOfDayDialog(backend, morning["S001"])
    qtbot.addWidget(dialog)
    assert dialog.close_day() is None
    assert dialog.message_bar.text() == "Only duty managers and administrators can close the day."
    assert events(hall, "day_closed") == [] and dialog.saved_path is None


def test_customers_still_waiting_are_listed_before_the_day_is_closed_and_on_its_page(qtbot, hall, clock):
    clock.set(at("09:50"))
    issue(hall, clock, "BILL")
    issue(hall, clock, "BILL")
    clock.set(at("17:40"))  # after closing time: the two were never called
    backend = Backend(hall, clock, refresh_ms=50, evaluate_ms=0)
    try:
        dialog = EndOfDayDialog(backend, staff_id(hall, "M001"))
        qtbot.addWidget(dialog)
        expected = "Still waiting, never called: C001, C002. Closing the day takes them off the queue."
        assert dialog.message_bar.text() == expected
        text = PdfReader(dialog.close_day()).pages[0].extract_text()
        assert "Still waiting, never called: C001, C002." in " ".join(text.split())
        assert json.loads(events(hall, "day_closed")[-1].data)["left_waiting"] == ["C001", "C002"]
    finally:
        backend.stop()
