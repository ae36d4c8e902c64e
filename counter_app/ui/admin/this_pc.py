"""The administrator's This PC tab: the settings of the PC it runs on (its language, voice, display and printers),
kept in this PC's settings file, never in the store: other PCs of the branch keep theirs.
"""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app import i18n
from counter_app.i18n import _
from counter_app.settings import OPTIONS, Settings
from counter_app.ui.admin.dialogs import group, spin
from counter_app.ui.common.widgets import MessageBar

DESCRIPTION = {option.name: option.description for option in OPTIONS}
PER_KIND = ("receipt_printer", "acceptance_printer", "apology_printer")
TICKET_KINDS = ("none", "system", "pdf", "escpos")


def system_printers() -> list[str]:
    """The printers this PC's system knows (tests replace this)."""
    return list(QPrinterInfo.availablePrinterNames())


def _combo(choices: list[tuple[str, str]], current: str, *, editable: bool = False) -> QComboBox:
    """A choice among (value, text); a current value not among them (a printer since removed) is kept."""
    combo = QComboBox()
    combo.setEditable(editable)
    combo.setMinimumWidth(320)
    for value, text in choices:
        combo.addItem(text, value)
    if combo.findData(current) < 0:
        combo.addItem(current, current)
    combo.setCurrentIndex(combo.findData(current))
    return combo


def _value(combo: QComboBox) -> str:
    """The chosen value, or the text typed into an editable combo."""
    if combo.isEditable() and combo.currentText() != combo.itemText(combo.currentIndex()):
        return combo.currentText().strip()
    return combo.currentData()


def set_value(combo: QComboBox, value: str) -> None:
    """Choose a value (a printer name, "pdf", ""), adding it when it is not offered."""
    if combo.findData(value) < 0:
        combo.addItem(value, value)
    combo.setCurrentIndex(combo.findData(value))


class ThisPcTab(QWidget):
    """This PC's language, voice, display and printers, saved in its settings file with one Save button."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        printers = system_printers()
        note = self.note = QLabel(_("These settings belong to this PC only: they are kept in {file}, not in the branch's "
                        "store, and every other PC keeps its own. What the whole branch shares is on the Branch "
                        "tab.").format(file=settings.path))
        note.setWordWrap(True)
        note.setStyleSheet("background:#e8f1fb; color:#0b3d6e; border:1px solid #9cc0e6; padding:8px;")
        self.language_combo = _combo([("", _("Not chosen: the branch's default language")),
                                      *((code, name) for code, name in i18n.LANGUAGES.items())],
                                     settings.get("language"))
        self.voice_check = QCheckBox(_("Announce calls by voice on the queue display"))
        self.voice_check.setChecked(settings.get("voice"))
        self.recent_spin = spin("display_recent", settings.get("display_recent"), {"display_recent": (0, 30)})
        self.ticket_combo = _combo([("none", _("None: on screen only")), ("system", _("The system's default printer")),
                                    ("pdf", _("Save a PDF file")),
                                    *((f"system:{name}", name) for name in printers)],
                                   settings.get("ticket_printer"), editable=True)
        self.document_combo = _combo([("", _("The system's default printer")), *((n, n) for n in printers)],
                                     settings.get("document_printer"))
        self.kind_combos = {name: _combo([("", _("The document printer")), ("pdf", _("Save a PDF file")),
                                          *((n, n) for n in printers)], settings.get(name)) for name in PER_KIND}
        for name, widget in (("voice", self.voice_check), ("display_recent", self.recent_spin),
                             ("ticket_printer", self.ticket_combo), ("document_printer", self.document_combo),
                             *self.kind_combos.items()):
            widget.setToolTip(_(DESCRIPTION[name]))
        window = group(_("Windows and the queue display"), (_("Language of the windows"), self.language_combo),
                       ("", self.voice_check), (_("Numbers recently called on the display"), self.recent_spin))
        printing = group(_("Printers"), (_("Tickets (the kiosk)"), self.ticket_combo),
                         (_("Documents"), self.document_combo), (_("Receipts"), self.kind_combos["receipt_printer"]),
                         (_("Acceptance forms"), self.kind_combos["acceptance_printer"]),
                         (_("Apology notices"), self.kind_combos["apology_printer"]),
                         hint=_("A ticket printer may also be typed: escpos:usb:VID:PID, escpos:network:HOST[:PORT] "
                                "or escpos:file:DEVICE."))
        self.message_bar = MessageBar()
        self.save_button = QPushButton(_("Save for this PC"))
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.save_button)
        columns = QHBoxLayout()
        columns.addWidget(window, 1)
        columns.addWidget(printing, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addWidget(self.message_bar)
        layout.addLayout(footer)
        self.save_button.clicked.connect(self.save)

    def values(self) -> dict:
        return {"language": _value(self.language_combo), "voice": self.voice_check.isChecked(),
                "display_recent": self.recent_spin.value(), "ticket_printer": _value(self.ticket_combo) or "none",
                "document_printer": _value(self.document_combo),
                **{name: _value(combo) for name, combo in self.kind_combos.items()}}

    def save(self) -> bool:
        values = self.values()
        if values["ticket_printer"].partition(":")[0] not in TICKET_KINDS:
            self.message_bar.show_message(_("The ticket printer {value} is not one this app knows.").format(
                value=values["ticket_printer"]), "error")
            return False
        changed = [name for name, value in values.items() if self.settings.get(name) != value]
        try:
            for name in changed:
                self.settings.set(name, values[name])
        except OSError as exc:
            self.message_bar.show_message(_("The settings could not be saved ({detail}).").format(
                detail=exc.strerror or type(exc).__name__), "error")
            return False
        self.message_bar.show_message(_("Saved for this PC: windows opened from now on use it."), "ok", seconds=8)
        return True
