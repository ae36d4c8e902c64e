"""The font every printed document uses: a TrueType CJK font whose subset is embedded in the PDF.

Search order (the first font reportlab can load wins; see docs/documents.md):
1. resources/fonts/*.ttf and *.ttc, sorted by name (a branch may ship its own);
2. well-known system fonts: WenQuanYi Micro Hei / Zen Hei (Debian, Ubuntu), Microsoft YaHei, SimHei,
   SimSun (Windows), STHeiti, Arial Unicode (macOS);
3. reportlab's built-in CID font STSong-Light: always available, but NOT embedded, so a viewer
   without its own Chinese font shows boxes or nothing. A warning is logged.

OpenType/CFF fonts (Noto Sans CJK, Source Han) cannot be used: reportlab reads TrueType outlines only.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from counter_app import paths

log = logging.getLogger(__name__)

FONT_NAME = "CounterCJK"
FALLBACK_CID_FONT = "STSong-Light"

# (path, subfont index inside a .ttc collection)
SYSTEM_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),  # Fedora
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
)


@dataclass(frozen=True)
class DocumentFont:
    """The registered font: its reportlab name, where it came from, and whether PDFs embed it."""

    name: str
    source: str
    embedded: bool


def candidates() -> list[tuple[Path, int]]:
    """Font files to try, in order: the shipped fonts first, then the system's."""
    found: list[tuple[Path, int]] = []
    fonts_dir = paths.fonts_dir()
    if fonts_dir.is_dir():
        shipped = sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in (".ttf", ".ttc"))
        found += [(p, 0) for p in shipped]
    found += [(Path(p), index) for p, index in SYSTEM_FONTS]
    return found


def load_first(paths_to_try: list[tuple[Path, int]], name: str = FONT_NAME) -> DocumentFont:
    """Register the first loadable TrueType font under `name`, else the built-in CID font."""
    for path, index in paths_to_try:
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
        except Exception as exc:  # a CFF font, a damaged file: reportlab says why; try the next
            log.info("cannot use %s for PDFs: %s", path, exc)
            continue
        return DocumentFont(name=name, source=str(path), embedded=True)
    log.warning(
        "no TrueType CJK font found for printed documents; using %s, which is not embedded in the PDF. "
        "Install fonts-wqy-microhei or put a .ttf/.ttc into %s", FALLBACK_CID_FONT, paths.fonts_dir(),
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return DocumentFont(name=FALLBACK_CID_FONT, source="reportlab built-in", embedded=False)


@functools.cache
def document_font() -> DocumentFont:
    """The font for documents, registered once per process (loading a CJK font takes ~0.3 s)."""
    return load_first(candidates())


def unprintable(*texts: str) -> list[str]:
    """The characters of these texts that the document font has no glyph for: a rare CJK character (𠀋), an
    emoji. They would print blank — a family name vanishing from a form — so the counter warns about them.
    With the built-in CID font (no TrueType font found) nothing can be told, and nothing is reported."""
    font = pdfmetrics.getFont(document_font().name)
    glyphs = getattr(getattr(font, "face", None), "charToGlyph", None)
    if not glyphs:
        return []
    missing: dict[str, None] = {}
    for text in texts:
        for char in text or "":
            if not char.isspace() and ord(char) not in glyphs:
                missing[char] = None
    return list(missing)
