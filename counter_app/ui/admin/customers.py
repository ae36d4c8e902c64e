"""The administrator's Customers tab: the segment rules (every problem listed before anything is saved), importing
customers from a CSV or XLSX file (checked first: every bad row with its line and reason, then the good rows on
confirmation), and one customer's data exported to a JSON file or erased, with a reason.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import AppError
from counter_app.i18n import N_, _
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import MessageBar
from counter_app.workflows.customers import importing, privacy, records, segments

RULE_COLUMNS = (N_("Code"), N_("Name (Chinese)"), N_("Name (English)"), N_("Least monthly spend"),
                N_("Least tenure (months)"), N_("Need"), N_("Tier"), N_("High value"))
YES = {"1", "yes", "y", "true", "是"}


def _table(columns, *, editable: bool = False) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([_(c) for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if not editable:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _checked_import(session, clock, *, path: Path, staff_id: int):
    """The file checked without writing; a file refused whole comes back as its AppError."""
    try:
        return importing.import_customers(session, clock, path=path, staff_id=staff_id, check_only=True)
    except AppError as refusal:
        return refusal


class CustomersTab(QWidget):
    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.staff_id = backend, staff_id
        self.import_path: Path | None = None
        self.found: list = []
        self.message_bar = MessageBar()
        # -- segment rules
        self.rules_table = _table(RULE_COLUMNS, editable=True)
        self.add_rule_button = QPushButton(_("Add a rule"))
        self.remove_rule_button = QPushButton(_("Remove the rule"))
        self.defaults_button = QPushButton(_("Install the default rules"))
        self.save_rules_button = QPushButton(_("Save the rules"))
        self.add_rule_button.clicked.connect(lambda: self.rules_table.insertRow(self.rules_table.rowCount()))
        self.remove_rule_button.clicked.connect(
            lambda: self.rules_table.removeRow(self.rules_table.currentRow()) if self.rules_table.currentRow() >= 0
            else None)
        self.defaults_button.clicked.connect(self._on_defaults)
        self.save_rules_button.clicked.connect(self.save_rules)
        rules_box = self._group(_("Segment rules (the first a customer meets gives their segment)"), self.rules_table,
                                self.add_rule_button, self.remove_rule_button, self.defaults_button,
                                self.save_rules_button)
        # -- import
        self.import_summary = QLabel()
        self.import_summary.setWordWrap(True)
        self.problems_table = _table((N_("Line"), N_("Why the row is refused")))
        self.choose_file_button = QPushButton(_("Check a file…"))
        self.import_button = QPushButton(_("Import the good rows"))
        self.import_button.setEnabled(False)
        self.choose_file_button.clicked.connect(self._on_choose_file)
        self.import_button.clicked.connect(self.import_good_rows)
        import_body = QWidget()
        import_layout = QVBoxLayout(import_body)
        import_layout.setContentsMargins(0, 0, 0, 0)
        import_layout.addWidget(self.import_summary)
        import_layout.addWidget(self.problems_table, 1)  # every refused row, with its line
        import_box = self._group(_("Import customers (CSV or XLSX)"), import_body, self.choose_file_button,
                                 self.import_button)
        # -- one customer
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(_("Mobile, account, ID number or ID's last 4"))
        self.find_button = QPushButton(_("Find"))
        self.find_button.clicked.connect(self.find_customers)
        self.find_edit.returnPressed.connect(self.find_customers)
        self.found_table = _table((N_("Name"), N_("Mobile"), N_("Account"), N_("ID card"), N_("Segment")))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(_("Why the data is erased (no personal data here)"))
        self.export_button = QPushButton(_("Export data…"))
        self.erase_button = QPushButton(_("Erase…"))
        self.export_button.clicked.connect(self._on_export)
        self.erase_button.clicked.connect(self._on_erase)
        find_row = QHBoxLayout()
        find_row.addWidget(self.find_edit, 1)
        find_row.addWidget(self.find_button)
        one = QWidget()
        one_layout = QVBoxLayout(one)
        one_layout.setContentsMargins(0, 0, 0, 0)
        one_layout.addLayout(find_row)
        one_layout.addWidget(self.found_table)
        one_layout.addWidget(self.reason_edit)
        customer_box = self._group(_("One customer: export or erase their data"), one, self.export_button,
                                   self.erase_button)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(rules_box, 1)
        left.addWidget(customer_box, 1)
        columns.addLayout(left, 3)
        columns.addWidget(import_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addLayout(columns, 1)
        self.show_rules()

    @staticmethod
    def _group(title: str, body: QWidget, *buttons: QPushButton) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(body, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        layout.addLayout(row)
        return box

    # -- segment rules -----------------------------------------------------------------------

    def show_rules(self) -> None:
        rows = self.backend.query(lambda session, _clock: [
            (r.code, r.name_zh, r.name_en, str(r.min_monthly_spend), str(r.min_tenure_months), r.need, str(r.tier),
             _("yes") if r.high_value else "") for r in segments.rules(session)]) or []
        self.rules_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.rules_table.setItem(r, c, QTableWidgetItem(text))

    def _cell(self, row: int, col: int) -> str:
        item = self.rules_table.item(row, col)
        return item.text().strip() if item else ""

    def rules_in_table(self) -> tuple[list[segments.Rule], list[str]]:
        """The rules as typed, and every problem in them ("Rule 2: …"), before anything is saved."""
        rules, problems = [], []
        for row in range(self.rules_table.rowCount()):
            cells = [self._cell(row, col) for col in range(len(RULE_COLUMNS))]
            if not any(cells):
                continue
            high = cells[7].lower() in YES or cells[7] == _("yes")
            rule = segments.Rule(cells[0], cells[1], cells[2], cells[3] or 0, cells[4] or 0, cells[5], cells[6] or 0,
                                 high)
            try:
                rules.append(segments.checked_rule(rule))
            except AppError as refusal:
                problems.append(_("Rule {number}: {problem}").format(number=row + 1, problem=refusal.text()))
        return rules, problems

    def save_rules(self) -> bool:
        rules, problems = self.rules_in_table()
        if problems:
            self.message_bar.show_message("\n".join(problems), "error")
            return False
        saved = act_or_show(self.backend, self.message_bar, segments.save_rules, staff_id=self.staff_id,
                            rules_in_order=rules)
        if saved is None:
            return False
        self.show_rules()
        self.message_bar.show_message(_("{rules} rule(s) saved; {changed} customer(s) changed segment.").format(
            rules=saved.rules, changed=saved.resegmented), "ok", seconds=8)
        return True

    def _on_defaults(self) -> None:
        saved = act_or_show(self.backend, self.message_bar, segments.install_default_rules, staff_id=self.staff_id)
        if saved is not None:
            self.show_rules()
            self.message_bar.show_message(_("The default rules are installed."), "ok", seconds=8)

    # -- import ------------------------------------------------------------------------------

    def _on_choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import customers"), "",
                                                    _("Customer files (*.csv *.xlsx)"))
        if path:
            self.check_file(Path(path))

    def check_file(self, path: Path) -> importing.ImportResult | None:
        """Check the file without writing: every bad row listed with its line; the good ones await confirmation."""
        self.import_path = None
        self.import_button.setEnabled(False)
        result = self.backend.query(_checked_import, path=path, staff_id=self.staff_id)
        if result is None:
            return None
        if isinstance(result, AppError):
            self.problems_table.setRowCount(0)
            self.import_summary.setText(_("{file} cannot be imported: {reason}").format(file=path.name,
                                                                                     reason=result.text()))
            return None
        self.problems_table.setRowCount(len(result.problems))
        for row, problem in enumerate(result.problems):
            self.problems_table.setItem(row, 0, QTableWidgetItem(str(problem.line)))
            self.problems_table.setItem(row, 1, QTableWidgetItem(problem.reason))
        self.import_summary.setText(_("{file}: {good} good row(s) ({new} new, {updated} to update), {bad} refused "
                                      "(listed below).").format(file=path.name, good=result.imported,
                                                                new=result.created, updated=result.updated,
                                                                bad=len(result.problems)))
        if result.imported:
            self.import_path = path
            self.import_button.setEnabled(True)
        return result

    def import_good_rows(self) -> importing.ImportResult | None:
        if self.import_path is None:
            return None
        result = act_or_show(self.backend, self.message_bar, importing.import_customers, path=self.import_path,
                             staff_id=self.staff_id)
        if result is not None:
            self.import_button.setEnabled(False)
            self.import_path = None
            self.message_bar.show_message(_("{count} customer(s) imported ({new} new); {bad} row(s) left out.").format(
                count=result.imported, new=result.created, bad=len(result.problems)), "ok", seconds=10)
        return result

    # -- one customer ------------------------------------------------------------------------

    def find_customers(self) -> None:
        text = self.find_edit.text()
        self.found = self.backend.query(lambda session, clock: [
            privacy.masked(f.customer) for f in records.search(session, clock, text)]) or []
        self.found_table.setRowCount(len(self.found))
        for row, masked in enumerate(self.found):
            for col, value in enumerate((masked.name, masked.phone or "", masked.account_no or "", masked.id_card,
                                         masked.segment)):
                self.found_table.setItem(row, col, QTableWidgetItem(value))
        if self.found:
            self.found_table.selectRow(0)
        else:
            self.message_bar.show_message(_("No customer found by {text}.").format(text=text), "error", seconds=8)

    def selected_customer_id(self) -> int | None:
        rows = self.found_table.selectionModel().selectedRows()
        return self.found[rows[0].row()].customer_id if rows and rows[0].row() < len(self.found) else None

    def _on_export(self) -> None:
        if self.selected_customer_id() is None:
            self.message_bar.show_message(_("Find and choose the customer first."), "error")
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Export customer data"), "customer.json", "JSON (*.json)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path | None:
        """One customer's data as JSON, written under a temporary name and then renamed (core/files.py); the export
        is logged even if the file cannot be written: the data was read out."""
        from counter_app.workflows.core import files

        customer_id = self.selected_customer_id()
        if customer_id is None:
            return None
        # A full view of the customer's data: the workflow logs who exported whose (privacy.export_for).
        data = act_or_show(self.backend, self.message_bar, privacy.export_for, customer_id=customer_id,
                           staff_id=self.staff_id)
        if data is None:
            return None
        try:
            files.write_bytes_atomically(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
        except OSError as exc:
            self.message_bar.show_message(_("The data could not be saved ({detail}).").format(
                detail=exc.strerror or type(exc).__name__), "error")
            return None
        self.message_bar.show_message(_("The customer's data is written to {file}.").format(file=path), "ok",
                                      seconds=8)
        return path

    def confirm(self, question: str) -> bool:
        """Ask before what cannot be undone; tests answer for the administrator."""
        answer = QMessageBox.question(self, _("Please confirm"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _on_erase(self) -> None:
        customer_id = self.selected_customer_id()
        if customer_id is None:
            self.message_bar.show_message(_("Find and choose the customer first."), "error")
            return
        if not self.confirm(_("Erase this customer's personal data? Name, numbers, ID and notes are cleared for "
                              "good; the visits stay, anonymous, for the statistics.")):
            return
        erased = act_or_show(self.backend, self.message_bar, privacy.erase, customer_id=customer_id,
                             staff_id=self.staff_id, reason=self.reason_edit.text())
        if erased is not None:
            self.reason_edit.clear()
            self.found = []
            self.found_table.setRowCount(0)
            self.message_bar.show_message(_("The customer's personal data is erased ({count} record(s)).").format(
                count=erased.records), "ok", seconds=8)
