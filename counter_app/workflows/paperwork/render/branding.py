"""The branch's logo and feedback address as the documents print them beside its name and contact line.

The logo comes from the branch's setup (a PNG in base64, checked when it was imported); a logo that
cannot be read is left out rather than stopping a receipt or a form from being printed.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader

from counter_app.i18n import translate
from counter_app.workflows.paperwork.render.layout import Flow

log = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_LOGO_BYTES = 400_000  # twice what the setup file lets in: a bound, not the rule (admin/setup_file.py)
MAX_LOGO_PIXELS = 4_000_000  # a larger picture is not a logo; decoding it would only hold the printer up
LOGO_GAP = 2.0  # points between the logo and the line under it


@dataclass(frozen=True)
class Logo:
    image: ImageReader
    width: int  # pixels
    height: int

    def size_at(self, height: float, max_width: float) -> tuple[float, float]:
        """Drawn `height` points tall, its aspect kept, and narrowed (still in proportion) to fit `max_width`."""
        width = height * self.width / self.height
        if width > max_width:
            width, height = max_width, max_width * self.height / self.width
        return width, height


@functools.lru_cache(maxsize=4)
def logo_image(logo: str) -> Logo | None:
    """The decoded logo; None for no logo or one that cannot be read as a PNG picture."""
    if not logo:
        return None
    try:
        data = base64.b64decode(logo, validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not data.startswith(PNG_SIGNATURE) or len(data) > MAX_LOGO_BYTES:
        log.warning("the branch's logo is not a PNG picture of at most %d bytes: documents go without it",
                    MAX_LOGO_BYTES)
        return None
    try:
        image = ImageReader(io.BytesIO(data))
        width, height = image.getSize()
        if not (0 < width * height <= MAX_LOGO_PIXELS):
            raise ValueError(f"{width}x{height} pixels")
        image.getRGBData()  # decode it all now: a damaged picture must fail here, not halfway through a page
    except Exception as exc:  # Pillow raises many kinds (OSError, SyntaxError, DecompressionBombError …)
        log.warning("the branch's logo cannot be drawn (%s): documents go without it", exc)
        return None
    return Logo(image, width, height)


def add_logo(flow: Flow, logo: str, height: float, *, align: str = "left") -> bool:
    """The logo as a block of its own, `height` points tall; nothing (False) when there is none to draw."""
    found = logo_image(logo)
    if found is None:
        return False
    width, drawn_height = found.size_at(height, flow.width)

    def draw(c, x: float, y: float) -> None:
        left = x + {"left": 0.0, "center": (flow.width - width) / 2, "right": flow.width - width}[align]
        c.drawImage(found.image, left, y - drawn_height, width, drawn_height, mask="auto")

    flow.add(drawn_height + LOGO_GAP, draw, keep_with_next=True)
    return True


def beside_logo(flow: Flow, logo: str, height: float, build: Callable[[Flow], None], *, max_width: float,
                gap: float = 4 * mm) -> None:
    """The logo at the left of the lines `build` adds (the title, the branch's name), as one block.

    Beside rather than above, so a logo does not push a one-page form onto a second page. The logo is
    `height` points tall, narrowed in proportion to `max_width`; without a logo `build` fills `flow` itself.
    """
    found = logo_image(logo)
    if found is None:
        build(flow)
        return
    width, drawn_height = found.size_at(height, max_width)
    mark = Flow(width)
    mark.add(drawn_height, lambda c, x, y: c.drawImage(found.image, x, y - drawn_height, width, drawn_height,
                                                       mask="auto"))
    text = Flow(flow.width - width - gap)
    build(text)
    flow.columns([mark, text], gap=gap)


def feedback_text(address: str, language: str) -> str:
    """"Feedback: …" for the address the branch gave; "" when it gave none (nothing is invented)."""
    address = address.strip()
    return translate("Feedback: {address}", language).format(address=address) if address else ""


def contact_lines(contact: str, feedback_address: str, language: str) -> list[str]:
    """The lines under the branch's name: its address and hotline, then where to send feedback; each when given."""
    return [line for line in (contact, feedback_text(feedback_address, language)) if line]
