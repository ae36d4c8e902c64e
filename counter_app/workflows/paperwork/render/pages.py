"""Drawing a laid-out flow of blocks: a receipt roll exactly as tall as its blocks, or A4/A5 pages with
the blocks spread over them; the document's PDF metadata; the reprint mark."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from counter_app.workflows.paperwork.render.fonts import document_font
from counter_app.workflows.paperwork.render.formatting import pdf_language
from counter_app.workflows.paperwork.render.layout import BLACK, Block, Flow, draw_text, text_width


@dataclass(frozen=True)
class PdfInfo:
    title: str
    subject: str
    author: str
    language: str
    created: dt.datetime  # the document's own time (from the workflow's clock), not the wall clock


def _canvas(buffer: io.BytesIO, pagesize: tuple[float, float], info: PdfInfo, size: float) -> Canvas:
    c = Canvas(buffer, pagesize=pagesize, invariant=1, initialFontName=document_font().name,
               initialFontSize=size, lang=pdf_language(info.language))
    c.setTitle(info.title)
    c.setSubject(info.subject)
    c.setAuthor(info.author)
    c.setCreator("counter_app")
    # `invariant` keeps the bytes reproducible (same data, same PDF, same sha256 in the archive);
    # the dates it would write (2000-01-01) are replaced by the document's own time.
    stamp = info.created.strftime("D:%Y%m%d%H%M%S")
    c.setDateFormatter(lambda *_: stamp)
    return c


def render_roll(flow: Flow, *, page_width: float, margin: float, info: PdfInfo, size: float) -> bytes:
    """One page exactly as tall as the content: a thermal receipt roll."""
    buffer = io.BytesIO()
    height = flow.height + 2 * margin
    c = _canvas(buffer, (page_width, height), info, size)
    top = height - margin
    for block in flow.blocks:
        block.draw(c, margin, top)
        top -= block.height
    c.showPage()
    c.save()
    return buffer.getvalue()


PageDecoration = Callable[[Canvas, int, int], None]  # canvas, page number (1-based), page count


def paginate(blocks: Sequence[Block], available: float) -> list[list[Block]]:
    """Spread blocks over pages; a block marked keep_with_next moves with the block after it."""
    pages: list[list[Block]] = [[]]
    used = 0.0
    for index, block in enumerate(blocks):
        need = block.height
        follow = index + 1
        while follow < len(blocks) and blocks[follow - 1].keep_with_next:
            need += blocks[follow].height
            follow += 1
        if pages[-1] and used + need > available and need <= available:
            pages.append([])
            used = 0.0
        elif pages[-1] and used + block.height > available:
            pages.append([])
            used = 0.0
        pages[-1].append(block)
        used += block.height
    return pages


def render_pages(flow: Flow, *, pagesize: tuple[float, float], margin_x: float, margin_top: float,
                 margin_bottom: float, info: PdfInfo, size: float,
                 decorate: PageDecoration | None = None) -> bytes:
    """Fixed-size pages (A4, A5); `decorate` draws the footer and marks of each page."""
    buffer = io.BytesIO()
    c = _canvas(buffer, pagesize, info, size)
    pages = paginate(flow.blocks, pagesize[1] - margin_top - margin_bottom)
    for number, blocks in enumerate(pages, start=1):
        top = pagesize[1] - margin_top
        for block in blocks:
            block.draw(c, margin_x, top)
            top -= block.height
        if decorate:
            decorate(c, number, len(pages))
        c.showPage()
    c.save()
    return buffer.getvalue()


def draw_reprint_mark(c: Canvas, text: str, x: float, y: float, size: float) -> None:
    """A framed "Reprint" stamp with its top right corner at (x, y)."""
    font = document_font().name
    width = text_width(text, font, size) + size
    c.setStrokeColor(BLACK)
    c.setLineWidth(1.5)
    c.rect(x - width, y - size * 1.6, width, size * 1.6, stroke=1, fill=0)
    draw_text(c, x - width + size / 2, y - size * 1.15, text, size, bold=True)

