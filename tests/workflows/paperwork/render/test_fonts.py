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
