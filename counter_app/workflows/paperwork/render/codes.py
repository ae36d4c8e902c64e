"""QR codes and Code128 barcodes, drawn as raw PDF rectangle operators on a reportlab canvas."""

from __future__ import annotations

import functools

from reportlab.graphics.barcode import code128, qrencoder
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 4  # the white border the QR standard asks for
BARCODE_QUIET_MODULES = 10  # Code128 asks for ten module widths of white on each side


@functools.lru_cache(maxsize=256)
def qr_runs(value: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR code of value (error correction M): its size in modules, its dark runs (row, col, length)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    count = code.getModuleCount()
    runs = []
    for row in range(count):
        col = 0
        while col < count:
            if code.isDark(row, col):
                start = col
                while col < count and code.isDark(row, col):
                    col += 1
                runs.append((row, start, col - start))
            else:
                col += 1
    return count, tuple(runs)


def qr_matrix(value: str) -> list[list[bool]]:
    """The QR code as rows of dark (True) and light modules, for checking what was drawn."""
    count, runs = qr_runs(value)
    matrix = [[False] * count for _ in range(count)]
    for row, col, length in runs:
        matrix[row][col:col + length] = [True] * length
    return matrix


def _fill_rects(c: Canvas, x: float, y: float, sx: float, sy: float, rects: str) -> None:
    """Fill integer rectangles given in a grid scaled by (sx, sy) from (x, y), as one path.

    Written as PDF operators directly: formatting thousands of floats through the path API would cost
    more than the rest of the page.
    """
    c.saveState()
    c.setFillColor(colors.black)
    c.translate(x, y)
    c.scale(sx, sy)
    c.addLiteral(rects + " f")
    c.restoreState()


def draw_qr(c: Canvas, value: str, x: float, y: float, size: float) -> None:
    """A QR code of `value`, quiet zone included, in the square (x, y, size)."""
    count, runs = qr_runs(value)
    total = count + 2 * QUIET_MODULES
    top = count + QUIET_MODULES - 1
    rects = " ".join(f"{col + QUIET_MODULES} {top - row} {length} 1 re" for row, col, length in runs)
    _fill_rects(c, x, y, size / total, size / total, rects)


@functools.lru_cache(maxsize=256)
def code128_bars(value: str) -> tuple[int, tuple[tuple[int, int], ...]]:
    """A Code128 symbol of value: its width in modules and its bars (start, width), no quiet zones."""
    symbol = code128.Code128(value, humanReadable=False, quiet=0)
    symbol.validate()
    symbol.encode()
    bars, left = [], 0
    for char in symbol.decompose():  # reportlab's encoding: 'A'.. a bar, 'a'.. a space, n modules wide
        if char.isupper():
            bars.append((left, ord(char) - ord("A") + 1))
            left += ord(char) - ord("A") + 1
        elif char.islower():
            left += ord(char) - ord("a") + 1
    return left, tuple(bars)


def draw_code128(c: Canvas, value: str, x: float, y: float, width: float, height: float, *,
                 align: str = "center") -> float:
    """A Code128 barcode at most `width` wide (quiet zones included); returns the width of its bars."""
    modules, bars = code128_bars(value)
    bar_width = max(0.8, min(1.4, width / (modules + 2 * BARCODE_QUIET_MODULES)))
    drawn = modules * bar_width
    left = x + {"left": 0.0, "center": (width - drawn) / 2, "right": width - drawn}[align]
    _fill_rects(c, left, y, bar_width, height, " ".join(f"{start} 0 {w} 1 re" for start, w in bars))
    return drawn
