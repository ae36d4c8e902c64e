"""Printed documents as PDF bytes: queue ticket, receipt, acceptance form, apology notice. No Qt here.

Each renderer takes a frozen record from `render.data` and the customer's language, whatever
language the window speaks: `render_ticket(data, language="zh_CN") -> bytes`.
"""

from __future__ import annotations

import importlib
from typing import Any

# The renderers load reportlab and the fonts (~0.3 s): they are imported when first asked for, so a window
# that only shows the queue (the display, the kiosk before its first ticket) starts without them.
_RENDERERS = {"render_acceptance_form": "acceptance", "render_apology": "apology", "render_receipt": "receipt",
              "render_ticket": "ticket"}

__all__ = list(_RENDERERS)


def __getattr__(name: str) -> Any:
    if name in _RENDERERS:
        module = importlib.import_module(f"{__name__}.{_RENDERERS[name]}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
