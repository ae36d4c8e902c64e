"""Stories of closing the day: the summary on screen, the one-page PDF in the documents archive."""

import pytest
from helpers.fixtures import DAY
from helpers.report_day import UNTIL, build_day
from pypdf import PdfReader
from PySide6.QtCore import Qt

from counter_app import paths
from counter_app.ui.backend import Backend
from counter_app.ui.end_of_day import EndOfDayDialog
from counter_app.ui.preview import PreviewDialog


@pytest.fixture
def morning(hall, clock):
    ids = build_day(hall, clock)
    clock.set(UNTIL)
    return ids


@pytest.fixture
def backend(hall, clock, morning):
    backend = Backend(hall, clock, refresh_ms=50, evaluate_ms=0)
    yield backend
    backend.stop()


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
    assert figures["Service level"] == "50.0%"
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
        dialog = EndOfDayDialog(backend, 1)
        qtbot.addWidget(dialog)
        assert dialog.figure_labels["Customers"].text() == "0"
        assert dialog.figure_labels["Service level"].text() == "—"
        assert dialog.breach_table.isHidden()
        assert dialog.close_day().exists()
    finally:
        backend.stop()
