"""The kiosk's VIP keypad (会员): a customer types their VIP card (account) or mobile number on the screen, and is
recognised by the branch's segments (workflows/customers/segments.py `recognise`).

The kiosk stands in the hall: what it shows of the number is masked as it is typed, and it never shows a name.

Signals (VipKeypad):
    entered(str): the customer pressed OK with this number.
    cancelled(): the customer went back to the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget
from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.i18n import _
from counter_app.ui.common.widgets import BigButton
from counter_app.workflows.core.masking import mask_ref
from counter_app.workflows.customers import segments

MAX_DIGITS = 20


@dataclass(frozen=True)
class Recognised:
    tier: int
    masked_ref: str  # what the kiosk may show of the number


def recognised(session: Session, _clock: Clock, *, ref: str) -> Recognised | None:
    """The tier a VIP card or mobile number gives, or None: nothing else of the customer leaves this function."""
    found = segments.recognise(session, ref)
    if found is None:
        return None
    _customer, tier, _code = found
    return Recognised(tier, mask_ref(ref) or "")


def shown(typed: str) -> str:
    """The number as typed, masked: the last 4 digits only, the rest as dots."""
    return "•" * max(0, len(typed) - 4) + typed[-4:] if len(typed) > 4 else "•" * len(typed)


class VipKeypad(QFrame):
    entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.typed = ""
        title = QLabel(_("VIP / 会员"))
        title.setObjectName("vipTitle")
        hint = QLabel(_("Enter your VIP card number or your mobile number:"))
        hint.setObjectName("vipHint")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.typed_label = QLabel()
        self.typed_label.setObjectName("vipTyped")
        self.typed_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keys: dict[str, BigButton] = {}
        grid = QGridLayout()
        grid.setSpacing(10)
        for index, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit, digit, "key"), index // 3, index % 3)
        grid.addWidget(self._key("clear", _("Clear"), "keyAction"), 3, 0)
        grid.addWidget(self._key("0", "0", "key"), 3, 1)
        grid.addWidget(self._key("back", "⌫", "keyAction"), 3, 2)
        grid.addWidget(self._key("cancel", _("Back"), "keyAction"), 4, 0)
        grid.addWidget(self._key("ok", _("OK"), "keyOk"), 4, 1, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 10, 80, 10)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(hint)
        layout.addWidget(self.typed_label)
        layout.addLayout(grid, 1)
        self.start()

    def _key(self, name: str, text: str, style: str) -> BigButton:
        button = BigButton(text, height=64)
        button.setObjectName(style)
        button.clicked.connect(lambda _checked=False, n=name: self.press(n))
        self.keys[name] = button
        return button

    def start(self) -> None:
        self.typed = ""
        self._show()

    def press(self, key: str) -> None:
        if key.isdigit():
            self.typed = (self.typed + key)[:MAX_DIGITS]
        elif key == "back":
            self.typed = self.typed[:-1]
        elif key == "clear":
            self.typed = ""
        elif key == "cancel":
            self.start()
            self.cancelled.emit()
            return
        elif key == "ok" and self.typed:
            typed, self.typed = self.typed, ""
            self._show()
            self.entered.emit(typed)
            return
        self._show()

    def type_number(self, number: str) -> None:
        """Touch the keys of a number, one by one (tests, and a card reader that types)."""
        for char in number:
            if char.isdigit():
                self.press(char)

    def _show(self) -> None:
        self.typed_label.setText(shown(self.typed))
        self.keys["ok"].setEnabled(bool(self.typed))
