"""The factory's master data at the planning desk: products (lead time, stock, load per piece), materials, the
production capacity per day and the factory's own closed and working days — each change one workflow call
(PMC or an administrator: workflows/planning/roles.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import _
from counter_app.models.planning import FactoryDay, Material, Product
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import DateEdit, FormDialog, MessageBar
from counter_app.workflows.planning import orders, rush


def _done(action):
    """The workflow, answering True when it went through: some settings return nothing, and `act_or_show`
    reads None as a refusal."""
    def run(session: Session, clock: Clock, **kwargs):
        action(session, clock, **kwargs)
        return True
    return run


@dataclass(frozen=True)
class MasterData:
    products: list[tuple[str, str, str, int, int, int]]  # code, zh, en, lead days, stock, load per piece
    materials: list[tuple[str, str, int, int]]  # code, name, lead days, stock
    capacity: int | None
    days: list[tuple[dt.date, bool, str]]  # day, closed, note


def master_data(session: Session, _clock: Clock) -> MasterData:
    try:
        units: int | None = rush.capacity(session)
    except AppError:
        units = None
    return MasterData(
        [(p.code, p.name_zh, p.name_en, p.lead_days, p.stock, p.load_per_unit)
         for p in session.exec(select(Product).order_by(Product.code))],
        [(m.code, m.name, m.lead_days, m.stock) for m in session.exec(select(Material).order_by(Material.code))],
        units, [(d.day, d.closed, d.note) for d in session.exec(select(FactoryDay).order_by(FactoryDay.day))])


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))


def _spin(high: int, value: int = 0) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, high)
    spin.setValue(value)
    return spin


class ProductDialog(FormDialog):
    """A new product, or (given `code`) another load per piece for an existing one."""

    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None, *,
                 code: str | None = None, load: int = 1) -> None:
        editing = code is not None
        super().__init__(_("Product"), _("Production load of {code}").format(code=code) if editing else
                         _("Add a product"), _("Load per piece: the capacity units one piece takes (0: bought in)."),
                         _("Save"), parent, width=520)
        self.backend, self.staff_id, self.code = backend, staff_id, code
        self.code_edit, self.zh_edit, self.en_edit = QLineEdit(code or ""), QLineEdit(), QLineEdit()
        self.lead_spin, self.stock_spin, self.load_spin = _spin(365), _spin(1_000_000), _spin(100_000, load)
        if not editing:
            self.form.addRow(_("Product code"), self.code_edit)
            self.form.addRow(_("Chinese name"), self.zh_edit)
            self.form.addRow(_("English name"), self.en_edit)
            self.form.addRow(_("Lead time (working days)"), self.lead_spin)
            self.form.addRow(_("Stock"), self.stock_spin)
        self.form.addRow(_("Load per piece"), self.load_spin)

    def _on_ok(self) -> None:
        code = self.code or self.code_edit.text()
        if self.code is None:
            if act_or_show(self.backend, self.message_bar, orders.add_product, code=code,
                           name_zh=self.zh_edit.text(), name_en=self.en_edit.text(), lead_days=self.lead_spin.value(),
                           stock=self.stock_spin.value(), staff_id=self.staff_id) is None:
                return
            self.code = code.strip()
            if self.load_spin.value() == 1:  # the default load: nothing more to set
                self.accept()
                return
        # a second step for a new product: if it is refused the product stands and the dialog edits its load
        if act_or_show(self.backend, self.message_bar, _done(rush.set_production_load), product_code=self.code,
                       load_per_unit=self.load_spin.value(), staff_id=self.staff_id) is not None:
            self.accept()


class MaterialDialog(FormDialog):
    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(_("Material"), _("Add a material"), "", _("Save"), parent, width=480)
        self.backend, self.staff_id = backend, staff_id
        self.code_edit, self.name_edit = QLineEdit(), QLineEdit()
        self.lead_spin, self.stock_spin = _spin(365), _spin(1_000_000)
        self.form.addRow(_("Material code"), self.code_edit)
        self.form.addRow(_("Name"), self.name_edit)
        self.form.addRow(_("Purchasing lead time (working days)"), self.lead_spin)
        self.form.addRow(_("Stock"), self.stock_spin)

    def _on_ok(self) -> None:
        if act_or_show(self.backend, self.message_bar, orders.add_material, code=self.code_edit.text(),
                       name=self.name_edit.text(), lead_days=self.lead_spin.value(), stock=self.stock_spin.value(),
                       staff_id=self.staff_id) is not None:
            self.accept()


class MasterDataTab(QWidget):
    def __init__(self, backend: Backend, staff_id: int, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.staff_id, self.bar = backend, staff_id, bar
        self.open_dialogs: list | None = None  # tests: dialogs shown and kept here, not exec'd
        self.data: MasterData | None = None
        self.products_table = _table([_("Code"), _("Chinese name"), _("English name"), _("Lead time (working days)"),
                                      _("Stock"), _("Load per piece")])
        self.add_product_button = QPushButton(_("Add product…"))
        self.load_button = QPushButton(_("Production load…"))
        self.materials_table = _table([_("Code"), _("Name"), _("Purchasing lead time (working days)"), _("Stock")])
        self.add_material_button = QPushButton(_("Add material…"))
        self.capacity_label = QLabel()
        self.capacity_spin = _spin(100_000_000, 100)
        self.capacity_button = QPushButton(_("Set capacity"))
        self.days_table = _table([_("Day"), _("The factory"), _("Note")])
        self.day_edit = DateEdit()
        today = backend.clock.now().date()
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        self.day_kind_combo = QComboBox()
        self.day_kind_combo.addItem(_("closed"), True)
        self.day_kind_combo.addItem(_("working (make-up day)"), False)
        self.day_note_edit = QLineEdit()
        self.day_note_edit.setPlaceholderText(_("e.g. inventory day"))
        self.day_button = QPushButton(_("Set day"))
        grid = QGridLayout(self)
        grid.addWidget(self._box(_("Products"), self.products_table, self.add_product_button, self.load_button), 0, 0)
        grid.addWidget(self._box(_("Materials"), self.materials_table, self.add_material_button), 0, 1)
        grid.addWidget(self._box(_("Production capacity per working day"), self.capacity_label,
                                 self.capacity_spin, self.capacity_button), 1, 0)
        grid.addWidget(self._box(_("The factory's closed and working days"), self.days_table, self.day_edit,
                                 self.day_kind_combo, self.day_note_edit, self.day_button), 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.add_product_button.clicked.connect(lambda: self.product_dialog())
        self.load_button.clicked.connect(lambda: self.product_dialog(editing=True))
        self.add_material_button.clicked.connect(lambda: self._run(MaterialDialog(backend, staff_id, self)))
        self.capacity_button.clicked.connect(self.set_capacity)
        self.day_button.clicked.connect(self.set_day)
        self.refresh()

    @staticmethod
    def _box(title: str, main: QWidget, *controls: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(main, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        for control in controls:
            row.addWidget(control)
        layout.addLayout(row)
        return box

    def refresh(self) -> None:
        data = self.backend.query(master_data)
        if data is None:
            return
        self.data = data
        _fill(self.products_table, data.products)
        _fill(self.materials_table, data.materials)
        _fill(self.days_table, [(d.isoformat(), _("closed") if closed else _("working"), note)
                                for d, closed, note in data.days])
        self.capacity_label.setText(_("In force: {units} load units a day").format(units=data.capacity)
                                    if data.capacity is not None else _("Not set yet: rush orders need it."))

    def _run(self, dialog: FormDialog) -> FormDialog:
        if self.open_dialogs is not None:
            self.open_dialogs.append(dialog)
            dialog.show()
        else:
            dialog.exec()
        return dialog

    def product_dialog(self, *, editing: bool = False) -> ProductDialog | None:
        if not editing:
            return self._run(ProductDialog(self.backend, self.staff_id, self))
        row = self.products_table.currentRow()
        if self.data is None or not 0 <= row < len(self.data.products):
            self.bar.show_message(_("Choose a product first."), "error")
            return None
        product = self.data.products[row]
        return self._run(ProductDialog(self.backend, self.staff_id, self, code=product[0], load=product[5]))

    def set_capacity(self) -> None:
        if act_or_show(self.backend, self.bar, rush.set_capacity, units_per_day=self.capacity_spin.value(),
                       staff_id=self.staff_id) is not None:
            self.bar.show_message(_("The capacity is {units} load units a day from now on.").format(
                units=self.capacity_spin.value()), "ok", seconds=8)

    def set_day(self) -> None:
        act_or_show(self.backend, self.bar, _done(orders.set_factory_day), day=self.day_edit.date().toPython(),
                    closed=self.day_kind_combo.currentData(), note=self.day_note_edit.text(), staff_id=self.staff_id)
