"""The QApplication: fonts that show Chinese, the stylesheet, and the windows of each role."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from counter_app import paths

log = logging.getLogger(__name__)

# Families that carry Simplified Chinese, best first, on Windows, macOS and Linux.
CJK_FAMILIES = ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback", "SimHei")
# Where a CJK font is found when Qt's font database has none registered.
FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


def ensure_cjk_font(app: QApplication) -> str | None:
    """Make sure Chinese renders: pick an installed CJK family, or load one from resources/ or the system."""
    families = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    if not families:
        candidates = sorted(paths.fonts_dir().glob("*.tt[fc]")) if paths.fonts_dir().is_dir() else []
        candidates += [Path(p) for p in FONT_FILES]
        for candidate in candidates:
            if candidate.exists() and QFontDatabase.addApplicationFont(str(candidate)) >= 0:
                families = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
                if families:
                    break
    chosen = next((f for f in CJK_FAMILIES if f in families), None) or (sorted(families)[0] if families else None)
    if chosen is None:
        log.warning("no font with Simplified Chinese found: install fonts-wqy-microhei or put a .ttf in %s",
                    paths.fonts_dir())
        return None
    font = QFont(app.font())
    font.setFamilies([chosen, *QFont(app.font()).families()])
    font.setPointSize(max(font.pointSize(), 11))
    app.setFont(font)
    return chosen


STYLESHEET = """
QWidget { font-size: 15px; }
QPushButton { padding: 6px 14px; }
QPushButton:disabled { color: #9a9a9a; }
"""


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("counter_app")
    app.setOrganizationName("counter_app")
    ensure_cjk_font(app)
    app.setStyleSheet(STYLESHEET)
    return app
