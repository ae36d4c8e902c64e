"""The CJK font of the documents: a TrueType font embedded as a subset, with a documented fallback."""

from __future__ import annotations

import logging
from pathlib import Path

from counter_app import paths
from counter_app.workflows.paperwork.render import fonts


def test_this_machine_has_a_truetype_cjk_font_that_documents_embed():
    font = fonts.document_font()
    assert font.embedded, f"no TrueType CJK font found; install fonts-wqy-microhei ({font.source})"
    assert fonts.document_font() is font  # registered once


def test_fonts_shipped_in_resources_come_before_the_systems(tmp_path, monkeypatch):
    shipped = tmp_path / "fonts"
    shipped.mkdir()
    (shipped / "branch-font.ttf").write_bytes(b"not really a font")
    (shipped / "readme.txt").write_text("not a font at all")
    monkeypatch.setattr(paths, "fonts_dir", lambda: shipped)
    candidates = fonts.candidates()
    assert candidates[0] == (shipped / "branch-font.ttf", 0)
    assert all(path.suffix in (".ttf", ".ttc") for path, _ in candidates)
    assert Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc") in [p for p, _ in candidates]


def test_an_unusable_font_file_is_skipped_for_the_next(tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00garbage")
    system = [(Path(p), i) for p, i in fonts.SYSTEM_FONTS if Path(p).is_file()]
    font = fonts.load_first([(broken, 0), (tmp_path / "missing.ttc", 0), *system], name="TestCJKNext")
    assert font.embedded
    assert font.source != str(broken)


def test_without_any_truetype_font_the_builtin_cid_font_is_used_and_a_warning_logged(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        font = fonts.load_first([(tmp_path / "missing.ttf", 0)], name="TestCJKNone")
    assert font.name == fonts.FALLBACK_CID_FONT
    assert not font.embedded
    assert "not embedded" in caplog.text


def test_the_app_ships_its_document_font_and_a_fallback_so_a_pc_without_chinese_fonts_prints(monkeypatch):
    shipped = [p for p, _ in fonts.candidates() if p.parent == paths.fonts_dir()]
    assert [p.name for p in shipped] == ["wqy-microhei.ttc"]
    assert fonts.document_font().source == str(paths.fonts_dir() / "wqy-microhei.ttc")
    fallback = [p for p, _ in fonts.fallback_candidates() if p.parent == paths.fonts_dir() / "fallback"]
    assert [p.name for p in fallback] == ["DejaVuSans.ttf"]
    for font in [*shipped, *fallback]:  # each with the licence that lets the app pass it on
        assert font.with_name(font.stem + ".LICENSE.txt").is_file()


def page_fonts(pdf: bytes) -> set[str]:
    import io

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in page["/Resources"]["/Font"].values()}


def drawn(text: str) -> bytes:
    import io

    from reportlab.pdfgen.canvas import Canvas

    from counter_app.workflows.paperwork.render.layout import draw_text

    buffer = io.BytesIO()
    c = Canvas(buffer)
    draw_text(c, 40, 700, text, 12)
    c.save()
    return buffer.getvalue()


def test_a_character_the_main_font_lacks_is_drawn_in_the_fallback_that_has_it():
    import pytest

    assert [font for font, _ in fonts.runs("王先生 ☃")] == ["CounterCJK", fonts.font_for("☃")]
    assert fonts.font_for("☃") != "CounterCJK" and fonts.unprintable("王先生 ☃ 😀") == []
    assert any("DejaVu" in name for name in page_fonts(drawn("王先生 ☃")))
    if not Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf").is_file():
        pytest.skip("no font for CJK Extension B here (fonts-hanazono)")
    assert fonts.unprintable("𠀋建国") == []
    assert any("HanaMin" in name for name in page_fonts(drawn("𠀋建国")))


def test_what_no_font_has_is_named_and_measured_without_error():
    from counter_app.workflows.paperwork.render.layout import text_width

    assert fonts.unprintable("𰀀建国", "王") == ["𰀀"]  # CJK Extension G: in none of the fonts
    assert text_width("𰀀建国", fonts.document_font().name, 12) > text_width("建国", fonts.document_font().name, 12)
