"""The administrator's Branch tab: the branch's names, contact, logo, languages, display, rules, week of hours and
holidays, saved together by edits.save_branch (checked as a setup file is: every problem listed, nothing saved).
"""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import N_, _
from counter_app.models.limits import BRANCH_LIMITS
from counter_app.ui.admin.dialogs import group, spin
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import DateEdit, MessageBar
from counter_app.workflows.admin import edits, setup_file

DAY_TEXT = {"mon": N_("Monday"), "tue": N_("Tuesday"), "wed": N_("Wednesday"), "thu": N_("Thursday"),
            "fri": N_("Friday"), "sat": N_("Saturday"), "sun": N_("Sunday")}
LANGUAGE_TEXT = {"zh": N_("Chinese"), "en": N_("English")}
ANNOUNCED_TEXT = {"zh,en": N_("Chinese, then English"), "en,zh": N_("English, then Chinese"),
                  "zh": N_("Chinese only"), "en": N_("English only"), "": N_("No voice, a chime only")}
RULE_TEXT = {"pre_open_minutes": N_("Tickets before opening (min)"),
             "recalls_before_no_show": N_("Recalls before a no-show"),
             "eta_sample_size": N_("Services averaged for the estimate"),
             "warning_share": N_("Warning mark (share of each target)"),
             "idle_alert_minutes": N_("Idle counter alert (min)"),
             "max_queue_length": N_("Queue alert above"),
             "counter_silent_seconds": N_("A silent counter is gone after (s)"),
             "priority_ageing_minutes": N_("Top priority after waiting (min)"),
             "customer_retention_days": N_("Customers' personal data kept (days)")}
RULE_ZERO = {"max_queue_length": N_("none"), "priority_ageing_minutes": N_("never")}  # what 0 means
TEXTS = (("name_zh", N_("Name (Chinese)"), 40), ("name_en", N_("Name (English)"), 40),
         ("address_zh", N_("Address (Chinese)"), 80), ("address_en", N_("Address (English)"), 80),
         ("hotline", N_("Hotline"), 20), ("feedback_address", N_("Feedback address"), 80))
LOGO_PREVIEW = 64


