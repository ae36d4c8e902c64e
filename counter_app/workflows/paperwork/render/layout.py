"""Shared drawing for the printed documents: wrapped text, blocks and pages.

A document is laid out first as a list of blocks (each knows its height and how to draw itself), then
drawn: on a receipt roll the page is exactly as tall as its blocks; on A4/A5 the blocks are spread
over pages. Everything draws straight on a reportlab canvas, which keeps a document within a small
factor of the cost of drawing its text alone (benchmarks/bench_acceptance_form.py).

The masking helpers live in masking.py, amounts and dates in formatting.py, and the QR code and
Code128 drawing in codes.py; all are importable from here too. The pages and the roll are drawn in
pages.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from counter_app.workflows.core.masking import (  # noqa: F401 (re-exported: the documents and windows import them here)
    is_cjk,
    mask_account,
    mask_id_number,
    mask_name,
    mask_phone,
)
from counter_app.workflows.paperwork.render.codes import (  # noqa: F401 (re-exported: the documents and tests import them here)
    BARCODE_QUIET_MODULES,
    QUIET_MODULES,
    code128_bars,
    draw_code128,
    draw_qr,
    qr_matrix,
    qr_runs,
)
from counter_app.workflows.paperwork.render.fonts import document_font, runs
from counter_app.workflows.paperwork.render.formatting import (  # noqa: F401 (re-exported: the documents import them here)
    CENT,
    amount_text,
    fmt_date,
    fmt_datetime,
    fmt_time,
    money,
    pdf_language,
)

# ---------------------------------------------------------------------------------------------------
# Text measuring and wrapping (CJK breaks between any two characters, Latin between words).

_NO_LINE_START = set("，。、；：！？）》」』】〕…,.;:!?)%]}")


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isspace() or is_cjk(char) or char in "，。、；：！？（）《》「」『』【】":
            if word:
                tokens.append(word)
                word = ""
            if char in _NO_LINE_START and tokens and not tokens[-1].isspace():
                tokens[-1] += char
            else:
                tokens.append(" " if char.isspace() else char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


@functools.lru_cache(maxsize=8192)
def _width(token: str, font: str, size: float) -> float:
    return text_width(token, font, size)


def text_width(text: str, font: str, size: float) -> float:
    """The width of text as drawn: in the document font, each character in the font that has it."""
    if font != document_font().name:
        return stringWidth(text, font, size)
    return sum(stringWidth(piece, run_font, size) for run_font, piece in runs(text))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than width; '\n' starts a new line.

    reportlab applies no kerning, so a line's width is the sum of its tokens' widths: measuring each
    token once keeps this linear.
    """
    space = _width(" ", font, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for token in _tokens(paragraph):
            if token.isspace():
                if line:
                    line, used = line + " ", used + space
                continue
            token_width = _width(token, font, size)
            if used + token_width <= width:
                line, used = line + token, used + token_width
                continue
            if line.strip():
                lines.append(line.rstrip())
            if token_width <= width:
                line, used = token, token_width
            else:  # one word wider than the line
                pieces = _split_long(token, font, size, width)
                lines += pieces[:-1]
                line, used = pieces[-1], _width(pieces[-1], font, size)
        lines.append(line.rstrip())
    return lines


def _split_long(token: str, font: str, size: float, width: float) -> list[str]:
    pieces, piece = [], ""
    for char in token:
        if piece and text_width(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return pieces + [piece]


# ---------------------------------------------------------------------------------------------------
# Blocks and flows.

BLACK = colors.black
GREY = colors.Color(0.35, 0.35, 0.35)
LIGHT = colors.Color(0.93, 0.95, 0.98)
BORDER = colors.Color(0.25, 0.35, 0.55)

Draw = Callable[[Canvas, float, float], None]  # canvas, left x, top y of the block


@dataclass
class Block:
    height: float
    draw: Draw
    keep_with_next: bool = False


def draw_text(c: Canvas, x: float, baseline: float, text: str, size: float, *, bold: bool = False,
              align: str = "left", width: float = 0.0, color=BLACK) -> None:
    font = document_font().name
    c.setFillColor(color)
    if align == "center":
        x += (width - text_width(text, font, size)) / 2
    elif align == "right":
        x += width - text_width(text, font, size)
    if bold:
        # The CJK fonts that embed well have no bold face: fill and stroke the outline instead.
        c.setStrokeColor(color)
        c.setLineWidth(size * 0.035)
    for run_font, piece in runs(text):  # a character the main font lacks, in the fallback that has it
        c.setFont(run_font, size)
        c.drawString(x, baseline, piece, mode=2 if bold else None)
        x += stringWidth(piece, run_font, size)


@dataclass
class Flow:
    """Blocks stacked top to bottom within a column `width` points wide."""

    width: float
    blocks: list[Block] = field(default_factory=list)

    @property
    def font(self) -> str:
        return document_font().name

    @property
    def height(self) -> float:
        return sum(b.height for b in self.blocks)

    def add(self, height: float, draw: Draw, *, keep_with_next: bool = False) -> None:
        self.blocks.append(Block(height, draw, keep_with_next))

    def space(self, height: float) -> None:
        self.add(height, lambda c, x, y: None)

    def text(self, text: str, size: float, *, bold: bool = False, align: str = "left", indent: float = 0.0,
             leading: float | None = None, color=BLACK, keep_with_next: bool = False) -> None:
        """A wrapped paragraph; one block, so it never splits across pages."""
        leading = leading or size * 1.35
        lines = wrap(text, self.font, size, self.width - indent)
        width = self.width - indent

        def draw(c: Canvas, x: float, y: float) -> None:
            baseline = y - size * 1.02
            for line in lines:
                draw_text(c, x + indent, baseline, line, size, bold=bold, align=align, width=width,
                          color=color)
                baseline -= leading

        self.add(leading * (len(lines) - 1) + size * 1.3, draw, keep_with_next=keep_with_next)

    def item(self, label: str, text: str, size: float, *, indent: float,
             leading: float | None = None) -> None:
        """A list item: the label ("1.", "•") in the margin, the text wrapped beside it (hanging indent)."""
        leading = leading or size * 1.35
        lines = wrap(text, self.font, size, self.width - indent)

        def draw(c: Canvas, x: float, y: float) -> None:
            baseline = y - size * 1.02
            draw_text(c, x, baseline, label, size)
            for line in lines:
                draw_text(c, x + indent, baseline, line, size)
                baseline -= leading

        self.add(leading * (len(lines) - 1) + size * 1.3, draw)

    def heading(self, text: str, size: float, *, underline: bool = True, color=BLACK) -> None:
        """A section title that never ends a page on its own."""
        self.space(size * 0.6)
        self.text(text, size, bold=True, color=color, keep_with_next=True)
        if underline:
            self.rule(thickness=0.6, gap=3.0, keep_with_next=True)
        else:
            self.space(2)
            self.blocks[-1].keep_with_next = True

    def rule(self, *, thickness: float = 0.5, dash: bool = False, gap: float = 4.0,
             keep_with_next: bool = False) -> None:
        def draw(c: Canvas, x: float, y: float) -> None:
            c.setStrokeColor(GREY)
            c.setLineWidth(thickness)
            if dash:
                c.setDash(2, 2)
            c.line(x, y - gap, x + self.width, y - gap)
            c.setDash()

        self.add(gap * 2, draw, keep_with_next=keep_with_next)

    def rows(self, rows: Sequence[tuple[str, str]], size: float, *, label_width: float,
             value_bold: bool = False, right: bool = False) -> None:
        """Label / value pairs; the value wraps in its column, or sits at the right edge (amounts)."""
        leading = size * 1.35
        for label, value in rows:
            label_lines = wrap(label, self.font, size, label_width - 4)
            value_width = self.width - label_width
            value_lines = wrap(value, self.font, size, value_width)
            count = max(len(label_lines), len(value_lines))

            def draw(c: Canvas, x: float, y: float, label_lines=label_lines, value_lines=value_lines,
                     value_width=value_width) -> None:
                baseline = y - size * 1.02
                for i in range(max(len(label_lines), len(value_lines))):
                    if i < len(label_lines):
                        draw_text(c, x, baseline, label_lines[i], size, color=GREY)
                    if i < len(value_lines):
                        draw_text(c, x + label_width, baseline, value_lines[i], size, bold=value_bold,
                                  align="right" if right else "left", width=value_width)
                    baseline -= leading

            self.add(leading * (count - 1) + size * 1.45, draw)

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[str]], size: float, *,
              widths: Sequence[float], right_aligned: Sequence[int] = ()) -> None:
        """A simple table: a header row, then rows; wrapped cells; columns in `right_aligned` flush right."""
        leading = size * 1.35
        pad = 3.0

        def row_block(cells: Sequence[str], header: bool) -> None:
            wrapped = [wrap(cell, self.font, size, w - 2 * pad)
                       for cell, w in zip(cells, widths, strict=True)]
            count = max(len(lines) for lines in wrapped)
            height = leading * (count - 1) + size * 1.3 + 2 * pad

            def draw(c: Canvas, x: float, y: float) -> None:
                if header:
                    c.setFillColor(LIGHT)
                    c.rect(x, y - height, self.width, height, stroke=0, fill=1)
                left = x
                for index, (lines, w) in enumerate(zip(wrapped, widths, strict=True)):
                    baseline = y - pad - size * 1.02
                    for line in lines:
                        draw_text(c, left + pad, baseline, line, size, bold=header,
                                  align="right" if index in right_aligned else "left", width=w - 2 * pad)
                        baseline -= leading
                    left += w
                c.setStrokeColor(GREY)
                c.setLineWidth(0.4)
                c.line(x, y - height, x + self.width, y - height)

            self.add(height, draw, keep_with_next=header)

        row_block(columns, True)
        for row in rows:
            row_block(row, False)

    def box(self, inner: Flow, *, padding: float, fill=LIGHT, border=BORDER, thickness: float = 1.2) -> None:
        """Draw `inner` (made `2 * padding` narrower than this flow) inside a framed box; one block."""
        height = inner.height + 2 * padding

        def draw(c: Canvas, x: float, y: float) -> None:
            if fill is not None:
                c.setFillColor(fill)
            c.setStrokeColor(border)
            c.setLineWidth(thickness)
            c.roundRect(x, y - height, self.width, height, 4, stroke=1, fill=0 if fill is None else 1)
            top = y - padding
            for block in inner.blocks:
                block.draw(c, x + padding, top)
                top -= block.height

        self.add(height, draw)

    def inner(self, padding: float) -> Flow:
        return Flow(self.width - 2 * padding)

    def columns(self, flows: Sequence[Flow], gap: float) -> None:
        """Side-by-side flows as one block (a signature block, a header with a QR code)."""
        height = max(f.height for f in flows)

        def draw(c: Canvas, x: float, y: float) -> None:
            left = x
            for flow in flows:
                top = y
                for block in flow.blocks:
                    block.draw(c, left, top)
                    top -= block.height
                left += flow.width + gap

        self.add(height, draw)

    def stamp(self, text: str, size: float) -> None:
        """A framed mark across the column, such as "REPRINT"."""
        height = size * 1.7

        def draw(c: Canvas, x: float, y: float) -> None:
            c.setStrokeColor(BLACK)
            c.setLineWidth(1.5)
            c.rect(x, y - height, self.width, height, stroke=1, fill=0)
            draw_text(c, x, y - height + size * 0.5, text, size, bold=True, align="center", width=self.width)

        self.add(height + 4, draw)

    def qr(self, value: str, size: float, *, align: str = "center") -> None:
        def draw(c: Canvas, x: float, y: float) -> None:
            left = x + {"left": 0.0, "center": (self.width - size) / 2, "right": self.width - size}[align]
            draw_qr(c, value, left, y - size, size)

        self.add(size, draw)

    def barcode(self, value: str, height: float, *, align: str = "center") -> None:
        def draw(c: Canvas, x: float, y: float) -> None:
            draw_code128(c, value, x, y - height, self.width, height, align=align)

        self.add(height, draw)
