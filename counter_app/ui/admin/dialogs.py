"""The administrator's dialogs for one entry each: a service, a counter, a person, a password.

Each saves through workflows/admin/edits.py; a problem of the whole setup is listed in the dialog's own
message bar and the dialog stays open with what was typed, nothing saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import N_, _
from counter_app.models.limits import COUNTER_LIMITS, SERVICE_LIMITS
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import FormDialog
from counter_app.workflows.admin import edits, setup_file, staff

ROLE_TEXT = {"clerk": N_("Clerk"), "trainee": N_("Trainee"), "senior": N_("Senior clerk"),
             "manager": N_("Duty manager"), "admin": N_("Administrator"),
             # the planning desk (workflows/planning/roles.py)
             "pmc": N_("PMC planner"), "sales": N_("Sales"), "engineering": N_("Engineering reviewer"),
             "purchasing": N_("Purchasing reviewer"), "warehouse": N_("Warehouse / material control"),
             "production": N_("Production reviewer"), "quality": N_("Quality reviewer")}
NEW_SERVICE = {"code": "", "name_zh": "", "name_en": "", "prefix": "", "priority": 0, "target_wait_min": 15,
               "target_service_min": 10, "target_wrapup_min": 2, "typical_service_min": 5.0, "active": True,
               "wait_warning_min": 0, "service_warning_min": 0, "idle_warning_min": 0, "idle_breach_min": 0,
               "queue_warning_len": 0, "queue_breach_len": 0, "script_zh": "", "script_en": "", "terms_zh": "",
               "terms_en": ""}


def group(title: str, *rows: tuple[str | None, QWidget], hint: str = "") -> QGroupBox:
    """A titled box of labelled fields (a label None: the widget spans the box), with an optional grey hint."""
    box = QGroupBox(title)
    box.setStyleSheet("QGroupBox { font-weight: bold; margin-top: 8px; padding-top: 6px; }"
                      " QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }")
    form = QFormLayout(box)
    form.setVerticalSpacing(8)
    for label, widget in rows:
        if label is None:
            form.addRow(widget)
        else:
            form.addRow(label, widget)
    if hint:
        note = QLabel(hint)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        form.addRow(note)
    return box


def spin(name: str, value: float, limits: dict[str, tuple[float, float]], zero: str = "") -> QSpinBox:
    """A spin box with the column's range; `zero`: what 0 means, shown in place of it."""
    low, high = limits[name]
    box = QSpinBox()
    box.setRange(int(low), int(high))
    box.setValue(int(value))
    if zero:
        box.setSpecialValueText(zero)
    return box


