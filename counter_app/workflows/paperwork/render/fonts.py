"""The font every printed document uses: a TrueType CJK font whose subset is embedded in the PDF.

Search order (the first font reportlab can load wins; see docs/documents.md):
1. resources/fonts/*.ttf and *.ttc, sorted by name: the app ships WenQuanYi Micro Hei (Apache-2.0), so a PC
   without Chinese fonts prints correctly; a branch may put its own there;
2. well-known system fonts: WenQuanYi Micro Hei / Zen Hei (Debian, Ubuntu), Microsoft YaHei, SimHei,
   SimSun (Windows), STHeiti, Arial Unicode (macOS);
3. reportlab's built-in CID font STSong-Light: always available, but NOT embedded, so a viewer
   without its own Chinese font shows boxes or nothing. A warning is logged.

OpenType/CFF fonts (Noto Sans CJK, Source Han) cannot be used: reportlab reads TrueType outlines only.

A character the document font lacks is drawn in the first **fallback** font that has it (`runs`):
resources/fonts/fallback/ (the app ships DejaVu Sans: symbols, emoji outlines, Latin and Cyrillic beyond
the main font), then the system's fonts for the rarer CJK extensions (Hanazono Mincho A/B on Linux,
SimSun-ExtB on Windows). What no font has is reported by `unprintable`, and the counter warns before the
customer signs.
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
FALLBACK_PREFIX = "CounterFallback"

# Fonts for what the main font lacks, after the shipped ones: CJK Extension A and B (𠀋), on Linux and Windows.
SYSTEM_FALLBACKS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0),
    ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0),
    ("C:/Windows/Fonts/simsunb.ttf", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
)

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


def _glyphs(name: str) -> dict[int, int] | None:
    return getattr(getattr(pdfmetrics.getFont(name), "face", None), "charToGlyph", None)


def fallback_candidates() -> list[tuple[Path, int]]:
    folder = paths.fonts_dir() / "fallback"
    shipped = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc")) if folder.is_dir() else []
    return [(p, 0) for p in shipped] + [(Path(p), index) for p, index in SYSTEM_FALLBACKS]


@functools.cache
def fallback_fonts() -> tuple[str, ...]:
    """The fallback fonts found, registered once per process, in the order they are tried."""
    if not document_font().embedded:
        return ()  # the built-in CID font cannot be measured glyph by glyph: no fallback is mixed in
    names: list[str] = []
    seen: set[str] = {Path(document_font().source).name}
    for path, index in fallback_candidates():
        if not path.is_file() or path.name in seen:
            continue
        name = f"{FALLBACK_PREFIX}{len(names) + 1}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
        except Exception as exc:  # a CFF font, a damaged file
            log.info("cannot use %s as a fallback font: %s", path, exc)
            continue
        seen.add(path.name)
        names.append(name)
    return tuple(names)


@functools.lru_cache(maxsize=65536)
def font_for(char: str) -> str | None:
    """The font that draws this character: the document font if it can, else the first fallback that can;
    None when none can (it would print blank)."""
    main = document_font().name
    glyphs = _glyphs(main)
    if glyphs is None or char.isspace() or ord(char) in glyphs:
        return main
    for name in fallback_fonts():
        if ord(char) in (_glyphs(name) or {}):
            return name
    return None


def runs(text: str) -> list[tuple[str, str]]:
    """The text cut into (font, piece) runs: each piece drawn in the font that has its characters. A character no
    font has stays with the document font (it prints blank; `unprintable` has warned)."""
    main = document_font().name
    found: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char) or main
        if found and found[-1][0] == font:
            found[-1] = (font, found[-1][1] + char)
        else:
            found.append((font, char))
    return found


def unprintable(*texts: str) -> list[str]:
    """The characters of these texts that neither the document font nor a fallback font has a glyph for: a
    rare CJK character (𠀋) on a PC without a font for it. They would print blank — a family name vanishing
    from a form — so the counter warns about them. With the built-in CID font (no TrueType font found)
    nothing can be told, and nothing is reported."""
    if _glyphs(document_font().name) is None:
        return []
    missing: dict[str, None] = {}
    for text in texts:
        for char in text or "":
            if font_for(char) is None:
                missing[char] = None
    return list(missing)