def _combo(texts: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for value, text in texts.items():
        combo.addItem(_(text), value)
    return combo


def _time(text: str) -> QTime:
    return QTime.fromString("00:00" if text == setup_file.ROUND_THE_CLOCK[1] else text, "HH:mm")


class DayHours:
    """One weekday's row: open or shut, opening and closing time, round the clock, and "next day" when the hall
    closes after midnight."""

    def __init__(self, day: str, grid: QGridLayout, row: int) -> None:
        self.day = day
        self.open_check = QCheckBox(_(DAY_TEXT[day]))
        self.opens_edit, self.closes_edit = QTimeEdit(), QTimeEdit()
        for edit in (self.opens_edit, self.closes_edit):
            edit.setDisplayFormat("HH:mm")
        self.round_check = QCheckBox(_("Round the clock"))
        self.next_day_label = QLabel()
        self.next_day_label.setStyleSheet("color: #0b3d6e;")
        for column, widget in enumerate((self.open_check, self.opens_edit, QLabel("–"), self.closes_edit,
                                         self.round_check, self.next_day_label)):
            grid.addWidget(widget, row, column)
        for signal in (self.open_check.toggled, self.round_check.toggled, self.opens_edit.timeChanged,
                       self.closes_edit.timeChanged):
            signal.connect(self._on_changed)

    def load(self, entry: dict | None) -> None:
        entry = entry or {"opens": "09:00", "closes": "17:00"}
        self.open_check.setChecked(entry.get("day") == self.day)
        self.round_check.setChecked((entry["opens"], entry["closes"]) == setup_file.ROUND_THE_CLOCK)
        self.opens_edit.setTime(_time(entry["opens"]))
        self.closes_edit.setTime(_time(entry["closes"]))
        self._on_changed()

    def set(self, opens: str, closes: str) -> None:
        self.open_check.setChecked(True)
        self.round_check.setChecked(False)
        self.opens_edit.setTime(_time(opens))
        self.closes_edit.setTime(_time(closes))

    def value(self) -> dict | None:
        """As a setup file writes it; None when the hall is shut that day."""
        if not self.open_check.isChecked():
            return None
        if self.round_check.isChecked():
            return {"day": self.day, "opens": setup_file.ROUND_THE_CLOCK[0], "closes": setup_file.ROUND_THE_CLOCK[1]}
        return {"day": self.day, "opens": self.opens_edit.time().toString("HH:mm"),
                "closes": self.closes_edit.time().toString("HH:mm")}

    def _on_changed(self) -> None:
        is_open, all_day = self.open_check.isChecked(), self.round_check.isChecked()
        self.round_check.setEnabled(is_open)
        self.opens_edit.setEnabled(is_open and not all_day)
        self.closes_edit.setEnabled(is_open and not all_day)
        overnight = is_open and not all_day and self.closes_edit.time() < self.opens_edit.time()
        self.next_day_label.setText(_("next day") if overnight else "" if is_open else _("shut"))


class BranchTab(QWidget):
    """Everything the whole branch shares, on one page with one Save button.

    The page follows the store when it changes elsewhere, unless the administrator has edited it: what they
    typed is never overwritten while unsaved."""

    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.staff_id = backend, staff_id
        self.logo = ""
        self.holidays: list[dict] = []
        self._stored: tuple | None = None  # the branch, hours and holidays last loaded from the store
        self._loaded: tuple | None = None  # what the page showed right after loading them
        self._saving = False
        self.text_edits: dict[str, QLineEdit] = {}
        for name, _label, limit in TEXTS:
            self.text_edits[name] = QLineEdit()
            self.text_edits[name].setMaxLength(limit)
        contact = group(_("Names and contact"), *((_(label), self.text_edits[name]) for name, label, _n in TEXTS),
                        hint=_("Printed on every document; the feedback address is where customers write to."))
        self.logo_label = QLabel()
        self.logo_label.setFixedSize(LOGO_PREVIEW * 2, LOGO_PREVIEW)
        self.logo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_label.setStyleSheet("border: 1px solid #ccc; background: white; color: #777;")
        self.choose_logo_button = QPushButton(_("Choose a PNG…"))
        self.remove_logo_button = QPushButton(_("Remove"))
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_row = QHBoxLayout()
        logo_row.setContentsMargins(0, 0, 0, 0)
        logo_row.addWidget(self.logo_label)
        logo_row.addLayout(logo_buttons)
        logo_row.addStretch(1)
        logo_holder = QWidget()
        logo_holder.setLayout(logo_row)
        logo = group(_("Logo"), (None, logo_holder), hint=_("Printed above the branch's name: a PNG picture of at "
                                                          "most {kb} KB.").format(kb=setup_file.LOGO_BYTES // 1000))
        self.language_combo = _combo(LANGUAGE_TEXT)
        self.announce_combo = _combo(ANNOUNCED_TEXT)
        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {"display_columns": spin("display_columns", 8, BRANCH_LIMITS),
                                                            "display_font_percent": spin("display_font_percent", 100,
                                                                                         BRANCH_LIMITS)}
        self.spins["display_font_percent"].setSuffix(" %")
        display = group(_("Languages and the queue display"), (_("Default language"), self.language_combo),
                        (_("Calls announced in"), self.announce_combo),
                        (_("Counters per row"), self.spins["display_columns"]),
                        (_("Text size"), self.spins["display_font_percent"]),
                        hint=_("The default language is for a PC that chose none; the rows and the text size are the "
                               "queue display's."))
        for name in RULE_TEXT:
            if name == "warning_share":
                share = self.spins[name] = QDoubleSpinBox()
                share.setRange(*BRANCH_LIMITS[name])
                share.setDecimals(2)
                share.setSingleStep(0.05)
            else:
                self.spins[name] = spin(name, BRANCH_LIMITS[name][0], BRANCH_LIMITS,
                                          _(RULE_ZERO[name]) if name in RULE_ZERO else "")
        self.spins["customer_retention_days"].setToolTip(_(
            "When the duty manager closes the day, visits older than this lose their customer's personal data; the "
            "statistics stay. At least 90 days, the loyalty view's window."))
        rules = group(_("Rules"), *((_(text), self.spins[name]) for name, text in RULE_TEXT.items()))
        hours_grid = QGridLayout()
        hours_grid.setContentsMargins(0, 0, 0, 0)
        self.days = {day: DayHours(day, hours_grid, row) for row, day in enumerate(setup_file.WEEKDAYS)}
        hours_holder = QWidget()
        hours_holder.setLayout(hours_grid)
        hours = group(_("Opening hours"), (None, hours_holder),
                      hint=_("A closing time before the opening time is the next day (16:00 – 02:00 closes at 2 "
                             "in the morning). An unticked day is shut."))
        self.holidays_table = QTableWidget(0, 2)
        self.holidays_table.setHorizontalHeaderLabels([_("Date"), _("Note")])
        self.holidays_table.verticalHeader().setVisible(False)
        self.holidays_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.holidays_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.holidays_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.holidays_table.setMinimumHeight(140)
        self.holiday_date = DateEdit()
        self.holiday_date.setDate(QDate(backend.clock.now().date()))
        self.holiday_note = QLineEdit()
        self.holiday_note.setPlaceholderText(_("e.g. National Day"))
        self.add_holiday_button = QPushButton(_("Add"))
        self.remove_holiday_button = QPushButton(_("Remove"))
        add_row = QHBoxLayout()
        for widget in (self.holiday_date, self.holiday_note, self.add_holiday_button, self.remove_holiday_button):
            add_row.addWidget(widget)
        holidays_box = QVBoxLayout()
        holidays_box.setContentsMargins(0, 0, 0, 0)
        holidays_box.addWidget(self.holidays_table)
        holidays_box.addLayout(add_row)
        holidays_holder = QWidget()
        holidays_holder.setLayout(holidays_box)
        holidays = group(_("Holidays (whole days shut)"), (None, holidays_holder))
        page = QWidget()
        grid = QGridLayout(page)
        for column, boxes in enumerate(((contact, logo), (display, rules), (hours, holidays))):
            for row, box in enumerate(boxes):
                grid.addWidget(box, row, column)
        grid.setRowStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.message_bar = MessageBar()
        self.save_button = QPushButton(_("Save the branch"))
        footer = QHBoxLayout()
        footer.addWidget(QLabel(_("Shared by every PC of the branch.")))
        footer.addStretch(1)
        footer.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message_bar)
        layout.addLayout(footer)
        self.choose_logo_button.clicked.connect(self._on_choose_logo)
        self.remove_logo_button.clicked.connect(lambda: self.set_logo(""))
        self.add_holiday_button.clicked.connect(self._on_add_holiday)
        self.remove_holiday_button.clicked.connect(self._on_remove_holiday)
        self.save_button.clicked.connect(self.save)

    # -- what the page shows ---------------------------------------------------------------------------------

    def show_setup(self, setup: dict) -> None:
        """Show the store's branch, hours and holidays, unless the page holds unsaved edits."""
        stored = (setup["branch"], setup["hours"], setup["holidays"])
        if stored == self._stored:
            return
        if self._loaded is not None and self.values() != self._loaded and not self._saving:
            self.message_bar.show_message(_("The branch was changed on another PC; saving overwrites that "
                                            "change with this page."), "info")
            return
        self._stored = stored
        branch, hours, holidays = stored
        for name, edit in self.text_edits.items():
            edit.setText(branch.get(name) or "")
        self.set_logo(branch.get("logo") or "")
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(branch["default_language"])))
        self.announce_combo.setCurrentIndex(max(0, self.announce_combo.findData(branch["announce_languages"])))
        for name, box in self.spins.items():
            box.setValue(branch[name])
        by_day = {entry["day"]: entry for entry in hours}
        for day, row in self.days.items():
            row.load(by_day.get(day))
        self.holidays = [dict(entry) for entry in holidays]
        self._show_holidays()
        self._loaded = self.values()

    def values(self) -> tuple[dict, list[dict], list[dict]]:
        """The branch's keys, the week's hours and the holidays as the page has them, as a setup file writes them."""
        branch = {name: edit.text().strip() for name, edit in self.text_edits.items()}
        branch.update(logo=self.logo, default_language=self.language_combo.currentData(),
                      announce_languages=self.announce_combo.currentData(),
                      **{name: box.value() for name, box in self.spins.items()})
        hours = [value for row in self.days.values() if (value := row.value()) is not None]
        return branch, hours, [dict(entry) for entry in self.holidays]

    def set_logo(self, logo: str) -> None:
        """The logo as base64 text ("" for none), previewed small; a file that is no picture says so."""
        self.logo = logo
        self.remove_logo_button.setEnabled(bool(logo))
        picture = QPixmap()
        if logo:
            picture.loadFromData(base64.b64decode(logo))
        if picture.isNull():
            self.logo_label.setPixmap(QPixmap())
            self.logo_label.setText(_("not a picture") if logo else _("no logo"))
        else:
            self.logo_label.setPixmap(picture.scaled(LOGO_PREVIEW * 2, LOGO_PREVIEW,
                                                     Qt.AspectRatioMode.KeepAspectRatio,
                                                     Qt.TransformationMode.SmoothTransformation))

    def logo_from_file(self, path: Path) -> None:
        """Read a chosen picture; what is no PNG or too large is named by the check when the branch is saved."""
        try:
            with path.open("rb") as file:
                data = file.read(setup_file.LOGO_BYTES + 1)  # one byte past the limit is enough to be refused
        except OSError as exc:
            self.message_bar.show_message(_("{file} cannot be read ({detail}).").format(
                file=path, detail=exc.strerror or type(exc).__name__), "error")
            return
        self.set_logo(base64.b64encode(data).decode("ascii"))

    def add_holiday(self, day: str, note: str) -> None:
        """A holiday kept (a day given again takes the new note)."""
        self.holidays = sorted([h for h in self.holidays if h["day"] != day] + [{"day": day, "note": note}],
                               key=lambda h: h["day"])
        self._show_holidays()

    def _show_holidays(self) -> None:
        self.holidays_table.setRowCount(len(self.holidays))
        for row, entry in enumerate(self.holidays):
            self.holidays_table.setItem(row, 0, QTableWidgetItem(entry["day"]))
            self.holidays_table.setItem(row, 1, QTableWidgetItem(entry["note"]))

    # -- what the administrator does -------------------------------------------------------------------------

    def _on_choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose the logo"), "", "PNG (*.png)")
        if path:
            self.logo_from_file(Path(path))

    def _on_add_holiday(self) -> None:
        self.add_holiday(self.holiday_date.date().toString("yyyy-MM-dd"), self.holiday_note.text().strip())
        self.holiday_note.clear()

    def _on_remove_holiday(self) -> None:
        rows = self.holidays_table.selectionModel().selectedRows()
        if not rows:
            self.message_bar.show_message(_("Choose the holiday first."), "error")
            return
        del self.holidays[rows[0].row()]
        self._show_holidays()

    def save(self) -> bool:
        branch, hours, holidays = self.values()
        self._saving = True  # the store's new state is loaded as the window refreshes
        try:
            result = act_or_show(self.backend, self.message_bar, edits.save_branch, staff_id=self.staff_id,
                                 branch=branch, hours=hours, holidays=holidays)
        finally:
            self._saving = False
        if result is None:
            return False
        self.message_bar.show_message(_("The branch is saved: {count} records changed.").format(
            count=result.changed), "ok", seconds=8)
        return True
