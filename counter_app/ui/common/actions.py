"""Running a workflow action from a window: one transaction, and a refusal shown in that window's bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from counter_app.i18n import _
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar

T = TypeVar("T")


def act_or_show(backend: Backend, bar: MessageBar, action: Callable[..., T], **kwargs: Any) -> T | None:
    """Run a workflow action; a refusal goes to this window's bar only.

    The backend's `failed` signal reaches every open window, so a window listens to it only for the
    length of its own action and does not show another window's refusals.
    """
    refusals: list[str] = []

    def keep(text: str) -> None:
        refusals.append(text)

    backend.failed.connect(keep)
    try:
        result = backend.act(action, **kwargs)
    finally:
        backend.failed.disconnect(keep)
    if result is None:
        bar.show_message(refusals[-1] if refusals else _("That did not work; nothing was saved."), "error")
    return result
