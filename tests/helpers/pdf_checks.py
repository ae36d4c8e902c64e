"""Reading a PDF back the way a person or a printer would: its text, fonts, type sizes and pixels."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """The extracted text with runs of whitespace as one space (a wrapped line reads as one)."""
    return " ".join(" ".join(page.extract_text() for page in reader(pdf).pages).split())


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader(pdf).pages]


def squeezed(pdf: bytes) -> str:
    """The text without any whitespace: Chinese wrapped over two lines reads as one phrase."""
    return re.sub(r"\s+", "", text_of(pdf))


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width) / 72 * 25.4, 1), round(float(p.mediabox.height) / 72 * 25.4, 1))
            for p in reader(pdf).pages]


def font_sizes(pdf: bytes) -> set[float]:
    """Every size given to a font operator (Tf) on every page."""
    doc = reader(pdf)
    sizes = set()
    for page in doc.pages:
        for operands, operator in ContentStream(page.get_contents(), doc).operations:
            if operator == b"Tf":
                sizes.add(float(operands[1]))
    return sizes


def fonts(pdf: bytes) -> dict[str, bool]:
    """Each font used on the pages (BaseFont) and whether a TrueType program is embedded (/FontFile2)."""
    found = {}
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptors = []
            if "/FontDescriptor" in font:
                descriptors.append(font["/FontDescriptor"].get_object())
            for descendant in font.get("/DescendantFonts", []):
                descendant = descendant.get_object()
                if "/FontDescriptor" in descendant:
                    descriptors.append(descendant["/FontDescriptor"].get_object())
            found[str(font["/BaseFont"])] = any("/FontFile2" in d for d in descriptors)
    return found


def grey_pages(pdf: bytes, folder: Path, resolution: int = 40) -> list[tuple[int, int, bytes]]:
    """Render every page with pdftoppm as 8-bit grey (PGM): (width, height, pixels) per page."""
    source = folder / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", str(resolution), str(source), str(folder / "page")], check=True)
    pages = []
    for path in sorted(folder.glob("page*.pgm")):
        data = path.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
        assert header, f"{path} is not an 8-bit PGM"
        width, height = int(header.group(1)), int(header.group(2))
        pages.append((width, height, data[header.end():header.end() + width * height]))
    return pages


def dark_share(pixels: bytes) -> float:
    """The share of pixels darker than mid-grey."""
    dark = len(pixels) - len(pixels.translate(None, bytes(range(128))))
    return dark / len(pixels)
