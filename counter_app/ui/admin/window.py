"""The administrator's window: services (and the counters that serve them), staff, the branch, this PC's own
settings, the setup file, history. The dialogs for one entry are in dialogs.py, the Branch tab in branch.py, the
This PC tab in this_pc.py.

Every change goes through workflows/admin/edits.py: the whole setup is checked as a file is, so a problem
is named in the message bar ("service CARD: no counter serves it.") and nothing is half-saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _
from counter_app.settings import Settings
from counter_app.ui.admin.branch import BranchTab
from counter_app.ui.admin.customers import CustomersTab
from counter_app.ui.admin.dialogs import (  # noqa: F401 (ServiceDialog … are found here too)
    ROLE_TEXT,
    CounterDialog,
    PasswordDialog,
    ServiceDialog,
    StaffDialog,
)
from counter_app.ui.admin.this_pc import ThisPcTab
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.login import password_to_change
from counter_app.ui.common.widgets import FormDialog, MessageBar
from counter_app.workflows.admin import edits, setup_file

HISTORY_CHARS = 120  # a changed logo is a long text: the history shows its start


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


def _short(line: str) -> str:
    return line if len(line) <= HISTORY_CHARS else line[:HISTORY_CHARS] + "…"


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
        chosen = None if signed_in is not None else password_to_change(self.backend, self, staff_no, password)
        if chosen is not None:
            signed_in = act_or_show(self.backend, self.message_bar, edits.admin_sign_in, staff_no=staff_no,
                                    password=chosen)
        if signed_in is not None:
            self.staff = signed_in
            self.accept()


class AdminWindow(QWidget):
    """Services, counters, staff, the branch, this PC, the setup file and the history of changes, for one
    signed-in administrator. `settings`: this PC's (the launcher's, so that both write the same values)."""

    def __init__(self, backend: Backend, admin, parent: QWidget | None = None, *,
                 settings: Settings | None = None) -> None:
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
        self.branch_tab = BranchTab(backend, admin.id)
        self.tabs.addTab(self.branch_tab, _("Branch"))
        self.this_pc_tab = ThisPcTab(settings or Settings())
        self.tabs.addTab(self.this_pc_tab, _("This PC"))
        self.customers_tab = CustomersTab(backend, admin.id)
        self.tabs.addTab(self.customers_tab, _("Customers"))
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
            [at.strftime("%Y-%m-%d %H:%M"), who, why,
             "; ".join(_short(row) for row in rows[:8]) + (" …" if len(rows) > 8 else "")]
            for at, who, why, rows in changes])
        self.branch_tab.show_setup(setup)

    def edit_service(self, code: str | None) -> ServiceDialog:
        service = next((s for s in self.setup["services"] if s["code"] == code), None) if code else None
        counters = [c["number"] for c in self.setup["counters"] if code and code in c["services"]]
        dialog = ServiceDialog(self.backend, self.admin.id, service, counters, self, branch=self.setup["branch"])
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

