"""The preview: the customer reads the acceptance form large on screen; the clerk prints, saves or notes a
decline, and every attempt — a failed one too — is reported so the archive can record it."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from counter_app.ui.paperwork import preview as preview_module
from counter_app.ui.paperwork import printing
from counter_app.ui.paperwork.preview import Outcome, PreviewDialog
from counter_app.workflows.paperwork.render import samples


@pytest.fixture
def form_pdf(tmp_path):
    path = tmp_path / "ACC-20260302-0001.pdf"
    path.write_bytes(samples.SAMPLES["acceptance-form"]("zh_CN"))
    return path


def open_preview(qtbot, path, **kw) -> PreviewDialog:
    dialog = PreviewDialog(path, "Acceptance form", **kw)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 900)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def reports(dialog: PreviewDialog) -> list[tuple[str, str, str]]:
    seen: list[tuple[str, str, str]] = []
    dialog.outcome_reported.connect(lambda *args: seen.append(args))
    return seen


def test_the_form_opens_fit_to_width_and_large_enough_to_read(qtbot, form_pdf):
    dialog = open_preview(qtbot, form_pdf, intro="Please read the form before signing.")

    assert dialog.pdf_view is not None
    assert dialog.document.pageCount() == 1
    assert dialog.intro_label.text() == "Please read the form before signing."
    # An A4 page fit to a 1280-pixel-wide dialog is shown at about one and a half times its printed size:
    # the 11 pt body text is some 22 pixels tall.
    qtbot.waitUntil(lambda: dialog.zoom_factor() > 1.3, timeout=2000)
    assert dialog.zoom_label.text().endswith("%")


def test_the_clerk_can_make_it_larger_and_smaller_and_fit_it_again(qtbot, form_pdf):
    dialog = open_preview(qtbot, form_pdf)
    fitted = dialog.zoom_factor()

    dialog.zoom_in_button.click()
    assert dialog.zoom_factor() == pytest.approx(fitted * 1.25, rel=0.02)
    assert dialog.zoom_label.text() == f"{round(fitted * 125)} %"
    dialog.zoom_out_button.click()
    dialog.zoom_out_button.click()
    assert dialog.zoom_factor() == pytest.approx(fitted / 1.25, rel=0.02)
    dialog.fit_button.click()
    assert dialog.zoom_factor() == pytest.approx(fitted, rel=0.02)


def test_print_sends_the_pages_to_the_chosen_printer_and_reports_printed(qtbot, tmp_path, form_pdf):
    dialog = open_preview(qtbot, form_pdf)
    seen = reports(dialog)
    out = tmp_path / "printer-output.pdf"
    dialog.choose_printer = lambda: printing.pdf_file_printer(out)

    dialog.buttons["print"].click()

    assert dialog.outcome == Outcome.PRINTED
    assert seen == [("printed", f"pdf:{out}", "")]
    assert len(PdfReader(out).pages) == 1
    assert not dialog.isVisible()


def test_a_print_that_fails_stays_in_the_dialog_and_is_reported_as_failed(qtbot, tmp_path, form_pdf):
    dialog = open_preview(qtbot, form_pdf)
    seen = reports(dialog)
    (tmp_path / "not-a-folder").write_text("x")
    dialog.choose_printer = lambda: printing.pdf_file_printer(tmp_path / "not-a-folder" / "out.pdf")

    dialog.buttons["print"].click()

    assert dialog.outcome == Outcome.FAILED
    assert [outcome for outcome, _printer, _note in seen] == ["failed"]
    assert dialog.isVisible()
    assert dialog.message_bar.text().startswith("Not printed: The printer")
    assert "Try another printer, or save the PDF." in dialog.message_bar.text()

    # another printer works: the second attempt is reported too
    dialog.choose_printer = lambda: printing.pdf_file_printer(tmp_path / "ok.pdf")
    dialog.buttons["print"].click()
    assert [outcome for outcome, _printer, _note in seen] == ["failed", "printed"]


def test_cancelling_the_print_dialog_reports_nothing(qtbot, form_pdf):
    dialog = open_preview(qtbot, form_pdf)
    seen = reports(dialog)
    dialog.choose_printer = lambda: None
    dialog.buttons["print"].click()
    assert seen == [] and dialog.outcome is None and dialog.isVisible()


def test_save_as_pdf_copies_the_document_and_reports_saved(qtbot, tmp_path, form_pdf):
    dialog = open_preview(qtbot, form_pdf)
    seen = reports(dialog)
    target = tmp_path / "usb-stick" / "form.pdf"
    dialog.choose_save_path = lambda: str(target)

    dialog.buttons["save"].click()

    assert target.read_bytes() == form_pdf.read_bytes()
    assert seen == [("saved", f"pdf:{target}", "")]


def test_decline_is_offered_only_when_asked_for_and_reports_declined(qtbot, form_pdf):
    plain = open_preview(qtbot, form_pdf)
    assert "decline" not in plain.buttons

    dialog = open_preview(qtbot, form_pdf, actions=("print", "decline"))
    seen = reports(dialog)
    assert "save" not in dialog.buttons
    dialog.buttons["decline"].click()
    assert seen == [("declined", "", "")]
    assert dialog.outcome == Outcome.DECLINED


def test_without_the_qt_pdf_module_the_pages_are_shown_as_images(qtbot, form_pdf, monkeypatch):
    monkeypatch.setattr(preview_module, "QPdfView", None)
    dialog = open_preview(qtbot, form_pdf)

    assert dialog.pdf_view is None
    assert dialog.pages_view is not None
    page = dialog.pages_view._labels[0].pixmap()
    assert page.width() > 900  # fit to the dialog's width, not a thumbnail
    before = page.width()
    dialog.zoom_in_button.click()
    assert dialog.pages_view._labels[0].pixmap().width() > before


def test_a_missing_file_shows_why_and_offers_nothing_to_print(qtbot, tmp_path):
    dialog = open_preview(qtbot, tmp_path / "gone.pdf", actions=("print", "save"))
    assert not dialog.buttons["print"].isEnabled()
    assert not dialog.buttons["save"].isEnabled()
    assert dialog.buttons["close"].isEnabled()