class ServiceDialog(FormDialog):
    """A service's names, ticket prefix, tier, targets and their warning marks, its idle and queue limits, what the
    clerk is prompted to say, the acceptance form's terms, and the counters that serve it."""

    def __init__(self, backend: Backend, staff_id: int, service: dict | None, counters: list[int],
                 parent: QWidget | None = None, *, branch: dict | None = None) -> None:
        super().__init__(_("Service"), _("New service") if service is None else _("Change a service"),
                         _("Targets in minutes. The counters that serve it: their numbers, e.g. 1, 3."), _("Save"),
                         parent, width=980)
        self.backend, self.staff_id = backend, staff_id
        self.saved = False
        service = {**NEW_SERVICE, **(service or {})}
        branch = branch or {}
        share = round(100 * branch.get("warning_share", 0.75))
        idle_alert = branch.get("idle_alert_minutes", 3)
        self.code_edit = QLineEdit(service["code"])
        self.code_edit.setReadOnly(bool(service["code"]))
        self.name_zh_edit = QLineEdit(service["name_zh"])
        self.name_en_edit = QLineEdit(service["name_en"])
        self.prefix_edit = QLineEdit(service["prefix"])
        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for name in ("priority", "target_wait_min", "target_service_min", "target_wrapup_min"):
            self.spins[name] = spin(name, service[name], SERVICE_LIMITS)
        typical = self.spins["typical_service_min"] = QDoubleSpinBox()
        typical.setRange(*SERVICE_LIMITS["typical_service_min"])
        typical.setValue(service["typical_service_min"])
        by_share = _("{share}% of the target").format(share=share)
        for name, zero in (("wait_warning_min", by_share), ("service_warning_min", by_share),
                           ("idle_warning_min", _("the branch's {minutes} min").format(minutes=idle_alert)),
                           ("idle_breach_min", _("none")), ("queue_warning_len", _("none")),
                           ("queue_breach_len", _("none"))):
            self.spins[name] = spin(name, service[name], SERVICE_LIMITS, zero)
        self.counters_edit = QLineEdit(", ".join(str(n) for n in counters))
        self.active_check = QCheckBox(_("Offered at the kiosk"))
        self.active_check.setChecked(service["active"])
        self.texts: dict[str, QLineEdit | QPlainTextEdit] = {}
        for name in ("script_zh", "script_en"):
            self.texts[name] = QLineEdit(service[name])
            self.texts[name].setMaxLength(setup_file.SCRIPT_CHARS)
            self.texts[name].setPlaceholderText(_("empty: the built-in sentence"))
        for name in ("terms_zh", "terms_en"):
            edit = self.texts[name] = QPlainTextEdit(service[name])
            edit.setPlaceholderText(_("empty: the standard terms"))
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(110)
        spins = self.spins
        basics = group(_("The service"), (_("Code"), self.code_edit), (_("Name (Chinese)"), self.name_zh_edit),
                       (_("Name (English)"), self.name_en_edit), (_("Ticket prefix"), self.prefix_edit),
                       (_("Priority tier"), spins["priority"]), (_("Served at counters"), self.counters_edit),
                       ("", self.active_check))
        targets = group(_("Targets and their warning marks (minutes)"),
                        (_("Wait target"), spins["target_wait_min"]), (_("Wait warning"), spins["wait_warning_min"]),
                        (_("Service target"), spins["target_service_min"]),
                        (_("Service warning"), spins["service_warning_min"]),
                        (_("Wrap-up after finishing"), spins["target_wrapup_min"]),
                        (_("Typical service"), spins["typical_service_min"]),
                        hint=_("A warning mark comes before its target."))
        limits = group(_("Idle counter and queue: warning and breach marks"),
                       (_("Idle with customers waiting: warning (min)"), spins["idle_warning_min"]),
                       (_("Idle: breach (min)"), spins["idle_breach_min"]),
                       (_("Customers waiting: warning"), spins["queue_warning_len"]),
                       (_("Customers waiting: breach"), spins["queue_breach_len"]),
                       hint=_("A breach mark comes after its warning mark."))
        script = group(_("What the clerk is prompted to say at the warning mark"),
                       (_("Chinese"), self.texts["script_zh"]), (_("English"), self.texts["script_en"]),
                       hint=_("{minutes} stands for the minutes left."))
        both = QGridLayout()
        both.setContentsMargins(0, 0, 0, 0)
        for column, (name, language) in enumerate((("terms_zh", _("Chinese")), ("terms_en", _("English")))):
            both.addWidget(QLabel(language), 0, column)
            both.addWidget(self.texts[name], 1, column)
        terms_holder = QWidget()
        terms_holder.setLayout(both)
        terms = group(_("The acceptance form's terms"), (None, terms_holder),
                      hint=_("One term per line, at most {lines} lines.").format(lines=setup_file.TERMS_LINES))
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(basics, 0, 0)
        right = QVBoxLayout()
        right.addWidget(targets)
        right.addWidget(limits)
        grid.addLayout(right, 0, 1, 2, 1)
        grid.addWidget(script, 1, 0)
        grid.addWidget(terms, 2, 0, 1, 2)
        holder = QWidget()
        holder.setLayout(grid)
        self.form.addRow(holder)

    def _counters(self) -> list[int] | None:
        try:
            return [int(part) for part in self.counters_edit.text().replace("，", ",").split(",") if part.strip()]
        except ValueError:
            self.message_bar.show_message(_("Counters are numbers separated by commas, e.g. 1, 3."), "error")
            return None

    def values(self) -> dict:
        """The service as the form has it, as a setup file writes one."""
        return {"code": self.code_edit.text().strip().upper(), "name_zh": self.name_zh_edit.text().strip(),
                "name_en": self.name_en_edit.text().strip(), "prefix": self.prefix_edit.text().strip().upper(),
                "active": self.active_check.isChecked(),
                **{name: box.value() for name, box in self.spins.items()},
                **{name: (edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()).strip()
                   for name, edit in self.texts.items()}}

    def _on_ok(self) -> None:
        counters = self._counters()
        if counters is None:
            return
        if act_or_show(self.backend, self.message_bar, edits.save_service, staff_id=self.staff_id,
                       service=self.values(), counters=counters) is not None:
            self.saved = True
            self.accept()


