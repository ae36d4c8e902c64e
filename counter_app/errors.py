"""Errors a user can meet, each carrying a message in the user's language."""

from __future__ import annotations

from typing import Any

from counter_app.i18n import _


class AppError(Exception):
    """A refusal the user must read: `message` is an English msgid marked with N_(), `params` fill it."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def text(self) -> str:
        """The message in the current UI language."""
        translated = _(self.message)
        if not self.params:
            return translated
        # Text parameters marked with N_() where they are defined (a state, a cause) are translated too;
        # names and numbers have no catalogue entry and stay as they are.
        params = {k: _(v) if isinstance(v, str) else v for k, v in self.params.items()}
        return translated.format(**params)


class RecordedRefusal(AppError):
    """A refusal whose record must stay (a wrong password, a lock-out): the store commits what the workflow
    wrote before refusing — the attempt's record and nothing else — instead of rolling it back."""


class StoreError(AppError):
    """The store cannot be opened or used as it is."""


class PrintError(AppError):
    """A document could not be shown, printed or saved; `text()` says so in the user's language."""
