"""The administrator's window: services (and the counters that serve them), staff, the setup file, history.

Every change goes through workflows/admin/edits.py: the whole setup is checked as a file is, so a problem
is named in the message bar ("service CARD: no counter serves it.") and nothing is half-saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import N_, _
from counter_app.models.limits import SERVICE_LIMITS
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import FormDialog, MessageBar
from counter_app.workflows.admin import edits, setup_file, staff

ROLE_TEXT = {"clerk": N_("Clerk"), "trainee": N_("Trainee"), "senior": N_("Senior clerk"),
             "manager": N_("Duty manager"), "admin": N_("Administrator")}


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the names
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


class AdminSignInDialog(FormDialog):
    """An administrator signs in with their own credential; on success `staff` holds who."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(_("Administration sign-in"), _("Sign in to set the branch up"), "", _("Sign in"), parent,
                         width=480)
        self.backend = backend
        self.staff = None
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(_("e.g. A001"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(_("Staff number"), self.staff_edit)
        self.form.addRow(_("Password"), self.password_edit)

    def _on_ok(self) -> None:
        staff_no, password = self.staff_edit.text().strip(), self.password_edit.text()
        self.password_edit.clear()
        signed_in = act_or_show(self.backend, self.message_bar, edits.admin_sign_in, staff_no=staff_no,
                                password=password)
        if signed_in is not None:
            self.staff = signed_in
            self.accept()


class ServiceDialog(FormDialog):
    """A service's names, ticket prefix, tier, targets, and the counters that serve it."""

    def __init__(self, backend: Backend, staff_id: int, service: dict | None, counters: list[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Service"), _("New service") if service is None else _("Change a service"),
                         _("Targets in minutes. The counters that serve it: their numbers, e.g. 1, 3."), _("Save"),
                         parent)
        self.backend, self.staff_id = backend, staff_id
        self.saved = False
        service = service or {"code": "", "name_zh": "", "name_en": "", "prefix": "", "priority": 0,
                              "target_wait_min": 15, "target_service_min": 10, "target_wrapup_min": 2,
                              "typical_service_min": 5.0, "active": True}
        self.code_edit = QLineEdit(service["code"])
        self.code_edit.setReadOnly(bool(service["code"]))
        self.name_zh_edit = QLineEdit(service["name_zh"])
        self.name_en_edit = QLineEdit(service["name_en"])
        self.prefix_edit = QLineEdit(service["prefix"])
        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for name in ("priority", "target_wait_min", "target_service_min", "target_wrapup_min", "typical_service_min"):
            low, high = SERVICE_LIMITS[name]
            spin = QDoubleSpinBox() if name == "typical_service_min" else QSpinBox()
            spin.setRange(low, high)
            spin.setValue(service[name])
            self.spins[name] = spin
        self.counters_edit = QLineEdit(", ".join(str(n) for n in counters))
        self.active_check = QCheckBox(_("Offered at the kiosk"))
        self.active_check.setChecked(service["active"])
        for label, widget in ((_("Code"), self.code_edit), (_("Name (Chinese)"), self.name_zh_edit),
                              (_("Name (English)"), self.name_en_edit), (_("Ticket prefix"), self.prefix_edit),
                              (_("Priority tier"), self.spins["priority"]),
                              (_("Wait target"), self.spins["target_wait_min"]),
                              (_("Service target"), self.spins["target_service_min"]),
                              (_("Wrap-up after finishing"), self.spins["target_wrapup_min"]),
                              (_("Typical service"), self.spins["typical_service_min"]),
                              (_("Served at counters"), self.counters_edit), ("", self.active_check)):
            self.form.addRow(label, widget)

    def _counters(self) -> list[int] | None:
        try:
            return [int(part) for part in self.counters_edit.text().replace("，", ",").split(",") if part.strip()]
        except ValueError:
            self.message_bar.show_message(_("Counters are numbers separated by commas, e.g. 1, 3."), "error")
            return None

    def _on_ok(self) -> None:
        counters = self._counters()
        if counters is None:
            return
        service = {"code": self.code_edit.text().strip().upper(), "name_zh": self.name_zh_edit.text().strip(),
                   "name_en": self.name_en_edit.text().strip(), "prefix": self.prefix_edit.text().strip().upper(),
                   "active": self.active_check.isChecked(),
                   **{name: spin.value() for name, spin in self.spins.items()}}
        if act_or_show(self.backend, self.message_bar, edits.save_service, staff_id=self.staff_id, service=service,
                       counters=counters) is not None:
            self.saved = True
            self.accept()


class CounterDialog(FormDialog):
    """A counter: its number, its name on the display, whether only senior clerks sign in, what it serves."""

    def __init__(self, backend: Backend, staff_id: int, counter: dict | None, parent: QWidget | None = None) -> None:
        super().__init__(_("Counter"), _("New counter") if counter is None else _("Change a counter"),
                         _("The services it serves: their codes, e.g. BB, BILL."), _("Save"), parent)
        self.backend, self.staff_id = backend, staff_id
        self.saved = False
        counter = counter or {"number": 0, "name": "", "senior_only": False, "services": []}
        self.number_spin = QSpinBox()
        self.number_spin.setRange(1, 999)
        self.number_spin.setValue(max(1, counter["number"]))
        self.number_spin.setEnabled(not counter["number"])
        self.name_edit = QLineEdit(counter["name"])
        self.name_edit.setPlaceholderText(_("e.g. VIP counter"))
        self.senior_check = QCheckBox(_("Only senior clerks and duty managers sign in here"))
        self.senior_check.setChecked(counter["senior_only"])
        self.services_edit = QLineEdit(", ".join(counter["services"]))
        for label, widget in ((_("Counter number"), self.number_spin), (_("Name"), self.name_edit),
                              (_("Services"), self.services_edit), ("", self.senior_check)):
            self.form.addRow(label, widget)

    def _on_ok(self) -> None:
        codes = [c.strip().upper() for c in self.services_edit.text().replace("，", ",").split(",") if c.strip()]
        counter = {"number": self.number_spin.value(), "name": self.name_edit.text().strip(),
                   "senior_only": self.senior_check.isChecked(), "services": codes}
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


class AdminWindow(QWidget):
    """Services, staff, the setup file and the history of changes, for one signed-in administrator."""

    def __init__(self, backend: Backend, admin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.admin = backend, admin
        self.setup: dict | None = None
        self.setWindowTitle(_("Administration — {name}").format(name=admin.name))
        title = QLabel(_("Administration"))
        title.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.export_button = QPushButton(_("Export setup…"))
        self.import_button = QPushButton(_("Import setup…"))
        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(QLabel(_("{name} · {staff_no}").format(name=admin.name, staff_no=admin.staff_no)))
        header.addStretch(1)
        header.addWidget(self.export_button)
        header.addWidget(self.import_button)
        self.message_bar = MessageBar()
        self.tabs = QTabWidget()
        self.services_table = _table([_("Code"), _("Service name"), _("Prefix"), _("Tier"), _("Wait target"),
                                      _("Service target"), _("Counters"), _("Offered")])
        self.new_service_button = QPushButton(_("New service…"))
        self.edit_service_button = QPushButton(_("Change…"))
        self.tabs.addTab(self._page(self.services_table, self.new_service_button, self.edit_service_button),
                         _("Services and counters"))
        self.counters_table = _table([_("Counter number"), _("Name"), _("Services"), _("Senior clerks only")])
        self.new_counter_button = QPushButton(_("New counter…"))
        self.edit_counter_button = QPushButton(_("Change…"))
        self.tabs.addTab(self._page(self.counters_table, self.new_counter_button, self.edit_counter_button),
                         _("Counters"))
        self.staff_table = _table([_("Staff number"), _("Name"), _("Role"), _("Mentor"), _("Works here")])
        self.new_staff_button = QPushButton(_("New person…"))
        self.edit_staff_button = QPushButton(_("Change…"))
        self.password_button = QPushButton(_("Set password…"))
        self.tabs.addTab(self._page(self.staff_table, self.new_staff_button, self.edit_staff_button,
                                    self.password_button), _("Staff"))
        self.history_table = _table([_("When"), _("Who"), _("What"), _("Records")])
        self.tabs.addTab(self._page(self.history_table), _("History"))
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.new_service_button.clicked.connect(lambda: self.edit_service(None))
        self.edit_service_button.clicked.connect(lambda: self.edit_service(self._selected(self.services_table)))
        self.new_counter_button.clicked.connect(lambda: self.edit_counter(None))
        self.edit_counter_button.clicked.connect(
            lambda: self.edit_counter(int(number) if (number := self._selected(self.counters_table)) else None))
        self.new_staff_button.clicked.connect(lambda: self.edit_person(None))
        self.edit_staff_button.clicked.connect(lambda: self.edit_person(self._selected(self.staff_table)))
        self.password_button.clicked.connect(self._on_password)
        self.export_button.clicked.connect(self._on_export)
        self.import_button.clicked.connect(self._on_import)
        backend.changed.connect(lambda _change: self.refresh())
        self.refresh()

    @staticmethod
    def _page(table: QTableWidget, *buttons: QPushButton) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        layout.addLayout(row)
        return page

    @staticmethod
    def _selected(table: QTableWidget) -> str | None:
        rows = table.selectionModel().selectedRows()
        return table.item(rows[0].row(), 0).text() if rows else None

    def refresh(self) -> None:
        setup = self.backend.query(lambda session, _clock: setup_file.export_setup(session))
        changes = self.backend.query(lambda session, _clock: edits.history(session)) or []
        if setup is None:
            return
        self.setup = setup
        served: dict[str, list[str]] = {}
        for counter in setup["counters"]:
            for code in counter["services"]:
                served.setdefault(code, []).append(str(counter["number"]))
        _fill(self.services_table, [
            [s["code"], f"{s['name_zh']} / {s['name_en']}", s["prefix"], str(s["priority"]),
             str(s["target_wait_min"]), str(s["target_service_min"]), ", ".join(served.get(s["code"], [])),
             _("yes") if s["active"] else _("retired")] for s in setup["services"]])
        _fill(self.counters_table, [
            [str(c["number"]), c["name"], ", ".join(c["services"]), _("yes") if c["senior_only"] else ""]
            for c in setup["counters"]])
        _fill(self.staff_table, [
            [p["staff_no"], p["name"], _(ROLE_TEXT.get(p["role"], p["role"])), p["mentor"] or "",
             _("yes") if p["active"] else _("no")] for p in setup["staff"]])
        _fill(self.history_table, [
            [at.strftime("%Y-%m-%d %H:%M"), who, why, "; ".join(rows[:8]) + (" …" if len(rows) > 8 else "")]
            for at, who, why, rows in changes])

    def edit_service(self, code: str | None) -> ServiceDialog:
        service = next((s for s in self.setup["services"] if s["code"] == code), None) if code else None
        counters = [c["number"] for c in self.setup["counters"] if code and code in c["services"]]
        dialog = ServiceDialog(self.backend, self.admin.id, service, counters, self)
        self._run(dialog)
        return dialog

    def edit_counter(self, number: int | None) -> CounterDialog:
        counter = next((c for c in self.setup["counters"] if c["number"] == number), None) if number else None
        dialog = CounterDialog(self.backend, self.admin.id, counter, self)
        self._run(dialog)
        return dialog

    def edit_person(self, staff_no: str | None) -> StaffDialog:
        person = next((p for p in self.setup["staff"] if p["staff_no"] == staff_no), None) if staff_no else None
        dialog = StaffDialog(self.backend, self.admin.id, person, self)
        self._run(dialog)
        return dialog

    def _run(self, dialog: FormDialog) -> None:
        """Shown modal; tests drive the dialog themselves (`open_dialogs`)."""
        if getattr(self, "open_dialogs", None) is not None:
            self.open_dialogs.append(dialog)
            dialog.show()
            return
        dialog.exec()

    def _on_password(self) -> None:
        staff_no = self._selected(self.staff_table)
        if staff_no is None:
            self.message_bar.show_message(_("Choose the person first."), "error")
            return
        self._run(PasswordDialog(self.backend, self.admin.staff_no, staff_no, self))

    def _on_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export setup"), "setup.json", "JSON (*.json)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from counter_app.workflows.core import files

        text = setup_file.dumps(self.setup or {})
        try:
            files.write_bytes_atomically(path, text.encode("utf-8"))
        except OSError as exc:
            self.message_bar.show_message(_("The setup could not be saved ({detail}).").format(
                detail=exc.strerror or type(exc).__name__), "error")
            return
        self.message_bar.show_message(_("The setup is written to {file}.").format(file=path), "ok", seconds=8)

    def _on_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import setup"), "", "JSON (*.json)")
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.message_bar.show_message(_("{file} cannot be read ({detail}).").format(
                file=path, detail=exc.strerror or type(exc).__name__), "error")
            return
        result = act_or_show(self.backend, self.message_bar, edits.import_file, staff_id=self.admin.id, raw=raw)
        if result is not None:
            self.message_bar.show_message(_("The setup is imported: {count} records changed.").format(
                count=result.changed), "ok", seconds=8)

