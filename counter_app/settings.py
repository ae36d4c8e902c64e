"""Settings of this PC, each declared once with its type, default and description.

Branch-wide rules (opening hours, targets, recall limits) live in the store, because every PC of
the branch must agree on them; what is here belongs to one PC: its language, its voice, its role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counter_app import paths
from counter_app.i18n import N_


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    description: str


OPTIONS: tuple[Option, ...] = (
    Option("language", str, "", N_("Language of the windows; empty follows the system locale")),
    Option("voice", bool, True, N_("Announce calls on the queue display by voice (or a chime)")),
    Option("display_recent", int, 6, N_("How many recently called numbers the display lists")),
    Option("feedback_counter", int, 0, N_("The counter this PC's feedback screen stands at; 0: staff choose it once")),
    Option("kiosk_ticket_seconds", int, 8, N_("How long the kiosk shows a ticket just issued")),
    Option("refresh_ms", int, 400, N_("How often windows look for changes made elsewhere (ms)")),
    Option("ticket_printer", str, "none",
           N_("Where the kiosk prints tickets: none (on screen only), system, pdf, escpos:usb:VID:PID, "
              "escpos:network:HOST[:PORT] or escpos:file:DEVICE")),
    Option("document_printer", str, "", N_("Printer for receipts, forms and notices; empty: the system default")),
    # One document kind may go elsewhere: a system printer's name, "pdf" (saved as a file, never printed), or
    # empty for the document printer above (ui/paperwork/printing.py).
    Option("receipt_printer", str, "", N_("Printer for 80 mm receipts; empty: the document printer; pdf: save a file")),
    Option("acceptance_printer", str, "",
           N_("Printer for acceptance forms and A4 receipts; empty: the document printer; pdf: save a file")),
    Option("apology_printer", str, "",
           N_("Printer for apology and explanation notices; empty: the document printer; pdf: save a file")),
    Option("backup_keep", int, 14, N_("Daily backups of the embedded store kept in the data directory")),
)
_BY_NAME = {o.name: o for o in OPTIONS}


class Settings:
    """Typed access to the settings file; unknown or ill-typed values fall back to the default."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.settings_file()
        self._values: dict[str, Any] = {}
        if self.path.exists():
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = {}
            if isinstance(loaded, dict):
                for key, value in loaded.items():
                    option = _BY_NAME.get(key)
                    if option and isinstance(value, option.type):
                        self._values[key] = value

    def get(self, name: str) -> Any:
        return self._values.get(name, _BY_NAME[name].default)

    def set(self, name: str, value: Any) -> None:
        option = _BY_NAME[name]
        if not isinstance(value, option.type):
            raise TypeError(f"{name} takes {option.type.__name__}")
        self._values[name] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(self.path)