class CounterDialog(FormDialog):
    """A counter: its number, its name and place on the display, whether only senior clerks sign in, what it serves
    and which of those it calls first."""

    def __init__(self, backend: Backend, staff_id: int, counter: dict | None, parent: QWidget | None = None) -> None:
        super().__init__(_("Counter"), _("New counter") if counter is None else _("Change a counter"),
                         _("The services it serves: their codes, e.g. BB, BILL."), _("Save"), parent)
        self.backend, self.staff_id = backend, staff_id
        self.saved = False
        counter = {"number": 0, "name": "", "senior_only": False, "services": [], "display_order": 0,
                   "preference": [], **(counter or {})}
        self.number_spin = QSpinBox()
        self.number_spin.setRange(1, 999)
        self.number_spin.setValue(max(1, counter["number"]))
        self.number_spin.setEnabled(not counter["number"])
        self.name_edit = QLineEdit(counter["name"])
        self.name_edit.setPlaceholderText(_("e.g. VIP counter"))
        self.senior_check = QCheckBox(_("Only senior clerks and duty managers sign in here"))
        self.senior_check.setChecked(counter["senior_only"])
        self.order_spin = spin("display_order", counter["display_order"], COUNTER_LIMITS)
        self.services_edit = QLineEdit(", ".join(counter["services"]))
        self.preference_list = QListWidget()
        self.preference_list.setFixedHeight(130)
        self.up_button = QPushButton(_("Up"))
        self.down_button = QPushButton(_("Down"))
        moves = QVBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        preference = QHBoxLayout()
        preference.addWidget(self.preference_list, 1)
        preference.addLayout(moves)
        hint = QLabel(_("Ticked services are called first, in this order, within a priority tier; the others "
                        "after them."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        box = QVBoxLayout()
        box.addLayout(preference)
        box.addWidget(hint)
        for label, widget in ((_("Counter number"), self.number_spin), (_("Name"), self.name_edit),
                              (_("Place on the display"), self.order_spin), (_("Services"), self.services_edit)):
            self.form.addRow(label, widget)
        self.form.addRow(_("Called first"), box)
        self.form.addRow("", self.senior_check)
        self.order_spin.setToolTip(_("Counters are shown in this order, then by number."))
        preferred = [code for code in counter["preference"] if code in counter["services"]]
        for code in preferred + [c for c in counter["services"] if c not in preferred]:
            self._add_item(code, code in preferred)
        self.services_edit.textChanged.connect(self._on_services_edited)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))

    def _codes(self) -> list[str]:
        codes = [c.strip().upper() for c in self.services_edit.text().replace("，", ",").split(",") if c.strip()]
        return list(dict.fromkeys(codes))

    def _add_item(self, code: str, ticked: bool) -> None:
        item = QListWidgetItem(code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.preference_list.addItem(item)

    def order(self) -> list[tuple[str, bool]]:
        """The services in the list's order, each with whether it is ticked (called first)."""
        items = [self.preference_list.item(row) for row in range(self.preference_list.count())]
        return [(item.text(), item.checkState() == Qt.CheckState.Checked) for item in items]

    def tick(self, code: str, ticked: bool = True) -> None:
        for row in range(self.preference_list.count()):
            item = self.preference_list.item(row)
            if item.text() == code:
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                self.preference_list.setCurrentRow(row)

    def move(self, step: int) -> None:
        """Move the chosen service up (-1) or down (1) the list."""
        row = self.preference_list.currentRow()
        if row < 0 or not 0 <= row + step < self.preference_list.count():
            return
        item = self.preference_list.takeItem(row)
        self.preference_list.insertItem(row + step, item)
        self.preference_list.setCurrentRow(row + step)

    def _on_services_edited(self) -> None:
        """The list follows the codes typed: a new one joins at the end, unticked; one taken away leaves."""
        codes, known = self._codes(), dict(self.order())
        kept = [(code, ticked) for code, ticked in self.order() if code in codes]
        self.preference_list.clear()
        for code, ticked in kept + [(code, False) for code in codes if code not in known]:
            self._add_item(code, ticked)

    def _on_ok(self) -> None:
        counter = {"number": self.number_spin.value(), "name": self.name_edit.text().strip(),
                   "senior_only": self.senior_check.isChecked(), "display_order": self.order_spin.value(),
                   "services": self._codes(), "preference": [code for code, ticked in self.order() if ticked]}
        if act_or_show(self.backend, self.message_bar, edits.save_counter, staff_id=self.staff_id,
                       counter=counter) is not None:
            self.saved = True
            self.accept()


class StaffDialog(FormDialog):
    """A person: staff number, name, role, mentor (a trainee needs one), whether active. Never deleted."""

    def __init__(self, backend: Backend, staff_id: int, person: dict | None, parent: QWidget | None = None) -> None:
        super().__init__(_("Staff"), _("New person") if person is None else _("Change a person"),
                         _("Someone new signs in once you have set their password."), _("Save"), parent)
        self.backend, self.staff_id = backend, staff_id
        self.saved = False
        person = person or {"staff_no": "", "name": "", "role": "clerk", "mentor": None, "active": True}
        self.staff_no_edit = QLineEdit(person["staff_no"])
        self.staff_no_edit.setReadOnly(bool(person["staff_no"]))
        self.name_edit = QLineEdit(person["name"])
        self.role_combo = QComboBox()
        for role, text in ROLE_TEXT.items():
            self.role_combo.addItem(_(text), role)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(person["role"])))
        self.mentor_edit = QLineEdit(person["mentor"] or "")
        self.mentor_edit.setPlaceholderText(_("a trainee's mentor, e.g. S003"))
        self.active_check = QCheckBox(_("Works here (can sign in)"))
        self.active_check.setChecked(person["active"])
        for label, widget in ((_("Staff number"), self.staff_no_edit), (_("Name"), self.name_edit),
                              (_("Role"), self.role_combo), (_("Mentor"), self.mentor_edit), ("", self.active_check)):
            self.form.addRow(label, widget)

    def _on_ok(self) -> None:
        person = {"staff_no": self.staff_no_edit.text().strip(), "name": self.name_edit.text().strip(),
                  "role": self.role_combo.currentData(), "mentor": self.mentor_edit.text().strip() or None,
                  "active": self.active_check.isChecked()}
        if act_or_show(self.backend, self.message_bar, edits.save_staff, staff_id=self.staff_id,
                       person=person) is not None:
            self.saved = True
            self.accept()


class PasswordDialog(FormDialog):
    """The administrator sets a person's password, confirming with their own."""

    def __init__(self, backend: Backend, admin_no: str, staff_no: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Password"), _("Set the password of {staff}").format(staff=staff_no),
                         _("Also lifts a lock-out. Managers and administrators need 8 characters."), _("Set"), parent)
        self.backend, self.admin_no, self.staff_no = backend, admin_no, staff_no
        self.new_edit = QLineEdit()
        self.new_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.own_edit = QLineEdit()
        self.own_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(_("New password"), self.new_edit)
        self.form.addRow(_("Your password"), self.own_edit)

    def _on_ok(self) -> None:
        done = act_or_show(self.backend, self.message_bar, staff.set_password, staff_no=self.staff_no,
                           password=self.new_edit.text(), admin_no=self.admin_no, admin_password=self.own_edit.text())
        self.new_edit.clear()
        self.own_edit.clear()
        if done is not None:
            self.accept()
