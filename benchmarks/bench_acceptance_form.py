"""Acceptance form generation against a bare reportlab canvas drawing the same text, in one run.

    python benchmarks/bench_acceptance_form.py [--runs N] [--language zh_CN|en]

The baseline draws exactly the strings the form draws (recorded from one rendering), at the same sizes
and with the same embedded CJK font, one drawString per line, on A4 pages, and saves the PDF. What the
form adds on top: measuring and wrapping, boxes, rules, the QR code and the barcode.
Goal (issue 4): the form takes <= 1.5x the baseline and under 50 ms.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from counter_app.workflows.paperwork.render import samples  # noqa: E402
from counter_app.workflows.paperwork.render.acceptance import render_acceptance_form  # noqa: E402
from counter_app.workflows.paperwork.render.fonts import document_font  # noqa: E402

GOAL_RATIO = 1.5
GOAL_MS = 50.0


def recorded_text(data, language: str) -> list[tuple[str, float]]:
    """Every (string, size) the form draws, in order."""
    drawn: list[tuple[str, float]] = []
    original = Canvas.drawString

    def record(self, x, y, text, *args, **kwargs):
        drawn.append((text, self._fontsize))
        return original(self, x, y, text, *args, **kwargs)

    Canvas.drawString = record
    try:
        render_acceptance_form(data, language=language)
    finally:
        Canvas.drawString = original
    return drawn


def bare_canvas(lines: list[tuple[str, float]], font: str) -> bytes:
    """The baseline: the same strings, same font and sizes, straight down A4 pages."""
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=1)
    y = A4[1] - 50
    current = None
    for text, size in lines:
        if y < 60:
            c.showPage()
            y = A4[1] - 50
            current = None
        if size != current:
            c.setFont(font, size)
            current = size
        c.drawString(56, y, text)
        y -= size * 1.35
    c.showPage()
    c.save()
    return buffer.getvalue()


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--language", default="zh_CN")
    args = parser.parse_args(argv)

    font = document_font()  # loading the font (~0.3 s, once per process) is not what we measure
    data = samples.acceptance_form(args.language)
    lines = recorded_text(data, args.language)

    def form() -> bytes:
        return render_acceptance_form(data, language=args.language)

    def baseline() -> bytes:
        return bare_canvas(lines, font.name)

    for _ in range(5):  # warm caches on both sides alike
        form()
        baseline()
    # Interleave the two so that a busy moment of the machine hits both.
    form_times, base_times = [], []
    for _ in range(args.runs):
        form_times.append(median_ms(form, 1))
        base_times.append(median_ms(baseline, 1))
    form_ms = statistics.median(form_times)
    base_ms = statistics.median(base_times)
    ratio = form_ms / base_ms
    print(f"font: {font.source} (embedded: {font.embedded})")
    print(f"text: {len(lines)} strings, {sum(len(t) for t, _ in lines)} characters, language {args.language}")
    print(f"acceptance form:   {form_ms:7.2f} ms  ({len(form())} bytes)")
    print(f"bare canvas:       {base_ms:7.2f} ms  ({len(baseline())} bytes)")
    print(f"ratio:             {ratio:7.2f} x   (goal <= {GOAL_RATIO} x, form under {GOAL_MS:.0f} ms)")
    met = ratio <= GOAL_RATIO and form_ms < GOAL_MS
    print("goal met" if met else "goal NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
